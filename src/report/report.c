/* report/report.c: print segment-table rows as text, TSV or JSON lines.
 * Output goes through stdio's buffer; nothing is allocated per row. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "report/report.h"

/* "FIN,PSH,ACK" or "none" for each combination of the nine flag bits,
 * formatted the first time a TSV row has it. */
#define NCOMBOS (TT_AE << 1)

struct flag_names {
	uint8_t len[NCOMBOS];     /* 0: not formatted yet */
	char s[NCOMBOS][40];
};

struct tt_report {
	FILE *out;
	enum tt_format fmt;
	unsigned last_stream;
	int any;
	int kernel;               /* client_kernel, server_kernel columns */
	int tcb;                  /* --tcb: c_snd_una ... s_in_flight */
	struct flag_names *flags; /* TSV only */
	char *obuf;               /* tt_report_buffer: TSV lines gathered here */
	size_t on;                /* bytes waiting in obuf */
	/* for TSV rows: each state's name, padded with NULs to a fixed size
	 * so that it is copied in one go, and its length */
	char state_pad[TT_NSTATES][16];
	uint8_t state_len[TT_NSTATES];
};

/* How many bytes of TSV lines a buffered report gathers before it writes. */
#define OBUF (1u << 16)
/* The longest TSV line (struct line). */
#define TSV_LINE 512

void
tt_report_kernel(struct tt_report *r)
{
	r->kernel = 1;
}

void
tt_report_tcb(struct tt_report *r)
{
	r->tcb = 1;
}

/* --tcb: the figures of one host, in the order of tcb_columns[]. */
enum { F_SND_UNA, F_SND_NXT, F_SND_WND, F_CWND, F_SSTHRESH, F_SRTT, F_RTO, F_IN_FLIGHT, NFIGS };

static const char *const tcb_columns[NFIGS] = {
	"snd_una", "snd_nxt", "snd_wnd", "cwnd", "ssthresh", "srtt", "rto", "in_flight"
};

struct tcb_figs {
	unsigned char known[NFIGS];     /* 0: "-" (JSON null) */
	uint64_t val[NFIGS];            /* srtt and rto in microseconds */
};

/* Which figures a host has is decided here only: none without a TCB (none
 * yet, or CLOSED: deleted) or in LISTEN (no send sequence space); SRTT once
 * a round trip was measured (RFC 6298 §2); cwnd once congestion control
 * started (the engine's cwnd is 0 until then, and stays 0 with it off);
 * ssthresh once it is below the "arbitrarily high" start (RFC 5681 §3.1);
 * from a capture only what the wire shows. */
static void
tcb_figures(const struct tt_row *row, int h, struct tcb_figs *f)
{
	const struct tt_tcb_view *v = row->tcb[h];

	memset(f, 0, sizeof *f);
#define SET(i, x) (f->known[i] = 1, f->val[i] = (x))
	/* the wire's count is the capture's, whatever the observer made of it */
	if (row->tcb_wire && h == row->dir && row->tcb_flight >= 0)
		SET(F_IN_FLIGHT, (uint32_t)row->tcb_flight);
	if (v == NULL || v->state == TT_CLOSED || v->state == TT_LISTEN)
		return;
	if (!row->tcb_nobase[h]) {
		SET(F_SND_UNA, (uint32_t)(v->snd_una - row->tcb_base[h]));
		SET(F_SND_NXT, (uint32_t)(v->snd_nxt - row->tcb_base[h]));
	}
	SET(F_SND_WND, v->snd_wnd);
	if (row->tcb_wire)
		return;
	SET(F_IN_FLIGHT, (uint32_t)(v->snd_nxt - v->snd_una));
	if (v->cwnd != 0) {
		SET(F_CWND, v->cwnd);
		if (tt_ssthresh_known(v))
			SET(F_SSTHRESH, v->ssthresh);
	}
	if (v->rtt_valid && v->srtt >= 0)
		SET(F_SRTT, (uint64_t)v->srtt);
	if (v->rto >= 0)
		SET(F_RTO, (uint64_t)v->rto);
#undef SET
}

static int
fig_is_time(int i)
{
	return i == F_SRTT || i == F_RTO;
}

struct tt_report *
tt_report_new(FILE *out, enum tt_format fmt)
{
	struct tt_report *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->out = out;
	r->fmt = fmt;
	for (int i = 0; i < TT_NSTATES; i++) {
		const char *name = tt_state_name((enum tt_state)i);
		size_t k = strlen(name);

		if (k < sizeof r->state_pad[i]) {       /* else 0: tsv_fixed copies it as it is */
			memcpy(r->state_pad[i], name, k);  /* the rest is calloc's 0 */
			r->state_len[i] = (uint8_t)k;
		}
	}
	/* without it, TSV rows format their flags each time */
	if (fmt == TT_FMT_TSV)
		r->flags = calloc(1, sizeof *r->flags);
	return r;
}

void
tt_report_buffer(struct tt_report *r)
{
	if (r->fmt == TT_FMT_TSV && r->obuf == NULL)
		r->obuf = malloc(OBUF);        /* without it, a write per row */
}

void
tt_report_flush(struct tt_report *r)
{
	if (r != NULL && r->on > 0) {
		fwrite(r->obuf, 1, r->on, r->out);
		r->on = 0;
	}
}

void
tt_report_free(struct tt_report *r)
{
	if (r != NULL) {
		tt_report_flush(r);
		free(r->obuf);
		free(r->flags);
	}
	free(r);
}

static const char *tsv_columns[] = {
	"stream", "frame", "time", "dir", "src", "dst", "flags", "seq", "ack", "len",
	"win", "client_state", "server_state", "notes"
};

/* The text table's column names, in the user's language (the screen's
 * table's words), over text_row()'s columns: each where its column is
 * (numbers' names at its right end), padded by the columns a name takes on
 * a terminal; a name wider than its column pushes the next one on, a
 * blank always between them. */
static void
text_header(FILE *out)
{
	static const struct { const char *name; int width, right, gap; } col[] = {
		{ N_("frame"), 6, 1, 1 }, { N_("time"), 11, 1, 1 }, { N_("dir"), 3, 1, 1 },
		{ N_("flags"), 12, 0, 1 }, { N_("seq"), 10, 1, 1 }, { N_("ack"), 10, 1, 1 },
		{ N_("len"), 5, 1, 1 }, { N_("win"), 5, 1, 2 }, { N_("client"), 12, 0, 1 },
		{ N_("server"), 12, 0, 1 }, { N_("notes"), 0, 0, 0 },
	};
	int start = 0, at = 0;  /* where the column begins in a row; where we are */

	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		const char *name = _(col[i].name);
		int w = tt_text_width(name);
		int want = col[i].right ? start + col[i].width - w : start;
		int from = i > 0 && want < at + 1 ? at + 1 : want;

		fprintf(out, "%*s%s", from - at, "", name);
		at = from + w;
		start += col[i].width + col[i].gap;
	}
	fputc('\n', out);
}

void
tt_report_header(struct tt_report *r)
{
	switch (r->fmt) {
	case TT_FMT_TSV:
		for (size_t i = 0; i < sizeof tsv_columns / sizeof tsv_columns[0]; i++)
			fprintf(r->out, "%s%s", i ? "\t" : "", tsv_columns[i]);
		if (r->kernel)
			fputs("\tclient_kernel\tserver_kernel\tclient_probe\tserver_probe", r->out);
		for (int h = 0; r->tcb && h < 2; h++)
			for (int i = 0; i < NFIGS; i++)
				fprintf(r->out, "\t%s%s", h ? "s_" : "c_", tcb_columns[i]);
		fputc('\n', r->out);
		break;
	case TT_FMT_TEXT:
		text_header(r->out);
		break;
	case TT_FMT_JSON:
		break;
	}
}

/* Seconds with six decimals, rounded to the nearest microsecond. */
static void
format_time(char *buf, size_t len, int64_t ns)
{
	tt_fmt_secs(tt_ns_to_us(ns), buf, len);
}

/* The hot path of a large replay prints millions of rows: the TSV line is
 * built by hand into one buffer and written once, without printf. Every
 * put_ checks the room left, so a line is cut rather than overrun. */
struct line {
	char *buf;                /* TSV_LINE bytes of room */
	size_t n;
};

static void
put_mem(struct line *l, const char *s, size_t k)
{
	if (k > TSV_LINE - 1 - l->n)
		k = TSV_LINE - 1 - l->n;
	memcpy(l->buf + l->n, s, k);
	l->n += k;
}

static void
put_str(struct line *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

static void
put_ch(struct line *l, char c)
{
	if (l->n < TSV_LINE - 1)
		l->buf[l->n++] = c;
}

/* Writes the last n digits of v (n even, leading zeros kept) ending at end. */
static void
digits_back(char *end, uint32_t v, int n)
{
	for (; n > 0; n -= 2) {
		end -= 2;
		memcpy(end, &tt_digit_pairs[v % 100 * 2], 2);
		v /= 100;
	}
}

static inline void
put_u64(struct line *l, uint64_t v)
{
	if (tt_ndigits(v) > TSV_LINE - 1 - l->n)
		return;                 /* no room: the line is cut here */
	l->n = (size_t)(tt_put_decimal(l->buf + l->n, v) - l->buf);
}

/* Seconds with six decimals, as format_time() writes them, at p (room for
 * 28 bytes); returns the end. */
static inline char *
w_time(char *p, int64_t ns)
{
	int64_t t = tt_ns_to_us(ns);
	uint64_t us = t < 0 ? -(uint64_t)t : (uint64_t)t;

	if (ns < 0)
		*p++ = '-';
	p = tt_put_decimal(p, us / 1000000);
	*p++ = '.';
	digits_back(p + 6, (uint32_t)(us % 1000000), 6);
	return p + 6;
}

static void
put_time(struct line *l, int64_t ns)
{
	if (TSV_LINE - 1 - l->n < 28)
		return;
	l->n = (size_t)(w_time(l->buf + l->n, ns) - l->buf);
}

/* An endpoint column: at most ENDPOINT_MAX bytes of s (the endpoints
 * callers give are formatted in buffers of 56 or 64 bytes), then a tab. */
#define ENDPOINT_MAX 63

static inline char *
w_endpoint(char *p, const char *s)
{
	size_t k = strnlen(s, ENDPOINT_MAX);

	memcpy(p, s, k);
	p[k] = '\t';
	return p + k + 1;
}

/* A fixed-size name (flags, a state) padded with NULs: `size` bytes copied
 * in one go, `k` of them kept. */
#define W_PAD(p, s, k) (memcpy((p), (s), sizeof(s)), (p) + (k))

/* The columns from stream to server_state, each followed by a tab: at
 * most 10+20+28+4+2*64+40+4*10+2*16+12 = 314 bytes, well inside a
 * TSV_LINE, so nothing in here checks for room. */
static char *
tsv_fixed(struct tt_report *r, const struct tt_row *row, char *p)
{
	struct flag_names *fn = r->flags;
	unsigned f = row->flags;
	char buf[64];

	p = tt_put_decimal(p, row->stream);
	*p++ = '\t';
	p = tt_put_decimal(p, row->frame);
	*p++ = '\t';
	p = w_time(p, row->time_ns);
	memcpy(p, row->dir == 0 ? "\tC>S\t" : "\tS>C\t", 5);
	p = w_endpoint(p + 5, row->src);
	p = w_endpoint(p, row->dst);
	if (f < NCOMBOS && fn != NULL) {
		if (fn->len[f] == 0) {
			tt_flags_format(f, fn->s[f], sizeof fn->s[f]);
			fn->len[f] = (uint8_t)strlen(fn->s[f]);
		}
		p = W_PAD(p, fn->s[f], fn->len[f]);
	} else {
		size_t k = strnlen(tt_flags_format(f, buf, sizeof buf), 39);

		memcpy(p, buf, k);
		p += k;
	}
	*p++ = '\t';
	p = tt_put_decimal(p, row->seq);
	*p++ = '\t';
	if (row->flags & TT_ACK)
		p = tt_put_decimal(p, row->ack);
	else
		*p++ = '-';
	*p++ = '\t';
	p = tt_put_decimal(p, row->len);
	*p++ = '\t';
	p = tt_put_decimal(p, row->win);
	*p++ = '\t';
	for (int h = 0; h < 2; h++) {
		enum tt_state s = h ? row->sstate : row->cstate;

		if ((unsigned)s < TT_NSTATES && r->state_len[s] != 0) {
			p = W_PAD(p, r->state_pad[s], r->state_len[s]);
		} else {
			size_t k = strnlen(tt_state_name(s), 15);

			memcpy(p, tt_state_name(s), k);
			p += k;
		}
		*p++ = '\t';
	}
	return p;
}

static void
tsv_row(struct tt_report *r, const struct tt_row *row)
{
	char own[TSV_LINE];
	struct line l;

	/* buffered: the line is built where it will wait */
	if (r->obuf != NULL && OBUF - r->on < TSV_LINE)
		tt_report_flush(r);
	l.buf = r->obuf != NULL ? r->obuf + r->on : own;
	l.n = (size_t)(tsv_fixed(r, row, l.buf) - l.buf);
	if (row->notes[0] != '\0')
		put_str(&l, row->notes);
	if (r->kernel) {
		put_ch(&l, '\t');
		put_str(&l, row->kernel[0] != NULL ? row->kernel[0] : "-");
		put_ch(&l, '\t');
		put_str(&l, row->kernel[1] != NULL ? row->kernel[1] : "-");
		for (int h = 0; h < 2; h++) {
			const struct tt_probe_fig *p = row->probe[h];

			put_ch(&l, '\t');
			if (p == NULL) {
				put_ch(&l, '-');
				continue;
			}
			put_u64(&l, p->cwnd);
			put_ch(&l, '/');
			if (p->ssthresh == TT_PROBE_NO_SSTHRESH)
				put_ch(&l, '-');
			else
				put_u64(&l, p->ssthresh);
			put_ch(&l, '/');
			put_u64(&l, p->srtt_us);
			put_ch(&l, '/');
			put_u64(&l, p->snd_wnd);
		}
	}
	for (int h = 0; r->tcb && h < 2; h++) {
		struct tcb_figs f;

		tcb_figures(row, h, &f);
		for (int i = 0; i < NFIGS; i++) {
			put_ch(&l, '\t');
			if (!f.known[i])
				put_ch(&l, '-');
			else if (fig_is_time(i))
				put_time(&l, (int64_t)f.val[i] * 1000);
			else
				put_u64(&l, f.val[i]);
		}
	}
	l.buf[l.n++] = '\n';
	if (r->obuf != NULL)
		r->on += l.n;
	else
		fwrite(l.buf, 1, l.n, r->out);
}

/* ,"name":{"cwnd":10,"ssthresh":null,"srtt_us":17,"snd_wnd":65536} or null */
static void
json_probe(FILE *f, const char *name, const struct tt_probe_fig *p)
{
	fprintf(f, ",\"%s\":", name);
	if (p == NULL) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"cwnd\":%" PRIu32 ",\"ssthresh\":", p->cwnd);
	if (p->ssthresh == TT_PROBE_NO_SSTHRESH)
		fputs("null", f);
	else
		fprintf(f, "%" PRIu32, p->ssthresh);
	fprintf(f, ",\"srtt_us\":%" PRIu32 ",\"snd_wnd\":%" PRIu32 "}", p->srtt_us, p->snd_wnd);
}

/* A time figure (microseconds) as the time column writes it. */
static const char *
fig_time(uint64_t us, char *buf, size_t len)
{
	format_time(buf, len, (int64_t)us * 1000);
	return buf;
}

/* Text: "client snd_una=1 snd_nxt=1461 ... in_flight=1460" under the row. */
static void
text_tcb(FILE *out, const struct tt_row *row, int h)
{
	struct tcb_figs f;
	char t[32];

	tcb_figures(row, h, &f);
	fprintf(out, "%6s %11s %s", "", "", h ? "server" : "client");
	for (int i = 0; i < NFIGS; i++) {
		fprintf(out, " %s=", tcb_columns[i]);
		if (!f.known[i])
			fputc('-', out);
		else if (fig_is_time(i))
			fputs(fig_time(f.val[i], t, sizeof t), out);
		else
			fprintf(out, "%" PRIu64, f.val[i]);
	}
	fputc('\n', out);
}

void
tt_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* One JSON line; t, flags and dir already formatted (t is reused). */
static void
json_row(struct tt_report *r, const struct tt_row *row, char *t, size_t tlen, const char *flags,
         const char *dir)
{
	fprintf(r->out, "{\"stream\":%u,\"frame\":%" PRIu64 ",\"time\":%s,\"dir\":\"%s\",\"src\":",
	        row->stream, row->frame, t, dir);
	tt_json_string(r->out, row->src);
	fputs(",\"dst\":", r->out);
	tt_json_string(r->out, row->dst);
	fprintf(r->out, ",\"flags\":\"%s\",\"seq\":%" PRIu32 ",\"ack\":", flags, row->seq);
	if (row->flags & TT_ACK)
		fprintf(r->out, "%" PRIu32, row->ack);
	else
		fputs("null", r->out);
	fprintf(r->out, ",\"len\":%" PRIu32 ",\"win\":%" PRIu32
	        ",\"client_state\":\"%s\",\"server_state\":\"%s\",\"notes\":",
	        row->len, row->win, tt_state_name(row->cstate), tt_state_name(row->sstate));
	tt_json_string(r->out, row->notes);
	if (row->trans != NULL) {
		fputs(",\"transitions\":[", r->out);
		for (unsigned k = 0; k < row->ntrans; k++) {
			const struct tt_transition *tr = &row->trans[k];

			fprintf(r->out, "%s{\"host\":\"%s\",\"from\":\"%s\",\"to\":\"%s\","
			        "\"reason\":\"%s\",\"rfc\":", k ? "," : "",
			        tr->host ? "server" : "client", tt_state_name(tr->from),
			        tt_state_name(tr->to), tt_reason_id(tr->reason));
			tt_json_string(r->out, tt_reason_rfc(tr->reason));
			if (tr->crossed)
				fprintf(r->out, ",\"crossed\":%" PRIu64, tr->crossed);
			if (tr->inferred)
				fputs(",\"inferred\":true", r->out);
			fputc('}', r->out);
		}
		fputc(']', r->out);
	}
	if (r->kernel) {
		fputs(",\"client_kernel\":", r->out);
		tt_json_string(r->out, row->kernel[0] != NULL ? row->kernel[0] : "-");
		fputs(",\"server_kernel\":", r->out);
		tt_json_string(r->out, row->kernel[1] != NULL ? row->kernel[1] : "-");
		if (row->kernel_why != NULL) {
			fputs(",\"kernel_why\":", r->out);
			tt_json_string(r->out, row->kernel_why);
		}
		json_probe(r->out, "client_probe", row->probe[0]);
		json_probe(r->out, "server_probe", row->probe[1]);
	}
	for (int h = 0; r->tcb && h < 2; h++) {
		struct tcb_figs f;

		tcb_figures(row, h, &f);
		for (int i = 0; i < NFIGS; i++) {
			fprintf(r->out, ",\"%s%s\":", h ? "s_" : "c_", tcb_columns[i]);
			if (!f.known[i])
				fputs("null", r->out);
			else if (fig_is_time(i))
				fputs(fig_time(f.val[i], t, tlen), r->out);
			else
				fprintf(r->out, "%" PRIu64, f.val[i]);
		}
	}
	fputs("}\n", r->out);
}

const char *
tt_report_host(int h)
{
	return h == TT_SERVER ? _("server") : _("client");
}

/* One state change under a text row: "client: SYN-SENT -> ESTABLISHED: the
 * rule in words (RFC 9293 §3.10.7.3; what the observer made of it)", its
 * source as tt_reason_source() cites it. */
static void
text_change(FILE *out, const char *t, const char *host, enum tt_state from, enum tt_state to,
            enum tt_reason why, uint64_t crossed, int inferred)
{
	const char *text = tt_reason_text(why);
	char src[64], in[256];
	size_t n = 0;

	fprintf(out, "%6s %11s %s: ", "*", t, host);
	if (from != to)
		fprintf(out, "%s -> ", tt_state_name(from));
	fputs(tt_state_name(to), out);
	if (text != NULL && *text)
		fprintf(out, ": %s", _(text));
	in[0] = '\0';
	if (*tt_reason_source(why, src, sizeof src))
		n += (size_t)snprintf(in + n, sizeof in - n, "%s", _(src));
	if (crossed && n < sizeof in) {
		n += (size_t)snprintf(in + n, sizeof in - n, "%s", n ? _("; ") : "");
		if (n < sizeof in)
			n += (size_t)snprintf(in + n, sizeof in - n,
			                      _("frame %" PRIu64 " arrives here: the two crossed"), crossed);
	}
	if (inferred && n < sizeof in)
		snprintf(in + n, sizeof in - n, "%s%s", n ? _("; ") : "",
		         _("inferred: the capture missed a segment"));
	if (in[0])
		fprintf(out, _(" (%s)"), in);
	fputc('\n', out);
}

/* One text row, then its transitions, TCBs and the kernel's word. */
static void
text_row(struct tt_report *r, const struct tt_row *row, const char *t, const char *flags,
         const char *ack, const char *dir)
{
	char line[256];
	size_t n;

	if (!r->any || row->stream != r->last_stream)
		fprintf(r->out, _("-- stream %u: %s <-> %s\n"), row->stream,
		        row->dir == 0 ? row->src : row->dst, row->dir == 0 ? row->dst : row->src);
	n = (size_t)snprintf(line, sizeof line,
	                     "%6" PRIu64 " %11s %3s %-12s %10" PRIu32 " %10s %5" PRIu32 " %5" PRIu32
	                     "  %-12s %-12s %s",
	                     row->frame, t, dir, flags, row->seq, ack, row->len, row->win,
	                     tt_state_name(row->cstate), tt_state_name(row->sstate), row->notes);
	if (n >= sizeof line)
		n = sizeof line - 1;
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(r->out, "%s\n", line);
	for (unsigned k = 0; k < row->ntrans; k++) {
		const struct tt_transition *tr = &row->trans[k];

		text_change(r->out, "", tt_report_host(tr->host), tr->from,
		            tr->to, tr->reason, tr->crossed, tr->inferred);
	}
	for (int h = 0; r->tcb && h < 2; h++)
		text_tcb(r->out, row, h);
	if (r->kernel && row->kernel_why != NULL)
		fprintf(r->out, _("%6s %11s kernel: client %s, server %s: %s\n"), "!", "",
		        row->kernel[0] != NULL ? row->kernel[0] : "-",
		        row->kernel[1] != NULL ? row->kernel[1] : "-", row->kernel_why);
}

void
tt_report_row(struct tt_report *r, const struct tt_row *row)
{
	char t[32], flags[64], ack[16];
	const char *dir = row->dir == 0 ? "C>S" : "S>C";

	if (r->fmt == TT_FMT_TSV) {
		tsv_row(r, row);
		r->any = 1;
		r->last_stream = row->stream;
		return;
	}
	format_time(t, sizeof t, row->time_ns);
	tt_flags_format(row->flags, flags, sizeof flags);
	if (row->flags & TT_ACK)
		snprintf(ack, sizeof ack, "%" PRIu32, row->ack);
	else
		strcpy(ack, "-");
	if (r->fmt == TT_FMT_JSON)
		json_row(r, row, t, sizeof t, flags, dir);
	else
		text_row(r, row, t, flags, ack, dir);
	r->any = 1;
	r->last_stream = row->stream;
}

void
tt_report_trace(struct tt_report *r, const struct tt_trace *tr, int absolute, int events)
{
	char notes[128], ep[2][64];
	size_t nstreams = tr->nstreams;
	uint32_t (*base)[2] = calloc(nstreams ? nstreams : 1, sizeof *base);
	unsigned ep_stream = (unsigned)-1;
	struct tt_row row;
	struct tt_transition trans[TT_STEP_EVENTS];

	/* relative bases of every stream, worked out once */
	if (base != NULL && !absolute)
		tt_trace_bases(tr->steps, tr->nsteps, nstreams, tr->iss, base);
	for (size_t i = 0; i < tr->nsteps; i++) {
		const struct tt_step *st = &tr->steps[i];
		int from = st->dir & 1;
		uint32_t b[2] = { 0, 0 };

		if (st->kind != TT_STEP_SEGMENT) {
			if (events && r->fmt == TT_FMT_TEXT) {
				for (unsigned k = 0; k < st->nev; k++) {
					const struct tt_event *ev = &st->ev[k].ev;
					char t[32];

					format_time(t, sizeof t, st->time * 1000);
					text_change(r->out, t, tt_report_host(st->ev[k].host & 1), ev->from,
					            ev->to, ev->reason, 0, 0);
				}
			}
			continue;
		}
		if (st->stream != ep_stream) {
			ep_stream = st->stream;
			tr->endpoint(tr->src, st->stream, TT_CLIENT, ep[0], sizeof ep[0]);
			tr->endpoint(tr->src, st->stream, TT_SERVER, ep[1], sizeof ep[1]);
		}
		if (base != NULL && !absolute && st->stream < nstreams) {
			b[0] = base[st->stream][0];
			b[1] = base[st->stream][1];
		}
		memset(&row, 0, sizeof row);
		row.stream = st->stream;
		row.frame = st->frame;
		row.time_ns = st->time * 1000;
		row.dir = from;
		row.src = ep[from];
		row.dst = ep[!from];
		row.flags = st->seg.flags;
		tt_trace_rel(st, b, &row.seq, &row.ack);
		if (!(st->seg.flags & TT_ACK))
			row.ack = 0;
		row.len = st->seg.len;
		row.win = st->seg.wnd;
		row.cstate = st->tcb[0].state;
		row.sstate = st->tcb[1].state;
		row.notes = tt_notes_format(st->notes, notes, sizeof notes);
		row.tcb[0] = &st->tcb[0];
		row.tcb[1] = &st->tcb[1];
		row.tcb_base[0] = b[0];
		row.tcb_base[1] = b[1];
		/* the state changes the segment's arrival made, as replay's rows
		 * carry them */
		row.trans = trans;
		for (unsigned k = 0; k < st->nev && k < TT_STEP_EVENTS; k++)
			if (st->ev[k].ev.from != st->ev[k].ev.to)
				trans[row.ntrans++] = (struct tt_transition){
					.host = st->ev[k].host & 1, .from = st->ev[k].ev.from,
					.to = st->ev[k].ev.to, .reason = st->ev[k].ev.reason,
				};
		tt_report_row(r, &row);
	}
	free(base);
}
