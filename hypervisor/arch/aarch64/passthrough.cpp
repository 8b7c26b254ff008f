// SPDX-License-Identifier: GPL-2.0-only
// Host devices passed through to the control domain.
//
// Windows: every transport's 4 KiB page(s), merged into runs, mapped at the
// same address in the control domain's stage 2 (device nGnRE) and entered
// in its device registry as one range per run, so nothing else of the zone
// can be placed there and a trapped access there (an instruction fetch)
// meets the fault policy. QEMU virt packs 32 transports of 0x200 bytes into
// four pages that hold nothing else.
//
// Interrupts: virtio-mmio lines are level-sensitive (the line follows the
// device's InterruptStatus). The host GIC runs with EOImode 1, so the
// hypervisor acknowledges a passed-through SPI, drops its priority and
// leaves it active: it cannot fire again while the zone handles it. The
// virtual SPI goes to the zone in a hardware list register (HW = 1,
// pINTID = the SPI, the same INTID in both), so the zone's EOI deactivates
// the physical SPI, which fires again if the device still asserts it. No
// maintenance interrupt and no trap on the zone's EOI, as for the timers
// (vgic.cpp); unlike them, a hardware entry stays in a descheduled vCPU's
// saved list registers: an SPI is not tied to the CPU, and keeping it
// active only holds back that one device until the zone runs again.
#include "passthrough.hpp"

#include "gic.hpp"
#include "platform.hpp"
#include "vgic_lr.hpp"

#include <arch/vgic_state.hpp>
#include <arch/zone_platform.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {
namespace {

// The zone with the host's devices. Its lock is what lets an interrupt
// being forwarded and the owner's teardown exclude each other.
Spinlock owner_lock{LockLevel::irq_controller};
Zone* owner = nullptr;

// A window the zone reaches directly: accesses never trap, except those
// stage 2 refuses anyway (execution), which get the fault policy.
struct PassthroughWindow {
    bool access(Vcpu&, DeviceAccess&) { return false; }
} window_model;

u64 spi_bit(u32 intid) { return u64(1) << (intid - 32); }
bool is_zone_spi(u32 intid) { return intid >= 32 && intid < arch::kVgicIntids; }

// The transports' pages, sorted and merged into runs.
struct Runs {
    Range<HostPhys> run[Platform::kMaxVirtio];
    unsigned count = 0;
};

Runs page_runs(const Platform& p) {
    Runs r;
    for (unsigned i = 0; i < p.virtio_count; ++i) {
        u64 lo = align_down(p.virtio[i].base, kPageSize), hi = align_up(p.virtio[i].base + p.virtio[i].size, kPageSize);
        unsigned k = r.count++;
        for (; k > 0 && r.run[k - 1].base.raw() > lo; --k) r.run[k] = r.run[k - 1];
        r.run[k] = {HostPhys(lo), hi - lo};
    }
    unsigned out = 0;
    for (unsigned i = 0; i < r.count; ++i) {
        if (out && r.run[out - 1].end().raw() >= r.run[i].base.raw()) {
            u64 end =
                r.run[i].end().raw() > r.run[out - 1].end().raw() ? r.run[i].end().raw() : r.run[out - 1].end().raw();
            r.run[out - 1].size = end - r.run[out - 1].base.raw();
            continue;
        }
        r.run[out++] = r.run[i];
    }
    r.count = out;
    return r;
}

// Decides which SPIs the zone gets; nothing is changed on a refusal.
Status collect_spis(const Platform& p, u64& spis) {
    spis = 0;
    for (unsigned i = 0; i < p.virtio_count; ++i) {
        u32 intid = p.virtio[i].intid;
        if (!intid) continue;
        // Its virtual GIC has 64 SPIs, the last the hypervisor's event line;
        // the host UART's is the zone's own emulated PL011's.
        if (!is_zone_spi(intid) || intid == 32 + arch::kZonePlatform.event_line || intid == p.uart_intid) {
            log("control domain: virtio-mmio at %#llx has SPI %u, which its virtual GIC cannot give it",
                static_cast<unsigned long long>(p.virtio[i].base), intid - 32);
            return Status::invalid_argument;
        }
        spis |= spi_bit(intid);
    }
    return Status::ok;
}

} // namespace

Status passthrough_attach(Zone& z) {
    const Platform& p = platform();
    u64 spis;
    if (Status s = collect_spis(p, spis); s != Status::ok) return s;
    LockGuard g(owner_lock);
    if (owner) return Status::busy; // one control domain owns them
    Runs r = page_runs(p);
    for (unsigned i = 0; i < r.count; ++i) {
        const Range<HostPhys>& w = r.run[i];
        if (Status s = z.devices.add(AddressSpace::mmio, w.base.raw(), w.size, window_model, "virtio-mmio (host)");
            s != Status::ok)
            return s;
        if (Status s = z.stage2.map(GuestPhys(w.base.raw()), w.base, w.size, MemAttr::device()); s != Status::ok)
            return s;
    }
    z.arch.passthrough_spis = spis;
    owner = &z;
    log("zone '%s': %u virtio-mmio transport(s) passed through in %u window(s), SPIs forwarded", z.name, p.virtio_count,
        r.count);
    return Status::ok;
}

void passthrough_detach(Zone& z) {
    LockGuard g(owner_lock);
    if (owner != &z) return;
    u64 spis = z.arch.passthrough_spis;
    for (u64 b = spis; b; b &= b - 1) gic_disable_spi(32 + static_cast<u32>(__builtin_ctzll(b)));
    // Active ones (held, or in a hardware list register of a vCPU that is
    // off the CPU for good now) are ended here, or they stay active forever.
    u64 active = __atomic_exchange_n(&z.arch.held_spis, 0, __ATOMIC_ACQ_REL);
    for (u32 i = 0; i < z.vcpu_count; ++i)
        for (u64 lr : z.vcpus[i].ctx.vgic.lr)
            if ((lr & kLrHw) && is_zone_spi(lr_intid(lr)) && (spis & spi_bit(lr_intid(lr))))
                active |= spi_bit(lr_intid(lr));
    for (u64 b = active; b; b &= b - 1) gic_deactivate(32 + static_cast<u32>(__builtin_ctzll(b)));
    z.arch.passthrough_spis = 0;
    owner = nullptr;
}

bool passthrough_interrupt(u32 intid) {
    if (!is_zone_spi(intid)) return false;
    LockGuard g(owner_lock);
    if (!owner || !(owner->arch.passthrough_spis & spi_bit(intid))) return false;
    gic_priority_drop(intid);
    __atomic_fetch_or(&owner->arch.held_spis, spi_bit(intid), __ATOMIC_RELEASE);
    arch::raise_zone_interrupt(*owner, intid - 32);
    return true;
}

bool passthrough_take(Zone& z, u32 intid) {
    if (!is_zone_spi(intid)) return false;
    return __atomic_fetch_and(&z.arch.held_spis, ~spi_bit(intid), __ATOMIC_ACQ_REL) & spi_bit(intid);
}

void passthrough_enable(u32 intid, bool enable, u64 target_mpidr) {
    if (enable)
        gic_enable_spi(intid, target_mpidr);
    else
        gic_disable_spi(intid);
}

} // namespace bh::aarch64
