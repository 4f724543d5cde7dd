// SPDX-License-Identifier: MIT
/*
 * Finds and decodes Go's build info blob, as `go version -m` does.
 *
 * The blob is 32 bytes, 16-aligned: the magic, the pointer size, flags, then
 * either two pointers to Go string headers (Go 1.13-1.17) or, with flag bit 1,
 * two varint-prefixed strings right after the header (Go 1.18+).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golang/buildinfo.h"
#include "golang/elf.h"

static const char magic[] = "\xff Go buildinf:";
#define MAGIC_LEN 14
#define HDR_LEN 32
#define ALIGN 16
#define SCAN_CHUNK (64u << 10)

const char *buildinfo_strerror(int err)
{
	switch (-err) {
	case BI_ENOTELF:
		return "not an ELF executable";
	case BI_ENOTGO:
		return "not a Go executable";
	case BI_EMALFORMED:
		return "malformed build info";
	case BI_ENOBLOB_GO:
		return "Go executable without build info (built by Go older than 1.13)";
	case BI_EGCCGO:
		return "built by gccgo, which records no Go build info";
	default:
		return strerror(-err);
	}
}

/* Looks for the magic at 16-aligned addresses in [off, off+len) of the file. */
static int scan_for_magic(
	struct elf_file *ef, uint64_t off, uint64_t vaddr, uint64_t len, uint64_t *found)
{
	unsigned char *buf = malloc(SCAN_CHUNK + HDR_LEN);
	uint64_t pos = 0;
	int err = -BI_ENOTGO;

	if (!buf)
		return -ENOMEM;
	/* Start at the first offset whose address is aligned. */
	pos = (ALIGN - (vaddr % ALIGN)) % ALIGN;
	while (pos + MAGIC_LEN <= len) {
		uint64_t n = len - pos < SCAN_CHUNK + HDR_LEN ? len - pos : SCAN_CHUNK + HDR_LEN;
		int rerr = elf_read(ef, off + pos, buf, (size_t)n);

		if (rerr) {
			err = rerr;
			break;
		}
		for (uint64_t i = 0; i + MAGIC_LEN <= n && i < SCAN_CHUNK; i += ALIGN) {
			if (buf[i] == 0xff && memcmp(buf + i, magic, MAGIC_LEN) == 0) {
				*found = off + pos + i;
				free(buf);
				return 0;
			}
		}
		pos += SCAN_CHUNK;
	}
	free(buf);
	return err;
}

/*
 * Locates the blob: the .go.buildinfo section when there is one, else every
 * writable PT_LOAD segment, whole (internal-linked PIE puts it in the second).
 * *limit is the file offset where the bytes that may belong to it end.
 */
static int find_blob(struct elf_file *ef, uint64_t *blob, uint64_t *limit)
{
	const struct elf_sec *sec = elf_section(ef, ".go.buildinfo");
	int err, last = -BI_ENOTGO;

	if (sec && sec->type != ELFR_SHT_NOBITS && sec->offset <= ef->src->size &&
		sec->size <= ef->src->size - sec->offset) {
		err = scan_for_magic(ef, sec->offset, sec->addr, sec->size, blob);
		if (err == 0) {
			*limit = sec->offset + sec->size;
			/* Strings may run on into the rest of the segment. */
			for (size_t i = 0; i < ef->nsegs; i++) {
				const struct elf_seg *s = &ef->segs[i];

				if (s->type == ELFR_PT_LOAD && *blob >= s->offset &&
					*blob - s->offset < s->filesz)
					*limit = s->offset + s->filesz;
			}
			return 0;
		}
		if (err != -BI_ENOTGO)
			return err;
	}
	for (size_t i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->type != ELFR_PT_LOAD || !(s->flags & ELFR_PF_W) || s->filesz == 0)
			continue;
		err = scan_for_magic(ef, s->offset, s->vaddr, s->filesz, blob);
		if (err == 0) {
			*limit = s->offset + s->filesz;
			return 0;
		}
		last = err;
		if (err != -BI_ENOTGO)
			return err;
	}
	return last;
}

/* Reads a uvarint at *pos (below limit); advances *pos. */
static int read_uvarint(struct elf_file *ef, uint64_t *pos, uint64_t limit, uint64_t *val)
{
	unsigned char b[10];
	size_t n = limit - *pos < sizeof(b) ? (size_t)(limit - *pos) : sizeof(b);
	uint64_t v = 0;
	int err;

	if (*pos >= limit)
		return -BI_EMALFORMED;
	err = elf_read(ef, *pos, b, n);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		if (i == 9 && b[i] > 1) /* more than 64 bits */
			return -BI_EMALFORMED;
		v |= (uint64_t)(b[i] & 0x7f) << (7 * i);
		if (!(b[i] & 0x80)) {
			*pos += i + 1;
			*val = v;
			return 0;
		}
	}
	return -BI_EMALFORMED;
}

static int read_string_at(
	struct elf_file *ef, uint64_t off, uint64_t len, uint64_t avail, char **out)
{
	char *s;
	int err;

	if (len > BI_MAX_STRING || len > avail)
		return -BI_EMALFORMED;
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	err = elf_read(ef, off, s, (size_t)len);
	if (err) {
		free(s);
		return err;
	}
	s[len] = '\0';
	*out = s;
	return 0;
}

static int read_inline_string(
	struct elf_file *ef, uint64_t *pos, uint64_t limit, char **out, uint64_t *len)
{
	int err = read_uvarint(ef, pos, limit, len);

	if (err)
		return err;
	err = read_string_at(ef, *pos, *len, limit - *pos, out);
	if (!err)
		*pos += *len;
	return err;
}

/* Go 1.13-1.17: addr points to a Go string header {data, len}. */
static int read_pointer_string(
	struct elf_file *ef, int ptrsize, uint64_t addr, char **out, uint64_t *len)
{
	unsigned char hdr[16];
	uint64_t off, avail, data;
	int err = elf_vaddr_to_offset(ef, addr, &off, &avail);

	if (err)
		return err;
	if (avail < (uint64_t)(2 * ptrsize))
		return -BI_EMALFORMED;
	err = elf_read(ef, off, hdr, (size_t)(2 * ptrsize));
	if (err)
		return err;
	data = elf_get(ef, hdr, ptrsize);
	*len = elf_get(ef, hdr + ptrsize, ptrsize);
	if (*len > (1ull << 32))
		return -BI_EMALFORMED;
	err = elf_vaddr_to_offset(ef, data, &off, &avail);
	if (err)
		return err;
	return read_string_at(ef, off, *len, avail, out);
}

/* Why a file without a blob has none: Go markers, or gccgo's runtime. */
static int explain_missing(struct elf_file *ef)
{
	if (elf_section(ef, ".gopclntab") || elf_section(ef, ".note.go.buildid"))
		return -BI_ENOBLOB_GO;
	if (elf_section(ef, ".go_export") || elf_section(ef, ".go.sched"))
		return -BI_EGCCGO;
	return -BI_ENOTGO;
}

static int decode_blob(struct elf_file *ef, uint64_t blob, uint64_t limit, char **vers, char **mod,
	uint64_t *mod_len)
{
	unsigned char hdr[HDR_LEN];
	uint64_t vlen, pos = blob + HDR_LEN;
	int ptrsize, err;

	if (limit < blob || limit - blob < HDR_LEN)
		return -BI_EMALFORMED;
	/* The inline strings follow the header: one read usually holds them all. */
	err = elf_window(ef, blob, limit);
	if (!err)
		err = elf_read(ef, blob, hdr, HDR_LEN);
	if (err)
		return err;
	ptrsize = hdr[14];
	if (hdr[15] & 2) {
		err = read_inline_string(ef, &pos, limit, vers, &vlen);
		if (!err)
			err = read_inline_string(ef, &pos, limit, mod, mod_len);
	} else {
		bool saved_be = ef->be;

		if (ptrsize != 4 && ptrsize != 8)
			return -BI_EMALFORMED;
		/* The blob says which byte order its pointers use. */
		ef->be = hdr[15] & 1;
		err = read_pointer_string(ef, ptrsize, elf_get(ef, hdr + 16, ptrsize), vers, &vlen);
		if (!err)
			err = read_pointer_string(ef, ptrsize,
				elf_get(ef, hdr + 16 + ptrsize, ptrsize), mod, mod_len);
		ef->be = saved_be;
	}
	if (!err && vlen == 0)
		err = -BI_EMALFORMED;
	return err;
}

/* Module info is framed by 16 bytes at each end; the end frame holds a NUL. */
static void strip_framing(char *mod, uint64_t *len)
{
	if (*len >= 33 && mod[*len - 17] == '\n') {
		memmove(mod, mod + 16, *len - 32);
		*len -= 32;
	} else {
		*len = 0;
	}
	mod[*len] = '\0';
}

static int read_raw(const struct bi_source *src, char **vers, char **mod, size_t *mod_len)
{
	struct elf_file ef;
	uint64_t blob = 0, limit = 0, mlen = 0;
	int err;

	*vers = NULL;
	*mod = NULL;
	*mod_len = 0;
	err = elf_open(&ef, src);
	if (err)
		return err;
	err = find_blob(&ef, &blob, &limit);
	if (err == -BI_ENOTGO)
		err = explain_missing(&ef);
	if (!err)
		err = decode_blob(&ef, blob, limit, vers, mod, &mlen);
	elf_close(&ef);
	if (err) {
		free(*vers);
		free(*mod);
		*vers = *mod = NULL;
		return err;
	}
	strip_framing(*mod, &mlen);
	*mod_len = (size_t)mlen;
	return 0;
}

int buildinfo_read_raw(const struct bi_source *src, char **vers, char **mod, size_t *mod_len)
{
	return read_raw(src, vers, mod, mod_len);
}

static int source_from_fd(int fd, struct bi_source *src)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -BI_ENOTELF;
	src->fd = fd;
	src->mem = NULL;
	src->size = (uint64_t)st.st_size;
	return 0;
}

int buildinfo_read_version_fd(int fd, char *out, size_t len)
{
	struct bi_source src;
	char *vers, *mod;
	size_t mlen;
	int err = source_from_fd(fd, &src);

	if (err)
		return err;
	err = read_raw(&src, &vers, &mod, &mlen);
	if (err)
		return err;
	snprintf(out, len, "%s", vers);
	free(vers);
	free(mod);
	return 0;
}

static int read_all(const struct bi_source *src, struct go_buildinfo *bi)
{
	char *vers, *mod;
	size_t mlen;
	int err;

	memset(bi, 0, sizeof(*bi));
	err = read_raw(src, &vers, &mod, &mlen);
	if (err)
		return err;
	err = buildinfo_parse_modinfo(mod, mlen, bi);
	free(mod);
	if (err) {
		free(vers);
		return err;
	}
	bi->go_version = vers;
	return 0;
}

int buildinfo_read_fd(int fd, struct go_buildinfo *bi)
{
	struct bi_source src;
	int err = source_from_fd(fd, &src);

	memset(bi, 0, sizeof(*bi));
	if (err)
		return err;
	return read_all(&src, bi);
}

int buildinfo_read_mem(const void *buf, size_t len, struct go_buildinfo *bi)
{
	struct bi_source src = { .fd = -1, .mem = buf, .size = len };

	return read_all(&src, bi);
}
