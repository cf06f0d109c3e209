/* engine/names.c: names of states, flags and reasons, generated from the
 * lists in tcp.h so that an enum and its names can never drift apart; and
 * struct tt_out's two helpers (clearing it, appending an event). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine/tcp.h"

static const char *const state_names[] = {
#define TT_STATE_NAME(id, name) name,
	TT_STATES(TT_STATE_NAME)
#undef TT_STATE_NAME
};

const char *
tt_state_name(enum tt_state s)
{
	if ((unsigned)s >= TT_NSTATES)
		return "?";
	return state_names[s];
}

int
tt_state_from_name(const char *name)
{
	for (int i = 0; i < TT_NSTATES; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	/* The BSD spelling SYN-RCVD and the socket-API underscores are accepted. */
	if (strcmp(name, "SYN-RCVD") == 0 || strcmp(name, "SYN_RCVD") == 0 ||
	    strcmp(name, "SYN_RECV") == 0)
		return TT_SYN_RECEIVED;
	for (int i = 0; i < TT_NSTATES; i++) {
		const char *a = state_names[i], *b = name;

		while (*a != '\0' && (*a == *b || (*a == '-' && *b == '_')))
			a++, b++;
		if (*a == '\0' && *b == '\0')
			return i;
	}
	return -1;
}

/* Wireshark's order: FIN,SYN,RST,PSH,ACK,URG,ECE,CWR (the bit order). */
static const char *const flag_bit_names[] = {
	"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"
};
#define NFLAGS (sizeof flag_bit_names / sizeof flag_bit_names[0])

size_t
tt_bits_format(unsigned bits, const char *const *names, unsigned nnames, char *buf, size_t len)
{
	size_t at = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < nnames; i++) {
		int n;

		if (!(bits & (1u << i)))
			continue;
		n = snprintf(buf + at, len - at, "%s%s", at ? "," : "", names[i]);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
	return at;
}

char *
tt_flags_format(unsigned flags, char *buf, size_t len)
{
	if (tt_bits_format(flags, flag_bit_names, NFLAGS, buf, len) == 0 && len > 0)
		snprintf(buf, len, "none");
	return buf;
}

char *
tt_flags_format_bits(unsigned flags, char *buf, size_t len)
{
	/* The textbooks' way: SYN and ACK always, FIN and RST when set. */
	snprintf(buf, len, "SYN=%d,ACK=%d%s%s%s", !!(flags & TT_SYN), !!(flags & TT_ACK),
	         flags & TT_FIN ? ",FIN=1" : "", flags & TT_RST ? ",RST=1" : "",
	         flags & TT_PSH ? ",PSH=1" : "");
	return buf;
}

int
tt_flags_parse_twice(const char *s, char *twice, size_t len)
{
	int flags = 0;

	if (twice != NULL && len > 0)
		twice[0] = '\0';
	if (strcmp(s, "none") == 0 || strcmp(s, "-") == 0)
		return 0;
	while (*s != '\0') {
		const char *start = s;
		char word[8];
		size_t n = 0;
		size_t i;

		while (*s != '\0' && *s != ',' && *s != '|' && *s != '+') {
			if (n + 1 >= sizeof word)
				return -1;
			word[n++] = (char)toupper((unsigned char)*s++);
		}
		word[n] = '\0';
		if (*s != '\0')
			s++;
		for (i = 0; i < NFLAGS; i++)
			if (strcmp(word, flag_bit_names[i]) == 0)
				break;
		if (i == NFLAGS)
			return -1;
		if ((flags & 1 << i) && twice != NULL && len > 0 && twice[0] == '\0')
			snprintf(twice, len, "%.*s", (int)n, start);
		flags |= 1 << i;
	}
	return flags;
}

int
tt_flags_parse(const char *s)
{
	return tt_flags_parse_twice(s, NULL, 0);
}

uint32_t
tt_seg_seqlen(const struct tt_seg *seg)
{
	return seg->len + !!(seg->flags & TT_SYN) + !!(seg->flags & TT_FIN);
}

static const struct {
	const char *id, *rfc, *text;
} reasons[] = {
#define TT_REASON_ROW(id, sec, text) { #id, sec, text },
	TT_REASONS(TT_REASON_ROW)
#undef TT_REASON_ROW
};

const char *
tt_reason_id(enum tt_reason r)
{
	return (unsigned)r < TT_NREASONS ? reasons[r].id : "?";
}

const char *
tt_reason_rfc(enum tt_reason r)
{
	return (unsigned)r < TT_NREASONS ? reasons[r].rfc : "";
}

const char *
tt_reason_text(enum tt_reason r)
{
	return (unsigned)r < TT_NREASONS ? reasons[r].text : "";
}

const char *
tt_reason_source(enum tt_reason r, char *buf, size_t len)
{
	const char *sec = tt_reason_rfc(r);

	if (strcmp(sec, "what-if") == 0)
		sec = "what-if rule";   /* a rule of this engine's, not an RFC's */
	else if (strcmp(sec, "sim") == 0)
		sec = "simulation";     /* the simulated host or wire, not TCP */
	if (sec[0] >= '0' && sec[0] <= '9')
		snprintf(buf, len, "RFC 9293 \u00a7%s", sec);
	else
		snprintf(buf, len, "%s", sec);
	return buf;
}
