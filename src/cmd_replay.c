/* cmd_replay.c: the 'replay' subcommand. */
#include "config.h"

#include "cli.h"
#include "i18n.h"

int
cmd_replay(const struct tt_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	tt_warn("%s", _("'replay' is not available in this build"));
	return TT_EXIT_FAIL;
}
