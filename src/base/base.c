/* base/base.c: growing arrays, reading files, text width (base/base.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/base.h"

int
tt_grow(void *pp, size_t *cap, size_t need, size_t size, size_t first)
{
	void **p = pp;
	size_t c = *cap ? *cap : (first ? first : 16);
	void *np;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
	if (size && c > SIZE_MAX / size)
		return -1;
	if ((np = realloc(*p, c * size)) == NULL)
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

char *
tt_read_stream(FILE *f, size_t max, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;

	for (;;) {
		size_t got;

		if (cap - n < 4096 + 1) {
			if (cap > max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			if (tt_grow(&buf, &cap, n + 4096 + 1, 1, 8192) < 0) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		free(buf);
		errno = e;
		return NULL;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *
tt_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f;
	char *buf;
	int e;

	if (strcmp(path, "-") == 0)
		return tt_read_stream(stdin, max, len);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf = tt_read_stream(f, max, len);
	e = errno;
	fclose(f);
	errno = e;
	return buf;
}

const char tt_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

const char *
tt_fmt_decimal(char *buf, uint64_t v)
{
	*tt_put_decimal(buf, v) = '\0';
	return buf;
}

char *
tt_fmt_secs(int64_t us, char *buf, size_t len)
{
	uint64_t u = us < 0 ? -(uint64_t)us : (uint64_t)us;

	snprintf(buf, len, "%s%" PRIu64 ".%06" PRIu64, us < 0 ? "-" : "", u / 1000000, u % 1000000);
	return buf;
}

int
tt_text_nwidth(const char *s, size_t n)
{
	mbstate_t st;
	int cols = 0;

	memset(&st, 0, sizeof st);
	while (n > 0 && *s) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			cols++;
			s++;
			n--;
			continue;
		}
		if (k == 0)
			break;
		w = wcwidth(wc);
		cols += w < 0 ? 1 : w;
		s += k;
		n -= k;
	}
	return cols;
}

int
tt_text_width(const char *s)
{
	return tt_text_nwidth(s, strlen(s));
}
