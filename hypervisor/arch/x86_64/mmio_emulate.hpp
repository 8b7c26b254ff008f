// SPDX-License-Identifier: GPL-2.0-only
// A zone's access to an emulated device page (its xAPIC page, its I/O
// APIC): the nested
// page fault or EPT violation gives the guest-physical address only, so the
// instruction is fetched through the zone's own page tables, decoded
// (mmio_insn.hpp) and carried out on the device; RIP moves past it.
#pragma once

#include "insn_fetch.hpp"

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

// True if `gpa` is an emulated device page of this vCPU.
bool mmio_claims(const Vcpu& v, GuestPhys gpa);
// Emulates the access. False when the instruction cannot be fetched or is
// not a plain load or store (logged): the caller applies the fault policy.
bool mmio_emulate(Vcpu& v, const GuestCpuMode& mode, GuestPhys gpa, bool write);
// Applies a forwarded access the server completed while the vCPU waited
// (register, RIP); called before every entry.
void mmio_finish_pending(Vcpu& v);

} // namespace bh::x86_64
