/* engine/cookie.c: SYN cookies (RFC 4987 §3.6) in Linux's encoding
 * (net/ipv4/syncookies.c), and the two things a listening host's queues
 * ask of a TCB: a SYN,ACK answered from LISTEN without any state, and a
 * connection rebuilt from a returned cookie.
 *
 * Pure, as the rest of the engine: the caller passes the secret, the
 * addresses and the time; nothing here draws a random number or reads a
 * clock. The hash is SipHash-2-4, as Linux's cookie_hash().
 */
#include "config.h"

#include <string.h>

#include "engine/tcb.h"

/* Linux: COOKIEBITS, the low 24 bits hash and data, the top 8 the count */
#define COOKIE_BITS 24
#define COOKIE_MASK ((1u << COOKIE_BITS) - 1)

/* net/ipv4/syncookies.c msstab: sorted, index 0 also for "no option" */
static const uint16_t msstab[] = { 536, 1300, 1440, 1460 };
#define NMSS (sizeof msstab / sizeof msstab[0])

/* ---- SipHash-2-4 (Aumasson and Bernstein), little-endian words ---------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void
sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
	v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

static uint64_t
siphash(const uint64_t key[2], const uint8_t *in, size_t len)
{
	uint64_t v[4] = { key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
	                  key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull };
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, end = len - len % 8;

	for (i = 0; i < end; i += 8) {
		m = 0;
		for (int k = 7; k >= 0; k--)
			m = (m << 8) | in[i + (size_t)k];
		v[3] ^= m;
		sip_round(v);
		sip_round(v);
		v[0] ^= m;
	}
	for (size_t k = 0; k < len % 8; k++)
		b |= (uint64_t)in[end + k] << (8 * k);
	v[3] ^= b;
	sip_round(v);
	sip_round(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (int k = 0; k < 4; k++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Linux cookie_hash(): the 4-tuple and a count under secret c (0 or 1). */
static uint32_t
cookie_hash(const struct tt_cookie_secret *sec, const struct tt_cookie_id *id, uint32_t count,
            int c)
{
	uint8_t m[40];

	memcpy(m, id->saddr, 16);
	memcpy(m + 16, id->daddr, 16);
	m[32] = (uint8_t)(id->sport >> 8);
	m[33] = (uint8_t)id->sport;
	m[34] = (uint8_t)(id->dport >> 8);
	m[35] = (uint8_t)id->dport;
	m[36] = (uint8_t)(count >> 24);
	m[37] = (uint8_t)(count >> 16);
	m[38] = (uint8_t)(count >> 8);
	m[39] = (uint8_t)count;
	return (uint32_t)siphash(sec->k[c], m, sizeof m);
}

uint32_t
tt_cookie_count(tt_time now)
{
	return (uint32_t)(now / TT_COOKIE_PERIOD);
}

uint16_t
tt_cookie_mss(uint16_t mss)
{
	unsigned i;

	if (mss == 0)
		mss = TT_DEFAULT_MSS;   /* RFC 9293 §3.7.1: no option, 536 */
	for (i = NMSS - 1; i > 0 && mss < msstab[i]; i--)
		;
	return msstab[i];
}

/* Linux secure_tcp_syn_cookie(): H0(tuple) + ISN + count << 24 +
 * (H1(tuple, count) + MSS index) mod 2^24. */
uint32_t
tt_cookie_make(const struct tt_cookie_secret *sec, const struct tt_cookie_id *id,
               uint32_t peer_isn, uint16_t mss, tt_time now)
{
	uint32_t count = tt_cookie_count(now), ind;

	mss = tt_cookie_mss(mss);
	for (ind = 0; msstab[ind] != mss; ind++)
		;
	return cookie_hash(sec, id, 0, 0) + peer_isn + (count << COOKIE_BITS) +
	       ((cookie_hash(sec, id, count, 1) + ind) & COOKIE_MASK);
}

/* Linux check_tcp_syn_cookie() and __cookie_v4_check(). */
uint16_t
tt_cookie_check(const struct tt_cookie_secret *sec, const struct tt_cookie_id *id,
                uint32_t peer_isn, uint32_t cookie, tt_time now)
{
	uint32_t count = tt_cookie_count(now), diff, ind;

	cookie -= cookie_hash(sec, id, 0, 0) + peer_isn;
	diff = (count - (cookie >> COOKIE_BITS)) & (UINT32_MAX >> COOKIE_BITS);
	if (diff >= TT_COOKIE_MAX_AGE)
		return 0;
	ind = (cookie - cookie_hash(sec, id, count - diff, 1)) & COOKIE_MASK;
	return ind < NMSS ? msstab[ind] : 0;
}

/* ---- what the listening host asks of a TCB ------------------------------ */

void
tt_conn_cookie_synack(struct tt_conn *c, const struct tt_seg *syn, uint32_t cookie,
                      struct tt_out *out)
{
	uint32_t snd_max = c->snd_max;

	/* the listener stays in LISTEN: it records nothing of this SYN (not
	 * even what sending moves) */
	tcb_note(c, out, TT_R_COOKIE_SENT);
	tcb_emit(c, out, cookie, syn->seq + 1, TT_SYN | TT_ACK, NULL, 0);
	c->snd_max = snd_max;
}

void
tt_conn_cookie_open(struct tt_conn *c, const struct tt_seg *ack, uint16_t mss, tt_time now,
                    struct tt_out *out)
{
	/* a TCB as if SYN-RECEIVED had been: ISS the cookie, IRS the peer's */
	c->iss = ack->ack - 1;
	c->snd_una = c->snd_nxt = c->snd_max = c->sbuf_seq = ack->ack;
	c->irs = ack->seq - 1;
	c->rcv_nxt = ack->seq;
	c->peer_mss = mss;
	c->passive = 1;
	c->snd_wnd = c->snd_max_wnd = ack->wnd;
	c->snd_wl1 = ack->seq;
	c->snd_wl2 = ack->ack;
	c->rto = c->rto_base;
	tcb_set_state(c, out, TT_ESTABLISHED, TT_R_COOKIE_ACK, TT_E_NONE);
	tcb_idle_restart(c, now);
	/* what else the ACK carries is taken as ESTABLISHED takes it */
	if (ack->len > 0 || (ack->flags & TT_FIN))
		tt_conn_input(c, ack, now, out);
}

void
tt_conn_refuse(struct tt_conn *c, enum tt_reason r, struct tt_out *out)
{
	tcb_reset_and_delete(c, out, r);
}
