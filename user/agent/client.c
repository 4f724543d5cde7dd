// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "agent/client.h"
#include "proc/proc.h"

#define CHUNK (64 << 10)

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

/* What the namespace thread is given and hands back. */
struct netns_socket {
	int nsfd;
	int family;
	bool entered;
	int fd; /* the socket, or -errno */
};

/*
 * Runs on a thread of its own, which enters the namespace and ends: the main
 * thread never changes namespace, and the socket keeps the namespace it was
 * made in.
 */
static void *socket_in_netns(void *arg)
{
	struct netns_socket *s = arg;

	if (setns(s->nsfd, CLONE_NEWNET) < 0) {
		s->fd = -errno;
		return NULL;
	}
	s->entered = true;
	s->fd = socket(s->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		s->fd = -errno;
	return NULL;
}

/* The reason an errno gives, with what would have allowed it. */
static const char *denied_text(int err, const char *cap, char *buf, size_t len)
{
	if (err == -EACCES || err == -EPERM)
		snprintf(buf, len, "%s (needs root or %s)",
			err == -EACCES ? "permission denied" : "operation not permitted", cap);
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

/*
 * A socket in the target's network namespace, when it has one of its own: a
 * containerised agent listens on its own loopback. When we cannot tell which
 * namespace it is in, there is no socket: our own loopback may have someone
 * else on that port.
 */
static int target_socket(const struct agent_target *t, int family, char *why, size_t whylen)
{
	struct netns_socket s = { .nsfd = -1, .family = family, .fd = -EINVAL };
	struct stat own, theirs;
	char path[64], reason[96];
	pthread_t th;
	int fd, err;

	if (t->is_pid) {
		snprintf(path, sizeof(path), "%s/%d/ns/net", proc_root(), t->pid);
		s.nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (s.nsfd < 0 || fstat(s.nsfd, &theirs) < 0 ||
			stat("/proc/self/ns/net", &own) < 0) {
			err = -errno;
			snprintf(why, whylen, "cannot read the network namespace of process %d: %s",
				t->pid, denied_text(err, "CAP_SYS_PTRACE", reason, sizeof(reason)));
			if (s.nsfd >= 0)
				close(s.nsfd);
			return err;
		}
		if (own.st_dev == theirs.st_dev && own.st_ino == theirs.st_ino) {
			close(s.nsfd);
			s.nsfd = -1;
		}
	}
	if (s.nsfd < 0) {
		fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = -errno;
			snprintf(why, whylen, "failed to create a socket: %s", strerror(-err));
			return err;
		}
		return fd;
	}
	err = pthread_create(&th, NULL, socket_in_netns, &s);
	if (err == 0)
		pthread_join(th, NULL);
	close(s.nsfd);
	if (err) {
		snprintf(why, whylen,
			"failed to start a thread to enter the network namespace of "
			"process %d: %s",
			t->pid, strerror(err));
		return -err;
	}
	if (!s.entered)
		snprintf(why, whylen, "cannot enter the network namespace of process %d: %s",
			t->pid, denied_text(s.fd, "CAP_SYS_ADMIN", reason, sizeof(reason)));
	else if (s.fd < 0)
		snprintf(why, whylen,
			"failed to create a socket in the network namespace of process %d: %s",
			t->pid, strerror(-s.fd));
	return s.fd;
}

/* Waits for fd to be ready, until the deadline; ticks the countdown meanwhile. */
static int wait_ready(
	int fd, short events, int64_t deadline, const struct agent_call *c, int64_t start)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - clock_mono_ms();
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
			int64_t remain = c->progress_s - (clock_mono_ms() - start) / 1000;

			fprintf(stderr, "\r\033[Kwaiting for the agent: %llds left",
				(long long)(remain > 0 ? remain : 0));
		}
	}
}

/* Connects to one address; returns the socket or a negative error. */
static int connect_addr(const struct agent_target *t, const struct target_addr *a, int64_t deadline,
	const struct agent_call *c, char *why, size_t whylen)
{
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = target_socket(t, a->ss.ss_family, why, whylen);
	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) < 0 && errno != EINPROGRESS) {
		err = -errno;
	} else {
		err = wait_ready(fd, POLLOUT, deadline, c, clock_mono_ms());
		if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0)
			err = -err;
	}
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* Tries the target's addresses in order (localhost may be ::1, then 127.0.0.1). */
static int connect_target(const struct agent_target *t, int64_t deadline,
	const struct agent_call *c, char *why, size_t whylen)
{
	int fd = -EINVAL;

	for (int i = 0; i < t->naddrs; i++) {
		why[0] = '\0';
		fd = connect_addr(t, &t->addr[i], deadline, c, why, whylen);
		if (fd >= 0 || fd == -ETIMEDOUT)
			break;
	}
	if (fd >= 0 || why[0])
		return fd;
	if (fd == -ECONNREFUSED)
		snprintf(why, whylen, "connection refused by %s:%d: no agent listens there%s%s%s",
			t->host, t->port, t->portfile[0] ? " (stale port file " : "", t->portfile,
			t->portfile[0] ? ")" : "");
	else if (fd == -ETIMEDOUT)
		snprintf(why, whylen, "timed out connecting to %s:%d", t->host, t->port);
	else
		snprintf(why, whylen, "failed to connect to %s:%d: %s", t->host, t->port,
			strerror(-fd));
	return fd;
}

static int send_all(
	int fd, const uint8_t *buf, size_t len, int64_t deadline, const struct agent_call *c)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			int err = wait_ready(fd, POLLOUT, deadline, c, clock_mono_ms());

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
	int64_t start = clock_mono_ms(), deadline = start + c->timeout_ms, total = 0;
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
