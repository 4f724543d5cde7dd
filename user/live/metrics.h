/* SPDX-License-Identifier: MIT */
/*
 * The daemon's Prometheus metrics: what the pinned table knows of each Go
 * process, runtime facts read from its memory (refreshed in the background,
 * at most once per interval per process), counts of Go execs and exits, and
 * the daemon's own health, in the text exposition format 0.0.4. Served over
 * HTTP (metrics_serve) and written to a textfile for node_exporter.
 */
#ifndef GOPS_LIVE_METRICS_H
#define GOPS_LIVE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "live/tracer.h"

#define METRICS_DEFAULT_INTERVAL 15 /* seconds */
#define METRICS_MAX_INTERVAL 86400

struct metrics;

struct metrics_opts {
	const char *pin_dir;      /* the table the exposition reads */
	unsigned int max_procs;   /* the table's capacity, as the daemon sized it */
	unsigned int interval_s;  /* runtime facts re-read (and the textfile written) this often */
	const char *addr;         /* --metrics: serve GET /metrics here; NULL: no server */
	const char *textfile_dir; /* --metrics-textfile: write DIR/gops.prom; NULL: none */
};

/*
 * Parses a numeric listen address: IPV4:PORT or [IPV6]:PORT, port 1-65535.
 * Returns 0, or -EINVAL with one line in why. *loopback says whether it is
 * 127.0.0.0/8 or ::1.
 */
int metrics_parse_addr(const char *s, struct sockaddr_storage *sa, socklen_t *len, bool *loopback,
	char *why, size_t whylen);

/*
 * Sets up what the options ask for and binds the listening socket, so that a
 * busy port fails before the tracer is loaded. Errors are printed as one
 * line. Returns 0 or -errno.
 */
int metrics_open(struct metrics **m, const struct metrics_opts *o);
/*
 * Starts the threads: the HTTP server's, and the refresher's (which also
 * writes the textfile). Once the table is there: the threads read it.
 */
int metrics_run(struct metrics *m);
/* Stops the threads and frees everything; NULL is fine. */
void metrics_stop(struct metrics *m);

/* Counts a Go exec or exit: the tracer's event callback calls it (any thread). */
void metrics_count_event(struct metrics *m, const struct tracer_event *ev);

/* Writes the whole exposition, as a scrape gets it. Returns 0 or -errno. */
int metrics_write(struct metrics *m, FILE *out);

/* Writes the exposition to DIR/gops.prom atomically (a temp file, then rename). */
int metrics_write_textfile(struct metrics *m, const char *dir);

/* Reads the runtime facts of every Go process whose cached ones are older than the interval. */
void metrics_refresh(struct metrics *m);

#endif
