/* engine/preset.c: the two sets of timers and choices a struct tt_config
 * starts from, RFC 9293's and its companions' values, and Linux's defaults.
 * Pure, as the rest of the engine. */
#include "config.h"

#include <string.h>

#include "engine/tcp.h"

void
tt_config_default(struct tt_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->rto_initial = TT_SEC(1);   /* RFC 6298 §2.1 */
	cfg->rto_min = TT_SEC(1);       /* RFC 6298 §2.4 */
	cfg->rto_max = TT_SEC(60);
	/* MUST-23: a SYN is retransmitted for at least 3 minutes; with RTO
	 * 1, 2, 4, ... 60 s, seven retransmissions give up after 183 s. */
	cfg->syn_retries = 7;
	cfg->synack_retries = 7;
	cfg->data_retries = 15;
	cfg->msl = TT_SEC(120);         /* RFC 9293 §3.4.2: MSL of 2 minutes */
	cfg->ka_idle = TT_SEC(7200);    /* RFC 1122 §4.2.3.6: no less than two hours */
	cfg->ka_interval = TT_SEC(75);
	cfg->ka_probes = 10;
	cfg->delack = 0;
	cfg->rcv_wnd = 65535;
	cfg->mss = 1460;
	cfg->oow_ratelimit = TT_MS(500); /* RFC 5961 §7 asks for a limit */
	cfg->congestion = 1;            /* RFC 1122 §4.2.2.15: MUST */
	cfg->wscale = -1;               /* RFC 7323 is an extension: off */
}

void
tt_config_linux(struct tt_config *cfg)
{
	tt_config_default(cfg);
	cfg->ka_idle = TT_SEC(7200);    /* net.ipv4.tcp_keepalive_time */
	cfg->ka_interval = TT_SEC(75);  /* tcp_keepalive_intvl */
	cfg->ka_probes = 9;             /* tcp_keepalive_probes */
	cfg->msl = TT_SEC(30);          /* TCP_TIMEWAIT_LEN is a fixed 60 s */
	cfg->rto_min = TT_MS(200);      /* TCP_RTO_MIN */
	cfg->rto_max = TT_SEC(120);     /* TCP_RTO_MAX */
	cfg->syn_retries = 6;           /* tcp_syn_retries: gives up after 127 s */
	cfg->synack_retries = 5;        /* tcp_synack_retries */
	cfg->fin_timeout = TT_SEC(60);  /* tcp_fin_timeout */
	cfg->tw_reuse = 1;              /* tcp_timewait_state_process: TCP_TW_SYN */
	cfg->rst_ack = 1;               /* tcp_send_active_reset sends RST,ACK */
	cfg->oow_ratelimit = TT_MS(500); /* tcp_invalid_ratelimit */
	cfg->nagle = 1;                 /* unless TCP_NODELAY */
	cfg->initial_window = 10;       /* TCP_INIT_CWND, RFC 6928 */
	cfg->ecn = 2;                   /* tcp_ecn: agree when asked, never ask */
	cfg->cc = TT_CC_CUBIC;          /* tcp_congestion_control (no HyStart here) */
	cfg->wscale = 7;                /* tcp_window_scaling; the shift a 6 MiB
	                                   tcp_rmem maximum needs */
}
