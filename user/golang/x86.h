/* SPDX-License-Identifier: MIT */
/*
 * Just enough amd64 (64-bit mode) to walk a function the Go compiler wrote:
 * each instruction's length, and what it does with a memory operand that is
 * RIP-relative (a global) or based on one register (a global whose address a
 * LEA put there). Prefixes, REX, VEX, the one-byte, 0F, 0F38 and 0F3A maps,
 * ModRM, SIB, displacements and immediates. An opcode outside what Go's
 * compiler emits is reported as unknown, and the caller stops there: no
 * guessing at the length of what we do not know.
 */
#ifndef GOPS_X86_H
#define GOPS_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_kind {
	X86_OTHER,   /* anything else, including arithmetic on memory */
	X86_LOAD,    /* MOV/MOVZX/MOVSX/MOVSXD reg <- mem */
	X86_STORE,   /* MOV mem <- reg or imm */
	X86_LEA,     /* LEA reg <- address */
	X86_XCHG,    /* XCHG mem, reg (an atomic store in Go) */
	X86_XADD,    /* XADD mem, reg (with LOCK: an atomic add) */
	X86_CMPXCHG, /* CMPXCHG mem, reg */
	X86_CMP,     /* CMP or TEST with a memory operand */
	X86_CALL,    /* CALL rel32 (target set) or indirect */
	X86_JMP,     /* JMP rel8/rel32 (target set) or indirect */
	X86_JCC,     /* conditional jump (target set) */
	X86_RET,
};

/* The memory operand's addressing form. */
enum x86_mem {
	X86_MEM_NONE, /* no memory operand (or ModRM mod=3) */
	X86_MEM_RIP,  /* disp32(RIP): target set */
	X86_MEM_BASE, /* disp(base), no index: base and disp set */
	X86_MEM_OTHER /* with an index, or an absolute address */
};

struct x86_insn {
	uint64_t addr;
	unsigned int len;
	enum x86_kind kind;
	unsigned int
		width; /* operand size in bytes of the memory access (1, 2, 4, 8; 16 for SSE) */
	bool lock;
	enum x86_mem mem;
	unsigned int base; /* X86_MEM_BASE: register 0-15 (0 = RAX) */
	int64_t disp;
	uint64_t target; /* X86_MEM_RIP: the address; CALL/JMP/JCC rel: the destination */
	bool has_target; /* CALL/JMP/JCC with a relative destination */
	int reg;         /* the register operand (0-15): ModRM reg, or B0-BF's; else -1 */
	int64_t imm;     /* the immediate, sign-extended (0 when there is none) */
	unsigned int op; /* map * 256 + opcode byte; map 0 one-byte, 1 0F, 2 0F38, 3 0F3A, 4 VEX */
};

/* Errors, negated. */
enum {
	X86_EUNKNOWN = 1040, /* an opcode this decoder does not know */
	X86_ETRUNC = 1041,   /* the instruction runs past the bytes given */
};

/*
 * Decodes the instruction at code[0..len), which is at address addr. Returns
 * 0, -X86_EUNKNOWN or -X86_ETRUNC; never reads code[len] or beyond.
 */
int x86_decode(const unsigned char *code, size_t len, uint64_t addr, struct x86_insn *in);

/* NOP (90) or NOPL/NOPW (0F 1F), which Go puts between instructions to align them. */
static inline bool x86_is_nop(const struct x86_insn *in)
{
	return in->op == 0x90 || in->op == 0x11f;
}

#endif
