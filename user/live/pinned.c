// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "live/pinned.h"

int pinned_map_open(const char *pin_dir, const char *name, size_t value_size)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (info.value_size != value_size) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

int pinned_read_meta(int fd, struct gops_meta *meta, uint32_t *abi)
{
	uint32_t zero = 0;

	memset(meta, 0, sizeof(*meta));
	if (bpf_map_lookup_elem(fd, &zero, meta) != 0)
		return -errno;
	*abi = meta->abi_version;
	return meta->abi_version == GOPS_ABI_VERSION ? 0 : -EPROTO;
}

void pinned_sum_counters(int fd, uint64_t *out)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;

	memset(out, 0, GOPS_CNT_MAX * sizeof(*out));
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

void pinned_pack_identity(
	struct gops_identity *out, const struct proc_ns *ns, const struct container_info *ctr)
{
	memset(out, 0, sizeof(*out));
	out->pidns = ns->pid;
	out->mntns = ns->mnt;
	out->netns = ns->net;
	if (ctr->runtime == CONTAINER_NONE || strlen(ctr->id) != GOPS_CONTAINER_ID_LEN)
		return;
	out->runtime = (uint32_t)ctr->runtime;
	memcpy(out->container_id, ctr->id, GOPS_CONTAINER_ID_LEN);
	if (strlen(ctr->pod_uid) == GOPS_POD_UID_LEN) {
		out->has_pod_uid = 1;
		memcpy(out->pod_uid, ctr->pod_uid, GOPS_POD_UID_LEN);
	}
}

void pinned_unpack_identity(
	const struct gops_identity *in, struct proc_ns *ns, struct container_info *ctr)
{
	_Static_assert(GOPS_CONTAINER_ID_LEN == CONTAINER_ID_LEN, "container id lengths");
	_Static_assert(GOPS_POD_UID_LEN == POD_UID_LEN, "pod UID lengths");
	ns->pid = in->pidns;
	ns->mnt = in->mntns;
	ns->net = in->netns;
	memset(ctr, 0, sizeof(*ctr));
	if (in->runtime == CONTAINER_NONE || in->runtime > CONTAINER_PODMAN ||
		!container_is_id(in->container_id, GOPS_CONTAINER_ID_LEN))
		return;
	ctr->runtime = (enum container_runtime)in->runtime;
	memcpy(ctr->id, in->container_id, GOPS_CONTAINER_ID_LEN);
	if (in->has_pod_uid && container_is_pod_uid(in->pod_uid, GOPS_POD_UID_LEN))
		memcpy(ctr->pod_uid, in->pod_uid, GOPS_POD_UID_LEN);
}
