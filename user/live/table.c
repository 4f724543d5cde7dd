// SPDX-License-Identifier: MIT
/*
 * Reading the pinned table: the meta says whether a live loader of our ABI
 * owns it; the rows come from the `list` iterator in one read, or, on kernels
 * that refuse the map iterator, from the procs and details maps, encoded
 * into the same records so that one parser and one row builder serve both.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/array.h"
#include "base/clock.h"
#include "base/readfd.h"
#include "base/str.h"
#include "live/pinned.h"
#include "live/table.h"
#include "proc/proc.h"

#define BATCH 256
#define LISTING_MAX (64u << 20)

/*
 * Why the meta could not be opened. A table that is there but cannot be read
 * (-EACCES) is worth saying; one we cannot even see (a normal user cannot
 * look into /sys/fs/bpf) is as good as none (-ENOENT).
 */
static int no_table(const char *pin_dir, int err, char *why, size_t whylen)
{
	struct stat st;

	if (err == -ENOENT) {
		snprintf(why, whylen, "no daemon on %s", pin_dir);
	} else if ((err == -EACCES || err == -EPERM) && stat(pin_dir, &st) != 0) {
		snprintf(why, whylen, "no daemon visible on %s (%s)", pin_dir, strerror(errno));
		err = -ENOENT;
	} else {
		snprintf(
			why, whylen, "the table at %s cannot be read: %s", pin_dir, strerror(-err));
	}
	return err;
}

/* A live loader: our ABI, its pid runs and is the same process, it beat lately. */
static int check_loader(
	const char *pin_dir, struct gops_meta *meta, uint32_t *abi, char *why, size_t whylen)
{
	int fd = pinned_map_open(pin_dir, GOPS_PIN_META, sizeof(*meta)), err;

	memset(meta, 0, sizeof(*meta));
	*abi = 0;
	if (fd == -EPROTO) {
		snprintf(why, whylen, "the table at %s is of another gops version", pin_dir);
		return fd;
	}
	if (fd < 0)
		return no_table(pin_dir, fd, why, whylen);
	err = pinned_read_meta(fd, meta, abi);
	close(fd);
	if (err == -EPROTO) {
		snprintf(why, whylen,
			"the table at %s is of another gops version (ABI %u, ours %u)", pin_dir,
			*abi, GOPS_ABI_VERSION);
		return err;
	}
	if (err) {
		snprintf(why, whylen, "cannot read the table at %s: %s", pin_dir, strerror(-err));
		return err;
	}
	if (meta->loader_pid == 0) {
		snprintf(why, whylen, "the table at %s has no loader", pin_dir);
		return -ESTALE;
	}
	if (!proc_is_process((int)meta->loader_pid, meta->loader_start_boottime, NULL)) {
		snprintf(why, whylen, "the daemon of %s (pid %u) is gone", pin_dir,
			meta->loader_pid);
		return -ESTALE;
	}
	if (!(meta->flags & GOPS_META_SEEDED)) {
		snprintf(why, whylen, "the daemon of %s (pid %u) has not seeded its table yet",
			pin_dir, meta->loader_pid);
		return -ESTALE;
	}
	if (clock_boot_ns() - meta->heartbeat_boot_ns > TABLE_HEARTBEAT_MAX_NS) {
		snprintf(why, whylen, "the daemon of %s (pid %u) stopped beating", pin_dir,
			meta->loader_pid);
		return -ESTALE;
	}
	return 0;
}

bool table_next_rec(const char *buf, size_t len, size_t *off, struct gops_list_rec *rec,
	struct table_rec_strings *str)
{
	size_t o = *off, want;
	const char *s;

	if (o > len || len - o < sizeof(*rec))
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

/* ---- the records, from the iterator or from the maps ---- */

/* Reads the whole pinned iterator: every Go row, each with its details if known. */
static ssize_t read_iterator(const char *pin_dir, char **out)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, GOPS_PIN_LIST);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_whole_fd(fd, out, LISTING_MAX, false, false);
	close(fd);
	return n;
}

/* Reads a whole pid-keyed map in batches. Returns the count, or -errno. */
static long read_map(int fd, size_t value_size, uint32_t **keys, void **values)
{
	size_t n = 0, kcap = 0, vcap = 0, kn, vn;
	uint32_t in = 0, out = 0;
	bool first = true;

	*keys = NULL;
	*values = NULL;
	for (;;) {
		uint32_t count = BATCH;
		int err;

		/* Room for one more batch after the n entries read so far. */
		kn = vn = n;
		if (!array_add(keys, &kn, &kcap, sizeof(**keys), BATCH) ||
			!array_add(values, &vn, &vcap, value_size, BATCH))
			return -ENOMEM;
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

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Appends bytes to a growing buffer. Returns 0 or -ENOMEM. */
static int put(char **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
	char *p;

	if (n == 0)
		return 0;
	p = array_add(buf, len, cap, 1, n);
	if (!p)
		return -ENOMEM;
	memcpy(p, data, n);
	return 0;
}

int table_encode_rec(char **buf, size_t *len, size_t *cap, const struct gops_row *row,
	const struct gops_details *d)
{
	struct gops_list_rec rec = { 0 };
	int err;

	rec.pid = row->pid;
	rec.nspid = row->nspid;
	rec.ppid = row->ppid;
	rec.flags = row->flags;
	rec.start_boottime = row->start_boottime;
	rec.reparents = row->reparents;
	memcpy(rec.comm, row->comm, sizeof(rec.comm));
	memcpy(rec.version, row->version, sizeof(rec.version));
	if (d) {
		uint32_t ndirs = d->ndirs <= GOPS_MAX_DIRS ? d->ndirs : 0;

		rec.has_details = 1;
		rec.details_ppid = d->ppid;
		rec.details_ppid_reparents = d->ppid_reparents;
		rec.ident = d->ident;
		rec.path_ok = d->path_ok;
		rec.ndirs = d->ndirs;
		rec.name_len = d->name_len < GOPS_NAME_LEN ? d->name_len : 0;
		rec.path_len = d->path_len < GOPS_PATH_LEN ? d->path_len : 0;
		for (uint32_t i = 0; i < GOPS_MAX_DIRS; i++)
			rec.dir_len[i] =
				i < ndirs && d->dir_len[i] < GOPS_DIR_LEN ? d->dir_len[i] : 0;
	}
	err = put(buf, len, cap, &rec, sizeof(rec));
	if (!err && d) {
		err = put(buf, len, cap, d->name, rec.name_len);
		if (!err)
			err = put(buf, len, cap, d->path, rec.path_len);
		for (int i = 0; i < GOPS_MAX_DIRS && !err; i++)
			err = put(buf, len, cap, d->dirs[i], rec.dir_len[i]);
	}
	return err;
}

/*
 * Without the iterator: every Go row of procs, joined with its details (same
 * process: start time and inode), as the iterator would have written them.
 */
static ssize_t read_maps(const char *pin_dir, char **out)
{
	int pfd = pinned_map_open(pin_dir, GOPS_PIN_PROCS, sizeof(struct gops_row));
	int dfd = pinned_map_open(pin_dir, GOPS_PIN_DETAILS, sizeof(struct gops_details));
	uint32_t *pkeys = NULL, *dkeys = NULL, *dsorted = NULL;
	struct gops_row *rows = NULL;
	struct gops_details *details = NULL;
	size_t len = 0, cap = 0;
	long np = 0, nd = 0;
	char *buf = NULL;
	int err = pfd < 0 ? pfd : dfd < 0 ? dfd : 0;

	if (!err)
		np = read_map(pfd, sizeof(*rows), &pkeys, (void **)&rows);
	if (!err && np >= 0)
		nd = read_map(dfd, sizeof(*details), &dkeys, (void **)&details);
	if (!err && (np < 0 || nd < 0))
		err = np < 0 ? (int)np : (int)nd;
	/* Details by pid: an index sorted by key, each entry the key then its position. */
	if (!err && nd > 0) {
		dsorted = malloc((size_t)nd * 2 * sizeof(*dsorted));
		if (!dsorted)
			err = -ENOMEM;
		for (long i = 0; !err && i < nd; i++) {
			dsorted[2 * i] = dkeys[i];
			dsorted[2 * i + 1] = (uint32_t)i;
		}
		if (!err)
			qsort(dsorted, (size_t)nd, 2 * sizeof(*dsorted), cmp_u32);
	}
	for (long i = 0; !err && i < np; i++) {
		const struct gops_details *d = NULL;
		uint32_t *hit;

		if (!(rows[i].flags & GOPS_ROW_GO))
			continue;
		hit = nd > 0 ? bsearch(&pkeys[i], dsorted, (size_t)nd, 2 * sizeof(*dsorted),
				       cmp_u32)
			     : NULL;
		if (hit) {
			d = &details[hit[1]];
			if (d->start_boottime != rows[i].start_boottime || d->ino != rows[i].ino)
				d = NULL;
		}
		err = table_encode_rec(&buf, &len, &cap, &rows[i], d);
	}
	if (pfd >= 0)
		close(pfd);
	if (dfd >= 0)
		close(dfd);
	free(pkeys);
	free(rows);
	free(dkeys);
	free(details);
	free(dsorted);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	return (ssize_t)len;
}

/* ---- rows ---- */

/*
 * The parent of a row the kernel flagged as reparented: the loader's answer
 * when it is for the latest hand-over, else /proc.
 */
static int row_parent(const struct gops_list_rec *rec, int *ppid)
{
	struct proc_stat st;
	int err;

	*ppid = (int)rec->ppid;
	if (!(rec->flags & GOPS_ROW_REPARENTED))
		return 0;
	if (rec->has_details && rec->reparents != 0 &&
		rec->details_ppid_reparents == rec->reparents) {
		*ppid = (int)rec->details_ppid;
		return 0;
	}
	err = proc_read_stat((int)rec->pid, &st);
	if (err)
		return err;
	*ppid = st.ppid;
	return 0;
}

/*
 * One row. With the loader's details no /proc read is needed (nor a
 * start-time check: the kernel deletes a row when its process exits, and we
 * only get here while the loader that attached those programs is alive).
 * Without them (the loader has not got to it yet), from /proc, and only if
 * the pid is still that process.
 */
static int add_row(struct go_list *l, const struct gops_list_rec *rec,
	const struct table_rec_strings *str, struct portfile_cache *marks)
{
	struct go_proc_src src = { .pid = (int)rec->pid,
		.nspid = (int)rec->nspid,
		.start_boottime = rec->start_boottime };
	char version[GOPS_GOVERSION_LEN + 1], comm[64];
	struct portfile_dirs dirs; /* only n and the first n dirs are read */
	struct container_info ctr;
	struct proc_ns ns;
	struct proc_stat st;
	int err;

	str_copy_n(version, sizeof(version), rec->version, sizeof(rec->version));
	src.version = version;
	if (!rec->has_details) {
		if (!proc_is_process(src.pid, rec->start_boottime, &st))
			return -ENOENT;
		src.ppid = st.ppid;
		str_copy_n(comm, sizeof(comm), rec->comm, sizeof(rec->comm));
		src.comm = comm;
		return golist_add(l, &src, marks);
	}
	err = row_parent(rec, &src.ppid);
	if (err)
		return err;
	pinned_unpack_identity(&rec->ident, &ns, &ctr);
	src.ns = &ns;
	src.ctr = &ctr;
	src.name = str->name;
	src.name_len = rec->name_len;
	if (rec->path_ok) {
		src.path = str->path;
		src.path_len = rec->path_len;
	}
	if (rec->ndirs != GOPS_DIRS_UNKNOWN) {
		dirs.n = 0;
		for (uint32_t i = 0; i < rec->ndirs && i < GOPS_MAX_DIRS; i++)
			str_copy_n(dirs.dir[dirs.n++], sizeof(dirs.dir[0]), str->dirs[i],
				rec->dir_len[i]);
		src.dirs = &dirs;
	}
	return golist_add(l, &src, marks);
}

static int read_rows(const char *pin_dir, const struct gops_meta *meta, struct go_list *l)
{
	struct portfile_cache *marks = portfile_cache_new();
	char *buf = NULL;
	ssize_t len = meta->flags & GOPS_META_LIST_ITER ? read_iterator(pin_dir, &buf)
							: read_maps(pin_dir, &buf);
	struct table_rec_strings str;
	struct gops_list_rec rec;
	size_t off = 0;
	int err = len < 0 ? (int)len : marks ? 0 : -ENOMEM;

	while (!err && table_next_rec(buf, (size_t)len, &off, &rec, &str)) {
		int r = add_row(l, &rec, &str, marks);

		if (r == -ENOMEM)
			err = r;
		else if (r)
			l->vanished++;
	}
	if (!err)
		golist_sort(l);
	portfile_cache_free(marks);
	free(buf);
	return err;
}

int table_list(const char *pin_dir, struct go_list *l, char *why, size_t whylen)
{
	struct gops_meta meta;
	uint32_t abi;
	int err = check_loader(pin_dir, &meta, &abi, why, whylen);

	if (!err && (meta.flags & GOPS_META_INCOMPLETE)) {
		snprintf(why, whylen, "the table at %s is full (daemon --max-procs raises it)",
			pin_dir);
		err = -ESTALE;
	}
	if (err)
		return err;
	err = read_rows(pin_dir, &meta, l);
	if (err)
		snprintf(
			why, whylen, "failed to read the table at %s: %s", pin_dir, strerror(-err));
	return err;
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
	int err, fd;

	memset(st, 0, sizeof(*st));
	err = check_loader(pin_dir, &st->meta, &st->abi, st->why, sizeof(st->why));
	st->live = err == 0;
	if (err && err != -ESTALE)
		return err; /* no table, or not one we can read */
	if (st->meta.heartbeat_boot_ns)
		st->heartbeat_age_ns = clock_boot_ns() - st->meta.heartbeat_boot_ns;
	fd = pinned_map_open(pin_dir, GOPS_PIN_COUNTERS, sizeof(uint64_t));
	if (fd >= 0) {
		pinned_sum_counters(fd, st->counters);
		close(fd);
	}
	fd = pinned_map_open(pin_dir, GOPS_PIN_PROCS, sizeof(struct gops_row));
	if (fd >= 0) {
		count_rows(fd, st);
		close(fd);
	}
	return 0;
}
