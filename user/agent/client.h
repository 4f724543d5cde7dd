/* SPDX-License-Identifier: MIT */
/*
 * The gops agent protocol, client side: one command byte per TCP connection,
 * the agent answers and closes. Targets (agent/target.h) are a pid or
 * host:port.
 */
#ifndef GOPS_AGENT_H
#define GOPS_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/target.h"

enum agent_cmd {
	AGENT_STACK = 0x01,
	AGENT_GC = 0x02,
	AGENT_MEMSTATS = 0x03,
	AGENT_VERSION = 0x04,
	AGENT_HEAP_PROFILE = 0x05,
	AGENT_CPU_PROFILE = 0x06,
	AGENT_STATS = 0x07,
	AGENT_TRACE = 0x08,
	AGENT_BINARY_DUMP = 0x09,
	AGENT_SET_GC_PERCENT = 0x10,
};

/* Receives the reply as it arrives; returns 0 to go on, or a negative error. */
typedef int (*agent_sink)(void *ctx, const void *data, size_t len);

struct agent_call {
	uint8_t cmd;
	const uint8_t *arg; /* bytes sent after the command (setgc's varint) */
	size_t arglen;
	int timeout_ms;     /* for the whole exchange */
	uint64_t max_bytes; /* a longer reply is an error */
	int progress_s;     /* > 0: show a countdown of that many seconds on a terminal */
	agent_sink sink;
	void *ctx;
};

/*
 * Connects (inside the target's network namespace when it has its own),
 * sends the command and streams the reply to the sink until the agent
 * closes. Returns the reply's length, or a negative error with why set.
 */
int64_t agent_call(
	const struct agent_target *t, const struct agent_call *c, char *why, size_t whylen);

/* Encodes v as a zig-zag varint (Go's binary.PutVarint). Returns its length. */
size_t agent_put_varint(int64_t v, uint8_t *buf);

#endif
