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

#include "base/json.h"
#include "golang/buildinfo.h"
#include "golang/elf.h"
#include "golang/pclntab.h"

static const char magic[] = "\xff Go buildinf:";
#define MAGIC_LEN 14
#define HDR_LEN 32
#define ALIGN 16
#define SCAN_CHUNK (64u << 10)
#define GO_NOTE_BUILDID 4 /* cmd/link's ELF_NOTE_GOBUILDID_TAG, owner "Go" */

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
		return "Go executable without build info (cannot tell which Go built it)";
	case BI_ENOBLOB_GO12:
		return "Go executable without build info (its function table says Go 1.2 to 1.15:"
		       " likely built before Go 1.13 added build info)";
	case BI_ENOBLOB_GO116:
		return "Go executable without build info (its function table says Go 1.16 or 1.17,"
		       " which write build info: removed or damaged)";
	case BI_ENOBLOB_GO118:
		return "Go executable without build info (its function table says Go 1.18 or 1.19,"
		       " which write build info: removed or damaged)";
	case BI_ENOBLOB_GO120:
		return "Go executable without build info (its function table says Go 1.20 or later,"
		       " which write build info: removed or damaged)";
	case BI_EGCCGO:
		return "built by gccgo, which records no Go build info";
	default:
		return strerror(-err);
	}
}

bool buildinfo_is_go_without_blob(int err)
{
	switch (-err) {
	case BI_ENOBLOB_GO:
	case BI_ENOBLOB_GO12:
	case BI_ENOBLOB_GO116:
	case BI_ENOBLOB_GO118:
	case BI_ENOBLOB_GO120:
		return true;
	default:
		return false;
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

static int empty_string(char **out)
{
	*out = calloc(1, 1);
	return *out ? 0 : -ENOMEM;
}

/*
 * Go 1.13-1.17: addr points to a Go string header {data, len}. Go's readString
 * (src/debug/buildinfo/buildinfo.go, the same at go1.19 and on master) reads
 * both through the segments' file bytes and returns "" when either read fails
 * or comes up short: a header or data in .bss (past p_filesz; zeros once
 * loaded), at an unmapped address, or a length past the segment's file bytes.
 * A GOPATH or Bazel build's runtime.modinfo is such an empty string, its header
 * in .bss. We read the same way; only an I/O error, or a length within the
 * file but over our own bound, is an error.
 */
static int read_pointer_string(
	struct elf_file *ef, int ptrsize, uint64_t addr, char **out, uint64_t *len)
{
	unsigned char hdr[16];
	uint64_t off, avail, data;
	int err = elf_vaddr_to_offset(ef, addr, &off, &avail);

	*len = 0;
	if (!err && avail < (uint64_t)(2 * ptrsize))
		err = -ELF_EMALFORMED;
	if (!err)
		err = elf_read(ef, off, hdr, (size_t)(2 * ptrsize));
	if (!err) {
		data = elf_get(ef, hdr, ptrsize);
		*len = elf_get(ef, hdr + ptrsize, ptrsize);
		err = elf_vaddr_to_offset(ef, data, &off, &avail);
		if (!err && *len > avail)
			err = -ELF_EMALFORMED;
	}
	if (err == -ELF_EMALFORMED || (!err && *len == 0)) {
		*len = 0;
		return empty_string(out);
	}
	if (err)
		return err;
	return read_string_at(ef, off, *len, avail, out);
}

/*
 * Why a file without a blob has none. gc-built Go leaves its function table
 * and build ID note; the table's magic then says which Go releases could have
 * written it (go version -m just says "not a Go executable").
 */
static int explain_missing(struct elf_file *ef)
{
	enum pclntab_version v;
	int err;

	if (!elf_section(ef, ".gopclntab") && !elf_section(ef, ".data.rel.ro.gopclntab") &&
		!elf_section(ef, ".note.go.buildid") && !elf_has_note(ef, "Go", GO_NOTE_BUILDID)) {
		if (elf_section(ef, ".go_export") || elf_section(ef, ".go.sched"))
			return -BI_EGCCGO;
		return -BI_ENOTGO;
	}
	err = pclntab_version(ef, &v);
	if (err)
		return err;
	switch (v) {
	case PCLNTAB_GO12:
		return -BI_ENOBLOB_GO12;
	case PCLNTAB_GO116:
		return -BI_ENOBLOB_GO116;
	case PCLNTAB_GO118:
		return -BI_ENOBLOB_GO118;
	case PCLNTAB_GO120:
		return -BI_ENOBLOB_GO120;
	default:
		return -BI_ENOBLOB_GO;
	}
}

/*
 * The version must be readable and not empty, or Go calls the file "not a Go
 * executable" (readRawBuildInfo: vers == "" gives errNotGoExe, go1.19 and
 * master; so do a bad pointer size and, on master, a version varint or string
 * that does not fit). Module info that cannot be read: in the pointer format
 * it is empty, as above; inline, go1.19 takes it as empty and master as "not a
 * Go executable", we say malformed.
 */
static int decode_blob(struct elf_file *ef, uint64_t blob, uint64_t limit, char **vers, char **mod,
	uint64_t *mod_len)
{
	unsigned char hdr[HDR_LEN];
	uint64_t vlen = 0, pos = blob + HDR_LEN;
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
		if (err == -BI_EMALFORMED)
			err = -BI_ENOTGO;
		if (!err && vlen > 0)
			err = read_inline_string(ef, &pos, limit, mod, mod_len);
	} else {
		bool saved_be = ef->be;

		if (ptrsize != 4 && ptrsize != 8)
			return -BI_ENOTGO;
		/* The blob says which byte order its pointers use. */
		ef->be = hdr[15] & 1;
		err = read_pointer_string(ef, ptrsize, elf_get(ef, hdr + 16, ptrsize), vers, &vlen);
		if (!err && vlen > 0)
			err = read_pointer_string(ef, ptrsize,
				elf_get(ef, hdr + 16 + ptrsize, ptrsize), mod, mod_len);
		ef->be = saved_be;
	}
	if (!err && vlen == 0)
		err = -BI_ENOTGO;
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

static int read_raw(const struct elf_source *src, char **vers, char **mod, size_t *mod_len)
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

int buildinfo_read_raw(const struct elf_source *src, char **vers, char **mod, size_t *mod_len)
{
	return read_raw(src, vers, mod, mod_len);
}

static int source_from_fd(int fd, struct elf_source *src)
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
	struct elf_source src;
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

static int read_all(const struct elf_source *src, struct go_buildinfo *bi)
{
	char *vers, *mod;
	size_t mlen;
	int err;

	memset(bi, 0, sizeof(*bi));
	err = read_raw(src, &vers, &mod, &mlen);
	if (err)
		return err;
	err = modinfo_parse(mod, mlen, &bi->mod);
	free(mod);
	if (err) {
		free(vers);
		return err == -EINVAL ? -BI_EMALFORMED : err;
	}
	bi->go_version = vers;
	return 0;
}

int buildinfo_read_fd(int fd, struct go_buildinfo *bi)
{
	struct elf_source src;
	int err = source_from_fd(fd, &src);

	memset(bi, 0, sizeof(*bi));
	if (err)
		return err;
	return read_all(&src, bi);
}

int buildinfo_read_mem(const void *buf, size_t len, struct go_buildinfo *bi)
{
	struct elf_source src = { .fd = -1, .mem = buf, .size = len };

	return read_all(&src, bi);
}

void buildinfo_free(struct go_buildinfo *bi)
{
	free(bi->go_version);
	modinfo_free(&bi->mod);
	memset(bi, 0, sizeof(*bi));
}

void buildinfo_print(const struct go_buildinfo *bi, FILE *out)
{
	modinfo_print(&bi->mod, out);
}

/* Go's debug.BuildInfo as JSON, after a "File" member naming what was read. */
void buildinfo_print_json(const struct go_buildinfo *bi, const char *file, FILE *out)
{
	fputc('{', out);
	if (file) {
		json_key(out, "File");
		json_string(out, file);
		fputc(',', out);
	}
	json_key(out, "GoVersion");
	json_string(out, bi->go_version);
	modinfo_print_json(&bi->mod, out);
	fputc('}', out);
}
