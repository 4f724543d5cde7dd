// SPDX-License-Identifier: MIT
/*
 * Values printed as the gops agent prints them: the expected strings are what
 * Go 1.19's fmt.Printf("%v") and time.Time.String() print for the same
 * values (TZ=UTC and TZ=America/New_York), and gops' formatBytes.
 */
#include <stdlib.h>
#include <time.h>

#include "base/gofmt.h"
#include "harness.h"

static const char *fl(double v)
{
	static char buf[64];

	gofmt_float(v, buf, sizeof(buf));
	return buf;
}

TEST(test_gofmt_float_as_go_prints_it)
{
	CHECK_STR(fl(0), "0");
	CHECK_STR(fl(1), "1");
	CHECK_STR(fl(0.5), "0.5");
	CHECK_STR(fl(100000), "100000");
	CHECK_STR(fl(1234567), "1.234567e+06");
	CHECK_STR(fl(1e20), "1e+20");
	CHECK_STR(fl(123456789012345678901234.0), "1.2345678901234569e+23");
	CHECK_STR(fl(0.0001), "0.0001");
	CHECK_STR(fl(0.00001234), "1.234e-05");
	CHECK_STR(fl(1.0 / 3), "0.3333333333333333");
	CHECK_STR(fl(2.5e-7), "2.5e-07");
	CHECK_STR(fl(0.012345678901234567), "0.012345678901234567");
	CHECK_STR(fl(42.125), "42.125");
	CHECK_STR(fl(-3.75), "-3.75");
	CHECK_STR(fl(123456.789), "123456.789");
}

static const char *tm(long long ns)
{
	static char buf[96];

	gofmt_time(ns, buf, sizeof(buf));
	return buf;
}

TEST(test_gofmt_time_as_go_prints_it)
{
	setenv("TZ", "UTC", 1);
	tzset();
	CHECK_STR(tm(1764653400123456789LL), "2025-12-02 05:30:00.123456789 +0000 UTC");
	CHECK_STR(tm(1764653400000000000LL), "2025-12-02 05:30:00 +0000 UTC");
	CHECK_STR(tm(1764653400100000000LL), "2025-12-02 05:30:00.1 +0000 UTC");
	CHECK_STR(tm(1), "1970-01-01 00:00:00.000000001 +0000 UTC");
	setenv("TZ", "America/New_York", 1);
	tzset();
	CHECK_STR(tm(1764653400100000000LL), "2025-12-02 00:30:00.1 -0500 EST");
	unsetenv("TZ");
	tzset();
}

static const char *by(unsigned long long n)
{
	static char buf[64];

	gofmt_bytes(n, buf, sizeof(buf));
	return buf;
}

TEST(test_gofmt_bytes_as_gops_prints_them)
{
	CHECK_STR(by(0), "0 bytes");
	CHECK_STR(by(1023), "1023 bytes");
	CHECK_STR(by(1536), "1.50KB (1536 bytes)");
	CHECK_STR(by(2024200), "1.93MB (2024200 bytes)");
	CHECK_STR(by(1048575), "1024.00KB (1048575 bytes)");
}
