/* cmd/scenario.c: plain scenario files (lessons/scenarios/NAME.scenario):
 * the engine runs the actions and the table is printed, or shown in the step
 * view; --write also writes the segments as a capture (cmd/write.c). Used by
 * 'lesson FILE.scenario' and by 'sandbox --batch' on stdin. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "report/cover.h"
#include "report/report.h"
#include "sim/sim.h"
#include "ui/ui.h"

/* Reads a whole file, or standard input for "-"; NULL after a message. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		tt_warn(_("%s: cannot open: %s"), path, strerror(errno));
		return NULL;
	}
	buf = tt_read_stream(f, (size_t)16 << 20, len);
	if (buf == NULL && errno == EFBIG)
		tt_warn(_("%s: scenario larger than 16 MiB"), path);
	else if (buf == NULL && errno == ENOMEM)
		tt_warn("%s", _("out of memory"));
	else if (buf == NULL)
		tt_warn("%s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	return buf;
}

/* Each step's own connection: a new connection's port, a flood's spoofed
 * source. */
static const char *
stream_endpoint(void *ctx, size_t i, int h)
{
	static char ep[2][80];
	const struct tt_sim *s = ctx;
	const struct tt_step *st = tt_sim_step(s, i);

	if (st == NULL || tt_sim_nstreams(s) < 2)
		return NULL;
	return tt_sim_stream_endpoint(s, st->stream, h & 1, ep[h & 1], sizeof ep[h & 1]);
}

static int
show(const struct tt_cli *cli, const struct tt_sim *s, const char *title)
{
	struct ui_story story;
	struct ui_opts opts;
	char ep[2][64];

	memset(&story, 0, sizeof story);
	story.title = title;
	story.endpoint[0] = tt_sim_endpoint(s, TT_CLIENT, ep[0], sizeof ep[0]);
	story.endpoint[1] = tt_sim_endpoint(s, TT_SERVER, ep[1], sizeof ep[1]);
	story.nsteps = tt_sim_nsteps(s);
	story.steps = tt_sim_nsteps(s) ? tt_sim_step(s, 0) : NULL;
	story.ctx = (void *)s;
	story.endpoint_of = stream_endpoint;
	tt_ui_opts(cli, &opts);
	opts.absolute = 0;          /* as before: --absolute is for the table */
	return tt_ui_result(ui_stepview(&story, &opts));
}

static int run_scenario(const struct tt_cli *cli, const char *path, int batch);

int
tt_scenario_command(const struct tt_cli *cli, const char *path)
{
	return run_scenario(cli, path, cli->batch);
}

int
tt_scenario_batch(const struct tt_cli *cli, const char *path)
{
	return run_scenario(cli, path, 1);
}

static int
run_scenario(const struct tt_cli *cli, const char *path, int batch)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct tt_scenario *sc;
	struct tt_sim *s;
	struct tt_report *r;
	char err[1024];
	size_t len;
	char *buf = slurp(path, &len);
	int rc = TT_EXIT_OK;

	if (buf == NULL)
		return TT_EXIT_FAIL;
	sc = tt_scenario_parse(buf, len, name, err, sizeof err);
	free(buf);
	if (sc == NULL) {
		tt_warn("%s", err);
		return TT_EXIT_FAIL;
	}
	s = tt_scenario_run(sc, NULL, err, sizeof err);
	tt_scenario_free(sc);
	if (s == NULL) {
		tt_warn("%s", err);
		return TT_EXIT_FAIL;
	}
	if (!batch) {
		/* --write: the file first, its error before the screen opens */
		if (cli->write_path != NULL)
			rc = tt_write_sims(cli->write_path, (const struct tt_sim *const *)&s, 1);
		if (rc == TT_EXIT_OK)
			rc = show(cli, s, name);
		tt_sim_free(s);
		return rc;
	}
	/* --coverage: the transitions taken instead of the table */
	if (cli->coverage) {
		size_t ns = tt_sim_nsteps(s);

		if (tt_report_cover(stdout, cli->format, ns > 0 ? tt_sim_step(s, 0) : NULL, ns) < 0) {
			tt_warn("%s", _("out of memory"));
			rc = TT_EXIT_FAIL;
		} else {
			rc = TT_EXIT_OK;
		}
	} else {
		struct tt_trace tr;

		r = tt_report_new(stdout, cli->format);
		if (r == NULL) {
			tt_warn("%s", _("out of memory"));
			tt_sim_free(s);
			return TT_EXIT_FAIL;
		}
		if (cli->tcb)
			tt_report_tcb(r);
		tt_report_header(r);
		tt_sim_trace(s, &tr);
		tt_report_trace(r, &tr, cli->absolute, 1);
		tt_report_free(r);
	}
	if (tt_flush_output() < 0)
		rc = TT_EXIT_FAIL;
	/* --write: after the table, which a file that cannot be written does
	 * not hide */
	if (cli->write_path != NULL &&
	    tt_write_sims(cli->write_path, (const struct tt_sim *const *)&s, 1) != TT_EXIT_OK)
		rc = TT_EXIT_FAIL;
	tt_sim_free(s);
	return rc;
}
