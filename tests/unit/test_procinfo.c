// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "proc/proc.h"
#include "proc/procinfo.h"

/* From test_sockets.c: a child with TCP (127.0.0.1, ::1), UDP and unix listeners. */
struct sock_child {
	pid_t pid;
	unsigned int port4, port6, portu;
	char path[108];
};
int sock_child_start(struct sock_child *c);
void sock_child_stop(struct sock_child *c);

static const char *etime(long long ns)
{
	static char buf[64];

	procinfo_format_etime(ns, buf, sizeof(buf));
	return buf;
}

TEST(test_procinfo_etime_formats_like_ps)
{
	const long long s = 1000000000LL;

	/* Expected strings from gops' fmtEtimeDuration run under Go 1.19. */
	CHECK_STR(etime(0), "00:00");
	CHECK_STR(etime(s / 2), "00:00");
	CHECK_STR(etime(59 * s + 499000000), "00:59");
	CHECK_STR(etime(59 * s + 500000000), "00:60"); /* gops rounds, it does not carry */
	CHECK_STR(etime(59 * s + 600000000), "00:60");
	CHECK_STR(etime(3 * s / 2), "00:02");
	CHECK_STR(etime(5 * s / 2), "00:02"); /* half to even */
	CHECK_STR(etime(312 * s), "05:12");
	CHECK_STR(etime(3600 * s), "01:00:00");
	CHECK_STR(etime(90061 * s), "01-01:01:01");
	CHECK_STR(etime(8640003 * s), "100-00:00:03");
	CHECK_STR(etime(-5 * s), "00:-5");
}

static char *text_of(const struct procinfo *pi, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (json)
		procinfo_write_json(pi, f);
	else
		procinfo_write_text(pi, f);
	fclose(f);
	return buf;
}

static void fill_sample(struct procinfo *pi, struct sock_entry *socks)
{
	static char cmdline[] = "/usr/bin/app\0--flag\0\0two words\0";

	memset(pi, 0, sizeof(*pi));
	pi->pid = 4242;
	pi->has_ppid = true;
	pi->ppid = 1;
	pi->parent_alive = true;
	pi->has_threads = true;
	pi->threads = 12;
	pi->has_mem = true;
	pi->mem_percent = 100 * (float)123456789ULL / (float)(16318084ULL * 1024);
	pi->has_cpu = true;
	pi->cpu_percent = 1.23456;
	pi->period_ns = 1500000000LL;
	pi->has_cpu_period = true;
	pi->cpu_period_percent = 0.0005;
	pi->has_username = true;
	strcpy(pi->username, "root");
	pi->has_cmdline = true;
	pi->cmdline = cmdline;
	pi->cmdline_len = sizeof(cmdline) - 1;
	pi->has_start = true;
	pi->start_time = 1700000000;
	pi->elapsed_ns = 312 * 1000000000LL;
	pi->has_sockets = true;
	memset(socks, 0, 3 * sizeof(*socks));
	socks[0] = (struct sock_entry){ .kind = SOCK_KIND_TCP,
		.local = "127.0.0.1",
		.local_port = 8080,
		.remote = "0.0.0.0",
		.state = "LISTEN" };
	socks[1] = (struct sock_entry){ .kind = SOCK_KIND_TCP6,
		.local = "::1",
		.local_port = 9,
		.remote = "::",
		.state = "LISTEN" };
	socks[2] = (struct sock_entry){
		.kind = SOCK_KIND_UNIX, .local = "/run/x.sock", .state = "NONE"
	};
	pi->sockets.v = socks;
	pi->sockets.n = 3;
}

TEST(test_procinfo_text_is_byte_for_byte_gops)
{
	struct procinfo pi;
	struct sock_entry socks[3];
	char *out;

	fill_sample(&pi, socks);
	out = text_of(&pi, false);
	CHECK_STR(out, "parent PID:\t1\n"
		       "threads:\t12\n"
		       "memory usage:\t0.739%\n" /* Go: 100*float32(used)/float32(total) */
		       "cpu usage:\t1.235%\n"
		       "cpu usage (1.5s):\t0.001%\n"
		       "username:\troot\n"
		       "cmd+args:\t/usr/bin/app --flag two words\n"
		       "elapsed time:\t05:12\n"
		       "local/remote:\t127.0.0.1:8080 <-> 0.0.0.0:0 (LISTEN)\n"
		       "local/remote:\t::1:9 <-> :::0 (LISTEN)\n"
		       "local/remote:\t/run/x.sock:0 <-> :0 (NONE)\n");
	free(out);
}

TEST(test_procinfo_text_leaves_out_what_is_missing)
{
	struct procinfo pi;
	struct sock_entry socks[3];
	char *out;

	fill_sample(&pi, socks);
	pi.parent_alive = false; /* ppid 0, or a parent gone */
	pi.has_mem = false;
	pi.period_ns = 0;
	pi.has_username = false;
	pi.cmdline_len = 0; /* kernel thread: an empty line, as gops prints it */
	pi.has_sockets = false;
	out = text_of(&pi, false);
	CHECK_STR(out, "threads:\t12\n"
		       "cpu usage:\t1.235%\n"
		       "cmd+args:\t\n"
		       "elapsed time:\t05:12\n");
	free(out);
}

/* Namespaces unknown, in no container. */
#define NOID_JSON                                                                                  \
	",\"pid_ns\":0,\"mnt_ns\":0,\"net_ns\":0,\"container_id\":null,"                           \
	"\"container_runtime\":null,\"pod_uid\":null"

TEST(test_procinfo_text_names_namespace_pid_and_container_when_not_ours)
{
	struct procinfo pi;
	struct sock_entry socks[3];
	char *out;

	fill_sample(&pi, socks);
	pi.period_ns = 0;
	pi.has_sockets = false;
	pi.has_cmdline = false;
	pi.other_pidns = true;
	pi.nspid = 1;
	pi.ctr.runtime = CONTAINER_CONTAINERD;
	snprintf(pi.ctr.id, sizeof(pi.ctr.id), "%s",
		"85da284f65317c4436acf4cc93f3537761c48a979039af8b4e5342de74ed945f");
	snprintf(pi.ctr.pod_uid, sizeof(pi.ctr.pod_uid), "%s",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	out = text_of(&pi, false);
	CHECK(strstr(out,
		      "parent PID:\t1\nnamespace PID:\t1\ncontainer:\t"
		      "85da284f65317c4436acf4cc93f3537761c48a979039af8b4e5342de74ed945f "
		      "(containerd, pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)\nthreads:\t12\n") !=
		NULL);
	free(out);
	/* Our own pid namespace and no container: neither line. */
	fill_sample(&pi, socks);
	pi.nspid = 4242;
	out = text_of(&pi, false);
	CHECK(strstr(out, "namespace PID:") == NULL);
	CHECK(strstr(out, "container:") == NULL);
	free(out);
}

TEST(test_procinfo_json_object)
{
	struct procinfo pi;
	struct sock_entry socks[3];
	char *out;

	fill_sample(&pi, socks);
	pi.sockets.n = 1;
	out = text_of(&pi, true);
	CHECK_STR(out, "{\"pid\":4242,\"ppid\":1,\"threads\":12,\"nspid\":4242" NOID_JSON
		       ",\"memory_percent\":0.739,"
		       "\"cpu_percent\":1.235,\"cpu_percent_period\":0.001,\"period\":\"1.5s\","
		       "\"username\":\"root\","
		       "\"cmdline\":[\"/usr/bin/app\",\"--flag\",\"\",\"two words\"],"
		       "\"elapsed\":\"05:12\",\"start_time\":1700000000,"
		       "\"sockets\":[{\"kind\":\"tcp\",\"local\":\"127.0.0.1\",\"local_port\":8080,"
		       "\"remote\":\"0.0.0.0\",\"remote_port\":0,\"state\":\"LISTEN\"}]}\n");
	free(out);

	memset(&pi, 0, sizeof(pi));
	pi.pid = 7;
	pi.has_cmdline = true; /* empty cmdline */
	pi.cmdline = (char *)"";
	out = text_of(&pi, true);
	CHECK_STR(out, "{\"pid\":7,\"nspid\":7" NOID_JSON ",\"cmdline\":[]}\n");
	free(out);
}

TEST(test_procinfo_nonexistent_pid_is_enoent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	/* A reaped child is gone (its pid is not reused this fast). */
	CHECK_INT(procinfo_print(pid, 0, false, f), -ENOENT);
	CHECK_INT(procinfo_print(INT_MAX, 0, false, f), -ENOENT);
	CHECK_INT(procinfo_print(0, 0, true, f), -ENOENT);
	CHECK_INT(procinfo_print(-1, 0, false, f), -ENOENT);
	fclose(f);
	CHECK_INT(len, 0);
	free(buf);
}

static long status_threads(int pid)
{
	struct proc_status st;

	if (proc_read_status(pid, &st) < 0 || !st.has_threads)
		return -1;
	return st.threads;
}

TEST(test_procinfo_threads_equal_proc_status)
{
	struct procinfo pi;

	CHECK_INT(procinfo_collect(getpid(), 0, &pi), 0);
	CHECK(pi.has_threads);
	CHECK_INT(pi.threads, status_threads(getpid()));
	CHECK(pi.has_ppid);
	CHECK_INT(pi.ppid, getppid());
	CHECK(pi.has_cpu && pi.cpu_percent >= 0);
	CHECK(pi.has_mem && pi.mem_percent > 0 && pi.mem_percent < 100);
	CHECK(pi.has_username);
	CHECK(pi.has_start);
	procinfo_free(&pi);
}

/* The lines of out, in order, must start with these labels. */
static void check_labels(const char *out, const char *const *labels, size_t n)
{
	const char *p = out;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(p, labels[i], strlen(labels[i])) != 0) {
			harness_fail(__FILE__, __LINE__, "line %zu: expected \"%s\" in:\n%s", i,
				labels[i], out);
			return;
		}
		p = strchr(p, '\n');
		if (!p) {
			harness_fail(__FILE__, __LINE__, "output ends early:\n%s", out);
			return;
		}
		p++;
	}
	if (*p)
		harness_fail(__FILE__, __LINE__, "extra output after line %zu:\n%s", n, out);
}

TEST(test_procinfo_live_child_with_sockets)
{
	struct sock_child c;
	char *out = NULL, want[512];
	size_t len = 0;
	FILE *f;
	static const char *const labels[] = { "parent PID:\t", "threads:\t1\n", "memory usage:\t",
		"cpu usage:\t", "cpu usage (100ms):\t", "username:\troot\n", "cmd+args:\t",
		"elapsed time:\t00:0", "local/remote:\t127.0.0.1:", "local/remote:\t::1:",
		"local/remote:\t127.0.0.1:", "local/remote:\t/tmp/" };

	if (sock_child_start(&c) < 0) {
		harness_fail(__FILE__, __LINE__, "could not start the socket child");
		return;
	}
	f = open_memstream(&out, &len);
	CHECK_INT(procinfo_print(c.pid, 100000000LL, false, f), 0);
	fclose(f);
	check_labels(out, labels, sizeof(labels) / sizeof(labels[0]));
	snprintf(want, sizeof(want), "parent PID:\t%d\n", (int)getpid());
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "local/remote:\t127.0.0.1:%u <-> 0.0.0.0:0 (LISTEN)\n",
		c.port4);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "local/remote:\t::1:%u <-> :::0 (LISTEN)\n", c.port6);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "local/remote:\t127.0.0.1:%u <-> 0.0.0.0:0 (NONE)\n", c.portu);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "local/remote:\t%s:0 <-> :0 (NONE)\n", c.path);
	CHECK(strstr(out, want) != NULL);
	free(out);

	out = NULL;
	f = open_memstream(&out, &len);
	CHECK_INT(procinfo_print(c.pid, 0, true, f), 0);
	fclose(f);
	snprintf(want, sizeof(want), "{\"pid\":%d,\"ppid\":%d,\"threads\":1,", (int)c.pid,
		(int)getpid());
	CHECK(strncmp(out, want, strlen(want)) == 0);
	snprintf(want, sizeof(want),
		"{\"kind\":\"tcp6\",\"local\":\"::1\",\"local_port\":%u,\"remote\":\"::\","
		"\"remote_port\":0,\"state\":\"LISTEN\"}",
		c.port6);
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "\"period\"") == NULL);
	CHECK(len >= 2 && strcmp(out + len - 2, "}\n") == 0);
	free(out);
	sock_child_stop(&c);
}

TEST(test_procinfo_cmdline_drops_empty_args_like_gops)
{
	int pfd[2];
	pid_t pid;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	CHECK(pipe(pfd) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[0], 0);
		close(pfd[1]);
		execl("/bin/sh", "sh", "-c", "read x", "", "arg two", (char *)NULL);
		_exit(127);
	}
	close(pfd[0]);
	/* Wait for the exec to show in cmdline (the fork first shows ours). */
	for (int i = 0; i < 200; i++) {
		char *cmd;
		ssize_t n = proc_read_file(pid, "cmdline", &cmd, 4096);
		bool execed = n >= 3 && memcmp(cmd, "sh\0", 3) == 0;

		free(cmd);
		if (execed)
			break;
		usleep(10000);
	}
	f = open_memstream(&out, &len);
	CHECK_INT(procinfo_print(pid, 0, false, f), 0);
	fclose(f);
	CHECK(strstr(out, "\ncmd+args:\tsh -c read x arg two\n") != NULL);
	free(out);

	out = NULL;
	f = open_memstream(&out, &len);
	CHECK_INT(procinfo_print(pid, 0, true, f), 0);
	fclose(f);
	CHECK(strstr(out, "\"cmdline\":[\"sh\",\"-c\",\"read x\",\"\",\"arg two\"]") != NULL);
	free(out);
	close(pfd[1]);
	waitpid(pid, NULL, 0);
}

TEST(test_procinfo_period_measures_a_busy_child)
{
	struct procinfo pi;
	pid_t pid = fork();

	if (pid < 0) {
		harness_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		volatile unsigned long x = 0;

		for (;;)
			x++;
	}
	CHECK_INT(procinfo_collect(pid, 300000000LL, &pi), 0);
	CHECK(pi.has_cpu_period);
	/* A spinning process uses about one CPU; allow for a loaded machine. */
	CHECK(pi.cpu_period_percent > 20 && pi.cpu_period_percent < 110);
	procinfo_free(&pi);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(test_procinfo_parsers_of_proc_files)
{
	struct proc_status st;
	unsigned long long v;
	const char *status =
		"Name:\tx\nThreads:\t7\nUid:\t1000\t1001\t1002\t1003\nGid:\t0\t0\t0\t0\n";
	const char *stat = "123 (a b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 "
			   "22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 99 40 41 42 43\n";
	struct proc_stat ps;

	CHECK_INT(proc_parse_status(status, strlen(status), &st), 0);
	CHECK(st.has_threads);
	CHECK_INT(st.threads, 7);
	CHECK(st.has_uid);
	CHECK_INT(st.uid[0], 1000);
	CHECK_INT(st.uid[3], 1003);
	CHECK_INT(proc_parse_status("Threads:\tx\nUid:\t1\n", 18, &st), 0);
	CHECK(!st.has_threads);
	CHECK(!st.has_uid);

	CHECK_INT(proc_parse_statm_rss("1000 250 30 4 0 60 0\n", 21, &v), 0);
	CHECK_INT(v, 250);
	CHECK_INT(proc_parse_statm_rss("1000", 4, &v), -EINVAL);
	CHECK_INT(proc_parse_statm_rss("1000 x", 6, &v), -EINVAL);
	CHECK_INT(proc_parse_statm_rss("1000 25x", 8, &v), -EINVAL);

	CHECK_INT(proc_parse_meminfo_total("MemFree: 1 kB\nMemTotal:       2048 kB\n", 37, &v), 0);
	CHECK_INT(v, 2048 * 1024);
	CHECK_INT(proc_parse_meminfo_total("MemFree: 1 kB\n", 14, &v), -EINVAL);

	CHECK_INT(proc_parse_btime("cpu 1 2\nbtime 1700000000\nprocesses 5\n", 37, &v), 0);
	CHECK_INT(v, 1700000000);
	CHECK_INT(proc_parse_btime("cpu 1 2\nbtimex 5\n", 17, &v), -EINVAL);

	CHECK_INT(proc_parse_stat(stat, strlen(stat), &ps), 0);
	CHECK_STR(ps.comm, "a b) c");
	CHECK_INT(ps.blkio_ticks, 99);
	CHECK_INT(ps.starttime, 19);
}

TEST(test_procinfo_username_of_root_and_unknown_uid)
{
	char name[64];

	CHECK_INT(proc_username(0, name, sizeof(name)), 0);
	CHECK_STR(name, "root");
	CHECK_INT(proc_username(3999999999u, name, sizeof(name)), -ENOENT);
}

TEST(test_proc_pid_name_takes_plain_decimal_pids_only)
{
	CHECK_INT(proc_pid_name("1"), 1);
	CHECK_INT(proc_pid_name("4194304"), 4194304);
	CHECK_INT(proc_pid_name("2147483647"), 2147483647);
	CHECK_INT(proc_pid_name("2147483648"), -1);
	CHECK_INT(proc_pid_name("99999999999999999999"), -1);
	CHECK_INT(proc_pid_name("0"), -1);
	CHECK_INT(proc_pid_name("012"), -1);
	CHECK_INT(proc_pid_name("+12"), -1);
	CHECK_INT(proc_pid_name("-12"), -1);
	CHECK_INT(proc_pid_name(" 12"), -1);
	CHECK_INT(proc_pid_name("12a"), -1);
	CHECK_INT(proc_pid_name("self"), -1);
	CHECK_INT(proc_pid_name(""), -1);
}

/* The kernel writes a comm in /proc/PID/status with \n and \\ escaped, nothing else. */
TEST(test_proc_unescape_name_undoes_the_kernels_escapes_only)
{
	char out[64];

	proc_unescape_name("x\\n1 1 forged", out, sizeof(out));
	CHECK_STR(out, "x\n1 1 forged");
	proc_unescape_name("back\\\\slash", out, sizeof(out));
	CHECK_STR(out, "back\\slash");
	proc_unescape_name("\\t\\x1b\\", out, sizeof(out)); /* not the kernel's: left alone */
	CHECK_STR(out, "\\t\\x1b\\");
	proc_unescape_name("abcdef", out, 4);
	CHECK_STR(out, "abc");
}
