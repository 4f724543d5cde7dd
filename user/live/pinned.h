/* SPDX-License-Identifier: MIT */
/*
 * The pinned table's objects as both sides open them: the loader that pins
 * them and every CLI that reads them. Names and layouts are in bpf/gops.h.
 */
#ifndef GOPS_LIVE_PINNED_H
#define GOPS_LIVE_PINNED_H

#include <stddef.h>
#include <stdint.h>

#include "gops.h"
#include "proc/container.h"

/*
 * Opens the map pinned as pin_dir/name and checks that its values are
 * value_size bytes (a table of another ABI has other sizes: reading it into
 * our structs would overflow them). Returns the fd, -EPROTO for another
 * layout, or -errno.
 */
int pinned_map_open(const char *pin_dir, const char *name, size_t value_size);

/*
 * Reads the meta map (fd) into *meta. Returns 0, or -EPROTO when it was
 * written by a loader of another ABI version (*abi then says which), or -errno.
 */
int pinned_read_meta(int fd, struct gops_meta *meta, uint32_t *abi);

/* Sums the per-CPU counters of the counters map (fd) into out[GOPS_CNT_MAX]. */
void pinned_sum_counters(int fd, uint64_t *out);

/* A process's namespaces and container, as the details keep them. */
void pinned_pack_identity(
	struct gops_identity *out, const struct proc_ns *ns, const struct container_info *ctr);

/*
 * The same, back from a pinned table (another build may have written it): a
 * container id or pod UID that is not what the parser makes is left out.
 */
void pinned_unpack_identity(
	const struct gops_identity *in, struct proc_ns *ns, struct container_info *ctr);

#endif
