/* bench/ui.c: how long one redraw of the step view takes at 160x48 (and at
 * 80x24), against the 16 ms of a frame at 60 Hz. The story is a bundled
 * scenario run by the simulator; the screen is drawn into a terminal whose
 * output goes to /dev/null, so this times our drawing and curses' work to
 * compute the update, not a terminal emulator. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "ui/stepview.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "lessons/scenarios/data-transfer.scenario";
	int frames = argc > 2 ? atoi(argv[2]) : 500;
	char err[256], e0[64], e1[64], *buf;
	struct tt_scenario *sc;
	struct tt_sim *sim;
	struct tt_step *steps;
	struct ui_story story;
	size_t len, n;
	static const struct { int cols, rows, present, graph; } sizes[] = {
		{ 160, 48, 0, 0 }, { 80, 24, 0, 0 }, { 160, 48, 1, 0 },
		{ 160, 48, 0, 1 }, { 160, 48, 0, 2 }, { 160, 48, 0, 3 }, { 80, 24, 0, 3 },
	};
	static const char *const graphs[] = {
		"", ", windows", ", cwnd chart", ", time-sequence graph"
	};

	setlocale(LC_ALL, "C.UTF-8");
	buf = slurp(path, &len);
	if (buf == NULL) {
		fprintf(stderr, "bench/ui: cannot read %s\n", path);
		return 1;
	}
	sc = tt_scenario_parse(buf, len, path, err, sizeof err);
	free(buf);
	if (sc == NULL || (sim = tt_scenario_run(sc, NULL, err, sizeof err)) == NULL) {
		fprintf(stderr, "bench/ui: %s\n", err);
		return 1;
	}
	n = tt_sim_nsteps(sim);
	steps = calloc(n ? n : 1, sizeof *steps);
	if (steps == NULL)
		return 1;
	for (size_t i = 0; i < n; i++)
		steps[i] = *tt_sim_step(sim, i);
	memset(&story, 0, sizeof story);
	story.title = path;
	story.endpoint[0] = tt_sim_endpoint(sim, 0, e0, sizeof e0);
	story.endpoint[1] = tt_sim_endpoint(sim, 1, e1, sizeof e1);
	story.steps = steps;
	story.nsteps = n;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		double ms = sv_bench(&story, sizes[k].cols, sizes[k].rows, frames, sizes[k].present,
		                     sizes[k].graph);

		if (ms < 0) {
			fprintf(stderr, "bench/ui: no terminal type to draw with\n");
			return 1;
		}
		printf("step view %dx%d%s%s: %.3f ms per redraw (%zu steps, %d frames); "
		       "%.1f%% of a 16 ms frame\n", sizes[k].cols, sizes[k].rows,
		       sizes[k].present ? " presenter" : "", graphs[sizes[k].graph], ms, n, frames,
		       ms / 16.0 * 100.0);
	}
	/* A long capture: the segments repeated to 100,000 rows, as replay shows them. */
	{
		size_t big = 100000, k = 0;
		struct tt_step *many = calloc(big, sizeof *many);
		double ms;

		if (many == NULL)
			return 1;
		while (k < big)
			for (size_t i = 0; i < n && k < big; i++)
				if (steps[i].kind == TT_STEP_SEGMENT) {
					many[k] = steps[i];
					many[k].frame = k + 1;
					k++;
				}
		story.steps = many;
		story.nsteps = big;
		story.replay = 1;
		for (int gr = 0; gr <= 3; gr++) {
			ms = sv_bench(&story, 160, 48, frames, 0, gr);
			printf("step view 160x48, replay of %zu segments%s: %.3f ms per redraw; "
			       "%.1f%% of a 16 ms frame\n", big, graphs[gr], ms, ms / 16.0 * 100.0);
		}
		/* a chart of the whole capture is drawn once, then only its cursor moves */
		for (int gr = 0; gr <= 3; gr++) {
			ms = sv_bench(&story, 160, 48, 1, 0, gr);
			printf("step view 160x48, replay of %zu segments%s, first redraw: %.3f ms\n", big,
			       graphs[gr], ms);
		}
		free(many);
	}
	free(steps);
	tt_sim_free(sim);
	tt_scenario_free(sc);
	return 0;
}
