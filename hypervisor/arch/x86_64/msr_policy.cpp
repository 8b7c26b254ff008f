// SPDX-License-Identifier: GPL-2.0-only
// Every MSR access of a zone traps (the back ends' permission maps) except
// the few its control block switches. Of the trapped ones a zone may use
// EFER (the bits of long mode and SYSCALL), PAT, its own TSC_AUX and its
// local APIC's, and read the TSC and IA32_MISC_ENABLE; anything else raises
// #GP, which is what an absent MSR does on real hardware.
#include "exit_common.hpp"
#include "tsc_aux.hpp"
#include "vcpu_interrupts.hpp"

#include <bulkhead/log.hpp>
#include <bulkhead/vcpu.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {
constexpr u32 kMsrTsc = 0x10, kMsrMiscEnable = 0x1a0;
// IA32_MISC_ENABLE as a zone sees it: fast strings on, BTS and PEBS
// unavailable, XD not disabled. Linux's decompressor reads it on Intel CPUs
// before it has an IDT (verify_cpu), so a #GP there is a triple fault;
// rewriting the value is accepted, any change refused (nothing behind it
// is the zone's to change).
constexpr u64 kMiscEnableValue = (1ull << 0) | (1ull << 11) | (1ull << 12);
} // namespace

MsrKind classify_msr(u32 msr, bool write) {
    switch (msr) {
    case x86::kMsrEfer: return MsrKind::efer;
    case x86::kMsrPat: return MsrKind::pat;
    case kMsrTsc: return write ? MsrKind::refused : MsrKind::tsc;
    case kMsrMiscEnable: return MsrKind::misc_enable;
    case x86::kMsrTscAux: return tsc_aux_offered() ? MsrKind::tsc_aux : MsrKind::refused;
    default: return is_lapic_msr(msr) ? MsrKind::lapic : MsrKind::refused;
    }
}

bool efer_write_valid(u64 value) {
    return (value & ~(x86::kEferSce | x86::kEferLme | x86::kEferLma | x86::kEferNxe)) == 0;
}

bool pat_valid(u64 value) {
    for (unsigned i = 0; i < 8; ++i) {
        u64 t = (value >> (8 * i)) & 0xff;
        if (t == 2 || t == 3 || t > 7) return false; // reserved memory types
    }
    return true;
}

void log_refused_msr(Vcpu& v, u32 msr, bool write, u64 value) {
    Zone& z = *v.zone;
    if (!z.arch.msrs_logged.sample()) return;
    if (write)
        zone_log(z, "zone '%s' vcpu %u: wrmsr %#x <- %#llx refused: injecting #GP(0)", z.name, v.index, msr,
                 static_cast<unsigned long long>(value));
    else
        zone_log(z, "zone '%s' vcpu %u: rdmsr %#x refused: injecting #GP(0)", z.name, v.index, msr);
}

Emulation msr_access(Vcpu& v, bool write) {
    arch::GuestRegs& r = v.ctx.regs;
    const Backend& b = backend();
    u32 index = static_cast<u32>(r.rcx);
    u64 value = (r.rdx << 32) | (r.rax & 0xffffffff);
    bool ok = true;
    u64 result = 0;
    switch (classify_msr(index, write)) {
    case MsrKind::efer:
        if (!write)
            result = b.efer(v);
        else if ((ok = efer_write_valid(value)))
            b.set_efer(v, (value & ~x86::kEferLma) | (b.efer(v) & x86::kEferLma));
        break;
    case MsrKind::pat:
        if (!write)
            result = b.pat(v);
        else if ((ok = pat_valid(value)))
            b.set_pat(v, value);
        break;
    case MsrKind::tsc: result = x86::rdtsc() + b.tsc_offset(v); break;
    case MsrKind::misc_enable:
        result = kMiscEnableValue;
        ok = !write || value == kMiscEnableValue;
        break;
    case MsrKind::tsc_aux:
        if (!write)
            result = v.ctx.tsc_aux;
        else
            ok = tsc_aux_write(v, value);
        break;
    case MsrKind::lapic: ok = lapic_msr(v, index, write, value, result); break;
    case MsrKind::refused: ok = false; break;
    }
    if (!ok) {
        log_refused_msr(v, index, write, value);
        b.inject_gp(v);
        return Emulation::faulted;
    }
    if (!write) {
        r.rax = result & 0xffffffff;
        r.rdx = result >> 32;
    }
    return Emulation::completed;
}

} // namespace bh::x86_64
