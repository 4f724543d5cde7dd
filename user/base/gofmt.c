// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/gofmt.h"

void gofmt_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB", "PB" };
	uint64_t scale = 1024;
	size_t unit = 0;

	if (n < 1024) {
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
		return;
	}
	while (unit < sizeof(units) / sizeof(units[0]) - 1 && n / scale >= 1024) {
		unit++;
		scale *= 1024;
	}
	snprintf(buf, len, "%.2f%s (%llu bytes)", (double)n / (double)scale, units[unit],
		(unsigned long long)n);
}

void gofmt_time(int64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	char date[64], zone[24], fs[16] = "";
	struct tm tm;
	long off;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	localtime_r(&sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	if (frac) {
		int digits = 9;

		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(fs, sizeof(fs), ".%0*ld", digits, frac);
	}
	off = (tm.tm_gmtoff / 60) % (100 * 60); /* a real offset is under 24 hours */
	snprintf(zone, sizeof(zone), "%c%02ld%02ld", off < 0 ? '-' : '+', labs(off) / 60,
		labs(off) % 60);
	snprintf(buf, len, "%s%s %s %s", date, fs, zone, tm.tm_zone ? tm.tm_zone : "UTC");
}

/*
 * Go's %v of a float64 is strconv's 'g' with the shortest precision: the
 * shortest digits that read back, as %e when the exponent is below -4 or at
 * least 6 (strconv's eprec for the shortest form), else as a plain decimal.
 */
void gofmt_float(double v, char *buf, size_t len)
{
	char e[40], digits[24], *mant_end;
	int prec, exp, nd = 0;

	if (v == 0) {
		snprintf(buf, len, signbit(v) ? "-0" : "0");
		return;
	}
	if (isnan(v) || isinf(v)) {
		snprintf(buf, len, isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"));
		return;
	}
	for (prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is [-]D[.DDD]e[+-]XX: collect the digits and the exponent. */
	mant_end = strchr(e, 'e');
	exp = atoi(mant_end + 1);
	for (char *p = e; p < mant_end; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof(digits) - 1)
			digits[nd++] = *p;
	digits[nd] = '\0';
	if (exp < -4 || exp >= 6) {
		snprintf(buf, len, "%s%c%s%se%c%02d", v < 0 ? "-" : "", digits[0],
			nd > 1 ? "." : "", digits + 1, exp < 0 ? '-' : '+', abs(exp));
		return;
	}
	/* Plain decimal: digits with the point after exp+1 of them, zeros as needed. */
	{
		char out[64];
		size_t o = 0;

		if (v < 0)
			out[o++] = '-';
		if (exp < 0) {
			out[o++] = '0';
			out[o++] = '.';
			for (int z = 0; z < -exp - 1; z++)
				out[o++] = '0';
			for (int i = 0; i < nd; i++)
				out[o++] = digits[i];
		} else {
			for (int i = 0; i <= exp || i < nd; i++) {
				if (i == exp + 1)
					out[o++] = '.';
				out[o++] = i < nd ? digits[i] : '0';
			}
		}
		out[o] = '\0';
		snprintf(buf, len, "%s", out);
	}
}
