// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the function table reader (golang/functab.c), the
 * amd64 decoder (golang/x86.c) and the search for runtime globals in code
 * (goruntime/globals.c): any input is an ELF file in memory, and its bytes
 * are decoded as instructions too. Every function must stay inside the
 * input, lookups by name and by pc must agree, and errors have messages;
 * the line tables (golang/pcline.c) are walked at pcs of every function.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "golang/functab.h"
#include "golang/pcline.h"
#include "golang/x86.h"
#include "goruntime/globals.h"

/* Frames, lines and frame sizes at a few pcs of a function: inside the table or an error. */
static void walk_lines(const struct functab *ft, const struct functab_func *f)
{
	uint64_t step = (f->end - f->entry) / 7 + 1;

	for (uint64_t pc = f->entry; pc < f->end && pc >= f->entry; pc += step) {
		struct functab_frame fr[8];
		struct functab_info fi;
		const char *file;
		int32_t v;
		size_t n;
		int err = functab_frames(ft, pc, fr, 8, &n);

		if (err > 0 || n > 8 || (err && !functab_strerror(err)))
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if (!fr[i].name || !fr[i].file || strlen(fr[i].name) > (64u << 20))
				__builtin_trap();
		if (functab_fileline(ft, pc, &file, &v) == 0 && !file)
			__builtin_trap();
		functab_spdelta(ft, pc, &v);
		if (functab_info_at(ft, pc, &fi) == 0) {
			struct functab_inlined in;

			if (fi.entry > pc || fi.end <= pc)
				__builtin_trap();
			for (uint32_t t = 0; t < fi.npcdata && t < 4; t++)
				functab_pcdata(ft, &fi, t, pc, &v);
			functab_inlined_get(ft, &fi, 0, &in);
		}
	}
}

static void walk(const struct functab *ft)
{
	size_t n = functab_count(ft);

	for (size_t i = 0; i < n && i < 4096; i++) {
		struct functab_func f, g;
		uint64_t entry, end;

		if (functab_get(ft, i, &f) != 0)
			continue;
		if (f.end < f.entry)
			__builtin_trap(); /* entries increase */
		if (f.end > f.entry && functab_at(ft, f.entry, &g) == 0 && g.entry > f.entry)
			__builtin_trap(); /* the function at an entry starts at or before it */
		if (functab_find(ft, f.name, &entry, &end) != 0)
			__builtin_trap(); /* a name the table holds is found */
		walk_lines(ft, &f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_source src = { .fd = -1, .mem = data, .size = size };
	struct rt_globals g;
	struct elf_file ef;
	struct functab *ft;
	size_t pos = 0;
	int err;

	while (pos < size) { /* the bytes as code: lengths within what is left */
		struct x86_insn in;

		if (x86_decode(data + pos, size - pos, pos, &in) != 0) {
			pos++;
			continue;
		}
		if (in.len == 0 || in.len > 15 || in.len > size - pos)
			__builtin_trap();
		pos += in.len;
	}
	if (elf_open(&ef, &src) == 0) {
		err = functab_open(&ef, &ft);
		if (err == 0) {
			err = functab_load_lines(ft, &ef);
			if (err > 0 || (err && !functab_strerror(err)))
				__builtin_trap();
			walk(ft);
			functab_close(ft);
		} else if (err > 0 || !functab_strerror(err)) {
			__builtin_trap();
		}
		elf_close(&ef);
	}
	err = rt_globals_find(&src, NULL, 0, 19, &g);
	if (err > 0 || (err && !g.msg[0]))
		__builtin_trap(); /* an error always says why */
	return 0;
}
