// SPDX-License-Identifier: MIT
/*
 * Build info tests. The reference is `go version -m`: for every Go fixture, and
 * for copies rewritten by tests/tools/elfmangle (section headers removed, blob
 * turned into the pre-1.18 pointer format; made by tests/buildinfo-copies.sh),
 * "<version>\n" + buildinfo_print() must equal what follows "NAME: " in the
 * fixture's NAME.gov. Then hostile inputs: each must give a clear negative
 * error, never a crash or an over-read. Every mutated input is handed over in
 * a buffer of its exact size, on the heap (ASan) or, when big, right before a
 * PROT_NONE page, so a read one byte too far is caught.
 *
 * Real binaries built by other Go releases come from npm packages
 * (tests/fixtures/npm.sh puts them under FIXTURES/npm/). A fixture or copy
 * that is missing makes its test a skip, with the reason, not a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/buildinfo.h"
#include "harness.h"

static const char bi_magic[14] = "\xff Go buildinf:";

/* Every fixture that tests/fixtures/build.sh makes. */
static const char *const fixtures[] = {
	"sleeper",
	"sleeper-stripped",
	"sleeper-pie",
	"cgo",
	"sleeper-386",
	"sleeper-arm64",
	"sleeper-s390x",
	"withdeps",
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* ---- files and buffers ---- */

/*
 * A fixture that is not there: skip, saying why. tests/fixtures/npm.sh leaves
 * NAME.skip with its reason when it could not fetch NAME.
 */
static void skip_missing(const char *path)
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

struct buf {
	unsigned char *p;
	size_t len;
};

static bool slurp(const char *path, struct buf *b)
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

static bool load_fixture(const char *name, struct buf *b)
{
	return slurp(fixture(name), b);
}

/* A copy of the first n bytes in an allocation of exactly n bytes. */
static unsigned char *exact_copy(const unsigned char *p, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* ---- the reference: NAME.gov ---- */

/*
 * What `go version -m` printed after "PATH: " for the fixture NAME, where PATH
 * is however the fixture builder spelled OUTDIR/NAME.
 */
static char *gov_tail(const char *name)
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

/* "<go version>\n" + buildinfo_print(): comparable with gov_tail(). */
static char *render(const struct go_buildinfo *bi)
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

/* "<go version>\n" of NAME.gov: what go version -m prints for a build without module info. */
static char *gov_version_line(const char *name)
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

/* Reads FILE through an fd, as gops does with /proc/PID/exe, and compares with GOVNAME.gov. */
static void check_file_matches_gov(const char *file, const char *govname, int line)
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
			harness_fail(__FILE__, line, "cannot open %s: %s", path, strerror(errno));
		free(want);
		return;
	}
	err = buildinfo_read_fd(fd, &bi);
	close(fd);
	if (err) {
		harness_fail(__FILE__, line, "%s: buildinfo_read_fd: %s (%d)", path,
			buildinfo_strerror(err), err);
		free(want);
		return;
	}
	got = render(&bi);
	check_same_text(__FILE__, line, path, got, want);
	free(got);
	free(want);
	buildinfo_free(&bi);
}

#define CHECK_MATCHES_GOV(file, govname) check_file_matches_gov(file, govname, __LINE__)

/* ---- ELF fields, for the tests that damage them ---- */

struct elfinfo {
	bool is64, be;
	uint64_t phoff, shoff;
	unsigned int phentsize, phnum, shentsize, shnum, shstrndx;
	/* Field offsets in the ELF header. */
	unsigned int o_phoff, o_shoff, o_phentsize, o_phnum, o_shentsize, o_shnum, o_shstrndx;
	unsigned int wordsize;
};

struct seginfo {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
	uint64_t at; /* file offset of the program header */
};

static uint64_t rd(const unsigned char *p, unsigned int n, bool be)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = (v << 8) | p[be ? i : n - 1 - i];
	return v;
}

static void wr(unsigned char *p, unsigned int n, bool be, uint64_t v)
{
	for (unsigned int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static void elf_info(const struct buf *b, struct elfinfo *e)
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

static void seg_info(
	const struct buf *b, const struct elfinfo *e, unsigned int i, struct seginfo *s)
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

/* Field offsets inside a program header. */
static unsigned int ph_offset_field(const struct elfinfo *e)
{
	return e->is64 ? 8 : 4;
}

static unsigned int ph_filesz_field(const struct elfinfo *e)
{
	return e->is64 ? 32 : 16;
}

/* The file offset of the (first) blob: the magic at a 16-aligned offset. */
static long long blob_offset(const struct buf *b)
{
	for (size_t off = 0; off + 32 <= b->len; off += 16)
		if (memcmp(b->p + off, bi_magic, sizeof(bi_magic)) == 0)
			return (long long)off;
	return -1;
}

/* The PT_LOAD segment holding file offset off. */
static bool seg_of(const struct buf *b, uint64_t off, struct seginfo *s)
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

/* Where the parts of an inline blob start and end, as file offsets. */
struct inline_layout {
	uint64_t blob, vers, vers_end, mod, mod_end;
};

static bool inline_layout(const struct buf *b, struct inline_layout *l)
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

enum {
	A_NOTELF = 1 << 0,
	A_NOTGO = 1 << 1,
	A_MALFORMED = 1 << 2,
	A_NOBLOB_GO = 1 << 3,
	A_GCCGO = 1 << 4,
	/* Success is acceptable too, if and only if the output is exactly right. */
	A_OK_IF_RIGHT = 1 << 5,
	A_NOBLOB = A_NOTGO | A_NOBLOB_GO,
	A_ANY_ERROR = A_NOTELF | A_NOTGO | A_MALFORMED | A_NOBLOB_GO | A_GCCGO,
};

static const char *err_name(int err)
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

static int allowed_bit(int err)
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

/*
 * Runs buildinfo_read_mem on the first n bytes of p (an exact-size copy) and
 * checks the outcome is among the allowed ones. want is the expected rendering
 * for A_OK_IF_RIGHT. Returns the error.
 */
static int check_hostile(const char *file, int line, const char *what, const unsigned char *p,
	size_t n, int allowed, const char *want)
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

#define CHECK_HOSTILE(what, p, n, allowed, want)                                                   \
	check_hostile(__FILE__, __LINE__, what, p, n, allowed, want)

/* ---- every fixture, as go version -m reads it ---- */

TEST(test_buildinfo_sleeper_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper", "sleeper");
}

TEST(test_buildinfo_stripped_sleeper_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-stripped", "sleeper-stripped");
}

TEST(test_buildinfo_pie_blob_in_second_writable_segment_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-pie", "sleeper-pie");
}

TEST(test_buildinfo_cgo_external_linker_matches_go_version_m)
{
	CHECK_MATCHES_GOV("cgo", "cgo");
}

TEST(test_buildinfo_386_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-386", "sleeper-386");
}

TEST(test_buildinfo_arm64_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-arm64", "sleeper-arm64");
}

TEST(test_buildinfo_s390x_big_endian_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-s390x", "sleeper-s390x");
}

TEST(test_buildinfo_replacements_and_quoted_settings_match_go_version_m)
{
	CHECK_MATCHES_GOV("withdeps", "withdeps");
}

TEST(test_buildinfo_pie_without_section_headers)
{
	/* Go 1.19 itself fails here: it only looks at the first writable segment. */
	CHECK_MATCHES_GOV("sleeper-pie.nosections", "sleeper-pie");
}

TEST(test_buildinfo_every_fixture_without_section_headers_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.nosections", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

TEST(test_buildinfo_pointer_format_amd64_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper.pointer", "sleeper");
}

TEST(test_buildinfo_pointer_format_386_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-386.pointer", "sleeper-386");
}

TEST(test_buildinfo_pointer_format_s390x_big_endian_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-s390x.pointer", "sleeper-s390x");
}

TEST(test_buildinfo_pointer_format_every_fixture_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.pointer", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

TEST(test_buildinfo_pointer_format_without_section_headers_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.pointer.nosections", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

/* elfmangle shrink: the ELF header, the build info in one or two PT_LOADs, three sections. */
TEST(test_buildinfo_minimal_elf_holding_only_the_blob_matches_go_version_m)
{
	static const char *const suffixes[] = { ".mini", ".pointer.mini" };

	for (size_t i = 0; i < NFIXTURES; i++) {
		for (size_t j = 0; j < 2; j++) {
			char name[256], *want;
			struct elfinfo e;
			struct buf b;

			snprintf(name, sizeof(name), "%s%s", fixtures[i], suffixes[j]);
			CHECK_MATCHES_GOV(name, fixtures[i]);
			if (!load_fixture(name, &b))
				continue;
			/* Without its section table, found by scanning the segments. */
			want = gov_tail(fixtures[i]);
			elf_info(&b, &e);
			wr(b.p + e.o_shoff, e.wordsize, e.be, 0);
			wr(b.p + e.o_shnum, 2, e.be, 0);
			wr(b.p + e.o_shstrndx, 2, e.be, 0);
			CHECK_HOSTILE(name, b.p, b.len, A_OK_IF_RIGHT, want);
			free(want);
			free(b.p);
		}
	}
}

TEST(test_buildinfo_read_mem_agrees_with_read_fd)
{
	static const char *const suffixes[] = { "", ".nosections", ".pointer" };

	for (size_t i = 0; i < NFIXTURES; i++) {
		for (size_t j = 0; j < 3; j++) {
			char name[256];
			struct buf b;
			char *want;

			snprintf(name, sizeof(name), "%s%s", fixtures[i], suffixes[j]);
			if (!load_fixture(name, &b))
				continue;
			want = gov_tail(fixtures[i]);
			CHECK_HOSTILE(name, b.p, b.len, A_OK_IF_RIGHT, want);
			CHECK(want != NULL);
			free(want);
			free(b.p);
		}
	}
}

TEST(test_buildinfo_read_raw_strips_module_framing)
{
	struct buf b;
	struct elf_source src;
	char *vers = NULL, *mod = NULL, *want;
	size_t mod_len = 0;
	int err;

	if (!load_fixture("sleeper", &b))
		return;
	want = gov_tail("sleeper");
	src = (struct elf_source){ .fd = -1, .mem = b.p, .size = b.len };
	err = buildinfo_read_raw(&src, &vers, &mod, &mod_len);
	CHECK_INT(err, 0);
	if (!err && want) {
		CHECK(strncmp(want, vers, strlen(vers)) == 0 && want[strlen(vers)] == '\n');
		CHECK(mod_len > 0 && strncmp(mod, "path\t", 5) == 0);
		CHECK(mod[mod_len - 1] == '\n');
		CHECK(mod[mod_len] == '\0');
		CHECK(memchr(mod, '\0', mod_len) == NULL);
	}
	free(vers);
	free(mod);
	free(want);
	free(b.p);
}

TEST(test_buildinfo_read_version_fd_fills_and_bounds_the_buffer)
{
	char *want = gov_tail("sleeper-s390x");
	char *small = malloc(5), big[64];
	int fd = open(fixture("sleeper-s390x"), O_RDONLY | O_CLOEXEC);

	CHECK(fd >= 0);
	if (fd >= 0 && want && small) {
		*strchr(want, '\n') = '\0';
		CHECK_INT(buildinfo_read_version_fd(fd, big, sizeof(big)), 0);
		CHECK_STR(big, want);
		/* At most len-1 bytes: ASan watches the 5-byte heap buffer. */
		CHECK_INT(buildinfo_read_version_fd(fd, small, 5), 0);
		CHECK(strlen(small) <= 4 && strncmp(small, want, strlen(small)) == 0);
	}
	if (fd >= 0)
		close(fd);
	free(small);
	free(want);
}

TEST(test_buildinfo_json_is_one_object_with_the_version)
{
	struct go_buildinfo bi;
	char *s = NULL, *want = gov_tail("withdeps");
	size_t n = 0;
	int fd = open(fixture("withdeps"), O_RDONLY | O_CLOEXEC);
	FILE *f;

	if (fd < 0 || !want) {
		CHECK(fd >= 0);
		free(want);
		return;
	}
	CHECK_INT(buildinfo_read_fd(fd, &bi), 0);
	close(fd);
	*strchr(want, '\n') = '\0';
	f = open_memstream(&s, &n);
	buildinfo_print_json(&bi, "withdeps", f);
	fclose(f);
	CHECK(n >= 2 && s[0] == '{' && s[n - 1] == '}');
	CHECK(strstr(s, want) != NULL);
	free(s);
	free(want);
	buildinfo_free(&bi);
}

/* The pointer copies keep their strings at the very end of the segment's file bytes. */
TEST(test_buildinfo_pointer_strings_ending_exactly_at_eof_are_read)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		char name[256], *want = gov_tail(names[i]);
		struct seginfo s;
		struct buf b;
		long long blob;

		snprintf(name, sizeof(name), "%s.pointer.nosections", names[i]);
		if (!want || !load_fixture(name, &b)) {
			free(want);
			continue;
		}
		blob = blob_offset(&b);
		CHECK(blob >= 0 && seg_of(&b, (uint64_t)blob, &s));
		if (blob >= 0 && seg_of(&b, (uint64_t)blob, &s))
			CHECK_HOSTILE(name, b.p, s.offset + s.filesz, A_OK_IF_RIGHT, want);
		free(b.p);
		free(want);
	}
}

/* ---- not ELF, not Go ---- */

static int memfd_with(const void *p, size_t n)
{
	int fd = memfd_create("buildinfo-test", MFD_CLOEXEC);

	if (fd >= 0 && n && write(fd, p, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_fd_of(const void *p, size_t n)
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

TEST(test_buildinfo_empty_file_is_not_elf)
{
	CHECK_HOSTILE("empty", (const unsigned char *)"", 0, A_NOTELF, NULL);
	CHECK_INT(read_fd_of("", 0), -BI_ENOTELF);
}

TEST(test_buildinfo_text_file_is_not_elf)
{
	static const char text[] = "#!/bin/sh\necho not a Go program\n";

	CHECK_HOSTILE("text", (const unsigned char *)text, sizeof(text) - 1, A_NOTELF, NULL);
	CHECK_INT(read_fd_of(text, sizeof(text) - 1), -BI_ENOTELF);
}

TEST(test_buildinfo_bare_elf_magic_is_not_elf)
{
	CHECK_HOSTILE("7f ELF", (const unsigned char *)"\177ELF", 4, A_NOTELF, NULL);
}

TEST(test_buildinfo_bad_elf_class_or_byte_order_is_not_elf)
{
	struct buf b;
	unsigned char *c;

	if (!load_fixture("sleeper", &b))
		return;
	c = exact_copy(b.p, b.len);
	c[4] = 0;
	CHECK_HOSTILE("class 0", c, b.len, A_NOTELF, NULL);
	c[4] = 3;
	CHECK_HOSTILE("class 3", c, b.len, A_NOTELF, NULL);
	c[4] = b.p[4];
	c[5] = 0;
	CHECK_HOSTILE("data 0", c, b.len, A_NOTELF, NULL);
	c[5] = 3;
	CHECK_HOSTILE("data 3", c, b.len, A_NOTELF, NULL);
	free(c);
	free(b.p);
}

TEST(test_buildinfo_c_program_is_not_go)
{
	struct go_buildinfo bi;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int err;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	err = buildinfo_read_fd(fd, &bi);
	close(fd);
	CHECK_INT(err, -BI_ENOTGO);
	CHECK(strstr(buildinfo_strerror(err), "Go") != NULL);
}

TEST(test_buildinfo_fd_that_is_not_a_regular_file_is_rejected)
{
	struct go_buildinfo bi;
	int p[2], dir;

	CHECK(pipe(p) == 0);
	CHECK(buildinfo_read_fd(p[0], &bi) < 0);
	close(p[0]);
	close(p[1]);
	dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(buildinfo_read_fd(dir, &bi) < 0);
	close(dir);
	CHECK(buildinfo_read_fd(-1, &bi) < 0);
}

/* ---- truncated files ---- */

/* The truncations of one file that must fail, and how. */
static void check_truncations(
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

static const char *const truncation_subjects[] = {
	"sleeper",
	"sleeper-386",
	"sleeper-s390x",
	"sleeper-pie.nosections",
	"cgo",
};

TEST(test_buildinfo_truncated_inside_elf_header_is_not_elf)
{
	for (size_t i = 0; i < 5; i++) {
		struct buf b;
		uint64_t cuts[64];
		size_t n = 0;

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		for (uint64_t c = 0; c < (b.p[4] == 2 ? 64u : 52u); c++)
			cuts[n++] = c;
		check_truncations(truncation_subjects[i], &b, cuts, n, A_NOTELF);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_program_headers_is_not_elf)
{
	for (size_t i = 0; i < 5; i++) {
		struct elfinfo e;
		struct buf b;
		uint64_t cuts[4], end;

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		elf_info(&b, &e);
		end = e.phoff + (uint64_t)e.phnum * e.phentsize;
		cuts[0] = e.phoff + 1;
		cuts[1] = e.phoff + e.phentsize;
		cuts[2] = e.phoff + e.phentsize + 7;
		cuts[3] = end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 4, A_NOTELF);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_blob_header_is_an_error)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[32];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		for (size_t k = 0; k < 32; k++)
			cuts[k] = l.blob + k;
		check_truncations(truncation_subjects[i], &b, cuts, 32, A_NOBLOB | A_MALFORMED);
		free(b.p);
	}
}

/* Go: a version that cannot be read means "not a Go executable" (errNotGoExe). */
TEST(test_buildinfo_truncated_inside_version_string_is_not_a_go_executable)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[3];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		cuts[0] = l.blob + 32; /* before the length */
		cuts[1] = l.vers + 3;
		cuts[2] = l.vers_end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 3, A_NOTGO);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_module_info_is_malformed)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[5];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		cuts[0] = l.vers_end;     /* before the length */
		cuts[1] = l.vers_end + 1; /* inside a two-byte length */
		cuts[2] = l.mod + 1;
		cuts[3] = l.mod + (l.mod_end - l.mod) / 2;
		cuts[4] = l.mod_end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 5, A_MALFORMED);
		free(b.p);
	}
}

/* Is c within 64 bytes of [lo, hi)? */
static bool near(uint64_t c, uint64_t lo, uint64_t hi)
{
	return c + 64 >= lo && c < hi + 64;
}

/*
 * Cuts a file at many offsets: every byte of the headers and around the parts
 * of the build info, and points spread over the whole file. Before the end of
 * the build info data each cut must fail; after it, success is fine if the
 * output is right.
 */
static void sweep(const char *name, const char *govname)
{
	struct elfinfo e;
	struct seginfo s;
	struct buf b;
	char what[320], *want, *want_vers;
	long long blob;
	uint64_t data, data_end, hdr_end, phend, seg_end, c, stride, vers_end;
	bool pointer;

	if (!load_fixture(name, &b))
		return;
	want = gov_tail(govname);
	want_vers = gov_version_line(govname);
	elf_info(&b, &e);
	phend = e.phoff + (uint64_t)e.phnum * e.phentsize;
	blob = blob_offset(&b);
	if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
		harness_fail(__FILE__, __LINE__, "%s: no blob", name);
		goto out;
	}
	seg_end = s.offset + s.filesz;
	pointer = !(b.p[blob + 15] & 2);
	if (!pointer) {
		struct inline_layout l;

		inline_layout(&b, &l);
		hdr_end = data = data_end = l.mod_end;
		vers_end = l.vers_end;
	} else {
		unsigned int p = b.p[blob + 14];
		bool be = b.p[blob + 15] & 1;
		uint64_t vlen = rd(b.p + blob + 32 + p, p, be);
		uint64_t mlen = rd(b.p + blob + 32 + 3 * p, p, be);

		/* elfmangle puts the string headers after the blob, the strings at the end. */
		hdr_end = (uint64_t)blob + 32 + 4 * p;
		data_end = seg_end;
		data = seg_end - vlen - mlen;
		vers_end = data + vlen;
	}

	stride = b.len / 211 + 1;
	for (c = 0; c < b.len; c++) {
		const uint64_t dense[4][2] = { { 0, phend }, { (uint64_t)blob, hdr_end },
			{ data, data_end }, { seg_end, seg_end } };
		bool pick = c % stride == 0;
		const char *w = want;
		int allowed;

		for (size_t k = 0; k < 4; k++)
			pick = pick || near(c, dense[k][0], dense[k][1]);
		if (!pick)
			continue;
		if (c < phend)
			allowed = A_NOTELF;
		else if (c < (uint64_t)blob + 32)
			allowed = A_NOBLOB | A_MALFORMED;
		else if (c < vers_end)
			allowed = A_NOTGO; /* the version cannot be read */
		else if (c < data_end && pointer)
			allowed = A_OK_IF_RIGHT, w = want_vers; /* module info reads as empty */
		else if (c < data_end)
			allowed = A_MALFORMED;
		else
			allowed = A_ANY_ERROR | A_OK_IF_RIGHT;
		snprintf(what, sizeof(what), "%s cut at %llu", name, (unsigned long long)c);
		CHECK_HOSTILE(what, b.p, (size_t)c, allowed, w);
	}
out:
	free(want);
	free(want_vers);
	free(b.p);
}

TEST(test_buildinfo_truncation_sweep_never_crashes_or_over_reads)
{
	sweep("sleeper", "sleeper");
	sweep("sleeper-386", "sleeper-386");
	sweep("sleeper-s390x.nosections", "sleeper-s390x");
	sweep("sleeper-pie.nosections", "sleeper-pie");
	sweep("cgo", "cgo");
}

TEST(test_buildinfo_truncation_sweep_of_pointer_format)
{
	sweep("sleeper.pointer", "sleeper");
	sweep("sleeper-386.pointer.nosections", "sleeper-386");
	sweep("sleeper-s390x.pointer", "sleeper-s390x");
}

/* Minimal files: every single cut. Before the last build info byte, each must fail. */
static void sweep_every_byte(const char *name, const char *govname)
{
	struct elfinfo e;
	struct buf b;
	char what[320], *want, *want_vers;
	uint64_t phend, data_end = 0;

	if (!load_fixture(name, &b))
		return;
	want = gov_tail(govname);
	want_vers = gov_version_line(govname);
	elf_info(&b, &e);
	phend = e.phoff + (uint64_t)e.phnum * e.phentsize;
	for (unsigned int i = 0; i < e.phnum; i++) {
		struct seginfo s;

		seg_info(&b, &e, i, &s);
		if (s.type == 1 && s.offset + s.filesz > data_end)
			data_end = s.offset + s.filesz;
	}
	if (blob_offset(&b) < 0) {
		harness_fail(__FILE__, __LINE__, "%s: no blob", name);
		goto out;
	}
	/* The inline minis keep up to 16 bytes of padding after the module info. */
	if (b.p[blob_offset(&b) + 15] & 2) {
		struct inline_layout l;

		if (inline_layout(&b, &l))
			data_end = l.mod_end;
	}
	/* Pointer minis end with the module info: cut, it reads as empty (version only). */
	for (uint64_t c = 0; c < b.len; c++) {
		bool pointer = !(b.p[blob_offset(&b) + 15] & 2);
		int allowed = c < phend      ? A_NOTELF
			      : c < data_end ? A_ANY_ERROR | (pointer ? A_OK_IF_RIGHT : 0)
					     : A_ANY_ERROR | A_OK_IF_RIGHT;

		snprintf(what, sizeof(what), "%s cut at %llu", name, (unsigned long long)c);
		CHECK_HOSTILE(what, b.p, (size_t)c, allowed, c < data_end ? want_vers : want);
	}
out:
	free(want);
	free(want_vers);
	free(b.p);
}

TEST(test_buildinfo_minimal_elf_cut_at_every_byte)
{
	for (size_t i = 0; i < NFIXTURES; i++) {
		char name[256];

		snprintf(name, sizeof(name), "%s.mini", fixtures[i]);
		sweep_every_byte(name, fixtures[i]);
		snprintf(name, sizeof(name), "%s.pointer.mini", fixtures[i]);
		sweep_every_byte(name, fixtures[i]);
	}
}

TEST(test_buildinfo_truncated_file_through_fd_is_an_error)
{
	struct inline_layout l;
	struct buf b;
	uint64_t cuts[] = { 0, 10, 63, 64, 200, 0, 0, 0 };

	if (!load_fixture("sleeper", &b))
		return;
	CHECK(inline_layout(&b, &l));
	cuts[5] = l.blob + 20;
	cuts[6] = l.vers + 2;
	cuts[7] = l.mod + 40;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		int err = read_fd_of(b.p, (size_t)cuts[i]);

		CHECK(err < 0);
		if (err >= 0 || !allowed_bit(err))
			harness_fail(__FILE__, __LINE__, "cut at %llu through fd: %d",
				(unsigned long long)cuts[i], err);
	}
	free(b.p);
}

/* ---- lengths and varints ---- */

/* A copy of fixture NAME with a varint written at file offset off (relative to the blob). */
static void check_with_varint(const char *name, bool at_mod, const unsigned char *v, size_t vlen,
	int allowed, const char *what)
{
	struct inline_layout l;
	struct buf b;

	if (!load_fixture(name, &b))
		return;
	if (!inline_layout(&b, &l)) {
		harness_fail(__FILE__, __LINE__, "%s: no inline blob", name);
		free(b.p);
		return;
	}
	memcpy(b.p + (at_mod ? l.vers_end : l.blob + 32), v, vlen);
	CHECK_HOSTILE(what, b.p, b.len, allowed, NULL);
	free(b.p);
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* v in exactly n bytes, padded with continuation bits (Go's Uvarint accepts that). */
static void put_uvarint_n(unsigned char *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 7)
		p[i] = (unsigned char)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
}

TEST(test_buildinfo_version_length_past_end_of_file_is_not_a_go_executable)
{
	struct inline_layout l;
	struct seginfo s;
	struct buf b;

	if (!load_fixture("sleeper", &b))
		return;
	if (inline_layout(&b, &l)) {
		/* One byte more than the file holds after a 4-byte length. */
		put_uvarint_n(b.p + l.blob + 32, b.len - (l.blob + 32 + 4) + 1, 4);
		CHECK_HOSTILE("version one byte past EOF", b.p, b.len, A_NOTGO, NULL);
		/* One byte more than the segment's file bytes, though the file has more. */
		if (seg_of(&b, l.blob, &s)) {
			put_uvarint_n(
				b.p + l.blob + 32, s.offset + s.filesz - (l.blob + 36) + 1, 4);
			CHECK_HOSTILE("version one byte past p_filesz", b.p, b.len, A_NOTGO, NULL);
		}
	}
	free(b.p);
}

TEST(test_buildinfo_module_info_length_past_end_of_file_is_malformed)
{
	struct inline_layout l;
	struct buf b;

	if (!load_fixture("sleeper-386", &b))
		return;
	if (inline_layout(&b, &l)) {
		put_uvarint_n(b.p + l.vers_end, b.len - (l.vers_end + 4) + 1, 4);
		CHECK_HOSTILE("module info one byte past EOF", b.p, b.len, A_MALFORMED, NULL);
		put_uvarint_n(b.p + l.vers_end, 10, 1);
		CHECK_HOSTILE(
			"module info one byte short", b.p, l.vers_end + 1 + 9, A_MALFORMED, NULL);
	}
	free(b.p);
}

/* A bad varint: before the version, not a Go executable (Go); before module info, malformed. */
TEST(test_buildinfo_varint_with_ten_continuation_bytes_is_rejected)
{
	static const unsigned char ten[11] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x01 };
	static const unsigned char twelve[12] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x80, 0x80, 0x00 };

	check_with_varint("sleeper", false, ten, sizeof(ten), A_NOTGO, "version: 10 x 0xff");
	check_with_varint("sleeper", false, twelve, sizeof(twelve), A_NOTGO, "version: 11 x 0x80");
	check_with_varint(
		"sleeper-s390x", true, ten, sizeof(ten), A_MALFORMED, "module info: 10 x 0xff");
}

TEST(test_buildinfo_varint_overflowing_64_bits_is_rejected)
{
	/* Ten bytes, but the last carries more than the 64th bit. */
	static const unsigned char over[10] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x02 };

	check_with_varint("sleeper", false, over, sizeof(over), A_NOTGO, "version: 2^64");
	check_with_varint(
		"sleeper-386", true, over, sizeof(over), A_MALFORMED, "module info: 2^64");
}

TEST(test_buildinfo_huge_declared_length_is_rejected_without_allocating_it)
{
	/* ASan aborts on an allocation this large, so these also prove we never try. */
	static const uint64_t lens[] = { UINT64_MAX, 1ull << 63, (1ull << 32) + 1, 1ull << 40,
		BI_MAX_STRING + 1ull };
	unsigned char v[10];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = put_uvarint(v, lens[i]);

		check_with_varint("sleeper", false, v, n, A_NOTGO, "huge version length");
		check_with_varint(
			"sleeper-s390x", true, v, n, A_MALFORMED, "huge module info length");
	}
}

TEST(test_buildinfo_empty_version_is_not_a_go_executable)
{
	static const unsigned char zero[1] = { 0 };

	check_with_varint("sleeper", false, zero, 1, A_NOTGO, "empty version");
}

TEST(test_buildinfo_magic_only_at_unaligned_offset_is_not_found)
{
	static const char *const names[] = { "sleeper", "sleeper.nosections",
		"sleeper-s390x.nosections", "sleeper-pie.nosections" };
	static const unsigned int shifts[] = { 1, 4, 8, 15 };

	for (size_t i = 0; i < 4; i++) {
		struct buf b;
		long long blob;

		if (!load_fixture(names[i], &b))
			continue;
		blob = blob_offset(&b);
		CHECK(blob >= 0);
		for (size_t k = 0; blob >= 0 && k < 4; k++) {
			unsigned char *c = exact_copy(b.p, b.len);
			char what[300];

			memmove(c + blob + shifts[k], c + blob, 0x100);
			memset(c + blob, 0, shifts[k]);
			snprintf(what, sizeof(what), "%s, blob moved by %u", names[i], shifts[k]);
			CHECK_HOSTILE(what, c, b.len, A_NOBLOB, NULL);
			free(c);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_magic_in_last_bytes_of_segment_is_not_read_past_it)
{
	struct seginfo s;
	struct buf b;
	long long blob;

	if (!load_fixture("sleeper.nosections", &b))
		return;
	blob = blob_offset(&b);
	if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
		CHECK(blob >= 0);
		free(b.p);
		return;
	}
	/* Only the magic survives, at the last aligned slot; the file ends with the segment. */
	memset(b.p + blob, 0, 16);
	for (uint64_t room = 16; room < 32; room += 16) {
		uint64_t at = (s.offset + s.filesz - room) & ~15ull;

		memcpy(b.p + at, bi_magic, sizeof(bi_magic));
		b.p[at + 14] = 8;
		b.p[at + 15] = 2;
		CHECK_HOSTILE("magic at segment end", b.p, s.offset + s.filesz,
			A_NOBLOB | A_MALFORMED, NULL);
	}
	free(b.p);
}

/* ---- garbage in the ELF headers ---- */

/* Applies one change to a copy of NAME and checks the outcome. */
struct edit {
	const char *what;
	unsigned int field; /* offset in the ELF header, or ~0u for a program/section header */
	unsigned int size;
	uint64_t value;
};

static void check_header_edits(
	const char *name, const char *govname, const struct edit *edits, size_t n, int allowed)
{
	char *want = gov_tail(govname);
	struct buf b;

	if (!load_fixture(name, &b)) {
		free(want);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char *c = exact_copy(b.p, b.len);
		struct elfinfo e;
		char what[300];

		elf_info(&b, &e);
		wr(c + edits[i].field, edits[i].size, e.be, edits[i].value);
		snprintf(what, sizeof(what), "%s: %s", name, edits[i].what);
		CHECK_HOSTILE(what, c, b.len, allowed, want);
		free(c);
	}
	free(b.p);
	free(want);
}

TEST(test_buildinfo_unusable_program_headers_are_not_elf)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			struct edit edits[] = {
				{ "phnum 0xffff", e.o_phnum, 2, 0xffff },
				{ "phnum 0xfff0", e.o_phnum, 2, 0xfff0 },
				{ "phentsize 0", e.o_phentsize, 2, 0 },
				{ "phentsize 1", e.o_phentsize, 2, 1 },
				{ "phentsize one short", e.o_phentsize, 2, e.phentsize - 1 },
				{ "phoff at EOF", e.o_phoff, e.wordsize, b.len },
				{ "phoff past EOF", e.o_phoff, e.wordsize, b.len + 4096 },
				{ "phoff near EOF", e.o_phoff, e.wordsize, b.len - e.phentsize },
				{ "phoff wraps around", e.o_phoff, e.wordsize, wmax - 15 },
				{ "phoff max", e.o_phoff, e.wordsize, wmax },
			};

			check_header_edits(names[i], names[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_NOTELF);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_odd_program_header_sizes_are_safe)
{
	struct elfinfo e;
	struct buf b;

	if (!load_fixture("sleeper", &b))
		return;
	elf_info(&b, &e);
	{
		struct edit edits[] = {
			{ "phentsize one long", e.o_phentsize, 2, e.phentsize + 1 },
			{ "phentsize 0xffff", e.o_phentsize, 2, 0xffff },
			{ "phnum 0", e.o_phnum, 2, 0 },
		};

		check_header_edits("sleeper", "sleeper", edits, 3, A_ANY_ERROR | A_OK_IF_RIGHT);
		check_header_edits(
			"sleeper.nosections", "sleeper", edits, 3, A_ANY_ERROR | A_OK_IF_RIGHT);
	}
	free(b.p);
}

/*
 * Section headers are optional to find the blob: when they are broken the
 * reader may fall back to the segments, but it must then be right.
 */
TEST(test_buildinfo_broken_section_headers_are_safe)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x", "cgo" };

	for (size_t i = 0; i < 4; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			struct edit edits[] = {
				{ "shoff at EOF", e.o_shoff, e.wordsize, b.len },
				{ "shoff past EOF", e.o_shoff, e.wordsize, b.len + 1 },
				{ "shoff inside the last header", e.o_shoff, e.wordsize,
					b.len - e.shentsize / 2 },
				{ "shoff wraps around", e.o_shoff, e.wordsize, wmax - 7 },
				{ "shnum 0xffff", e.o_shnum, 2, 0xffff },
				{ "shnum one more", e.o_shnum, 2, e.shnum + 1 },
				{ "shentsize 0", e.o_shentsize, 2, 0 },
				{ "shentsize 1", e.o_shentsize, 2, 1 },
				{ "shentsize 0xffff", e.o_shentsize, 2, 0xffff },
				{ "shstrndx = shnum", e.o_shstrndx, 2, e.shnum },
				{ "shstrndx 0xffff", e.o_shstrndx, 2, 0xffff },
				{ "shstrndx 0 (the null section)", e.o_shstrndx, 2, 0 },
			};

			check_header_edits(names[i], names[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}

/* The file offset of the section header named name, or 0. */
static uint64_t section_header(const struct buf *b, const struct elfinfo *e, const char *name)
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

TEST(test_buildinfo_section_past_end_of_file_is_safe)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			unsigned int so = e.is64 ? 24 : 16, ss = e.is64 ? 32 : 20;
			uint64_t bi = section_header(&b, &e, ".go.buildinfo");
			uint64_t str = e.shoff + (uint64_t)e.shstrndx * e.shentsize;
			struct edit edits[] = {
				{ ".go.buildinfo size past EOF", (unsigned int)(bi + ss),
					e.wordsize, b.len },
				{ ".go.buildinfo size max", (unsigned int)(bi + ss), e.wordsize,
					wmax },
				{ ".go.buildinfo offset past EOF", (unsigned int)(bi + so),
					e.wordsize, b.len + 16 },
				{ ".go.buildinfo offset 16 before EOF", (unsigned int)(bi + so),
					e.wordsize, (b.len - 16) & ~15ull },
				{ ".go.buildinfo offset max", (unsigned int)(bi + so), e.wordsize,
					wmax & ~15ull },
				{ ".shstrtab size past EOF", (unsigned int)(str + ss), e.wordsize,
					b.len },
				{ ".shstrtab size max", (unsigned int)(str + ss), e.wordsize,
					wmax },
				{ ".shstrtab offset past EOF", (unsigned int)(str + so), e.wordsize,
					b.len + 1 },
				{ ".shstrtab offset 1 before EOF", (unsigned int)(str + so),
					e.wordsize, b.len - 1 },
			};

			CHECK(bi != 0);
			if (bi)
				check_header_edits(names[i], names[i], edits,
					sizeof(edits) / sizeof(edits[0]),
					A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_section_names_unterminated_at_eof_are_safe)
{
	struct elfinfo e;
	struct buf b;
	uint64_t str, stroff;
	unsigned int so, ss;

	if (!load_fixture("sleeper", &b))
		return;
	elf_info(&b, &e);
	so = e.is64 ? 24 : 16;
	ss = e.is64 ? 32 : 20;
	/* Point the name table at the last 4 bytes of the file, all non-NUL. */
	str = e.shoff + (uint64_t)e.shstrndx * e.shentsize;
	stroff = b.len - 4;
	wr(b.p + str + so, e.wordsize, e.be, stroff);
	wr(b.p + str + ss, e.wordsize, e.be, 4);
	memset(b.p + stroff, 'x', 4);
	{
		char *want = gov_tail("sleeper");

		CHECK_HOSTILE("unterminated names", b.p, b.len, A_ANY_ERROR | A_OK_IF_RIGHT, want);
		free(want);
	}
	free(b.p);
}

TEST(test_buildinfo_writable_segment_past_end_of_file_is_safe)
{
	static const char *const names[] = { "sleeper.nosections", "sleeper-386.nosections",
		"sleeper-pie.nosections" };
	static const char *const originals[] = { "sleeper", "sleeper-386", "sleeper-pie" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct seginfo s;
		struct buf b;
		long long blob;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		blob = blob_offset(&b);
		if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
			CHECK(blob >= 0);
			free(b.p);
			continue;
		}
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			unsigned int off = (unsigned int)(s.at + ph_offset_field(&e));
			unsigned int fsz = (unsigned int)(s.at + ph_filesz_field(&e));
			struct edit edits[] = {
				{ "p_offset past EOF", off, e.wordsize, b.len + 16 },
				{ "p_offset max", off, e.wordsize, wmax & ~15ull },
				{ "p_filesz max", fsz, e.wordsize, wmax },
				{ "p_filesz past EOF", fsz, e.wordsize, b.len },
				{ "p_offset+p_filesz wraps", off, e.wordsize, wmax - 0xff },
			};

			check_header_edits(names[i], originals[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}

/* ---- the pointer format, with bad pointers ---- */

struct ptr_layout {
	uint64_t blob;
	unsigned int ptrsize;
	bool be;
	uint64_t vers_hdr, mod_hdr; /* file offsets of the string headers */
	struct seginfo seg;         /* the segment of the blob */
};

static bool ptr_layout(const struct buf *b, struct ptr_layout *l)
{
	long long blob = blob_offset(b);
	uint64_t a;

	if (blob < 0 || (b->p[blob + 15] & 2) || !seg_of(b, (uint64_t)blob, &l->seg))
		return false;
	l->blob = (uint64_t)blob;
	l->ptrsize = b->p[blob + 14];
	l->be = b->p[blob + 15] & 1;
	a = rd(b->p + blob + 16, l->ptrsize, l->be);
	l->vers_hdr = l->seg.offset + (a - l->seg.vaddr);
	a = rd(b->p + blob + 16 + l->ptrsize, l->ptrsize, l->be);
	l->mod_hdr = l->seg.offset + (a - l->seg.vaddr);
	return l->vers_hdr < b->len && l->mod_hdr < b->len;
}

enum ptr_field { BLOB_VERS_PTR, BLOB_MOD_PTR, VERS_DATA, VERS_LEN, MOD_DATA, MOD_LEN };

/*
 * How Go's readString (debug/buildinfo, go1.19 and master) takes a string it
 * cannot read: as "". For the version that makes the file "not a Go
 * executable"; for the module info, a build without modules: the version line only.
 */
enum ptr_outcome { NOT_GO, VERSION_ONLY };

/* Edits one pointer-format field of a copy of NAME (a copy of fixture GOVNAME.*). */
static void check_pointer_edit(
	const char *name, enum ptr_field f, uint64_t value, const char *what, enum ptr_outcome o)
{
	struct ptr_layout l;
	struct buf b;
	uint64_t at = 0;
	char desc[300], govname[256], *want = NULL;

	if (!load_fixture(name, &b))
		return;
	if (!ptr_layout(&b, &l)) {
		harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
		free(b.p);
		return;
	}
	switch (f) {
	case BLOB_VERS_PTR:
		at = l.blob + 16;
		break;
	case BLOB_MOD_PTR:
		at = l.blob + 16 + l.ptrsize;
		break;
	case VERS_DATA:
		at = l.vers_hdr;
		break;
	case VERS_LEN:
		at = l.vers_hdr + l.ptrsize;
		break;
	case MOD_DATA:
		at = l.mod_hdr;
		break;
	case MOD_LEN:
		at = l.mod_hdr + l.ptrsize;
		break;
	}
	wr(b.p + at, l.ptrsize, l.be, value);
	snprintf(desc, sizeof(desc), "%s: %s", name, what);
	snprintf(govname, sizeof(govname), "%.*s", (int)strcspn(name, "."), name);
	if (o == VERSION_ONLY) {
		want = gov_version_line(govname);
		CHECK(want != NULL);
	}
	CHECK_HOSTILE(desc, b.p, b.len, o == NOT_GO ? A_NOTGO : A_OK_IF_RIGHT, want);
	free(want);
	free(b.p);
}

static const char *const pointer_subjects[] = {
	"sleeper.pointer",
	"sleeper-386.pointer.nosections",
	"sleeper-s390x.pointer",
	"sleeper-pie.pointer.nosections",
};

/* The segment of the blob in a pointer subject: its end address and a .bss address. */
static bool pointer_subject(const char *name, struct ptr_layout *l, uint64_t *end, uint64_t *bss)
{
	struct buf b;
	bool ok;

	if (!load_fixture(name, &b))
		return false;
	ok = ptr_layout(&b, l);
	if (!ok)
		harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
	free(b.p);
	*end = l->seg.vaddr + l->seg.filesz; /* the first address past the file bytes */
	*bss = l->seg.memsz > l->seg.filesz + 16 ? *end + 16 : 0;
	return ok;
}

TEST(test_buildinfo_pointer_format_unreadable_version_is_not_a_go_executable)
{
	static const enum ptr_field addrs[] = { BLOB_VERS_PTR, VERS_DATA };

	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t wmax, bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		for (size_t k = 0; k < 2; k++) {
			enum ptr_field f = addrs[k];

			check_pointer_edit(name, f, 0, "address 0", NOT_GO);
			check_pointer_edit(name, f, 0x10, "address 0x10", NOT_GO);
			check_pointer_edit(
				name, f, wmax & 0xdeadbeef000ull, "address 0xdeadbeef000", NOT_GO);
			check_pointer_edit(name, f, wmax, "address max", NOT_GO);
			check_pointer_edit(
				name, f, end, "address just past the file bytes", NOT_GO);
			if (bss)
				check_pointer_edit(name, f, bss, "address in .bss", NOT_GO);
		}
		/* A string header that starts in the segment but runs off its end. */
		check_pointer_edit(
			name, BLOB_VERS_PTR, end - l.ptrsize, "header cut by p_filesz", NOT_GO);
		/* Data at the top of the address space: address + length wraps around. */
		check_pointer_edit(name, VERS_DATA, wmax - 3, "data address wraps", NOT_GO);
		check_pointer_edit(name, VERS_LEN, 0, "empty version", NOT_GO);
		check_pointer_edit(name, VERS_LEN, wmax, "version length max", NOT_GO);
	}
}

/* What a GOPATH or Bazel build of Go 1.13-1.17 has: runtime.modinfo "", its header in .bss. */
TEST(test_buildinfo_pointer_string_in_bss_reads_as_empty)
{
	bool any = false, any_bss = false;

	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		any = true;
		check_pointer_edit(name, MOD_LEN, 0, "module info length 0", VERSION_ONLY);
		if (!bss)
			continue;
		any_bss = true;
		check_pointer_edit(
			name, BLOB_MOD_PTR, bss, "module info header in .bss", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, bss, "module info data in .bss", VERSION_ONLY);
		check_pointer_edit(
			name, BLOB_MOD_PTR, end, "module info header at p_filesz", VERSION_ONLY);
	}
	CHECK(!any || any_bss);
}

/* Go reads these as "" too; so does a build without modules. */
TEST(test_buildinfo_pointer_format_unreadable_module_info_reads_as_empty)
{
	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t wmax, bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		check_pointer_edit(name, BLOB_MOD_PTR, 0, "header address 0", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, wmax & 0xdeadbeef000ull, "data address unmapped",
			VERSION_ONLY);
		check_pointer_edit(
			name, BLOB_MOD_PTR, end - 1, "header cut by p_filesz", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, wmax - 3, "data address wraps", VERSION_ONLY);
	}
}

TEST(test_buildinfo_pointer_string_lengths_out_of_bounds_are_never_read)
{
	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		struct buf b;
		uint64_t wmax, vlen, mlen;

		if (!load_fixture(name, &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
			free(b.p);
			continue;
		}
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		vlen = rd(b.p + l.vers_hdr + l.ptrsize, l.ptrsize, l.be);
		mlen = rd(b.p + l.mod_hdr + l.ptrsize, l.ptrsize, l.be);
		free(b.p);

		/* elfmangle ends the module info exactly at p_filesz: one more is too far. */
		check_pointer_edit(
			name, MOD_LEN, mlen + 1, "module info 1 byte past p_filesz", VERSION_ONLY);
		check_pointer_edit(
			name, VERS_LEN, vlen + mlen + 1, "version past p_filesz", NOT_GO);
		check_pointer_edit(name, MOD_LEN, wmax, "module info length max", VERSION_ONLY);
		if (l.ptrsize == 8) {
			check_pointer_edit(
				name, VERS_LEN, (1ull << 32) + 1, "version length 2^32+1", NOT_GO);
			check_pointer_edit(
				name, MOD_LEN, 1ull << 33, "module info length 2^33", VERSION_ONLY);
			check_pointer_edit(
				name, MOD_LEN, 1ull << 63, "module info length 2^63", VERSION_ONLY);
		}
	}
}

/* Go's master says errNotGoExe for a pointer size other than 4 or 8 (go1.19 misreads it). */
TEST(test_buildinfo_bad_pointer_size_is_not_a_go_executable)
{
	static const unsigned char sizes[] = { 0, 1, 2, 3, 5, 7, 16, 255 };

	for (size_t i = 0; i < 4; i++) {
		struct ptr_layout l;
		struct buf b;

		if (!load_fixture(pointer_subjects[i], &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format",
				pointer_subjects[i]);
			free(b.p);
			continue;
		}
		for (size_t k = 0; k < sizeof(sizes); k++) {
			char what[300];

			b.p[l.blob + 14] = sizes[k];
			snprintf(what, sizeof(what), "%s: pointer size %u", pointer_subjects[i],
				sizes[k]);
			CHECK_HOSTILE(what, b.p, b.len, A_NOTGO, NULL);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_pointer_format_truncated_in_version_or_module_info)
{
	for (size_t i = 0; i < 4; i++) {
		char govname[256], *want;
		struct ptr_layout l;
		struct buf b;
		uint64_t cuts[3];

		if (!load_fixture(pointer_subjects[i], &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format",
				pointer_subjects[i]);
			free(b.p);
			continue;
		}
		/* The version's header, or its data (right before the module info at the end). */
		cuts[0] = l.vers_hdr;
		cuts[1] = l.vers_hdr + l.ptrsize;
		cuts[2] = l.mod_hdr + 2 * l.ptrsize - 1;
		check_truncations(pointer_subjects[i], &b, cuts, 3, A_NOTGO);
		/* Inside the module info: Go reads it as "". */
		snprintf(govname, sizeof(govname), "%.*s", (int)strcspn(pointer_subjects[i], "."),
			pointer_subjects[i]);
		want = gov_version_line(govname);
		CHECK_HOSTILE("cut 1 byte before the end of the module info", b.p,
			l.seg.offset + l.seg.filesz - 1, A_OK_IF_RIGHT, want);
		CHECK_HOSTILE("cut 20 bytes before the end of the module info", b.p,
			l.seg.offset + l.seg.filesz - 20, A_OK_IF_RIGHT, want);
		free(want);
		free(b.p);
	}
}

/* ---- real binaries of other Go releases (tests/fixtures/npm.sh) ---- */

struct npm_fixture {
	const char *name;    /* under FIXTURES/ */
	const char *version; /* what go version -m says built it */
	bool modules;        /* built in module mode (else GOPATH or Bazel: no module info) */
};

/* Every npm fixture Go 1.19's go version -m reads; the comments say the format. */
static const struct npm_fixture npm_readable[] = {
	{ "npm/buildifier-2.2.1", "go1.13.6", false },     /* pointer format, Bazel */
	{ "npm/ibazel-0.15.10", "go1.14.2", false },       /* pointer, Bazel */
	{ "npm/bazelisk-1.7.5", "go1.15.2", false },       /* pointer, Bazel */
	{ "npm/bazelisk-1.7.5-arm64", "go1.15.2", false }, /* pointer, Bazel, arm64 */
	{ "npm/bazelisk-1.12.1", "go1.16.4", false },      /* pointer, Bazel */
	{ "npm/buildifier-5.1.0", "go1.17.2", false },     /* pointer, Bazel */
	{ "npm/buildifier-6.1.2", "go1.20.3 X:nocoverageredesign", false }, /* inline, Bazel */
	{ "npm/esbuild-0.1.26", "go1.14.2", true },                         /* pointer, modules */
	{ "npm/esbuild-0.7.22", "go1.15", true },    /* pointer, modules, a dep */
	{ "npm/esbuild-0.8.57", "go1.16", true },    /* pointer */
	{ "npm/esbuild-0.13.15", "go1.17.2", true }, /* pointer */
	{ "npm/esbuild-0.14.54", "go1.19", true },   /* inline, build settings */
	{ "npm/esbuild-0.17.19", "go1.20.4", true }, /* inline */
	{ "npm/esbuild-0.23.1", "go1.22.5", true },  /* inline */
	{ "npm/esbuild-0.25.0", "go1.23.5", true },  /* inline */
};
#define NNPM (sizeof(npm_readable) / sizeof(npm_readable[0]))

/* The version on the first line of NAME.gov, checked against what we pinned. */
static bool check_npm_gov_version(const struct npm_fixture *f)
{
	char *line = gov_version_line(f->name);
	bool ok = line && strlen(line) == strlen(f->version) + 1 &&
		  strncmp(line, f->version, strlen(f->version)) == 0;

	if (line && !ok)
		harness_fail(__FILE__, __LINE__, "%s.gov says %s, the pinned list %s", f->name,
			line, f->version);
	free(line);
	return ok;
}

TEST(test_buildinfo_real_binaries_of_go_1_13_to_1_23_match_go_version_m)
{
	for (size_t i = 0; i < NNPM; i++)
		if (check_npm_gov_version(&npm_readable[i]))
			CHECK_MATCHES_GOV(npm_readable[i].name, npm_readable[i].name);
}

/* GOPATH and Bazel builds: runtime.modinfo is "", go version -m prints the version alone. */
TEST(test_buildinfo_builds_without_modules_print_only_the_version_line)
{
	size_t checked = 0;

	for (size_t i = 0; i < NNPM; i++) {
		const struct npm_fixture *f = &npm_readable[i];
		struct go_buildinfo bi;
		char *want;
		int fd;

		if (f->modules)
			continue;
		want = gov_tail(f->name);
		if (!want)
			continue;
		/* The reference itself: one line, nothing after the version. */
		CHECK(strchr(want, '\n') == want + strlen(want) - 1);
		free(want);
		fd = open(fixture(f->name), O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			harness_fail(__FILE__, __LINE__, "cannot open %s", fixture(f->name));
			continue;
		}
		CHECK_INT(buildinfo_read_fd(fd, &bi), 0);
		close(fd);
		CHECK_STR(bi.go_version, f->version);
		CHECK(bi.mod.path == NULL && !bi.mod.has_main && bi.mod.ndeps == 0 &&
			bi.mod.nsettings == 0);
		buildinfo_free(&bi);
		CHECK_MATCHES_GOV(f->name, f->name);
		checked++;
	}
	if (checked == 0)
		SKIP("no npm fixture built without modules (tests/fixtures/npm.sh)");
}

TEST(test_buildinfo_json_of_build_without_modules_is_file_and_version_only)
{
	static const struct npm_fixture *const subjects[] = { &npm_readable[0], &npm_readable[4],
		&npm_readable[6] };

	for (size_t i = 0; i < 3; i++) {
		struct go_buildinfo bi;
		char *s = NULL, want[256];
		size_t n = 0;
		struct buf b;
		FILE *f;

		if (!load_fixture(subjects[i]->name, &b))
			continue;
		CHECK_INT(buildinfo_read_mem(b.p, b.len, &bi), 0);
		free(b.p);
		f = open_memstream(&s, &n);
		buildinfo_print_json(&bi, "x", f);
		fclose(f);
		snprintf(want, sizeof(want), "{\"File\":\"x\",\"GoVersion\":\"%s\"}",
			subjects[i]->version);
		CHECK_STR(s, want);
		free(s);
		buildinfo_free(&bi);
	}
}

/* Reads NAME through an fd and from memory; both must fail with err. */
static void check_error_both_ways(const char *file, int line, const char *name, int err)
{
	struct go_buildinfo bi;
	struct buf b;
	int fd, got;

	if (!load_fixture(name, &b))
		return;
	got = buildinfo_read_mem(b.p, b.len, &bi);
	free(b.p);
	if (got == 0)
		buildinfo_free(&bi);
	if (got != err)
		harness_fail(file, line, "%s from memory: %s (%d), expected %s", name,
			err_name(got), got, err_name(err));
	fd = open(fixture(name), O_RDONLY | O_CLOEXEC);
	got = fd < 0 ? -errno : buildinfo_read_fd(fd, &bi);
	if (fd >= 0)
		close(fd);
	if (got == 0)
		buildinfo_free(&bi);
	if (got != err)
		harness_fail(file, line, "%s through an fd: %s (%d), expected %s", name,
			err_name(got), got, err_name(err));
}

#define CHECK_ERROR(name, err) check_error_both_ways(__FILE__, __LINE__, name, err)

/*
 * buildifier 0.19.2 and 0.29.0 (go1.11.2 and go1.12.5, by their
 * runtime.buildVersion) predate build info. go version -m, Go 1.19's and
 * master's alike, finds no blob and says "not a Go executable" (errNotGoExe in
 * debug/buildinfo's readRawBuildInfo); we say what their pclntab magic says.
 */
TEST(test_buildinfo_go_1_11_and_1_12_binaries_say_go_1_2_to_1_15_without_build_info)
{
	static const char *const names[] = { "npm/buildifier-0.19.2", "npm/buildifier-0.29.0" };

	CHECK(strstr(buildinfo_strerror(-BI_ENOBLOB_GO12), "Go 1.2 to 1.15") != NULL);
	for (size_t i = 0; i < 2; i++)
		CHECK_ERROR(names[i], -BI_ENOBLOB_GO12);
}

/*
 * esbuild 0.27.0 (go1.25.4 by its runtime.buildVersion) ships without a build
 * info blob: go version -m says "not a Go executable"; its pclntab says 1.20+.
 * Without its section headers too, the table is found by scanning.
 */
TEST(test_buildinfo_go_1_25_binary_without_blob_says_go_1_20_or_later)
{
	struct go_buildinfo bi;
	struct elfinfo e;
	struct buf b;
	int err;

	CHECK_ERROR("npm/esbuild-0.27.0", -BI_ENOBLOB_GO120);
	if (!load_fixture("npm/esbuild-0.27.0", &b))
		return;
	elf_info(&b, &e);
	wr(b.p + e.o_shoff, e.wordsize, e.be, 0);
	wr(b.p + e.o_shnum, 2, e.be, 0);
	err = buildinfo_read_mem(b.p, b.len, &bi);
	CHECK_INT(err, -BI_ENOBLOB_GO120);
	if (!err)
		buildinfo_free(&bi);
	free(b.p);
}

struct noblob_case {
	const char *name;
	int err;
};

/* Copies with the blob's magic zeroed (elfmangle drop-buildinfo), with and without sections. */
static const struct noblob_case noblob_cases[] = {
	{ "sleeper.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-pie.noblob", -BI_ENOBLOB_GO118 }, /* .data.rel.ro.gopclntab */
	{ "cgo.noblob", -BI_ENOBLOB_GO118 }, { "sleeper-386.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-arm64.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-s390x.noblob", -BI_ENOBLOB_GO118 },           /* magic in big-endian order */
	{ "npm/buildifier-2.2.1.noblob", -BI_ENOBLOB_GO12 },     /* go1.13.6 */
	{ "npm/bazelisk-1.7.5.noblob", -BI_ENOBLOB_GO12 },       /* go1.15.2 */
	{ "npm/bazelisk-1.7.5-arm64.noblob", -BI_ENOBLOB_GO12 }, /* go1.15.2 */
	{ "npm/bazelisk-1.12.1.noblob", -BI_ENOBLOB_GO116 },     /* go1.16.4 */
	{ "npm/buildifier-5.1.0.noblob", -BI_ENOBLOB_GO116 },    /* go1.17.2 */
	{ "npm/esbuild-0.13.15.noblob", -BI_ENOBLOB_GO116 },     /* go1.17.2 */
	{ "npm/esbuild-0.14.54.noblob", -BI_ENOBLOB_GO118 },     /* go1.19 */
	{ "npm/esbuild-0.17.19.noblob", -BI_ENOBLOB_GO120 },     /* go1.20.4 */
	{ "npm/buildifier-6.1.2.noblob", -BI_ENOBLOB_GO120 },    /* go1.20.3 */
	{ "npm/esbuild-0.25.0.noblob", -BI_ENOBLOB_GO120 },      /* go1.23.5 */
};

TEST(test_buildinfo_without_blob_the_function_table_names_the_go_range)
{
	for (size_t i = 0; i < sizeof(noblob_cases) / sizeof(noblob_cases[0]); i++)
		CHECK_ERROR(noblob_cases[i].name, noblob_cases[i].err);
}

/* No section headers: the Go build ID note says Go, a scan of the segments finds the table. */
TEST(test_buildinfo_without_blob_or_sections_the_function_table_is_found_by_scanning)
{
	for (size_t i = 0; i < sizeof(noblob_cases) / sizeof(noblob_cases[0]); i++) {
		char name[256];

		snprintf(name, sizeof(name), "%s.nosections", noblob_cases[i].name);
		CHECK_ERROR(name, noblob_cases[i].err);
	}
}

/* The file offset of the function table of a fixture with sections, or 0. */
static uint64_t pclntab_offset(const struct buf *b)
{
	struct elfinfo e;
	uint64_t h;

	elf_info(b, &e);
	h = section_header(b, &e, ".gopclntab");
	return h ? rd(b->p + h + (e.is64 ? 24 : 16), e.wordsize, e.be) : 0;
}

TEST(test_buildinfo_without_blob_an_unknown_pclntab_magic_cannot_tell_the_version)
{
	static const char *const names[] = { "sleeper.noblob", "sleeper-s390x.noblob" };

	for (size_t i = 0; i < 2; i++) {
		struct buf b;
		uint64_t off;

		if (!load_fixture(names[i], &b))
			continue;
		off = pclntab_offset(&b);
		CHECK(off != 0 && off + 8 <= b.len);
		if (off && off + 8 <= b.len) {
			unsigned char saved[4];

			memcpy(saved, b.p + off, 4);
			memcpy(b.p + off, "\x12\x34\x56\x78", 4);
			CHECK_HOSTILE("unknown magic", b.p, b.len, A_NOBLOB_GO, NULL);
			CHECK_INT(check_hostile(__FILE__, __LINE__, "unknown magic", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
			/* The right magic in the other byte order is not it. */
			for (int k = 0; k < 4; k++)
				b.p[off + k] = saved[3 - k];
			CHECK_INT(check_hostile(__FILE__, __LINE__, "swapped magic", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
			/* A bad pointer size or pad byte makes it no table header. */
			memcpy(b.p + off, saved, 4);
			b.p[off + 7] = 3;
			CHECK_INT(check_hostile(__FILE__, __LINE__, "pointer size 3", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
		}
		free(b.p);
	}
}

/* Without sections or a Go note, nothing says Go: not a Go executable (no scan either). */
TEST(test_buildinfo_without_blob_sections_or_go_note_is_not_go)
{
	struct elfinfo e;
	struct buf b;
	bool had_note = false;

	if (!load_fixture("sleeper.noblob.nosections", &b))
		return;
	elf_info(&b, &e);
	for (unsigned int i = 0; i < e.phnum; i++) {
		struct seginfo s;

		seg_info(&b, &e, i, &s);
		if (s.type == 4) { /* PT_NOTE -> PT_NULL */
			wr(b.p + s.at, 4, e.be, 0);
			had_note = true;
		}
	}
	CHECK(had_note);
	CHECK_INT(check_hostile(__FILE__, __LINE__, "no note", b.p, b.len, A_NOTGO, NULL),
		-BI_ENOTGO);
	free(b.p);
}

/* Every cut of the table's header and the bytes around it: an error, never an over-read. */
TEST(test_buildinfo_without_blob_truncated_function_table_is_safe)
{
	static const char *const names[] = { "sleeper.noblob", "sleeper-386.noblob",
		"npm/bazelisk-1.12.1.noblob" };

	for (size_t i = 0; i < 3; i++) {
		char nosec[256];
		struct buf b, n;
		uint64_t off;

		if (!load_fixture(names[i], &b))
			continue;
		snprintf(nosec, sizeof(nosec), "%s.nosections", names[i]);
		if (!load_fixture(nosec, &n)) {
			free(b.p);
			continue;
		}
		off = pclntab_offset(&b);
		CHECK(off != 0);
		for (uint64_t c = off; off && c < off + 96 && c < b.len; c++) {
			char what[300];

			snprintf(what, sizeof(what), "%s cut at %llu", names[i],
				(unsigned long long)c);
			CHECK_HOSTILE(what, b.p, (size_t)c, A_NOBLOB, NULL);
			snprintf(
				what, sizeof(what), "%s cut at %llu", nosec, (unsigned long long)c);
			CHECK_HOSTILE(what, n.p, (size_t)c, A_NOBLOB, NULL);
		}
		free(n.p);
		free(b.p);
	}
}
