/* SPDX-License-Identifier: MIT */
/*
 * Layouts read from an executable's DWARF, kept on disk so that the next read
 * of a process running the same file skips inflating its DWARF (most of the
 * cost of an agentless `gops stats`). An entry is keyed by the file's
 * identity (device, inode, size, modification time); the directory is
 * $GOPS_CACHE_DIR, else $XDG_CACHE_HOME/gops, else ~/.cache/gops (root:
 * /var/cache/gops). GOPS_CACHE_DIR=off turns the cache off. Entries are only
 * trusted in a directory owned by us and writable by no one else; anything
 * odd is a miss, and a failed write is silent: the cache only saves time.
 */
#ifndef GOPS_GORUNTIME_LAYOUT_CACHE_H
#define GOPS_GORUNTIME_LAYOUT_CACHE_H

#include "goruntime/layout.h"

/* The layout of the executable open at fd, when cached: 0, else -ENOENT. */
int rt_layout_cache_get(int fd, struct rt_layout *l);

/* Keeps the layout of the executable open at fd. */
void rt_layout_cache_put(int fd, const struct rt_layout *l);

#endif
