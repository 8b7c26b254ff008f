// SPDX-License-Identifier: GPL-2.0-only
// x86 this_cpu(): the CPU is the owner of the hypervisor stack RSP is on
// (percpu.hpp), never the GS base, which is the zone's from a #VMEXIT
// until the host's VMLOAD. A physical interrupt QEMU delivered in that
// window made the hypervisor fault in its handler, then in every panic
// that reported it, until its stack had run over its own memory (the
// rare silent reset or hang of x86 node runs).
#include <catch2/catch.hpp>

#include "percpu.hpp"

using bh::u64;
using bh::x86_64::stack_owner;

TEST_CASE("x86 this_cpu: the stack RSP is on names the CPU", "[x86][percpu]") {
    constexpr u64 kStacks = 0x26c000;
    constexpr unsigned kShift = 14, kCpus = 8; // 16 KiB each, as boot/x86_64/asm_defs.h
    constexpr u64 kSize = u64{1} << kShift;
    // A CPU's empty stack (RSP at its top) and its deepest slot are its own.
    STATIC_REQUIRE(stack_owner(kStacks + kSize, kStacks, kShift, kCpus) == 0);
    STATIC_REQUIRE(stack_owner(kStacks + 8, kStacks, kShift, kCpus) == 0);
    STATIC_REQUIRE(stack_owner(kStacks + kSize + 8, kStacks, kShift, kCpus) == 1);
    STATIC_REQUIRE(stack_owner(kStacks + 2 * kSize, kStacks, kShift, kCpus) == 1);
    STATIC_REQUIRE(stack_owner(kStacks + 8 * kSize, kStacks, kShift, kCpus) == 7);
    // Below or above every stack (an IST stack, or no stack of ours): none.
    STATIC_REQUIRE(stack_owner(kStacks, kStacks, kShift, kCpus) == kCpus);
    STATIC_REQUIRE(stack_owner(kStacks - 8, kStacks, kShift, kCpus) == kCpus);
    STATIC_REQUIRE(stack_owner(kStacks + 8 * kSize + 8, kStacks, kShift, kCpus) == kCpus);
    STATIC_REQUIRE(stack_owner(0, kStacks, kShift, kCpus) == kCpus);
    STATIC_REQUIRE(stack_owner(~u64{0}, kStacks, kShift, kCpus) == kCpus);
}
