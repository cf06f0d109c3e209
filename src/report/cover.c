/* report/cover.c: --coverage, the batch form of the challenge. Which of
 * the transitions of tutor/cover.h a scenario's run took (both hosts
 * together) and which remain, in the list's order: text for people, TSV
 * (a header row, then one row per transition) or JSON lines. Writes only
 * to the FILE * it is given. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "report/cover.h"
#include "report/report.h"
#include "trace/trace.h"
#include "tutor/cover.h"

static const char *const host_ids[] = { "-", "client", "server", "both" };

static void
padded(FILE *f, const char *s, int width)
{
	fputs(s, f);
	for (int w = tt_text_width(s); w < width; w++)
		putc(' ', f);
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
json_row(FILE *f, const struct tt_cover_item *t, int on, const char *causes, const char *hosts)
{
	static const char *const keys[] = { "from", "to", "cause", "hosts", "label" };
	const char *vals[] = { tt_cover_item_from(t), tt_state_name(t->to), causes, hosts, t->label };

	fputs("{\"id\":", f);
	tt_json_string(f, t->id);
	fprintf(f, ",\"covered\":%s", on ? "true" : "false");
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		fprintf(f, ",\"%s\":", keys[k]);
		tt_json_string(f, vals[k]);
	}
	fputs("}\n", f);
}

static void
text(FILE *f, tt_cover_set set, const unsigned *host, unsigned outside)
{
	size_t n = tt_cover_nitems();

	fprintf(f, _("Transitions covered: %zu of %zu\n"), tt_cover_count(set), n);
	for (size_t i = 0; i < n; i++) {
		const struct tt_cover_item *t = tt_cover_item(i);
		int on = (int)((set >> i) & 1);

		fprintf(f, "[%c] ", on ? 'x' : ' ');
		padded(f, t->from_name != NULL ? _(t->from_name) : tt_cover_item_from(t), 12);
		fprintf(f, " -> ");
		padded(f, tt_state_name(t->to), 13);
		fputs(_(t->label), f);
		if (on)
			fprintf(f, " (%s)", host_text(host[i]));
		putc('\n', f);
	}
	if (outside > 0)
		fprintf(f, _("Not counted: %u state changes beyond RFC 9293's rules (a crash, the "
		         "two-way what-if, TIME-WAIT reopened, the FIN-WAIT-2 timeout).\n"), outside);
	if (set == tt_cover_all())
		fprintf(f, "%s\n", _("Every transition is covered."));
	else
		fprintf(f, _("Next: %s\n"), _(tt_cover_item((size_t)tt_cover_next(set))->how));
}

int
tt_report_cover(FILE *f, enum tt_format fmt, const struct tt_step *steps, size_t ns)
{
	size_t n = tt_cover_nitems();
	unsigned *host = calloc(n, sizeof *host), outside;
	tt_cover_set set;

	if (host == NULL)
		return -1;
	set = tt_cover_steps(ns > 0 ? steps : NULL, ns, host, &outside);
	if (fmt == TT_FMT_TEXT) {
		text(f, set, host, outside);
	} else {
		if (fmt == TT_FMT_TSV)
			fprintf(f, "covered\tid\tfrom\tto\tcause\thosts\tlabel\n");
		for (size_t i = 0; i < n; i++) {
			const struct tt_cover_item *t = tt_cover_item(i);
			int on = (int)((set >> i) & 1);
			char causes[64] = "";

			for (int c = 0; c < TT_COVER_CAUSE_OUTSIDE; c++)
				if (t->causes & (1u << c))
					snprintf(causes + strlen(causes), sizeof causes - strlen(causes), "%s%s",
					         causes[0] ? "," : "", tt_cover_cause_name((enum tt_cover_cause)c));
			if (fmt == TT_FMT_TSV)
				fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", on ? "yes" : "no", t->id,
				       tt_cover_item_from(t), tt_state_name(t->to), causes,
				       host_ids[host[i] & 3], t->label);
			else
				json_row(f, t, on, causes, host_ids[host[i] & 3]);
		}
	}
	free(host);
	return 0;
}
