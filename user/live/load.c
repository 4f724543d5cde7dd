// SPDX-License-Identifier: MIT
/*
 * Opening, loading and attaching the BPF programs, with what this kernel
 * can take: tp_btf (BTF-typed tracepoints, no tracefs needed) else raw
 * tracepoints; the map iterator that lets `gops` read the table in one go
 * when the kernel allows it (some refuse bpf_map_elem iterators: the CLI then
 * reads the maps themselves).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "live/loader.h"
#include "tracer.skel.h"

const char *tracer_unavailable_reason(void)
{
	if (geteuid() != 0)
		return "BPF needs root (CAP_BPF and CAP_PERFMON)";
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "this kernel has no BTF (/sys/kernel/btf/vmlinux), which the BPF programs "
		       "need";
	return NULL;
}

static void choose_programs(struct tracer_bpf *skel, bool btf, bool iter, bool crash)
{
	bpf_program__set_autoload(skel->progs.go_print, crash);
	bpf_program__set_autoload(skel->progs.oom_btf, crash);
	bpf_program__set_autoload(skel->progs.exec_btf, btf);
	bpf_program__set_autoload(skel->progs.exit_btf, btf);
	bpf_program__set_autoload(skel->progs.fork_btf, btf);
	bpf_program__set_autoload(skel->progs.signal_btf, btf);
	bpf_program__set_autoload(skel->progs.exec_raw, !btf);
	bpf_program__set_autoload(skel->progs.exit_raw, !btf);
	bpf_program__set_autoload(skel->progs.fork_raw, !btf);
	bpf_program__set_autoload(skel->progs.signal_raw, !btf);
	bpf_program__set_autoload(skel->progs.list_go, iter);
	/* Attached to the procs map by hand, when pinning (pin.c). */
	bpf_program__set_autoattach(skel->progs.list_go, false);
}

static int try_load(struct tracer *t, bool btf, bool iter, bool crash)
{
	int err;

	t->skel = tracer_bpf__open();
	if (!t->skel)
		return -errno;
	choose_programs(t->skel, btf, iter, crash);
	if (t->opts.ringbuf_kb)
		bpf_map__set_max_entries(t->skel->maps.events, t->opts.ringbuf_kb * 1024);
	if (t->opts.max_procs) {
		bpf_map__set_max_entries(t->skel->maps.procs, t->opts.max_procs);
		bpf_map__set_max_entries(t->skel->maps.details, t->opts.max_procs);
	}
	err = tracer_bpf__load(t->skel);
	if (!err)
		err = tracer_bpf__attach(t->skel);
	if (err) {
		tracer_bpf__destroy(t->skel);
		t->skel = NULL;
	}
	return err;
}

/*
 * Tries the best variant first: tp_btf, with the iterator when the table is
 * pinned (watch has no use for it), with the programs that keep crash text
 * and OOM kills (a kernel without them still lists and watches). libbpf's probe for tracing
 * programs is no guide (it probes fentry, which some kernels refuse while tp_btf works), so each
 * variant is simply tried: a failed try costs one verifier run, and the kernel's reasons go to
 * libbpf's log, which -v shows.
 */
int load_programs(struct tracer *t)
{
	bool want_iter = t->opts.pin_dir != NULL;
	static const struct {
		bool btf, iter, crash;
	} variants[] = { { true, true, true }, { true, false, true }, { true, true, false },
		{ true, false, false }, { false, true, false }, { false, false, false } };
	int err = -EOPNOTSUPP;

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		if (variants[i].iter && !want_iter)
			continue;
		err = try_load(t, variants[i].btf, variants[i].iter, variants[i].crash);
		if (err == -ENOMEM || err == -E2BIG)
			break; /* no variant will fit better */
		if (!err) {
			t->has_list_iter = variants[i].iter;
			t->has_crash_text = variants[i].crash;
			if (t->opts.verbose)
				fprintf(stderr, "gops: loaded %s programs%s%s\n",
					variants[i].btf ? "tp_btf" : "raw tracepoint",
					want_iter && !variants[i].iter
						? " (this kernel refuses the map iterator: "
						  "`gops` reads the maps)"
						: "",
					variants[i].crash ? ""
							  : " (without crash text and OOM "
							    "details: the kernel refused them)");
			return 0;
		}
	}
	fprintf(stderr,
		"gops: failed to load BPF programs (tp_btf, then raw tracepoints on "
		"sched_process_exec/exit/fork): %s%s\n",
		strerror(-err), t->opts.verbose ? "" : "; -v shows the kernel's log");
	return err;
}
