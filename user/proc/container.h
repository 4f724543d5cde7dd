/* SPDX-License-Identifier: MIT */
/*
 * The container a process runs in, as its cgroup path names it, and the
 * namespaces it sees. A cgroup path is untrusted text: only an id of exactly
 * 64 lowercase hex digits in a layout a real runtime writes counts.
 */
#ifndef GOPS_PROC_CONTAINER_H
#define GOPS_PROC_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum container_runtime {
	CONTAINER_NONE = 0,
	CONTAINER_DOCKER,
	CONTAINER_CONTAINERD,
	CONTAINER_CRIO,
	CONTAINER_PODMAN
};

#define CONTAINER_ID_LEN 64 /* hex chars */
#define POD_UID_LEN 36

struct container_info {
	enum container_runtime runtime; /* CONTAINER_NONE: not in a container we recognise */
	char id[CONTAINER_ID_LEN + 1];  /* 64 lowercase hex, "" when none */
	char pod_uid[POD_UID_LEN +
		     1]; /* Kubernetes pod UID with dashes (8-4-4-4-12), "" when none */
};

/* "docker", "containerd", "cri-o", "podman"; "" for CONTAINER_NONE (and unknown values). */
const char *container_runtime_name(enum container_runtime r);

/*
 * Parses /proc/PID/cgroup text (len bytes, not necessarily NUL-terminated).
 * The cgroup v2 line (0::PATH) wins when it names a container, else the
 * first v1 line (N:CONTROLLERS:PATH) that does. Returns 1 and fills out when
 * a line names a container, 0 when none does (out zeroed); never reads past len.
 */
int container_from_cgroup(const char *text, size_t len, struct container_info *out);

/* Reads proc_root()/PID/cgroup and parses it. 1/0 as above, -errno when unreadable. */
int proc_container(int pid, struct container_info *out);

/* The inode numbers of /proc/PID/ns/{pid,mnt,net} (stat st_ino); 0 for one that cannot be read. */
struct proc_ns {
	unsigned long long pid, mnt, net;
};

/* Fills ns. Returns 0 when at least one could be read, else the first -errno. */
int proc_namespaces(int pid, struct proc_ns *ns);

/* A container id: exactly 64 lowercase hex digits (n bytes at s). */
bool container_is_id(const char *s, size_t n);

/* A pod UID as we keep it: 8-4-4-4-12 lowercase hex with dashes (n bytes at s). */
bool container_is_pod_uid(const char *s, size_t n);

/* Is c a container whose id starts with prefix (hex, either case: a short id)? */
bool container_matches(const struct container_info *c, const char *prefix);

/*
 * Where a process lives, as JSON members after others: ,"pid_ns":N,
 * "mnt_ns":N,"net_ns":N (0: unknown), "container_id", "container_runtime" and
 * "pod_uid" (null when none). The listing, watch and `gops <pid>` share it.
 */
void container_write_json(FILE *out, const struct proc_ns *ns, const struct container_info *c);

#endif
