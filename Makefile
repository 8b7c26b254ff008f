# SPDX-License-Identifier: GPL-2.0-only
# The two commands a new user needs on a fresh Debian 12 machine:
#   make demo   boot a Bulkhead node in QEMU and launch two zones with zonectl
#   make test   build everything and run the whole suite with CTest
# Both install missing Debian packages first (apt-get when root, otherwise
# they print the exact apt-get line and stop).

BUILD ?= build
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

DEB_PACKAGES := cmake make g++ gcc g++-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	qemu-system-arm catch2 libfdt-dev device-tree-compiler linux-source-6.1 \
	python3 xz-utils ccache flex bison bc libc6-dev gcc-aarch64-linux-gnu \
	qemu-system-x86 ovmf bochs bochsbios vgabios bochs-term grub-pc-bin \
	grub-efi-amd64-bin grub-common xorriso mtools clang libclang-rt-14-dev linux-libc-dev \
	clang-format libxen-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev libseccomp-dev \
	e2fsprogs mmdebstrap libsqlite3-dev:arm64 libseccomp-dev:arm64 liburing-dev liburing-dev:arm64 libelf-dev busybox-static acpica-tools

.PHONY: all deps build test demo demo-bare demo-test-zones unit format clean

all: build

deps:
	@scripts/install-deps.sh $(DEB_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake --preset default

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure --timeout 600 -j $(JOBS) $(CTEST_ARGS); \
	  status=$$?; scripts/report-skipped $(BUILD); exit $$status

unit: build
	ctest --test-dir $(BUILD) --output-on-failure -L unit

# A node: Bulkhead boots into its control domain, where zonectl launches
# two agent zones, lists them, shows their consoles and exit statuses and
# destroys them (scripts/demo-node); it ends by itself.
demo: build
	scripts/demo-node $(BUILD)

# The boot-manifest story (the old `make demo`): two Linux zones and a
# misbehaving zone on arm64; BULKHEAD_DEMO_ARCH=x86_64 shows two test zones
# and a misbehaving one on x86-64 instead.
demo-bare: build
ifeq ($(BULKHEAD_DEMO_ARCH),x86_64)
	python3 tests/runner/demo.py --build $(BUILD) --arch x86_64
else
	python3 tests/runner/demo_linux.py --build $(BUILD)
endif

# The boot-manifest story with tiny test zones (the old `make demo-bare`).
demo-test-zones: build
	python3 tests/runner/demo.py --build $(BUILD)

# Applies .clang-format to every C++ source (the `format` test checks it).
format: deps
	scripts/check-format --fix

clean:
	rm -rf $(BUILD)
