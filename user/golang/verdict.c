// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "golang/buildinfo.h"
#include "golang/verdict.h"

#define DEFAULT_MAX 8192

struct entry {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
	off_t size;
	struct verdict v;
};

struct verdict_cache {
	/* Many lookups, few additions (one per distinct executable): they share the lock. */
	pthread_rwlock_t lock;
	struct entry *e;
	size_t n, cap, max;
};

struct verdict_cache *verdict_cache_new(unsigned int max)
{
	struct verdict_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->max = max ? max : DEFAULT_MAX;
	pthread_rwlock_init(&c->lock, NULL);
	return c;
}

void verdict_cache_free(struct verdict_cache *c)
{
	if (!c)
		return;
	pthread_rwlock_destroy(&c->lock);
	free(c->e);
	free(c);
}

static struct entry *find(struct verdict_cache *c, const struct stat *st)
{
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];

		if (e->ino == st->st_ino && e->dev == st->st_dev && e->size == st->st_size &&
			e->ctime.tv_sec == st->st_ctim.tv_sec &&
			e->ctime.tv_nsec == st->st_ctim.tv_nsec)
			return e;
	}
	return NULL;
}

bool verdict_lookup(struct verdict_cache *c, const struct stat *st, struct verdict *out)
{
	struct entry *e;

	pthread_rwlock_rdlock(&c->lock);
	e = find(c, st);
	if (e)
		*out = e->v;
	pthread_rwlock_unlock(&c->lock);
	return e != NULL;
}

/* Records v for st unless another thread did meanwhile. Returns 0 or -ENOMEM. */
static int insert(struct verdict_cache *c, const struct stat *st, const struct verdict *v)
{
	struct entry *e;
	int err = 0;

	pthread_rwlock_wrlock(&c->lock);
	if (!find(c, st)) {
		if (c->n >= c->max)
			c->n = 0; /* a long-running daemon sees binaries come and go */
		e = array_push(&c->e, &c->n, &c->cap, sizeof(*c->e));
		if (e) {
			e->dev = st->st_dev;
			e->ino = st->st_ino;
			e->ctime = st->st_ctim;
			e->size = st->st_size;
			e->v = *v;
		} else {
			err = -ENOMEM;
		}
	}
	pthread_rwlock_unlock(&c->lock);
	return err;
}

int verdict_of_fd(struct verdict_cache *c, int fd, struct verdict *out, bool *parsed)
{
	struct stat st;

	if (parsed)
		*parsed = false;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (verdict_lookup(c, &st, out))
		return 0;
	memset(out, 0, sizeof(*out));
	out->is_go = buildinfo_read_version_fd(fd, out->version, sizeof(out->version)) == 0;
	if (!out->is_go)
		memset(out->version, 0, sizeof(out->version));
	if (parsed)
		*parsed = true;
	return insert(c, &st, out);
}
