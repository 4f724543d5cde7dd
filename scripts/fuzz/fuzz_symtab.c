// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the symbol table reader (golang/symtab.c): any input
 * is an ELF file in memory; the lookups must return 0 or one of their errors,
 * each with a message, and never touch memory outside the input.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "golang/symtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_source src = { .fd = -1, .mem = data, .size = size };
	struct symtab_sym syms[] = { { .name = "runtime.ncpu" }, { .name = "runtime.gomaxprocs" },
		{ .name = "" } };
	struct symtab_elf info;
	uint64_t addr, sz;
	int err;

	err = symtab_lookup_many(&src, syms, 3, &info);
	if (err > 0 || (err && !symtab_strerror(err)))
		__builtin_trap(); /* errors are negative and have a message */
	if (syms[2].found)
		__builtin_trap(); /* the empty name is the null symbol's: never a match */
	if (err)
		for (size_t i = 0; i < 3; i++)
			if (syms[i].found)
				__builtin_trap(); /* nothing found on an error */
	err = symtab_lookup(&src, "runtime.ncpu", &addr, &sz);
	if (err == 0 && (!syms[0].found || addr != syms[0].addr || sz != syms[0].size))
		__builtin_trap(); /* one name and several agree */
	if (err == -ENOENT && syms[0].found)
		__builtin_trap();
	return 0;
}
