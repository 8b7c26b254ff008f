// SPDX-License-Identifier: GPL-2.0-only
// The hypervisor's own address space: RAM and the host devices it drives,
// identity-mapped at EL2 with the generic page-table walker.
#include "mmu.hpp"

#include "platform.hpp"

#include <arch/sysreg.hpp>
#include <arch/vmsa_format.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/page_table.hpp>

namespace bh::aarch64 {
namespace {

PageTable<El2Format> el2_map;

// TCR_EL2: T0SZ = 25 (39-bit VA, walk starts at level 1), 4 KiB granule,
// inner-shareable write-back tables, PS from the CPU's PA range.
u64 tcr_el2() {
    u64 parange = BH_READ_SYSREG(id_aa64mmfr0_el1) & 0xf;
    if (parange > 5) parange = 5; // 48 bits is all a 4 KiB, 4-level-capable TCR needs
    constexpr u64 kRes1 = (1ull << 31) | (1ull << 23);
    return kRes1 | (parange << 16) | (0ull << 14) /* TG0 4K */ | (3ull << 12) /* SH0 IS */ |
           (1ull << 10) /* ORGN0 WBWA */ | (1ull << 8) /* IRGN0 WBWA */ | (64 - El2Format::kInputBits);
}

bool map_device(u64 base, u64 size) {
    if (!size) return true;
    u64 start = align_down(base, kPageSize), end = align_up(base + size, kPageSize);
    return el2_map.map(Virt(start), HostPhys(start), end - start, MemAttr::device()) == Status::ok;
}

} // namespace

bool mmu_build(FrameAllocator& frames) {
    Platform& p = platform();
    if (el2_map.init(frames) != Status::ok) return false;
    for (unsigned i = 0; i < p.memory_count; ++i) {
        const Range<HostPhys>& m = p.memory[i];
        if (el2_map.map(Virt(m.base.raw()), m.base, m.size, MemAttr::ram()) != Status::ok) return false;
    }
    return map_device(p.uart, 0x1000) && map_device(p.rtc, p.rtc ? 0x1000 : 0) && map_device(p.gicd, p.gicd_size) &&
           map_device(p.gicr, p.gicr_size);
}

void mmu_enable() {
    BH_WRITE_SYSREG(mair_el2, El2Format::kMair);
    BH_WRITE_SYSREG(tcr_el2, tcr_el2());
    BH_WRITE_SYSREG(ttbr0_el2, el2_map.root().raw());
    dsb_sy();
    asm volatile("tlbi alle2" ::: "memory");
    dsb_sy();
    isb();
    // M, C, I, SA with the RES1 bits of SCTLR_EL2 (non-VHE).
    constexpr u64 kRes1 = (3ull << 28) | (3ull << 22) | (1ull << 18) | (1ull << 16) | (1ull << 11) | (3ull << 4);
    BH_WRITE_SYSREG(sctlr_el2, kRes1 | (1u << 12) | (1u << 3) | (1u << 2) | (1u << 0));
    isb();
}

} // namespace bh::aarch64
