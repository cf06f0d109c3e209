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
/* The decimal digits of v, written by hand (no printf: tables print a
 * number per cell, lists look at every item's) at the end of buf, which
 * has TT_DECIMAL bytes; returns where they start. */
#define TT_DECIMAL 24
const char *tt_fmt_decimal(char *buf, uint64_t v);
/* "00" "01" ... "99": the two digits of n at tt_digit_pairs[2 * n], for
 * writers that take a number apart a hundred at a time. */
extern const char tt_digit_pairs[201];

/* Columns a UTF-8 string takes on a terminal, by wcwidth(3) in the current
 * locale (an invalid byte or a character wcwidth does not know counts one:
 * the screen shows a replacement for it). */
int tt_text_width(const char *s);
/* The same for the first n bytes. */
int tt_text_nwidth(const char *s, size_t n);

#endif
