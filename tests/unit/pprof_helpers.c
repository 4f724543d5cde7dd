// SPDX-License-Identifier: MIT
/* What the pprof tests share: fixture files, gzip, reports, and small profiles built in memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "pprof/pprof.h"
#include "pprof_helpers.h"

/* ---- files, buffers, gzip ---- */

void buf_put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

bool slurp(const char *path, struct buf *b)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(b, 0, sizeof(*b));
	if (fd < 0 && errno == ENOENT) {
		harness_skip("no %s (made by tests/fixtures/build.sh %s)", path, fixture_dir());
		return false;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		harness_fail(__FILE__, __LINE__,
			"cannot open %s: %s (build the fixtures with tests/fixtures/build.sh)",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	b->n = b->cap = (size_t)st.st_size;
	b->p = malloc(b->n ? b->n : 1);
	while (b->p && done < b->n) {
		ssize_t r = read(fd, b->p + done, b->n - done);

		if (r <= 0)
			break;
		done += (size_t)r;
	}
	close(fd);
	if (!b->p || done != b->n) {
		harness_fail(__FILE__, __LINE__, "cannot read %s", path);
		free(b->p);
		b->p = NULL;
		return false;
	}
	return true;
}

struct buf gzip_bytes(const void *src, size_t n)
{
	static const unsigned char zeros[1 << 16];
	unsigned char out[1 << 16];
	struct buf b = { 0 };
	z_stream zs;
	size_t left = n;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	for (;;) {
		size_t chunk = left > sizeof(zeros) ? sizeof(zeros) : left;
		int flush = chunk == left ? Z_FINISH : Z_NO_FLUSH, zerr;

		zs.next_in = (Bytef *)(src ? (const unsigned char *)src + (n - left) : zeros);
		zs.avail_in = (uInt)chunk;
		left -= chunk;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			zerr = deflate(&zs, flush);
			buf_put(&b, out, sizeof(out) - zs.avail_out);
		} while (zs.avail_out == 0);
		if (zerr == Z_STREAM_END)
			break;
	}
	deflateEnd(&zs);
	return b;
}

struct buf gunzip_bytes(const struct buf *gz)
{
	unsigned char out[1 << 16];
	struct buf b = { 0 };
	z_stream zs;
	int zerr;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		abort();
	zs.next_in = gz->p;
	zs.avail_in = (uInt)gz->n;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zerr = inflate(&zs, Z_NO_FLUSH);
		buf_put(&b, out, sizeof(out) - zs.avail_out);
	} while (zerr == Z_OK);
	inflateEnd(&zs);
	if (zerr != Z_STREAM_END)
		harness_fail(__FILE__, __LINE__, "the fixture is not valid gzip");
	return b;
}

/* ---- reports ---- */

char *utc_begin(void)
{
	const char *tz = getenv("TZ");
	char *saved = tz ? strdup(tz) : NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	return saved;
}

void utc_end(char *saved)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

char *report(const void *data, size_t len, int sample_index, size_t n, int *err)
{
	struct pprof_profile p;
	char *text = NULL, *tz;
	size_t size = 0;
	FILE *out;

	*err = pprof_parse(data, len, &p);
	if (*err)
		return NULL;
	out = open_memstream(&text, &size);
	if (!out)
		abort();
	tz = utc_begin();
	*err = pprof_top(&p, sample_index, n, out);
	utc_end(tz);
	fclose(out);
	pprof_free(&p);
	if (*err) {
		free(text);
		return NULL;
	}
	return text;
}

void check_same_report(const char *got, const char *want, const char *what)
{
	size_t line = 1;

	if (!got || !want) {
		harness_fail(__FILE__, __LINE__, "%s: no report", what);
		return;
	}
	while (*got || *want) {
		size_t gl = strcspn(got, "\n"), wl = strcspn(want, "\n");

		if (gl != wl || memcmp(got, want, gl) != 0 ||
			(got[gl] == '\n') != (want[wl] == '\n')) {
			harness_fail(__FILE__, __LINE__,
				"%s, line %zu:\n    got:  \"%.*s\"\n    want: \"%.*s\"", what, line,
				(int)gl, got, (int)wl, want);
			return;
		}
		got += gl + (got[gl] == '\n');
		want += wl + (want[wl] == '\n');
		line++;
	}
}

/* ---- small profiles built here ---- */

static void pb_varint(struct buf *b, uint64_t v)
{
	unsigned char c;

	while (v >= 0x80) {
		c = (unsigned char)(v | 0x80);
		buf_put(b, &c, 1);
		v >>= 7;
	}
	c = (unsigned char)v;
	buf_put(b, &c, 1);
}

void pb_key(struct buf *b, unsigned int field, unsigned int wire)
{
	pb_varint(b, (uint64_t)field << 3 | wire);
}

void pb_uint(struct buf *b, unsigned int field, uint64_t v)
{
	pb_key(b, field, 0);
	pb_varint(b, v);
}

void pb_bytes(struct buf *b, unsigned int field, const void *d, size_t n)
{
	pb_key(b, field, 2);
	pb_varint(b, n);
	buf_put(b, d, n);
}

/* Appends message m as field and frees it. */
void pb_msg(struct buf *b, unsigned int field, struct buf *m)
{
	pb_bytes(b, field, m->p, m->n);
	free(m->p);
	memset(m, 0, sizeof(*m));
}

void synth_init(struct synth *s)
{
	memset(s, 0, sizeof(*s));
	s->strs[0] = "";
	s->nstrs = 1;
}

uint64_t str(struct synth *s, const char *v)
{
	for (size_t i = 0; i < s->nstrs; i++)
		if (strcmp(s->strs[i], v) == 0)
			return i;
	if (s->nstrs == 64)
		abort();
	s->strs[s->nstrs] = v;
	return s->nstrs++;
}

void synth_type(struct synth *s, const char *type, const char *unit)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, str(s, type));
	pb_uint(&m, 2, str(s, unit));
	pb_msg(&s->body, 1, &m);
}

void synth_mapping(struct synth *s, uint64_t id, const char *file, const char *build_id)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	pb_uint(&m, 2, 0x400000 * id);
	pb_uint(&m, 3, 0x400000 * id + 0x100000);
	pb_uint(&m, 5, str(s, file));
	pb_uint(&m, 6, str(s, build_id));
	pb_uint(&m, 7, 1);
	pb_msg(&s->body, 3, &m);
}

void synth_function(struct synth *s, uint64_t id, const char *name, int64_t start_line)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	pb_uint(&m, 2, str(s, name));
	pb_uint(&m, 3, str(s, name));
	pb_uint(&m, 4, str(s, "/src/x.go"));
	pb_uint(&m, 5, (uint64_t)start_line);
	pb_msg(&s->body, 5, &m);
}

/* A location whose frames are functions fids, innermost first (inlined calls). */
void synth_location(struct synth *s, uint64_t id, uint64_t mapping, size_t n, const uint64_t *fids)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	if (mapping)
		pb_uint(&m, 2, mapping);
	pb_uint(&m, 3, 0x400000 * mapping + 0x1000 * id);
	for (size_t i = 0; i < n; i++) {
		struct buf line = { 0 };

		pb_uint(&line, 1, fids[i]);
		pb_uint(&line, 2, 10 + i);
		pb_msg(&m, 4, &line);
	}
	pb_msg(&s->body, 4, &m);
}

void sample_fields(
	struct buf *m, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals, bool packed)
{
	struct buf pk = { 0 };

	if (packed) {
		for (size_t i = 0; i < nl; i++)
			pb_varint(&pk, locs[i]);
		pb_msg(m, 1, &pk);
		for (size_t i = 0; i < nv; i++)
			pb_varint(&pk, (uint64_t)vals[i]);
		pb_msg(m, 2, &pk);
		return;
	}
	for (size_t i = 0; i < nl; i++)
		pb_uint(m, 1, locs[i]);
	for (size_t i = 0; i < nv; i++)
		pb_uint(m, 2, (uint64_t)vals[i]);
}

/* A sample: locations leaf first, one value per sample type. */
void synth_sample(struct synth *s, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals)
{
	struct buf m = { 0 };

	sample_fields(&m, nl, locs, nv, vals, true);
	pb_msg(&s->body, 2, &m);
}

void synth_labeled_sample(struct synth *s, size_t nl, const uint64_t *locs, size_t nv,
	const int64_t *vals, const char *key, const char *value)
{
	struct buf m = { 0 }, label = { 0 };

	sample_fields(&m, nl, locs, nv, vals, false);
	pb_uint(&label, 1, str(s, key));
	pb_uint(&label, 2, str(s, value));
	pb_msg(&m, 3, &label);
	pb_msg(&s->body, 2, &m);
}

void synth_comment(struct synth *s, const char *c)
{
	pb_uint(&s->body, 13, str(s, c));
}

/* The encoded profile: the fields so far, then the string table. */
struct buf synth_done(struct synth *s)
{
	struct buf out = s->body;

	for (size_t i = 0; i < s->nstrs; i++)
		pb_bytes(&out, 6, s->strs[i], strlen(s->strs[i]));
	memset(&s->body, 0, sizeof(s->body));
	return out;
}

void dump(const char *name, const struct buf *b)
{
	const char *dir = getenv("GOPS_PPROF_DUMP");
	char path[4096];
	size_t at;
	FILE *f;

	if (!dir || !*dir)
		return;
	at = (size_t)snprintf(path, sizeof(path), "%s/", dir);
	for (; *name && at + 4 < sizeof(path); name++)
		path[at++] = strchr(" /()[]^'", *name) ? '_' : *name;
	snprintf(path + at, sizeof(path) - at, ".pb");
	f = fopen(path, "wb");
	if (f) {
		fwrite(b->p, 1, b->n, f);
		fclose(f);
	}
}
