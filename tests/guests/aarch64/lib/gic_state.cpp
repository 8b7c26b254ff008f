// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/gic_state.hpp>
#include <guest/mmio.hpp>
#include <guest/sysreg.hpp>

namespace bh::gic {

u64 bank_address(u64 reg, u32 intid) {
    u64 base = intid < 32 ? sgi_frame(this_vcpu()) : kGicd;
    return base + reg + 4 * (intid / 32);
}

void set_bit(u64 reg, u32 intid) {
    mmio::write32(bank_address(reg, intid), 1u << (intid % 32));
    dsb();
}

bool test_bit(u64 reg, u32 intid) { return mmio::read32(bank_address(reg, intid)) >> (intid % 32) & 1; }

void set_priority(u32 intid, u8 p) {
    u64 base = intid < 32 ? sgi_frame(this_vcpu()) : kGicd;
    mmio::write8(base + kIpriorityr + intid, p);
    dsb();
}

u8 priority(u32 intid) {
    u64 base = intid < 32 ? sgi_frame(this_vcpu()) : kGicd;
    return mmio::read8(base + kIpriorityr + intid);
}

void route_spi_to(u32 intid, u32 vcpu) { mmio::write64(kGicd + kIrouter + 8 * intid, vcpu); }

bool pending(u32 intid) { return test_bit(kIspendr, intid); }
bool active(u32 intid) { return test_bit(kIsactiver, intid); }

u32 highest_pending() { return static_cast<u32>(BH_MRS(icc_hppir1_el1) & 0xffffff); }
u32 running_priority() { return static_cast<u32>(BH_MRS(icc_rpr_el1) & 0xff); }
void set_pmr(u8 pmr) { BH_MSR(icc_pmr_el1, pmr); }
void set_bpr1(u32 bpr) { BH_MSR(icc_bpr1_el1, bpr); }
u32 bpr1() { return static_cast<u32>(BH_MRS(icc_bpr1_el1) & 7); }

void set_eoimode(bool split) {
    u64 ctlr = BH_MRS(icc_ctlr_el1);
    BH_MSR(icc_ctlr_el1, split ? ctlr | 2 : ctlr & ~u64(2));
}

void deactivate(u32 intid) { BH_MSR(icc_dir_el1, intid); }

} // namespace bh::gic
