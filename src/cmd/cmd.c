/* cmd/cmd.c: what every command shares: how the user is told (tt_warn(),
 * also kept for the start menu's box), the one language switch, the step
 * view's options from the command line, and a filter's words joined. */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/paths.h"
#include "i18n.h"
#include "ui/ui.h"

/* tt_warn_capture(): where warnings go while the menu's screen is up */
static char *warn_buf;
static size_t warn_len;

void
tt_warn(const char *fmt, ...)
{
	va_list ap;

	if (warn_buf != NULL) {
		size_t at = strlen(warn_buf);

		va_start(ap, fmt);
		if (at + 1 < warn_len) {
			vsnprintf(warn_buf + at, warn_len - at, fmt, ap);
			at = strlen(warn_buf);
			if (at + 1 < warn_len) {
				warn_buf[at] = '\n';
				warn_buf[at + 1] = '\0';
			}
		}
		va_end(ap);
		return;
	}
	fflush(stdout);
	fputs("tcptutor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
tt_flush_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		tt_warn(_("error writing output: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

int
tt_usage_hint(void)
{
	if (warn_buf == NULL)
		fputs(_("Try 'tcptutor --help' for more information.\n"), stderr);
	return TT_EXIT_USAGE;
}

void
tt_warn_capture(char *buf, size_t len)
{
	warn_buf = len > 0 ? buf : NULL;
	warn_len = len;
	if (warn_buf != NULL)
		warn_buf[0] = '\0';
}

const char *
tt_warn_captured(void)
{
	return warn_buf != NULL ? warn_buf : "";
}

int
tt_ui_result(int rc)
{
	if (rc != 0 && ui_error()[0] != '\0')
		tt_warn("%s", ui_error());
	return rc;
}

char *
tt_join_words(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Chinese needs a UTF-8 character type even where zh_CN.UTF-8 is not
 * generated: C.UTF-8 gives that, and LANGUAGE picks the catalog (glibc reads
 * LANGUAGE whenever the message locale is not plain "C"). A new text
 * domain call makes gettext drop what it has cached. */
int
tt_language(int zh)
{
	int changed = 0;

	setenv("LANGUAGE", zh ? "zh_CN" : "en", 1);
	if (zh && (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 ||
	           strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0)) {
		if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL)
			setlocale(LC_ALL, "C.UTF-8");
		changed = 1;
	}
	bindtextdomain(PACKAGE, tt_path_localedir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	return changed;
}

void
tt_ui_opts(const struct tt_cli *cli, struct ui_opts *o)
{
	memset(o, 0, sizeof *o);
	o->zh = cli->zh;
	o->present = cli->present;
	o->autoplay = cli->autoplay;
	o->autoplay_ms = cli->autoplay_ms;
	o->absolute = cli->absolute;
}
