// SPDX-License-Identifier: MIT
/*
 * Socket listing for one process, following gopsutil v3 (which gops prints):
 * fields are split the way Go's strings.Fields splits them, addresses are
 * printed the way net.IP.String() prints them, and duplicates are dropped by
 * the same key. /proc/net text is untrusted: every token is bounded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/array.h"
#include "base/hex.h"
#include "proc/proc.h"
#include "proc/sockets.h"

/* /proc/PID/net files can be large on busy hosts; past this they are cut. */
#define NET_FILE_MAX (64u << 20)

static const char *const kind_names[SOCK_KIND_COUNT] = {
	[SOCK_KIND_TCP] = "tcp",
	[SOCK_KIND_TCP6] = "tcp6",
	[SOCK_KIND_UDP] = "udp",
	[SOCK_KIND_UDP6] = "udp6",
	[SOCK_KIND_UNIX] = "unix",
};

/* The kernel's TCP states (include/net/tcp_states.h), named as gopsutil names them. */
static const char *const tcp_states[][2] = {
	{ "01", "ESTABLISHED" },
	{ "02", "SYN_SENT" },
	{ "03", "SYN_RECV" },
	{ "04", "FIN_WAIT1" },
	{ "05", "FIN_WAIT2" },
	{ "06", "TIME_WAIT" },
	{ "07", "CLOSE" },
	{ "08", "CLOSE_WAIT" },
	{ "09", "LAST_ACK" },
	{ "0A", "LISTEN" },
	{ "0B", "CLOSING" },
};

const char *sock_kind_name(enum sock_kind kind)
{
	return kind >= 0 && kind < SOCK_KIND_COUNT ? kind_names[kind] : "?";
}

struct tok {
	const char *s;
	size_t len;
};

/* Length of the Unicode white space (unicode.IsSpace) encoded at p, or 0. */
static size_t go_space_len(const unsigned char *p, size_t n)
{
	switch (p[0]) {
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case ' ':
		return 1;
	case 0xc2: /* U+0085, U+00A0 */
		return n >= 2 && (p[1] == 0x85 || p[1] == 0xa0) ? 2 : 0;
	case 0xe1: /* U+1680 */
		return n >= 3 && p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	case 0xe2: /* U+2000..U+200A, U+2028, U+2029, U+202F, U+205F */
		if (n < 3)
			return 0;
		if (p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 ||
					    p[2] == 0xa9 || p[2] == 0xaf))
			return 3;
		return p[1] == 0x81 && p[2] == 0x9f ? 3 : 0;
	case 0xe3: /* U+3000 */
		return n >= 3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	}
	return 0;
}

/*
 * strings.Fields on one line: fills up to max tokens, returns how many there
 * are in all. A byte that is not white space can never be inside a white
 * space sequence (those start with lead bytes), so stepping byte by byte
 * splits exactly as Go's rune-by-rune scan does, invalid UTF-8 included.
 */
static size_t go_fields(const char *line, size_t len, struct tok *toks, size_t max)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t i = 0, count = 0;

	while (i < len) {
		size_t start, sp;

		while (i < len && (sp = go_space_len(p + i, len - i)) > 0)
			i += sp;
		if (i >= len)
			break;
		start = i;
		while (i < len && go_space_len(p + i, len - i) == 0)
			i++;
		if (count < max) {
			toks[count].s = line + start;
			toks[count].len = i - start;
		}
		count++;
	}
	return count;
}

static bool tok_eq(const struct tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && memcmp(t->s, s, n) == 0;
}

/*
 * An inode as the fd links spell it (%lu): digits, no leading zero. gopsutil
 * matches inodes as strings, so any other spelling matches nothing.
 */
static bool parse_inode(const struct tok *t, unsigned long long *ino)
{
	unsigned long long v = 0;

	if (t->len == 0 || t->len > 20 || (t->s[0] == '0' && t->len > 1))
		return false;
	for (size_t i = 0; i < t->len; i++) {
		unsigned int d;

		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
		d = (unsigned int)(t->s[i] - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ino = v;
	return true;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

static bool inode_wanted(const struct inode_set *set, const struct tok *t, unsigned long long *ino)
{
	if (!parse_inode(t, ino)) {
		*ino = 0;
		return set == NULL;
	}
	if (!set)
		return true;
	return bsearch(ino, set->v, set->n, sizeof(*set->v), cmp_ull) != NULL;
}

int sock_ip_string(const unsigned char *ip, size_t len, char *buf, size_t buflen)
{
	static const unsigned char v4_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int e0 = -1, e1 = -1;
	size_t w = 0;

	if (len == 4 || (len == 16 && memcmp(ip, v4_prefix, 12) == 0)) {
		const unsigned char *p = ip + len - 4;

		snprintf(buf, buflen, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		return 0;
	}
	if (len != 16) {
		if (buflen)
			buf[0] = '\0';
		return -EINVAL;
	}
	/* The first longest run of zero groups, if it is two groups or more. */
	for (int i = 0; i < 16; i += 2) {
		int j = i;

		while (j < 16 && ip[j] == 0 && ip[j + 1] == 0)
			j += 2;
		if (j > i && j - i > e1 - e0) {
			e0 = i;
			e1 = j;
			i = j;
		}
	}
	if (e1 - e0 <= 2)
		e0 = e1 = -1;
	if (buflen)
		buf[0] = '\0';
	for (int i = 0; i < 16; i += 2) {
		int n;

		if (i == e0) {
			n = snprintf(buf + w, buflen - w, "::");
			w += n > 0 && (size_t)n < buflen - w ? (size_t)n : 0;
			i = e1;
			if (i >= 16)
				break;
		} else if (i > 0) {
			n = snprintf(buf + w, buflen - w, ":");
			w += n > 0 && (size_t)n < buflen - w ? (size_t)n : 0;
		}
		n = snprintf(buf + w, buflen - w, "%x", (unsigned int)(ip[i] << 8 | ip[i + 1]));
		w += n > 0 && (size_t)n < buflen - w ? (size_t)n : 0;
	}
	return 0;
}

/*
 * "HEX:PORT" from /proc/net/tcp*. The kernel prints each 32-bit word of the
 * address with %08X from a native load, so parsing a word as a number and
 * storing it natively gives back the network-order bytes on any host.
 */
static bool decode_address(
	const struct tok *t, size_t iplen, char *ip, size_t iplen_buf, unsigned int *port)
{
	const char *colon = memchr(t->s, ':', t->len);
	unsigned char bytes[16];
	size_t hexlen, plen;
	unsigned long v = 0;

	if (!colon || memchr(colon + 1, ':', t->len - (size_t)(colon - t->s) - 1))
		return false;
	hexlen = (size_t)(colon - t->s);
	plen = t->len - hexlen - 1;
	/* strconv.ParseUint(port, 16, 16) */
	if (plen == 0)
		return false;
	for (size_t i = 0; i < plen; i++) {
		int d = hex_value(colon[1 + i]);

		if (d < 0)
			return false;
		v = v * 16 + (unsigned long)d;
		if (v > 0xffff)
			return false;
	}
	if (hexlen != iplen * 2)
		return false;
	for (size_t w = 0; w < iplen / 4; w++) {
		uint32_t word = 0;

		for (size_t i = 0; i < 8; i++) {
			int d = hex_value(t->s[w * 8 + i]);

			if (d < 0)
				return false;
			word = word << 4 | (uint32_t)d;
		}
		memcpy(bytes + w * 4, &word, 4);
	}
	*port = (unsigned int)v;
	return sock_ip_string(bytes, iplen, ip, iplen_buf) == 0;
}

static int list_push(struct sock_list *l, const struct sock_entry *e)
{
	struct sock_entry *slot = array_push(&l->v, &l->n, &l->cap, sizeof(*l->v));

	if (!slot)
		return -ENOMEM;
	*slot = *e;
	return 0;
}

/* Lines after the first (the header), as Go's bytes.Split(text, "\n")[1:] gives them. */
struct line_iter {
	const char *p, *end;
};

static void line_iter_init(struct line_iter *it, const char *text, size_t len)
{
	const char *nl = text ? memchr(text, '\n', len) : NULL;

	it->p = nl ? nl + 1 : NULL;
	it->end = text ? text + len : NULL;
}

static bool line_next(struct line_iter *it, const char **line, size_t *llen)
{
	const char *nl;

	if (!it->p)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*line = it->p;
	*llen = (size_t)((nl ? nl : it->end) - it->p);
	it->p = nl ? nl + 1 : NULL;
	return true;
}

int sockets_parse_inet(const char *text, size_t len, enum sock_kind kind,
	const struct inode_set *inodes, struct sock_list *out)
{
	bool v6 = kind == SOCK_KIND_TCP6 || kind == SOCK_KIND_UDP6;
	bool stream = kind == SOCK_KIND_TCP || kind == SOCK_KIND_TCP6;
	struct line_iter it;
	const char *line;
	size_t llen;

	if (kind != SOCK_KIND_TCP && kind != SOCK_KIND_TCP6 && kind != SOCK_KIND_UDP &&
		kind != SOCK_KIND_UDP6)
		return -EINVAL;
	line_iter_init(&it, text, len);
	while (line_next(&it, &line, &llen)) {
		struct sock_entry e;
		struct tok t[10];
		int err;

		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode ... */
		if (go_fields(line, llen, t, 10) < 10)
			continue;
		memset(&e, 0, sizeof(e));
		if (!inode_wanted(inodes, &t[9], &e.inode))
			continue;
		e.kind = kind;
		e.type = stream ? SOCK_STREAM : SOCK_DGRAM;
		if (stream) {
			for (size_t i = 0; i < sizeof(tcp_states) / sizeof(tcp_states[0]); i++)
				if (tok_eq(&t[3], tcp_states[i][0]))
					snprintf(e.state, sizeof(e.state), "%s", tcp_states[i][1]);
		} else {
			snprintf(e.state, sizeof(e.state), "NONE");
		}
		if (!decode_address(&t[1], v6 ? 16 : 4, e.local, sizeof(e.local), &e.local_port) ||
			!decode_address(
				&t[2], v6 ? 16 : 4, e.remote, sizeof(e.remote), &e.remote_port))
			continue;
		err = list_push(out, &e);
		if (err)
			return err;
	}
	return 0;
}

/* strconv.ParseInt(s, 10, 32) */
static bool parse_int32(const struct tok *t, int *out)
{
	size_t i = 0;
	bool neg = false;
	long long v = 0;

	if (t->len && (t->s[0] == '-' || t->s[0] == '+')) {
		neg = t->s[0] == '-';
		i++;
	}
	if (i == t->len)
		return false;
	for (; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
		v = v * 10 + (t->s[i] - '0');
		if (v > (long long)INT_MAX + 1)
			return false;
	}
	if (neg)
		v = -v;
	if (v > INT_MAX || v < INT_MIN)
		return false;
	*out = (int)v;
	return true;
}

int sockets_parse_unix(
	const char *text, size_t len, const struct inode_set *inodes, struct sock_list *out)
{
	struct line_iter it;
	const char *line;
	size_t llen;

	line_iter_init(&it, text, len);
	while (line_next(&it, &line, &llen)) {
		struct sock_entry e;
		struct tok t[8];
		size_t n = go_fields(line, llen, t, 8);
		int type, err;

		/* Num RefCount Protocol Flags Type St Inode [Path] */
		if (n < 6)
			continue;
		if (!parse_int32(&t[4], &type))
			return -EINVAL;
		if (n < 7) /* gopsutil would crash here */
			continue;
		memset(&e, 0, sizeof(e));
		if (!inode_wanted(inodes, &t[6], &e.inode))
			continue;
		e.kind = SOCK_KIND_UNIX;
		e.type = type;
		/* A path holding white space splits into more tokens: gopsutil then shows none. */
		if (n == 8) {
			size_t plen = t[7].len < sizeof(e.local) ? t[7].len : sizeof(e.local) - 1;

			memcpy(e.local, t[7].s, plen);
			e.local[plen] = '\0';
		}
		snprintf(e.state, sizeof(e.state), "NONE");
		err = list_push(out, &e);
		if (err)
			return err;
	}
	return 0;
}

static int entry_cmp_key(const struct sock_entry *a, const struct sock_entry *b)
{
	int c;

	/* gopsutil keys on uint32(type) */
	if ((uint32_t)a->type != (uint32_t)b->type)
		return (uint32_t)a->type < (uint32_t)b->type ? -1 : 1;
	if ((c = strcmp(a->local, b->local)) != 0)
		return c;
	if (a->local_port != b->local_port)
		return a->local_port < b->local_port ? -1 : 1;
	if ((c = strcmp(a->remote, b->remote)) != 0)
		return c;
	if (a->remote_port != b->remote_port)
		return a->remote_port < b->remote_port ? -1 : 1;
	return strcmp(a->state, b->state);
}

static int index_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sock_entry *v = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = entry_cmp_key(&v[a], &v[b]);

	if (c)
		return c;
	return (a > b) - (a < b);
}

void sock_list_dedup(struct sock_list *list)
{
	size_t *idx;
	unsigned char *drop;
	size_t w = 0;

	if (list->n < 2)
		return;
	idx = malloc(list->n * sizeof(*idx));
	drop = calloc(list->n, 1);
	if (!idx || !drop) {
		/* Quadratic fallback rather than failing. */
		for (size_t i = 0; i < list->n; i++) {
			bool dup = false;

			for (size_t j = 0; j < w && !dup; j++)
				dup = entry_cmp_key(&list->v[j], &list->v[i]) == 0;
			if (!dup)
				list->v[w++] = list->v[i];
		}
		list->n = w;
		free(idx);
		free(drop);
		return;
	}
	for (size_t i = 0; i < list->n; i++)
		idx[i] = i;
	qsort_r(idx, list->n, sizeof(*idx), index_cmp, list->v);
	/* Within a run of equal keys the first in file order comes first: keep it. */
	for (size_t i = 1; i < list->n; i++)
		if (entry_cmp_key(&list->v[idx[i - 1]], &list->v[idx[i]]) == 0)
			drop[idx[i]] = 1;
	for (size_t i = 0; i < list->n; i++)
		if (!drop[i])
			list->v[w++] = list->v[i];
	list->n = w;
	free(idx);
	free(drop);
}

int sockets_pid_inodes(int pid, struct inode_set *set)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t cap = 0, w = 0;
	DIR *d;

	set->v = NULL;
	set->n = 0;
	snprintf(path, sizeof(path), "%s/%d/fd", proc_root(), pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char link[64];
		struct tok t;
		unsigned long long ino, *slot;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (n < 10 || strncmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
			continue;
		t.s = link + 8;
		t.len = (size_t)n - 9;
		if (!parse_inode(&t, &ino))
			continue;
		slot = array_push(&set->v, &set->n, &cap, sizeof(*set->v));
		if (!slot) {
			closedir(d);
			free(set->v);
			set->v = NULL;
			set->n = 0;
			return -ENOMEM;
		}
		*slot = ino;
	}
	closedir(d);
	if (set->n) {
		qsort(set->v, set->n, sizeof(*set->v), cmp_ull);
		for (size_t i = 0; i < set->n; i++)
			if (i == 0 || set->v[i] != set->v[w - 1])
				set->v[w++] = set->v[i];
		set->n = w;
	}
	return 0;
}

int sockets_for_pid(int pid, struct sock_list *out)
{
	struct inode_set set;
	int err;

	out->v = NULL;
	out->n = out->cap = 0;
	/* No readable socket fds: no sockets, as in gopsutil, even when fd/ is unreadable. */
	if (sockets_pid_inodes(pid, &set) < 0 || set.n == 0) {
		free(set.v);
		return 0;
	}
	for (int k = 0; k < SOCK_KIND_COUNT; k++) {
		char name[32];
		char *buf;
		ssize_t n;

		snprintf(name, sizeof(name), "net/%s", kind_names[k]);
		n = proc_read_file(pid, name, &buf, NET_FILE_MAX);
		if (n < 0) {
			/* No tcp6/udp6: IPv6 is disabled, not an error. */
			if (n == -ENOENT && (k == SOCK_KIND_TCP6 || k == SOCK_KIND_UDP6))
				continue;
			err = (int)n;
			goto cleanup;
		}
		if ((size_t)n == NET_FILE_MAX) {
			/* Cut file: drop the partial last line. */
			char *nl = memrchr(buf, '\n', (size_t)n);

			n = nl ? nl - buf + 1 : 0;
		}
		if (k == SOCK_KIND_UNIX)
			err = sockets_parse_unix(buf, (size_t)n, &set, out);
		else
			err = sockets_parse_inet(buf, (size_t)n, (enum sock_kind)k, &set, out);
		free(buf);
		if (err)
			goto cleanup;
	}
	sock_list_dedup(out);
	err = 0;
cleanup:
	free(set.v);
	if (err)
		sock_list_free(out);
	return err;
}

void sock_list_free(struct sock_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}
