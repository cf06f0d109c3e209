/* base/base.h: the few helpers every part needs, written once.
 *
 * No TCP here and nothing that prints: growing an array, reading a whole
 * file, the display width of a UTF-8 string. Every library may use it
 * (doc/design.md, "Parts").
 */
#ifndef TT_BASE_H
#define TT_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Makes room for at least `need` elements of `size` bytes in the array *pp
 * of capacity *cap (doubling, starting at `first`); returns 0, or -1 with
 * *pp and *cap unchanged when memory runs out or the size would overflow. */
int tt_grow(void *pp, size_t *cap, size_t need, size_t size, size_t first);

/* Grows the array `p` (capacity `cap`) to hold one more element beyond
 * `n`; evaluates to 0 or -1 as tt_grow(). */
#define TT_GROW(p, n, cap, first) \
	((n) < (cap) ? 0 : tt_grow(&(p), &(cap), (size_t)(n) + 1, sizeof *(p), (first)))

/* Reads all of `f` into a new NUL-terminated buffer (*len bytes before the
 * NUL); returns it, or NULL with errno set (EFBIG past `max` bytes). */
char *tt_read_stream(FILE *f, size_t max, size_t *len);
/* The same for a file by name ("-" is standard input); NULL with errno set. */
char *tt_read_file(const char *path, size_t max, size_t *len);

/* Seconds with six decimals from microseconds ("[-]S.UUUUUU"), the one
 * way every table and text writes a time; returns buf. */
char *tt_fmt_secs(int64_t us, char *buf, size_t len);
/* "00" "01" ... "99": the two digits of n at tt_digit_pairs[2 * n], for
 * writers that take a number apart a hundred at a time. */
extern const char tt_digit_pairs[201];

/* How many decimal digits v has. */
static inline size_t
tt_ndigits(uint64_t v)
{
	size_t k = 1;

	if (v > UINT32_MAX) {           /* rare: a frame number or a time */
		for (; v >= 100; v /= 100)
			k += 2;
		return k + (v >= 10);
	}
	/* the common case by three or four comparisons, no division */
	if (v < 100000)
		return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5;
	return v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/* The decimal digits of v written by hand at p (no printf: tables print a
 * number per cell, lists look at every item's), the last one first, two a
 * division and in 32 bits once they fit; returns the end. p has room for
 * tt_ndigits(v) bytes (at most 20); no NUL is written. */
static inline char *
tt_put_decimal(char *p, uint64_t v)
{
	char *end = p + tt_ndigits(v);
	uint32_t w;

	p = end;
	for (; v > UINT32_MAX; v /= 100) {
		p -= 2;
		memcpy(p, &tt_digit_pairs[v % 100 * 2], 2);
	}
	for (w = (uint32_t)v; w >= 100; w /= 100) {
		p -= 2;
		memcpy(p, &tt_digit_pairs[w % 100 * 2], 2);
	}
	if (w >= 10)
		memcpy(p - 2, &tt_digit_pairs[w * 2], 2);
	else
		p[-1] = (char)('0' + w);
	return end;
}

/* The same as a string in buf, which has TT_DECIMAL bytes; returns buf. */
#define TT_DECIMAL 24
const char *tt_fmt_decimal(char *buf, uint64_t v);

/* Nanoseconds to whole microseconds, to the nearest (halves away from
 * zero): how every time of a capture is shown and stepped through, so that
 * the step view, the tables and tshark's six decimals agree. */
static inline int64_t
tt_ns_to_us(int64_t ns)
{
	uint64_t us = ((ns < 0 ? -(uint64_t)ns : (uint64_t)ns) + 500) / 1000;

	return ns < 0 ? -(int64_t)us : (int64_t)us;
}

/* splitmix64 (Steele, Lea and Flood, 2014): tt_mix64 scrambles a 64-bit
 * word; tt_next64 is the seeded stream of numbers it makes, each call the
 * next. Small, fast and good enough for every seeded choice here (the
 * simulator's, the quiz's, the tests'); no secret depends on it. */
static inline uint64_t
tt_mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t
tt_next64(uint64_t *state)
{
	uint64_t v = tt_mix64(*state);

	*state += 0x9e3779b97f4a7c15ull;
	return v;
}

/* Columns a UTF-8 string takes on a terminal, by wcwidth(3) in the current
 * locale (an invalid byte or a character wcwidth does not know counts one:
 * the screen shows a replacement for it). */
int tt_text_width(const char *s);
/* The same for the first n bytes. */
int tt_text_nwidth(const char *s, size_t n);

#endif
