/* SPDX-License-Identifier: MIT */
/*
 * The sockets of a process, as gops shows them (gopsutil's Connections):
 * /proc/PID/net/{tcp,tcp6,udp,udp6,unix} filtered by the inodes of the
 * process's socket fds.
 */
#ifndef GOPS_SOCKETS_H
#define GOPS_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>

enum sock_kind {
	SOCK_KIND_TCP,
	SOCK_KIND_TCP6,
	SOCK_KIND_UDP,
	SOCK_KIND_UDP6,
	SOCK_KIND_UNIX,
	SOCK_KIND_COUNT,
};

struct sock_entry {
	enum sock_kind kind;
	int type;        /* SOCK_STREAM, SOCK_DGRAM, or the unix Type column */
	char local[256]; /* IP as Go prints it, or the unix socket path (may be "") */
	unsigned int local_port;
	char remote[64]; /* "" for unix sockets */
	unsigned int remote_port;
	char state[16]; /* "LISTEN", "ESTABLISHED"..., "NONE"; "" for an unknown TCP state */
	unsigned long long inode;
};

struct sock_list {
	struct sock_entry *v;
	size_t n, cap;
};

/* A set of socket inodes (those a process holds). */
struct inode_set {
	unsigned long long *v; /* sorted, unique */
	size_t n;
};

/* "tcp", "tcp6", "udp", "udp6", "unix": also the file name under /proc/PID/net/. */
const char *sock_kind_name(enum sock_kind kind);

/*
 * Parses the text of /proc/net/{tcp,tcp6,udp,udp6} (kind says which). Keeps
 * the entries whose inode is in inodes (all entries when inodes is NULL) and
 * appends them to out, in file order. Lines that do not parse are skipped.
 * Returns 0 or -ENOMEM.
 */
int sockets_parse_inet(const char *text, size_t len, enum sock_kind kind,
	const struct inode_set *inodes, struct sock_list *out);

/*
 * Same for /proc/net/unix. Returns 0, -ENOMEM, or -EINVAL when a Type column
 * is not a number (gopsutil then gives up on every socket, and so do we).
 */
int sockets_parse_unix(
	const char *text, size_t len, const struct inode_set *inodes, struct sock_list *out);

/*
 * Drops entries equal to an earlier one in (type, local, local port, remote,
 * remote port, state), as gopsutil does: e.g. many unnamed unix sockets of a
 * process show as one line.
 */
void sock_list_dedup(struct sock_list *list);

/*
 * The inodes of the socket fds of pid (readlink /proc/PID/fd/N == "socket:[INODE]").
 * Returns 0 or -errno; free set->v.
 */
int sockets_pid_inodes(int pid, struct inode_set *set);

/*
 * All sockets of pid, in gops' order (tcp, tcp6, udp, udp6, unix; file order
 * within each), de-duplicated. The files are read from the process's own
 * network namespace (/proc/PID/net). A process without socket fds gives an
 * empty list. Returns 0 or -errno (a missing tcp6/udp6 file is not an error:
 * IPv6 is off). Free with sock_list_free().
 */
int sockets_for_pid(int pid, struct sock_list *out);

void sock_list_free(struct sock_list *list);

/*
 * Writes an IP address as Go's net.IP.String() does: dotted IPv4 (also for
 * v4-mapped IPv6), RFC 5952 IPv6. len must be 4 or 16. Returns 0 or -EINVAL.
 */
int sock_ip_string(const unsigned char *ip, size_t len, char *buf, size_t buflen);

#endif
