/* cmd_sandbox.c: the 'sandbox' subcommand. */
#include "config.h"

#include "cli.h"
#include "i18n.h"

int
cmd_sandbox(const struct tt_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	tt_warn("%s", _("'sandbox' is not available in this build"));
	return TT_EXIT_FAIL;
}

int
cmd_menu(const struct tt_cli *cli)
{
	(void)cli;
	tt_warn("%s", _("the menu is not available in this build"));
	return TT_EXIT_FAIL;
}
