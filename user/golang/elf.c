// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golang/elf.h"

#define EI_NIDENT 16
#define SHSTR_MAX (1u << 20)
#define NOTES_MAX (64u << 10) /* bytes of one note segment or section we look at */

uint64_t elf_get(const struct elf_file *ef, const unsigned char *p, int size)
{
	uint64_t v = 0;

	for (int i = 0; i < size; i++) {
		int idx = ef->be ? i : size - 1 - i;

		v = (v << 8) | p[idx];
	}
	return v;
}

static int src_pread(const struct elf_source *src, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	if (off > src->size || len > src->size - off)
		return -ELF_EMALFORMED;
	if (src->mem) {
		memcpy(buf, src->mem + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(src->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0) /* the file shrank under us */
			return -ELF_EMALFORMED;
		done += (size_t)n;
	}
	return 0;
}

int elf_read(struct elf_file *ef, uint64_t off, void *buf, size_t len)
{
	if (off <= ef->head_len && len <= ef->head_len - off) {
		memcpy(buf, ef->head + off, len);
		return 0;
	}
	if (off >= ef->win_off && off - ef->win_off <= ef->win_len &&
		len <= ef->win_len - (off - ef->win_off)) {
		memcpy(buf, ef->win + (off - ef->win_off), len);
		return 0;
	}
	return src_pread(ef->src, off, buf, len);
}

int elf_window(struct elf_file *ef, uint64_t off, uint64_t limit)
{
	size_t len = sizeof(ef->win);
	int err;

	if (limit < off)
		return -ELF_EMALFORMED;
	if (limit - off < len)
		len = (size_t)(limit - off);
	ef->win_len = 0;
	err = src_pread(ef->src, off, ef->win, len);
	if (err)
		return err;
	ef->win_off = off;
	ef->win_len = len;
	return 0;
}

/* Reads a whole header table in one go; NULL with *err set when it can't. */
static unsigned char *read_table(
	struct elf_file *ef, uint64_t off, uint16_t entsize, uint16_t num, int *err)
{
	size_t len = (size_t)entsize * num;
	unsigned char *buf;

	/* Bounds first: a hostile header must not make us allocate gigabytes. */
	if (off > ef->src->size || len > ef->src->size - off) {
		*err = -ELF_EMALFORMED;
		return NULL;
	}
	buf = malloc(len);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = elf_read(ef, off, buf, len);
	if (*err) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int read_segments(struct elf_file *ef, uint64_t phoff, uint16_t phentsize, uint16_t phnum)
{
	size_t want = ef->is64 ? 56 : 32;
	unsigned char *tab;
	int err;

	if (phnum == 0)
		return 0;
	if (phentsize < want || phnum > ELF_MAX_SEGMENTS)
		return -ELF_ENOTELF;
	tab = read_table(ef, phoff, phentsize, phnum, &err);
	if (!tab)
		return err == -ELF_EMALFORMED ? -ELF_ENOTELF : err;
	ef->segs = calloc(phnum, sizeof(*ef->segs));
	if (!ef->segs) {
		free(tab);
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < phnum; i++) {
		const unsigned char *ph = tab + (size_t)i * phentsize;
		struct elf_seg *s = &ef->segs[i];

		s->type = (uint32_t)elf_get(ef, ph, 4);
		if (ef->is64) {
			s->flags = (uint32_t)elf_get(ef, ph + 4, 4);
			s->offset = elf_get(ef, ph + 8, 8);
			s->vaddr = elf_get(ef, ph + 16, 8);
			s->filesz = elf_get(ef, ph + 32, 8);
			s->memsz = elf_get(ef, ph + 40, 8);
		} else {
			s->offset = elf_get(ef, ph + 4, 4);
			s->vaddr = elf_get(ef, ph + 8, 4);
			s->filesz = elf_get(ef, ph + 16, 4);
			s->memsz = elf_get(ef, ph + 20, 4);
			s->flags = (uint32_t)elf_get(ef, ph + 24, 4);
		}
		/* Keep only the part of the segment the file really holds. */
		if (s->offset > ef->src->size)
			s->filesz = 0;
		else if (s->filesz > ef->src->size - s->offset)
			s->filesz = ef->src->size - s->offset;
		ef->nsegs++;
	}
	free(tab);
	return 0;
}

static void drop_sections(struct elf_file *ef)
{
	free(ef->secs);
	free(ef->shstr);
	ef->secs = NULL;
	ef->shstr = NULL;
	ef->nsecs = 0;
}

/* Sections are optional for finding build info: unusable ones are ignored. */
static int read_sections(
	struct elf_file *ef, uint64_t shoff, uint16_t shentsize, uint16_t shnum, uint16_t shstrndx)
{
	size_t want = ef->is64 ? 64 : 40;
	const struct elf_sec *strsec;
	unsigned char *tab;
	int err;

	if (shnum == 0 || shoff == 0 || shentsize < want || shstrndx >= shnum)
		return 0;
	tab = read_table(ef, shoff, shentsize, shnum, &err);
	if (!tab)
		return err == -ELF_EMALFORMED ? 0 : err;
	ef->secs = calloc(shnum, sizeof(*ef->secs));
	if (!ef->secs) {
		free(tab);
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < shnum; i++) {
		const unsigned char *sh = tab + (size_t)i * shentsize;
		struct elf_sec *s = &ef->secs[i];

		s->name = (uint32_t)elf_get(ef, sh, 4);
		s->type = (uint32_t)elf_get(ef, sh + 4, 4);
		if (ef->is64) {
			s->addr = elf_get(ef, sh + 16, 8);
			s->offset = elf_get(ef, sh + 24, 8);
			s->size = elf_get(ef, sh + 32, 8);
			s->link = (uint32_t)elf_get(ef, sh + 40, 4);
		} else {
			s->addr = elf_get(ef, sh + 12, 4);
			s->offset = elf_get(ef, sh + 16, 4);
			s->size = elf_get(ef, sh + 20, 4);
			s->link = (uint32_t)elf_get(ef, sh + 24, 4);
		}
		ef->nsecs++;
	}
	free(tab);
	strsec = &ef->secs[shstrndx];
	if (strsec->size == 0 || strsec->size > SHSTR_MAX || strsec->type == ELFR_SHT_NOBITS) {
		drop_sections(ef);
		return 0;
	}
	ef->shstr = malloc(strsec->size + 1);
	if (!ef->shstr)
		return -ENOMEM;
	err = elf_read(ef, strsec->offset, ef->shstr, strsec->size);
	if (err) {
		drop_sections(ef);
		return err == -ELF_EMALFORMED ? 0 : err;
	}
	ef->shstr[strsec->size] = '\0';
	ef->shstr_len = strsec->size;
	return 0;
}

int elf_open(struct elf_file *ef, const struct elf_source *src)
{
	const unsigned char *h;
	uint64_t phoff, shoff;
	uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
	int err;

	/* All but the two buffers, which are read only up to their lengths (8 KiB a file). */
	memset(ef, 0, offsetof(struct elf_file, head));
	ef->win_off = 0;
	ef->win_len = 0;
	ef->src = src;
	ef->head_len = src->size < sizeof(ef->head) ? (size_t)src->size : sizeof(ef->head);
	err = src_pread(src, 0, ef->head, ef->head_len);
	if (err)
		return err == -ELF_EMALFORMED ? -ELF_ENOTELF : err;
	h = ef->head;
	if (ef->head_len < 52 || memcmp(h,
					 "\x7f"
					 "ELF",
					 4) != 0)
		return -ELF_ENOTELF;
	if ((h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return -ELF_ENOTELF;
	ef->is64 = h[4] == 2;
	ef->be = h[5] == 2;
	if (ef->is64 && ef->head_len < 64)
		return -ELF_ENOTELF;
	ef->machine = (uint16_t)elf_get(ef, h + 18, 2);
	if (ef->is64) {
		phoff = elf_get(ef, h + 32, 8);
		shoff = elf_get(ef, h + 40, 8);
		phentsize = (uint16_t)elf_get(ef, h + 54, 2);
		phnum = (uint16_t)elf_get(ef, h + 56, 2);
		shentsize = (uint16_t)elf_get(ef, h + 58, 2);
		shnum = (uint16_t)elf_get(ef, h + 60, 2);
		shstrndx = (uint16_t)elf_get(ef, h + 62, 2);
	} else {
		phoff = elf_get(ef, h + 28, 4);
		shoff = elf_get(ef, h + 32, 4);
		phentsize = (uint16_t)elf_get(ef, h + 42, 2);
		phnum = (uint16_t)elf_get(ef, h + 44, 2);
		shentsize = (uint16_t)elf_get(ef, h + 46, 2);
		shnum = (uint16_t)elf_get(ef, h + 48, 2);
		shstrndx = (uint16_t)elf_get(ef, h + 50, 2);
	}
	err = read_segments(ef, phoff, phentsize, phnum);
	if (!err)
		err = read_sections(ef, shoff, shentsize, shnum, shstrndx);
	if (err)
		elf_close(ef);
	return err;
}

void elf_close(struct elf_file *ef)
{
	free(ef->segs);
	free(ef->secs);
	free(ef->shstr);
	ef->segs = NULL;
	ef->secs = NULL;
	ef->shstr = NULL;
	ef->nsegs = ef->nsecs = 0;
}

const struct elf_sec *elf_section(const struct elf_file *ef, const char *name)
{
	size_t nlen = strlen(name);

	if (!ef->shstr)
		return NULL;
	for (size_t i = 0; i < ef->nsecs; i++) {
		uint32_t n = ef->secs[i].name;

		if (n < ef->shstr_len && ef->shstr_len - n >= nlen &&
			strcmp(ef->shstr + n, name) == 0)
			return &ef->secs[i];
	}
	return NULL;
}

int elf_vaddr_to_offset(const struct elf_file *ef, uint64_t vaddr, uint64_t *off, uint64_t *avail)
{
	for (size_t i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->type != ELFR_PT_LOAD || s->filesz == 0)
			continue;
		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz) {
			*off = s->offset + (vaddr - s->vaddr);
			*avail = s->filesz - (vaddr - s->vaddr);
			return 0;
		}
	}
	return -ELF_EMALFORMED;
}

/* Walks the notes in [off, off+len) of the file (4-byte aligned, as Go and most notes are). */
static bool notes_have(
	struct elf_file *ef, uint64_t off, uint64_t len, const char *owner, uint32_t type)
{
	size_t olen = strlen(owner) + 1, n = len < NOTES_MAX ? (size_t)len : NOTES_MAX;
	unsigned char *buf;
	bool found = false;

	if (n < 12 || off > ef->src->size || n > ef->src->size - off)
		return false;
	buf = malloc(n);
	if (!buf)
		return false;
	if (elf_read(ef, off, buf, n) == 0) {
		for (size_t pos = 0; !found && n - pos >= 12;) {
			uint64_t namesz = elf_get(ef, buf + pos, 4),
				 descsz = elf_get(ef, buf + pos + 4, 4);
			uint64_t name_pad = (namesz + 3) & ~3ull, desc_pad = (descsz + 3) & ~3ull;

			if (name_pad > n - pos - 12 || desc_pad > n - pos - 12 - name_pad)
				break;
			/* The name is NUL-terminated, and Go pads its "Go" to 4 bytes. */
			found = namesz >= olen && namesz - olen <= 3 &&
				elf_get(ef, buf + pos + 8, 4) == type &&
				memcmp(buf + pos + 12, owner, olen) == 0 &&
				(namesz == olen || memcmp(buf + pos + 12 + olen, "\0\0\0",
							   namesz - olen) == 0);
			pos += 12 + name_pad + desc_pad;
		}
	}
	free(buf);
	return found;
}

bool elf_has_note(struct elf_file *ef, const char *owner, uint32_t type)
{
	for (size_t i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->type == ELFR_PT_NOTE && notes_have(ef, s->offset, s->filesz, owner, type))
			return true;
	}
	for (size_t i = 0; i < ef->nsecs; i++) {
		const struct elf_sec *s = &ef->secs[i];

		if (s->type == ELFR_SHT_NOTE && notes_have(ef, s->offset, s->size, owner, type))
			return true;
	}
	return false;
}
