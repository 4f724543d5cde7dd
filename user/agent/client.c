// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "agent/client.h"
#include "agent/portfile.h"
#include "proc/proc.h"
#include "proc/sockets.h"

#define PORTFILE_MAX 32 /* "65535" and then some: anything longer is not ours */
#define CHUNK (64 << 10)

static int64_t now_ms(void)
{
	return clock_mono_ns() / 1000000;
}

size_t agent_put_varint(int64_t v, uint8_t *buf)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	size_t n = 0;

	while (u >= 0x80) {
		buf[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	buf[n++] = (uint8_t)u;
	return n;
}

int agent_parse_port(const char *buf, size_t len, int *port)
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

/* "host:port", "[v6]:port"; hosts are IP literals or localhost. */
static int parse_hostport(const char *arg, struct agent_target *t, char *why, size_t whylen)
{
	const char *colon = strrchr(arg, ':');
	size_t hlen = (size_t)(colon - arg);
	const char *host = arg;

	if (hlen >= 2 && arg[0] == '[' && arg[hlen - 1] == ']') {
		host++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(t->host) ||
		agent_parse_port(colon + 1, strlen(colon + 1), &t->port) != 0) {
		snprintf(why, whylen, "invalid target %s: want a pid or host:port", arg);
		return -EINVAL;
	}
	memcpy(t->host, host, hlen);
	t->host[hlen] = '\0';
	if (strcmp(t->host, "localhost") == 0)
		snprintf(t->host, sizeof(t->host), "127.0.0.1");
	return 0;
}

/* Reads a port file without following a symlink or blocking on a fifo. */
static int read_portfile(const char *path, int *port, char *why, size_t whylen)
{
	char buf[PORTFILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), err = 0;

	if (fd < 0) {
		err = -errno;
		if (err == -ELOOP)
			snprintf(why, whylen, "port file %s is a symlink: refusing it", path);
		else if (err != -ENOENT)
			snprintf(why, whylen, "failed to open port file %s: %s", path,
				strerror(errno));
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
		if (n < 0 || agent_parse_port(buf, (size_t)n, port) != 0) {
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
	if (err)
		snprintf(why, whylen,
			"port %d (from %s) is not a listening socket of process %d: stale or "
			"forged "
			"port file, refusing to connect",
			t->port, t->portfile, t->pid);
	return err;
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
	portfile_candidates(pid, 0, &c);
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

int agent_resolve(const char *arg, struct agent_target *t, char *why, size_t whylen)
{
	char *end;
	long v;

	memset(t, 0, sizeof(*t));
	if (strchr(arg, ':'))
		return parse_hostport(arg, t, why, whylen);
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v <= 0 || v > INT_MAX) {
		snprintf(why, whylen, "invalid target %s: want a pid or host:port", arg);
		return -EINVAL;
	}
	return resolve_pid((int)v, t, why, whylen);
}

static int make_addr(const struct agent_target *t, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, t->host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)t->port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, t->host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)t->port);
		*len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

/*
 * A socket in the target's network namespace, when it has one of its own: a
 * containerised agent listens on its own loopback.
 */
static int target_socket(const struct agent_target *t, int family, char *why, size_t whylen)
{
	char path[64];
	struct stat own, theirs;
	int own_fd = -1, their_fd = -1, fd;

	if (t->is_pid) {
		snprintf(path, sizeof(path), "%s/%d/ns/net", proc_root(), t->pid);
		if (stat("/proc/self/ns/net", &own) == 0 && stat(path, &theirs) == 0 &&
			own.st_ino != theirs.st_ino) {
			own_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			their_fd = open(path, O_RDONLY | O_CLOEXEC);
			if (own_fd < 0 || their_fd < 0 || setns(their_fd, CLONE_NEWNET) < 0) {
				snprintf(why, whylen,
					"failed to enter the network namespace of process %d: %s",
					t->pid, strerror(errno));
				if (own_fd >= 0)
					close(own_fd);
				if (their_fd >= 0)
					close(their_fd);
				return -errno;
			}
		}
	}
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (own_fd >= 0) {
		setns(own_fd, CLONE_NEWNET);
		close(own_fd);
		close(their_fd);
	}
	if (fd < 0) {
		snprintf(why, whylen, "failed to create a socket: %s", strerror(errno));
		return -errno;
	}
	return fd;
}

/* Waits for fd to be ready, until the deadline; ticks the countdown meanwhile. */
static int wait_ready(
	int fd, short events, int64_t deadline, const struct agent_call *c, int64_t start)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - now_ms();
		int wait = left > 1000 && c->progress_s > 0 ? 1000 : (int)(left > 0 ? left : 0);
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, wait);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0)
			return 0;
		if (c->progress_s > 0 && isatty(STDERR_FILENO)) {
			int64_t remain = c->progress_s - (now_ms() - start) / 1000;

			fprintf(stderr, "\r\033[Kwaiting for the agent: %llds left",
				(long long)(remain > 0 ? remain : 0));
		}
	}
}

static int connect_target(const struct agent_target *t, int64_t deadline,
	const struct agent_call *c, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	if (make_addr(t, &ss, &slen) != 0) {
		snprintf(why, whylen, "invalid address %s: want an IP address or localhost",
			t->host);
		return -EINVAL;
	}
	fd = target_socket(t, ss.ss_family, why, whylen);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&ss, slen) < 0 && errno != EINPROGRESS) {
		err = -errno;
	} else {
		err = wait_ready(fd, POLLOUT, deadline, c, now_ms());
		if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0)
			err = -err;
	}
	if (err) {
		if (err == -ECONNREFUSED)
			snprintf(why, whylen,
				"connection refused by %s:%d: no agent listens there%s%s", t->host,
				t->port, t->portfile[0] ? " (stale port file " : "",
				t->portfile[0] ? t->portfile : "");
		else if (err == -ETIMEDOUT)
			snprintf(why, whylen, "timed out connecting to %s:%d", t->host, t->port);
		else
			snprintf(why, whylen, "failed to connect to %s:%d: %s", t->host, t->port,
				strerror(-err));
		if (err == -ECONNREFUSED && t->portfile[0])
			strncat(why, ")", whylen - strlen(why) - 1);
		close(fd);
		return err;
	}
	return fd;
}

static int send_all(
	int fd, const uint8_t *buf, size_t len, int64_t deadline, const struct agent_call *c)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			int err = wait_ready(fd, POLLOUT, deadline, c, now_ms());

			if (err)
				return err;
			continue;
		}
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

int64_t agent_call(
	const struct agent_target *t, const struct agent_call *c, char *why, size_t whylen)
{
	int64_t start = now_ms(), deadline = start + c->timeout_ms, total = 0;
	uint8_t req[16];
	char *buf = NULL;
	int fd, err;

	if (c->arglen > sizeof(req) - 1)
		return -EINVAL;
	fd = connect_target(t, deadline, c, why, whylen);
	if (fd < 0)
		return fd;
	req[0] = c->cmd;
	if (c->arglen)
		memcpy(req + 1, c->arg, c->arglen);
	err = send_all(fd, req, 1 + c->arglen, deadline, c);
	buf = err ? NULL : malloc(CHUNK);
	if (!err && !buf)
		err = -ENOMEM;
	while (!err) {
		ssize_t n = recv(fd, buf, CHUNK, 0);

		if (n == 0)
			break;
		if (n < 0 && errno == EAGAIN) {
			err = wait_ready(fd, POLLIN, deadline, c, start);
			continue;
		}
		if (n < 0) {
			err = -errno;
			break;
		}
		total += n;
		if ((uint64_t)total > c->max_bytes) {
			err = -EFBIG;
			break;
		}
		err = c->sink(c->ctx, buf, (size_t)n);
	}
	if (c->progress_s > 0 && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	free(buf);
	close(fd);
	if (!err)
		return total;
	if (err == -ETIMEDOUT)
		snprintf(why, whylen,
			"no complete reply from %s:%d within %.1fs (--timeout to wait "
			"longer)",
			t->host, t->port, c->timeout_ms / 1000.0);
	else if (err == -EFBIG)
		snprintf(why, whylen, "the agent at %s:%d sent more than %llu bytes: giving up",
			t->host, t->port, (unsigned long long)c->max_bytes);
	else if (err == -ECONNRESET || err == -EPIPE)
		snprintf(why, whylen, "the agent at %s:%d closed the connection mid-reply", t->host,
			t->port);
	else if (!why[0])
		snprintf(why, whylen, "failed talking to %s:%d: %s", t->host, t->port,
			strerror(-err));
	return err;
}
