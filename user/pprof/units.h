/* SPDX-License-Identifier: MIT */
/* Measurement: values scaled to units and formatted as pprof does (private to user/pprof). */
#ifndef GOPS_PPROF_UNITS_H
#define GOPS_PPROF_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "pprof/str.h"

/* A value scaled to a unit. */
struct scaled {
	double v;
	struct sv unit;
};

/* A formatted value: number then unit; the unit may come from the profile. */
struct label {
	char num[512];
	struct sv unit;
};

/* measurement.Scale: value in unit from, in unit to ("auto" or "minimum": the best fit). */
struct scaled scale(int64_t value, struct sv from, struct sv to);

/* measurement.ScaledLabel */
void scaled_label(int64_t value, struct sv from, struct sv to, struct label *l);

/* measurement.Percentage of value in total, into buf. */
void percentage(int64_t value, int64_t total, char *buf, size_t len);

#endif
