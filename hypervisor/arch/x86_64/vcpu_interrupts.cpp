// SPDX-License-Identifier: GPL-2.0-only
#include "vcpu_interrupts.hpp"

#include "backend.hpp"
#include "timer.hpp"
#include "vcpu_reset.hpp"

#include <arch/vlapic.hpp>
#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64 {
namespace {

constexpr u32 kMsrApicBase = 0x1b;
constexpr u32 kMsrTscDeadline = 0x6e0;

const char* mode_name(IpiRequest::Mode m) {
    switch (m) {
    case IpiRequest::Mode::smi: return "SMI";
    case IpiRequest::Mode::nmi: return "NMI";
    case IpiRequest::Mode::init: return "INIT";
    case IpiRequest::Mode::startup: return "STARTUP";
    default: return "reserved";
    }
}

void deliver(const Vcpu* from, Vcpu& to, u8 vector) {
    to.ctx.lapic.accept(vector);
    if (&to != from) sched::wake(to);
}

void log_dropped(Zone& z, const char* source, u32 number, const char* what, const char* why) {
    if (z.arch.ipis_logged.sample())
        zone_log(z, "zone '%s' %s %u: %s not delivered (%s)", z.name, source, number, what, why);
}

// STARTUP after INIT: the vCPU starts in real mode at vector << 12, its
// local APIC in its INIT state (as the SDM's INIT-SIPI-SIPI protocol).
void start_in_real_mode(Vcpu& v, const void* how) {
    u8 vector = *static_cast<const u8*>(how);
    reset_vcpu_state(v, GuestPhys(0), 0);
    v.ctx.regs.rsp = 0;
    backend().vcpu_reset_real_mode(v, vector);
}

// INIT parks an off vCPU until a STARTUP; a STARTUP starts a parked one
// and is ignored by any other (as a CPU not waiting for SIPI ignores it).
// Resetting a running vCPU with INIT is not offered.
void init_or_startup(Zone& z, Vcpu& t, const IpiRequest& ipi, const char* source, u32 number) {
    bool init = ipi.mode == IpiRequest::Mode::init;
    if (init) {
        Lock<Zone> g(z);
        Lock<PerCpu> h(bh::cpu(t.home_cpu));
        if (t.state == VcpuState::off && !t.on_cpu.load())
            __atomic_store_n(&t.ctx.wait_for_sipi, true, __ATOMIC_RELEASE);
        else
            log_dropped(z, source, number, "INIT to a running vCPU", "resetting a running vCPU is not offered");
        return;
    }
    if (!__atomic_load_n(&t.ctx.wait_for_sipi, __ATOMIC_ACQUIRE)) return;
    if (!backend().can_run_real_mode()) {
        log_dropped(z, source, number, "STARTUP", "this CPU cannot run zones in real mode; use BH_HC_VCPU_ON");
        return;
    }
    u8 vector = ipi.vector;
    // A STARTUP that finds the vCPU busy, or its zone ending, is ignored,
    // as a CPU not waiting for SIPI ignores it.
    (void)vcpu_start_with(z, t.index, start_in_real_mode, &vector);
}

} // namespace

// Interrupts reach the zone's own vCPUs only: a zone has no way to name
// anything else. Lowest priority goes to the first match (any choice among
// the targets is architectural). `from` is the sending vCPU, or null for
// the zone's I/O APIC; `source` and `number` name the sender in the log.
void deliver_interrupt(Zone& z, Vcpu* from, const IpiRequest& ipi, const char* source, u32 number) {
    using Mode = IpiRequest::Mode;
    using Shorthand = IpiRequest::Shorthand;
    if (ipi.mode == Mode::none) return;
    bool start = ipi.mode == Mode::init || ipi.mode == Mode::startup;
    if (ipi.mode != Mode::fixed && ipi.mode != Mode::lowest_priority && !start) {
        char what[24];
        format(what, sizeof what, "%s interrupt", mode_name(ipi.mode));
        log_dropped(z, source, number, what, "zones get fixed and lowest-priority interrupts");
        return;
    }
    if (ipi.shorthand == Shorthand::self) {
        if (from && !start) from->ctx.lapic.accept(ipi.vector);
        return;
    }
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        Vcpu& t = z.vcpus[i];
        bool hit = false;
        switch (ipi.shorthand) {
        case Shorthand::all_including_self: hit = true; break;
        case Shorthand::all_excluding_self: hit = &t != from; break;
        default: hit = t.ctx.lapic.accepts_destination(ipi.logical, ipi.destination); break;
        }
        if (!hit) continue;
        if (start) {
            if (&t != from) init_or_startup(z, t, ipi, source, number);
            continue;
        }
        deliver(from, t, ipi.vector);
        if (ipi.mode == Mode::lowest_priority) return;
    }
}

namespace {
void send(Vcpu& from, const IpiRequest& ipi) { deliver_interrupt(*from.zone, &from, ipi, "vcpu", from.index); }
} // namespace

bool is_lapic_msr(u32 msr) {
    return msr == kMsrApicBase || msr == kMsrTscDeadline || (msr >= kX2apicMsrFirst && msr <= kX2apicMsrLast);
}

bool lapic_msr(Vcpu& v, u32 msr, bool write, u64 value, u64& result) {
    VirtualLapic& l = v.ctx.lapic;
    u64 now = arch::now();
    result = 0;
    if (msr == kMsrApicBase) {
        if (!write) {
            result = l.apic_base();
            return true;
        }
        return l.write_apic_base(value);
    }
    if (msr == kMsrTscDeadline) {
        if (write)
            l.write_tsc_deadline(value, now);
        else
            result = l.tsc_deadline();
        return true;
    }
    if (!l.x2apic() || !l.globally_enabled()) return false; // the MSRs exist only in x2APIC mode
    u32 offset = (msr - kX2apicMsrFirst) << 4;
    if (!write) return l.read(offset, now, result) == VirtualLapic::Access::ok;
    IpiRequest ipi;
    if (l.write(offset, value, now, ipi) != VirtualLapic::Access::ok) return false;
    send(v, ipi);
    return true;
}

bool LapicPage::claims(const Vcpu& v, u64) const { return v.ctx.lapic.mmio_active(); }

bool LapicPage::access(Vcpu& v, DeviceAccess& a) {
    if (!claims(v, a.offset)) return false;
    VirtualLapic& l = v.ctx.lapic;
    u32 offset = static_cast<u32>(a.offset);
    u32 reg = offset & ~0xfu, byte = offset & 0xf;
    u64 now = arch::now();
    if (!a.write) {
        // Any read within a register's 32 bits sees those bytes of it (as
        // KVM allows); beyond them, and for invalid registers, 0.
        u64 whole = 0;
        l.read(reg, now, whole);
        a.value =
            (byte + a.size <= 4) ? (whole >> (8 * byte)) & (a.size >= 4 ? 0xffffffffu : (1u << (8 * a.size)) - 1) : 0;
        return true;
    }
    if (a.size != 4 || byte) return true; // registers are written whole, as on hardware
    IpiRequest ipi;
    l.write(reg, a.value & 0xffffffff, now, ipi);
    send(v, ipi);
    return true;
}

void lapic_before_entry(Vcpu& v) {
    VirtualLapic& l = v.ctx.lapic;
    if (l.timer_armed()) l.timer_check(arch::now());
    // Only the loaded vCPU sets its CPU's guest deadline, so what it last
    // set is known without asking the timer.
    u64 want = l.timer_deadline();
    if (want != v.ctx.armed_deadline) {
        v.ctx.armed_deadline = want;
        timer_set_guest_deadline(want);
    }
}

} // namespace bh::x86_64
