// SPDX-License-Identifier: GPL-2.0-only
#include "mmio_emulate.hpp"

#include "mmio_insn.hpp"
#include "vcpu_interrupts.hpp"

#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {

void log_refusal(Vcpu& v, GuestPhys gpa, const char* why) {
    Zone& z = *v.zone;
    if (z.faults_logged.sample())
        zone_log(z, "zone '%s' vcpu %u: access to device page IPA %#llx at RIP %#llx not emulated: %s", z.name, v.index,
                 static_cast<unsigned long long>(gpa.raw()), static_cast<unsigned long long>(v.ctx.regs.rip), why);
}

} // namespace

bool mmio_claims(const Vcpu& v, GuestPhys gpa) { return v.zone->devices.claims(v, AddressSpace::mmio, gpa.raw()); }

bool mmio_emulate(Vcpu& v, const GuestCpuMode& mode, GuestPhys gpa, bool write) {
    u8 bytes[kMaxInsnLength];
    usize got = fetch_insn(v, mode, bytes);
    MmioInsn insn;
    DecodeStatus st = decode_mmio_insn(bytes, got, insn, mode.code64 ? DecodeMode::long64 : DecodeMode::protected32);
    if (st != DecodeStatus::ok) {
        log_refusal(v, gpa,
                    st == DecodeStatus::truncated ? "instruction bytes not in RAM" : "not a plain load or store");
        return false;
    }
    if ((insn.kind == MmioInsn::Kind::store) != write) {
        log_refusal(v, gpa, "the instruction does not match the access");
        return false;
    }
    u64* regs = &v.ctx.regs.rax; // encoding order, as GuestRegs lays them out
    DeviceAccess a;
    a.size = insn.size;
    a.write = write;
    if (write) a.value = mmio_store_value(insn, insn.has_imm ? 0 : regs[insn.reg]);
    if (!v.zone->devices.dispatch(v, AddressSpace::mmio, gpa.raw(), a)) return false;
    if (a.retry) { // the device cannot take it now: RIP stays, the access runs again later
        sched::yield_current();
        return true;
    }
    if (a.deferred) { // a server completes it: applied before the vCPU runs on
        v.ctx.pending_insn = insn;
        sched::wait_io_current();
        return true;
    }
    if (!write) regs[insn.reg] = mmio_load_result(insn, regs[insn.reg], a.value);
    v.ctx.regs.rip += insn.length;
    return true;
}

void mmio_finish_pending(Vcpu& v) {
    if (v.io.state.load() != VcpuIo::State::done) return;
    const MmioInsn& insn = v.ctx.pending_insn;
    u64* regs = &v.ctx.regs.rax;
    if (insn.kind == MmioInsn::Kind::load) regs[insn.reg] = mmio_load_result(insn, regs[insn.reg], v.io.value);
    v.ctx.regs.rip += insn.length;
    v.io.state.store(VcpuIo::State::none);
}

} // namespace bh::x86_64
