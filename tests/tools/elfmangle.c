// SPDX-License-Identifier: MIT
/*
 * elfmangle: writes transformed copies of a Go ELF executable for the tests.
 *
 *   elfmangle strip-sections IN OUT      drop the section header table
 *   elfmangle to-pointer IN OUT          rewrite the build info blob into the
 *                                        pre-1.18 pointer format
 *   elfmangle shrink IN OUT              a minimal ELF holding only the build
 *                                        info (fuzz seeds, minimal-file tests)
 *   elfmangle drop-buildinfo IN OUT      zero the blob's magic, as if the
 *                                        build info had been removed
 *   elfmangle truncate IN OUT N          keep the first N bytes
 *   elfmangle set-byte IN OUT OFF VAL    overwrite one byte
 *   elfmangle blob-offset IN             print the file offset of the blob
 *
 * The ELF code is written by hand (no libelf) so it works on any class and
 * byte order whatever the host is. Copies keep the input's file mode, so
 * `go version -m` accepts them as executables. They are never run.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[14] = "\xff Go buildinf:";

struct image {
	unsigned char *buf;
	size_t size;
	mode_t mode;
	bool is64;
	bool be;
	uint64_t phoff;
	unsigned int phnum;
	unsigned int phentsize;
};

struct segment {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
};

static uint64_t get(const struct image *im, uint64_t off, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int b = im->be ? i : n - 1 - i;

		v = (v << 8) | im->buf[off + b];
	}
	return v;
}

static void put(struct image *im, uint64_t off, unsigned int n, uint64_t v)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int b = im->be ? n - 1 - i : i;

		im->buf[off + b] = (unsigned char)(v >> (8 * i));
	}
}

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "elfmangle: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static int load(const char *path, struct image *im)
{
	struct stat st;
	size_t done = 0;
	int fd;

	memset(im, 0, sizeof(*im));
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "elfmangle: failed to open %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	im->size = (size_t)st.st_size;
	im->mode = st.st_mode & 07777;
	im->buf = malloc(im->size ? im->size : 1);
	if (!im->buf) {
		close(fd);
		return -1;
	}
	while (done < im->size) {
		ssize_t n = read(fd, im->buf + done, im->size - done);

		if (n <= 0) {
			fprintf(stderr, "elfmangle: failed to read %s\n", path);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	return 0;
}

static int save(const char *path, const struct image *im)
{
	size_t done = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, im->mode ? im->mode : 0644);
	if (fd < 0) {
		fprintf(stderr, "elfmangle: failed to create %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (done < im->size) {
		ssize_t n = write(fd, im->buf + done, im->size - done);

		if (n <= 0) {
			fprintf(stderr, "elfmangle: failed to write %s\n", path);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	fchmod(fd, im->mode);
	return close(fd);
}

/* Checks the ELF header and the program header table of a well-formed input. */
static int parse(struct image *im)
{
	uint64_t end;

	if (im->size < EI_NIDENT || memcmp(im->buf, ELFMAG, SELFMAG) != 0)
		return die("%s", "input is not an ELF file");
	if (im->buf[EI_CLASS] != ELFCLASS32 && im->buf[EI_CLASS] != ELFCLASS64)
		return die("%s", "unknown ELF class");
	if (im->buf[EI_DATA] != ELFDATA2LSB && im->buf[EI_DATA] != ELFDATA2MSB)
		return die("%s", "unknown ELF byte order");
	im->is64 = im->buf[EI_CLASS] == ELFCLASS64;
	im->be = im->buf[EI_DATA] == ELFDATA2MSB;
	if (im->size < (im->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return die("%s", "truncated ELF header");
	if (im->is64) {
		im->phoff = get(im, 32, 8);
		im->phentsize = (unsigned int)get(im, 54, 2);
		im->phnum = (unsigned int)get(im, 56, 2);
	} else {
		im->phoff = get(im, 28, 4);
		im->phentsize = (unsigned int)get(im, 42, 2);
		im->phnum = (unsigned int)get(im, 44, 2);
	}
	if (im->phentsize != (im->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return die("%s", "unexpected program header size");
	end = im->phoff + (uint64_t)im->phnum * im->phentsize;
	if (im->phoff > im->size || end > im->size)
		return die("%s", "program headers past the end of the file");
	return 0;
}

static void segment_at(const struct image *im, unsigned int i, struct segment *s)
{
	uint64_t p = im->phoff + (uint64_t)i * im->phentsize;

	s->type = (uint32_t)get(im, p, 4);
	if (im->is64) {
		s->flags = (uint32_t)get(im, p + 4, 4);
		s->offset = get(im, p + 8, 8);
		s->vaddr = get(im, p + 16, 8);
		s->filesz = get(im, p + 32, 8);
	} else {
		s->offset = get(im, p + 4, 4);
		s->vaddr = get(im, p + 8, 4);
		s->filesz = get(im, p + 16, 4);
		s->flags = (uint32_t)get(im, p + 24, 4);
	}
}

/* Finds the blob in a writable PT_LOAD segment; returns its file offset or -1. */
static long long find_blob(const struct image *im, struct segment *seg)
{
	for (unsigned int i = 0; i < im->phnum; i++) {
		struct segment s;
		uint64_t off;

		segment_at(im, i, &s);
		if (s.type != PT_LOAD || !(s.flags & PF_W) || s.offset > im->size ||
			s.filesz > im->size - s.offset)
			continue;
		off = (16 - s.vaddr % 16) % 16;
		for (; off + 32 <= s.filesz; off += 16) {
			if (memcmp(im->buf + s.offset + off, magic, sizeof(magic)) == 0) {
				*seg = s;
				return (long long)(s.offset + off);
			}
		}
	}
	return -1;
}

/* Go finds the blob by its magic only: without it the file has no build info. */
static int drop_buildinfo(struct image *im)
{
	struct segment s;
	long long blob = find_blob(im, &s);

	if (blob < 0)
		return die("%s", "no build info blob in a writable segment");
	memset(im->buf + blob, 0, 16);
	return 0;
}

static int strip_sections(struct image *im)
{
	if (im->is64) {
		put(im, 40, 8, 0);
		put(im, 60, 2, 0);
		put(im, 62, 2, 0);
	} else {
		put(im, 32, 4, 0);
		put(im, 48, 2, 0);
		put(im, 50, 2, 0);
	}
	return 0;
}

/* Decodes a uvarint at *off (bounded by end); returns false when malformed. */
static bool uvarint(const struct image *im, uint64_t *off, uint64_t end, uint64_t *v)
{
	*v = 0;
	for (unsigned int shift = 0; shift < 64 && *off < end; shift += 7) {
		unsigned char b = im->buf[(*off)++];

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

static uint64_t vaddr_of(const struct segment *s, uint64_t off)
{
	return s->vaddr + (off - s->offset);
}

static unsigned char *memdup(const unsigned char *p, uint64_t n)
{
	unsigned char *d = malloc(n ? n : 1);

	if (d)
		memcpy(d, p, n);
	return d;
}

/*
 * Rewrites an inline (Go >= 1.18) blob into the pointer format of Go 1.13-1.17:
 * the header keeps magic, pointer size and byte order; at 16 and 16+ptrsize go
 * the addresses of two Go string headers {data, len}. The headers are written
 * right after the 32-byte header, the string bytes at the very end of the
 * segment's file bytes, so a reader must translate addresses through the
 * program headers and accept data that ends exactly at p_filesz.
 */
static int to_pointer(struct image *im)
{
	struct segment s;
	long long blob = find_blob(im, &s);
	uint64_t b, p, off, end, vlen, mlen, vdata, mdata, hdrs;
	unsigned char *vers = NULL, *mod = NULL;

	if (blob < 0)
		return die("%s", "no build info blob in a writable segment");
	b = (uint64_t)blob;
	p = im->buf[b + 14];
	if (p != 4 && p != 8)
		return die("%s", "unexpected pointer size in the blob");
	if (!(im->buf[b + 15] & 2))
		return die("%s", "the blob is not in the inline format");
	if ((im->buf[b + 15] & 1) != im->be)
		return die("%s", "the blob's byte order differs from the file's");

	end = s.offset + s.filesz;
	off = b + 32;
	if (!uvarint(im, &off, end, &vlen) || vlen > end - off)
		return die("%s", "malformed version string");
	vers = im->buf + off;
	off += vlen;
	if (!uvarint(im, &off, end, &mlen) || mlen > end - off)
		return die("%s", "malformed module info");
	mod = im->buf + off;
	off += mlen;
	hdrs = b + 32;
	if (vlen + mlen > s.filesz || end - vlen - mlen < hdrs + 4 * p)
		return die("%s", "segment too small for the pointer format");
	/* The strings move: keep them aside while their old bytes are cleared. */
	vers = memdup(vers, vlen);
	mod = memdup(mod, mlen);
	if (!vers || !mod) {
		free(vers);
		free(mod);
		return die("%s", "out of memory");
	}
	memset(im->buf + b + 16, 0, off - (b + 16));
	im->buf[b + 15] &= (unsigned char)~2;

	vdata = end - vlen - mlen;
	mdata = vdata + vlen;
	memset(im->buf + vdata, 0, vlen + mlen);
	memcpy(im->buf + vdata, vers, vlen);
	memcpy(im->buf + mdata, mod, mlen);

	put(im, b + 16, (unsigned int)p, vaddr_of(&s, hdrs));
	put(im, b + 16 + p, (unsigned int)p, vaddr_of(&s, hdrs + 2 * p));
	put(im, hdrs, (unsigned int)p, vaddr_of(&s, vdata));
	put(im, hdrs + p, (unsigned int)p, vlen);
	put(im, hdrs + 2 * p, (unsigned int)p, vaddr_of(&s, mdata));
	put(im, hdrs + 3 * p, (unsigned int)p, mlen);
	free(vers);
	free(mod);
	return 0;
}

/* Translates an address to a file offset through the PT_LOAD segments. */
static bool vaddr_to_off(const struct image *im, uint64_t addr, uint64_t len, uint64_t *off)
{
	for (unsigned int i = 0; i < im->phnum; i++) {
		struct segment s;

		segment_at(im, i, &s);
		if (s.type == PT_LOAD && addr >= s.vaddr && addr - s.vaddr <= s.filesz &&
			len <= s.filesz - (addr - s.vaddr) && s.offset + s.filesz <= im->size) {
			*off = s.offset + (addr - s.vaddr);
			return true;
		}
	}
	return false;
}

struct region {
	uint64_t off, vaddr, len;
};

/*
 * Keeps only what build info readers need: the ELF header, one writable
 * PT_LOAD per region of build info bytes (at their original addresses), and a
 * section table naming .go.buildinfo. A few hundred bytes: good fuzz seeds.
 */
static int shrink(struct image *im)
{
	static const char shstr[] = "\0.go.buildinfo\0.shstrtab";
	struct region r[2];
	struct segment s;
	long long blob = find_blob(im, &s);
	unsigned int nr, ehsize = im->is64 ? 64 : 52, phsz = im->is64 ? 56 : 32;
	unsigned int shsz = im->is64 ? 64 : 40;
	uint64_t b, p, size, pos, stroff, shoff;
	unsigned char *out;
	struct image o;

	if (blob < 0)
		return die("%s", "no build info blob in a writable segment");
	b = (uint64_t)blob;
	p = im->buf[b + 14];
	if (im->buf[b + 15] & 2) {
		uint64_t off = b + 32, end = s.offset + s.filesz, vlen, mlen;

		if (!uvarint(im, &off, end, &vlen) || vlen > end - off)
			return die("%s", "malformed version string");
		off += vlen;
		if (!uvarint(im, &off, end, &mlen) || mlen > end - off)
			return die("%s", "malformed module info");
		off += mlen;
		/* Go wants a byte after the module info: pad as the linker does, to 16. */
		off = (off + 16) / 16 * 16;
		if (off > end)
			off = end;
		r[0] = (struct region){ b, s.vaddr + (b - s.offset), off - b };
		nr = 1;
	} else {
		uint64_t hv, hm, va, vl, ma, ml, vo, mo, lo, hi;

		if (p != 4 && p != 8)
			return die("%s", "unexpected pointer size in the blob");
		if (!vaddr_to_off(im, get(im, b + 16, (unsigned int)p), 2 * p, &hv) ||
			!vaddr_to_off(im, get(im, b + 16 + p, (unsigned int)p), 2 * p, &hm))
			return die("%s", "string headers not in the file");
		va = get(im, hv, (unsigned int)p);
		vl = get(im, hv + p, (unsigned int)p);
		ma = get(im, hm, (unsigned int)p);
		ml = get(im, hm + p, (unsigned int)p);
		if (!vaddr_to_off(im, va, vl, &vo) || !vaddr_to_off(im, ma, ml, &mo))
			return die("%s", "strings not in the file");
		if (hv < b || hm < b || hv + 2 * p > b + 256 || hm + 2 * p > b + 256)
			return die("%s", "string headers not right after the blob");
		lo = va < ma ? va : ma;
		hi = va + vl > ma + ml ? va + vl : ma + ml;
		r[0] = (struct region){ b, s.vaddr + (b - s.offset), 0 };
		r[0].len = (hv > hm ? hv : hm) + 2 * p - b;
		r[1] = (struct region){ lo == va ? vo : mo, lo, hi - lo };
		nr = 2;
	}

	/* Header, program headers, regions (file offset = address mod 16), names, sections. */
	pos = ehsize + nr * phsz;
	for (unsigned int i = 0; i < nr; i++) {
		pos = (pos + 15) / 16 * 16 + r[i].vaddr % 16;
		pos += r[i].len;
	}
	stroff = pos;
	shoff = (stroff + sizeof(shstr) + 7) / 8 * 8;
	size = shoff + 3 * shsz;
	out = calloc(1, size);
	if (!out)
		return die("%s", "out of memory");
	o = *im;
	o.buf = out;
	o.size = size;
	memcpy(out, im->buf, ehsize);
	pos = ehsize + nr * phsz;
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t ph = ehsize + i * phsz, at;

		pos = (pos + 15) / 16 * 16 + r[i].vaddr % 16;
		at = pos;
		memcpy(out + at, im->buf + r[i].off, r[i].len);
		pos += r[i].len;
		put(&o, ph, 4, PT_LOAD);
		if (o.is64) {
			put(&o, ph + 4, 4, PF_R | PF_W);
			put(&o, ph + 8, 8, at);
			put(&o, ph + 16, 8, r[i].vaddr);
			put(&o, ph + 24, 8, r[i].vaddr);
			put(&o, ph + 32, 8, r[i].len);
			put(&o, ph + 40, 8, r[i].len);
			put(&o, ph + 48, 8, 16);
		} else {
			put(&o, ph + 4, 4, at);
			put(&o, ph + 8, 4, r[i].vaddr);
			put(&o, ph + 12, 4, r[i].vaddr);
			put(&o, ph + 16, 4, r[i].len);
			put(&o, ph + 20, 4, r[i].len);
			put(&o, ph + 24, 4, PF_R | PF_W);
			put(&o, ph + 28, 4, 16);
		}
		if (i == 0)
			r[0].off = at;
	}
	memcpy(out + stroff, shstr, sizeof(shstr));
	/* Section 1: .go.buildinfo over the first region; 2: the names. */
	for (unsigned int i = 1; i < 3; i++) {
		uint64_t sh = shoff + i * shsz;
		bool bi = i == 1;

		put(&o, sh, 4, bi ? 1 : 15);
		put(&o, sh + 4, 4, bi ? SHT_PROGBITS : SHT_STRTAB);
		if (o.is64) {
			put(&o, sh + 8, 8, bi ? SHF_WRITE | SHF_ALLOC : 0);
			put(&o, sh + 16, 8, bi ? r[0].vaddr : 0);
			put(&o, sh + 24, 8, bi ? r[0].off : stroff);
			put(&o, sh + 32, 8, bi ? r[0].len : sizeof(shstr));
			put(&o, sh + 48, 8, bi ? 16 : 1);
		} else {
			put(&o, sh + 8, 4, bi ? SHF_WRITE | SHF_ALLOC : 0);
			put(&o, sh + 12, 4, bi ? r[0].vaddr : 0);
			put(&o, sh + 16, 4, bi ? r[0].off : stroff);
			put(&o, sh + 20, 4, bi ? r[0].len : sizeof(shstr));
			put(&o, sh + 32, 4, bi ? 16 : 1);
		}
	}
	if (o.is64) {
		put(&o, 32, 8, ehsize);
		put(&o, 40, 8, shoff);
		put(&o, 54, 2, phsz);
		put(&o, 56, 2, nr);
		put(&o, 58, 2, shsz);
		put(&o, 60, 2, 3);
		put(&o, 62, 2, 2);
	} else {
		put(&o, 28, 4, ehsize);
		put(&o, 32, 4, shoff);
		put(&o, 42, 2, phsz);
		put(&o, 44, 2, nr);
		put(&o, 46, 2, shsz);
		put(&o, 48, 2, 3);
		put(&o, 50, 2, 2);
	}
	free(im->buf);
	*im = o;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		return die("invalid number: %s", s);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: elfmangle strip-sections IN OUT\n"
			"       elfmangle to-pointer IN OUT\n"
			"       elfmangle shrink IN OUT\n"
			"       elfmangle drop-buildinfo IN OUT\n"
			"       elfmangle truncate IN OUT N\n"
			"       elfmangle set-byte IN OUT OFFSET VALUE\n"
			"       elfmangle blob-offset IN\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct image im;
	const char *cmd;
	int err = 0;

	if (argc < 3)
		return usage();
	cmd = argv[1];
	if (load(argv[2], &im))
		return 1;

	if (!strcmp(cmd, "blob-offset") && argc == 3) {
		struct segment s;
		long long off;

		off = parse(&im) ? -2 : find_blob(&im, &s);
		free(im.buf);
		if (off == -1)
			return die("%s", "no build info blob in a writable segment");
		if (off < 0)
			return 1;
		printf("%lld\n", off);
		return 0;
	} else if (!strcmp(cmd, "strip-sections") && argc == 4) {
		err = parse(&im) || strip_sections(&im);
	} else if (!strcmp(cmd, "to-pointer") && argc == 4) {
		err = parse(&im) || to_pointer(&im);
	} else if (!strcmp(cmd, "shrink") && argc == 4) {
		err = parse(&im) || shrink(&im);
	} else if (!strcmp(cmd, "drop-buildinfo") && argc == 4) {
		err = parse(&im) || drop_buildinfo(&im);
	} else if (!strcmp(cmd, "truncate") && argc == 5) {
		uint64_t n;

		err = parse_u64(argv[4], &n);
		if (!err && n > im.size)
			err = die("truncate: %s is past the end of the file", argv[4]);
		if (!err)
			im.size = (size_t)n;
	} else if (!strcmp(cmd, "set-byte") && argc == 6) {
		uint64_t off, val;

		err = parse_u64(argv[4], &off) || parse_u64(argv[5], &val);
		if (!err && (off >= im.size || val > 255))
			err = die("%s", "set-byte: offset past the end or value above 255");
		if (!err)
			im.buf[off] = (unsigned char)val;
	} else {
		return usage();
	}
	if (!err)
		err = save(argv[3], &im) != 0;
	free(im.buf);
	return err ? 1 : 0;
}
