// SPDX-License-Identifier: MIT
/*
 * The pin dir: bpffs mounted under it, one loader at a time (an flock on the
 * directory), a clean slate before pinning, and the pinned objects whose
 * names the CLI knows (bpf/gops.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "live/loader.h"
#include "live/pinned.h"
#include "tracer.skel.h"

#define BPF_FS_MAGIC 0xcafe4a11

static const char *const pinned_maps[] = {
	GOPS_PIN_PROCS,
	GOPS_PIN_BINS,
	GOPS_PIN_COUNTERS,
	GOPS_PIN_META,
	GOPS_PIN_DETAILS,
	GOPS_PIN_DEATHS,
};

static bool on_bpffs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == BPF_FS_MAGIC;
}

/* Mounts bpffs on /sys/fs/bpf when nothing is mounted there yet. */
static int ensure_bpffs(const char *pin_dir)
{
	if (strncmp(pin_dir, "/sys/fs/bpf", 11) != 0 || on_bpffs("/sys/fs/bpf"))
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0) {
		fprintf(stderr, "gops: failed to mount bpffs on /sys/fs/bpf: %s\n",
			strerror(errno));
		return -errno;
	}
	return 0;
}

/* One loader per pin dir: an exclusive flock on the directory itself. */
static int lock_pin_dir(struct tracer *t)
{
	if (mkdir(t->pin_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "gops: failed to create %s: %s\n", t->pin_dir, strerror(errno));
		return -errno;
	}
	if (!on_bpffs(t->pin_dir)) {
		fprintf(stderr, "gops: %s is not on a BPF filesystem (bpffs): cannot pin there\n",
			t->pin_dir);
		return -EINVAL;
	}
	t->lock_fd = open(t->pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->lock_fd < 0) {
		fprintf(stderr, "gops: failed to open %s: %s\n", t->pin_dir, strerror(errno));
		return -errno;
	}
	if (flock(t->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		int err = -errno;

		if (errno == EWOULDBLOCK)
			fprintf(stderr, "gops: another gops daemon already owns %s\n", t->pin_dir);
		else
			fprintf(stderr, "gops: failed to lock %s: %s\n", t->pin_dir,
				strerror(errno));
		return err;
	}
	return 0;
}

static bool is_our_name(const char *name)
{
	for (size_t i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++)
		if (strcmp(name, pinned_maps[i]) == 0)
			return true;
	return strcmp(name, GOPS_PIN_LIST) == 0;
}

/* What a loader that was killed left, said when it was another version. */
static void say_what_was_left(const struct tracer *t)
{
	struct gops_meta meta;
	uint32_t abi = 0;
	int fd = pinned_map_open(t->pin_dir, GOPS_PIN_META, sizeof(meta));

	if (fd == -EPROTO) {
		fprintf(stderr, "gops daemon: replacing a table of another gops version in %s\n",
			t->pin_dir);
	} else if (fd >= 0) {
		if (pinned_read_meta(fd, &meta, &abi) == -EPROTO)
			fprintf(stderr,
				"gops daemon: replacing a table of ABI %u (ours is %u) in %s\n",
				abi, GOPS_ABI_VERSION, t->pin_dir);
		close(fd);
	}
}

/*
 * The first entry of the pin dir that is not part of a gops table, into
 * other (empty when there is none). Returns 0 or -errno.
 */
static int find_foreign(const struct tracer *t, char *other, size_t len)
{
	DIR *d = opendir(t->pin_dir);
	struct dirent *de;

	other[0] = '\0';
	if (!d)
		return -errno;
	while ((de = readdir(d)) && !other[0])
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
			!is_our_name(de->d_name))
			snprintf(other, len, "%s", de->d_name);
	closedir(d);
	return 0;
}

/*
 * We hold the lock, so whatever is pinned here was left by a loader that
 * died (killed, or --keep), of this version or another: remove it. A pin dir
 * holding anything else is not ours to clear: refuse it, and touch nothing.
 */
static int clear_pin_dir(struct tracer *t)
{
	char path[PATH_MAX + 256], other[256];
	int err = find_foreign(t, other, sizeof(other));

	if (err) {
		fprintf(stderr, "gops: failed to read %s: %s\n", t->pin_dir, strerror(-err));
		return err;
	}
	if (other[0]) {
		fprintf(stderr,
			"gops: %s holds %s, which is not part of a gops table: refusing to use it "
			"(choose another --pin-dir)\n",
			t->pin_dir, other);
		return -EEXIST;
	}
	say_what_was_left(t);
	deaths_save(t);
	for (size_t i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pin_dir, pinned_maps[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%s", t->pin_dir, GOPS_PIN_LIST);
	unlink(path);
	return 0;
}

int pin_prepare(struct tracer *t)
{
	int err = ensure_bpffs(t->pin_dir);

	if (!err)
		err = lock_pin_dir(t);
	if (!err)
		err = clear_pin_dir(t);
	return err;
}

static int pin_iterator(struct tracer *t)
{
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, iopts);
	union bpf_iter_link_info linfo;
	char path[PATH_MAX];
	int err;

	memset(&linfo, 0, sizeof(linfo));
	linfo.map.map_fd = t->procs_fd;
	iopts.link_info = &linfo;
	iopts.link_info_len = sizeof(linfo);
	t->list_link = bpf_program__attach_iter(t->skel->progs.list_go, &iopts);
	if (!t->list_link) {
		err = -errno;
		fprintf(stderr, "gops: failed to create the table iterator: %s\n", strerror(errno));
		return err;
	}
	snprintf(path, sizeof(path), "%s/%s", t->pin_dir, GOPS_PIN_LIST);
	err = bpf_link__pin(t->list_link, path);
	if (err)
		fprintf(stderr, "gops: failed to pin %s: %s\n", path, strerror(-err));
	return err;
}

int pin_all(struct tracer *t)
{
	struct bpf_map *maps[] = { t->skel->maps.procs, t->skel->maps.bins, t->skel->maps.counters,
		t->skel->maps.meta, t->skel->maps.details, t->skel->maps.deaths };
	char path[PATH_MAX];
	int err;

	_Static_assert(
		sizeof(maps) / sizeof(maps[0]) == sizeof(pinned_maps) / sizeof(pinned_maps[0]),
		"one name per pinned map");
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pin_dir, pinned_maps[i]);
		err = bpf_map__pin(maps[i], path);
		if (err) {
			fprintf(stderr, "gops: failed to pin %s: %s\n", path, strerror(-err));
			return err;
		}
	}
	t->pinned = true;
	deaths_restore(t);
	return t->has_list_iter ? pin_iterator(t) : 0;
}

void unpin_all(struct tracer *t)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pin_dir, pinned_maps[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%s", t->pin_dir, GOPS_PIN_LIST);
	unlink(path);
	rmdir(t->pin_dir);
	t->pinned = false;
}
