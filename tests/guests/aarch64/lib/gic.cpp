// SPDX-License-Identifier: GPL-2.0-only
// GICv3 set-up and SGIs. The sequence is the architectural one, complete
// enough to work both on Bulkhead's virtual GIC and on bare QEMU virt at EL1
// (where, with security disabled, interrupts must be moved to group 1 or they
// would arrive as FIQs).
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/mmio.hpp>

namespace bh::gic {
namespace {

constexpr u32 kCtlrEnableGrp1 = 1u << 1;
constexpr u32 kCtlrRwp = 1u << 31;  // GICD_CTLR.RWP
constexpr u32 kRdCtlrRwp = 1u << 3; // GICR_CTLR.RWP
constexpr u64 kWaker = 0x14;
constexpr u32 kWakerProcessorSleep = 1u << 1;
constexpr u32 kWakerChildrenAsleep = 1u << 2;
constexpr u64 kIgroupr0 = 0x080;
constexpr u64 kIsenabler0 = 0x100;
constexpr u64 kIcenabler0 = 0x180;
constexpr u64 kIpriorityr = 0x400;
constexpr u32 kDefaultPriority = 0x80; // any value below the PMR of 0xff
constexpr u32 kPollLimit = 1000000;

void wait_clear(u64 reg, u32 bits) {
    for (u32 i = 0; i < kPollLimit && (mmio::read32(reg) & bits); ++i) cpu_relax();
}

} // namespace

void init_distributor() {
    mmio::write32(kGicdCtlr, mmio::read32(kGicdCtlr) | kCtlrEnableGrp1);
    wait_clear(kGicdCtlr, kCtlrRwp);
}

void init_cpu() {
    u32 me = this_vcpu();
    u64 rd = redistributor(me);
    mmio::write32(rd + kWaker, mmio::read32(rd + kWaker) & ~kWakerProcessorSleep);
    wait_clear(rd + kWaker, kWakerChildrenAsleep);

    u64 sgi = sgi_frame(me);
    mmio::write32(sgi + kIcenabler0, 0xffffffff); // nothing until a test asks
    mmio::write32(sgi + kIgroupr0, 0xffffffff);
    for (u32 i = 0; i < 8; ++i) mmio::write32(sgi + kIpriorityr + 4 * i, kDefaultPriority * 0x01010101u);
    wait_clear(rd, kRdCtlrRwp);

    u64 sre;
    asm volatile("mrs %0, icc_sre_el1" : "=r"(sre));
    asm volatile("msr icc_sre_el1, %0" ::"r"(sre | 1));
    isb();
    asm volatile("msr icc_pmr_el1, %0" ::"r"(u64(0xff)));
    asm volatile("msr icc_bpr1_el1, %0" ::"r"(u64(0)));
    asm volatile("msr icc_igrpen1_el1, %0" ::"r"(u64(1)));
    isb();
}

void enable_local(u32 intid) {
    mmio::write32(sgi_frame(this_vcpu()) + kIsenabler0, 1u << (intid & 31));
    dsb();
}

void disable_local(u32 intid) {
    u32 me = this_vcpu();
    mmio::write32(sgi_frame(me) + kIcenabler0, 1u << (intid & 31));
    wait_clear(redistributor(me), kRdCtlrRwp);
}

void send_sgi(u32 intid, u32 target) {
    u64 v = (u64(intid & 0xf) << 24) | (u64(1) << (target & 0xf));
    dsb();
    asm volatile("msr icc_sgi1r_el1, %0" ::"r"(v) : "memory");
    isb();
}

void send_sgi_others(u32 intid) {
    u64 v = (u64(1) << 40) | (u64(intid & 0xf) << 24);
    dsb();
    asm volatile("msr icc_sgi1r_el1, %0" ::"r"(v) : "memory");
    isb();
}

u32 it_lines_number() { return mmio::read32(kGicdTyper) & 0x1f; }

u32 acknowledge() {
    u64 v;
    asm volatile("mrs %0, icc_iar1_el1" : "=r"(v)::"memory");
    dsb();
    return static_cast<u32>(v);
}

void end_of_interrupt(u32 iar) {
    asm volatile("msr icc_eoir1_el1, %0" ::"r"(u64(iar)) : "memory");
    isb();
}

} // namespace bh::gic
