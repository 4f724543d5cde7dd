// SPDX-License-Identifier: MIT
/*
 * Serving the metrics: GET /metrics over HTTP with libevent's evhttp, on a
 * thread of its own, so that no client (an idle one, a slow reader) can hold
 * up the daemon's tracing; evhttp's timeouts close the ones that stall. A
 * second thread re-reads the runtime facts every interval and, with
 * --metrics-textfile, rewrites DIR/gops.prom (temp file, then rename).
 *
 * Why libevent and not libmicrohttpd: gops is one static binary (its start-up
 * is part of every listing), and Debian's libmicrohttpd links GnuTLS, whose
 * static archive needs libp11-kit.a, which Debian does not ship. libevent's
 * evhttp links statically with nothing else.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>

#include "live/metrics_impl.h"

#define CLIENT_TIMEOUT_S 10       /* a request must arrive, and its answer go, within this */
#define MAX_HEADERS_SIZE 8192     /* a scrape's request is a few hundred bytes */
#define TEXTFILE_NAME "gops.prom" /* node_exporter's textfile collector reads *.prom */

int metrics_parse_addr(const char *s, struct sockaddr_storage *sa, socklen_t *len, bool *loopback,
	char *why, size_t whylen)
{
	const char *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 2], *end;
	size_t hlen = colon ? (size_t)(colon - s) : 0;
	long port;

	memset(sa, 0, sizeof(*sa));
	if (!colon || hlen == 0 || hlen >= sizeof(host))
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end || errno || port < 1 || port > 65535)
		goto bad;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (host[0] == '[' && host[hlen - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)sa;

		host[hlen - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
		*loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
		return 0;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)sa;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
		*loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
bad:
	snprintf(why, whylen,
		"want IPV4:PORT or [IPV6]:PORT (127.0.0.1:9979, [::1]:9979), not '%s'", s);
	return -EINVAL;
}

/*
 * evutil's resolver refers to getaddrinfo and getprotobynumber, which a
 * static glibc only has through NSS (the linker warns). We hand evhttp a
 * socket bound to a numeric address and make no client connections, so
 * neither is ever called: the Makefile links gops with --wrap for both, and
 * these stand-ins keep glibc's NSS code out (as for c-ares in agent/target.c).
 */
int __wrap_getaddrinfo(
	const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
struct protoent *__wrap_getprotobynumber(int proto);

int __wrap_getaddrinfo(
	const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

struct protoent *__wrap_getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}

/* Only GET and HEAD: anything else gets 405 with the Allow header, as HTTP says. */
static bool method_allowed(struct evhttp_request *req)
{
	enum evhttp_cmd_type c = evhttp_request_get_command(req);

	if (c == EVHTTP_REQ_GET || c == EVHTTP_REQ_HEAD)
		return true;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
	evhttp_send_error(req, 405, "Method Not Allowed");
	return false;
}

static void on_metrics(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int err;

	if (!method_allowed(req))
		return;
	out = open_memstream(&text, &len);
	err = out ? metrics_write(m, out) : -ENOMEM;

	if (out)
		fclose(out);
	if (err || !text) {
		free(text);
		evhttp_send_error(req, HTTP_INTERNAL, "cannot build the exposition");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
		"text/plain; version=0.0.4; charset=utf-8");
	evbuffer_add(evhttp_request_get_output_buffer(req), text, len);
	free(text);
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

/* Anything but /metrics: a pointer to it at /, 404 elsewhere. */
static void on_other(struct evhttp_request *req, void *arg)
{
	static const char page[] = "<html><head><title>gops daemon</title></head><body>"
				   "<h1>gops daemon</h1><p><a href=\"/metrics\">Metrics</a></p>"
				   "</body></html>\n";
	const char *uri = evhttp_request_get_uri(req);

	(void)arg;
	if (!method_allowed(req))
		return;
	if (strcmp(uri, "/") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, "not found: try /metrics");
		return;
	}
	evhttp_add_header(
		evhttp_request_get_output_headers(req), "Content-Type", "text/html; charset=utf-8");
	evbuffer_add(evhttp_request_get_output_buffer(req), page, sizeof(page) - 1);
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static int listen_on(const struct sockaddr_storage *sa, socklen_t len)
{
	int one = 1;
	int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sa, len) != 0 || listen(fd, 128) != 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int start_server(struct metrics *m, char *why, size_t whylen)
{
	struct sockaddr_storage sa;
	socklen_t len;
	bool loopback;
	int fd, err;

	err = metrics_parse_addr(m->o.addr, &sa, &len, &loopback, why, whylen);
	if (err)
		return err;
	fd = listen_on(&sa, len);
	if (fd < 0) {
		snprintf(why, whylen, "cannot listen on %s: %s", m->o.addr, strerror(-fd));
		return fd;
	}
	evthread_use_pthreads(); /* event_base_loopbreak comes from the daemon's thread */
	m->base = event_base_new();
	m->http = m->base ? evhttp_new(m->base) : NULL;
	if (!m->http || evhttp_accept_socket(m->http, fd) != 0) {
		close(fd);
		snprintf(why, whylen, "cannot start the HTTP server");
		return -ENOMEM;
	}
	evhttp_set_timeout(m->http, CLIENT_TIMEOUT_S);
	evhttp_set_max_headers_size(m->http, MAX_HEADERS_SIZE);
	evhttp_set_max_body_size(m->http, MAX_HEADERS_SIZE); /* a POST gets 405, not 413 */
	/* method_allowed answers the others with 405 (evhttp's own refusal is a 501) */
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
						    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
						    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_cb(m->http, "/metrics", on_metrics, m);
	evhttp_set_gencb(m->http, on_other, m);
	fprintf(stderr, "gops daemon: metrics on http://%s/metrics%s\n", m->o.addr,
		loopback ? "" : " (not a loopback address: reachable from the network)");
	return 0;
}

static void *serve(void *arg)
{
	struct metrics *m = arg;

	event_base_dispatch(m->base);
	return NULL;
}

int metrics_write_textfile(struct metrics *m, const char *dir)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	FILE *out;
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/%s", dir, TEXTFILE_NAME) >= (int)sizeof(path) ||
		snprintf(tmp, sizeof(tmp), "%s/.%s.%d.tmp", dir, TEXTFILE_NAME, getpid()) >=
			(int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	out = fdopen(fd, "w");
	if (!out) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	err = metrics_write(m, out);
	if (fclose(out) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* Sleeps up to s seconds, or until metrics_stop wakes it. */
static void nap(struct metrics *m, unsigned int s)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += s;
	pthread_mutex_lock(&m->wake_mu);
	while (!metrics_stopping(m) &&
		pthread_cond_timedwait(&m->wake, &m->wake_mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&m->wake_mu);
}

static void *refresh_loop(void *arg)
{
	struct metrics *m = arg;
	int last_err = 0;

	while (!metrics_stopping(m)) {
		metrics_refresh(m);
		if (m->o.textfile_dir) {
			int err = metrics_write_textfile(m, m->o.textfile_dir);

			if (err && err != last_err)
				fprintf(stderr, "gops daemon: cannot write %s/%s: %s\n",
					m->o.textfile_dir, TEXTFILE_NAME, strerror(-err));
			last_err = err;
		}
		nap(m, m->o.interval_s);
	}
	return NULL;
}

static int init_sync(struct metrics *m)
{
	pthread_condattr_t ca;

	if (pthread_mutex_init(&m->mu, NULL) || pthread_mutex_init(&m->wake_mu, NULL))
		return -ENOMEM;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_cond_init(&m->wake, &ca)) {
		pthread_condattr_destroy(&ca);
		return -ENOMEM;
	}
	pthread_condattr_destroy(&ca);
	return 0;
}

int metrics_open(struct metrics **out, const struct metrics_opts *o)
{
	struct metrics *m = calloc(1, sizeof(*m));
	char why[256] = "";
	int err;

	*out = NULL;
	if (!m || init_sync(m) != 0) {
		free(m);
		fprintf(stderr, "gops: cannot start the metrics: out of memory\n");
		return -ENOMEM;
	}
	m->o = *o;
	if (!m->o.interval_s)
		m->o.interval_s = METRICS_DEFAULT_INTERVAL;
	atomic_init(&m->stopping, false);
	err = o->addr ? start_server(m, why, sizeof(why)) : 0;
	if (err) {
		fprintf(stderr, "gops: cannot serve metrics: %s\n", why);
		metrics_stop(m);
		return err;
	}
	*out = m;
	return 0;
}

int metrics_run(struct metrics *m)
{
	int err = 0;

	if (m->o.addr) {
		err = -pthread_create(&m->server, NULL, serve, m);
		m->have_server = err == 0;
	}
	if (!err) {
		err = -pthread_create(&m->refresher, NULL, refresh_loop, m);
		m->have_refresher = err == 0;
	}
	if (err)
		fprintf(stderr, "gops: cannot start the metrics threads: %s\n", strerror(-err));
	return err;
}

void metrics_stop(struct metrics *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->wake_mu);
	atomic_store(&m->stopping, true);
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->wake_mu);
	if (m->have_server)
		event_base_loopbreak(m->base);
	if (m->have_server)
		pthread_join(m->server, NULL);
	if (m->have_refresher)
		pthread_join(m->refresher, NULL);
	if (m->http)
		evhttp_free(m->http);
	if (m->base)
		event_base_free(m->base);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->wake_mu);
	pthread_mutex_destroy(&m->mu);
	free(m->lc);
	free(m->f);
	free(m);
}
