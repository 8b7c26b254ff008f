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

u64* param(char* symbol) {
    return x86::low_ptr<u64>(BH_TRAMPOLINE_BASE + static_cast<u64>(symbol - trampoline_start));
}

bool wait_online(unsigned index, u64 us) {
    u64 deadline = arch::now() + arch::ticks_per_second() / 1'000'000 * us;
    while (!__atomic_load_n(&arch::cpu(index).online, __ATOMIC_ACQUIRE))
        if (arch::now() >= deadline) return false;
    return true;
}

} // namespace

void smp_start(const Madt& madt, u32 self) {
    static_assert((BH_TRAMPOLINE_BASE & 0xfff) == 0 && BH_TRAMPOLINE_BASE < 0x100000);
    __builtin_memcpy(x86::low_ptr<void>(BH_TRAMPOLINE_BASE), trampoline_start,
                     static_cast<usize>(trampoline_end - trampoline_start));
    unsigned next = 1;
    for (unsigned i = 0; i < madt.cpu_count && next < arch::kMaxCpus; ++i) {
        u32 apic_id = madt.apic_ids[i];
        if (apic_id == self) continue;
        unsigned index = next++;
        arch::cpu(index).hw_id = apic_id;
        arch::cpu(index).index = index;
        *param(trampoline_cr3) = mmu_root().raw();
        *param(trampoline_stack) = stack_top(index);
        *param(trampoline_cpu) = index;
        *param(trampoline_entry) = reinterpret_cast<u64>(&x86_64_boot_secondary);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        lapic_send_init(apic_id);
        udelay(10'000);
        lapic_send_startup(apic_id, BH_TRAMPOLINE_BASE >> 12);
        if (!wait_online(index, 200)) {
            lapic_send_startup(apic_id, BH_TRAMPOLINE_BASE >> 12);
            if (!wait_online(index, 1'000'000)) log("CPU %u (APIC ID %u) did not come online", index, apic_id);
        }
    }
}

} // namespace bh::x86_64
