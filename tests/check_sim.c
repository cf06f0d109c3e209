/* tests/check_sim.c */
#include "config.h"
#include "tt_check.h"

START_TEST(test_placeholder_sim)
{
	ck_assert_int_eq(1, 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_placeholder_sim);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
