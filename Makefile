# SPDX-License-Identifier: MIT
# One entry point: build, test, bench, fuzz, demo, install, deb.
#
# Plain `make` only builds (and says which packages are missing, without
# installing them); `make test`, `make demo`, `make bench` and `make fuzz`
# first install what they need (scripts/install-deps.sh). Quiet by default:
# `make V=1` shows the full commands. CI builds with WERROR=1.

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BUILD ?= build
CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
LLVM_STRIP ?= llvm-strip
PREFIX ?= /usr/local
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)"
endif

WARN := -Wall -Wextra -Wshadow -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif

# CFLAGS is the user's (make CFLAGS=-O0 works); what the code needs is apart.
CFLAGS ?= -O2 -g
GOPS_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN)
CPPFLAGS += -I$(BUILD) -Iuser -Ibpf
DEPFLAGS = -MMD -MP
# c-ares resolves host names in host:port targets (user/agent/target.c).
CARES_LIBS := $(shell pkg-config --static --libs libcares 2>/dev/null || echo -lcares)
# libdw reads Go executables' DWARF (user/golang/dwarf.c), libdeflate inflates
# its sections; the static libdw needs the decompressors it was built with.
DW_LIBS := $(shell pkg-config --static --libs libdw 2>/dev/null || echo -ldw -lbz2 -lelf -lz -llzma -pthread)
# libevent's evhttp serves the daemon's /metrics (user/live/metrics_http.c).
EVENT_LIBS := -levent_extra -levent_pthreads -levent_core -pthread
LDLIBS += $(CARES_LIBS) -lbpf $(DW_LIBS) -ldeflate -lelf -lz $(EVENT_LIBS)
# gops is linked statically: a gops run is short, and the dynamic loader is a
# measurable part of it (so user names come from /etc/passwd, not NSS, and
# host names from c-ares; --wrap keeps glibc's NSS lookups, which c-ares and
# libevent refer to but never call, out of the link).
GOPS_LDFLAGS := -static -Wl,--wrap=getservbyname,--wrap=getservbyport_r \
	-Wl,--wrap=getaddrinfo,--wrap=getprotobynumber

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

# user/<subsystem>/*.c: see the README's layout section.
USER_SRCS := $(sort $(wildcard user/*/*.c))
LIB_SRCS := $(filter-out user/cli/main.c,$(USER_SRCS))
USER_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))

# Unit tests link the same sources, built again with the sanitizers.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS := $(patsubst %.c,$(BUILD)/san/%.o,$(UNIT_SRCS) $(LIB_SRCS))
TSAN_OBJS := $(patsubst %.c,$(BUILD)/tsan/%.o,$(USER_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

.DELETE_ON_ERROR:
# Kept, not deleted as intermediates: rebuilding them costs a clang run and
# every object that includes the skeleton.
.SECONDARY: $(BPF_OBJS) $(SKELS)
.PHONY: all deps test unit integration bench fuzz demo install deb clean format check-deps
all: check-deps gops

# Says what is missing; installs nothing.
check-deps:
	@bash scripts/install-deps.sh --check

deps:
	@bash scripts/install-deps.sh

gops: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(GOPS_CFLAGS) $(CFLAGS) $(LDFLAGS) $(GOPS_LDFLAGS) -o $@ $^ $(LDLIBS)

# The skeleton comes first (order-only): some sources include it, and -MMD
# only knows which after a first build.
# What objects are built with: when it changes (WERROR=1, CFLAGS=...), they
# are all built again. The version lives in a header of its own, so that a new
# commit rebuilds only what prints it.
FLAGS_LINE := $(CC) $(CPPFLAGS) $(GOPS_CFLAGS) $(CFLAGS) $(SAN_FLAGS) $(CLANG)
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_LINE)' | cmp -s - $@ || echo '$(FLAGS_LINE)' >$@
$(BUILD)/version.h: FORCE
	@mkdir -p $(@D)
	@echo '#define GOPS_VERSION "$(VERSION)"' | cmp -s - $@ || \
		echo '#define GOPS_VERSION "$(VERSION)"' >$@
.PHONY: FORCE
FORCE:

$(BUILD)/user/%.o: user/%.c $(BUILD)/flags | $(SKELS) $(BUILD)/version.h
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(GOPS_CFLAGS) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

# Kernel side: compile against vmlinux.h (CO-RE), strip DWARF, generate the skeleton.
$(BUILD)/%.bpf.o: bpf/%.bpf.c vmlinux/$(ARCH)/vmlinux.h
	$(call msg,BPF,$<)
	@mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Ivmlinux/$(ARCH) -Ibpf \
		-Wall $(if $(filter 1,$(WERROR)),-Werror) $(DEPFLAGS) -MF $@.d -MT $@ -c $< -o $@.tmp
	$(Q)$(LLVM_STRIP) -g $@.tmp -o $@
	@rm -f $@.tmp

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

# The unit tests and the library sources, with ASan and UBSan.
$(BUILD)/san/%.o: %.c $(BUILD)/flags | $(SKELS) $(BUILD)/version.h
	$(call msg,CC-SAN,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit -std=c11 -D_GNU_SOURCE $(WARN) $(SAN_FLAGS) $(DEPFLAGS) \
		-c -o $@ $<

$(BUILD)/unit/run: $(UNIT_OBJS)
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

# gops again, with ThreadSanitizer (linked dynamically, as TSan needs): the
# integration tests run the multi-threaded /proc scan with it.
$(BUILD)/tsan/%.o: %.c $(BUILD)/flags | $(SKELS) $(BUILD)/version.h
	$(call msg,CC-TSAN,$<)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(CPPFLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fsanitize=thread $(DEPFLAGS) \
		-c -o $@ $<

$(BUILD)/gops-tsan: $(TSAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CLANG) -fsanitize=thread -o $@ $^ $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/flags | $(SKELS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(GOPS_CFLAGS) $(CFLAGS) $(DEPFLAGS) -o $@ $< $(LDLIBS)

# What CI runs: warnings are errors here.
test: deps
	$(Q)$(MAKE) --no-print-directory WERROR=1 gops $(BUILD)/unit/run $(BUILD)/gops-tsan $(TOOLS)
	@bash tests/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory gops $(TOOLS)
	@bash scripts/bench/run.sh

fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(SKELS)
	@bash scripts/fuzz/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory gops
	@bash scripts/demo.sh

install: gops
	install -D -m 0755 gops $(DESTDIR)$(PREFIX)/bin/gops
	install -D -m 0644 man/gops.1 $(DESTDIR)$(PREFIX)/share/man/man1/gops.1

# build/deb/gops-bpf_VERSION_ARCH.deb, with dpkg-deb (scripts/deb.sh); the
# static libraries linked in are found from LDLIBS, for Built-Using.
deb: gops
	$(call msg,DEB,$(BUILD)/deb)
	$(Q)BUILD='$(BUILD)' CC='$(CC)' GOPS_LDLIBS='$(LDLIBS)' bash scripts/deb.sh

format:
	clang-format -i $(wildcard user/*/*.c user/*/*.h bpf/*.c bpf/*.h tests/unit/*.c \
		tests/unit/*.h tests/tools/*.c scripts/fuzz/*.c)

clean:
	rm -rf $(BUILD) gops

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
