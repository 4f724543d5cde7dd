// SPDX-License-Identifier: MIT
/*
 * Each field of struct rt_layout by its struct type and member path, as the
 * Go linker names them in DWARF ("runtime.schedt", "gFree.n"). Wrapper
 * types (atomic.Int64, sysMemStat) are taken whole: their value is their
 * first word.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "golang/dwarf.h"
#include "goruntime/layout_dwarf.h"

static void member(struct godwarf *d, const char *type, const char *path, struct rt_field *f)
{
	int64_t off, size;

	if (godwarf_member(d, type, path, &off, &size) == 0 && off >= 0 && off < INT32_MAX &&
		size > 0 && size < INT32_MAX)
		*f = (struct rt_field){ (int32_t)off, (int32_t)size };
}

int rt_layout_from_dwarf(int fd, struct rt_layout *l, char *why, size_t len)
{
	struct godwarf *d;
	char path[64];
	int64_t n;
	int err;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = godwarf_open(path, &d);
	if (err == -GODWARF_ENODWARF) {
		snprintf(why, len, "has no DWARF (built with -w or -s)");
		return err;
	}
	if (err) {
		snprintf(why, len, "has DWARF that cannot be read: %s", godwarf_strerror(err));
		return err;
	}
#define RT_FIELD_DWARF(name, type, mpath) member(d, type, mpath, &l->name);
	RT_LAYOUT_FIELDS(RT_FIELD_DWARF)
#undef RT_FIELD_DWARF
	if (godwarf_type_size(d, "runtime.heapStatsDelta", &n) == 0 && n > 0 && n < INT32_MAX)
		l->hsd_size = (int32_t)n;
	if (godwarf_array_len(d, "runtime.heapStatsDelta", "smallAllocCount", &n) == 0 && n > 0 &&
		n < 1024)
		l->num_size_classes = (int32_t)n;
	/* From Go 1.25 p.gFree is a gList, whose size is the count. */
	if (!rt_known(l->p_gfree_n))
		member(d, "runtime.p", "gFree.size", &l->p_gfree_n);
	godwarf_close(d);
	l->source = "DWARF";
	if (!rt_known(l->sched_mnext) || !rt_known(l->p_gfree_n) ||
		(!rt_known(l->sched_gfree_n) && !rt_known(l->sched_gfree_stack_size))) {
		snprintf(why, len, "has DWARF without the runtime's scheduler structs");
		return -ENOENT;
	}
	return 0;
}
