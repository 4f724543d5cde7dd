// SPDX-License-Identifier: MIT
/*
 * A length decoder for the amd64 instructions Go's compiler emits (Intel SDM
 * vol. 2, appendix A, opcode maps), with the memory operand and kind of the
 * few instructions that read, write or take the address of a global. Not a
 * disassembler: operands other than memory are not decoded.
 */
#include <string.h>

#include "golang/x86.h"

#define MAX_LEN 15 /* the architectural limit of one instruction */

/* What follows an opcode. */
enum {
	F_MODRM = 1 << 0,
	F_IMM8 = 1 << 1,
	F_IMMZ = 1 << 2,  /* 16 or 32 bits by operand size */
	F_IMMV = 1 << 3,  /* B8+r: 32, or 64 with REX.W */
	F_IMM16 = 1 << 4, /* RET imm16 */
	F_REL8 = 1 << 5,
	F_REL32 = 1 << 6,
	F_BYTE = 1 << 7,  /* the operand is 8-bit */
	F_GROUP = 1 << 8, /* ModRM reg is an opcode extension, not a register */
};

struct cur {
	const unsigned char *p;
	size_t len, pos;
};

static int next(struct cur *c, unsigned char *b)
{
	if (c->pos >= c->len || c->pos >= MAX_LEN)
		return -X86_ETRUNC;
	*b = c->p[c->pos++];
	return 0;
}

static int skip(struct cur *c, size_t n, int64_t *val)
{
	uint64_t v = 0;

	if (n > c->len - c->pos || c->pos + n > MAX_LEN)
		return -X86_ETRUNC;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->p[c->pos + i] << (8 * i);
	if (val) { /* sign-extend */
		if (n < 8 && (v >> (8 * n - 1)) & 1)
			v |= ~0ull << (8 * n);
		*val = (int64_t)v;
	}
	c->pos += n;
	return 0;
}

/* The one-byte map: flags, and the kind of a memory access. 0 flags with kind -1: unknown. */
static int one_byte(unsigned char op, unsigned int *flags, enum x86_kind *kind)
{
	*kind = X86_OTHER;
	*flags = 0;
	if (op < 0x40) {
		unsigned int lo = op & 7;

		if (lo > 5 || op == 0x0f)
			return -X86_EUNKNOWN; /* 0F, prefixes and invalid ones are handled before */
		*flags = lo <= 3 ? F_MODRM : lo == 4 ? F_IMM8 : F_IMMZ;
		if (!(op & 1))
			*flags |= F_BYTE;
		if (op >= 0x38)
			*kind = X86_CMP;
		return 0;
	}
	if (op >= 0x50 && op <= 0x5f)
		return 0;
	if (op >= 0x70 && op <= 0x7f) {
		*flags = F_REL8;
		*kind = X86_JCC;
		return 0;
	}
	if (op >= 0x90 && op <= 0x99)
		return 0;
	if (op >= 0xb0 && op <= 0xb7) {
		*flags = F_IMM8;
		return 0;
	}
	if (op >= 0xb8 && op <= 0xbf) {
		*flags = F_IMMV;
		return 0;
	}
	switch (op) {
	case 0x63:
		*flags = F_MODRM;
		*kind = X86_LOAD;
		return 0;
	case 0x68:
		*flags = F_IMMZ;
		return 0;
	case 0x69:
		*flags = F_MODRM | F_IMMZ;
		return 0;
	case 0x6a:
		*flags = F_IMM8;
		return 0;
	case 0x6b:
		*flags = F_MODRM | F_IMM8;
		return 0;
	case 0x80:
	case 0x83:
		*flags = F_MODRM | F_IMM8 | F_GROUP | (op == 0x80 ? F_BYTE : 0);
		return 0;
	case 0x81:
		*flags = F_MODRM | F_IMMZ | F_GROUP;
		return 0;
	case 0x84:
	case 0x85:
		*flags = F_MODRM | (op == 0x84 ? F_BYTE : 0);
		*kind = X86_CMP;
		return 0;
	case 0x86:
	case 0x87:
		*flags = F_MODRM | (op == 0x86 ? F_BYTE : 0);
		*kind = X86_XCHG;
		return 0;
	case 0x88:
	case 0x89:
		*flags = F_MODRM | (op == 0x88 ? F_BYTE : 0);
		*kind = X86_STORE;
		return 0;
	case 0x8a:
	case 0x8b:
		*flags = F_MODRM | (op == 0x8a ? F_BYTE : 0);
		*kind = X86_LOAD;
		return 0;
	case 0x8d:
		*flags = F_MODRM;
		*kind = X86_LEA;
		return 0;
	case 0x8f:
		*flags = F_MODRM | F_GROUP;
		return 0;
	case 0x9c:
	case 0x9d:
	case 0xa4:
	case 0xa5:
	case 0xa6:
	case 0xa7:
	case 0xaa:
	case 0xab:
	case 0xae:
	case 0xaf:
	case 0xc9:
	case 0xcc:
	case 0xf4:
	case 0xf5:
	case 0xf8:
	case 0xf9:
	case 0xfa:
	case 0xfb:
	case 0xfc:
	case 0xfd:
		return 0;
	case 0xa8:
		*flags = F_IMM8;
		return 0;
	case 0xa9:
		*flags = F_IMMZ;
		return 0;
	case 0xc0:
	case 0xc1:
		*flags = F_MODRM | F_IMM8 | F_GROUP | (op == 0xc0 ? F_BYTE : 0);
		return 0;
	case 0xc2:
		*flags = F_IMM16;
		*kind = X86_RET;
		return 0;
	case 0xc3:
		*kind = X86_RET;
		return 0;
	case 0xc6:
		*flags = F_MODRM | F_IMM8 | F_GROUP | F_BYTE;
		*kind = X86_STORE;
		return 0;
	case 0xc7:
		*flags = F_MODRM | F_IMMZ | F_GROUP;
		*kind = X86_STORE;
		return 0;
	case 0xcd:
		*flags = F_IMM8;
		return 0;
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3:
		*flags = F_MODRM | F_GROUP | (op & 1 ? 0 : F_BYTE);
		return 0;
	case 0xe8:
		*flags = F_REL32;
		*kind = X86_CALL;
		return 0;
	case 0xe9:
		*flags = F_REL32;
		*kind = X86_JMP;
		return 0;
	case 0xeb:
		*flags = F_REL8;
		*kind = X86_JMP;
		return 0;
	case 0xf6:
	case 0xf7:
	case 0xfe:
	case 0xff:
		*flags = F_MODRM | F_GROUP | (op & 1 ? 0 : F_BYTE);
		return 0;
	}
	return -X86_EUNKNOWN;
}

/* The 0F map. */
static int two_byte(unsigned char op, unsigned int *flags, enum x86_kind *kind)
{
	*kind = X86_OTHER;
	*flags = F_MODRM;
	if ((op >= 0x10 && op <= 0x17) || (op >= 0x18 && op <= 0x1f) ||
		(op >= 0x28 && op <= 0x2f) || (op >= 0x40 && op <= 0x6f) ||
		(op >= 0x74 && op <= 0x76) || (op >= 0x7e && op <= 0x7f) || op >= 0xd0 ||
		op == 0x01 || op == 0x0d)
		return 0;
	if (op >= 0x90 && op <= 0x9f) {
		*flags |= F_BYTE;
		return 0;
	}
	if (op >= 0x80 && op <= 0x8f) {
		*flags = F_REL32;
		*kind = X86_JCC;
		return 0;
	}
	if (op >= 0xc8 && op <= 0xcf) {
		*flags = 0;
		return 0;
	}
	switch (op) {
	case 0x05: /* SYSCALL, UD2, RDTSC, CPUID, EMMS */
	case 0x0b:
	case 0x31:
	case 0xa2:
	case 0x77:
		*flags = 0;
		return 0;
	case 0x70:
	case 0x71:
	case 0x72:
	case 0x73:
	case 0xa4:
	case 0xac:
	case 0xc2:
	case 0xc4:
	case 0xc5:
	case 0xc6:
		*flags |= F_IMM8 | (op >= 0x71 && op <= 0x73 ? F_GROUP : 0);
		return 0;
	case 0xba:
		*flags |= F_IMM8 | F_GROUP;
		return 0;
	case 0xa3:
	case 0xa5:
	case 0xab:
	case 0xad:
	case 0xaf:
	case 0xb3:
	case 0xb8:
	case 0xbb:
	case 0xbc:
	case 0xbd:
	case 0xc3:
		return 0;
	case 0xae:
	case 0xc7:
		*flags |= F_GROUP;
		return 0;
	case 0xb0:
	case 0xb1:
		*flags |= op == 0xb0 ? F_BYTE : 0;
		*kind = X86_CMPXCHG;
		return 0;
	case 0xc0:
	case 0xc1:
		*flags |= op == 0xc0 ? F_BYTE : 0;
		*kind = X86_XADD;
		return 0;
	case 0xb6:
	case 0xb7:
	case 0xbe:
	case 0xbf:
		*kind = X86_LOAD;
		return 0;
	}
	return -X86_EUNKNOWN;
}

/* ModRM, SIB and displacement; rex holds the R, X and B bits (VEX's too, un-inverted). */
static int modrm(struct cur *c, unsigned int rex, struct x86_insn *in, unsigned int *ext)
{
	unsigned char m, sib;
	unsigned int mod, rm;
	int64_t disp = 0;
	bool rip = false, base_ok = true, index = false;
	unsigned int base;
	int err = next(c, &m);

	if (err)
		return err;
	mod = m >> 6;
	rm = m & 7;
	*ext = (m >> 3) & 7;
	in->reg = (int)(((rex >> 2) & 1) << 3 | *ext);
	if (mod == 3)
		return 0;
	base = rm | (rex & 1) << 3;
	if (rm == 4) {
		if ((err = next(c, &sib)))
			return err;
		index = (((sib >> 3) & 7) | ((rex >> 1) & 1) << 3) != 4;
		base = (sib & 7) | (rex & 1) << 3;
		if ((sib & 7) == 5 && mod == 0) {
			base_ok = false;
			mod = 2; /* a disp32 follows */
		}
	} else if (mod == 0 && rm == 5) {
		rip = true;
		mod = 2;
	}
	if (mod == 1)
		err = skip(c, 1, &disp);
	else if (mod == 2)
		err = skip(c, 4, &disp);
	if (err)
		return err;
	in->disp = disp;
	in->mem = rip ? X86_MEM_RIP : base_ok && !index ? X86_MEM_BASE : X86_MEM_OTHER;
	in->base = base;
	return 0;
}

/* VEX (C4/C5): the map, the opcode; returns the flags, with REX bits in *rex. */
static int vex(struct cur *c, unsigned char first, unsigned int *rex, unsigned int *flags)
{
	unsigned char b1, b2 = 0, op;
	unsigned int map = 1;
	int err = next(c, &b1);

	if (err)
		return err;
	if (first == 0xc4) {
		if ((err = next(c, &b2)))
			return err;
		map = b1 & 0x1f;
		*rex = ((~b1 >> 5) & 7) | ((b2 >> 7) << 3);
	} else {
		*rex = ((~b1 >> 7) & 1) << 2;
	}
	if (map < 1 || map > 3)
		return -X86_EUNKNOWN;
	if ((err = next(c, &op)))
		return err;
	if (map == 1 && op == 0x77) { /* VZEROUPPER/VZEROALL */
		*flags = 0;
		return 0;
	}
	*flags = F_MODRM;
	if (map == 3 || (map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xc2 ||
					     (op >= 0xc4 && op <= 0xc6))))
		*flags |= F_IMM8;
	return 0;
}

int x86_decode(const unsigned char *code, size_t len, uint64_t addr, struct x86_insn *in)
{
	struct cur c = { .p = code, .len = len };
	unsigned int rex = 0, flags = 0, ext = 0,
		     map = 0; /* map: 0 one-byte, 1 0F, 2 0F38, 3 0F3A */
	bool w = false, opsize16 = false, isvex = false;
	enum x86_kind kind = X86_OTHER;
	unsigned char b;
	int64_t imm = 0;
	int err;

	memset(in, 0, sizeof(*in));
	in->addr = addr;
	in->reg = -1;
	for (;;) { /* legacy prefixes, then REX */
		if ((err = next(&c, &b)))
			return err;
		if (b == 0x66)
			opsize16 = true;
		else if (b == 0xf0)
			in->lock = true;
		else if (b != 0x67 && b != 0xf2 && b != 0xf3 && b != 0x2e && b != 0x36 &&
			 b != 0x3e && b != 0x26 && b != 0x64 && b != 0x65)
			break;
	}
	if (b >= 0x40 && b <= 0x4f) {
		rex = b & 7;
		w = b & 8;
		if ((err = next(&c, &b)))
			return err;
	}
	if (b == 0xc4 || b == 0xc5) {
		isvex = true;
		err = vex(&c, b, &rex, &flags);
	} else if (b == 0x0f) {
		map = 1;
		if ((err = next(&c, &b)))
			return err;
		if (b == 0x38 || b == 0x3a) {
			map = b == 0x38 ? 2 : 3;
			flags = F_MODRM | (map == 3 ? F_IMM8 : 0);
			err = next(&c, &b);
		} else {
			err = two_byte(b, &flags, &kind);
		}
	} else {
		err = one_byte(b, &flags, &kind);
	}
	if (err)
		return err;
	if ((flags & F_MODRM) && (err = modrm(&c, rex, in, &ext)))
		return err;
	if (flags & F_GROUP)
		in->reg = -1;
	if (map == 0 && !isvex && b >= 0xb0 &&
		b <= 0xbf) /* MOV reg, imm: the register is in the opcode */
		in->reg = (int)((b & 7) | (rex & 1) << 3);
	if (map == 0 && !isvex) {
		/* F6/F7 /0 and /1 are TEST with an immediate; FF /2 and /4 indirect CALL and JMP.
		 */
		if ((b == 0xf6 || b == 0xf7) && ext <= 1) {
			flags |= b == 0xf6 ? F_IMM8 : F_IMMZ;
			kind = X86_CMP;
		}
		if (b == 0xff)
			kind = ext == 2 ? X86_CALL : ext == 4 ? X86_JMP : X86_OTHER;
		if ((b == 0x80 || b == 0x81 || b == 0x83) && ext == 7)
			kind = X86_CMP;
	}
	if (flags & F_IMM8)
		err = skip(&c, 1, &imm);
	else if (flags & F_IMMZ)
		err = skip(&c, opsize16 ? 2 : 4, &imm);
	else if (flags & F_IMMV)
		err = skip(&c, w ? 8 : opsize16 ? 2 : 4, &imm);
	else if (flags & F_IMM16)
		err = skip(&c, 2, &imm);
	else if (flags & (F_REL8 | F_REL32))
		err = skip(&c, flags & F_REL8 ? 1 : 4, &imm);
	if (err)
		return err;
	in->len = (unsigned int)c.pos;
	in->kind = kind;
	in->imm = flags & (F_REL8 | F_REL32) ? 0 : imm;
	in->op = (isvex ? 4 : map) * 256 + b;
	in->width = flags & F_BYTE ? 1 : w ? 8 : opsize16 ? 2 : 4;
	if (map == 1 && (b == 0xb6 || b == 0xbe))
		in->width = 1;
	else if (map == 1 && (b == 0xb7 || b == 0xbf))
		in->width = 2;
	else if (map == 0 && b == 0x63)
		in->width = 4;
	else if (isvex || map >= 1)
		in->width = kind == X86_OTHER ? 16 : in->width;
	if (flags & (F_REL8 | F_REL32)) {
		in->has_target = true;
		in->target = addr + in->len + (uint64_t)imm;
	}
	if (in->mem == X86_MEM_RIP)
		in->target = addr + in->len + (uint64_t)in->disp;
	return 0;
}
