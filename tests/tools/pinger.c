// SPDX-License-Identifier: MIT
/*
 * pinger PORT SECONDS: sends a UDP datagram to 127.0.0.1:PORT every
 * millisecond for SECONDS seconds (or until SIGINT), waits for each echo (at most 1 s), and
 * prints "p50 p99 max lost" of the round trips in microseconds. The
 * benchmark of the agentless goroutine dump uses it to see whether a target
 * that answers every millisecond slows down while it is read.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static volatile sig_atomic_t stop;

static void on_int(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	long long *rtt, end;
	size_t n = 0, max, lost = 0;
	int fd;

	if (argc != 3 || atoi(argv[1]) <= 0 || atof(argv[2]) <= 0) {
		fprintf(stderr, "usage: pinger PORT SECONDS\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)atoi(argv[1]));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	max = (size_t)(atof(argv[2]) * 1000) + 1;
	rtt = calloc(max, sizeof(*rtt));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!rtt || fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		perror("pinger");
		return 1;
	}
	signal(SIGINT, on_int);
	end = now_us() + (long long)(atof(argv[2]) * 1e6);
	while (!stop && n + lost < max && now_us() < end) {
		long long t0 = now_us(), seq = (long long)(n + lost), got = -1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec gap;

		if (send(fd, &seq, sizeof(seq), 0) != sizeof(seq)) {
			perror("pinger: send");
			return 1;
		}
		while (got != seq && poll(&p, 1, 1000) == 1)
			if (recv(fd, &got, sizeof(got), 0) != sizeof(got))
				got = -1;
		if (got != seq) {
			if (stop)
				break;
			lost++;
			continue;
		}
		rtt[n++] = now_us() - t0;
		gap = (struct timespec){ 0, 1000000 - (now_us() - t0) * 1000 };
		if (gap.tv_nsec > 0)
			nanosleep(&gap, NULL);
	}
	if (n == 0) {
		printf("0 0 0 %zu\n", lost);
		return 1;
	}
	qsort(rtt, n, sizeof(*rtt), cmp);
	printf("%lld %lld %lld %zu\n", rtt[n / 2], rtt[(n * 99) / 100], rtt[n - 1], lost);
	return 0;
}
