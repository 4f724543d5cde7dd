// SPDX-License-Identifier: MIT
/*
 * Units as pprof knows them (internal/measurement/measurement.go in
 * github.com/google/pprof, as vendored in Go 1.19): the unit types, how a
 * unit name is recognised, scaling to the unit that fits, and the labels and
 * percentages of the report's columns.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pprof/units.h"

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_type {
	struct unit def;
	const struct unit *units;
	size_t n;
};

static const struct unit memory_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, (double)(1ull << 10) },
	{ "MB", { "mb", "mbyte", "megabyte" }, (double)(1ull << 20) },
	{ "GB", { "gb", "gbyte", "gigabyte" }, (double)(1ull << 30) },
	{ "TB", { "tb", "tbyte", "terabyte" }, (double)(1ull << 40) },
	{ "PB", { "pb", "pbyte", "petabyte" }, (double)(1ull << 50) },
};

static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },
	{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 },
	{ "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3600e9 },
};

static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 },
	{ "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 },
	{ "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },
	{ "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },
	{ "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

static const struct unit_type unit_types[] = {
	{ { "B", { "b", "byte" }, 1 }, memory_units,
		sizeof(memory_units) / sizeof(memory_units[0]) },
	{ { "s", { NULL }, 1e9 }, time_units, sizeof(time_units) / sizeof(time_units[0]) },
	{ { "GCU", { NULL }, 1 }, gcu_units, sizeof(gcu_units) / sizeof(gcu_units[0]) },
};

/*
 * strings.ToLower, as far as it can matter for matching the (ASCII and "μs")
 * aliases: the only runes that lower to ASCII or to μ are mapped; any other
 * non-ASCII rune is copied as is, and cannot match. Returns false when the
 * result cannot be an alias at all (too long).
 */
static bool go_lower(struct sv s, char *buf, size_t cap, size_t *len)
{
	size_t o = 0, size;

	for (size_t i = 0; i < s.n; i += size) {
		uint32_t r = utf8_rune((const unsigned char *)s.p + i, s.n - i, &size);
		const char *rep = NULL;
		char one[2] = { 0 };

		if (r >= 'A' && r <= 'Z') {
			one[0] = (char)(r - 'A' + 'a');
			rep = one;
		} else if (r == 0x212a) { /* KELVIN SIGN */
			rep = "k";
		} else if (r == 0x130) { /* LATIN CAPITAL LETTER I WITH DOT ABOVE */
			rep = "i";
		} else if (r == 0x39c) { /* GREEK CAPITAL LETTER MU */
			rep = "\xce\xbc";
		} else if (r == 0xfffd && size == 1) {
			rep = "\xef\xbf\xbd";
		}
		if (rep) {
			size_t rl = strlen(rep);

			if (o + rl > cap)
				return false;
			memcpy(buf + o, rep, rl);
			o += rl;
		} else {
			if (o + size > cap)
				return false;
			memcpy(buf + o, s.p + i, size);
			o += size;
		}
	}
	*len = o;
	return true;
}

/* unitType.sniffUnit */
static const struct unit *sniff_unit(const struct unit_type *ut, struct sv name)
{
	char buf[64];
	size_t len;

	if (!go_lower(name, buf, sizeof(buf), &len))
		return NULL;
	if (len > 2 && buf[len - 1] == 's')
		len--;
	for (size_t i = 0; i < ut->n; i++)
		for (size_t a = 0; a < 4 && ut->units[i].aliases[a]; a++)
			if (strlen(ut->units[i].aliases[a]) == len &&
				memcmp(ut->units[i].aliases[a], buf, len) == 0)
				return &ut->units[i];
	return NULL;
}

/* measurement.Scale */
struct scaled scale(int64_t value, struct sv from, struct sv to)
{
	struct scaled r;

	if (value < 0 && value != INT64_MIN) {
		r = scale(-value, from, to);
		r.v = -r.v;
		return r;
	}
	for (size_t t = 0; t < sizeof(unit_types) / sizeof(unit_types[0]); t++) {
		const struct unit_type *ut = &unit_types[t];
		const struct unit *fu = sniff_unit(ut, from), *tu;
		double v;

		if (!fu)
			continue;
		v = (double)value * fu->factor;
		if (sv_eq(to, "minimum") || sv_eq(to, "auto")) {
			double f = 0;
			const char *name = NULL;

			for (size_t i = 0; i < ut->n; i++) {
				if (ut->units[i].factor >= f && v / ut->units[i].factor >= 1.0) {
					f = ut->units[i].factor;
					name = ut->units[i].name;
				}
			}
			if (f != 0) {
				r.v = v / f;
				r.unit = sv_c(name);
				return r;
			}
			r.v = v / ut->def.factor;
			r.unit = sv_c(ut->def.name);
			return r;
		}
		tu = sniff_unit(ut, to);
		if (!tu)
			tu = &ut->def;
		r.v = v / tu->factor;
		r.unit = sv_c(tu->name);
		return r;
	}
	r.v = (double)value;
	if (sv_eq(to, "count") || sv_eq(to, "sample") || sv_eq(to, "unit") ||
		sv_eq(to, "minimum") || sv_eq(to, "auto"))
		r.unit = sv_c("");
	else
		r.unit = to;
	return r;
}

/* measurement.ScaledLabel */
void scaled_label(int64_t value, struct sv from, struct sv to, struct label *l)
{
	struct scaled s = scale(value, from, to);
	size_t n;

	snprintf(l->num, sizeof(l->num), "%.2f", s.v);
	n = strlen(l->num);
	if (n >= 3 && strcmp(l->num + n - 3, ".00") == 0)
		l->num[n - 3] = '\0';
	l->unit = s.unit;
	if (strcmp(l->num, "0") == 0 || strcmp(l->num, "-0") == 0)
		l->unit = sv_c("");
}

/* measurement.Percentage */
void percentage(int64_t value, int64_t total, char *buf, size_t len)
{
	double ratio = 0;

	if (total != 0) {
		ratio = (double)value / (double)total * 100;
		if (ratio < 0)
			ratio = -ratio;
	}
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, len, "  100%%");
	else if (ratio >= 1.0)
		snprintf(buf, len, "%5.2f%%", ratio);
	else
		snprintf(buf, len, "%5.2g%%", ratio);
}
