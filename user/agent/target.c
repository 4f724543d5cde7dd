// SPDX-License-Identifier: MIT
/*
 * Parsing and resolving agent targets. Host names resolve with c-ares, not
 * getaddrinfo: gops is linked statically, and a static glibc cannot load the
 * NSS modules getaddrinfo goes through (it warns at link time and, at run
 * time, needs the very shared libraries a static binary is meant to do
 * without). c-ares reads /etc/hosts and /etc/resolv.conf itself, which is
 * what Go's own resolver does for gops.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/portfile.h"
#include "agent/target.h"
#include "base/clock.h"
#include "proc/inroot.h"
#include "proc/proc.h"
#include "proc/sockets.h"

#define PORTFILE_MAX 32 /* "65535" and then some: anything longer is not ours */

int target_parse_port(const char *buf, size_t len, int *port)
{
	long v = 0;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (buf[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -ERANGE;
	*port = (int)v;
	return 0;
}

/* "host:port" or "[host]:port", as Go's net.SplitHostPort splits them. */
static int parse_hostport(const char *arg, struct target_spec *s, char *why, size_t whylen)
{
	const char *host = arg, *port, *colon;
	size_t hlen;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close) {
			snprintf(why, whylen, "invalid target %s: missing ']'", arg);
			return -EINVAL;
		}
		if (close[1] != ':') {
			snprintf(why, whylen, "invalid target %s: missing port after ']'", arg);
			return -EINVAL;
		}
		host = arg + 1;
		hlen = (size_t)(close - host);
		port = close + 2;
	} else {
		colon = strrchr(arg, ':');
		hlen = (size_t)(colon - arg);
		if (memchr(arg, ':', hlen)) {
			snprintf(why, whylen,
				"invalid target %s: too many colons (write IPv6 as [addr]:port)",
				arg);
			return -EINVAL;
		}
		port = colon + 1;
	}
	if (hlen == 0) {
		snprintf(why, whylen, "invalid target %s: missing host", arg);
		return -EINVAL;
	}
	if (hlen >= sizeof(s->host)) {
		snprintf(why, whylen, "invalid target: host name of %zu bytes is too long", hlen);
		return -EINVAL;
	}
	if (!*port) {
		snprintf(why, whylen, "invalid target %s: missing port", arg);
		return -EINVAL;
	}
	if (target_parse_port(port, strlen(port), &s->port) != 0) {
		snprintf(
			why, whylen, "invalid target %s: bad port %s (want 1 to 65535)", arg, port);
		return -EINVAL;
	}
	memcpy(s->host, host, hlen);
	s->host[hlen] = '\0';
	return 0;
}

int target_parse(const char *arg, struct target_spec *s, char *why, size_t whylen)
{
	char *end;
	long v;

	memset(s, 0, sizeof(*s));
	if (strchr(arg, ':'))
		return parse_hostport(arg, s, why, whylen);
	errno = 0;
	v = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || errno || *end || v <= 0 || v > INT_MAX) {
		snprintf(why, whylen, "invalid target %s: want a pid or host:port", arg);
		return -EINVAL;
	}
	s->is_pid = true;
	s->pid = (int)v;
	return 0;
}

/* An IP literal needs no lookup (and no resolver set up). */
static bool numeric_addr(const char *host, int port, struct target_addr *a)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		a->len = sizeof(*in4);
		return true;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		a->len = sizeof(*in6);
		return true;
	}
	return false;
}

struct lookup {
	bool done;
	int status;
	int port;
	int max, n;
	struct target_addr *addrs;
};

static void on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct lookup *l = arg;

	(void)timeouts;
	l->done = true;
	l->status = status;
	for (struct ares_addrinfo_node *n = res ? res->nodes : NULL; n && l->n < l->max;
		n = n->ai_next) {
		struct target_addr *a = &l->addrs[l->n];

		if ((n->ai_family != AF_INET && n->ai_family != AF_INET6) || !n->ai_addr ||
			n->ai_addrlen > sizeof(a->ss))
			continue;
		memset(a, 0, sizeof(*a));
		memcpy(&a->ss, n->ai_addr, n->ai_addrlen);
		a->len = n->ai_addrlen;
		if (n->ai_family == AF_INET)
			((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)l->port);
		else
			((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)l->port);
		l->n++;
	}
	if (res)
		ares_freeaddrinfo(res);
}

/* Drives the channel until the lookup is done or the deadline passes. */
static int run_channel(ares_channel ch, struct lookup *l, int64_t deadline)
{
	while (!l->done) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		struct pollfd p[ARES_GETSOCK_MAXNUM];
		struct timeval max_tv, tv, *tvp;
		int bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM), np = 0, r;
		int64_t left = deadline - clock_mono_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		/* ARES_GETSOCK_WRITABLE shifts a signed 1 into the sign bit: not here. */
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short ev = ((unsigned int)bits & (1u << i) ? POLLIN : 0) |
				   ((unsigned int)bits & (1u << (i + ARES_GETSOCK_MAXNUM)) ? POLLOUT
											   : 0);

			if (ev)
				p[np++] = (struct pollfd){ .fd = socks[i], .events = ev };
		}
		max_tv.tv_sec = left / 1000;
		max_tv.tv_usec = (left % 1000) * 1000;
		tvp = ares_timeout(ch, &max_tv, &tv);
		r = poll(p, (nfds_t)np, (int)(tvp->tv_sec * 1000 + tvp->tv_usec / 1000));
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0) {
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* its timeouts */
			continue;
		}
		for (int i = 0; i < np; i++)
			ares_process_fd(ch,
				p[i].revents & (POLLIN | POLLERR | POLLHUP) ? p[i].fd
									    : ARES_SOCKET_BAD,
				p[i].revents & POLLOUT ? p[i].fd : ARES_SOCKET_BAD);
	}
	return 0;
}

int target_resolve_host(const char *host, int port, int timeout_ms, struct target_addr *addrs,
	int max, char *why, size_t whylen)
{
	/*
	 * ARES_AI_ENVHOSTS: $CARES_HOSTS, when set, names the hosts file to read
	 * instead of /etc/hosts (c-ares' own override; the tests use it).
	 * "localhost" resolves to loopback even when the hosts file lacks it.
	 */
	struct ares_addrinfo_hints hints = {
		.ai_flags = ARES_AI_ENVHOSTS | ARES_AI_NUMERICSERV,
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_protocol = IPPROTO_TCP,
	};
	struct lookup l = { .port = port, .max = max, .addrs = addrs };
	ares_channel ch;
	int rc, err;

	if (max < 1)
		return -EINVAL;
	if (numeric_addr(host, port, &addrs[0]))
		return 1;
	rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS) {
		snprintf(why, whylen, "cannot resolve host %s: %s", host, ares_strerror(rc));
		return -ENOMEM;
	}
	rc = ares_init(&ch);
	if (rc != ARES_SUCCESS) {
		snprintf(why, whylen, "cannot resolve host %s: %s", host, ares_strerror(rc));
		ares_library_cleanup();
		return -ENOMEM;
	}
	ares_getaddrinfo(ch, host, NULL, &hints, on_addrinfo, &l);
	err = run_channel(ch, &l, clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : 1));
	ares_destroy(ch); /* calls back a lookup still running: nothing waits for it */
	ares_library_cleanup();
	if (err == -ETIMEDOUT || (l.done && l.status == ARES_ETIMEOUT)) {
		snprintf(why, whylen, "cannot resolve host %s: no answer within %.1fs", host,
			timeout_ms / 1000.0);
		return -ETIMEDOUT;
	}
	if (err) {
		snprintf(why, whylen, "cannot resolve host %s: %s", host, strerror(-err));
		return err;
	}
	if (l.status != ARES_SUCCESS) {
		snprintf(why, whylen, "cannot resolve host %s: %s", host, ares_strerror(l.status));
		return -ENOENT;
	}
	if (l.n == 0) {
		snprintf(why, whylen, "cannot resolve host %s: no IPv4 or IPv6 address", host);
		return -ENOENT;
	}
	return l.n;
}

/*
 * c-ares' ares_getaddrinfo and ares_getnameinfo refer to getservbyname and
 * getservbyport_r for service names, which a static glibc only has through
 * NSS (the linker warns). We pass numeric ports (ARES_AI_NUMERICSERV) and
 * never ask for names, so they are never called: the Makefile links gops
 * with --wrap for both, and these stand-ins keep glibc's NSS code out.
 */
struct servent *__wrap_getservbyname(const char *name, const char *proto);
int __wrap_getservbyport_r(int port, const char *proto, struct servent *result_buf, char *buf,
	size_t buflen, struct servent **result);

struct servent *__wrap_getservbyname(const char *name, const char *proto)
{
	(void)name;
	(void)proto;
	return NULL;
}

int __wrap_getservbyport_r(int port, const char *proto, struct servent *result_buf, char *buf,
	size_t buflen, struct servent **result)
{
	(void)port;
	(void)proto;
	(void)result_buf;
	(void)buf;
	(void)buflen;
	*result = NULL;
	return ENOENT;
}

/*
 * Reads a port file without following a symlink or blocking on a fifo; one
 * under a process's root is resolved inside that root.
 */
static int read_portfile(const char *path, int *port, char *why, size_t whylen)
{
	char buf[PORTFILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd = inroot_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK), err = 0;

	if (fd < 0) {
		err = fd == -ENOTDIR ? -ENOENT : fd; /* a file on the way: no port file here */
		if (err == -ELOOP && inroot_lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			snprintf(why, whylen, "port file %s is a symlink: refusing it", path);
		else if (err != -ENOENT)
			snprintf(why, whylen, "failed to open port file %s: %s", path,
				strerror(-err));
		return err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "port file %s is not a regular file", path);
		err = -EINVAL;
	} else if (st.st_size > PORTFILE_MAX) {
		snprintf(why, whylen, "port file %s is %lld bytes: not a gops port file", path,
			(long long)st.st_size);
		err = -EFBIG;
	} else {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0 || target_parse_port(buf, (size_t)n, port) != 0) {
			buf[n > 0 ? n : 0] = '\0';
			snprintf(why, whylen, "port file %s does not hold a port number (%s)", path,
				n >= 0 ? "garbage" : strerror(errno));
			err = -EINVAL;
		}
	}
	close(fd);
	return err;
}

/*
 * The port must be one the process itself listens on: a stale port file (the
 * agent's process died, the port went to someone else) or a forged one must
 * never send a command to another process.
 */
static int check_owner(struct agent_target *t, char *why, size_t whylen)
{
	struct sock_list socks = { 0 };
	int err = sockets_for_pid(t->pid, &socks);

	if (err) {
		snprintf(why, whylen, "failed to read the sockets of process %d: %s", t->pid,
			strerror(-err));
		return err;
	}
	err = -EPERM;
	for (size_t i = 0; i < socks.n; i++) {
		const struct sock_entry *s = &socks.v[i];

		if ((s->kind != SOCK_KIND_TCP && s->kind != SOCK_KIND_TCP6) ||
			s->local_port != (unsigned int)t->port || strcmp(s->state, "LISTEN") != 0)
			continue;
		if (strcmp(s->local, "0.0.0.0") == 0)
			snprintf(t->host, sizeof(t->host), "127.0.0.1");
		else if (strcmp(s->local, "::") == 0)
			snprintf(t->host, sizeof(t->host), "::1");
		else
			snprintf(t->host, sizeof(t->host), "%s", s->local);
		err = 0;
		break;
	}
	sock_list_free(&socks);
	if (err) {
		snprintf(why, whylen,
			"port %d (from %s) is not a listening socket of process %d: stale or "
			"forged port file, refusing to connect",
			t->port, t->portfile, t->pid);
		return err;
	}
	if (!numeric_addr(t->host, t->port, &t->addr[0])) {
		snprintf(why, whylen, "process %d listens on %s, which is not an address", t->pid,
			t->host);
		return -EINVAL;
	}
	t->naddrs = 1;
	return 0;
}

static int resolve_pid(int pid, struct agent_target *t, char *why, size_t whylen)
{
	struct portfile_candidates c;
	char path[64], looked[1024] = "";
	size_t off = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%d", proc_root(), pid);
	if (access(path, F_OK) != 0) {
		snprintf(why, whylen, "process %d not found", pid);
		return -ESRCH;
	}
	t->is_pid = true;
	t->pid = pid;
	err = portfile_candidates(pid, 0, &c, why, whylen);
	if (err)
		return err;
	for (int i = 0; i < c.n; i++) {
		err = read_portfile(c.path[i], &t->port, why, whylen);
		if (err == -ENOENT) {
			off += (size_t)snprintf(looked + off,
				off < sizeof(looked) ? sizeof(looked) - off : 0, "%s%s",
				i ? ", " : "", c.path[i]);
			continue;
		}
		if (err)
			return err;
		snprintf(t->portfile, sizeof(t->portfile), "%s", c.path[i]);
		return check_owner(t, why, whylen);
	}
	snprintf(why, whylen,
		"no gops agent port file for process %d (looked in %s): the program needs a "
		"gops agent",
		pid, c.n ? looked : "no config directory");
	return -ENOENT;
}

int target_resolve(
	const char *arg, int timeout_ms, struct agent_target *t, char *why, size_t whylen)
{
	struct target_spec s;
	int n, err;

	memset(t, 0, sizeof(*t));
	err = target_parse(arg, &s, why, whylen);
	if (err)
		return err;
	if (s.is_pid) {
		err = resolve_pid(s.pid, t, why, whylen);
	} else {
		memcpy(t->host, s.host, sizeof(t->host));
		t->port = s.port;
		n = target_resolve_host(
			s.host, s.port, timeout_ms, t->addr, TARGET_MAX_ADDRS, why, whylen);
		err = n < 0 ? n : 0;
		t->naddrs = n < 0 ? 0 : n;
	}
	/* Messages say host:port: an IPv6 host in brackets, as it is written. */
	if (!err && strchr(t->host, ':')) {
		char bracketed[TARGET_HOST_MAX + 2];

		snprintf(bracketed, sizeof(bracketed), "[%s]", t->host);
		snprintf(t->host, sizeof(t->host), "%.*s", (int)sizeof(t->host) - 1, bracketed);
	}
	return err;
}
