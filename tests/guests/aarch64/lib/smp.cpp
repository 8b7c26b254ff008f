// SPDX-License-Identifier: GPL-2.0-only
// Secondary vCPUs enter _start like the boot vCPU; start.S sends them here
// with the CPU_ON context in x0.
#include <guest/cpu.hpp>
#include <guest/psci.hpp>
#include <guest/smp.hpp>

extern "C" char _start[];

namespace bh::smp {
namespace {

struct Slot {
    Entry fn;
    u64 arg;
};
Slot slots[kMaxVcpus];
volatile u64 contexts[kMaxVcpus];

} // namespace

i64 start_vcpu(u32 vcpu, Entry fn, u64 arg, u64 context) {
    if (vcpu < kMaxVcpus) {
        slots[vcpu] = {fn, arg};
        dsb();
    }
    return psci::cpu_on(vcpu, reinterpret_cast<uptr>(_start), context);
}

u64 entry_context(u32 vcpu) { return vcpu < kMaxVcpus ? contexts[vcpu] : 0; }

} // namespace bh::smp

extern "C" [[noreturn]] void bh_secondary_main(bh::u64 x0) {
    using namespace bh;
    u32 me = this_vcpu();
    smp::contexts[me] = x0;
    dsb();
    smp::Slot s = smp::slots[me];
    if (s.fn) s.fn(s.arg);
    psci::cpu_off();
    for (;;) wfi();
}
