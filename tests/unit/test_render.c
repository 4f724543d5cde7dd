// SPDX-License-Identifier: MIT
/*
 * The text and JSON of `gops`, `gops tree`, the `gops buildinfo` first line
 * and `gops <pid>`, on hand-built input: gops' exact format for ordinary
 * processes, and for hostile names and paths one line per row with the
 * escapes shown, while JSON keeps the original bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/render.h"
#include "harness.h"
#include "proc/procinfo.h"

struct row {
	int pid, ppid;
	const char *name;
	bool agent;
	const char *version, *path;
	int nspid;                 /* 0: the pid */
	struct container_info ctr; /* none unless given */
};

/* What JSON rows carry for a process outside any container, namespaces unknown. */
#define NO_IDENTITY                                                                                \
	",\"pid_ns\":0,\"mnt_ns\":0,\"net_ns\":0,\"container_id\":null,"                           \
	"\"container_runtime\":null,\"pod_uid\":null"

static void build(struct go_list *l, const struct row *rows, size_t n)
{
	static const struct proc_ns no_ns;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < n; i++) {
		struct go_proc_src src = {
			.pid = rows[i].pid,
			.ppid = rows[i].ppid,
			.nspid = rows[i].nspid ? rows[i].nspid : rows[i].pid,
			.version = rows[i].version,
			.name = rows[i].name,
			.name_len = strlen(rows[i].name),
			.path = rows[i].path,
			.path_len = strlen(rows[i].path),
			.ns = &no_ns,
			.ctr = &rows[i].ctr,
		};

		if (golist_add(l, &src, NULL) != 0) {
			harness_fail(__FILE__, __LINE__, "out of memory");
			return;
		}
		l->procs[l->n - 1].agent = rows[i].agent;
	}
}

enum what { LIST, LIST_WIDE, LIST_JSON, TREE, TREE_WIDE, TREE_JSON };

/* What one render function writes for rows, into a memory FILE; caller frees. */
static char *render(enum what w, const struct row *rows, size_t n)
{
	struct go_list l;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	build(&l, rows, n);
	if (w == LIST || w == LIST_WIDE)
		render_list(&l, w == LIST_WIDE, f);
	else if (w == LIST_JSON)
		render_list_json(&l, f);
	else if (w == TREE || w == TREE_WIDE)
		render_tree(&l, w == TREE_WIDE, f);
	else
		render_tree_json(&l, f);
	fclose(f);
	golist_free(&l);
	return buf;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* In pid order, as the scan and the table give them. */
static const struct row ordinary[] = {
	{ 7, 1, "sleeper", false, "go1.19.8", "/usr/bin/sleeper" },
	{ 88, 7, "devel", false, "devel +abc123 Tue Jan 1 00:00:00 2023 +0000", "/d" },
	{ 1234, 7, "a-long-name", true, "go1.21.0", "/opt/x y/a-long-name" },
	{ 5000, 3, "orphan", false, "go1.20", "/o" },
};

/*
 * Raw ESC and a raw newline in a name (argv[0]'s base name is raw), a forged
 * row in a path, invalid UTF-8, a newline in a version.
 */
static const struct row hostile[] = {
	{ 10, 1, "\x1b[2J", false, "go1.20", "/tmp/\x1b[31m/evil" },
	{ 11, 1, "x\n9 9 forged", true, "go1.20", "/tmp/d\n1 1 forged * go1.0 /x" },
	{ 12, 1, "\xff\xfe", false, "go1\n2", "/tmp/\xff\xfe\tz" },
};

TEST(test_render_list_pads_columns_marks_agent_and_shortens_devel)
{
	char *out = render(LIST, ordinary, N(ordinary));

	CHECK_STR(out, "7    1 sleeper      go1.19.8      /usr/bin/sleeper\n"
		       "88   7 devel        devel +abc123 /d\n"
		       "1234 7 a-long-name* go1.21.0      /opt/x y/a-long-name\n"
		       "5000 3 orphan       go1.20        /o\n");
	free(out);
}

#define CTR_ID "85da284f65317c4436acf4cc93f3537761c48a979039af8b4e5342de74ed945f"
#define POD "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

/* A host process, a podman container's pid 1, a Kubernetes pod's container. */
static const struct row contained[] = {
	{ 7, 1, "sleeper", false, "go1.19.8", "/usr/bin/sleeper" },
	{ 5726, 5715, "hello", true, "go1.19.8", "/hello", 1, { CONTAINER_PODMAN, CTR_ID, "" } },
	{ 9000, 5715, "api", false, "go1.22.1", "/api", 12, { CONTAINER_CONTAINERD, CTR_ID, POD } },
};

TEST(test_render_list_default_has_no_container_columns)
{
	char *out = render(LIST, contained, N(contained));

	CHECK_STR(out, "7    1    sleeper  go1.19.8 /usr/bin/sleeper\n"
		       "5726 5715 hello  * go1.19.8 /hello\n"
		       "9000 5715 api      go1.22.1 /api\n");
	free(out);
}

TEST(test_render_list_wide_adds_nspid_and_short_container_id)
{
	char *out = render(LIST_WIDE, contained, N(contained));

	CHECK_STR(out, "7    1    7  -            sleeper  go1.19.8 /usr/bin/sleeper\n"
		       "5726 5715 1  85da284f6531 hello  * go1.19.8 /hello\n"
		       "9000 5715 12 85da284f6531 api      go1.22.1 /api\n");
	free(out);
}

TEST(test_render_list_wide_without_containers_keeps_a_dash_column)
{
	char *out = render(LIST_WIDE, ordinary, 1);

	CHECK_STR(out, "7 1 7 - sleeper  go1.19.8 /usr/bin/sleeper\n");
	free(out);
}

TEST(test_render_tree_wide_names_the_container)
{
	char *out = render(TREE_WIDE, contained, N(contained));

	CHECK_STR(out, "...\n"
		       "├── 1\n"
		       "│   └── 7 (sleeper) {go1.19.8}\n"
		       "└── 5715\n"
		       "    ├── [*]  5726 (hello) {go1.19.8} container 85da284f6531\n"
		       "    └── 9000 (api) {go1.22.1} container 85da284f6531\n"
		       "\n");
	free(out);
}

TEST(test_render_list_json_carries_container_and_pod)
{
	char *out = render(LIST_JSON, contained + 2, 1);

	CHECK_STR(out, "[{\"pid\":9000,\"ppid\":5715,\"nspid\":12,\"name\":\"api\",\"agent\":false,"
		       "\"go_version\":\"go1.22.1\",\"path\":\"/api\",\"pid_ns\":0,\"mnt_ns\":0,"
		       "\"net_ns\":0,\"container_id\":\"" CTR_ID "\",\"container_runtime\":"
		       "\"containerd\",\"pod_uid\":\"" POD "\"}]\n");
	free(out);
}

TEST(test_render_list_keep_container_matches_prefixes_only)
{
	struct go_list l;

	build(&l, contained, N(contained));
	golist_keep_container(&l, "85DA284F");
	CHECK_INT((int)l.n, 2);
	CHECK_INT(l.procs[0].pid, 5726);
	golist_keep_container(&l, "85da284f6532");
	CHECK_INT((int)l.n, 0);
	golist_free(&l);
}

TEST(test_render_list_of_nothing_prints_nothing)
{
	char *out = render(LIST, NULL, 0);

	CHECK_STR(out, "");
	free(out);
}

TEST(test_render_list_escapes_hostile_names_one_line_per_row)
{
	char *out = render(LIST, hostile, N(hostile));

	/* Padding counts the escaped width: the version column lines up. */
	CHECK_STR(out, "10 1 \\x1b[2J        go1.20 /tmp/\\x1b[31m/evil\n"
		       "11 1 x\\n9 9 forged* go1.20 /tmp/d\\n1 1 forged * go1.0 /x\n"
		       "12 1 \\xff\\xfe       go1\\n2 /tmp/\\xff\\xfe\\tz\n");
	CHECK_INT(count_char(out, '\n'), N(hostile));
	CHECK(!strchr(out, '\x1b'));
	CHECK(!strchr(out, '\t'));
	free(out);
}

TEST(test_render_tree_sorts_by_parent_with_bare_parent_pids)
{
	char *out = render(TREE, ordinary, N(ordinary));

	/* Parents 1 and 3 are not Go processes: bare pids. 7 is, and holds its children. */
	CHECK_STR(out, "...\n"
		       "├── 1\n"
		       "│   └── 7 (sleeper) {go1.19.8}\n"
		       "│       ├── 88 (devel) {devel +abc123 Tue Jan 1 00:00:00 2023 +0000}\n"
		       "│       └── [*]  1234 (a-long-name) {go1.21.0}\n"
		       "└── 3\n"
		       "    └── 5000 (orphan) {go1.20}\n"
		       "\n");
	free(out);
}

TEST(test_render_tree_orders_children_by_pid_whatever_the_input_order)
{
	static const struct row shuffled[] = {
		{ 30, 2, "c", false, "go1.20", "/c" },
		{ 10, 2, "a", false, "go1.20", "/a" },
		{ 20, 2, "b", true, "go1.20", "/b" },
	};
	char *out = render(TREE, shuffled, N(shuffled));

	CHECK_STR(out, "...\n"
		       "└── 2\n"
		       "    ├── 10 (a) {go1.20}\n"
		       "    ├── [*]  20 (b) {go1.20}\n"
		       "    └── 30 (c) {go1.20}\n"
		       "\n");
	free(out);
}

TEST(test_render_tree_escapes_hostile_names_one_line_per_node)
{
	char *out = render(TREE, hostile, N(hostile));

	CHECK_STR(out, "...\n"
		       "└── 1\n"
		       "    ├── 10 (\\x1b[2J) {go1.20}\n"
		       "    ├── [*]  11 (x\\n9 9 forged) {go1.20}\n"
		       "    └── 12 (\\xff\\xfe) {go1\\n2}\n"
		       "\n");
	CHECK_INT(count_char(out, '\n'), 1 + 1 + N(hostile) + 1);
	CHECK(!strchr(out, '\x1b'));
	free(out);
}

TEST(test_render_list_json_is_exact_for_ordinary_rows)
{
	char *out = render(LIST_JSON, ordinary, 1);

	CHECK_STR(out,
		"[{\"pid\":7,\"ppid\":1,\"nspid\":7,\"name\":\"sleeper\",\"agent\":false,"
		"\"go_version\":\"go1.19.8\",\"path\":\"/usr/bin/sleeper\"" NO_IDENTITY "}]\n");
	free(out);
}

TEST(test_render_list_json_keeps_hostile_bytes_as_json_escapes)
{
	char *out = render(LIST_JSON, hostile, N(hostile));

	/*
	 * Controls are JSON escapes of the very bytes; invalid UTF-8 cannot be
	 * carried by JSON and becomes U+FFFD (base/json.h).
	 */
	CHECK_STR(out,
		"[{\"pid\":10,\"ppid\":1,\"nspid\":10,\"name\":\"\\u001b[2J\",\"agent\":false,"
		"\"go_version\":\"go1.20\",\"path\":\"/tmp/\\u001b[31m/evil\"" NO_IDENTITY "},"
		"{\"pid\":11,\"ppid\":1,\"nspid\":11,\"name\":\"x\\n9 9 forged\",\"agent\":true,"
		"\"go_version\":\"go1.20\",\"path\":\"/tmp/d\\n1 1 forged * go1.0 /x\"" NO_IDENTITY
		"},"
		"{\"pid\":12,\"ppid\":1,\"nspid\":12,\"name\":\"\\ufffd\\ufffd\",\"agent\":false,"
		"\"go_version\":\"go1\\n2\",\"path\":\"/tmp/\\ufffd\\ufffd\\tz\"" NO_IDENTITY
		"}]\n");
	CHECK_INT(count_char(out, '\n'), 1);
	free(out);
}

TEST(test_render_tree_json_keeps_hostile_bytes_as_json_escapes)
{
	char *out = render(TREE_JSON, hostile, 2);

	CHECK_STR(out,
		"[{\"pid\":1,\"children\":["
		"{\"pid\":10,\"ppid\":1,\"nspid\":10,\"name\":\"\\u001b[2J\",\"agent\":false,"
		"\"go_version\":\"go1.20\",\"path\":\"/tmp/\\u001b[31m/evil\"" NO_IDENTITY
		",\"children\":[]},"
		"{\"pid\":11,\"ppid\":1,\"nspid\":11,\"name\":\"x\\n9 9 forged\",\"agent\":true,"
		"\"go_version\":\"go1.20\",\"path\":\"/tmp/d\\n1 1 forged * go1.0 /x\"" NO_IDENTITY
		","
		"\"children\":[]}]}]\n");
	free(out);
}

static char *buildinfo_head(const char *name, const char *version)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	render_buildinfo_head(name, version, f);
	fclose(f);
	return buf;
}

TEST(test_render_buildinfo_head_is_go_version_m_first_line)
{
	char *out = buildinfo_head("/usr/bin/sleeper with spaces", "go1.19.8");

	CHECK_STR(out, "/usr/bin/sleeper with spaces: go1.19.8\n");
	free(out);
}

TEST(test_render_buildinfo_head_escapes_hostile_path)
{
	char *out = buildinfo_head("/tmp/\x1b[31m\nforged: go1.0\n/x", "go1.19.8");

	CHECK_STR(out, "/tmp/\\x1b[31m\\nforged: go1.0\\n/x: go1.19.8\n");
	free(out);
}

static char *procinfo_text(const struct procinfo *pi)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	procinfo_write_text(pi, f);
	fclose(f);
	return buf;
}

TEST(test_procinfo_text_escapes_cmdline_username_and_socket_path)
{
	static char cmdline[] = "/tmp/\x1b[31m/x\n1 1 forged\0-flag=\t\xff\0";
	struct sock_entry sock = {
		.kind = SOCK_KIND_UNIX, .local = "/run/\x1b[2J\n.sock", .state = "NONE"
	};
	struct procinfo pi = {
		.pid = 42,
		.has_username = true,
		.has_cmdline = true,
		.cmdline = cmdline,
		.cmdline_len = sizeof(cmdline) - 1,
		.has_sockets = true,
		.sockets = { .v = &sock, .n = 1 },
	};
	char *out;

	strcpy(pi.username, "ev\x1bil");
	out = procinfo_text(&pi);
	CHECK_STR(out, "username:\tev\\x1bil\n"
		       "cmd+args:\t/tmp/\\x1b[31m/x\\n1 1 forged -flag=\\t\\xff\n"
		       "local/remote:\t/run/\\x1b[2J\\n.sock:0 <-> :0 (NONE)\n");
	free(out);
}
