// SPDX-License-Identifier: MIT
/*
 * The deaths map: the loader writes one struct gops_death per Go process
 * that did not end cleanly (slot seq % GOPS_DEATHS_MAX, the oldest
 * overwritten), carries over what a previous daemon pinned, and the CLI
 * reads them all back, newest first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/clock.h"
#include "live/deaths.h"
#include "live/loader.h"
#include "live/pinned.h"

const char *deaths_cause_name(int cause)
{
	switch (cause) {
	case GOPS_CAUSE_PANIC:
		return "panic";
	case GOPS_CAUSE_FATAL:
		return "fatal";
	case GOPS_CAUSE_OOM:
		return "oom";
	case GOPS_CAUSE_SIGNAL:
		return "signal";
	default:
		return "exit";
	}
}

/* All slots of a deaths map (fd), the empty ones left out, newest first. */
static int read_all(int fd, struct gops_death **out, size_t *n)
{
	struct gops_death *d = calloc(GOPS_DEATHS_MAX, sizeof(*d));
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return -ENOMEM;
	for (uint32_t i = 0; i < GOPS_DEATHS_MAX; i++) {
		if (bpf_map_lookup_elem(fd, &i, &d[k]) != 0) {
			int err = -errno;

			free(d);
			return err;
		}
		if (d[k].seq != 0)
			k++;
	}
	/* Insertion sort by seq, highest first: at most GOPS_DEATHS_MAX. */
	for (size_t i = 1; i < k; i++) {
		struct gops_death cur = d[i];
		size_t j = i;

		for (; j > 0 && d[j - 1].seq < cur.seq; j--)
			d[j] = d[j - 1];
		d[j] = cur;
	}
	if (k == 0) {
		free(d);
		d = NULL;
	}
	*out = d;
	*n = k;
	return 0;
}

int deaths_read(const char *pin_dir, struct gops_death **out, size_t *n, char *why, size_t len)
{
	int fd = pinned_map_open(pin_dir, GOPS_PIN_DEATHS, sizeof(struct gops_death)), err;

	*out = NULL;
	*n = 0;
	if (fd == -ENOENT) {
		snprintf(why, len, "no gops daemon keeps deaths at %s: start `gops daemon`",
			pin_dir);
		return fd;
	}
	if (fd == -EPROTO) {
		snprintf(why, len, "the deaths at %s are of another gops version", pin_dir);
		return fd;
	}
	if (fd < 0) {
		snprintf(
			why, len, "cannot open %s/%s: %s", pin_dir, GOPS_PIN_DEATHS, strerror(-fd));
		return fd;
	}
	err = read_all(fd, out, n);
	close(fd);
	if (err)
		snprintf(why, len, "cannot read %s/%s: %s", pin_dir, GOPS_PIN_DEATHS,
			strerror(-err));
	return err;
}

static void set_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

void death_from_event(const struct tracer_event *ev, struct gops_death *d)
{
	memset(d, 0, sizeof(*d));
	d->time_ns = (uint64_t)clock_boot_to_real_ns(ev->ts_boot);
	d->lifetime_ns = ev->lifetime;
	d->pid = (uint32_t)ev->pid;
	d->ppid = (uint32_t)ev->ppid;
	d->nspid = (uint32_t)ev->nspid;
	d->cause = (uint32_t)ev->cause;
	d->exit_code = ev->exit_code;
	d->signal = ev->signal;
	d->has_sender = ev->have_sender;
	d->sender_pid = (uint32_t)ev->sender_pid;
	set_str(d->sender_comm, sizeof(d->sender_comm), ev->sender_comm);
	set_str(d->name, sizeof(d->name), ev->name);
	set_str(d->version, sizeof(d->version), ev->version);
	set_str(d->message, sizeof(d->message), ev->crash.message);
	_Static_assert(GOPS_FRAMES_MAX == GO_CRASH_FRAMES && GOPS_MSG_LEN == GO_CRASH_MSG_LEN &&
			       GOPS_FUNC_LEN == GO_CRASH_FUNC_LEN &&
			       GOPS_FILE_LEN == GO_CRASH_FILE_LEN,
		"a death keeps the whole crash");
	d->nframes = (uint32_t)ev->crash.nframes;
	for (size_t i = 0; i < ev->crash.nframes && i < GOPS_FRAMES_MAX; i++) {
		set_str(d->frames[i].func, sizeof(d->frames[i].func), ev->crash.frames[i].func);
		set_str(d->frames[i].file, sizeof(d->frames[i].file), ev->crash.frames[i].file);
		d->frames[i].line = (uint32_t)ev->crash.frames[i].line;
	}
	d->has_oom = ev->cause == GOPS_CAUSE_OOM;
	d->oom_rss_bytes = ev->oom_rss_bytes;
	d->oom_limit_bytes = ev->oom_limit_bytes;
	pinned_pack_identity(&d->ident, &ev->ns, &ev->ctr);
}

void deaths_record(struct tracer *t, const struct tracer_event *ev)
{
	struct gops_death d;
	uint32_t slot;

	if (ev->cause == GOPS_CAUSE_EXIT && ev->exit_code == 0)
		return; /* a clean exit is not a death */
	death_from_event(ev, &d);
	d.seq = ++t->death_seq;
	slot = (uint32_t)(d.seq % GOPS_DEATHS_MAX);
	loader_update(t, t->deaths_fd, &slot, &d, BPF_ANY);
}

/* Before the pin dir is cleared: what the previous daemon pinned, if it is of our ABI. */
void deaths_save(struct tracer *t)
{
	int fd = pinned_map_open(t->pin_dir, GOPS_PIN_DEATHS, sizeof(struct gops_death));

	if (fd < 0)
		return;
	if (read_all(fd, &t->carried, &t->ncarried) != 0)
		t->ncarried = 0;
	close(fd);
}

/* Into our own map, in their order and with their numbers, so ours come after. */
void deaths_restore(struct tracer *t)
{
	for (size_t i = t->ncarried; i-- > 0;) {
		struct gops_death *d = &t->carried[i];
		uint32_t slot = (uint32_t)(d->seq % GOPS_DEATHS_MAX);

		if (loader_update(t, t->deaths_fd, &slot, d, BPF_ANY) == 0 && d->seq > t->death_seq)
			t->death_seq = d->seq;
	}
	free(t->carried);
	t->carried = NULL;
	t->ncarried = 0;
}
