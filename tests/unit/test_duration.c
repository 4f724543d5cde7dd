// SPDX-License-Identifier: MIT
/* Expected values come from Go 1.19 (time.Duration.String, time.ParseDuration, strconv.Atoi). */
#include <errno.h>

#include "base/duration.h"
#include "harness.h"

static const char *fmt(long long ns)
{
	static char buf[64];

	duration_format(ns, buf, sizeof(buf));
	return buf;
}

TEST(test_duration_formats_like_go)
{
	CHECK_STR(fmt(0), "0s");
	CHECK_STR(fmt(1), "1ns");
	CHECK_STR(fmt(999), "999ns");
	CHECK_STR(fmt(1000), "1\xc2\xb5s");
	CHECK_STR(fmt(1500), "1.5\xc2\xb5s");
	CHECK_STR(fmt(999999), "999.999\xc2\xb5s");
	CHECK_STR(fmt(1000000), "1ms");
	CHECK_STR(fmt(1500000), "1.5ms");
	CHECK_STR(fmt(12345678), "12.345678ms");
	CHECK_STR(fmt(999999999), "999.999999ms");
	CHECK_STR(fmt(1000000000), "1s");
	CHECK_STR(fmt(1500000000), "1.5s");
	CHECK_STR(fmt(2000000000), "2s");
	CHECK_STR(fmt(60000000000), "1m0s");
	CHECK_STR(fmt(90000000000), "1m30s");
	CHECK_STR(fmt(3600000000000), "1h0m0s");
	CHECK_STR(fmt(3661000000001), "1h1m1.000000001s");
	CHECK_STR(fmt(360000000000000), "100h0m0s");
	CHECK_STR(fmt(-1), "-1ns");
	CHECK_STR(fmt(-1500000000), "-1.5s");
	CHECK_STR(fmt(9223372036854775807LL), "2562047h47m16.854775807s");
	CHECK_STR(fmt(-9223372036854775807LL - 1), "-2562047h47m16.854775808s");
}

TEST(test_duration_format_truncates_to_buffer)
{
	char small[4];

	duration_format(90000000000, small, sizeof(small));
	CHECK_STR(small, "1m3");
}

static long long parsed(const char *s)
{
	long long ns = -12345;
	int err = duration_parse(s, &ns);

	if (err)
		harness_fail(__FILE__, __LINE__, "duration_parse(\"%s\") = %d", s, err);
	return ns;
}

TEST(test_duration_parses_go_durations)
{
	CHECK_INT(parsed("2s"), 2000000000LL);
	CHECK_INT(parsed("1m30s"), 90000000000LL);
	CHECK_INT(parsed("1.5h"), 5400000000000LL);
	CHECK_INT(parsed("300ms"), 300000000LL);
	CHECK_INT(parsed("10us"), 10000LL);
	CHECK_INT(parsed("10\xc2\xb5s"), 10000LL); /* micro sign */
	CHECK_INT(parsed("10\xce\xbcs"), 10000LL); /* greek mu */
	CHECK_INT(parsed("5ns"), 5LL);
	CHECK_INT(parsed("0"), 0LL);
	CHECK_INT(parsed("-0"), 0LL);
	CHECK_INT(parsed("-0s"), 0LL);
	CHECK_INT(parsed("1.5s"), 1500000000LL);
	CHECK_INT(parsed(".5s"), 500000000LL);
	CHECK_INT(parsed("5.s"), 5000000000LL);
	CHECK_INT(parsed("+2s"), 2000000000LL);
	CHECK_INT(parsed("1h2m3s4ms5us6ns"), 3723004005006LL);
	CHECK_INT(parsed("0.000000001s"), 1LL);
	CHECK_INT(parsed("1.0000000001s"), 1000000000LL);
	CHECK_INT(parsed("0.1h"), 360000000000LL);
	CHECK_INT(parsed("3.3333333333333333333h"), 12000000000000LL);
	CHECK_INT(parsed("2562047h47m16.854775807s"), 9223372036854775807LL);
	CHECK_INT(parsed("9223372036854775807ns"), 9223372036854775807LL);
}

TEST(test_duration_plain_integer_means_seconds)
{
	CHECK_INT(parsed("5"), 5000000000LL);
	CHECK_INT(parsed("1"), 1000000000LL);
	CHECK_INT(parsed("+5"), 5000000000LL);
	CHECK_INT(parsed("007"), 7000000000LL);
	CHECK_INT(parsed("9223372036"), 9223372036000000000LL);
}

TEST(test_duration_rejects_garbage)
{
	const char *bad[] = { "", "s", "1e3s", "1 s", "1S", "1.1.1s", "abc", "5 ", " 5", "1s ",
		"--1s", "+", "-", ".", ".s", "1x", "1m30", "0x10", "1_000" };
	long long ns = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = duration_parse(bad[i], &ns);

		if (err != -EINVAL)
			harness_fail(__FILE__, __LINE__,
				"duration_parse(\"%s\") = %d, expected -EINVAL", bad[i], err);
	}
	CHECK_INT(duration_parse(NULL, &ns), -EINVAL);
	CHECK_INT(ns, 42);
}

TEST(test_duration_rejects_negative_and_overflow)
{
	const char *bad[] = { "-5", "-5s", "-1ns", "-1.5h", "2562047h47m16.854775808s",
		"9223372036854775808ns", "9223372037", "9223372036854775807", "9999999999",
		"99999999999999999999", "99999999999999999999s", "-99999999999999999999" };
	long long ns = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = duration_parse(bad[i], &ns);

		if (err != -ERANGE)
			harness_fail(__FILE__, __LINE__,
				"duration_parse(\"%s\") = %d, expected -ERANGE", bad[i], err);
	}
	CHECK_INT(ns, 42);
}

TEST(test_duration_round_trips_through_format)
{
	const char *in[] = { "2s", "1m30s", "1.5s", "500ms", "1h0m0s", "1.5\xc2\xb5s", "7ns" };
	char buf[64];

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		long long ns = parsed(in[i]);

		duration_format(ns, buf, sizeof(buf));
		CHECK_STR(buf, in[i]);
	}
}
