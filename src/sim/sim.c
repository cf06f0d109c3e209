/* sim/sim.c: two hosts, a wire with per-direction delay and faults, and a
 * virtual clock, driven one action at a time.
 *
 * Every action appends steps to the trace (see sim.h). Segments in flight
 * wait on the wire until they are delivered: `deliver` takes the one that
 * arrives first, `advance` lets time flow and delivers whatever arrives on
 * the way, firing the hosts' timers in order. Faults are armed for "the
 * next segment" that matches and spent when one does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "sim/host.h"

struct flight {
	int from;
	unsigned stream;
	tt_time sent, arrive;
	tt_time left;            /* when it left the bottleneck (its sender's link) */
	struct tt_seg seg;
	uint8_t *data;
	unsigned notes;
	unsigned long order;     /* tie-break: first sent, first delivered */
};

struct fault {
	enum tt_fault_kind kind;
	unsigned flags;          /* 0: any segment */
	int toward;              /* -1: either direction */
	tt_time amount;
	unsigned skip;           /* matching segments still to let pass (#N) */
};

/* One stream: a pair of ports and one incarnation of the connection on it,
 * with what each side has put on the wire there (for the notes). */
struct stream {
	uint16_t port[2];        /* the client's, the server's */
	int sock[2];             /* each host's socket in it, or -1 */
	uint32_t sent_max[2];
	int sent_any[2];
	uint32_t last_ack[2], last_wnd[2];
	int last_ack_valid[2];   /* the host's last segment was a pure ACK */
	unsigned last_flags[2];
	int probe_out[2];        /* a keep-alive probe from host i is in flight */
	unsigned spoof;          /* a flood's stream: its source is spoofed address N
	                            (from 1), no host; 0: the client's */
};

struct tt_sim {
	struct tt_sim_config cfg;
	struct sim_host host[2];
	int down[2];             /* powered off: segments to it vanish */
	tt_time now;
	unsigned action;

	struct flight *fl;
	size_t nfl, capfl;
	unsigned long order;

	struct fault faults[16];
	size_t nfaults;

	struct tt_step *steps;
	size_t nsteps, capsteps;
	uint64_t rows;
	/* the payload that crossed the wire in each segment step, beside the
	 * steps (capsteps entries): an offset into one byte arena, NO_PAYLOAD
	 * for none (seg.len is its length) */
	size_t *payload;
	uint8_t *bytes;
	size_t nbytes, capbytes;

	struct stream *streams;
	size_t nstreams, capstreams;
	unsigned last_stream;    /* of the latest step: where listener events go */

	unsigned long work;      /* arrivals and timers in the current action */
	unsigned long cut;       /* segments and events of the current action that
	                            did not fit in a struct tt_out */
	tt_time link_free[2];    /* each bottleneck is busy sending until then */
	uint64_t rng;            /* the random loss's state (xorshift64) */
	unsigned nspoof;         /* spoofed sources a flood used so far */
};

/* The simulator's limits, counted per action: an action that gets there has
 * hosts that do not settle (segments or timers without end), and tt_sim_do
 * says so instead of running for ever. */
#define SIM_MAX_DELIVERIES 100000   /* segments one run (deliver all) delivers */
#define SIM_MAX_WORK 200000         /* arrivals and timers in one action */

#define NO_PAYLOAD ((size_t)-1)

static const char *const action_names[TT_A_NACTIONS] = {
	[TT_A_LISTEN] = "listen", [TT_A_CONNECT] = "connect", [TT_A_SEND] = "send",
	[TT_A_RECEIVE] = "receive", [TT_A_CLOSE] = "close", [TT_A_SHUTDOWN] = "shutdown",
	[TT_A_ABORT] = "abort",
	[TT_A_KEEPALIVE] = "keepalive", [TT_A_DELIVER] = "deliver", [TT_A_DELIVER_ALL] = "run",
	[TT_A_DROP] = "drop", [TT_A_DUPLICATE] = "duplicate", [TT_A_DELAY] = "delay",
	[TT_A_ADVANCE] = "advance", [TT_A_CRASH] = "crash", [TT_A_INJECT] = "inject",
	[TT_A_ACCEPT] = "accept", [TT_A_FLOOD] = "flood",
};

const char *
tt_action_name(enum tt_action_kind k)
{
	return (unsigned)k < TT_A_NACTIONS ? action_names[k] : "?";
}

void
tt_sim_config_default(struct tt_sim_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	/* RFC 5737 documentation addresses */
	snprintf(cfg->host[0].name, sizeof cfg->host[0].name, "client");
	snprintf(cfg->host[0].addr, sizeof cfg->host[0].addr, "192.0.2.1");
	cfg->host[0].port = 49152;
	cfg->host[0].iss = 1000;
	snprintf(cfg->host[1].name, sizeof cfg->host[1].name, "server");
	snprintf(cfg->host[1].addr, sizeof cfg->host[1].addr, "198.51.100.2");
	cfg->host[1].port = 80;
	cfg->host[1].iss = 5000;
	tt_config_default(&cfg->host[0].tcp);
	tt_config_default(&cfg->host[1].tcp);
	for (int h = 0; h < 2; h++) {
		/* no queues unless a backlog is set; Linux's defaults otherwise */
		cfg->host[h].listen.backlog = -1;
		cfg->host[h].listen.max_syn_backlog = 128;
		cfg->host[h].listen.abort_on_overflow = 0;
		cfg->host[h].listen.syncookies = 1;
		tt_sim_secret(0, h, &cfg->host[h].secret);
	}
	cfg->delay[0] = cfg->delay[1] = TT_MS(50);
}

/* splitmix64: the seed's stream of numbers */
static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void
tt_sim_secret(uint64_t seed, int host, struct tt_cookie_secret *sec)
{
	uint64_t z = mix64(seed ^ (0x5eed0000ull + (uint64_t)host));

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			sec->k[i][j] = z = mix64(z);
}

struct tt_sim *
tt_sim_new(const struct tt_sim_config *cfg)
{
	struct tt_sim *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	s->rng = cfg->loss_seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (s->rng == 0)
		s->rng = 1;
	for (int i = 0; i < 2; i++) {
		if (sim_host_init(&s->host[i], &cfg->host[i]) == -1) {
			tt_sim_free(s);
			return NULL;
		}
	}
	return s;
}

void
tt_sim_free(struct tt_sim *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < 2; i++)
		sim_host_free(&s->host[i]);
	for (size_t i = 0; i < s->nfl; i++)
		free(s->fl[i].data);
	free(s->fl);
	free(s->steps);
	free(s->payload);
	free(s->bytes);
	free(s->streams);
	free(s);
}

size_t
tt_sim_nsteps(const struct tt_sim *s)
{
	return s->nsteps;
}

const struct tt_step *
tt_sim_step(const struct tt_sim *s, size_t i)
{
	return i < s->nsteps ? &s->steps[i] : NULL;
}

const uint8_t *
tt_sim_payload(const struct tt_sim *s, size_t i)
{
	if (i >= s->nsteps || s->payload[i] == NO_PAYLOAD)
		return NULL;
	return s->bytes + s->payload[i];
}

tt_time
tt_sim_now(const struct tt_sim *s)
{
	return s->now;
}

size_t
tt_sim_in_flight(const struct tt_sim *s)
{
	return s->nfl;
}

const struct tt_sim_config *
tt_sim_config(const struct tt_sim *s)
{
	return &s->cfg;
}

static char *
endpoint(const struct tt_host_config *h, uint16_t port, char *buf, size_t len)
{
	if (strchr(h->addr, ':') != NULL)
		snprintf(buf, len, "[%s]:%u", h->addr, port);
	else
		snprintf(buf, len, "%s:%u", h->addr, port);
	return buf;
}

char *
tt_sim_endpoint(const struct tt_sim *s, int host, char *buf, size_t len)
{
	return endpoint(&s->cfg.host[host & 1], s->cfg.host[host & 1].port, buf, len);
}

/* Spoofed source n (from 1): RFC 2544's benchmarking range for IPv4,
 * documentation addresses (RFC 3849) for IPv6. */
static void
spoof_addr(const struct tt_sim *s, unsigned n, char *buf, size_t len)
{
	if (strchr(s->cfg.host[TT_SERVER].addr, ':') != NULL)
		snprintf(buf, len, "2001:db8:ffff::%x", n);
	else
		snprintf(buf, len, "198.%u.%u.%u", 18 + ((n >> 16) & 1), (n >> 8) & 255, n & 255);
}

const char *
tt_sim_stream_addr(const struct tt_sim *s, unsigned stream, int host, char *buf, size_t len)
{
	if (stream < s->nstreams && s->streams[stream].spoof && (host & 1) == TT_CLIENT)
		spoof_addr(s, s->streams[stream].spoof, buf, len);
	else
		snprintf(buf, len, "%s", s->cfg.host[host & 1].addr);
	return buf;
}

char *
tt_sim_stream_endpoint(const struct tt_sim *s, unsigned stream, int host, char *buf,
                       size_t len)
{
	uint16_t port = stream < s->nstreams ? s->streams[stream].port[host & 1]
	                                      : s->cfg.host[host & 1].port;
	struct tt_host_config h = s->cfg.host[host & 1];

	tt_sim_stream_addr(s, stream, host, h.addr, sizeof h.addr);
	return endpoint(&h, port, buf, len);
}

size_t
tt_sim_nstreams(const struct tt_sim *s)
{
	return s->nstreams;
}

void
tt_sim_seq_bases(const struct tt_sim *s, uint32_t (*base)[2])
{
	/* have[k][h]: 0 nothing yet, 1 a segment, 2 a SYN */
	unsigned char (*have)[2] = calloc(s->nstreams ? s->nstreams : 1, sizeof *have);

	for (size_t k = 0; k < s->nstreams; k++) {
		base[k][0] = s->cfg.host[0].iss;
		base[k][1] = s->cfg.host[1].iss;
	}
	for (size_t i = 0; i < s->nsteps && have != NULL; i++) {
		const struct tt_step *st = &s->steps[i];
		unsigned char want;

		if (st->kind != TT_STEP_SEGMENT || st->stream >= s->nstreams)
			continue;
		want = (st->seg.flags & TT_SYN) ? 2 : 1;
		if (have[st->stream][st->dir] < want && have[st->stream][st->dir] != 2) {
			if (have[st->stream][st->dir] == 0 || want == 2)
				base[st->stream][st->dir] = st->seg.seq;
			have[st->stream][st->dir] = want;
		}
	}
	free(have);
}

void
tt_sim_view(const struct tt_sim *s, int host, struct tt_tcb_view *v)
{
	tt_conn_view(sim_host_default(&s->host[host & 1]), v);
}

/* ---- streams and sockets -------------------------------------------------- */

/* A new stream on these ports (the client's, the server's), or -1. */
static int
new_stream(struct tt_sim *s, uint16_t cport, uint16_t sport)
{
	struct stream *st;

	if (s->nstreams == s->capstreams) {
		size_t ncap = s->capstreams ? s->capstreams * 2 : 4;
		struct stream *n = realloc(s->streams, ncap * sizeof *n);

		if (n == NULL)
			return -1;
		s->streams = n;
		s->capstreams = ncap;
	}
	st = &s->streams[s->nstreams];
	memset(st, 0, sizeof *st);
	st->port[0] = cport;
	st->port[1] = sport;
	st->sock[0] = st->sock[1] = -1;
	return (int)s->nstreams++;
}

/* Socket i of host h belongs to stream k from now on. */
static void
join(struct tt_sim *s, int h, int i, int k)
{
	s->host[h].socks[i].stream = k;
	s->streams[k].sock[h] = i;
}

/* The socket of host h in stream k (its listener before it has one), or
 * -1 for the TCB of ports nothing uses. */
static int
stream_sock(const struct tt_sim *s, unsigned k, int h)
{
	if (k < s->nstreams && s->streams[k].sock[h] >= 0)
		return s->streams[k].sock[h];
	if (k < s->nstreams && s->streams[k].spoof && h == TT_CLIENT)
		return -1;      /* a spoofed source: no TCB anywhere */
	return s->host[h].listener;
}

static const struct tt_conn *
sock_conn(const struct tt_sim *s, int h, int i)
{
	return i >= 0 ? s->host[h].socks[i].c : s->host[h].nobody;
}

/* The index of TCB c among host h's sockets, -1 for the unused ports' one. */
static int
sock_of(const struct tt_sim *s, int h, const struct tt_conn *c)
{
	for (size_t i = 0; i < s->host[h].nsocks; i++)
		if (s->host[h].socks[i].c == c)
			return (int)i;
	return -1;
}

/* ---- the trace ---------------------------------------------------------- */

static struct tt_step *
new_step(struct tt_sim *s, enum tt_step_kind kind, int dir, int stream)
{
	struct tt_step *st;

	if (s->nsteps == s->capsteps) {
		size_t ncap = s->capsteps ? s->capsteps * 2 : 64;
		struct tt_step *n = realloc(s->steps, ncap * sizeof *n);
		size_t *np;

		if (n == NULL)
			return NULL;
		s->steps = n;
		if ((np = realloc(s->payload, ncap * sizeof *np)) == NULL)
			return NULL;
		s->payload = np;
		s->capsteps = ncap;
	}
	s->payload[s->nsteps] = NO_PAYLOAD;
	if (stream >= 0)
		s->last_stream = (unsigned)stream;
	st = &s->steps[s->nsteps++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->action = s->action;
	st->time = s->now;
	st->arrival = s->now;
	st->dir = dir;
	st->stream = s->last_stream;
	st->port[0] = s->cfg.host[0].port;
	st->port[1] = s->cfg.host[1].port;
	if (st->stream < s->nstreams) {
		st->port[0] = s->streams[st->stream].port[0];
		st->port[1] = s->streams[st->stream].port[1];
	}
	return st;
}

static void
finish_step(struct tt_sim *s, struct tt_step *st)
{
	for (int h = 0; h < 2; h++) {
		st->sock[h] = stream_sock(s, st->stream, h);
		tt_conn_view(sock_conn(s, h, st->sock[h]), &st->tcb[h]);
	}
}

static void
add_events(struct tt_step *st, int host, int sock, const struct tt_out *out)
{
	for (unsigned i = 0; i < out->nev && st->nev < TT_STEP_EVENTS; i++) {
		st->ev[st->nev].host = host;
		st->ev[st->nev].sock = sock;
		st->ev[st->nev].ev = out->ev[i];
		st->nev++;
	}
}

/* ---- the wire ----------------------------------------------------------- */

static int
fault_matches(const struct fault *f, int from, const struct tt_seg *seg)
{
	if (f->toward >= 0 && f->toward == from)
		return 0;
	return f->flags == 0 || (seg->flags & 0xff) == f->flags;
}

/* Takes the first armed fault of one kind that matches this segment; a
 * fault still counting segments (#N) lets it pass and counts it. */
static int
take_fault(struct tt_sim *s, enum tt_fault_kind kind, int from, const struct tt_seg *seg,
           tt_time *amount)
{
	int taken = 0;

	for (size_t i = 0; i < s->nfaults && !taken; i++) {
		if (s->faults[i].kind != kind || !fault_matches(&s->faults[i], from, seg))
			continue;
		if (s->faults[i].skip > 0) {
			s->faults[i].skip--;
			continue;
		}
		if (amount != NULL)
			*amount = s->faults[i].amount;
		memmove(&s->faults[i], &s->faults[i + 1], (s->nfaults - i - 1) * sizeof s->faults[0]);
		s->nfaults--;
		taken = 1;
	}
	return taken;
}

/* Keeps a copy of step i's payload in the arena (none when out of memory:
 * tt_sim_payload() then says NULL). */
static void
keep_payload(struct tt_sim *s, size_t i, const uint8_t *data, size_t len)
{
	if (s->capbytes - s->nbytes < len) {
		size_t ncap = s->capbytes ? s->capbytes : 4096;
		uint8_t *n;

		while (ncap - s->nbytes < len) {
			if (ncap > SIZE_MAX / 2)
				return;
			ncap *= 2;
		}
		if ((n = realloc(s->bytes, ncap)) == NULL)
			return;
		s->bytes = n;
		s->capbytes = ncap;
	}
	memcpy(s->bytes + s->nbytes, data, len);
	s->payload[i] = s->nbytes;
	s->nbytes += len;
}

static void
segment_step_fill(struct tt_sim *s, struct tt_step *st, const struct flight *f)
{
	st->time = f->sent;
	st->arrival = f->arrive;
	st->dir = f->from;
	st->seg = f->seg;
	st->seg.data = NULL;
	st->notes = f->notes;
	if (s->streams[f->stream].spoof && f->from == TT_CLIENT)
		st->notes |= TT_NOTE(SPOOFED);
	st->frame = ++s->rows;
	if (f->data != NULL)
		memcpy(st->preview, f->data, f->seg.len < TT_PREVIEW ? f->seg.len : TT_PREVIEW);
	if (f->data != NULL && f->seg.len > 0)
		keep_payload(s, (size_t)(st - s->steps), f->data, f->seg.len);
}

/* Notes a sender-side observer would make (Wireshark's analysis terms),
 * from what this side sent before in the same stream. */
static unsigned
sender_notes(struct stream *k, int from, const struct tt_seg *seg, int probe)
{
	uint32_t end = seg->seq + tt_seg_seqlen(seg);
	unsigned notes = 0;
	int pure_ack = (seg->flags & TT_ACK) && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) &&
	               seg->len == 0;

	/* a zero window probe (one byte at the next seq into a closed window):
	 * no note, and the next seq stays where it is, as tshark takes it */
	int zwp = seg->len == 1 && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) &&
	          k->sent_any[from] && k->sent_any[!from] && k->last_wnd[!from] == 0 &&
	          seg->seq == k->sent_max[from];

	if (probe) {
		notes |= TT_NOTE(KEEP_ALIVE);
	} else if (zwp) {
		/* nothing: see above */
	} else if (tt_seg_seqlen(seg) > 0 && k->sent_any[from] && TT_SEQ_LT(seg->seq, k->sent_max[from]) &&
	           !(seg->flags & TT_RST) &&
	           /* simultaneous open: SYN,ACK repeats the SYN's number, not its segment */
	           !((seg->flags & TT_SYN) && (seg->flags & TT_ACK) && !(k->last_flags[from] & TT_ACK))) {
		notes |= TT_NOTE(RETRANSMISSION);
	}
	if (!zwp && (!k->sent_any[from] || TT_SEQ_GT(end, k->sent_max[from])))
		k->sent_max[from] = end;
	k->sent_any[from] = 1;
	k->last_flags[from] = seg->flags;
	if (!(seg->flags & TT_RST) && seg->wnd == 0 && !(seg->flags & (TT_SYN | TT_FIN)))
		notes |= TT_NOTE(ZERO_WINDOW);
	if (pure_ack && !probe) {
		if (k->probe_out[!from]) {
			notes |= TT_NOTE(KEEP_ALIVE_ACK);
			k->probe_out[!from] = 0;
		} else if (k->last_ack_valid[from] && k->last_ack[from] == seg->ack && seg->wnd != 0) {
			if (k->last_wnd[from] == seg->wnd)
				notes |= TT_NOTE(DUP_ACK);
			else
				notes |= TT_NOTE(WINDOW_UPDATE);
		}
	}
	k->last_ack[from] = seg->ack;
	k->last_wnd[from] = seg->wnd;
	k->last_ack_valid[from] = pure_ack;
	if (probe)
		k->probe_out[from] = 1;
	return notes;
}

/* Puts a segment in flight (the flight's data now belongs to the wire);
 * -1 and the data freed when out of memory. */
static int
push_flight(struct tt_sim *s, struct flight *f)
{
	if (s->nfl == s->capfl) {
		size_t ncap = s->capfl ? s->capfl * 2 : 16;
		struct flight *n = realloc(s->fl, ncap * sizeof *n);

		if (n == NULL) {
			free(f->data);
			return -1;
		}
		s->fl = n;
		s->capfl = ncap;
	}
	f->order = s->order++;
	s->fl[s->nfl++] = *f;
	return 0;
}

/* A second copy of f, one delay behind it. */
static int
push_duplicate(struct tt_sim *s, const struct flight *f)
{
	struct flight copy = *f;

	if (f->data != NULL) {
		copy.data = malloc(f->seg.len);
		if (copy.data == NULL)
			return -1;
		memcpy(copy.data, f->data, f->seg.len);
	}
	copy.arrive += s->cfg.delay[f->from];
	copy.left = s->now;     /* made past the bottleneck: it takes no room there */
	copy.notes = (copy.notes | TT_NOTE(DUPLICATE)) & ~TT_NOTE(RETRANSMISSION);
	return push_flight(s, &copy);
}

/* A segment lost on the wire: a step noted "dropped", its data freed. */
static void
lose(struct tt_sim *s, struct flight *f, tt_time arrival)
{
	struct tt_step *st = new_step(s, TT_STEP_SEGMENT, f->from, (int)f->stream);

	f->notes |= TT_NOTE(DROPPED);
	if (st != NULL) {
		segment_step_fill(s, st, f);
		st->arrival = arrival;
		finish_step(s, st);
	}
	free(f->data);
}

/* Segments from `from` still in its bottleneck's queue at `now` (waiting
 * behind the one being sent, which left or leaves last of those before). */
static unsigned
link_waiting(const struct tt_sim *s, int from)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->nfl; i++)
		if (s->fl[i].from == from && s->fl[i].left > s->now)
			n++;
	return n > 0 ? n - 1 : 0;
}

static uint64_t
rng_next(struct tt_sim *s)
{
	uint64_t x = s->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

/* The sender's bottleneck (struct tt_link): random loss, the drop-tail
 * queue, the CE mark, then the time the segment takes to leave it. -1: the
 * segment is lost (f->notes says why). */
static int
through_link(struct tt_sim *s, struct flight *f)
{
	const struct tt_link *l = &s->cfg.link[f->from];
	tt_time start, tx;
	unsigned waiting;

	if (l->loss_ppm > 0 && rng_next(s) % 1000000 < l->loss_ppm)
		return -1;
	if (l->rate == 0)
		return 0;
	waiting = s->link_free[f->from] > s->now ? link_waiting(s, f->from) : 0;
	if (l->queue > 0 && waiting >= l->queue) {
		f->notes |= TT_NOTE(QUEUE_FULL);
		return -1;
	}
	if (l->mark > 0 && waiting >= l->mark && f->seg.ecn != TT_NOT_ECT) {
		f->seg.ecn = TT_CE;
		f->notes |= TT_NOTE(CE);
	}
	start = s->link_free[f->from] > s->now ? s->link_free[f->from] : s->now;
	tx = (tt_time)(((uint64_t)(f->seg.len + TT_LINK_HEADER) * 8 * 1000000 + l->rate - 1) /
	               l->rate);
	f->left = start + tx;
	s->link_free[f->from] = f->left;
	f->arrive = f->left + s->cfg.delay[f->from];
	return 0;
}

static void
put_on_wire(struct tt_sim *s, int from, unsigned stream, const struct tt_seg *seg, int probe,
            int injected)
{
	struct flight f;
	tt_time extra = 0;

	memset(&f, 0, sizeof f);
	f.from = from;
	f.stream = stream;
	f.sent = s->now;
	f.arrive = s->now + s->cfg.delay[from];
	f.left = s->now;
	f.seg = *seg;
	f.notes = injected ? 0 : sender_notes(&s->streams[stream], from, seg, probe);
	if (seg->len > 0) {
		f.data = malloc(seg->len);
		if (f.data == NULL)
			return;
		if (seg->data != NULL)
			memcpy(f.data, seg->data, seg->len);
		else
			memset(f.data, 'x', seg->len);
	}
	f.seg.data = NULL;
	if (take_fault(s, TT_FAULT_DROP, from, seg, NULL)) {
		lose(s, &f, f.arrive);
		return;
	}
	if (through_link(s, &f) == -1) {
		lose(s, &f, s->now);
		return;
	}
	if (take_fault(s, TT_FAULT_DELAY, from, seg, &extra)) {
		f.arrive += extra;
		f.notes |= TT_NOTE(DELAYED);
	}
	if (push_flight(s, &f) == 0 && take_fault(s, TT_FAULT_DUPLICATE, from, seg, NULL))
		push_duplicate(s, &f);
}

/* Records what a host's TCB did in st, then puts what it emitted on the
 * wire, in stream k. */
static void
collect(struct tt_sim *s, int host, const struct tt_conn *c, unsigned k,
        const struct tt_out *out, struct tt_step *st)
{
	int probe = 0;

	s->cut += out->truncated;
	for (unsigned i = 0; i < out->nev; i++)
		if (out->ev[i].reason == TT_R_KEEPALIVE_PROBE)
			probe = 1;
	if (st != NULL) {
		add_events(st, host, sock_of(s, host, c), out);
		finish_step(s, st);
	}
	if (k >= s->nstreams)
		return;                 /* a TCB with no stream sends nothing */
	for (unsigned i = 0; i < out->nseg; i++)
		put_on_wire(s, host, k, &out->seg[i], probe && (out->seg[i].flags == TT_ACK), 0);
}

/* The in-flight segment that arrives first (toward `to`, or any if -1). */
static long
next_flight(const struct tt_sim *s, int to)
{
	long best = -1;

	for (size_t i = 0; i < s->nfl; i++) {
		const struct flight *f = &s->fl[i];

		if (to >= 0 && f->from == to)
			continue;
		if (best < 0 || f->arrive < s->fl[best].arrive ||
		    (f->arrive == s->fl[best].arrive && f->order < s->fl[best].order))
			best = (long)i;
	}
	return best;
}

static void
remove_flight(struct tt_sim *s, size_t i, struct flight *f)
{
	*f = s->fl[i];
	memmove(&s->fl[i], &s->fl[i + 1], (s->nfl - i - 1) * sizeof s->fl[0]);
	s->nfl--;
}

/* What a host's listener does with an arriving segment beyond handing it
 * to a TCB: its queues' rules (sim/host.h) and SYN cookies. */
enum arrival {
	ARRIVE_TCB,              /* to the TCB demux found, as always */
	ARRIVE_SYN_DROP,         /* the SYN is dropped (reason in *why) */
	ARRIVE_COOKIE_SYN,       /* answered with a cookie from LISTEN */
	ARRIVE_COOKIE_OPEN,      /* a valid cookie: a new child, ESTABLISHED */
	ARRIVE_COOKIE_BAD,       /* no valid cookie: then LISTEN takes it */
	ARRIVE_COOKIE_FULL       /* a valid cookie, the accept queue full: dropped */
};

/* The cookie's 4-tuple for stream k, the client's end as the source. */
static void
cookie_id(const struct tt_sim *s, unsigned k, struct tt_cookie_id *id)
{
	char a[48];

	memset(id, 0, sizeof *id);
	for (int h = 0; h < 2; h++) {
		uint8_t *to = h == TT_CLIENT ? id->saddr : id->daddr;

		tt_sim_stream_addr(s, k, h, a, sizeof a);
		if (inet_pton(AF_INET, a, to) != 1 && inet_pton(AF_INET6, a, to) != 1)
			memset(to, 0, 16);
	}
	id->sport = s->streams[k].port[TT_CLIENT];
	id->dport = s->streams[k].port[TT_SERVER];
}

/* The TCB a segment of stream k reaches at host h: the connection on its
 * ports; for a SYN that finds none (or only a CLOSED one), the listener's
 * new child, when its queues let it (*arr says what else happens); else
 * the listener, else the TCB of a port nothing uses. *mss: a valid
 * cookie's MSS. */
static struct tt_conn *
demux(struct tt_sim *s, int h, unsigned k, const struct tt_seg *seg, enum arrival *arr,
      enum tt_reason *why, uint16_t *mss)
{
	struct sim_host *hh = &s->host[h];
	const struct stream *st = &s->streams[k];
	uint16_t lport = st->port[h], rport = st->port[!h];
	int i = sim_host_find(hh, lport, rport);
	int syn = (seg->flags & (TT_SYN | TT_ACK | TT_RST)) == TT_SYN;
	int listening = hh->listener >= 0 && hh->socks[hh->listener].lport == lport &&
	                tt_conn_state(hh->socks[hh->listener].c) == TT_LISTEN;
	int fresh = i < 0 || tt_conn_state(hh->socks[i].c) == TT_CLOSED;

	*arr = ARRIVE_TCB;
	if (syn && listening && fresh) {
		static const enum tt_reason drops[] = {
			[SIM_SYN_DROP_SYNQ] = TT_R_SYNQ_FULL_DROP,
			[SIM_SYN_DROP_ACCEPTQ] = TT_R_ACCEPTQ_FULL_SYN_DROP,
			[SIM_SYN_DROP_RESERVED] = TT_R_SYNQ_RESERVED_DROP,
		};
		enum sim_syn_verdict v = sim_host_syn_verdict(hh, !st->spoof && hh->proven);

		if (v == SIM_SYN_COOKIE) {
			*arr = ARRIVE_COOKIE_SYN;
			return hh->socks[hh->listener].c;
		}
		if (v != SIM_SYN_CHILD) {
			*arr = ARRIVE_SYN_DROP;
			*why = drops[v];
			return hh->socks[hh->listener].c;
		}
		i = sim_host_child(hh, lport, rport);
		if (i >= 0 && hh->socks[i].accepted && !st->spoof)
			hh->cur = i;    /* no queues: accept() takes it at once (a
			                   flood's never completes, so never) */
	} else if (listening && fresh && (seg->flags & (TT_SYN | TT_RST | TT_ACK)) == TT_ACK &&
	           sim_host_cookies_on(hh, s->now)) {
		/* Linux cookie_v4_check: an ACK for no connection may be the
		 * answer to a cookie */
		struct tt_cookie_id id;

		cookie_id(s, k, &id);
		*mss = tt_cookie_check(&hh->secret, &id, seg->seq - 1, seg->ack - 1, s->now);
		if (*mss == 0) {
			*arr = ARRIVE_COOKIE_BAD;
			return hh->socks[hh->listener].c;
		}
		if (sim_host_acceptq_full(hh)) {
			*arr = ARRIVE_COOKIE_FULL;
			return hh->socks[hh->listener].c;
		}
		*arr = ARRIVE_COOKIE_OPEN;
		i = sim_host_child(hh, lport, rport);
		if (i >= 0 && hh->socks[i].accepted && !st->spoof)
			hh->cur = i;
	}
	if (i >= 0) {
		join(s, h, i, (int)k);
		return hh->socks[i].c;
	}
	if (*arr == ARRIVE_COOKIE_OPEN)
		*arr = ARRIVE_TCB;      /* out of memory: as before */
	return listening ? hh->socks[hh->listener].c : hh->nobody;
}

static void
host_event(struct tt_out *out, enum tt_reason r, enum tt_state from, enum tt_state to)
{
	tt_out_event(out, r, from, to, TT_E_NONE);
}

/* Linux tcp_check_req: the segment that would take child c past the
 * handshake finds the accept queue full. Whether it would is the engine's
 * to say, so a copy of the TCB takes it first (the host's shared reply
 * limit kept as it was). */
static int
would_overflow(struct tt_sim *s, int h, struct tt_conn *c, const struct tt_seg *seg)
{
	struct sim_host *hh = &s->host[h];
	struct tt_oow_limit keep = hh->oow;
	struct tt_conn *copy;
	struct tt_out out;
	int past;

	if (tt_conn_state(c) != TT_SYN_RECEIVED || !sim_host_acceptq_full(hh))
		return 0;
	if ((copy = tt_conn_clone(c)) == NULL)
		return 0;
	tt_out_clear(&out);
	tt_conn_input(copy, seg, s->now, &out);
	past = tt_conn_state(copy) >= TT_ESTABLISHED;
	tt_conn_free(copy);
	hh->oow = keep;
	return past;
}

static void
deliver_flight(struct tt_sim *s, size_t i)
{
	struct flight f;
	struct tt_step *st;
	struct tt_out out;
	struct tt_conn *c;
	enum arrival arr;
	enum tt_reason why = TT_R_NONE;
	uint16_t mss = 0;
	int to;

	remove_flight(s, i, &f);
	to = !f.from;
	if (f.arrive > s->now)
		s->now = f.arrive;
	st = new_step(s, TT_STEP_SEGMENT, f.from, (int)f.stream);
	if (st == NULL) {
		free(f.data);
		return;
	}
	segment_step_fill(s, st, &f);
	st->arrival = s->now;   /* later than planned when `deliver to` held it back */
	if (s->down[to] || (s->streams[f.stream].spoof && to == TT_CLIENT)) {
		/* a host powered off, or a spoofed address no host has */
		st->notes |= TT_NOTE(DROPPED) | (s->down[to] ? 0 : TT_NOTE(NO_HOST));
		if (!s->down[to]) {
			st->nev = 1;
			st->ev[0].host = to;
			st->ev[0].sock = -1;
			st->ev[0].ev.reason = TT_R_NO_HOST;
			st->ev[0].ev.from = st->ev[0].ev.to = TT_CLOSED;
			st->ev[0].ev.error = TT_E_NONE;
		}
		finish_step(s, st);
		free(f.data);
		return;
	}
	tt_out_clear(&out);
	f.seg.data = f.data;
	c = demux(s, to, f.stream, &f.seg, &arr, &why, &mss);
	sim_host_clock_in(&s->host[to], c);
	switch (arr) {
	case ARRIVE_SYN_DROP:
	case ARRIVE_COOKIE_FULL:
		host_event(&out, arr == ARRIVE_COOKIE_FULL ? TT_R_ACCEPTQ_FULL_COOKIE_DROP : why,
		           TT_LISTEN, TT_LISTEN);
		break;
	case ARRIVE_COOKIE_SYN: {
		struct tt_cookie_id id;

		cookie_id(s, f.stream, &id);
		tt_conn_cookie_synack(c, &f.seg, tt_cookie_make(&s->host[to].secret, &id, f.seg.seq,
		                                                 f.seg.mss, s->now), &out);
		s->host[to].overflowed = 1;      /* Linux tcp_synq_overflow() */
		s->host[to].last_overflow = s->now;
		break;
	}
	case ARRIVE_COOKIE_OPEN:
		tt_conn_cookie_open(c, &f.seg, mss, s->now, &out);
		break;
	case ARRIVE_COOKIE_BAD:
		host_event(&out, TT_R_COOKIE_BAD, TT_LISTEN, TT_LISTEN);
		tt_conn_input(c, &f.seg, s->now, &out);
		break;
	case ARRIVE_TCB:
		if (would_overflow(s, to, c, &f.seg)) {
			if (s->host[to].lq.abort_on_overflow)
				tt_conn_refuse(c, TT_R_ACCEPTQ_FULL_RST, &out);
			else
				host_event(&out, TT_R_ACCEPTQ_FULL_ACK_IGNORED, TT_SYN_RECEIVED,
				           TT_SYN_RECEIVED);
		} else {
			tt_conn_input(c, &f.seg, s->now, &out);
		}
		break;
	}
	sim_host_clock_out(&s->host[to], c);
	sim_host_after(&s->host[to], sock_of(s, to, c), s->streams[f.stream].spoof != 0);
	collect(s, to, c, f.stream, &out, st);
	free(f.data);
}

/* The socket whose timer falls due first, or -1; its host in *host and its
 * deadline in *when. */
static int
next_timer(const struct tt_sim *s, int *host, tt_time *when)
{
	int best = -1;

	*when = TT_NEVER;
	for (int h = 0; h < 2; h++) {
		if (s->down[h])
			continue;
		for (size_t i = 0; i < s->host[h].nsocks; i++) {
			tt_time t = tt_conn_next_timer(s->host[h].socks[i].c);

			if (t < *when) {
				*when = t;
				*host = h;
				best = (int)i;
			}
		}
	}
	return best;
}

static void
fire_timer(struct tt_sim *s, int h, int i, tt_time when)
{
	struct sim_sock *k = &s->host[h].socks[i];
	struct tt_out out;
	struct tt_step *st;

	if (when > s->now)
		s->now = when;
	tt_out_clear(&out);
	sim_host_clock_in(&s->host[h], k->c);
	tt_conn_tick(k->c, s->now, &out);
	if (out.nev == 0 && out.nseg == 0)
		return;
	st = new_step(s, TT_STEP_EVENT, h, k->stream);
	collect(s, h, k->c, k->stream < 0 ? (unsigned)-1 : (unsigned)k->stream, &out, st);
}

/* Counts one arrival or timer of the current action; -1 past the limit. */
static int
spend(struct tt_sim *s)
{
	return ++s->work > SIM_MAX_WORK ? -1 : 0;
}

/* The action hit SIM_MAX_WORK: -2 with the message; `until` is where an
 * advance meant to stop the clock (TT_NEVER: no advance). */
static int
too_much_work(const struct tt_sim *s, tt_time until, char *err, size_t errlen)
{
	if (until == TT_NEVER)
		snprintf(err, errlen, "the hosts did not settle: %d arrivals and timers in one "
		         "action (the simulator's limit), the clock at %.6f s", SIM_MAX_WORK,
		         (double)s->now / 1e6);
	else
		snprintf(err, errlen, "the hosts did not settle: %d arrivals and timers in one "
		         "action (the simulator's limit), the clock stopped at %.6f s instead "
		         "of %.6f s", SIM_MAX_WORK, (double)s->now / 1e6, (double)until / 1e6);
	return -2;
}

/* Fires host timers that fall due before `limit` (strictly), in order;
 * -1 when the action's limit was hit. */
static int
fire_timers_before(struct tt_sim *s, tt_time limit)
{
	tt_time t;
	int h, i;

	while ((i = next_timer(s, &h, &t)) >= 0 && t < limit) {
		if (spend(s) == -1)
			return -1;
		fire_timer(s, h, i, t);
	}
	return 0;
}

/* Lets time flow to `until`: arrivals and timers happen in time order (an
 * arrival first when both fall at the same instant). -2 with a message when
 * the action's limit was hit before `until`. */
static int
advance_to(struct tt_sim *s, tt_time until, char *err, size_t errlen)
{
	for (;;) {
		long i = next_flight(s, -1);
		tt_time ta = i >= 0 ? s->fl[i].arrive : TT_NEVER, tt;
		int h = 0, k = next_timer(s, &h, &tt);

		if (!(k >= 0 && tt < ta && tt <= until) && !(i >= 0 && ta <= until))
			break;
		if (spend(s) == -1)
			return too_much_work(s, until, err, errlen);
		if (k >= 0 && tt < ta && tt <= until)
			fire_timer(s, h, k, tt);
		else
			deliver_flight(s, (size_t)i);
	}
	if (until > s->now)
		s->now = until;
	return 0;
}

/* Delivers the segment that arrives first (toward `to`, or any), after the
 * timers due before it: 1 when one was delivered, 0 when nothing was on the
 * wire toward `to`, 2 when the timers left nothing, -2 at the limit. */
static int
deliver_next(struct tt_sim *s, int to, char *err, size_t errlen)
{
	long i = next_flight(s, to);

	if (i < 0)
		return 0;
	if (fire_timers_before(s, s->fl[i].arrive) == -1)
		return too_much_work(s, TT_NEVER, err, errlen);
	i = next_flight(s, to);
	if (i < 0)
		return 2;
	if (spend(s) == -1)
		return too_much_work(s, TT_NEVER, err, errlen);
	deliver_flight(s, (size_t)i);
	return 1;
}

/* deliver N: the next N segments (toward `to`, or any), timers due before
 * each arrival first. */
static int
deliver_some(struct tt_sim *s, unsigned n, int to, char *err, size_t errlen)
{
	for (unsigned k = 0; k < n; k++) {
		int r = deliver_next(s, to, err, errlen);

		if (r == 0) {
			snprintf(err, errlen, "nothing on the wire to deliver");
			return -1;
		}
		if (r != 1)
			return r == 2 ? 0 : r;
	}
	return 0;
}

/* run: deliver until the wire (toward `to`) is empty. */
static int
deliver_all(struct tt_sim *s, int to, char *err, size_t errlen)
{
	for (unsigned n = 0; next_flight(s, to) >= 0; n++) {
		int r;

		if (n == SIM_MAX_DELIVERIES) {
			snprintf(err, errlen, "the hosts did not settle: %u segments delivered and the "
			         "wire is still not empty (the simulator's limit for one run), the clock "
			         "at %.6f s", n, (double)s->now / 1e6);
			return -2;
		}
		if ((r = deliver_next(s, to, err, errlen)) != 1)
			return r == -2 ? -2 : 0;
	}
	return 0;
}

/* ---- actions -------------------------------------------------------------- */

/* The stream a new connection on these ports joins: one that the peer's
 * connection on the same ports opened and this host has no socket in yet
 * (a simultaneous open), else a new one; -1 when out of memory. */
static int
stream_for(struct tt_sim *s, int h, uint16_t cport, uint16_t sport)
{
	for (size_t k = s->nstreams; k-- > 0;) {
		const struct stream *st = &s->streams[k];

		if (st->port[0] != cport || st->port[1] != sport)
			continue;
		if (st->sock[h] < 0 && st->sock[!h] >= 0 &&
		    tt_conn_state(s->host[!h].socks[st->sock[!h]].c) != TT_CLOSED)
			return (int)k;
		break;
	}
	return new_stream(s, cport, sport);
}

/* connect: the socket an active OPEN goes to. The host's current
 * connection again (a CLOSED one starts a new incarnation: a new stream on
 * the same ports), else a listener nothing has reached becomes active (RFC
 * 9293 §3.10.1), else a new socket on the host's port (with `fresh`, on its
 * next free port); -1 when out of memory. */
static int
connect_sock(struct tt_sim *s, int h, int fresh)
{
	struct sim_host *hh = &s->host[h];
	uint16_t peer = s->cfg.host[!h].port, me;
	int i = fresh ? -1 : hh->cur, k;

	if (i < 0 && !fresh && (k = sim_host_find(hh, hh->port, peer)) >= 0 &&
	    tt_conn_state(hh->socks[k].c) != TT_CLOSED)
		i = k;  /* the ports are in use (a connection not accepted yet) */
	if (i >= 0) {
		if (tt_conn_state(hh->socks[i].c) != TT_CLOSED || !hh->socks[i].opened)
			return i;
	} else if (!fresh && hh->listener >= 0 && hh->nsocks == 1) {
		i = hh->listener;
		hh->listener = -1;
		hh->socks[i].rport = peer;
	} else {
		i = sim_host_add(hh, fresh ? sim_host_free_port(hh) : hh->port, peer);
		if (i < 0)
			return -1;
	}
	me = hh->socks[i].lport;
	k = stream_for(s, h, h == 0 ? me : peer, h == 0 ? peer : me);
	if (k < 0)
		return -1;
	join(s, h, i, k);
	hh->cur = i;
	return i;
}

/* The socket (or TCB) a user call goes to; NULL with a message in err. */
static struct tt_conn *
call_target(struct tt_sim *s, const struct tt_action *a, int *stream, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[a->host];
	int i;

	*stream = -1;
	if (a->conn > 0 && a->kind == TT_A_LISTEN) {
		snprintf(err, errlen, "a host listens on its own port, not in a stream");
		return NULL;
	}
	if (a->conn > 0) {
		i = sim_host_in_stream(hh, (int)a->conn - 1);
		if (i < 0) {
			snprintf(err, errlen, "the %s has no connection in stream %u",
			         s->cfg.host[a->host].name, a->conn - 1);
			return NULL;
		}
	} else if (a->kind == TT_A_LISTEN) {
		if (hh->listener < 0) {
			hh->listener = sim_host_add(hh, hh->port, 0);
			if (hh->listener < 0) {
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
		}
		i = hh->listener;
	} else if (a->kind == TT_A_CONNECT) {
		i = connect_sock(s, a->host, a->fresh);
		if (i < 0) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		if (a->cc > 0)
			tt_conn_set_cc(hh->socks[i].c, a->cc - 1);
	} else {
		i = hh->cur >= 0 ? hh->cur : hh->listener;
		if (i < 0)
			return hh->nobody;
	}
	if (a->kind == TT_A_LISTEN || a->kind == TT_A_CONNECT)
		hh->socks[i].opened = 1;
	*stream = hh->socks[i].stream;
	return hh->socks[i].c;
}

static void
call(struct tt_conn *c, const struct tt_action *a, tt_time now, struct tt_out *out)
{
	uint8_t buf[65536];
	size_t got;

	switch (a->kind) {
	case TT_A_LISTEN:
		tt_conn_open(c, 0, now, out);
		break;
	case TT_A_CONNECT:
		tt_conn_open(c, 1, now, out);
		break;
	case TT_A_SEND: {
		const uint8_t *data = a->text[0] != '\0' ? (const uint8_t *)a->text : NULL;
		size_t len = a->text[0] != '\0' ? strlen(a->text) : a->count;

		if (a->urgent)
			tt_conn_send_urgent(c, data, len, now, out);
		else
			tt_conn_send(c, data, len, now, out);
		break;
	}
	case TT_A_RECEIVE:
		tt_conn_receive(c, buf, sizeof buf, &got, now, out);
		break;
	case TT_A_CLOSE:
		tt_conn_close(c, now, out);
		break;
	case TT_A_SHUTDOWN:
		tt_conn_shutdown(c, now, out);
		break;
	case TT_A_ABORT:
		tt_conn_abort(c, now, out);
		break;
	default:
		break;
	}
}

static int
user_call(struct tt_sim *s, const struct tt_action *a, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[a->host];
	struct tt_conn *c;
	struct tt_out out;
	struct tt_step *st;
	int stream;

	if (s->down[a->host]) {
		snprintf(err, errlen, "the %s is powered off", s->cfg.host[a->host].name);
		return -1;
	}
	c = call_target(s, a, &stream, err, errlen);
	if (c == NULL)
		return -1;
	if (a->kind == TT_A_KEEPALIVE) {
		tt_conn_keepalive(c, a->on, s->now);
		return 0;
	}
	tt_out_clear(&out);
	sim_host_clock_in(hh, c);
	call(c, a, s->now, &out);
	sim_host_clock_out(hh, c);
	st = new_step(s, TT_STEP_EVENT, a->host, stream);
	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	collect(s, a->host, c, stream < 0 ? (unsigned)-1 : (unsigned)stream, &out, st);
	return 0;
}

static int
arm_fault(struct tt_sim *s, const struct tt_action *a, enum tt_fault_kind kind, char *err,
          size_t errlen)
{
	struct fault f = { kind, a->flags_match, a->toward, a->amount, 0 };
	unsigned skip = a->nth;
	unsigned long floor = 0;

	/* A matching segment already in flight is "the next one" (or the
	 * nth, counting in the order they were sent). */
	for (;;) {
		long best = -1;

		for (size_t i = 0; i < s->nfl; i++) {
			const struct flight *fl = &s->fl[i];

			if (!fault_matches(&f, fl->from, &fl->seg) || fl->order < floor)
				continue;
			if (best < 0 || fl->order < s->fl[best].order)
				best = (long)i;
		}
		if (best < 0)
			break;
		if (skip > 0) {
			skip--;
			floor = s->fl[best].order + 1;
			continue;
		}
		switch (kind) {
		case TT_FAULT_DROP: {
			struct flight fl;

			remove_flight(s, (size_t)best, &fl);
			lose(s, &fl, s->now);
			return 0;
		}
		case TT_FAULT_DELAY:
			s->fl[best].arrive += a->amount;
			s->fl[best].notes |= TT_NOTE(DELAYED);
			return 0;
		case TT_FAULT_DUPLICATE:
			return push_duplicate(s, &s->fl[best]);
		}
	}
	/* Otherwise it waits for the next segment sent (after `skip` more
	 * matching ones, when #N reached beyond the wire). */
	f.skip = skip;
	if (s->nfaults == sizeof s->faults / sizeof s->faults[0]) {
		snprintf(err, errlen, "too many faults armed at once");
		return -1;
	}
	s->faults[s->nfaults++] = f;
	return 0;
}

/* The host crashes: the engine deletes every TCB it has (their objects
 * and the host's ISN clock live on, so a rebooted host picks another ISS);
 * silent, it stays powered off. A crash sends nothing. */
static void
crash(struct tt_sim *s, int h, int silent)
{
	struct sim_host *hh = &s->host[h];
	struct tt_conn *cur = sim_host_default(hh);
	struct tt_step *st;
	struct tt_out out;
	enum tt_state from = tt_conn_state(cur);
	int stream = hh->cur >= 0 ? hh->socks[hh->cur].stream : -1;

	st = new_step(s, TT_STEP_EVENT, h, stream);
	for (size_t i = 0; i < hh->nsocks; i++) {
		int said = hh->socks[i].c == cur || tt_conn_state(hh->socks[i].c) != TT_CLOSED;

		if (st != NULL && said && st->nev == TT_STEP_EVENTS) {
			/* many connections (a flood's): the crash goes on in
			 * another step, so that every TCB lost is said */
			finish_step(s, st);
			st = new_step(s, TT_STEP_EVENT, h, stream);
		}
		tt_out_clear(&out);
		tt_conn_crash(hh->socks[i].c, s->now, &out);
		if (st != NULL && said)
			add_events(st, h, (int)i, &out);
	}
	s->down[h] = silent;
	memset(&hh->oow, 0, sizeof hh->oow);    /* a rebooted host forgets its limits */
	/* what the host sent before is no longer its streams' past */
	for (size_t k = 0; k < s->nstreams; k++) {
		s->streams[k].sent_any[h] = 0;
		s->streams[k].last_ack_valid[h] = 0;
		s->streams[k].probe_out[h] = 0;
	}
	if (st == NULL)
		return;
	if (st->nev == 0) {
		/* the step always shows the crash, even of a CLOSED host */
		st->nev = 1;
		st->ev[0].host = h;
		st->ev[0].sock = sock_of(s, h, cur);
		st->ev[0].ev.reason = TT_R_HOST_CRASH;
		st->ev[0].ev.from = from;
		st->ev[0].ev.to = TT_CLOSED;
		st->ev[0].ev.error = TT_E_NONE;
	}
	finish_step(s, st);
}

/* inject: a hand-made segment from the host's address and the ports of its
 * current connection (or of the first stream); it is not from a TCB. */
static void
inject(struct tt_sim *s, const struct tt_action *a)
{
	struct sim_host *hh = &s->host[a->host];
	int k = hh->cur >= 0 ? hh->socks[hh->cur].stream : -1;

	if (a->conn > 0 && a->conn - 1 < s->nstreams)
		k = (int)a->conn - 1;
	if (k < 0) {
		for (size_t i = 0; i < s->nstreams && k < 0; i++)
			if (s->streams[i].port[0] == s->cfg.host[0].port &&
			    s->streams[i].port[1] == s->cfg.host[1].port)
				k = (int)i;
		if (k < 0)
			k = new_stream(s, s->cfg.host[0].port, s->cfg.host[1].port);
		if (k < 0)
			return;
	}
	put_on_wire(s, a->host, (unsigned)k, &a->inject, 0, 1);
}

/* accept(): the application takes the oldest connection off the accept
 * queue, which becomes the host's current connection. */
static int
accept_call(struct tt_sim *s, int h, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[h];
	int i = sim_host_accept(hh);
	struct tt_conn *c = i >= 0 ? hh->socks[i].c : sim_host_default(hh);
	int stream = i >= 0 ? hh->socks[i].stream : -1;
	struct tt_step *st;
	struct tt_out out;

	if (s->down[h]) {
		snprintf(err, errlen, "the %s is powered off", s->cfg.host[h].name);
		return -1;
	}
	tt_out_clear(&out);
	host_event(&out, i >= 0 ? TT_R_ACCEPT : TT_R_ACCEPT_EMPTY, tt_conn_state(c),
	           tt_conn_state(c));
	st = new_step(s, TT_STEP_EVENT, h, stream);
	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	collect(s, h, c, stream < 0 ? (unsigned)-1 : (unsigned)stream, &out, st);
	return 0;
}

/* Some socket of the client, or its configured port, uses this port. */
static int
client_port(const struct tt_sim *s, uint16_t port)
{
	if (port == s->cfg.host[TT_CLIENT].port)
		return 1;
	for (size_t i = 0; i < s->host[TT_CLIENT].nsocks; i++)
		if (s->host[TT_CLIENT].socks[i].lport == port)
			return 1;
	return 0;
}

/* flood HOST N: N SYNs sent at once to the host's port, each from a new
 * spoofed source (its own stream), which no host answers for. */
static int
flood(struct tt_sim *s, int h, unsigned n, char *err, size_t errlen)
{
	const struct tt_sim_config *cfg = &s->cfg;

	if (h != TT_SERVER) {
		snprintf(err, errlen, "a flood goes to the server (flood server N)");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = mix64(cfg->host[TT_SERVER].secret.k[0][0] ^ (0xf100d000ull + s->nspoof));
		struct tt_seg syn;
		uint16_t port;
		int k;

		/* Hosts are told apart by ports here: each source gets a port of
		 * its own below the client's range (28657 is prime to 48128, so
		 * none repeats), never one the client has. */
		do
			port = (uint16_t)(1024 + ((s->nspoof + 1) * 28657ull) % 48128);
		while (client_port(s, port) && ++s->nspoof);
		k = new_stream(s, port, cfg->host[TT_SERVER].port);
		if (k < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s->streams[k].spoof = ++s->nspoof;
		memset(&syn, 0, sizeof syn);
		syn.seq = (uint32_t)r;
		syn.flags = TT_SYN;
		syn.wnd = 65535;
		syn.mss = 1460;
		put_on_wire(s, TT_CLIENT, (unsigned)k, &syn, 0, 1);
	}
	return 0;
}

int
tt_sim_do(struct tt_sim *s, const struct tt_action *a, char *err, size_t errlen)
{
	int r = 0;

	s->work = 0;
	s->cut = 0;
	if (a->host > 1 || ((a->kind <= TT_A_KEEPALIVE || a->kind == TT_A_CRASH ||
	                     a->kind == TT_A_INJECT || a->kind == TT_A_ACCEPT ||
	                     a->kind == TT_A_FLOOD) && a->host < 0)) {
		snprintf(err, errlen, "no such host");
		return -1;
	}
	switch (a->kind) {
	case TT_A_LISTEN: case TT_A_CONNECT: case TT_A_SEND: case TT_A_RECEIVE:
	case TT_A_CLOSE: case TT_A_SHUTDOWN: case TT_A_ABORT: case TT_A_KEEPALIVE:
		if (user_call(s, a, err, errlen) == -1)
			return -1;
		break;
	case TT_A_DELIVER:
		r = deliver_some(s, a->count ? a->count : 1, a->toward, err, errlen);
		break;
	case TT_A_DELIVER_ALL:
		r = deliver_all(s, a->toward, err, errlen);
		break;
	case TT_A_DROP:
		return arm_fault(s, a, TT_FAULT_DROP, err, errlen);
	case TT_A_DUPLICATE:
		return arm_fault(s, a, TT_FAULT_DUPLICATE, err, errlen);
	case TT_A_DELAY:
		return arm_fault(s, a, TT_FAULT_DELAY, err, errlen);
	case TT_A_ADVANCE:
		if (a->amount < 0) {
			snprintf(err, errlen, "time cannot go backwards");
			return -1;
		}
		r = advance_to(s, a->amount > TT_NEVER - s->now ? TT_NEVER : s->now + a->amount,
		               err, errlen);
		break;
	case TT_A_CRASH:
		crash(s, a->host, a->on);
		break;
	case TT_A_INJECT:
		inject(s, a);
		break;
	case TT_A_ACCEPT:
		if (accept_call(s, a->host, err, errlen) == -1)
			return -1;
		break;
	case TT_A_FLOOD:
		if (a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, "a flood is 1 to 10000 SYNs");
			return -1;
		}
		if (flood(s, a->host, a->count, err, errlen) == -1)
			return -1;
		break;
	default:
		snprintf(err, errlen, "unknown action");
		return -1;
	}
	/* -1: nothing was done. -2 (the limit) leaves the steps the action
	 * made, so it still counts as an action. */
	if (r == -1)
		return -1;
	s->action++;
	if (r == 0 && s->cut > 0) {
		/* a step without all its segments or events would be explained
		 * wrongly: the run is not to be trusted, as at the limit */
		snprintf(err, errlen, "the engine's output did not fit: a call holds at most %d "
		         "segments and %d events, and this action had %lu more",
		         TT_OUT_SEGS, TT_OUT_EVENTS, s->cut);
		return -2;
	}
	return r;
}
