// SPDX-License-Identifier: MIT
/*
 * Container identity (proc/container.c): /proc/PID/cgroup texts as runtimes
 * and hosts write them, cgroup v1 only, v2 only and hybrid; hostile text; and
 * the readers against our own process and a fake proc root
 * (BASE/<pid>/cgroup and BASE/<pid>/ns/, with $GOPS_PROC_ROOT naming BASE).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakeproc.h"
#include "harness.h"
#include "proc/container.h"
#include "proc/proc.h"

/* The id podman gave a container on the machine these tests were written on. */
#define ID_PODMAN "3ff17f3665682a99a2436506c408f4407b8d5c071bcb99d4cffffc686242bd78"
#define ID_A "674662ae685a00c499e83a7de57e02a91ae1193b55b0fd23ce9892035983a0b3"
#define ID_B "b8accb5b968f1a86d7306ed968542fbaebdcb3163918146632c85ac056a1eed0"
#define ID_C "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "a8a1e5b5-2c4e-4a55-9b0e-6b3f7a6f2d11"
#define UID_SYSTEMD "a8a1e5b5_2c4e_4a55_9b0e_6b3f7a6f2d11" /* as systemd slice names hold it */

/* Fake pids: above any pid_max, so that no real process is ever meant. */
#define PID_CTR 4200101
#define PID_HOST 4200102
#define PID_BAD 4200103
#define PID_NONS 4200104
#define PID_GONE 4200199

/*
 * Parses exactly len bytes of a heap copy that has no NUL after them, so that
 * ASan stops any read past len. out is filled with junk first: the parser
 * must set all of it.
 */
static int parse_n(const char *text, size_t len, struct container_info *out)
{
	char *copy = malloc(len ? len : 1);
	int r;

	if (!copy)
		abort();
	memcpy(copy, text, len);
	memset(out, 0xa5, sizeof(*out));
	r = container_from_cgroup(copy, len, out);
	free(copy);
	return r;
}

static bool terminated(const struct container_info *c)
{
	return memchr(c->id, '\0', sizeof(c->id)) && memchr(c->pod_uid, '\0', sizeof(c->pod_uid));
}

#define EXPECT(text, rt, id, uid) expect(__LINE__, text, strlen(text), rt, id, uid)
#define EXPECT_N(text, len, rt, id, uid) expect(__LINE__, text, len, rt, id, uid)
#define EXPECT_NONE(text) expect(__LINE__, text, strlen(text), CONTAINER_NONE, "", "")
#define EXPECT_NONE_N(text, len) expect(__LINE__, text, len, CONTAINER_NONE, "", "")

static void expect(int line, const char *text, size_t len, enum container_runtime rt,
	const char *id, const char *uid)
{
	static const struct container_info zero;
	struct container_info c;
	int r = parse_n(text, len, &c);

	if (!terminated(&c)) {
		harness_fail(__FILE__, line, "id or pod_uid not NUL-terminated");
		return;
	}
	if (r != (rt != CONTAINER_NONE) || c.runtime != rt || strcmp(c.id, id) != 0 ||
		strcmp(c.pod_uid, uid) != 0)
		harness_fail(__FILE__, line,
			"got %d runtime '%s' id '%s' pod '%s', expected '%s' '%s' '%s'", r,
			container_runtime_name(c.runtime), c.id, c.pod_uid,
			container_runtime_name(rt), id, uid);
	if (rt == CONTAINER_NONE && memcmp(&c, &zero, sizeof(c)) != 0)
		harness_fail(__FILE__, line, "no container, but out is not all zero");
}

TEST(test_container_runtime_names)
{
	CHECK_STR(container_runtime_name(CONTAINER_NONE), "");
	CHECK_STR(container_runtime_name(CONTAINER_DOCKER), "docker");
	CHECK_STR(container_runtime_name(CONTAINER_CONTAINERD), "containerd");
	CHECK_STR(container_runtime_name(CONTAINER_CRIO), "cri-o");
	CHECK_STR(container_runtime_name(CONTAINER_PODMAN), "podman");
	CHECK_STR(container_runtime_name((enum container_runtime)99), "");
	CHECK_STR(container_runtime_name((enum container_runtime) - 1), "");
}

TEST(test_container_docker_cgroupfs_v1_host_falls_back_from_the_v2_line)
{
	/* Docker 20.10 on Ubuntu 20.04: v1 controllers, the unified line names containerd's unit.
	 */
	EXPECT("12:hugetlb:/docker/" ID_A "\n"
	       "11:freezer:/docker/" ID_A "\n"
	       "10:perf_event:/docker/" ID_A "\n"
	       "9:devices:/docker/" ID_A "\n"
	       "8:cpu,cpuacct:/docker/" ID_A "\n"
	       "7:net_cls,net_prio:/docker/" ID_A "\n"
	       "6:memory:/docker/" ID_A "\n"
	       "5:blkio:/docker/" ID_A "\n"
	       "4:pids:/docker/" ID_A "\n"
	       "3:rdma:/\n"
	       "2:cpuset:/docker/" ID_A "\n"
	       "1:name=systemd:/docker/" ID_A "\n"
	       "0::/system.slice/containerd.service\n",
		CONTAINER_DOCKER, ID_A, "");
	/* Only name=systemd names it (the other hierarchies not mounted in). */
	EXPECT("2:cpu:/\n1:name=systemd:/docker/" ID_A "\n", CONTAINER_DOCKER, ID_A, "");
}

TEST(test_container_docker_v2_cgroupfs_and_systemd_drivers)
{
	EXPECT("0::/docker/" ID_A "\n", CONTAINER_DOCKER, ID_A, "");
	EXPECT("0::/system.slice/docker-" ID_A ".scope\n", CONTAINER_DOCKER, ID_A, "");
	/* Hybrid systemd host: both lines name it. */
	EXPECT("1:name=systemd:/system.slice/docker-" ID_A ".scope\n"
	       "0::/system.slice/docker-" ID_A ".scope\n",
		CONTAINER_DOCKER, ID_A, "");
	/* Docker in Docker: the inner container is the one the process is in. */
	EXPECT("0::/docker/" ID_A "/docker/" ID_B "\n", CONTAINER_DOCKER, ID_B, "");
	/* A bare id anywhere but under docker/ or a pod is nobody's. */
	EXPECT_NONE("0::/system.slice/" ID_A "\n");
	EXPECT_NONE("0::/" ID_A "\n");
	EXPECT_NONE("0::/dockers/" ID_A "\n");
}

TEST(test_container_docker_rootless_under_a_user_slice)
{
	EXPECT("0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" ID_A
	       ".scope\n",
		CONTAINER_DOCKER, ID_A, "");
	EXPECT("0::/user.slice/user-1000.slice/user@1000.service/docker-" ID_A ".scope\n",
		CONTAINER_DOCKER, ID_A, "");
}

TEST(test_container_kubepods_cgroupfs_driver_qos_classes)
{
	/* kubeadm, containerd with the cgroupfs driver, cgroup v1 (hybrid: the v2 line is /). */
	EXPECT("12:pids:/kubepods/burstable/pod" UID "/" ID_A "\n"
	       "11:memory:/kubepods/burstable/pod" UID "/" ID_A "\n"
	       "10:cpu,cpuacct:/kubepods/burstable/pod" UID "/" ID_A "\n"
	       "1:name=systemd:/kubepods/burstable/pod" UID "/" ID_A "\n"
	       "0::/\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("0::/kubepods/besteffort/pod" UID "/" ID_A "\n", CONTAINER_CONTAINERD, ID_A, UID);
	/* Guaranteed pods sit right under kubepods. */
	EXPECT("0::/kubepods/pod" UID "/" ID_A "\n", CONTAINER_CONTAINERD, ID_A, UID);
	/* The same layout under Docker (dockershim): a bare id is taken as containerd. */
	EXPECT("4:memory:/kubepods/burstable/pod" UID "/" ID_B "\n", CONTAINER_CONTAINERD, ID_B,
		UID);
	EXPECT("0::/kubepods/burstable/pod" UID "/docker-" ID_B "\n", CONTAINER_DOCKER, ID_B, UID);
	EXPECT("0::/kubepods/besteffort/pod" UID "/crio-" ID_C "\n", CONTAINER_CRIO, ID_C, UID);
}

TEST(test_container_kubepods_systemd_driver)
{
	EXPECT("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_SYSTEMD
	       ".slice/cri-containerd-" ID_A ".scope\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_SYSTEMD
	       ".slice/cri-containerd-" ID_A ".scope\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("0::/kubepods.slice/kubepods-pod" UID_SYSTEMD ".slice/cri-containerd-" ID_A
	       ".scope\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_SYSTEMD
	       ".slice/crio-" ID_B ".scope\n",
		CONTAINER_CRIO, ID_B, UID);
	EXPECT("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_SYSTEMD
	       ".slice/docker-" ID_C ".scope\n",
		CONTAINER_DOCKER, ID_C, UID);
	/* Hybrid host, v1 only (the v2 line is the kubelet's own). */
	EXPECT("11:memory:/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod" UID_SYSTEMD ".slice/crio-" ID_B ".scope\n"
	       "1:name=systemd:/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod" UID_SYSTEMD ".slice/crio-" ID_B ".scope\n"
	       "0::/system.slice/kubelet.service\n",
		CONTAINER_CRIO, ID_B, UID);
}

TEST(test_container_crio_conmon_is_not_a_container)
{
	EXPECT_NONE("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_SYSTEMD
		    ".slice/crio-conmon-" ID_B ".scope\n");
}

TEST(test_container_cri_containerd_colon_form)
{
	/* containerd with SystemdCgroup = false under a kubelet with the systemd driver. */
	EXPECT("0::/system.slice/containerd.service/kubepods-besteffort-pod" UID_SYSTEMD
	       ".slice:cri-containerd:" ID_A "\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("1:name=systemd:/system.slice/containerd.service/kubepods-burstable-pod" UID_SYSTEMD
	       ".slice:cri-containerd:" ID_A "\n"
	       "0::/\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	EXPECT("0::/system.slice/crio.service/kubepods-pod" UID_SYSTEMD ".slice:crio:" ID_B "\n",
		CONTAINER_CRIO, ID_B, UID);
	/* Without a pod slice it is still the container; with an unknown prefix it is not. */
	EXPECT("0::/system.slice/containerd.service/x.slice:cri-containerd:" ID_A "\n",
		CONTAINER_CONTAINERD, ID_A, "");
	EXPECT_NONE("0::/system.slice/containerd.service/kubepods-besteffort-pod" UID_SYSTEMD
		    ".slice:runc:" ID_A "\n");
	EXPECT_NONE(
		"0::/system.slice/containerd.service/kubepods.slice:cri-containerd:" ID_A "x\n");
	EXPECT_NONE("0::/system.slice/containerd.service/:" ID_A "\n");
	EXPECT_NONE("0::/system.slice/containerd.service/::\n");
	EXPECT_NONE("0::/a/:cri-containerd:\n");
}

TEST(test_container_podman_layouts)
{
	/* What podman 4.3 with --cgroup-manager=cgroupfs wrote on a hybrid host. */
	EXPECT("9:name=systemd:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "8:pids:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "7:blkio:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "6:freezer:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "5:devices:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "4:memory:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "3:cpuset:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "2:cpuacct:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "1:cpu:/libpod_parent/libpod-" ID_PODMAN "\n"
	       "0::/libpod_parent/libpod-" ID_PODMAN "\n",
		CONTAINER_PODMAN, ID_PODMAN, "");
	EXPECT("0::/machine.slice/libpod-" ID_A ".scope\n", CONTAINER_PODMAN, ID_A, "");
	/* crun moves the process into a child named container. */
	EXPECT("0::/machine.slice/libpod-" ID_A ".scope/container\n", CONTAINER_PODMAN, ID_A, "");
	EXPECT("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID_B
	       ".scope\n",
		CONTAINER_PODMAN, ID_B, "");
	EXPECT("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID_B
	       ".scope/container\n",
		CONTAINER_PODMAN, ID_B, "");
	/* A pod's infra and members sit in the pod's slice. */
	EXPECT("0::/machine.slice/machine-libpod_pod_" ID_C ".slice/libpod-" ID_A ".scope\n",
		CONTAINER_PODMAN, ID_A, "");
}

TEST(test_container_podman_conmon_is_not_a_container)
{
	EXPECT_NONE("0::/machine.slice/libpod-conmon-" ID_A ".scope\n");
	EXPECT_NONE(
		"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" ID_A
		".scope\n");
	EXPECT_NONE(
		"9:name=systemd:/\n0::/\n"); /* conmon with the cgroupfs manager, as seen here */
}

TEST(test_container_hosts_and_sessions_are_not_containers)
{
	EXPECT_NONE("0::/\n");
	EXPECT_NONE("0::/init.scope\n");
	EXPECT_NONE("0::/system.slice/ssh.service\n");
	EXPECT_NONE("0::/system.slice/containerd.service\n");
	EXPECT_NONE("0::/system.slice/docker.service\n");
	EXPECT_NONE("0::/user.slice/user-1000.slice/session-3.scope\n");
	EXPECT_NONE("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		    "app-gnome-firefox-4242.scope\n");
	/* This sandbox: a 32-hex directory is no container id. */
	EXPECT_NONE("9:name=systemd:/\n"
		    "8:pids:/\n"
		    "7:blkio:/\n"
		    "6:freezer:/\n"
		    "5:devices:/\n"
		    "4:memory:/process_api/61bd1966ec22637ad8f6b86a9dc2960d\n"
		    "3:cpuset:/\n"
		    "2:cpuacct:/\n"
		    "1:cpu:/\n"
		    "0::/\n");
}

TEST(test_container_pod_without_a_container_is_none)
{
	EXPECT_NONE("0::/kubepods/burstable/pod" UID "\n");
	EXPECT_NONE("0::/kubepods/burstable/pod" UID "/\n");
	EXPECT_NONE("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_SYSTEMD
		    ".slice\n");
	EXPECT_NONE("0::/kubepods.slice/kubepods-burstable.slice\n");
}

TEST(test_container_v2_line_wins_then_the_first_v1_line)
{
	EXPECT("2:memory:/docker/" ID_A "\n0::/machine.slice/libpod-" ID_B ".scope\n",
		CONTAINER_PODMAN, ID_B, "");
	EXPECT("0::/machine.slice/libpod-" ID_B ".scope\n2:memory:/docker/" ID_A "\n",
		CONTAINER_PODMAN, ID_B, "");
	EXPECT("3:pids:/docker/" ID_A "\n2:memory:/docker/" ID_C "\n0::/init.scope\n",
		CONTAINER_DOCKER, ID_A, "");
	EXPECT("3:pids:/\n2:memory:/docker/" ID_C "\n1:cpu:/docker/" ID_A "\n", CONTAINER_DOCKER,
		ID_C, "");
}

TEST(test_container_child_cgroups_and_odd_paths)
{
	/* A process that made cgroups of its own inside its container. */
	EXPECT("0::/system.slice/docker-" ID_A ".scope/init.scope\n", CONTAINER_DOCKER, ID_A, "");
	/* Read from another cgroup namespace, the kernel writes the path relative to ours. */
	EXPECT("0::/../../kubepods.slice/kubepods-pod" UID_SYSTEMD ".slice/cri-containerd-" ID_A
	       ".scope\n",
		CONTAINER_CONTAINERD, ID_A, UID);
	/* v2 marks a removed cgroup; the process is still the container's. */
	EXPECT("0::/system.slice/docker-" ID_A ".scope (deleted)\n", CONTAINER_DOCKER, ID_A, "");
	EXPECT("0::/docker//" ID_A "//\n", CONTAINER_DOCKER, ID_A, "");
	/* No trailing newline, colons in a v1 path. */
	EXPECT("0::/docker/" ID_A, CONTAINER_DOCKER, ID_A, "");
	EXPECT("5:name=a:/x:y/docker/" ID_A, CONTAINER_DOCKER, ID_A, "");
}

TEST(test_container_id_must_be_64_lowercase_hex)
{
	EXPECT_NONE("0::/docker/"
		    "3FF17F3665682A99A2436506C408F4407B8D5C071BCB99D4CFFFFC686242BD78\n");
	EXPECT_NONE("0::/docker/"
		    "ff17f3665682a99a2436506c408f4407b8d5c071bcb99d4cffffc686242bd78\n");
	EXPECT_NONE("0::/docker/" ID_A "0\n");
	EXPECT_NONE("0::/docker/"
		    "g74662ae685a00c499e83a7de57e02a91ae1193b55b0fd23ce9892035983a0b3\n");
	EXPECT_NONE("0::/system.slice/docker-" ID_A ".scop\n");
	EXPECT_NONE("0::/system.slice/docker-" ID_A ".scope.x\n");
	EXPECT_NONE("0::/system.slice/xdocker-" ID_A ".scope\n");
	EXPECT_NONE("0::/machine.slice/libpod-" ID_A "-x.scope\n");
	/* Prefixes without .scope only where their runtime writes them. */
	EXPECT_NONE("0::/system.slice/docker-" ID_A "\n");
	EXPECT_NONE("0::/system.slice/crio-" ID_A "\n");
}

TEST(test_container_pod_uid_must_be_well_formed)
{
	/* Under a malformed pod directory a bare id is nothing; a named one has no pod. */
	EXPECT_NONE("0::/kubepods/burstable/podA8A1E5B5-2C4E-4A55-9B0E-6B3F7A6F2D11/" ID_A "\n");
	EXPECT_NONE("0::/kubepods/burstable/poda8a1e5b5_2c4e_4a55_9b0e_6b3f7a6f2d11/" ID_A "\n");
	EXPECT_NONE("0::/kubepods/burstable/poda8a1e5b5-2c4e-4a55-9b0e-6b3f7a6f2d1/" ID_A "\n");
	EXPECT_NONE("0::/kubepods/burstable/pod6b4b5bfd41c0d0d0ac84dfc17f1b6d25/" ID_A "\n");
	EXPECT("0::/kubepods.slice/kubepods-poda8a1e5b5-2c4e-4a55-9b0e-6b3f7a6f2d11.slice/"
	       "cri-containerd-" ID_A ".scope\n",
		CONTAINER_CONTAINERD, ID_A, "");
	EXPECT("0::/kubepods.slice/kubepods-pod" UID_SYSTEMD "x.slice/cri-containerd-" ID_A
	       ".scope\n",
		CONTAINER_CONTAINERD, ID_A, "");
	EXPECT("0::/kubepods.slice/pod" UID_SYSTEMD ".slice/cri-containerd-" ID_A ".scope\n",
		CONTAINER_CONTAINERD, ID_A, "");
	/* The nearest pod above the container is its pod. */
	EXPECT("0::/kubepods/pod" UID "/x/kubepods-podbbbbbbbb_2c4e_4a55_9b0e_6b3f7a6f2d11.slice/"
	       "cri-containerd-" ID_A ".scope\n",
		CONTAINER_CONTAINERD, ID_A, "bbbbbbbb-2c4e-4a55-9b0e-6b3f7a6f2d11");
}

TEST(test_container_malformed_lines)
{
	EXPECT_NONE("");
	EXPECT_NONE("\n");
	EXPECT_NONE("\n\n\n");
	EXPECT_NONE("/docker/" ID_A "\n");          /* no colons */
	EXPECT_NONE("0:/docker/" ID_A "\n");        /* one */
	EXPECT_NONE(":memory:/docker/" ID_A "\n");  /* no hierarchy number */
	EXPECT_NONE("x:memory:/docker/" ID_A "\n"); /* not a number */
	EXPECT_NONE("-1::/docker/" ID_A "\n");
	EXPECT_NONE("0::docker/" ID_A "\n"); /* not absolute */
	EXPECT_NONE("0::\n");
	EXPECT_NONE("0:: /docker/" ID_A "\n");
	EXPECT_NONE("0::/docker/ " ID_A "\n");
	EXPECT_NONE(" (deleted)\n0:: (deleted)\n0::/ (deleted)\n");
	/* A broken line does not hide a good one after it. */
	EXPECT("garbage\n::\n0::/docker/" ID_A "\n", CONTAINER_DOCKER, ID_A, "");
}

TEST(test_container_binary_junk)
{
	static const char junk[] = "\x00\xff\x01:\x00:/docker/\x00" ID_A "\n\x80\x81::/\xfe";
	char id_nul[] = "0::/docker/" ID_A "\n";
	unsigned int seed = 12345;
	char buf[4096];

	EXPECT_NONE_N(junk, sizeof(junk) - 1);
	/* A NUL inside the id. */
	id_nul[20] = '\0';
	EXPECT_NONE_N(id_nul, sizeof(id_nul) - 1);
	/* A NUL before the line does not end the text. */
	EXPECT_N("\0\n0::/docker/" ID_A "\n", 2 + strlen("0::/docker/" ID_A "\n"), CONTAINER_DOCKER,
		ID_A, "");
	/* Random bytes: never a container, never a read past the end (ASan). */
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof(buf));

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rand_r(&seed) & 0xff);
		EXPECT_NONE_N(buf, n);
	}
}

TEST(test_container_never_reads_past_len)
{
	static const char line[] = "0::/system.slice/docker-" ID_A ".scope\n";
	const size_t n = sizeof(line) - 1;

	EXPECT_N(line, n, CONTAINER_DOCKER, ID_A, "");
	EXPECT_N(line, n - 1, CONTAINER_DOCKER, ID_A, ""); /* without the newline */
	/* Cut anywhere before the end of ".scope": no container. */
	for (size_t cut = 0; cut < n - 1; cut++)
		EXPECT_NONE_N(line, cut);
	/* len 0 with a NULL text. */
	{
		struct container_info c;

		memset(&c, 0x5a, sizeof(c));
		CHECK_INT(container_from_cgroup(NULL, 0, &c), 0);
		CHECK_INT(c.runtime, CONTAINER_NONE);
		CHECK_STR(c.id, "");
	}
}

TEST(test_container_very_long_lines)
{
	const size_t big = 1u << 20;
	const char *tail = "/docker/" ID_A "\n";
	char *text = malloc(big + 128);
	size_t n;

	if (!text)
		abort();
	/* 1 MiB of directories, then a container. */
	memcpy(text, "0::/", 4);
	for (n = 4; n < big; n++)
		text[n] = n % 7 ? 'a' : '/';
	memcpy(text + n, tail, strlen(tail));
	EXPECT_N(text, n + strlen(tail), CONTAINER_DOCKER, ID_A, "");
	/* 1 MiB of one directory name. */
	for (n = 4; n < big; n++)
		text[n] = 'f';
	text[3] = '/';
	EXPECT_NONE_N(text, big);
	/* 1 MiB of slashes, and of colons. */
	memset(text + 4, '/', big - 4);
	EXPECT_NONE_N(text, big);
	memset(text, ':', big);
	EXPECT_NONE_N(text, big);
	/* 1 MiB of newlines, then the line. */
	memset(text, '\n', big);
	memcpy(text + big, "0::/docker/" ID_A, 11 + 64);
	EXPECT_N(text, big + 11 + 64, CONTAINER_DOCKER, ID_A, "");
	free(text);
}

/* ---- the readers ---- */

static char base[64]; /* the fake proc root: /tmp/gops-ctr-<our pid> */

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	CHECK(mkdir(path, 0755) == 0);
}

static unsigned long long inode_of(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static void begin(void)
{
	snprintf(base, sizeof(base), "/tmp/gops-ctr-%d", (int)getpid());
	fake_rm_rf(base);
	CHECK(mkdir(base, 0755) == 0);
	fakeproc_begin(base);
	CHECK_STR(proc_root(), base);
}

static void end(void)
{
	fakeproc_end();
	fake_rm_rf(base);
}

TEST(test_container_fake_proc_root)
{
	struct container_info c;
	struct proc_ns ns;

	begin();
	dir("4200101");
	dir("4200101/ns");
	put("4200101/cgroup", "1:name=systemd:/\n0::/libpod_parent/libpod-" ID_PODMAN "\n");
	put("4200101/ns/pid", "");
	put("4200101/ns/mnt", "");
	{
		char link[256];

		/* As in /proc, but dangling here: unreadable, so 0. */
		snprintf(link, sizeof(link), "%s/4200101/ns/net", base);
		CHECK(symlink("net:[4026531833]", link) == 0);
	}
	dir("4200102");
	put("4200102/cgroup", "0::/init.scope\n");
	dir("4200103");
	dir("4200103/cgroup"); /* unreadable: a directory */
	dir("4200104");

	CHECK_INT(proc_container(PID_CTR, &c), 1);
	CHECK_INT(c.runtime, CONTAINER_PODMAN);
	CHECK_STR(c.id, ID_PODMAN);
	CHECK_STR(c.pod_uid, "");
	CHECK_INT(proc_container(PID_HOST, &c), 0);
	CHECK_INT(c.runtime, CONTAINER_NONE);
	CHECK_STR(c.id, "");
	CHECK_INT(proc_container(PID_BAD, &c), -EISDIR);
	CHECK_INT(c.runtime, CONTAINER_NONE);
	CHECK_INT(proc_container(PID_GONE, &c), -ENOENT);
	CHECK_INT(proc_container(0, &c), -ENOENT);

	CHECK_INT(proc_namespaces(PID_CTR, &ns), 0);
	CHECK(ns.pid != 0);
	CHECK_INT(ns.pid, inode_of("4200101/ns/pid"));
	CHECK_INT(ns.mnt, inode_of("4200101/ns/mnt"));
	CHECK(ns.pid != ns.mnt);
	CHECK_INT(ns.net, 0);
	memset(&ns, 0xff, sizeof(ns));
	CHECK_INT(proc_namespaces(PID_NONS, &ns), -ENOENT);
	CHECK_INT(ns.pid, 0);
	CHECK_INT(ns.mnt, 0);
	CHECK_INT(ns.net, 0);
	CHECK_INT(proc_namespaces(PID_GONE, &ns), -ENOENT);
	CHECK_INT(proc_namespaces(-1, &ns), -ENOENT);
	end();
}

TEST(test_container_fake_proc_root_without_its_dirfd)
{
	struct container_info c;
	struct proc_ns ns;

	/* proc_dirfd() cannot open a root that is not there yet: full paths are used. */
	begin();
	fake_rm_rf(base);
	proc_root_reset();
	CHECK(proc_dirfd() < 0);
	CHECK(mkdir(base, 0755) == 0);
	dir("4200101");
	dir("4200101/ns");
	put("4200101/cgroup", "0::/docker/" ID_A "\n");
	put("4200101/ns/net", "");
	CHECK_INT(proc_container(PID_CTR, &c), 1);
	CHECK_STR(c.id, ID_A);
	CHECK_INT(proc_namespaces(PID_CTR, &ns), 0);
	CHECK_INT(ns.pid, 0);
	CHECK_INT(ns.mnt, 0);
	CHECK_INT(ns.net, inode_of("4200101/ns/net"));
	end();
}

TEST(test_container_own_process)
{
	struct container_info c, want;
	struct proc_ns ns;
	struct stat st;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if (strcmp(proc_root(), "/proc") != 0)
		SKIP("$GOPS_PROC_ROOT is set");
	CHECK_INT(proc_namespaces(getpid(), &ns), 0);
	CHECK(stat("/proc/self/ns/pid", &st) == 0);
	CHECK_INT(ns.pid, st.st_ino);
	CHECK(stat("/proc/self/ns/mnt", &st) == 0);
	CHECK_INT(ns.mnt, st.st_ino);
	CHECK(stat("/proc/self/ns/net", &st) == 0);
	CHECK_INT(ns.net, st.st_ino);
	CHECK(ns.pid != ns.mnt && ns.mnt != ns.net);

	/* What the reader makes of our cgroup file is what the parser makes of it. */
	f = fopen("/proc/self/cgroup", "r");
	CHECK(f != NULL);
	if (!f)
		return;
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	CHECK(n > 0);
	CHECK_INT(container_from_cgroup(text, n > 0 ? (size_t)n : 0, &want),
		proc_container(getpid(), &c));
	CHECK_INT(c.runtime, want.runtime);
	CHECK_STR(c.id, want.id);
	CHECK_STR(c.pod_uid, want.pod_uid);
	free(text);
}
