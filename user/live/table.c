// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gops.h"
#include "agent/portfile.h"
#include "proc/proc.h"
#include "live/table.h"

#define BATCH 256
#define LISTING_MAX (64u << 20)

static uint64_t now_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int open_pinned(const char *pin_dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* A live loader: its pid runs, it is the same process, and it beat lately. */
/* Reads the loader's meta into *meta (zeroed if unreadable) and checks the loader. */
static int check_loader(int meta_fd, struct gops_meta *meta, char *why, size_t whylen)
{
	struct proc_stat st;
	uint32_t zero = 0;
	long ticks_ns = 1000000000L / sysconf(_SC_CLK_TCK);

	if (bpf_map_lookup_elem(meta_fd, &zero, meta) != 0)
		memset(meta, 0, sizeof(*meta));
	if (meta->loader_pid == 0) {
		snprintf(why, whylen, "the table has no loader");
		return -ESTALE;
	}
	if (proc_read_stat((int)meta->loader_pid, &st) != 0 ||
		st.starttime != meta->loader_start_boottime / (uint64_t)ticks_ns) {
		snprintf(why, whylen, "its loader (pid %u) is gone", meta->loader_pid);
		return -ESTALE;
	}
	if (!meta->seeded || now_boot_ns() - meta->heartbeat_boot_ns > TABLE_HEARTBEAT_MAX_NS) {
		snprintf(why, whylen, "its loader (pid %u) stopped beating", meta->loader_pid);
		return -ESTALE;
	}
	return 0;
}

/* The loader's strings for one record, pointing into the listing (not NUL-terminated). */
struct rec_strings {
	const char *name, *path, *dirs[GOPS_MAX_DIRS];
};

/* What every entry takes from its record. */
static void entry_base(const struct gops_list_rec *rec, struct go_proc *p)
{
	p->pid = (int)rec->pid;
	p->ppid = (int)rec->ppid;
	p->nspid = (int)rec->nspid;
	snprintf(p->version, sizeof(p->version), "%.*s", (int)sizeof(rec->version), rec->version);
}

/* The executable path: the loader's copy when it has one, else /proc/PID/exe. */
static int entry_path(struct go_proc *p, const char *known, size_t len)
{
	char path[4096];
	int err;

	if (known) {
		snprintf(path, sizeof(path), "%.*s", (int)len, known);
	} else {
		err = proc_exe_path(p->pid, path, sizeof(path));
		if (err)
			return err;
	}
	p->path = strdup(path);
	return p->path ? 0 : -ENOMEM;
}

/* A Go row the loader has no details for: from /proc; -ENOENT if it is not that process now. */
static int entry_from_proc(const struct gops_list_rec *rec, struct go_proc *p, long ticks_ns)
{
	struct proc_stat st;
	char comm[64], agent[4096];
	int err = proc_read_stat((int)rec->pid, &st);

	if (err)
		return err;
	if (st.starttime != rec->start_boottime / (uint64_t)ticks_ns)
		return -ENOENT;
	entry_base(rec, p);
	p->ppid = st.ppid;
	proc_escape_comm(rec->comm, sizeof(rec->comm), comm, sizeof(comm));
	proc_name(p->pid, comm, p->name, sizeof(p->name));
	err = entry_path(p, NULL, 0);
	if (err)
		return err;
	p->agent = portfile_find(p->pid, p->nspid, agent, sizeof(agent)) == 0;
	return 0;
}

/*
 * The parent of a row the kernel flagged as reparented: the loader's answer
 * when it is for the latest hand-over, else /proc.
 */
static int entry_parent(const struct gops_list_rec *rec, struct go_proc *p)
{
	struct proc_stat st;
	int err;

	if (!(rec->flags & GOPS_ROW_REPARENTED))
		return 0;
	if (rec->reparents != 0 && rec->details_ppid_reparents == rec->reparents) {
		p->ppid = (int)rec->details_ppid;
		return 0;
	}
	err = proc_read_stat(p->pid, &st);
	if (err)
		return err;
	p->ppid = st.ppid;
	return 0;
}

/*
 * The fast way, from the record and the loader's details. No start-time check
 * is needed here: the kernel deletes a row when its process exits, and we only
 * get here while the loader that attached those programs is alive.
 */
static int entry_from_details(const struct gops_list_rec *rec, const struct rec_strings *str,
	const struct portfile_dirs *own, struct portfile_cache *cache, struct go_proc *p)
{
	char dir[GOPS_DIR_LEN + 1], agent[4096];
	int err;

	entry_base(rec, p);
	err = entry_parent(rec, p);
	if (err)
		return err;
	snprintf(p->name, sizeof(p->name), "%.*s", (int)rec->name_len, str->name);
	err = entry_path(p, rec->path_ok ? str->path : NULL, rec->path_len);
	if (err)
		return err;
	if (rec->ndirs == GOPS_DIRS_UNKNOWN) {
		p->agent = portfile_find(p->pid, p->nspid, agent, sizeof(agent)) == 0;
		return 0;
	}
	for (uint32_t i = 0; i < rec->ndirs && i < GOPS_MAX_DIRS && !p->agent; i++) {
		snprintf(dir, sizeof(dir), "%.*s", (int)rec->dir_len[i], str->dirs[i]);
		p->agent = portfile_cache_has(cache, dir, p->nspid);
	}
	for (int i = 0; i < own->n && !p->agent; i++)
		p->agent = portfile_cache_has(cache, own->dir[i], p->pid);
	return 0;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct go_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Reads a whole pid-keyed map in batches. Returns the count, or -errno. */
static long read_map(int fd, size_t value_size, uint32_t **keys, void **values)
{
	size_t cap = BATCH, n = 0;
	uint32_t in = 0, out = 0;
	bool first = true;

	*keys = malloc(cap * sizeof(**keys));
	*values = malloc(cap * value_size);
	if (!*keys || !*values)
		return -ENOMEM;
	for (;;) {
		uint32_t count = BATCH;
		int err;

		if (n + BATCH > cap) {
			uint32_t *k = realloc(*keys, (cap * 2) * sizeof(**keys));
			void *v = k ? realloc(*values, (cap * 2) * value_size) : NULL;

			if (k)
				*keys = k;
			if (!k || !v)
				return -ENOMEM;
			*values = v;
			cap *= 2;
		}
		err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, *keys + n,
			(char *)*values + n * value_size, &count, NULL);
		if (err && errno != ENOENT)
			return -errno;
		n += count;
		if (err) /* ENOENT: that was the last batch */
			return (long)n;
		first = false;
		in = out;
	}
}

/* Reads the whole pinned iterator: every Go row, each with its details if known. */
static ssize_t read_listing(const char *pin_dir, char **out)
{
	char path[PATH_MAX];
	size_t cap = 64 << 10, len = 0;
	char *buf = malloc(cap);
	int fd;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/list", pin_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb = cap < LISTING_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : 0;

			close(fd);
			if (err) {
				free(buf);
				return err;
			}
			break;
		}
		len += (size_t)n;
	}
	*out = buf;
	return (ssize_t)len;
}

/*
 * Takes one record and its strings off the listing at *off. Returns false at
 * the end, or when what is left is not a whole record (lengths are checked
 * against their fields' sizes and what was read).
 */
static bool next_rec(const char *buf, size_t len, size_t *off, struct gops_list_rec *rec,
	struct rec_strings *str)
{
	size_t o = *off, want;
	const char *s;

	if (len - o < sizeof(*rec))
		return false;
	memcpy(rec, buf + o, sizeof(*rec));
	o += sizeof(*rec);
	memset(str, 0, sizeof(*str));
	if (rec->has_details) {
		if (rec->name_len >= GOPS_NAME_LEN || rec->path_len >= GOPS_PATH_LEN)
			return false;
		want = (size_t)rec->name_len + rec->path_len;
		for (int i = 0; i < GOPS_MAX_DIRS; i++) {
			if (rec->dir_len[i] >= GOPS_DIR_LEN)
				return false;
			want += rec->dir_len[i];
		}
		if (len - o < want)
			return false;
		s = buf + o;
		str->name = s;
		s += rec->name_len;
		str->path = s;
		s += rec->path_len;
		for (int i = 0; i < GOPS_MAX_DIRS; i++) {
			str->dirs[i] = s;
			s += rec->dir_len[i];
		}
		o += want;
	}
	*off = o;
	return true;
}

static int read_rows(const char *pin_dir, struct go_list *l)
{
	long ticks_ns = 1000000000L / sysconf(_SC_CLK_TCK);
	struct portfile_cache *cache = portfile_cache_new();
	char *buf = NULL;
	ssize_t len = read_listing(pin_dir, &buf);
	struct portfile_dirs own;
	struct gops_list_rec rec;
	struct rec_strings str;
	size_t off = 0;
	int err = 0;

	if (len < 0 || !cache) {
		portfile_cache_free(cache);
		return len < 0 ? (int)len : -ENOMEM;
	}
	portfile_own_dirs(&own);
	while (next_rec(buf, (size_t)len, &off, &rec, &str)) {
		struct go_proc *p = golist_add(l);

		if (!p) {
			err = -ENOMEM;
			break;
		}
		if ((rec.has_details ? entry_from_details(&rec, &str, &own, cache, p)
				     : entry_from_proc(&rec, p, ticks_ns)) != 0) {
			free(p->path);
			l->n--;
			l->vanished++;
		}
	}
	if (!err)
		qsort(l->procs, l->n, sizeof(*l->procs), cmp_proc);
	portfile_cache_free(cache);
	free(buf);
	return err;
}

int table_list(const char *pin_dir, struct go_list *l, char *why, size_t whylen)
{
	int meta_fd = open_pinned(pin_dir, "meta"), err;
	struct gops_meta meta;

	if (meta_fd < 0) {
		snprintf(why, whylen, "no table at %s: %s", pin_dir, strerror(-meta_fd));
		return meta_fd;
	}
	err = check_loader(meta_fd, &meta, why, whylen);
	if (!err && meta.incomplete) {
		snprintf(why, whylen, "the table is full (daemon --max-procs raises it)");
		err = -ESTALE;
	}
	close(meta_fd);
	if (err)
		return err;
	err = read_rows(pin_dir, l);
	if (err)
		snprintf(why, whylen, "failed to read %s/list: %s", pin_dir, strerror(-err));
	return err;
}

static void sum_counters(int fd, uint64_t *out)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpus <= 0)
		return;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return;
	for (uint32_t i = 0; i < GOPS_CNT_MAX; i++) {
		if (bpf_map_lookup_elem(fd, &i, vals) != 0)
			continue;
		for (int c = 0; c < ncpus; c++)
			out[i] += vals[c];
	}
	free(vals);
}

static void count_rows(int fd, struct table_status *st)
{
	uint32_t *keys = NULL;
	struct gops_row *rows = NULL;
	long n = read_map(fd, sizeof(*rows), &keys, (void **)&rows);

	for (long i = 0; i < n; i++) {
		if (rows[i].flags & GOPS_ROW_GO)
			st->go_rows++;
		else
			st->unclassified_rows++;
	}
	free(keys);
	free(rows);
}

int table_status(const char *pin_dir, struct table_status *st)
{
	int meta_fd = open_pinned(pin_dir, "meta"), fd;

	memset(st, 0, sizeof(*st));
	if (meta_fd < 0) {
		snprintf(st->why, sizeof(st->why), "no table at %s: %s", pin_dir,
			strerror(-meta_fd));
		return meta_fd;
	}
	st->live = check_loader(meta_fd, &st->meta, st->why, sizeof(st->why)) == 0;
	if (st->meta.heartbeat_boot_ns)
		st->heartbeat_age_ns = now_boot_ns() - st->meta.heartbeat_boot_ns;
	close(meta_fd);
	fd = open_pinned(pin_dir, "counters");
	if (fd >= 0) {
		sum_counters(fd, st->counters);
		close(fd);
	}
	fd = open_pinned(pin_dir, "procs");
	if (fd >= 0) {
		count_rows(fd, st);
		close(fd);
	}
	return 0;
}
