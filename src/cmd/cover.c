/* cmd/cover.c: --coverage, the batch form of the challenge. Which of the
 * transitions of tutor/cover.h a scenario's run took (both hosts together)
 * and which remain, in the list's order: text for people, TSV (a header
 * row, then one row per transition) or JSON lines. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmd/cmd.h"
#include "i18n.h"
#include "report/report.h"
#include "sim/sim.h"
#include "tutor/cover.h"

static const char *const host_ids[] = { "-", "client", "server", "both" };

/* Columns a UTF-8 string takes on a terminal. */
static int
columns(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &st);

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			w++;
			s++;
			memset(&st, 0, sizeof st);
			continue;
		}
		w += wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		s += n;
	}
	return w;
}

static void
padded(const char *s, int width)
{
	fputs(s, stdout);
	for (int w = columns(s); w < width; w++)
		putchar(' ');
}

static const char *
host_text(unsigned h)
{
	switch (h) {
	case 1: return _("client");
	case 2: return _("server");
	case 3: return _("both");
	default: return "";
	}
}

/* One transition as a JSON object, its strings through the report's
 * escaping. */
static void
json_row(const struct tt_cover_item *t, int on, const char *causes, const char *hosts)
{
	static const char *const keys[] = { "from", "to", "cause", "hosts", "label" };
	const char *vals[] = { tt_cover_item_from(t), tt_state_name(t->to), causes, hosts, t->label };

	fputs("{\"id\":", stdout);
	tt_json_string(stdout, t->id);
	printf(",\"covered\":%s", on ? "true" : "false");
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		printf(",\"%s\":", keys[k]);
		tt_json_string(stdout, vals[k]);
	}
	fputs("}\n", stdout);
}

static void
text(tt_cover_set set, const unsigned *host, unsigned outside)
{
	size_t n = tt_cover_nitems();

	printf(_("Transitions covered: %zu of %zu\n"), tt_cover_count(set), n);
	for (size_t i = 0; i < n; i++) {
		const struct tt_cover_item *t = tt_cover_item(i);
		int on = (int)((set >> i) & 1);

		printf("[%c] ", on ? 'x' : ' ');
		padded(t->from_name != NULL ? _(t->from_name) : tt_cover_item_from(t), 12);
		printf(" -> ");
		padded(tt_state_name(t->to), 13);
		fputs(_(t->label), stdout);
		if (on)
			printf(" (%s)", host_text(host[i]));
		putchar('\n');
	}
	if (outside > 0)
		printf(_("Not counted: %u state changes beyond RFC 9293's rules (a crash, the "
		         "two-way what-if, TIME-WAIT reopened, the FIN-WAIT-2 timeout).\n"), outside);
	if (set == tt_cover_all())
		printf("%s\n", _("Every transition is covered."));
	else
		printf(_("Next: %s\n"), _(tt_cover_item((size_t)tt_cover_next(set))->how));
}

int
tt_cover_report(const struct tt_cli *cli, const struct tt_sim *s)
{
	size_t n = tt_cover_nitems(), ns = tt_sim_nsteps(s);
	unsigned *host = calloc(n, sizeof *host), outside;
	tt_cover_set set;

	if (host == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	set = tt_cover_steps(ns > 0 ? tt_sim_step(s, 0) : NULL, ns, host, &outside);
	if (cli->format == TT_REPORT_TEXT) {
		text(set, host, outside);
	} else {
		if (cli->format == TT_REPORT_TSV)
			printf("covered\tid\tfrom\tto\tcause\thosts\tlabel\n");
		for (size_t i = 0; i < n; i++) {
			const struct tt_cover_item *t = tt_cover_item(i);
			int on = (int)((set >> i) & 1);
			char causes[64] = "";

			for (int c = 0; c < TT_CAUSE_OUTSIDE; c++)
				if (t->causes & (1u << c))
					snprintf(causes + strlen(causes), sizeof causes - strlen(causes), "%s%s",
					         causes[0] ? "," : "", tt_cause_name((enum tt_cause)c));
			if (cli->format == TT_REPORT_TSV)
				printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", on ? "yes" : "no", t->id,
				       tt_cover_item_from(t), tt_state_name(t->to), causes,
				       host_ids[host[i] & 3], t->label);
			else
				json_row(t, on, causes, host_ids[host[i] & 3]);
		}
	}
	free(host);
	return TT_EXIT_OK;
}
