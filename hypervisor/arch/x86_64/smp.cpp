// SPDX-License-Identifier: GPL-2.0-only
// The universal start-up algorithm (Intel SDM vol. 3 9.4.4.1; MultiProcessor
// Specification B.4): INIT, 10 ms, STARTUP, 200 us, STARTUP again if needed.
#include "smp.hpp"

#include "asm_defs.h"
#include "lapic.hpp"
#include "mmu.hpp"
#include "percpu.hpp"
#include "timer.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>

extern "C" {
extern char trampoline_start[], trampoline_end[];
extern char trampoline_cr3[], trampoline_stack[], trampoline_cpu[], trampoline_entry[];
[[noreturn]] void x86_64_boot_secondary(bh::u64 index);
}

namespace bh::x86_64 {
namespace {

u64* param(char* symbol) { return x86::low_ptr<u64>(BH_TRAMPOLINE_BASE + static_cast<u64>(symbol - trampoline_start)); }

bool arrived(unsigned index, u64 us) {
    u64 deadline = arch::now() + arch::ticks_per_second() / 1'000'000 * us;
    while (arch::now() < deadline)
        if (cpu(index).start.load() == PerCpu::Start::online) return true;
    return false;
}

} // namespace

void smp_start(const Madt& madt, u32 self) {
    static_assert((BH_TRAMPOLINE_BASE & 0xfff) == 0 && BH_TRAMPOLINE_BASE < 0x100000);
    __builtin_memcpy(x86::low_ptr<void>(BH_TRAMPOLINE_BASE), trampoline_start,
                     static_cast<usize>(trampoline_end - trampoline_start));
    unsigned next = 1;
    for (unsigned i = 0; i < madt.cpu_count && next < kMaxCpus; ++i) {
        u32 apic_id = madt.apic_ids[i];
        if (apic_id == self) continue;
        // A CPU that is too late leaves its index as a gap online_cpu()
        // skips: it may still arrive on that index's stack.
        unsigned index = next++;
        cpu_start_begin(index, apic_id);
        *param(trampoline_cr3) = mmu_root().raw();
        *param(trampoline_stack) = stack_top(index);
        *param(trampoline_cpu) = index;
        *param(trampoline_entry) = reinterpret_cast<u64>(&x86_64_boot_secondary);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        lapic_send_init(apic_id);
        udelay(10'000);
        lapic_send_startup(apic_id, BH_TRAMPOLINE_BASE >> 12);
        if (!arrived(index, 200)) {
            lapic_send_startup(apic_id, BH_TRAMPOLINE_BASE >> 12);
            if (!cpu_start_wait(index, arch::now() + arch::ticks_per_second()))
                log("CPU %u (APIC ID %u) did not come online within a second: running without it", index, apic_id);
        }
    }
}

} // namespace bh::x86_64
