/* cmd/sandbox.c: the 'sandbox' subcommand and the start menu.
 *
 * sandbox: in a terminal, both hosts under the user's keys (ui_sandbox);
 * with --batch, scenario lines are read from FILE or stdin, run, and the
 * segment table printed (report/); --write also writes the segments as a
 * capture, and takes the lines as in batch. The menu (no command) lists lessons,
 * sandbox, replay, quiz, language and help, and hands over to the same
 * functions the subcommands use. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <langinfo.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/paths.h"
#include "report/report.h"
#include "sim/sim.h"
#include "tutor/lesson.h"
#include "ui/ui.h"

/* The challenge's progress is kept beside the lessons'. */
static const struct ui_challenge challenge = { tt_path_statedir };

/* The sandbox screen over a simulation of the default hosts. */
static int
sandbox_screen(const struct ui_opts *o)
{
	struct tt_session ses;
	int rc;

	tt_sim_session(NULL, &ses);
	rc = ui_sandbox(&ses, o, &challenge);
	tt_sim_session_end(&ses);
	return rc;
}

int
cmd_sandbox(const struct tt_cli *cli, int argc, char **argv)
{
	struct ui_opts o;

	if (argc > 1) {
		tt_warn(_("sandbox: at most one FILE of actions (got '%s' and '%s')"), argv[0], argv[1]);
		return tt_usage_hint();
	}
	/* --write asks for a run to save, --coverage for a run's report:
	 * scenario lines, as in batch */
	if (cli->batch || cli->write_path != NULL || cli->coverage || argc == 1 ||
	    !isatty(STDIN_FILENO))
		return tt_scenario_batch(cli, argc == 1 ? argv[0] : "-");
	tt_ui_opts(cli, &o);
	return tt_ui_result(sandbox_screen(&o));
}

/* ---- the start menu ------------------------------------------------------- */

/* Runs a subcommand under the menu's screen: what it would print with
 * tt_warn() is kept, and shown in a box afterwards. */
static int
guarded(int (*fn)(const struct tt_cli *, int, char **), const struct tt_cli *cli, int argc,
        char **argv, const struct ui_opts *o)
{
	char msg[2048];
	int rc;

	tt_warn_capture(msg, sizeof msg);
	rc = fn(cli, argc, argv);
	tt_warn_capture(NULL, 0);
	if (msg[0] != '\0' && ui_message(rc == 0 ? _("Note") : _("Error"), msg, o) != 0)
		tt_warn("%s", msg);
	return rc;
}

/* The lesson list is the one 'tcptutor lesson' opens (scores, the first
 * unfinished lesson, q in a lesson back to the list). */
static void
menu_lessons(const struct tt_cli *cli, const struct ui_opts *o)
{
	guarded(cmd_lesson, cli, 0, NULL, o);
}

/* Watch live in a child process: live drops its privileges for good once
 * the capture is open, and the menu keeps what it had for the next time.
 * The child draws on the menu's terminal as it finds it; when it ends
 * through its own return it says so on a pipe, else (a signal, a fatal
 * error that restored the terminal) the menu takes the terminal back. */
static int
live_in_child(const struct tt_cli *cli, int argc, char **argv)
{
	int done[2], st = 0, clean = 0;
	pid_t pid;
	char c;

	if (pipe(done) != 0)
		return cmd_live(cli, argc, argv);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(done[0]);
		close(done[1]);
		return cmd_live(cli, argc, argv);
	}
	if (pid == 0) {
		const char *said;
		int rc;

		close(done[0]);
		rc = cmd_live(cli, argc, argv);
		fflush(NULL);
		/* "1": it ended by itself; then what it would have said */
		said = tt_warn_captured();
		if (write(done[1], "1", 1) != 1 ||
		    (said[0] != '\0' && write(done[1], said, strlen(said)) < 0))
			rc = TT_EXIT_FAIL;
		_exit(rc);      /* not exit(): the menu's terminal stays as it is */
	}
	close(done[1]);
	clean = read(done[0], &c, 1) == 1;
	if (clean) {
		char said[2048];
		size_t got = 0;
		ssize_t n;

		while (got < sizeof said - 1 &&
		       ((n = read(done[0], said + got, sizeof said - 1 - got)) > 0 ||
		        (n < 0 && errno == EINTR)))
			got += n > 0 ? (size_t)n : 0;
		said[got] = '\0';
		while (got > 0 && said[got - 1] == '\n')
			said[--got] = '\0';
		if (got > 0)
			tt_warn("%s", said);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	close(done[0]);
	ui_retake(clean);
	return WIFEXITED(st) ? WEXITSTATUS(st) : TT_EXIT_FAIL;
}

static void
switch_language(struct tt_cli *cli)
{
	cli->zh = !cli->zh;
	if (tt_language(cli->zh))
		ui_locale_changed();
}

/* The path typed into "Replay a file" as a shell would take it: blanks
 * around it and one pair of quotes around it (a terminal's drag and drop)
 * dropped, and a leading ~ or ~USER made the home folder (left as typed
 * when that folder is unknown: the error then names the path). */
static void
expand_path(const char *typed, char *out, size_t len)
{
	char buf[1024], user[256];
	const char *p = typed, *home = NULL, *rest;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	snprintf(buf, sizeof buf, "%s", p);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	if (n >= 2 && (buf[0] == '\'' || buf[0] == '"') && buf[n - 1] == buf[0]) {
		buf[n - 1] = '\0';
		memmove(buf, buf + 1, n - 1);
	}
	snprintf(out, len, "%s", buf);
	if (buf[0] != '~')
		return;
	rest = buf + 1 + strcspn(buf + 1, "/");
	if (rest == buf + 1) {
		home = getenv("HOME");
		if (home == NULL || *home == '\0') {
			struct passwd *pw = getpwuid(getuid());

			home = pw != NULL ? pw->pw_dir : NULL;
		}
	} else if ((size_t)(rest - buf - 1) < sizeof user) {
		struct passwd *pw;

		memcpy(user, buf + 1, (size_t)(rest - buf - 1));
		user[rest - buf - 1] = '\0';
		pw = getpwnam(user);
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home != NULL)
		snprintf(out, len, "%s%s", home, rest);
}

/* The language item: the other language's own name, or an ASCII form of it
 * where the locale cannot show Chinese (LC_ALL=C). */
static void
language_item(const struct tt_cli *cli, char *buf, size_t len)
{
	if (cli->zh)
		snprintf(buf, len, "%s", _("Language: 中文 (switch to English)"));
	else if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		snprintf(buf, len, "%s", _("Language: English (switch to 中文)"));
	else
		snprintf(buf, len, "%s", _("Language: English (switch to Chinese, zh_CN)"));
}

static const char *
menu_help(void)
{
	return _("tcptutor shows how TCP connections live and die, segment by segment, as\n"
	         "RFC 9293 describes them.\n"
	         "\n"
	         "  Lessons   the story from \"TCP vs UDP\" to keep-alive, with checkpoints\n"
	         "  Sandbox   both hosts under your keys: listen, connect, send, close,\n"
	         "            abort; the wire under your keys too: drop, duplicate,\n"
	         "            delay, advance time, crash a host; o there opens the\n"
	         "            challenge: take every transition of the state diagram\n"
	         "  Replay    step through a real capture (pcap/pcapng), both endpoints'\n"
	         "            states inferred by the same engine\n"
	         "  Quiz      interview-style questions with explanations\n"
	         "  Live      this machine's own connections on loopback as they happen,\n"
	         "            the kernel's states beside the inferred ones (needs root)\n"
	         "\n"
	         "In every step view: n / Space / Right next, p / Left back, Enter the full\n"
	         "segment, a auto-play, ? every key, q back. In this menu: arrows and Enter,\n"
	         "or the item's number; q quits.\n"
	         "\n"
	         "From a shell: tcptutor lesson --list, tcptutor replay FILE, tcptutor quiz,\n"
	         "and --batch for plain tables (see tcptutor --help).\n");
}

int
cmd_menu(const struct tt_cli *cli_in)
{
	struct tt_cli cli = *cli_in;
	struct ui_opts o;
	char err[256];
	size_t start = 0;

	if (ui_begin(err, sizeof err) != 0) {
		tt_warn("%s", err);
		return TT_EXIT_FAIL;
	}
	for (;;) {
		char lang[128];
		const char *items[9];
		char *argv[2];
		char path[1024] = "", full[4096];
		int pick;

		tt_ui_opts(&cli, &o);
		language_item(&cli, lang, sizeof lang);
		items[0] = _("Lessons        learn the TCP state machine step by step");
		items[1] = _("Sandbox        both hosts and the wire under your keys");
		items[2] = _("Replay         the bundled sample capture");
		items[3] = _("Replay a file  open a pcap or pcapng capture");
		items[4] = _("Quiz           interview questions with explanations");
		items[5] = lang;
		items[6] = _("Help");
		items[7] = _("Watch live     this machine's connections on lo, as they happen");
		items[8] = _("Quit");
		pick = ui_pick_ex(_("tcptutor: the TCP state machine, step by step"),
		                  _("Choose with the arrows and Enter, or press the number."), items, 9,
		                  start, &o);
		if (pick < 0 && ui_error()[0] != '\0') {
			ui_end();
			return tt_ui_result(TT_EXIT_FAIL);
		}
		if (pick < 0 || pick == 8)
			break;
		start = (size_t)pick;
		switch (pick) {
		case 0:
			menu_lessons(&cli, &o);
			break;
		case 1:
			if (sandbox_screen(&o) != 0 && ui_error()[0] != '\0')
				ui_message(_("Error"), ui_error(), &o);
			break;
		case 2:
			guarded(cmd_replay, &cli, 0, NULL, &o);
			break;
		case 3:
			if (ui_input(_("Replay a file"), _("Path of a pcap or pcapng file:"), path, sizeof path,
			             &o) != 0)
				break;
			expand_path(path, full, sizeof full);
			if (full[0] != '\0') {
				argv[0] = full;
				argv[1] = NULL;
				guarded(cmd_replay, &cli, 1, argv, &o);
			}
			break;
		case 4:
			guarded(cmd_quiz, &cli, 0, NULL, &o);
			break;
		case 5:
			switch_language(&cli);
			break;
		case 6:
			if (ui_message(_("Help"), menu_help(), &o) != 0)
				tt_warn("%s", ui_error());
			break;
		case 7:
			/* what cannot be done (no privilege) is said in the box */
			guarded(live_in_child, &cli, 0, NULL, &o);
			break;
		}
	}
	ui_end();
	return TT_EXIT_OK;
}
