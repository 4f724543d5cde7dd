/* SPDX-License-Identifier: MIT */
/*
 * Is this executable Go, and which version? Decided once per executable
 * identity: device, inode, ctime and size, so that a binary rewritten in
 * place is looked at again. Shared by the /proc scan (on several threads at
 * once) and the loader.
 */
#ifndef GOPS_GOLANG_VERDICT_H
#define GOPS_GOLANG_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#define VERDICT_VERSION_LEN 64

struct verdict {
	bool is_go;
	char version[VERDICT_VERSION_LEN]; /* "" unless is_go */
};

struct verdict_cache;

/* At most max identities are kept (0: a default); past that it starts over. */
struct verdict_cache *verdict_cache_new(unsigned int max);
void verdict_cache_free(struct verdict_cache *c);

/* The cached verdict for the executable st describes, if any. Thread-safe. */
bool verdict_lookup(struct verdict_cache *c, const struct stat *st, struct verdict *out);

/*
 * The verdict for the executable open at fd, parsing it only when its
 * identity (fstat of fd) was never seen; *parsed says whether it was parsed
 * now (may be NULL). Thread-safe: the parse runs outside the lock. Returns 0
 * or -errno (fstat failed, or memory ran out).
 */
int verdict_of_fd(struct verdict_cache *c, int fd, struct verdict *out, bool *parsed);

#endif
