/* tests/tt_check.h: shared helpers for the Check suites. */
#ifndef TT_CHECK_H
#define TT_CHECK_H

#include <check.h>
#include <stdlib.h>

/* Runs one suite and returns the process exit status. */
static inline int
tt_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
