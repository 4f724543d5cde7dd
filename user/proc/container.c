// SPDX-License-Identifier: MIT
/*
 * Which container a cgroup path names. Each line of /proc/PID/cgroup is
 * HIERARCHY:CONTROLLERS:PATH (cgroups(7)); the path may hold colons itself.
 * The path's directories are looked at from the deepest up: the first one
 * that names a container in a layout of the table below wins (so a process
 * in a child cgroup of its container, as crun's "container", still counts),
 * and the pod UID is the nearest one named above it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/json.h"
#include "proc/container.h"
#include "proc/proc.h"

/* A cgroup file names one path per hierarchy: a dozen lines, rarely more. */
#define CGROUP_FILE_MAX (64u << 10)

struct span {
	const char *s;
	size_t n;
};

/* Where a directory has to sit for its name to count. */
enum parent {
	ANY,
	UNDER_DOCKER, /* in a directory named "docker" */
	UNDER_POD,    /* in a kubelet cgroupfs pod directory, pod<UID> */
};

/* A directory named PREFIX<64 hex>SUFFIX. */
struct layout {
	const char *prefix, *suffix;
	enum parent parent;
	enum container_runtime runtime;
};

static const struct layout layouts[] = {
	/*
	 * Docker with the systemd cgroup driver: /system.slice/docker-ID.scope;
	 * rootless Docker under .../user@UID.service/...; the kubelet (dockershim,
	 * cri-dockerd) with the systemd driver: ...-pod<UID>.slice/docker-ID.scope.
	 */
	{ "docker-", ".scope", ANY, CONTAINER_DOCKER },
	/* The kubelet with Docker and the cgroupfs driver, when it prefixes:
	   .../pod<UID>/docker-ID. */
	{ "docker-", "", UNDER_POD, CONTAINER_DOCKER },
	/* Docker with the cgroupfs driver: /docker/ID (and docker in docker, /docker/ID/docker/ID).
	 */
	{ "", "", UNDER_DOCKER, CONTAINER_DOCKER },
	/*
	 * The kubelet with the cgroupfs driver: /kubepods[/burstable|/besteffort]/pod<UID>/ID.
	 * containerd's CRI plugin writes it, and so did dockershim: taken as containerd.
	 */
	{ "", "", UNDER_POD, CONTAINER_CONTAINERD },
	/* containerd's CRI plugin with the systemd driver:
	   ...-pod<UID>.slice/cri-containerd-ID.scope. */
	{ "cri-containerd-", ".scope", ANY, CONTAINER_CONTAINERD },
	/*
	 * CRI-O with the systemd driver: ...-pod<UID>.slice/crio-ID.scope; with the
	 * cgroupfs driver: .../pod<UID>/crio-ID. Its conmon's crio-conmon-ID.scope
	 * is no container (and no id: "conmon-ID" is not 64 hex digits).
	 */
	{ "crio-", ".scope", ANY, CONTAINER_CRIO },
	{ "crio-", "", UNDER_POD, CONTAINER_CRIO },
	/*
	 * podman with the systemd manager: /machine.slice/libpod-ID.scope (root),
	 * /user.slice/user-UID.slice/user@UID.service/user.slice/libpod-ID.scope
	 * (rootless); crun puts the process in a "container" child below it.
	 * libpod-conmon-ID.scope is conmon, refused by the id check.
	 */
	{ "libpod-", ".scope", ANY, CONTAINER_PODMAN },
	/* podman with the cgroupfs manager: /libpod_parent/libpod-ID (or --cgroup-parent's
	   directory). */
	{ "libpod-", "", ANY, CONTAINER_PODMAN },
};

/*
 * SLICE:PREFIX:ID in one directory: the systemd-style name the kubelet's
 * systemd driver hands the runtime, which runc's cgroupfs driver (containerd
 * with SystemdCgroup = false, say) makes one directory of, under the
 * runtime's own cgroup:
 * /system.slice/containerd.service/kubepods-besteffort-pod<UID>.slice:cri-containerd:ID.
 */
static const struct {
	const char *prefix;
	enum container_runtime runtime;
} colon_layouts[] = {
	{ "cri-containerd", CONTAINER_CONTAINERD },
	{ "crio", CONTAINER_CRIO },
};

const char *container_runtime_name(enum container_runtime r)
{
	switch (r) {
	case CONTAINER_DOCKER:
		return "docker";
	case CONTAINER_CONTAINERD:
		return "containerd";
	case CONTAINER_CRIO:
		return "cri-o";
	case CONTAINER_PODMAN:
		return "podman";
	case CONTAINER_NONE:
		break;
	}
	return "";
}

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool container_is_id(const char *s, size_t n)
{
	if (n != CONTAINER_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_lower_hex(s[i]))
			return false;
	return true;
}

static bool span_is(struct span c, const char *s)
{
	size_t n = strlen(s);

	return c.n == n && memcmp(c.s, s, n) == 0;
}

/* A pod UID, 8-4-4-4-12 lowercase hex with sep between the groups, copied with dashes. */
static bool parse_uid(const char *s, size_t n, char sep, char *out)
{
	if (n != POD_UID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != sep : !is_lower_hex(s[i]))
			return false;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] == sep ? '-' : s[i];
	out[n] = '\0';
	return true;
}

bool container_is_pod_uid(const char *s, size_t n)
{
	char copy[POD_UID_LEN + 1];

	return parse_uid(s, n, '-', copy);
}

bool container_matches(const struct container_info *c, const char *prefix)
{
	return c->id[0] && strncasecmp(c->id, prefix, strlen(prefix)) == 0;
}

/* pod<UID>: a pod's directory as the kubelet's cgroupfs driver names it. */
static bool cgroupfs_pod_uid(struct span c, char *out)
{
	return c.n == 3 + POD_UID_LEN && memcmp(c.s, "pod", 3) == 0 &&
	       parse_uid(c.s + 3, POD_UID_LEN, '-', out);
}

/* ...-pod<UID with _ for ->.slice: as its systemd driver names it (a - would nest the slice). */
static bool systemd_pod_uid(struct span c, char *out)
{
	const size_t tail = 4 + POD_UID_LEN + 6; /* "-pod", the UID, ".slice" */

	if (c.n < tail || memcmp(c.s + c.n - 6, ".slice", 6) != 0 ||
		memcmp(c.s + c.n - tail, "-pod", 4) != 0)
		return false;
	return parse_uid(c.s + c.n - tail + 4, POD_UID_LEN, '_', out);
}

static bool pod_uid(struct span c, char *out)
{
	return cgroupfs_pod_uid(c, out) || systemd_pod_uid(c, out);
}

/*
 * The directory that ends at *end (trailing slashes skipped) into c; *end
 * moves to its start. False when only slashes are left.
 */
static bool prev_dir(const char *path, const char **end, struct span *c)
{
	const char *e = *end, *b;

	while (e > path && e[-1] == '/')
		e--;
	if (e == path)
		return false;
	for (b = e; b > path && b[-1] != '/'; b--)
		;
	c->s = b;
	c->n = (size_t)(e - b);
	*end = b;
	return true;
}

static bool parent_fits(enum parent want, const char *path, const char *start)
{
	struct span p;
	char uid[POD_UID_LEN + 1];

	if (want == ANY)
		return true;
	if (!prev_dir(path, &start, &p))
		return false;
	return want == UNDER_DOCKER ? span_is(p, "docker") : cgroupfs_pod_uid(p, uid);
}

/* SLICE:PREFIX:ID; slice gets SLICE. */
static enum container_runtime colon_layout(struct span c, const char **id, struct span *slice)
{
	const char *first = memchr(c.s, ':', c.n), *last = c.s + c.n;

	if (!first)
		return CONTAINER_NONE;
	while (last[-1] != ':')
		last--;
	if (last - 1 == first || !container_is_id(last, (size_t)(c.s + c.n - last)))
		return CONTAINER_NONE;
	for (size_t i = 0; i < sizeof(colon_layouts) / sizeof(colon_layouts[0]); i++) {
		struct span prefix = { first + 1, (size_t)(last - 1 - (first + 1)) };

		if (span_is(prefix, colon_layouts[i].prefix)) {
			*id = last;
			slice->s = c.s;
			slice->n = (size_t)(first - c.s);
			return colon_layouts[i].runtime;
		}
	}
	return CONTAINER_NONE;
}

/* The runtime whose layout directory c (starting at c.s in path) is, with *id in it. */
static enum container_runtime dir_layout(
	const char *path, struct span c, const char **id, struct span *slice)
{
	slice->n = 0;
	if (memchr(c.s, ':', c.n))
		return colon_layout(c, id, slice);
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct layout *l = &layouts[i];
		size_t pl = strlen(l->prefix), sl = strlen(l->suffix);

		if (c.n != pl + CONTAINER_ID_LEN + sl || memcmp(c.s, l->prefix, pl) != 0 ||
			memcmp(c.s + pl + CONTAINER_ID_LEN, l->suffix, sl) != 0 ||
			!container_is_id(c.s + pl, CONTAINER_ID_LEN) ||
			!parent_fits(l->parent, path, c.s))
			continue;
		*id = c.s + pl;
		return l->runtime;
	}
	return CONTAINER_NONE;
}

static bool from_path(const char *path, size_t len, struct container_info *out)
{
	const char *end = path + len, *id = NULL;
	struct span c, slice;

	while (prev_dir(path, &end, &c)) {
		enum container_runtime r = dir_layout(path, c, &id, &slice);

		if (r == CONTAINER_NONE)
			continue;
		out->runtime = r;
		memcpy(out->id, id, CONTAINER_ID_LEN);
		out->id[CONTAINER_ID_LEN] = '\0';
		if (slice.n && systemd_pod_uid(slice, out->pod_uid))
			return true;
		while (prev_dir(path, &end, &c))
			if (pod_uid(c, out->pod_uid))
				break;
		return true;
	}
	return false;
}

/* One line (without its newline). *v2 tells a 0::PATH line. */
static bool from_line(const char *line, size_t n, bool *v2, struct container_info *out)
{
	static const char deleted[] = " (deleted)"; /* v2, when the cgroup is gone */
	const size_t dn = sizeof(deleted) - 1;
	const char *c1 = memchr(line, ':', n), *c2, *path;
	size_t plen;

	if (!c1 || c1 == line)
		return false;
	for (const char *p = line; p < c1; p++)
		if (*p < '0' || *p > '9')
			return false;
	c2 = memchr(c1 + 1, ':', (size_t)(line + n - (c1 + 1)));
	if (!c2)
		return false;
	path = c2 + 1;
	plen = (size_t)(line + n - path);
	if (!plen || path[0] != '/')
		return false;
	if (plen > dn && memcmp(path + plen - dn, deleted, dn) == 0)
		plen -= dn;
	*v2 = c1 == line + 1 && line[0] == '0' && c2 == c1 + 1;
	return from_path(path, plen, out);
}

int container_from_cgroup(const char *text, size_t len, struct container_info *out)
{
	struct container_info first_v1;
	const char *p = text, *end;
	bool have_v1 = false;

	memset(out, 0, sizeof(*out));
	if (!text)
		return 0;
	end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct container_info c;
		bool v2 = false;

		memset(&c, 0, sizeof(c));
		if (from_line(p, (size_t)(le - p), &v2, &c)) {
			if (v2) {
				*out = c;
				return 1;
			}
			if (!have_v1) {
				first_v1 = c;
				have_v1 = true;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!have_v1)
		return 0;
	*out = first_v1;
	return 1;
}

int proc_container(int pid, struct container_info *out)
{
	char *buf;
	ssize_t n;
	int r;

	memset(out, 0, sizeof(*out));
	n = proc_read_file(pid, "cgroup", &buf, CGROUP_FILE_MAX);
	if (n < 0)
		return (int)n;
	r = container_from_cgroup(buf, (size_t)n, out);
	free(buf);
	return r;
}

/* stat(2) of PID/ns/NAME under the proc root: its inode, or 0 (the first error in *err). */
static unsigned long long ns_inode(int pid, const char *name, int *err)
{
	char path[PATH_MAX], ns[16];
	struct stat st;
	int dirfd;

	snprintf(ns, sizeof(ns), "ns/%s", name);
	dirfd = proc_at(pid, ns, path, sizeof(path));
	if (fstatat(dirfd, path, &st, 0) == 0)
		return (unsigned long long)st.st_ino;
	if (!*err)
		*err = -errno;
	return 0;
}

int proc_namespaces(int pid, struct proc_ns *ns)
{
	int err = 0;

	memset(ns, 0, sizeof(*ns));
	if (pid <= 0)
		return -ENOENT;
	ns->pid = ns_inode(pid, "pid", &err);
	ns->mnt = ns_inode(pid, "mnt", &err);
	ns->net = ns_inode(pid, "net", &err);
	return ns->pid || ns->mnt || ns->net ? 0 : err;
}

/* A string member, or null when empty. */
static void json_member_or_null(FILE *out, const char *key, const char *s)
{
	fputc(',', out);
	json_key(out, key);
	if (*s)
		json_string(out, s);
	else
		fputs("null", out);
}

void container_write_json(FILE *out, const struct proc_ns *ns, const struct container_info *c)
{
	fprintf(out, ",\"pid_ns\":%llu,\"mnt_ns\":%llu,\"net_ns\":%llu", ns->pid, ns->mnt, ns->net);
	json_member_or_null(out, "container_id", c->id);
	json_member_or_null(out, "container_runtime", container_runtime_name(c->runtime));
	json_member_or_null(out, "pod_uid", c->pod_uid);
}
