# SPDX-License-Identifier: MIT
# One entry point: deps, build, test, bench, fuzz, demo, install.

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BUILD ?= build
CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
LLVM_STRIP ?= llvm-strip
PREFIX ?= /usr/local
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-missing-field-initializers
CPPFLAGS += -I$(BUILD) -Iuser -Ibpf -DGOPS_VERSION='"$(VERSION)"'
LDLIBS += -lbpf -lelf -lz
# gops is linked statically: a gops run is short, and the dynamic loader is a
# measurable part of it (so user names come from /etc/passwd, not NSS).
GOPS_LDFLAGS := -static

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

USER_SRCS := $(wildcard user/*.c)
LIB_SRCS := $(filter-out user/main.c,$(USER_SRCS))
USER_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))

# Unit tests link the same sources, built again with the sanitizers.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_SRCS := $(wildcard tests/unit/*.c)
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

.PHONY: all deps test unit integration bench fuzz demo install clean format
all: deps gops

deps:
	@bash scripts/install-deps.sh

gops: $(USER_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(GOPS_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/user/%.o: user/%.c $(wildcard user/*.h bpf/*.h) $(SKELS) | $(BUILD)/user
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Kernel side: compile against vmlinux.h (CO-RE), strip DWARF, generate the skeleton.
$(BUILD)/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux/$(ARCH)/vmlinux.h | $(BUILD)
	$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Ivmlinux/$(ARCH) -Ibpf -Wall -c $< -o $@.tmp
	$(LLVM_STRIP) -g $@.tmp -o $@
	@rm -f $@.tmp

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

$(BUILD) $(BUILD)/user $(BUILD)/tools $(BUILD)/unit:
	@mkdir -p $@

$(BUILD)/unit/run: $(UNIT_SRCS) $(LIB_SRCS) $(wildcard tests/unit/*.h user/*.h) $(SKELS) | $(BUILD)/unit
	$(CC) $(CPPFLAGS) -Itests/unit -std=c11 -D_GNU_SOURCE -Wall -Wextra $(SAN_FLAGS) \
		-o $@ $(UNIT_SRCS) $(LIB_SRCS) $(LDLIBS)

# gops again, with ThreadSanitizer (linked dynamically, as TSan needs): the
# integration tests run the multi-threaded /proc scan with it.
$(BUILD)/gops-tsan: $(USER_SRCS) $(wildcard user/*.h bpf/*.h) $(SKELS) | $(BUILD)
	$(CLANG) $(CPPFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -O1 -g -fsanitize=thread \
		-o $@ $(USER_SRCS) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c | $(BUILD)/tools
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDLIBS)

test: deps gops $(BUILD)/unit/run $(BUILD)/gops-tsan $(TOOLS)
	@bash tests/run.sh

bench: deps gops $(TOOLS)
	@bash scripts/bench/run.sh

fuzz: deps $(SKELS)
	@bash scripts/fuzz/run.sh

demo: deps gops
	@bash scripts/demo.sh

install: gops
	install -D -m 0755 gops $(DESTDIR)$(PREFIX)/bin/gops

format:
	clang-format -i $(wildcard user/*.c user/*.h bpf/*.c bpf/*.h tests/unit/*.c tests/unit/*.h tests/tools/*.c)

clean:
	rm -rf $(BUILD) gops
