// SPDX-License-Identifier: GPL-2.0-only
#include "mmio_emulate.hpp"

#include "mmio_insn.hpp"
#include "vcpu_interrupts.hpp"

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {

constexpr usize kMaxInsn = 15;
constexpr u32 kLoggedInFull = 16;

bool read_guest64(void* ctx, GuestPhys gpa, u64& value) {
    const Zone& z = *static_cast<const Zone*>(ctx);
    HostPhys pa;
    u64 run = 0;
    if (!gpa.aligned(8) || !z.ram_to_host(gpa, pa, run) || run < 8) return false;
    value = *phys_to_ptr<const u64>(pa);
    return true;
}

// Copies up to kMaxInsn bytes at linear `rip`, page by page (an instruction
// may straddle two pages mapped anywhere). Returns how many it got.
usize fetch(const Vcpu& v, const GuestCpuMode& mode, u64 rip, u8 (&out)[kMaxInsn]) {
    const Zone& z = *v.zone;
    usize got = 0;
    while (got < kMaxInsn) {
        GuestVirt linear(rip + got);
        GuestPhys gpa;
        if (guest_linear_to_phys(mode.paging, linear, read_guest64, const_cast<Zone*>(&z), gpa) != WalkStatus::ok)
            break;
        HostPhys pa;
        u64 run = 0;
        if (!z.ram_to_host(gpa, pa, run)) break;
        u64 in_page = kPageSize - (linear.raw() & (kPageSize - 1));
        usize n = kMaxInsn - got;
        if (n > in_page) n = static_cast<usize>(in_page);
        if (n > run) n = static_cast<usize>(run);
        __builtin_memcpy(out + got, phys_to_ptr<const u8>(pa), n);
        got += n;
    }
    return got;
}

void log_refusal(Vcpu& v, GuestPhys gpa, const char* why) {
    Zone& z = *v.zone;
    u32 n = z.faults_logged.fetch_add(1, MemoryOrder::relaxed) + 1;
    if (n <= kLoggedInFull || n % 1024 == 0)
        log("zone '%s' vcpu %u: access to device page IPA %#llx at RIP %#llx not emulated: %s", z.name, v.index,
            static_cast<unsigned long long>(gpa.raw()), static_cast<unsigned long long>(v.ctx.regs.rip), why);
}

} // namespace

bool mmio_claims(const Vcpu& v, GuestPhys gpa) { return lapic_mmio_claims(v, gpa) || ioapic_mmio_claims(gpa); }

bool mmio_emulate(Vcpu& v, const GuestCpuMode& mode, GuestPhys gpa, bool write) {
    u8 bytes[kMaxInsn];
    usize got = fetch(v, mode, v.ctx.regs.rip, bytes);
    MmioInsn insn;
    DecodeStatus st = decode_mmio_insn(bytes, got, insn, mode.code64 ? DecodeMode::long64 : DecodeMode::protected32);
    if (st != DecodeStatus::ok) {
        log_refusal(v, gpa, st == DecodeStatus::truncated ? "instruction bytes not in RAM" : "not a plain load or store");
        return false;
    }
    if ((insn.kind == MmioInsn::Kind::store) != write) {
        log_refusal(v, gpa, "the instruction does not match the access");
        return false;
    }
    u64* regs = &v.ctx.regs.rax; // encoding order, as GuestRegs lays them out
    auto device = lapic_mmio_claims(v, gpa) ? lapic_mmio : ioapic_mmio;
    if (write) {
        u64 value = mmio_store_value(insn, insn.has_imm ? 0 : regs[insn.reg]);
        device(v, gpa, insn.size, true, value);
    } else {
        u64 value = 0;
        device(v, gpa, insn.size, false, value);
        regs[insn.reg] = mmio_load_result(insn, regs[insn.reg], value);
    }
    v.ctx.regs.rip += insn.length;
    return true;
}

} // namespace bh::x86_64
