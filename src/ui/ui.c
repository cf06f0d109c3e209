/* ui/ui.c: entry points not yet written. */
#include "config.h"

#include <stdio.h>

#include "ui/term.h"

int
ui_sandbox(const struct tt_sim_config *cfg, const struct ui_opts *opts)
{
	(void)cfg;
	(void)opts;
	fprintf(stderr, "tcptutor: the sandbox is not available in this build\n");
	return 1;
}
