/* cmd_quiz.c: the 'quiz' subcommand. */
#include "config.h"

#include "cli.h"
#include "i18n.h"

int
cmd_quiz(const struct tt_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	tt_warn("%s", _("'quiz' is not available in this build"));
	return TT_EXIT_FAIL;
}
