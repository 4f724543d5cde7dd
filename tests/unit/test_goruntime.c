// SPDX-License-Identifier: MIT
/*
 * The agentless reader's small rules: the Go minor release of a version
 * string, fields read out of a copy of a struct (sizes, bounds), and merging
 * a DWARF layout with a table row (DWARF wins, the row fills the gaps).
 */
#include <errno.h>
#include <string.h>

#include "goruntime/layout.h"
#include "goruntime/target.h"
#include "harness.h"

TEST(test_goruntime_minor_of_go_versions)
{
	CHECK_INT(rt_go_minor("go1.19.8"), 19);
	CHECK_INT(rt_go_minor("go1.21"), 21);
	CHECK_INT(rt_go_minor("go1.20.3 X:nocoverageredesign"), 20);
	CHECK_INT(rt_go_minor("devel go1.23-abcdef Mon Jan 1"), 23);
	CHECK_INT(rt_go_minor("go2"), -1);
	CHECK_INT(rt_go_minor("go1."), -1);
	CHECK_INT(rt_go_minor(""), -1);
}

TEST(test_goruntime_field_in_a_copy_checks_size_and_bounds)
{
	unsigned char buf[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff };
	uint64_t v = 0;

	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 0, 1 }, &v), 0);
	CHECK_INT(v, 0x01);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 0, 2 }, &v), 0);
	CHECK_INT(v, 0x0201);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 0, 4 }, &v), 0);
	CHECK_INT(v, 0x04030201);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 8, 8 }, &v), 0);
	CHECK_INT(v, 0xff);
	/* past the copy, an unknown field, a size we do not read */
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 12, 8 }, &v), -EINVAL);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ RT_UNKNOWN, 0 }, &v), -EINVAL);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 0, 3 }, &v), -EINVAL);
	CHECK_INT(rt_field_in(buf, sizeof(buf), (struct rt_field){ 0, 16 }, &v), -EINVAL);
}

TEST(test_goruntime_merge_fills_only_what_dwarf_lacks)
{
	struct rt_layout dwarf, table;

	rt_layout_init(&dwarf);
	rt_layout_init(&table);
	CHECK(!rt_known(dwarf.sched_mnext) && dwarf.hsd_size == RT_UNKNOWN);
	dwarf.sched_mnext = (struct rt_field){ 48, 8 };
	dwarf.source = "DWARF";
	table.sched_mnext = (struct rt_field){ 56, 8 };
	table.ms_numgc = (struct rt_field){ 7704, 4 };
	table.source = "table: go1.19";
	rt_layout_merge(&dwarf, &table);
	CHECK_INT(dwarf.sched_mnext.off, 48);
	CHECK_INT(dwarf.ms_numgc.off, 7704);
	CHECK_STR(dwarf.source, "DWARF, table: go1.19");
	/* nothing used from the table: the source stays */
	rt_layout_init(&table);
	table.source = "table: go1.20";
	dwarf.source = "DWARF";
	rt_layout_merge(&dwarf, &table);
	CHECK_STR(dwarf.source, "DWARF");
}

TEST(test_goruntime_open_says_no_process)
{
	struct rt_target t;
	char why[256] = "";

	CHECK_INT(rt_target_open(&t, 0x3fffffff, why, sizeof(why)), -ESRCH);
	CHECK(strstr(why, "no process") != NULL);
}
