// SPDX-License-Identifier: MIT
/*
 * Go's time.ParseDuration and time.Duration.String, rule for rule, so that a
 * period typed for gops means the same here and prints back the same.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/duration.h"

#define NS_PER_SEC 1000000000ULL
#define ONE_63 (1ULL << 63)

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{ "ns", 1ULL },
	{ "us", 1000ULL },
	{ "\xc2\xb5s", 1000ULL }, /* U+00B5 micro sign */
	{ "\xce\xbcs", 1000ULL }, /* U+03BC greek mu */
	{ "ms", 1000000ULL },
	{ "s", NS_PER_SEC },
	{ "m", 60 * NS_PER_SEC },
	{ "h", 3600 * NS_PER_SEC },
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * time.ParseDuration. Returns 0 with the value in *out, -ERANGE when a number
 * overflows, -EINVAL for anything else Go rejects.
 */
static int go_parse_duration(const char *s, long long *out)
{
	bool neg = false;
	uint64_t d = 0;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (!*s)
		return -EINVAL;
	while (*s) {
		uint64_t v = 0, f = 0, unit = 0;
		double scale = 1;
		bool pre, post = false, overflow = false;
		const char *start = s;
		size_t ulen, i;

		if (!(*s == '.' || is_digit(*s)))
			return -EINVAL;
		/* leadingInt */
		for (; is_digit(*s); s++) {
			if (v > ONE_63 / 10)
				return -ERANGE;
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > ONE_63)
				return -ERANGE;
		}
		pre = s != start;
		if (*s == '.') {
			const char *fs = ++s;

			/* leadingFraction: stops gaining precision on overflow */
			for (; is_digit(*s); s++) {
				uint64_t y;

				if (overflow)
					continue;
				if (f > (ONE_63 - 1) / 10) {
					overflow = true;
					continue;
				}
				y = f * 10 + (uint64_t)(*s - '0');
				if (y > ONE_63) {
					overflow = true;
					continue;
				}
				f = y;
				scale *= 10;
			}
			post = s != fs;
		}
		if (!pre && !post)
			return -EINVAL;
		for (ulen = 0; s[ulen] && s[ulen] != '.' && !is_digit(s[ulen]); ulen++)
			;
		if (ulen == 0)
			return -EINVAL;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].name) == ulen && memcmp(units[i].name, s, ulen) == 0)
				unit = units[i].ns;
		if (!unit)
			return -EINVAL;
		s += ulen;
		if (v > ONE_63 / unit)
			return -ERANGE;
		v *= unit;
		if (f > 0) {
			/* Go does this in float64 too; same operations, same rounding. */
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > ONE_63)
				return -ERANGE;
		}
		d += v;
		if (d > ONE_63)
			return -ERANGE;
	}
	if (neg) {
		*out = (long long)(0 - d);
		return 0;
	}
	if (d > ONE_63 - 1)
		return -ERANGE;
	*out = (long long)d;
	return 0;
}

/* strconv.Atoi on a 64-bit platform: [+-]digits, within int64. */
static int go_atoi(const char *s, long long *out)
{
	bool neg = false;
	uint64_t v = 0, lim;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (!*s)
		return -EINVAL;
	lim = neg ? ONE_63 : ONE_63 - 1;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		if (v > (lim - (uint64_t)(*s - '0')) / 10) {
			/* keep scanning: garbage later still makes it -EINVAL */
			for (s++; *s; s++)
				if (!is_digit(*s))
					return -EINVAL;
			return -ERANGE;
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}

int duration_parse(const char *s, long long *ns)
{
	long long v;
	int err, err2;

	if (!s || !*s)
		return -EINVAL;
	err = go_parse_duration(s, &v);
	if (err == 0) {
		if (v < 0)
			return -ERANGE;
		*ns = v;
		return 0;
	}
	/* gops falls back to a whole number of seconds. */
	err2 = go_atoi(s, &v);
	if (err2 == -ERANGE)
		return -ERANGE;
	if (err2 < 0)
		return err == -ERANGE ? -ERANGE : -EINVAL;
	if (v < 0)
		return -ERANGE;
	if ((unsigned long long)v > (ONE_63 - 1) / NS_PER_SEC)
		return -ERANGE;
	*ns = v * (long long)NS_PER_SEC;
	return 0;
}

/* fmtFrac: the fraction of v/10^prec without trailing zeros, written backwards. */
static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
	bool print = false;

	for (int i = 0; i < prec; i++) {
		unsigned int digit = (unsigned int)(*v % 10);

		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--w] = '.';
	return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	if (v == 0) {
		buf[--w] = '0';
		return w;
	}
	while (v > 0) {
		buf[--w] = (char)('0' + v % 10);
		v /= 10;
	}
	return w;
}

void duration_format(long long ns, char *buf, size_t len)
{
	char tmp[32];
	size_t w = sizeof(tmp);
	bool neg = ns < 0;
	uint64_t u = neg ? 0 - (uint64_t)ns : (uint64_t)ns;

	if (u < NS_PER_SEC) {
		int prec;

		tmp[--w] = 's';
		if (u == 0) {
			snprintf(buf, len, "0s");
			return;
		} else if (u < 1000) {
			prec = 0;
			tmp[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			tmp[--w] = '\xb5'; /* U+00B5, as Go writes it */
			tmp[--w] = '\xc2';
		} else {
			prec = 6;
			tmp[--w] = 'm';
		}
		w = fmt_frac(tmp, w, &u, prec);
		w = fmt_int(tmp, w, u);
	} else {
		tmp[--w] = 's';
		w = fmt_frac(tmp, w, &u, 9);
		w = fmt_int(tmp, w, u % 60);
		u /= 60;
		if (u > 0) {
			tmp[--w] = 'm';
			w = fmt_int(tmp, w, u % 60);
			u /= 60;
			if (u > 0) {
				tmp[--w] = 'h';
				w = fmt_int(tmp, w, u);
			}
		}
	}
	if (neg)
		tmp[--w] = '-';
	snprintf(buf, len, "%.*s", (int)(sizeof(tmp) - w), tmp + w);
}
