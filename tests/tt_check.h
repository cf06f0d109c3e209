/* tests/tt_check.h: shared helpers for the Check suites. */
#ifndef TT_CHECK_H
#define TT_CHECK_H

#include <check.h>
#include <stddef.h>
#include <stdlib.h>

#include "engine/tcp.h"

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

/* A state change RFC 9293's diagram allows: Figure 5, and the extra edges
 * this engine may take (to CLOSED on a RST, an ABORT, a timeout or a crash;
 * a passive SYN-RECEIVED back to LISTEN; TIME-WAIT reopened, RFC 1122
 * §4.2.2.13). -1 as `from`: any state; as `why`: for whatever reason. The
 * property test's invariant 1 and the observer's tests share it. */
static inline int
tt_check_edge_allowed(enum tt_state from, enum tt_state to, enum tt_reason why)
{
	enum { ANY_STATE = -1, ANY_REASON = -1 };
	static const struct edge {
		int from, to, why;
	} edges[] = {
	/* RFC 9293 §3.3.2, Figure 5 */
	{ TT_CLOSED, TT_LISTEN, ANY_REASON },
	{ TT_CLOSED, TT_SYN_SENT, ANY_REASON },
	{ TT_LISTEN, TT_SYN_SENT, ANY_REASON },
	{ TT_LISTEN, TT_SYN_RECEIVED, ANY_REASON },
	{ TT_LISTEN, TT_CLOSED, ANY_REASON },
	{ TT_SYN_SENT, TT_SYN_RECEIVED, ANY_REASON },
	{ TT_SYN_SENT, TT_ESTABLISHED, ANY_REASON },
	{ TT_SYN_SENT, TT_CLOSED, ANY_REASON },
	{ TT_SYN_RECEIVED, TT_ESTABLISHED, ANY_REASON },
	{ TT_SYN_RECEIVED, TT_FIN_WAIT_1, ANY_REASON },
	{ TT_ESTABLISHED, TT_FIN_WAIT_1, ANY_REASON },
	{ TT_ESTABLISHED, TT_CLOSE_WAIT, ANY_REASON },
	{ TT_FIN_WAIT_1, TT_FIN_WAIT_2, ANY_REASON },
	{ TT_FIN_WAIT_1, TT_CLOSING, ANY_REASON },
	{ TT_FIN_WAIT_2, TT_TIME_WAIT, ANY_REASON },
	{ TT_CLOSE_WAIT, TT_LAST_ACK, ANY_REASON },
	{ TT_CLOSING, TT_TIME_WAIT, ANY_REASON },
	{ TT_LAST_ACK, TT_CLOSED, ANY_REASON },
	{ TT_TIME_WAIT, TT_CLOSED, ANY_REASON },
	/* any state to CLOSED: a RST, ABORT, close()'s RST, a timeout, a crash */
	{ ANY_STATE, TT_CLOSED, TT_R_RST_RESET },
	{ ANY_STATE, TT_CLOSED, TT_R_RST_CLOSE },
	{ ANY_STATE, TT_CLOSED, TT_R_RST_SYNRCVD_ACTIVE },
	{ ANY_STATE, TT_CLOSED, TT_R_SYNSENT_RST },
	{ ANY_STATE, TT_CLOSED, TT_R_ABORT },
	{ ANY_STATE, TT_CLOSED, TT_R_ABORT_QUIET },
	{ ANY_STATE, TT_CLOSED, TT_R_CLOSE_UNREAD_RST },
	{ ANY_STATE, TT_CLOSED, TT_R_DATA_AFTER_CLOSE },
	{ ANY_STATE, TT_CLOSED, TT_R_RTX_GIVE_UP },
	{ ANY_STATE, TT_CLOSED, TT_R_USER_TIMEOUT },
	{ ANY_STATE, TT_CLOSED, TT_R_KEEPALIVE_GIVE_UP },
	{ ANY_STATE, TT_CLOSED, TT_R_ZERO_WINDOW_GIVE_UP },
	{ ANY_STATE, TT_CLOSED, TT_R_FIN_WAIT_2_TIMEOUT },
	{ ANY_STATE, TT_CLOSED, TT_R_HOST_CRASH },
	/* a passive SYN-RECEIVED falls back to LISTEN on a RST or a SYN */
	{ TT_SYN_RECEIVED, TT_LISTEN, TT_R_RST_SYNRCVD_PASSIVE },
	{ TT_SYN_RECEIVED, TT_LISTEN, TT_R_SYN_SYNRCVD_PASSIVE },
	/* RFC 1122 §4.2.2.13: a new SYN reopens TIME-WAIT */
	{ TT_TIME_WAIT, TT_SYN_RECEIVED, TT_R_TW_REOPEN },
	/* Linux's listen queue: a RST for the ACK the full accept queue cannot
	 * take; a connection rebuilt from a SYN cookie (RFC 4987 §3.6) */
	{ TT_SYN_RECEIVED, TT_CLOSED, TT_R_ACCEPTQ_FULL_RST },
	{ TT_LISTEN, TT_ESTABLISHED, TT_R_COOKIE_ACK },
	/* a FIN that also acknowledges ours */
	{ TT_FIN_WAIT_1, TT_TIME_WAIT, TT_R_FIN_FW1_ACKED },
};

	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		const struct edge *e = &edges[i];

		if ((e->from == ANY_STATE || e->from == (int)from) && e->to == (int)to &&
		    (e->why == ANY_REASON || e->why == (int)why))
			return 1;
	}
	return 0;
}

#endif
