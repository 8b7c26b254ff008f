// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/smp.hpp>

extern "C" char bh_secondary_start[];

namespace bh::smp {
namespace {

constexpr u64 kStackSize = 0x4000;

struct Slot {
    Entry fn;
    u64 arg;
};
Slot slots[kMaxVcpus];
alignas(16) u8 stacks[kMaxVcpus][kStackSize];

} // namespace

u64 secondary_entry() { return reinterpret_cast<uptr>(bh_secondary_start); }

u64 prepare(u32 vcpu, Entry fn, u64 arg) {
    if (vcpu >= kMaxVcpus) return 0;
    slots[vcpu] = {fn, arg};
    dmb();
    return reinterpret_cast<uptr>(stacks[vcpu] + kStackSize);
}

i64 start_vcpu(u32 vcpu, Entry fn, u64 arg) { return hc::vcpu_on(vcpu, secondary_entry(), prepare(vcpu, fn, arg)); }

} // namespace bh::smp

extern "C" void bh_secondary_main() {
    using namespace bh;
    smp::Slot s = smp::slots[this_vcpu()];
    if (s.fn) s.fn(s.arg);
}
