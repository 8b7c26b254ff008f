// SPDX-License-Identifier: GPL-2.0-only
// Per-interrupt state in the GICv3 registers (set/clear-pending, -active,
// -enable, priority) and the CPU interface's priority machinery, for tests
// of the GIC's rules. INTIDs below 32 are the calling vCPU's (its
// redistributor's SGI frame); 32 and up are SPIs (the distributor).
#pragma once

#include <guest/types.hpp>

namespace bh::gic {

inline constexpr u64 kIsenabler = 0x100, kIcenabler = 0x180, kIspendr = 0x200, kIcpendr = 0x280;
inline constexpr u64 kIsactiver = 0x300, kIcactiver = 0x380, kIpriorityr = 0x400, kIrouter = 0x6000;

// The bank register `reg` (one of the k* above) holding `intid`'s bit.
u64 bank_address(u64 reg, u32 intid);
void set_bit(u64 reg, u32 intid); // writes only this interrupt's bit
bool test_bit(u64 reg, u32 intid);
void set_priority(u32 intid, u8 priority);
u8 priority(u32 intid);
void route_spi_to(u32 intid, u32 vcpu);

bool pending(u32 intid);
bool active(u32 intid);

// CPU interface (ICC_* at EL1; ICV_* in a zone).
u32 highest_pending();  // ICC_HPPIR1_EL1
u32 running_priority(); // ICC_RPR_EL1
void set_pmr(u8 pmr);
void set_bpr1(u32 bpr);
u32 bpr1();
void set_eoimode(bool split); // ICC_CTLR_EL1.EOImode
void deactivate(u32 intid);   // ICC_DIR_EL1

} // namespace bh::gic
