// SPDX-License-Identifier: MIT
/* The metrics' listen addresses and label escaping (the text format's rules). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "live/metrics_impl.h"

static int parse(const char *s, bool *loopback, int *family, int *port)
{
	struct sockaddr_storage sa;
	socklen_t len;
	char why[200];
	int err = metrics_parse_addr(s, &sa, &len, loopback, why, sizeof(why));

	*family = sa.ss_family;
	*port = sa.ss_family == AF_INET    ? ntohs(((struct sockaddr_in *)&sa)->sin_port)
		: sa.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
					   : 0;
	return err;
}

TEST(test_metrics_addresses_are_numeric_with_a_port)
{
	static const char *const bad[] = { "", "9979", ":9979", "localhost:9979", "127.0.0.1",
		"127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:99x", "127.0.0.1:-1",
		"::1:9979", "[::1]", "[::1]9979", "[127.0.0.1]:9979", "1.2.3:9979", "[::g]:1",
		"127.0.0.1: 9979" };
	bool loopback;
	int family, port;

	CHECK_INT(parse("127.0.0.1:9979", &loopback, &family, &port), 0);
	CHECK(loopback);
	CHECK_INT(family, AF_INET);
	CHECK_INT(port, 9979);
	CHECK_INT(parse("127.1.2.3:1", &loopback, &family, &port), 0);
	CHECK(loopback);
	CHECK_INT(parse("0.0.0.0:65535", &loopback, &family, &port), 0);
	CHECK(!loopback);
	CHECK_INT(port, 65535);
	CHECK_INT(parse("[::1]:9979", &loopback, &family, &port), 0);
	CHECK(loopback);
	CHECK_INT(family, AF_INET6);
	CHECK_INT(parse("[::]:9979", &loopback, &family, &port), 0);
	CHECK(!loopback);
	CHECK_INT(parse("[fe80::1]:80", &loopback, &family, &port), 0);
	CHECK(!loopback);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &loopback, &family, &port) != -EINVAL)
			harness_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
}

static char *escaped(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	metrics_label_value(f, s, n);
	fclose(f);
	return buf;
}

TEST(test_metrics_label_values_are_escaped_and_utf8)
{
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "a\"b\\c\nd", 7, "\"a\\\"b\\\\c\\nd\"" },
		{ "tab\there", 8, "\"tab\there\"" },
		{ "h\xc3\xa9", 3, "\"h\xc3\xa9\"" },   /* é stays */
		{ "x\xffy", 3, "\"x\xef\xbf\xbdy\"" }, /* a stray byte: U+FFFD */
		{ "\xc3", 1, "\"\xef\xbf\xbd\"" },     /* truncated */
		{ "\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* a surrogate */
		{ "nul\0in", 6, "\"nul\0in\"" },
		{ "", 0, "\"\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in, cases[i].n);
		size_t want_len = strlen(cases[i].want);

		if (i == 7)
			want_len = 8; /* "nul\0in" with its quotes */
		CHECK(got && memcmp(got, cases[i].want, want_len) == 0);
		free(got);
	}
}
