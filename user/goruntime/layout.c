// SPDX-License-Identifier: MIT
/* Initialising and merging layouts. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "goruntime/layout.h"

void rt_layout_init(struct rt_layout *l)
{
	memset(l, 0, sizeof(*l));
#define RT_FIELD_INIT(name, type, path) l->name = (struct rt_field){ RT_UNKNOWN, 0 };
	RT_LAYOUT_FIELDS(RT_FIELD_INIT)
#undef RT_FIELD_INIT
	l->hsd_size = RT_UNKNOWN;
	l->num_size_classes = RT_UNKNOWN;
}

void rt_layout_merge(struct rt_layout *dst, const struct rt_layout *src)
{
	static char both[96];
	bool used = false;

#define RT_FIELD_MERGE(name, type, path)                                                           \
	if (dst->name.off < 0 && src->name.off >= 0) {                                             \
		dst->name = src->name;                                                             \
		used = true;                                                                       \
	}
	RT_LAYOUT_FIELDS(RT_FIELD_MERGE)
#undef RT_FIELD_MERGE
	if (dst->hsd_size < 0 && src->hsd_size >= 0) {
		dst->hsd_size = src->hsd_size;
		used = true;
	}
	if (dst->num_size_classes < 0 && src->num_size_classes >= 0) {
		dst->num_size_classes = src->num_size_classes;
		used = true;
	}
	if (!used)
		return;
	if (!dst->source) {
		dst->source = src->source;
	} else if (src->source) {
		snprintf(both, sizeof(both), "%s, %s", dst->source, src->source);
		dst->source = both;
	}
}
