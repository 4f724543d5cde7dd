// SPDX-License-Identifier: MIT
/* What the build info tests share (test_buildinfo*.c); see buildinfo_helpers.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

const char bi_magic[14] = "\xff Go buildinf:";

const char *const fixtures[] = {
	"sleeper",
	"sleeper-stripped",
	"sleeper-pie",
	"cgo",
	"sleeper-386",
	"sleeper-arm64",
	"sleeper-s390x",
	"withdeps",
};
_Static_assert(sizeof(fixtures) / sizeof(fixtures[0]) == NFIXTURES, "NFIXTURES is their number");

/* ---- files and buffers ---- */

void skip_missing(const char *path)
{
	static const char *const copies[] = { ".nosections", ".pointer", ".mini", ".noblob" };
	const char *what =
		strstr(path, "/npm/") ? "tests/fixtures/npm.sh" : "tests/fixtures/build.sh";
	char why[512] = "", skipfile[4096];
	FILE *f;

	for (size_t i = 0; i < sizeof(copies) / sizeof(copies[0]); i++)
		if (strstr(path, copies[i]))
			what = "tests/buildinfo-copies.sh";

	snprintf(skipfile, sizeof(skipfile), "%s.skip", path);
	f = fopen(skipfile, "r");
	if (f) {
		if (!fgets(why, sizeof(why), f))
			why[0] = '\0';
		why[strcspn(why, "\n")] = '\0';
		fclose(f);
	}
	if (why[0])
		harness_skip("no %s: %s", path, why);
	else
		harness_skip("no %s (made by %s %s)", path, what, fixture_dir());
}

bool load_path(const char *path, struct buf *b)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	b->p = NULL;
	b->len = 0;
	if (fd < 0 && errno == ENOENT) {
		skip_missing(path);
		return false;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		harness_fail(__FILE__, __LINE__, "cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	b->len = (size_t)st.st_size;
	b->p = malloc(b->len ? b->len : 1);
	while (b->p && done < b->len) {
		ssize_t n = read(fd, b->p + done, b->len - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (!b->p || done != b->len) {
		harness_fail(__FILE__, __LINE__, "cannot read %s", path);
		free(b->p);
		b->p = NULL;
		return false;
	}
	return true;
}

bool load_fixture(const char *name, struct buf *b)
{
	return load_path(fixture(name), b);
}

int open_fixture(const char *name)
{
	const char *path = fixture(name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		skip_missing(path);
	else if (fd < 0)
		harness_fail(__FILE__, __LINE__, "cannot open %s: %s", path, strerror(errno));
	return fd;
}

unsigned char *exact_copy(const unsigned char *p, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* ---- the reference: NAME.gov ---- */

char *gov_tail(const char *name)
{
	char govname[256];
	struct buf b;
	char *text, *nl, *sep, *tail;
	size_t nlen = strlen(name);

	snprintf(govname, sizeof(govname), "%s.gov", name);
	if (!load_fixture(govname, &b))
		return NULL;
	text = malloc(b.len + 1);
	memcpy(text, b.p, b.len);
	text[b.len] = '\0';
	free(b.p);
	nl = strchr(text, '\n');
	sep = strstr(text, ": ");
	if (!nl || !sep || sep > nl || (size_t)(sep - text) < nlen ||
		memcmp(sep - nlen, name, nlen) != 0 ||
		(sep - nlen > text && sep[-nlen - 1] != '/')) {
		harness_fail(
			__FILE__, __LINE__, "%s does not start with \"PATH/%s: \"", govname, name);
		free(text);
		return NULL;
	}
	tail = strdup(sep + 2);
	free(text);
	return tail;
}

char *render(const struct go_buildinfo *bi)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		return NULL;
	fprintf(f, "%s\n", bi->go_version ? bi->go_version : "(null)");
	buildinfo_print(bi, f);
	fclose(f);
	return s;
}

char *gov_version_line(const char *name)
{
	char *t = gov_tail(name), *nl = t ? strchr(t, '\n') : NULL;

	if (nl)
		nl[1] = '\0';
	return t;
}

static void check_same_text(
	const char *file, int line, const char *what, const char *got, const char *want)
{
	size_t i = 0;

	if (got && want && strcmp(got, want) == 0)
		return;
	if (got && want)
		while (got[i] && got[i] == want[i])
			i++;
	harness_fail(file, line,
		"%s: output differs from go version -m at byte %zu\n--- got\n%s--- want\n%s", what,
		i, got ? got : "(null)\n", want ? want : "(null)\n");
}

void check_file_matches_gov(const char *src, int line, const char *file, const char *govname)
{
	struct go_buildinfo bi;
	char path[4096], *want, *got;
	int fd, err;

	snprintf(path, sizeof(path), "%s", fixture(file));
	want = gov_tail(govname);
	if (!want)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			skip_missing(path);
		else
			harness_fail(src, line, "cannot open %s: %s", path, strerror(errno));
		free(want);
		return;
	}
	err = buildinfo_read_fd(fd, &bi);
	close(fd);
	if (err) {
		harness_fail(src, line, "%s: buildinfo_read_fd: %s (%d)", path,
			buildinfo_strerror(err), err);
		free(want);
		return;
	}
	got = render(&bi);
	check_same_text(src, line, path, got, want);
	free(got);
	free(want);
	buildinfo_free(&bi);
}

/* ---- ELF fields, for the tests that damage them ---- */

uint64_t rd(const unsigned char *p, unsigned int n, bool be)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = (v << 8) | p[be ? i : n - 1 - i];
	return v;
}

void wr(unsigned char *p, unsigned int n, bool be, uint64_t v)
{
	for (unsigned int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

void elf_info(const struct buf *b, struct elfinfo *e)
{
	const unsigned char *h = b->p;

	memset(e, 0, sizeof(*e));
	e->is64 = h[4] == 2;
	e->be = h[5] == 2;
	e->wordsize = e->is64 ? 8 : 4;
	if (e->is64) {
		e->o_phoff = 32, e->o_shoff = 40, e->o_phentsize = 54, e->o_phnum = 56;
		e->o_shentsize = 58, e->o_shnum = 60, e->o_shstrndx = 62;
	} else {
		e->o_phoff = 28, e->o_shoff = 32, e->o_phentsize = 42, e->o_phnum = 44;
		e->o_shentsize = 46, e->o_shnum = 48, e->o_shstrndx = 50;
	}
	e->phoff = rd(h + e->o_phoff, e->wordsize, e->be);
	e->shoff = rd(h + e->o_shoff, e->wordsize, e->be);
	e->phentsize = (unsigned int)rd(h + e->o_phentsize, 2, e->be);
	e->phnum = (unsigned int)rd(h + e->o_phnum, 2, e->be);
	e->shentsize = (unsigned int)rd(h + e->o_shentsize, 2, e->be);
	e->shnum = (unsigned int)rd(h + e->o_shnum, 2, e->be);
	e->shstrndx = (unsigned int)rd(h + e->o_shstrndx, 2, e->be);
}

void seg_info(const struct buf *b, const struct elfinfo *e, unsigned int i, struct seginfo *s)
{
	const unsigned char *p = b->p + e->phoff + (uint64_t)i * e->phentsize;

	s->at = e->phoff + (uint64_t)i * e->phentsize;
	s->type = (uint32_t)rd(p, 4, e->be);
	if (e->is64) {
		s->flags = (uint32_t)rd(p + 4, 4, e->be);
		s->offset = rd(p + 8, 8, e->be);
		s->vaddr = rd(p + 16, 8, e->be);
		s->filesz = rd(p + 32, 8, e->be);
		s->memsz = rd(p + 40, 8, e->be);
	} else {
		s->offset = rd(p + 4, 4, e->be);
		s->vaddr = rd(p + 8, 4, e->be);
		s->filesz = rd(p + 16, 4, e->be);
		s->memsz = rd(p + 20, 4, e->be);
		s->flags = (uint32_t)rd(p + 24, 4, e->be);
	}
}

unsigned int ph_offset_field(const struct elfinfo *e)
{
	return e->is64 ? 8 : 4;
}

unsigned int ph_filesz_field(const struct elfinfo *e)
{
	return e->is64 ? 32 : 16;
}

long long blob_offset(const struct buf *b)
{
	for (size_t off = 0; off + 32 <= b->len; off += 16)
		if (memcmp(b->p + off, bi_magic, sizeof(bi_magic)) == 0)
			return (long long)off;
	return -1;
}

bool seg_of(const struct buf *b, uint64_t off, struct seginfo *s)
{
	struct elfinfo e;

	elf_info(b, &e);
	for (unsigned int i = 0; i < e.phnum; i++) {
		seg_info(b, &e, i, s);
		if (s->type == 1 && off >= s->offset && off - s->offset < s->filesz)
			return true;
	}
	return false;
}

static uint64_t uvarint_at(const unsigned char *p, size_t *n)
{
	uint64_t v = 0;

	*n = 0;
	for (unsigned int shift = 0; shift < 64; shift += 7) {
		unsigned char c = p[(*n)++];

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
	}
	return v;
}

bool inline_layout(const struct buf *b, struct inline_layout *l)
{
	long long blob = blob_offset(b);
	size_t n;
	uint64_t len;

	if (blob < 0 || !(b->p[blob + 15] & 2))
		return false;
	l->blob = (uint64_t)blob;
	len = uvarint_at(b->p + l->blob + 32, &n);
	l->vers = l->blob + 32 + n;
	l->vers_end = l->vers + len;
	len = uvarint_at(b->p + l->vers_end, &n);
	l->mod = l->vers_end + n;
	l->mod_end = l->mod + len;
	return true;
}

/* ---- calling the reader on hostile bytes ---- */

const char *err_name(int err)
{
	switch (-err) {
	case 0:
		return "success";
	case BI_ENOTELF:
		return "BI_ENOTELF";
	case BI_ENOTGO:
		return "BI_ENOTGO";
	case BI_EMALFORMED:
		return "BI_EMALFORMED";
	case BI_ENOBLOB_GO:
		return "BI_ENOBLOB_GO";
	case BI_EGCCGO:
		return "BI_EGCCGO";
	case BI_ENOBLOB_GO12:
		return "BI_ENOBLOB_GO12";
	case BI_ENOBLOB_GO116:
		return "BI_ENOBLOB_GO116";
	case BI_ENOBLOB_GO118:
		return "BI_ENOBLOB_GO118";
	case BI_ENOBLOB_GO120:
		return "BI_ENOBLOB_GO120";
	default:
		return "an errno";
	}
}

int allowed_bit(int err)
{
	switch (-err) {
	case BI_ENOTELF:
		return A_NOTELF;
	case BI_ENOTGO:
		return A_NOTGO;
	case BI_EMALFORMED:
		return A_MALFORMED;
	case BI_ENOBLOB_GO:
		return A_NOBLOB_GO;
	case BI_EGCCGO:
		return A_GCCGO;
	default:
		return buildinfo_is_go_without_blob(err) ? A_NOBLOB_GO : 0;
	}
}

/*
 * Big inputs go to a reused mapping, placed to end where a PROT_NONE page
 * begins: reading one byte past them faults, as ASan would report it for a
 * heap copy, without paying for a fresh megabytes-large allocation per cut.
 */
static const unsigned char *place_before_guard(const unsigned char *p, size_t n)
{
	static unsigned char *map;
	static size_t cap;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	if (n > cap) {
		if (map)
			munmap(map, cap + pg);
		cap = (n + pg - 1) / pg * pg;
		map = mmap(
			NULL, cap + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED || mprotect(map + cap, pg, PROT_NONE) != 0) {
			map = NULL;
			cap = 0;
			return NULL;
		}
	}
	memcpy(map + cap - n, p, n);
	return map + cap - n;
}

int check_hostile(const char *file, int line, const char *what, const unsigned char *p, size_t n,
	int allowed, const char *want)
{
	struct go_buildinfo bi;
	unsigned char *c = n <= (64u << 10) ? exact_copy(p, n) : NULL;
	const unsigned char *in = c ? c : place_before_guard(p, n);
	int err;

	if (!in) {
		harness_fail(file, line, "%s: out of memory", what);
		return -ENOMEM;
	}
	memset(&bi, 0xa5, sizeof(bi));
	err = buildinfo_read_mem(in, n, &bi);
	free(c);
	if (err == 0) {
		char *got = render(&bi);

		if (!(allowed & A_OK_IF_RIGHT))
			harness_fail(file, line, "%s: accepted, expected an error", what);
		else if (!want || !got || strcmp(got, want) != 0)
			harness_fail(file, line, "%s: accepted, but with wrong output:\n%s", what,
				got ? got : "(null)");
		free(got);
		buildinfo_free(&bi);
		return 0;
	}
	if (err > 0 || !(allowed_bit(err) & allowed)) {
		harness_fail(file, line, "%s: got %s (%d: %s), not an expected error", what,
			err_name(err), err, buildinfo_strerror(err));
	} else {
		const char *msg = buildinfo_strerror(err);

		if (!msg || !*msg)
			harness_fail(file, line, "%s: no message for error %d", what, err);
	}
	return err;
}

void check_truncations(
	const char *name, const struct buf *b, const uint64_t *cuts, size_t ncuts, int allowed)
{
	char what[320];

	for (size_t i = 0; i < ncuts; i++) {
		if (cuts[i] >= b->len)
			continue;
		snprintf(what, sizeof(what), "%s cut at %llu", name, (unsigned long long)cuts[i]);
		CHECK_HOSTILE(what, b->p, (size_t)cuts[i], allowed, NULL);
	}
}

static int memfd_with(const void *p, size_t n)
{
	int fd = memfd_create("buildinfo-test", MFD_CLOEXEC);

	if (fd >= 0 && n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

int read_fd_of(const void *p, size_t n)
{
	struct go_buildinfo bi;
	int fd = memfd_with(p, n), err;

	if (fd < 0)
		return -errno;
	err = buildinfo_read_fd(fd, &bi);
	close(fd);
	if (!err)
		buildinfo_free(&bi);
	return err;
}

uint64_t section_header(const struct buf *b, const struct elfinfo *e, const char *name)
{
	unsigned int so = e->is64 ? 24 : 16, ss = e->is64 ? 32 : 20;
	uint64_t strhdr = e->shoff + (uint64_t)e->shstrndx * e->shentsize;
	uint64_t stroff = rd(b->p + strhdr + so, e->wordsize, e->be);
	uint64_t strsize = rd(b->p + strhdr + ss, e->wordsize, e->be);

	for (unsigned int i = 0; i < e->shnum; i++) {
		uint64_t h = e->shoff + (uint64_t)i * e->shentsize;
		uint64_t n = rd(b->p + h, 4, e->be);

		if (n < strsize && strcmp((const char *)b->p + stroff + n, name) == 0)
			return h;
	}
	return 0;
}
