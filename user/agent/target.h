/* SPDX-License-Identifier: MIT */
/*
 * Targets of the agent verbs: a pid (its agent's port file says the port), or
 * host:port as gops (Go's net.SplitHostPort) takes it: a host name, an IPv4
 * address, or [IPv6]:port. Host names resolve as Go's resolver does them:
 * the hosts file, then DNS as /etc/resolv.conf says.
 */
#ifndef GOPS_TARGET_H
#define GOPS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define TARGET_HOST_MAX 256
#define TARGET_MAX_ADDRS 8
/* A name lookup never waits longer than this (less when --timeout is shorter). */
#define TARGET_RESOLVE_TIMEOUT_MS 10000

/* A target as written: syntax only, nothing looked up. */
struct target_spec {
	bool is_pid;
	int pid;
	char host[TARGET_HOST_MAX]; /* without the brackets of [v6]:port */
	int port;
};

struct target_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

struct agent_target {
	bool is_pid;
	int pid;
	/* For messages: as written, or the agent's listening address; [v6] in brackets. */
	char host[TARGET_HOST_MAX];
	int port;
	int naddrs; /* the addresses to try, in order */
	struct target_addr addr[TARGET_MAX_ADDRS];
	char portfile[4096]; /* for a pid: the port file that named the port */
};

/*
 * Parses "PID", "host:port" or "[v6]:port" (anything with a ':' is an
 * address). Returns 0, or -EINVAL with a one-line reason in why.
 */
int target_parse(const char *arg, struct target_spec *s, char *why, size_t whylen);

/* Parses a port: 1 to 65535 in decimal, nothing else (port files hold one too). */
int target_parse_port(const char *buf, size_t len, int *port);

/*
 * Resolves host to at most max addresses with port set, in the order to try
 * them. IP literals need no lookup; names go to the hosts file, then DNS,
 * for timeout_ms at most. Returns the number of addresses, or a negative
 * error with why set ("cannot resolve host foo: ...").
 */
int target_resolve_host(const char *host, int port, int timeout_ms, struct target_addr *addrs,
	int max, char *why, size_t whylen);

/*
 * Resolves a target written as target_parse takes it. For a pid, finds its
 * port file where its agent wrote it and checks that the port is really that
 * process's listening socket. Returns 0, or a negative error with why set.
 */
int target_resolve(
	const char *arg, int timeout_ms, struct agent_target *t, char *why, size_t whylen);

#endif
