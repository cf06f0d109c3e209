/* sim/scenario.h: what the scenario reader's files share, private to
 * src/sim. scenario.c reads lines and actions and runs them; settings.c
 * reads the `host` and `set` lines into the simulation's configuration.
 */
#ifndef TT_SIM_SCENARIO_H
#define TT_SIM_SCENARIO_H

#include "base/base.h"
#include "sim/sim.h"

#define MAXWORDS 16
#define NELEM(a) (sizeof (a) / sizeof (a)[0])

struct tt_scenario {
	struct tt_sim_config cfg;
	struct tt_action *act;
	unsigned *line;          /* where each action was written */
	size_t nact, cap, capline; /* act[] and line[] */
	char fname[256];
	unsigned cur_line;
	int iss_set[2];          /* iss= given on the host line */
};

/* The words of one line. A double-quoted word may hold blanks (and '#'). */
struct words {
	int n;
	char *w[MAXWORDS];
	unsigned char quoted[MAXWORDS];
};


/* "client" / "server": TT_CLIENT / TT_SERVER, else -1. */
int sim_scn_host_index(const char *w);
/* Seconds, a fraction allowed ("0.5"), at most 1e9, into microseconds;
 * 0, or -1. */
int sim_scn_seconds(const char *w, tt_time *t);
/* A decimal 32-bit number; 0, or -1. */
int sim_scn_u32(const char *w, uint32_t *v);
/* on/yes/1: 1, off/no/0: 0, else -1. */
int sim_scn_onoff(const char *w);

/* A `host` line (w[0] == "host", n words): 1, or -1 with a message. */
int sim_scn_host(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen);
/* A `set` line: 1, or -1 with a message. */
int sim_scn_set(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen);

#endif
