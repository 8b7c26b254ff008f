// SPDX-License-Identifier: GPL-2.0-only
#include "gic.hpp"

#include "platform.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/log.hpp>

namespace bh::aarch64 {
namespace {

enum : u64 {
    kGicdCtlr = 0x0000,
    kGicdTyper = 0x0004,
    kGicdIgroupr = 0x0080,
    kGicdIcenabler = 0x0180,
    kGicdIpriorityr = 0x0400,
    kGicrTyper = 0x0008,
    kGicrWaker = 0x0014,
    kSgiBase = 0x10000,
    kGicrIgroupr0 = kSgiBase + 0x080,
    kGicrIsenabler0 = kSgiBase + 0x100,
    kGicrIcenabler0 = kSgiBase + 0x180,
    kGicrIpriorityr = kSgiBase + 0x400,
};
constexpr u32 kCtlrRwp = 1u << 31, kCtlrAre = 1u << 4, kCtlrGrp1 = 1u << 1;
constexpr u64 kRedistStride = 0x20000;
constexpr u64 kTyperLast = 1u << 4;
constexpr u64 kIccCtlrEoiMode = 1u << 1;

void wait_rwp(u64 gicd) {
    while (mmio_read<u32>(gicd + kGicdCtlr) & kCtlrRwp) {}
}

} // namespace

void gic_init_distributor() {
    u64 d = platform().gicd;
    mmio_write<u32>(d + kGicdCtlr, 0);
    wait_rwp(d);
    u32 lines = 32 * ((mmio_read<u32>(d + kGicdTyper) & 0x1f) + 1);
    // Every SPI: group 1, disabled. The hypervisor uses none yet; devices
    // passed to zones later will be enabled one by one.
    for (u32 i = 32; i < lines; i += 32) {
        mmio_write<u32>(d + kGicdIgroupr + i / 8, ~0u);
        mmio_write<u32>(d + kGicdIcenabler + i / 8, ~0u);
    }
    for (u32 i = 32; i < lines; i += 4) mmio_write<u32>(d + kGicdIpriorityr + i, 0xa0a0a0a0);
    wait_rwp(d);
    mmio_write<u32>(d + kGicdCtlr, kCtlrAre | kCtlrGrp1);
    wait_rwp(d);
}

bool gic_init_cpu(u64 mpidr) {
    Platform& p = platform();
    u64 aff = ((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff);
    u64 rd = 0;
    for (u64 r = p.gicr; r < p.gicr + p.gicr_size; r += kRedistStride) {
        u64 typer = mmio_read<u64>(r + kGicrTyper);
        if ((typer >> 32) == aff) {
            rd = r;
            break;
        }
        if (typer & kTyperLast) break;
    }
    if (!rd) return false;
    mmio_write<u32>(rd + kGicrWaker, mmio_read<u32>(rd + kGicrWaker) & ~2u);
    while (mmio_read<u32>(rd + kGicrWaker) & 4u) {}
    mmio_write<u32>(rd + kGicrIgroupr0, ~0u);
    mmio_write<u32>(rd + kGicrIcenabler0, ~0u);
    for (u32 i = 0; i < 32; i += 4) mmio_write<u32>(rd + kGicrIpriorityr + i, 0xa0a0a0a0);
    mmio_write<u32>(rd + kGicrIsenabler0, (1u << kSgiKick) | (1u << kSgiPoke) | (1u << kPpiMaintenance) |
                                              (1u << kPpiHypTimer) | (1u << kPpiVirtTimer) | (1u << kPpiPhysTimer));

    // System-register interface at EL2, and let EL1 use its own (virtual) one.
    BH_WRITE_SYSREG(icc_sre_el2, 0xf); // SRE, DFB, DIB, Enable (EL1 may access ICC_SRE_EL1)
    isb();
    BH_WRITE_SYSREG(icc_pmr_el1, 0xff);
    BH_WRITE_SYSREG(icc_bpr1_el1, 0);
    BH_WRITE_SYSREG(icc_ctlr_el1, kIccCtlrEoiMode); // EOIR drops priority, DIR deactivates
    BH_WRITE_SYSREG(icc_igrpen1_el1, 1);
    isb();
    return true;
}

void gic_send_sgi(u32 intid, u64 mpidr) {
    u64 aff1 = (mpidr >> 8) & 0xff, aff2 = (mpidr >> 16) & 0xff, aff3 = (mpidr >> 32) & 0xff;
    u64 v = (aff3 << 48) | (aff2 << 32) | (u64(intid & 0xf) << 24) | (aff1 << 16) | (1u << (mpidr & 0xf));
    dsb_ish(); // make what the target should see visible first
    BH_WRITE_SYSREG(icc_sgi1r_el1, v);
    isb();
}

void gic_enable_spi(u32 intid, u64 mpidr) {
    u64 d = platform().gicd;
    constexpr u64 kGicdIrouter = 0x6000, kGicdIsenabler = 0x0100;
    mmio_write<u64>(d + kGicdIrouter + 8 * intid, mpidr & 0xff00ffffffull);
    mmio_write<u32>(d + kGicdIsenabler + 4 * (intid / 32), 1u << (intid % 32));
}

void gic_disable_spi(u32 intid) {
    u64 d = platform().gicd;
    mmio_write<u32>(d + kGicdIcenabler + 4 * (intid / 32), 1u << (intid % 32));
    wait_rwp(d); // disabled for good once RWP clears: no new delivery after this returns
}

bool gic_irq_pending() { return (BH_READ_SYSREG(isr_el1) >> 7) & 1; }

u32 gic_acknowledge() { return static_cast<u32>(BH_READ_SYSREG(icc_iar1_el1) & 0xffffff); }

void gic_end(u32 intid) {
    BH_WRITE_SYSREG(icc_eoir1_el1, intid);
    BH_WRITE_SYSREG(icc_dir_el1, intid);
    isb();
}

void gic_priority_drop(u32 intid) {
    BH_WRITE_SYSREG(icc_eoir1_el1, intid);
    isb();
}

void gic_deactivate(u32 intid) {
    BH_WRITE_SYSREG(icc_dir_el1, intid);
    isb();
}

unsigned gic_list_registers() { return static_cast<unsigned>((BH_READ_SYSREG(ich_vtr_el2) & 0x1f) + 1); }

} // namespace bh::aarch64
