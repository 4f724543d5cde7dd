// SPDX-License-Identifier: MIT
/*
 * Goroutine stacks read from memory, unwound as the runtime's own traceback
 * unwinds them (runtime/traceback.go): start from the saved registers of a
 * parked goroutine (g.sched) or of one in a system call (g.syscallsp/pc),
 * find the frame's size at its pc in the function's pcsp table, take the
 * return address above it, go on to the caller; stop at the goroutine's
 * first function (runtime.goexit) or after 100 frames. Inlined calls come
 * from the function's inline tree. Go keeps frame pointers on amd64 (every
 * release gops reads), so each step is checked against a second, independent
 * walk: where the function table says a frame has a size, its saved frame
 * pointer must sit just below the return address (sp + size - 8), and the
 * next one is the value stored there; a step where the two disagree is a
 * torn read. Nothing is stopped: after a goroutine's
 * frames are read, its status, id, stack and saved registers are read again;
 * a goroutine that moved is read once more, then reported as changed rather
 * than printed torn.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "golang/pcline.h"
#include "goruntime/stack.h"
#include "goruntime/waitreason.h"

#define MAX_GS (1u << 22)

/* What is read of one G: the fields the dump prints or unwinds from. */
struct gview {
	uint64_t status, goid, parent, waitsince, waitreason, lockedm, gopc, startpc;
	uint64_t lo, hi, sp, pc, syscallsp, syscallpc;
	uint64_t bp, syscallbp; /* 0 when unknown: g.syscallbp is new in Go 1.23 */
};

static int read_g(struct rt_target *t, uint64_t addr, struct gview *g)
{
	const struct rt_layout *l = &t->layout;
	/* The first six are needed to walk a goroutine; the others are optional. */
	const struct rt_field f[] = { l->g_atomicstatus, l->g_goid, l->g_stack_lo, l->g_stack_hi,
		l->g_sched_sp, l->g_sched_pc, l->g_parent_goid, l->g_waitsince, l->g_waitreason,
		l->g_lockedm, l->g_gopc, l->g_startpc, l->g_syscallsp, l->g_syscallpc,
		l->g_sched_bp, l->g_syscallbp };
	uint64_t v[sizeof(f) / sizeof(f[0])];
	int err;

	for (size_t i = 0; i < 6; i++)
		if (!rt_known(f[i]))
			return -ENOENT;
	err = rt_read_fields(t, addr, f, v, sizeof(f) / sizeof(f[0]));
	*g = (struct gview){ .status = v[0] & ~(uint64_t)RT_G_SCAN,
		.goid = v[1],
		.lo = v[2],
		.hi = v[3],
		.sp = v[4],
		.pc = v[5],
		.parent = v[6],
		.waitsince = v[7],
		.waitreason = v[8],
		.lockedm = v[9],
		.gopc = v[10],
		.startpc = v[11],
		.syscallsp = v[12],
		.syscallpc = v[13],
		.bp = v[14],
		.syscallbp = v[15] };
	return err;
}

/* Whether two reads of a G show the same goroutine at the same place. */
static bool same_g(const struct gview *a, const struct gview *b)
{
	return a->status == b->status && a->goid == b->goid && a->lo == b->lo && a->hi == b->hi &&
	       a->sp == b->sp && a->pc == b->pc && a->syscallsp == b->syscallsp &&
	       a->syscallpc == b->syscallpc && a->bp == b->bp && a->syscallbp == b->syscallbp;
}

/* runtime.showfuncinfo at the default GOTRACEBACK: runtime internals and wrappers are hidden. */
static bool shown(const char *name, enum functab_funcid id, enum functab_funcid child, bool first)
{
	if (id == FUNCTAB_ID_WRAPPER && child != FUNCTAB_ID_GOPANIC &&
		child != FUNCTAB_ID_SIGPANIC && child != FUNCTAB_ID_PANICWRAP)
		return false;
	if (strcmp(name, "runtime.gopanic") == 0 && !first)
		return true;
	if (!strchr(name, '.'))
		return false;
	if (strncmp(name, "runtime.", 8) != 0)
		return true;
	return name[8] >= 'A' && name[8] <= 'Z'; /* exported: runtime.Goexit, runtime.Gosched */
}

/* runtime.isSystemGoroutine: started in a runtime function other than runtime.main. */
static bool system_goroutine(const struct functab *ft, uint64_t startpc)
{
	struct functab_info fi;

	if (functab_info_at(ft, startpc, &fi) != 0)
		return false;
	if (fi.id == FUNCTAB_ID_RUNTIME_MAIN || fi.id == FUNCTAB_ID_HANDLEASYNCEVENT)
		return false;
	return strncmp(fi.name, "runtime.", 8) == 0;
}

/* Frames are gathered here, then copied to the goroutine at their count. */
static struct rt_frame scratch[RT_MAX_FRAMES];

static void add_frame(
	struct rt_goroutine *gr, const struct functab_frame *f, uint64_t off, bool no_args)
{
	if (gr->nframes >= RT_MAX_FRAMES) {
		gr->elided = true;
		return;
	}
	scratch[gr->nframes++] = (struct rt_frame){ .func = f->name,
		.file = f->file ? f->file : "?",
		.line = f->line,
		.off = off,
		.inlined = f->inlined,
		.no_args = no_args && !f->inlined };
}

/*
 * A copy of the top of a goroutine's stack, read at once: the walk takes its
 * return addresses and saved frame pointers from it (one read per goroutine,
 * not two per frame), and a snapshot holds together better than piecemeal
 * reads. Words above the window are read into a new window.
 */
#define STACK_WINDOW 8192

struct stackwin {
	uint64_t lo, len;
	unsigned char buf[STACK_WINDOW];
};

static int stack_word(
	struct rt_target *t, struct stackwin *w, const struct gview *g, uint64_t addr, uint64_t *v)
{
	uint64_t n;
	int err;

	if (addr < g->lo || addr + 8 > g->hi || addr + 8 < addr)
		return -EFAULT;
	if (addr < w->lo || addr + 8 > w->lo + w->len) {
		n = g->hi - addr < STACK_WINDOW ? g->hi - addr : STACK_WINDOW;
		err = rt_read(t, addr, w->buf, n);
		if (err)
			return err;
		w->lo = addr;
		w->len = n;
	}
	memcpy(v, w->buf + (addr - w->lo), 8);
	return 0;
}

/*
 * The frame-pointer check of one step: a frame of SIZE bytes at SP (SIZE from
 * the pcsp table) saved its caller's frame pointer at sp + size - 8, where
 * *bp points while the function runs (amd64: PUSHQ BP; MOVQ SP, BP, or the
 * older SUBQ; MOVQ BP, size-8(SP); LEAQ size-8(SP), BP). A frame of size 0
 * (a leaf or NOFRAME assembly) keeps its caller's. *bp of 0 means unknown
 * and checks nothing. Returns -EFAULT when the two walks disagree.
 */
static int check_fp(struct rt_target *t, struct stackwin *w, uint64_t sp, int32_t size,
	const struct gview *g, uint64_t *bp)
{
	uint64_t saved;

	if (*bp == 0 || size == 0)
		return 0;
	if (*bp != sp + (uint64_t)size - 8 || stack_word(t, w, g, *bp, &saved) != 0)
		return -EFAULT;
	/* The outermost frame's caller (goexit) has none: 0 ends the chain. */
	if (saved != 0 && (saved <= *bp || saved >= g->hi))
		return -EFAULT;
	*bp = saved;
	return 0;
}

/*
 * Unwinds from (pc, sp, bp), run-time addresses, within [lo, hi); bp 0 when
 * not known. Returns 0 when the walk ended where a goroutine's stack ends
 * (goexit, a top frame) or at the frame limit, -EFAULT when a step left the
 * stack or the code, or the frame pointers disagree with the function table.
 */
static int unwind(struct rt_target *t, const struct functab *ft, uint64_t pc, uint64_t sp,
	uint64_t bp, const struct gview *g, struct rt_goroutine *gr)
{
	enum functab_funcid child = FUNCTAB_ID_NORMAL;
	struct functab_frame fr[16];
	struct stackwin w = { .len = 0 };

	for (size_t n = 0;; n++) {
		uint64_t lpc = pc - t->bias, tracepc = lpc, ret;
		struct functab_info fi;
		int32_t delta;
		size_t nf = 0;

		if (n >= RT_MAX_FRAMES) {
			gr->elided = true;
			return 0;
		}
		if (functab_info_at(ft, lpc, &fi) != 0)
			return -EFAULT;
		if (fi.id == FUNCTAB_ID_GOEXIT || (fi.flag & FUNCTAB_FLAG_TOPFRAME))
			return 0;
		if (lpc > fi.entry)
			tracepc--; /* the call, not the instruction after it */
		if (functab_frames(ft, tracepc, fr, sizeof(fr) / sizeof(fr[0]), &nf) != 0 &&
			nf == 0) {
			fr[0] = (struct functab_frame){ .name = fi.name, .id = fi.id };
			functab_fileline_in(ft, &fi, tracepc, &fr[0].file, &fr[0].line);
			nf = 1;
		}
		for (size_t i = 0; i < nf; i++) {
			if (shown(fr[i].name, fr[i].id, child, n == 0))
				add_frame(gr, &fr[i], fr[i].inlined ? 0 : lpc - fi.entry,
					fi.args == 0);
			child = fr[i].id;
		}
		/* The caller: the return address sits just above this frame. */
		if (functab_spdelta(ft, lpc, &delta) != 0 || delta < 0 ||
			check_fp(t, &w, sp, delta, g, &bp) != 0)
			return -EFAULT;
		sp += (uint64_t)delta + 8;
		if (sp > g->hi || sp <= g->lo || stack_word(t, &w, g, sp - 8, &ret) != 0)
			return -EFAULT;
		if (ret == 0)
			return 0;
		pc = ret;
	}
}

static void created_by(struct rt_target *t, const struct functab *ft, const struct gview *g,
	struct rt_goroutine *gr)
{
	struct functab_info fi;
	uint64_t lpc = g->gopc - t->bias, tracepc = lpc;
	struct functab_frame fr[16];
	size_t nf = 0;

	if (g->gopc == 0 || g->goid == 1 || functab_info_at(ft, lpc, &fi) != 0 ||
		!shown(fi.name, FUNCTAB_ID_NORMAL, FUNCTAB_ID_NORMAL, false))
		return;
	if (lpc > fi.entry)
		tracepc--;
	gr->has_created = true;
	gr->created = (struct rt_frame){ .func = fi.name, .file = "?", .off = lpc - fi.entry };
	functab_fileline_in(ft, &fi, tracepc, &gr->created.file, &gr->created.line);
	/* From Go 1.21 the inlined function that ran the go statement is named. */
	if (t->go_minor >= 21 && functab_frames(ft, tracepc, fr, 16, &nf) == 0 && nf > 0) {
		gr->created.func = fr[0].name;
		gr->created.file = fr[0].file ? fr[0].file : "?";
		gr->created.line = fr[0].line;
	}
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the runtime's nanotime() on Linux */
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void header(struct rt_target *t, const struct gview *g, struct rt_goroutine *gr)
{
	gr->goid = g->goid;
	gr->parent_goid = g->parent;
	gr->status = (uint32_t)g->status;
	gr->state = NULL;
	if (g->status == RT_G_WAITING || g->status == RT_G_LEAKED)
		if (g->waitreason != 0)
			gr->state = rt_wait_reason(t->go_minor, (unsigned)g->waitreason);
	if (!gr->state)
		gr->state = rt_g_status(t->go_minor, (uint32_t)g->status);
	if (!gr->state)
		gr->state = "???";
	gr->wait_minutes = -1;
	if (g->waitsince != 0) {
		int64_t m = (monotonic_ns() - (int64_t)g->waitsince) / 60000000000LL;

		if (m >= 1)
			gr->wait_minutes = m;
	}
	gr->locked = g->lockedm != 0;
	gr->running = g->status == RT_G_RUNNING;
}

static void keep_frames(struct rt_goroutine *gr)
{
	gr->frames = gr->nframes ? malloc(gr->nframes * sizeof(*gr->frames)) : NULL;
	if (gr->nframes && !gr->frames) {
		gr->changed = true; /* out of memory: said as a goroutine left out */
		gr->nframes = 0;
		return;
	}
	if (gr->nframes)
		memcpy(gr->frames, scratch, gr->nframes * sizeof(*gr->frames));
}

void rt_goroutines_free(struct rt_goroutine *gs, size_t n)
{
	for (size_t i = 0; gs && i < n; i++)
		free(gs[i].frames);
	free(gs);
}

/* One goroutine: read, unwound, read again; once more when it moved. */
static void one(struct rt_target *t, const struct functab *ft, uint64_t addr,
	const struct gview *g0, struct rt_goroutine *gr)
{
	struct gview g = *g0, again;

	for (int attempt = 0; attempt < 2; attempt++) {
		memset(gr, 0, sizeof(*gr));
		header(t, &g, gr);
		created_by(t, ft, &g, gr);
		if (gr->running)
			return;
		if (g.status != RT_G_COPYSTACK) {
			uint64_t pc = g.syscallsp ? g.syscallpc : g.pc;
			uint64_t sp = g.syscallsp ? g.syscallsp : g.sp;
			uint64_t bp = g.syscallsp ? g.syscallbp : g.bp;

			if (unwind(t, ft, pc, sp, bp, &g, gr) == 0 &&
				read_g(t, addr, &again) == 0 && same_g(&g, &again)) {
				keep_frames(gr);
				return;
			}
		}
		if (read_g(t, addr, &again) != 0)
			break;
		g = again;
	}
	gr->changed = true;
	gr->nframes = 0;
	gr->elided = false;
}

int rt_read_goroutines(
	struct rt_target *t, struct rt_goroutine **out, size_t *nout, char *why, size_t len)
{
	uint64_t hdr[2], *gp = NULL, allglen;
	struct rt_goroutine *gs = NULL;
	const struct functab *ft;
	struct functab *code;
	size_t n = 0;
	int err;

	*out = NULL;
	*nout = 0;
	if (!rt_have(t, RT_ALLGS) || !rt_known(t->layout.g_goid) ||
		!rt_known(t->layout.g_sched_sp)) {
		snprintf(why, len, "%s",
			rt_have(t, RT_ALLGS) ? "the layout of runtime.g is not known"
					     : "runtime.allgs was not found in the executable");
		return -ENOENT;
	}
	err = rt_target_code(t, &code, why, len);
	if (err)
		return err;
	ft = code;
	err = rt_read(t, t->addr[RT_ALLGS], hdr, sizeof(hdr));
	if (!err && rt_have(t, RT_ALLGLEN))
		err = rt_read(t, t->addr[RT_ALLGLEN], &allglen, 8);
	if (!err && rt_have(t, RT_ALLGLEN) && allglen < hdr[1])
		hdr[1] = allglen; /* allgs grows before allglen is stored */
	if (!err && (hdr[1] == 0 || hdr[1] > MAX_GS))
		err = -ERANGE;
	if (!err) {
		gp = calloc(hdr[1], sizeof(*gp));
		gs = calloc(hdr[1], sizeof(*gs));
		err = gp && gs ? rt_read(t, hdr[0], gp, hdr[1] * 8) : -ENOMEM;
	}
	for (uint64_t i = 0; !err && i < hdr[1]; i++) {
		struct gview g;

		if (read_g(t, gp[i], &g) != 0 || g.status == RT_G_DEAD ||
			g.status == RT_G_DEADEXTRA || system_goroutine(ft, g.startpc - t->bias))
			continue;
		one(t, ft, gp[i], &g, &gs[n++]);
	}
	free(gp);
	if (err) {
		rt_goroutines_free(gs, n);
		snprintf(why, len, "%s",
			err == -ESRCH ? "the process exited during the read"
				      : "the goroutine list could not be read");
		return err;
	}
	*out = gs;
	*nout = n;
	return 0;
}

static void print_header(const struct rt_goroutine *g, FILE *out)
{
	fprintf(out, "goroutine %" PRIu64 " [%s", g->goid, g->state);
	if (g->wait_minutes >= 1)
		fprintf(out, ", %" PRId64 " minutes", g->wait_minutes);
	if (g->locked)
		fprintf(out, ", locked to thread");
	fprintf(out, "]:\n");
}

void rt_goroutines_print(
	const struct rt_target *t, const struct rt_goroutine *gs, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct rt_goroutine *g = &gs[i];

		if (i)
			fputc('\n', out);
		print_header(g, out);
		if (g->running)
			fprintf(out, "\tgoroutine running on other thread; stack unavailable\n");
		else if (g->changed)
			fprintf(out, "\tgoroutine changed while read; stack left out\n");
		for (size_t f = 0; f < g->nframes; f++) {
			const struct rt_frame *fr = &g->frames[f];

			fprintf(out, "%s(%s)\n\t%s:%d", fr->func, fr->no_args ? "" : "...",
				fr->file, fr->line);
			if (!fr->inlined)
				fprintf(out, " +0x%" PRIx64, fr->off);
			fputc('\n', out);
		}
		if (g->elided)
			fprintf(out, "...additional frames elided...\n");
		if (g->has_created) {
			fprintf(out, "created by %s", g->created.func);
			if (t->go_minor >= 21)
				fprintf(out, " in goroutine %" PRIu64, g->parent_goid);
			fprintf(out, "\n\t%s:%d", g->created.file, g->created.line);
			if (g->created.off)
				fprintf(out, " +0x%" PRIx64, g->created.off);
			fputc('\n', out);
		}
	}
}

static void json_frame(const struct rt_frame *f, FILE *out)
{
	fprintf(out, "{\"function\":");
	json_string(out, f->func);
	fprintf(out, ",\"file\":");
	json_string(out, f->file);
	fprintf(out, ",\"line\":%d,\"inlined\":%s}", f->line, f->inlined ? "true" : "false");
}

void rt_goroutines_json(const struct rt_goroutine *gs, size_t n, FILE *out)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		const struct rt_goroutine *g = &gs[i];

		fprintf(out, "%s{\"id\":%" PRIu64 ",\"state\":", i ? "," : "", g->goid);
		json_string(out, g->state);
		fprintf(out,
			",\"wait_minutes\":%" PRId64 ",\"locked_to_thread\":%s,\"running\":%s,"
			"\"changed\":%s,\"frames\":[",
			g->wait_minutes < 0 ? 0 : g->wait_minutes, g->locked ? "true" : "false",
			g->running ? "true" : "false", g->changed ? "true" : "false");
		for (size_t f = 0; f < g->nframes; f++) {
			if (f)
				fputc(',', out);
			json_frame(&g->frames[f], out);
		}
		fprintf(out, "],\"elided\":%s", g->elided ? "true" : "false");
		if (g->has_created) {
			fprintf(out, ",\"created_by\":");
			json_frame(&g->created, out);
			fprintf(out, ",\"parent_goroutine\":%" PRIu64, g->parent_goid);
		}
		fputc('}', out);
	}
	fprintf(out, "]\n");
}
