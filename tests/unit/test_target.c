// SPDX-License-Identifier: MIT
/* Agent targets: the parser (pid, host:port, [v6]:port) and the resolver (hosts file, localhost).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent/target.h"
#include "harness.h"

static char why[512];

static int parse(const char *arg, struct target_spec *s)
{
	why[0] = '\0';
	return target_parse(arg, s, why, sizeof(why));
}

/* An address as text, "ip port". */
static const char *addr_text(const struct target_addr *a)
{
	static char buf[128];
	char ip[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)&a->ss;

		inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof(ip));
		port = ntohs(in4->sin_port);
	} else if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		port = ntohs(in6->sin6_port);
	}
	snprintf(buf, sizeof(buf), "%s %d", ip, port);
	return buf;
}

/* A hosts file of our own for the resolver ($CARES_HOSTS); "" removes it. */
static void use_hosts_file(const char *content)
{
	static char path[64];
	FILE *f;

	if (!*content) {
		if (path[0])
			unlink(path);
		path[0] = '\0';
		unsetenv("CARES_HOSTS");
		return;
	}
	snprintf(path, sizeof(path), "/tmp/gops-hosts.%d", getpid());
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
	setenv("CARES_HOSTS", path, 1);
}

TEST(test_target_pid_is_a_pid)
{
	struct target_spec s;

	CHECK_INT(parse("123", &s), 0);
	CHECK(s.is_pid);
	CHECK_INT(s.pid, 123);
	CHECK_INT(parse("2147483647", &s), 0);
	CHECK_INT(s.pid, 2147483647);
}

TEST(test_target_bad_pids_are_refused)
{
	static const char *const bad[] = { "0", "-1", "+5", "12a", "", "abc", "2147483648", " 12" };
	struct target_spec s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(parse(bad[i], &s), -EINVAL);
		CHECK(strstr(why, "want a pid or host:port") != NULL);
	}
}

TEST(test_target_host_port)
{
	struct target_spec s;

	CHECK_INT(parse("127.0.0.1:8080", &s), 0);
	CHECK(!s.is_pid);
	CHECK_STR(s.host, "127.0.0.1");
	CHECK_INT(s.port, 8080);
	CHECK_INT(parse("agent.example.com:1", &s), 0);
	CHECK_STR(s.host, "agent.example.com");
	CHECK_INT(s.port, 1);
	CHECK_INT(parse("localhost:65535", &s), 0);
	CHECK_STR(s.host, "localhost");
	CHECK_INT(s.port, 65535);
}

TEST(test_target_bracketed_ipv6)
{
	struct target_spec s;

	CHECK_INT(parse("[::1]:4321", &s), 0);
	CHECK_STR(s.host, "::1");
	CHECK_INT(s.port, 4321);
	CHECK_INT(parse("[fe80::1:2]:80", &s), 0);
	CHECK_STR(s.host, "fe80::1:2");
	CHECK_INT(parse("[::1]", &s), -EINVAL); /* no ':' after the bracket: no port */
	CHECK_INT(parse("[::1:80", &s), -EINVAL);
	CHECK(strstr(why, "missing ']'") != NULL);
}

TEST(test_target_unbracketed_ipv6_is_refused_as_go_does)
{
	struct target_spec s;

	CHECK_INT(parse("::1:80", &s), -EINVAL);
	CHECK(strstr(why, "too many colons") != NULL);
}

TEST(test_target_bad_ports_are_refused)
{
	static const char *const bad[] = { "host:0", "host:65536", "host:http", "host:8o",
		"host:-1", "host:+80", "host:123456", "[::1]:0", "[::1]:x" };
	struct target_spec s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(parse(bad[i], &s), -EINVAL);
		CHECK(strstr(why, "bad port") != NULL);
	}
	CHECK_INT(parse("host:", &s), -EINVAL);
	CHECK(strstr(why, "missing port") != NULL);
	CHECK_INT(parse("[::1]:", &s), -EINVAL);
	CHECK(strstr(why, "missing port") != NULL);
}

TEST(test_target_missing_host_is_refused)
{
	struct target_spec s;

	CHECK_INT(parse(":8080", &s), -EINVAL);
	CHECK_STR(why, "invalid target :8080: missing host");
	CHECK_INT(parse("[]:8080", &s), -EINVAL);
	CHECK(strstr(why, "missing host") != NULL);
}

TEST(test_target_overlong_host_is_refused)
{
	char arg[400];
	struct target_spec s;

	memset(arg, 'a', 300);
	snprintf(arg + 300, sizeof(arg) - 300, ":80");
	CHECK_INT(parse(arg, &s), -EINVAL);
	CHECK(strstr(why, "too long") != NULL);
}

TEST(test_target_port_file_text)
{
	int port = 0;

	CHECK_INT(target_parse_port("8080", 4, &port), 0);
	CHECK_INT(port, 8080);
	CHECK_INT(target_parse_port("80801", 4, &port), 0); /* only len bytes count */
	CHECK_INT(port, 8080);
	CHECK_INT(target_parse_port("", 0, &port), -EINVAL);
	CHECK_INT(target_parse_port("8080\n", 5, &port), -EINVAL);
	CHECK_INT(target_parse_port("0", 1, &port), -ERANGE);
	CHECK_INT(target_parse_port("65536", 5, &port), -ERANGE);
	CHECK_INT(target_parse_port("123456", 6, &port), -EINVAL);
}

TEST(test_target_ip_literals_need_no_lookup)
{
	struct target_addr a[TARGET_MAX_ADDRS];

	/* No hosts file at all: a literal never reaches the resolver. */
	use_hosts_file("");
	setenv("CARES_HOSTS", "/nonexistent/hosts", 1);
	CHECK_INT(target_resolve_host("127.0.0.1", 99, 1000, a, TARGET_MAX_ADDRS, why, sizeof(why)),
		1);
	CHECK_STR(addr_text(&a[0]), "127.0.0.1 99");
	CHECK_INT(
		target_resolve_host("::1", 65535, 1000, a, TARGET_MAX_ADDRS, why, sizeof(why)), 1);
	CHECK_INT(a[0].ss.ss_family, AF_INET6);
	CHECK_STR(addr_text(&a[0]), "::1 65535");
	unsetenv("CARES_HOSTS");
}

TEST(test_target_localhost_is_loopback)
{
	struct target_addr a[TARGET_MAX_ADDRS];
	int n;

	/* From /etc/hosts, and from a hosts file that does not name it. */
	for (int pass = 0; pass < 2; pass++) {
		use_hosts_file(pass ? "10.9.9.9 elsewhere\n" : "");
		n = target_resolve_host(
			"localhost", 7, 5000, a, TARGET_MAX_ADDRS, why, sizeof(why));
		CHECK(n >= 1);
		if (n < 1)
			harness_fail(__FILE__, __LINE__, "%s", why);
		for (int i = 0; i < n; i++) {
			const char *t = addr_text(&a[i]);

			if (strcmp(t, "127.0.0.1 7") != 0 && strcmp(t, "::1 7") != 0)
				harness_fail(__FILE__, __LINE__, "localhost -> %s", t);
		}
	}
	use_hosts_file("");
}

TEST(test_target_name_from_the_hosts_file)
{
	struct target_addr a[TARGET_MAX_ADDRS];
	int n;

	use_hosts_file("# a comment\n"
		       "10.1.2.3 gops-test-host gops-alias\n"
		       "fd00::5  gops-test-host6\n");
	n = target_resolve_host(
		"gops-test-host", 1234, 5000, a, TARGET_MAX_ADDRS, why, sizeof(why));
	CHECK_INT(n, 1);
	CHECK_STR(addr_text(&a[0]), "10.1.2.3 1234");
	n = target_resolve_host("gops-alias", 1, 5000, a, TARGET_MAX_ADDRS, why, sizeof(why));
	CHECK_INT(n, 1);
	CHECK_STR(addr_text(&a[0]), "10.1.2.3 1");
	n = target_resolve_host("gops-test-host6", 80, 5000, a, TARGET_MAX_ADDRS, why, sizeof(why));
	CHECK_INT(n, 1);
	CHECK_INT(a[0].ss.ss_family, AF_INET6);
	CHECK_STR(addr_text(&a[0]), "fd00::5 80");
	use_hosts_file("");
}

TEST(test_target_resolve_fills_host_port_and_addresses)
{
	struct agent_target t;

	use_hosts_file("10.1.2.3 gops-test-host\n");
	CHECK_INT(target_resolve("gops-test-host:8080", 5000, &t, why, sizeof(why)), 0);
	CHECK(!t.is_pid);
	CHECK_STR(t.host, "gops-test-host");
	CHECK_INT(t.port, 8080);
	CHECK_INT(t.naddrs, 1);
	CHECK_STR(addr_text(&t.addr[0]), "10.1.2.3 8080");
	CHECK_INT(target_resolve("[::1]:9", 5000, &t, why, sizeof(why)), 0);
	CHECK_STR(t.host, "[::1]"); /* for messages: [::1]:9, not ::1:9 */
	CHECK_INT(t.naddrs, 1);
	CHECK_STR(addr_text(&t.addr[0]), "::1 9");
	CHECK_INT(target_resolve("gops-test-host:0", 5000, &t, why, sizeof(why)), -EINVAL);
	use_hosts_file("");
}

TEST(test_target_unknown_name_is_one_clear_error)
{
	struct target_addr a[TARGET_MAX_ADDRS];
	int n;

	/* Not in the hosts file; DNS says no, or does not answer within 3 s. */
	use_hosts_file("10.1.2.3 gops-test-host\n");
	n = target_resolve_host(
		"no-such-host.invalid", 80, 3000, a, TARGET_MAX_ADDRS, why, sizeof(why));
	CHECK(n < 0);
	CHECK(strncmp(why, "cannot resolve host no-such-host.invalid: ", 42) == 0);
	CHECK(strchr(why, '\n') == NULL);
	use_hosts_file("");
}

/*
 * c-ares 1.18.1 leaks the copy of the name in a "localhost" lookup (c-ares
 * issue #439, 10 bytes, once per run of gops): not ours to fix, and LSan
 * would fail the whole runner on it.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcares.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
