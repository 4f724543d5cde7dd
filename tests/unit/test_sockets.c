// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "proc/sockets.h"

#define TCP_HEADER                                                                                 \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
	"timeout inode\n"
#define UNIX_HEADER "Num       RefCount Protocol Flags    Type St Inode Path\n"

/* The kernel's spelling of an address: each 32-bit word loaded natively, printed %08X. */
static void kernel_hex(const char *ip, char *out)
{
	unsigned char b[16];
	int v6 = strchr(ip, ':') != NULL;

	inet_pton(v6 ? AF_INET6 : AF_INET, ip, b);
	for (int w = 0; w < (v6 ? 4 : 1); w++) {
		uint32_t word;

		memcpy(&word, b + w * 4, 4);
		sprintf(out + w * 8, "%08X", word);
	}
}

/* One /proc/net/tcp line. */
static void tcp_line(char *buf, size_t len, int sl, const char *lip, unsigned lport,
	const char *rip, unsigned rport, const char *st, unsigned long long inode)
{
	char l[40], r[40];
	size_t n = strlen(buf);

	kernel_hex(lip, l);
	kernel_hex(rip, r);
	snprintf(buf + n, len - n,
		"%4d: %s:%04X %s:%04X %s 00000000:00000000 00:00000000 00000000     0        0 "
		"%llu 1 0000000000000000 100 0 0 10 0\n",
		sl, l, lport, r, rport, st, inode);
}

static struct inode_set set_of(unsigned long long *v, size_t n)
{
	struct inode_set s = { v, n };

	return s;
}

TEST(test_sockets_ip_strings_like_go)
{
	struct {
		const char *in, *want;
	} cases[] = {
		{ "127.0.0.1", "127.0.0.1" },
		{ "::1", "::1" },
		{ "::", "::" },
		{ "::ffff:10.0.0.1", "10.0.0.1" },
		{ "::ffff:0.0.0.0", "0.0.0.0" },
		{ "2001:db8::1", "2001:db8::1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
		{ "fe80::1:2:3:4", "fe80::1:2:3:4" },
		{ "1:0:0:0:0:0:0:0", "1::" },
		{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
		{ "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7" },
		{ "::102:304", "::102:304" },
		{ "ABCD:EF01::", "abcd:ef01::" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char b[16];
		int v6 = strchr(cases[i].in, ':') != NULL;

		CHECK(inet_pton(v6 ? AF_INET6 : AF_INET, cases[i].in, b) == 1);
		CHECK_INT(sock_ip_string(b, v6 ? 16 : 4, buf, sizeof(buf)), 0);
		CHECK_STR(buf, cases[i].want);
	}
	CHECK_INT(sock_ip_string((const unsigned char *)"abc", 3, buf, sizeof(buf)), -EINVAL);
}

TEST(test_sockets_tcp_keeps_only_the_process_inodes_in_file_order)
{
	char text[4096] = TCP_HEADER;
	unsigned long long mine[] = { 100, 300, 400 };
	struct inode_set set = set_of(mine, 3);
	struct sock_list l = { 0 };

	tcp_line(text, sizeof(text), 0, "127.0.0.1", 8080, "0.0.0.0", 0, "0A", 300);
	tcp_line(text, sizeof(text), 1, "10.1.2.3", 22, "10.9.8.7", 51000, "01", 200);
	tcp_line(text, sizeof(text), 2, "192.168.0.10", 443, "1.2.3.4", 40000, "01", 100);
	tcp_line(text, sizeof(text), 3, "127.0.0.1", 5000, "127.0.0.1", 6000, "06", 0);
	tcp_line(text, sizeof(text), 4, "0.0.0.0", 1, "0.0.0.0", 0, "0C", 400);
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_TCP, &set, &l), 0);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_STR(l.v[0].local, "127.0.0.1");
		CHECK_INT(l.v[0].local_port, 8080);
		CHECK_STR(l.v[0].remote, "0.0.0.0");
		CHECK_INT(l.v[0].remote_port, 0);
		CHECK_STR(l.v[0].state, "LISTEN");
		CHECK_INT(l.v[0].inode, 300);
		CHECK_INT(l.v[0].kind, SOCK_KIND_TCP);
		CHECK_INT(l.v[0].type, SOCK_STREAM);
		CHECK_STR(l.v[1].local, "192.168.0.10");
		CHECK_INT(l.v[1].local_port, 443);
		CHECK_STR(l.v[1].remote, "1.2.3.4");
		CHECK_INT(l.v[1].remote_port, 40000);
		CHECK_STR(l.v[1].state, "ESTABLISHED");
		/* A state gopsutil does not name prints as "" */
		CHECK_STR(l.v[2].state, "");
	}
	sock_list_free(&l);

	/* No filter: everything. */
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_TCP, NULL, &l), 0);
	CHECK_INT(l.n, 5);
	sock_list_free(&l);
}

TEST(test_sockets_tcp_state_names)
{
	const char *codes[] = { "01", "02", "03", "04", "05", "06", "07", "08", "09", "0A", "0B",
		"0a", "0C", "00" };
	const char *names[] = { "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "", "", "" };
	char text[8192] = TCP_HEADER;
	struct sock_list l = { 0 };

	for (int i = 0; i < 14; i++)
		tcp_line(text, sizeof(text), i, "127.0.0.1", 1000 + i, "0.0.0.0", 0, codes[i],
			1000 + i);
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_TCP, NULL, &l), 0);
	CHECK_INT(l.n, 14);
	for (size_t i = 0; i < l.n && i < 14; i++)
		CHECK_STR(l.v[i].state, names[i]);
	sock_list_free(&l);
}

TEST(test_sockets_tcp6_addresses_print_like_go)
{
	char text[4096] = TCP_HEADER;
	struct sock_list l = { 0 };

	tcp_line(text, sizeof(text), 0, "::1", 8080, "::", 0, "0A", 1);
	tcp_line(text, sizeof(text), 1, "::ffff:127.0.0.1", 8081, "::ffff:127.0.0.2", 9, "01", 2);
	tcp_line(text, sizeof(text), 2, "2001:db8::5", 443, "fe80::1:2:3:4", 65535, "08", 3);
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_TCP6, NULL, &l), 0);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_STR(l.v[0].local, "::1");
		CHECK_STR(l.v[0].remote, "::");
		CHECK_STR(l.v[1].local, "127.0.0.1");
		CHECK_STR(l.v[1].remote, "127.0.0.2");
		CHECK_INT(l.v[1].remote_port, 9);
		CHECK_STR(l.v[2].local, "2001:db8::5");
		CHECK_STR(l.v[2].remote, "fe80::1:2:3:4");
		CHECK_INT(l.v[2].remote_port, 65535);
		CHECK_STR(l.v[2].state, "CLOSE_WAIT");
		CHECK_INT(l.v[2].kind, SOCK_KIND_TCP6);
	}
	sock_list_free(&l);
}

TEST(test_sockets_real_kernel_tcp6_line)
{
	/* Verbatim from a little-endian host: [::1]:34567 listening. */
	const char *text = "  sl  local_address                         remote_address             "
			   "           st "
			   "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
			   "   0: 00000000000000000000000001000000:8707 "
			   "00000000000000000000000000000000:0000 0A "
			   "00000000:00000000 00:00000000 00000000     0        0 424242 1 "
			   "0000000000000000 100 0 "
			   "0 10 0\n";
	struct sock_list l = { 0 };
	uint32_t probe = 1;

	if (*(unsigned char *)&probe != 1)
		return; /* the text above is little-endian */
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_TCP6, NULL, &l), 0);
	CHECK_INT(l.n, 1);
	if (l.n == 1) {
		CHECK_STR(l.v[0].local, "::1");
		CHECK_INT(l.v[0].local_port, 34567);
		CHECK_STR(l.v[0].remote, "::");
		CHECK_STR(l.v[0].state, "LISTEN");
		CHECK_INT(l.v[0].inode, 424242);
	}
	sock_list_free(&l);
}

TEST(test_sockets_udp_state_is_none)
{
	char text[4096] = TCP_HEADER;
	struct sock_list l = { 0 };

	tcp_line(text, sizeof(text), 0, "0.0.0.0", 53, "0.0.0.0", 0, "07", 9);
	tcp_line(text, sizeof(text), 1, "127.0.0.1", 123, "127.0.0.5", 99, "01", 10);
	CHECK_INT(sockets_parse_inet(text, strlen(text), SOCK_KIND_UDP, NULL, &l), 0);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0].state, "NONE");
		CHECK_STR(l.v[1].state, "NONE");
		CHECK_INT(l.v[0].type, SOCK_DGRAM);
		CHECK_STR(l.v[1].remote, "127.0.0.5");
	}
	sock_list_free(&l);
}

TEST(test_sockets_unix_paths_as_gopsutil_reads_them)
{
	const char *text = UNIX_HEADER
		"0000000000000000: 00000002 00000000 00010000 0001 01 5001 /run/x.sock\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 5002\n"
		"0000000000000000: 00000002 00000000 00000000 0001 03 5003 @abstract@name\n"
		"0000000000000000: 00000002 00000000 00000000 0005 01 5004 /tmp/with space\n"
		"0000000000000000: 00000002 00000000 00000000 0001 01 9999 /not/mine\n";
	unsigned long long mine[] = { 5001, 5002, 5003, 5004 };
	struct inode_set set = set_of(mine, 4);
	struct sock_list l = { 0 };

	CHECK_INT(sockets_parse_unix(text, strlen(text), &set, &l), 0);
	CHECK_INT(l.n, 4);
	if (l.n == 4) {
		CHECK_STR(l.v[0].local, "/run/x.sock");
		CHECK_INT(l.v[0].type, 1);
		CHECK_STR(l.v[0].remote, "");
		CHECK_INT(l.v[0].local_port, 0);
		CHECK_STR(l.v[0].state, "NONE");
		CHECK_INT(l.v[0].kind, SOCK_KIND_UNIX);
		CHECK_STR(l.v[1].local, "");
		CHECK_INT(l.v[1].type, 2);
		CHECK_STR(l.v[2].local, "@abstract@name");
		/* Nine tokens: gopsutil takes no path at all. */
		CHECK_STR(l.v[3].local, "");
		CHECK_INT(l.v[3].type, 5);
	}
	sock_list_free(&l);
}

TEST(test_sockets_unix_bad_type_fails_the_whole_listing)
{
	const char *text = UNIX_HEADER
		"0000000000000000: 00000002 00000000 00010000 0001 01 5001 /run/x.sock\n"
		"0000000000000000: 00000002 00000000 00000000 00x2 01 5002\n";
	struct sock_list l = { 0 };

	CHECK_INT(sockets_parse_unix(text, strlen(text), NULL, &l), -EINVAL);
	sock_list_free(&l);
}

TEST(test_sockets_dedup_keeps_first_of_equal_entries)
{
	const char *text = UNIX_HEADER
		"0000000000000000: 00000002 00000000 00000000 0001 03 7001\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 7002 /run/a.sock\n"
		"0000000000000000: 00000002 00000000 00000000 0001 03 7003\n"
		"0000000000000000: 00000002 00000000 00000000 0002 03 7004\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 7005 /run/a.sock\n"
		"0000000000000000: 00000002 00000000 00000000 0001 03 7006\n";
	struct sock_list l = { 0 };

	CHECK_INT(sockets_parse_unix(text, strlen(text), NULL, &l), 0);
	CHECK_INT(l.n, 6);
	sock_list_dedup(&l);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_INT(l.v[0].inode, 7001);
		CHECK_INT(l.v[1].inode, 7002);
		CHECK_INT(l.v[2].inode, 7004);
	}
	sock_list_free(&l);
}

TEST(test_sockets_inode_must_match_as_a_string)
{
	const char *text =
		UNIX_HEADER "0000000000000000: 00000002 00000000 00000000 0001 03 0042 /a\n"
			    "0000000000000000: 00000002 00000000 00000000 0001 03 42x /b\n"
			    "0000000000000000: 00000002 00000000 00000000 0001 03 42 /c\n";
	unsigned long long mine[] = { 42 };
	struct inode_set set = set_of(mine, 1);
	struct sock_list l = { 0 };

	CHECK_INT(sockets_parse_unix(text, strlen(text), &set, &l), 0);
	CHECK_INT(l.n, 1);
	if (l.n == 1)
		CHECK_STR(l.v[0].local, "/c");
	sock_list_free(&l);
}

TEST(test_sockets_hostile_inet_text_is_skipped)
{
	const char *texts[] = {
		"",
		"\n",
		TCP_HEADER,
		"no header newline",
		TCP_HEADER "   0: 0100007F:1F90 00000000:0000 0A",
		TCP_HEADER "   0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 0 0\n",
		TCP_HEADER "   0: 0100007F 00000000:0000 0A 0:0 0:0 0 0 0 1 x\n",
		TCP_HEADER "   0: 0100007F:1F90:1 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007G:1F90 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007F:10000 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007F: 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007:1F90 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: :1F90 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007F:-1 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER "   0: 0100007F:+1 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
		TCP_HEADER
		"   0: 00000000000000000000000001000000:1F90 00000000:0000 0A 0:0 0:0 0 0 0 1\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct sock_list l = { 0 };

		CHECK_INT(
			sockets_parse_inet(texts[i], strlen(texts[i]), SOCK_KIND_TCP, NULL, &l), 0);
		if (l.n != 0)
			harness_fail(__FILE__, __LINE__, "text %zu gave %zu entries", i, l.n);
		sock_list_free(&l);
	}
	/* A v4-length address is not an IPv6 one. */
	{
		const char *t = TCP_HEADER "   0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 0 0 1\n";
		struct sock_list l = { 0 };

		CHECK_INT(sockets_parse_inet(t, strlen(t), SOCK_KIND_TCP, NULL, &l), 0);
		CHECK_INT(l.n, 1);
		sock_list_free(&l);
		CHECK_INT(sockets_parse_inet(t, strlen(t), SOCK_KIND_TCP6, NULL, &l), 0);
		CHECK_INT(l.n, 0);
		sock_list_free(&l);
	}
	/* Text that is not NUL-terminated, cut in the middle of a line. */
	{
		char text[512] = TCP_HEADER;
		struct sock_list l = { 0 };
		char *cut;

		tcp_line(text, sizeof(text), 0, "127.0.0.1", 80, "0.0.0.0", 0, "0A", 5);
		for (size_t n = 0; n <= strlen(text); n++) {
			cut = malloc(n ? n : 1);
			memcpy(cut, text, n);
			CHECK_INT(sockets_parse_inet(cut, n, SOCK_KIND_TCP, NULL, &l), 0);
			free(cut);
		}
		CHECK(l.n >= 1);
		sock_list_free(&l);
	}
	CHECK_INT(sockets_parse_inet("x", 1, SOCK_KIND_UNIX, NULL, &(struct sock_list){ 0 }),
		-EINVAL);
}

TEST(test_sockets_hostile_unix_text_is_skipped)
{
	char longpath[2000];
	char text[4096];
	struct sock_list l = { 0 };

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	snprintf(text, sizeof(text),
		UNIX_HEADER "a b c d 1 f\n"       /* six tokens: gopsutil would crash */
			    "a b c d 1\n"         /* five: skipped */
			    "\n\n\t \xc2\xa0\n"   /* white space only */
			    "a b c d 1 f 77 %s\n" /* path longer than the buffer */
			    "a\xc2\x85"
			    "b c d 1 f 78 /x\n"                 /* U+0085 is white space to Go */
			    "a b c d 1 f 79 /y\xe2\x80\x83z\n", /* so is U+2003 */
		longpath);
	CHECK_INT(sockets_parse_unix(text, strlen(text), NULL, &l), 0);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_INT(l.v[0].inode, 77);
		CHECK_INT(strlen(l.v[0].local), sizeof(l.v[0].local) - 1);
		CHECK_INT(l.v[1].inode, 78);
		CHECK_STR(l.v[1].local, "/x");
		CHECK_INT(l.v[2].inode, 79);
		CHECK_STR(l.v[2].local, "");
	}
	sock_list_free(&l);
}

static const char *const tcp_state_names[] = { "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "" };

/* Whether e is an entry the parsers may give for kind: nothing out of its fields' ranges. */
static bool well_formed(const struct sock_entry *e, enum sock_kind kind)
{
	unsigned char ip[16];
	bool stream = kind == SOCK_KIND_TCP || kind == SOCK_KIND_TCP6, known = false;

	if (e->kind != kind || !memchr(e->local, '\0', sizeof(e->local)) ||
		!memchr(e->remote, '\0', sizeof(e->remote)) ||
		!memchr(e->state, '\0', sizeof(e->state)))
		return false;
	if (kind == SOCK_KIND_UNIX)
		return e->local_port == 0 && e->remote_port == 0 && !e->remote[0] &&
		       strcmp(e->state, "NONE") == 0;
	if (e->local_port > 65535 || e->remote_port > 65535 ||
		e->type != (stream ? SOCK_STREAM : SOCK_DGRAM))
		return false;
	/* Addresses print as Go prints an IP: they parse back as one. */
	if (inet_pton(AF_INET, e->local, ip) != 1 && inet_pton(AF_INET6, e->local, ip) != 1)
		return false;
	if (inet_pton(AF_INET, e->remote, ip) != 1 && inet_pton(AF_INET6, e->remote, ip) != 1)
		return false;
	if (!stream)
		return strcmp(e->state, "NONE") == 0;
	for (size_t i = 0; i < sizeof(tcp_state_names) / sizeof(tcp_state_names[0]); i++)
		known |= strcmp(e->state, tcp_state_names[i]) == 0;
	return known;
}

#define KNOWN_INODE 987654321ULL

/* The known-good line for kind, as the kernel writes it. */
static void known_line(enum sock_kind kind, char *buf, size_t len)
{
	bool v6 = kind == SOCK_KIND_TCP6 || kind == SOCK_KIND_UDP6;

	buf[0] = '\0';
	if (kind == SOCK_KIND_UNIX)
		snprintf(buf, len,
			"0000000000000000: 00000002 00000000 00010000 0001 01 %llu /run/known\n",
			KNOWN_INODE);
	else
		tcp_line(buf, len, 7, v6 ? "::1" : "127.0.0.1", 8080, v6 ? "::" : "0.0.0.0", 0,
			"0A", KNOWN_INODE);
}

static bool is_known(const struct sock_entry *e, enum sock_kind kind)
{
	bool v6 = kind == SOCK_KIND_TCP6 || kind == SOCK_KIND_UDP6;
	bool stream = kind == SOCK_KIND_TCP || kind == SOCK_KIND_TCP6;

	if (e->inode != KNOWN_INODE)
		return false;
	if (kind == SOCK_KIND_UNIX)
		return strcmp(e->local, "/run/known") == 0 && e->type == 1;
	return strcmp(e->local, v6 ? "::1" : "127.0.0.1") == 0 && e->local_port == 8080 &&
	       strcmp(e->remote, v6 ? "::" : "0.0.0.0") == 0 && e->remote_port == 0 &&
	       strcmp(e->state, stream ? "LISTEN" : "NONE") == 0;
}

/*
 * Random bytes (and random text made of the characters these files hold),
 * with a good line in the middle: the parsers never crash nor read out of
 * bounds (ASan), every entry they give is well-formed, and the good line is
 * found. The unix parser may refuse the whole text (a Type that is not a
 * number, as gopsutil does), but when it accepts it, the good line is there.
 */
TEST(test_sockets_random_bytes_give_well_formed_entries_and_keep_the_good_line)
{
	unsigned int seed = 12345;
	const char alphabet[] = "0123456789ABCDEF: \n\t@/x\xc2\xa0";
	int accepted_unix = 0;

	for (int iter = 0; iter < 2000; iter++) {
		size_t before = (size_t)(rand_r(&seed) % 400),
		       after = (size_t)(rand_r(&seed) % 400);

		for (int k = 0; k < SOCK_KIND_COUNT; k++) {
			char good[512], *buf;
			size_t glen, n, i;
			struct sock_list l = { 0 };
			bool found = false;
			int err;

			known_line((enum sock_kind)k, good, sizeof(good));
			glen = strlen(good);
			n = before + 1 + glen + after;
			buf = malloc(n);
			if (!buf) {
				CHECK(!"out of memory");
				return;
			}
			for (i = 0; i < before; i++)
				buf[i] = iter % 2
						 ? (char)rand_r(&seed)
						 : alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
			buf[i++] = '\n'; /* the good line starts a line of its own */
			memcpy(buf + i, good, glen);
			for (i += glen; i < n; i++)
				buf[i] = iter % 2
						 ? (char)rand_r(&seed)
						 : alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
			err = k == SOCK_KIND_UNIX
				      ? sockets_parse_unix(buf, n, NULL, &l)
				      : sockets_parse_inet(buf, n, (enum sock_kind)k, NULL, &l);
			if (err == 0 || k != SOCK_KIND_UNIX)
				CHECK_INT(err, 0);
			else
				CHECK_INT(err, -EINVAL);
			for (size_t j = 0; j < l.n; j++) {
				if (!well_formed(&l.v[j], (enum sock_kind)k)) {
					harness_fail(__FILE__, __LINE__,
						"iteration %d, %s: entry %zu is not well-formed",
						iter, sock_kind_name((enum sock_kind)k), j);
					break;
				}
				found |= is_known(&l.v[j], (enum sock_kind)k);
			}
			if (err == 0 && !found)
				harness_fail(__FILE__, __LINE__, "iteration %d, %s: good line lost",
					iter, sock_kind_name((enum sock_kind)k));
			accepted_unix += k == SOCK_KIND_UNIX && err == 0;
			n = l.n;
			sock_list_dedup(&l);
			CHECK(l.n <= n && (n == 0 || l.n >= 1));
			for (size_t j = 0; j < l.n; j++)
				CHECK(well_formed(&l.v[j], (enum sock_kind)k));
			sock_list_free(&l);
			free(buf);
		}
	}
	/* About half the texts hold no bad unix line: the good-line check ran on those. */
	CHECK(accepted_unix > 500);
}

/* A child holding a TCP listener on 127.0.0.1 and ::1, a UDP socket and a unix listener. */
struct sock_child {
	pid_t pid;
	unsigned int port4, port6, portu;
	char path[108];
};

static int bind_listen(int family, const char *ip, int type, unsigned int *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd = socket(family, type, 0);

	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		inet_pton(AF_INET, ip, &a->sin_addr);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		inet_pton(AF_INET6, ip, &a->sin6_addr);
		sl = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || (type == SOCK_STREAM && listen(fd, 4) < 0))
		return -1;
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* Also used by test_procinfo.c. */
int sock_child_start(struct sock_child *c);
void sock_child_stop(struct sock_child *c);

int sock_child_start(struct sock_child *c)
{
	int pfd[2];
	pid_t pid;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "/tmp/gops-unit-%d.sock", (int)getpid());
	unlink(c->path);
	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct sockaddr_un un = { .sun_family = AF_UNIX };
		int u = socket(AF_UNIX, SOCK_STREAM, 0);
		unsigned int ports[3] = { 0 };

		close(pfd[0]);
		bind_listen(AF_INET, "127.0.0.1", SOCK_STREAM, &ports[0]);
		bind_listen(AF_INET6, "::1", SOCK_STREAM, &ports[1]);
		bind_listen(AF_INET, "127.0.0.1", SOCK_DGRAM, &ports[2]);
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", c->path);
		bind(u, (struct sockaddr *)&un, sizeof(un));
		listen(u, 4);
		if (write(pfd[1], ports, sizeof(ports)) != (ssize_t)sizeof(ports))
			_exit(1);
		close(pfd[1]);
		for (;;)
			pause();
	}
	close(pfd[1]);
	{
		unsigned int ports[3];

		if (read(pfd[0], ports, sizeof(ports)) != (ssize_t)sizeof(ports)) {
			close(pfd[0]);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		c->port4 = ports[0];
		c->port6 = ports[1];
		c->portu = ports[2];
	}
	close(pfd[0]);
	c->pid = pid;
	return 0;
}

void sock_child_stop(struct sock_child *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	unlink(c->path);
	c->pid = 0;
}

static const struct sock_entry *find(const struct sock_list *l, enum sock_kind k)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == k)
			return &l->v[i];
	return NULL;
}

TEST(test_sockets_for_live_child)
{
	struct sock_child c;
	struct sock_list l;
	const struct sock_entry *e;

	if (sock_child_start(&c) < 0) {
		harness_fail(__FILE__, __LINE__, "could not start the socket child");
		return;
	}
	CHECK_INT(sockets_for_pid(c.pid, &l), 0);
	CHECK_INT(l.n, 4);
	/* Order: tcp, tcp6, udp, udp6, unix. */
	for (size_t i = 1; i < l.n; i++)
		CHECK(l.v[i - 1].kind <= l.v[i].kind);
	e = find(&l, SOCK_KIND_TCP);
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->local, "127.0.0.1");
		CHECK_INT(e->local_port, c.port4);
		CHECK_STR(e->remote, "0.0.0.0");
		CHECK_INT(e->remote_port, 0);
		CHECK_STR(e->state, "LISTEN");
	}
	e = find(&l, SOCK_KIND_TCP6);
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->local, "::1");
		CHECK_INT(e->local_port, c.port6);
		CHECK_STR(e->remote, "::");
		CHECK_STR(e->state, "LISTEN");
	}
	e = find(&l, SOCK_KIND_UDP);
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->local, "127.0.0.1");
		CHECK_INT(e->local_port, c.portu);
		CHECK_STR(e->state, "NONE");
	}
	e = find(&l, SOCK_KIND_UNIX);
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->local, c.path);
		CHECK_STR(e->remote, "");
		CHECK_STR(e->state, "NONE");
	}
	sock_list_free(&l);
	sock_child_stop(&c);
}

TEST(test_sockets_process_without_sockets_is_empty)
{
	struct sock_list l;
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe(pfd) < 0 || (pid = fork()) < 0) {
		harness_fail(__FILE__, __LINE__, "pipe or fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Whatever we inherited (stdio may be a socket) is closed first. */
		for (int fd = 0; fd < 1024; fd++)
			if (fd != pfd[1] && fd != null)
				close(fd);
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CHECK_INT(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	CHECK_INT(sockets_for_pid(pid, &l), 0);
	CHECK_INT(l.n, 0);
	sock_list_free(&l);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(test_sockets_pid_inodes_of_self)
{
	struct inode_set set;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int found = 0;
	char link[64], want[64], path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n > 0 ? n : 0] = '\0';
	CHECK_INT(sockets_pid_inodes(getpid(), &set), 0);
	for (size_t i = 0; i < set.n; i++) {
		snprintf(want, sizeof(want), "socket:[%llu]", set.v[i]);
		if (strcmp(want, link) == 0)
			found = 1;
		if (i)
			CHECK(set.v[i - 1] < set.v[i]);
	}
	CHECK(found);
	free(set.v);
	close(fd);
	CHECK(sockets_pid_inodes(0x7fffffff, &set) < 0);
}
