// SPDX-License-Identifier: GPL-2.0-only
// The fake arch's zones and vCPUs: the arch contract kept honestly enough
// that the core's lifecycle bugs show (a vCPU loaded twice, or loaded after
// its zone was torn down).
#include <arch/fake.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_management.hpp>

namespace bh::arch {
namespace {

Atomic<u64> bad_loads{0};
Atomic<u64> switches_under_lock{0};
Atomic<u64> live_zones{0};
Atomic<u32> next_vmid{1};

} // namespace

u64 fake_bad_loads() { return bad_loads.load(); }
u64 fake_switches_under_lock() { return switches_under_lock.load(); }
u64 fake_live_zones() { return live_zones.load(); }

Status zone_init(Zone& z) {
    z.arch.uart.attach(z, z.console);
    if (Status s = z.devices.add(AddressSpace::mmio, Pl011::kBase.raw(), Pl011::kSize, z.arch.uart, "PL011");
        s != Status::ok)
        return s;
    z.arch.rtc.attach(z);
    if (Status s = z.devices.add(AddressSpace::mmio, Pl031::kBase.raw(), Pl031::kSize, z.arch.rtc, "PL031 RTC");
        s != Status::ok)
        return s;
    if (Status s = z.devices.add(AddressSpace::mmio, VirtioMmioSlots::kBase.raw(), VirtioMmioSlots::kSize,
                                 z.arch.virtio, "virtio-mmio slots");
        s != Status::ok)
        return s;
    z.arch.vmid = static_cast<u16>(next_vmid.fetch_add(1));
    z.arch.initialised = true;
    live_zones.fetch_add(1);
    return Status::ok;
}

void flush_guest_tlb(Zone& z) { ++z.arch.tlb_flushes; }

void zone_fini(Zone& z) {
    z.arch.initialised = false;
    live_zones.fetch_sub(1);
}

u64 zone_arch_bytes(const Zone&) { return 0; }
void sync_guest_memory(HostPhys, u64) {}
void zero_guest_memory(HostPhys pa, u64 size) { __builtin_memset(phys_to_ptr<void>(pa), 0, size); }
Status prepare_linux_zone(Zone&, const LinuxBoot&) { return Status::not_supported; }

// The generic contract only: the caller's strings decoded as the real
// arches do, the kernel's bytes worked through in management steps as
// x86-64 moves them (only counted here), vCPU 0 pointed at the kernel; no
// Image checks, no DT.
Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller, u64& progress, bool& done) {
    done = false;
    static u8 strings[BH_LINUX_BOOT_STRINGS_MAX];
    if (Status s = copy_from_guest(caller, l.strings, strings, l.strings_size); s != Status::ok) return s;
    LinuxBoot boot;
    if (Status s = linux_boot_strings(strings, l, boot); s != Status::ok) return s;
    if (progress > l.kernel_size) return Status::invalid_argument;
    z.arch.linux_boot_steps++;
    z.arch.linux_boot_step_from = progress;
    progress = l.kernel_size - progress > kManagementStepBytes ? progress + kManagementStepBytes : l.kernel_size;
    if (progress < l.kernel_size) return Status::ok;
    done = true;
    auto keep = [](char(&to)[64], const Blob& b) {
        for (u64 i = 0; i + 1 < sizeof to && b.present() && i < b.size; ++i) to[i] = static_cast<char>(b.data[i]);
    };
    keep(z.arch.linux_command, boot.command);
    keep(z.arch.linux_bootargs, boot.bootargs);
    z.arch.linux_booted = true;
    vcpu_reset(z.vcpus[0], l.kernel, 0);
    return Status::ok;
}

void raise_zone_interrupt(Zone& z, u32 line) { fake_raise(z.vcpus[0], line); }

void fake_raise(Vcpu& v, u32 line) {
    v.ctx.pending.fetch_or(u64(1) << line);
    sched::wake(v);
}

void fake_arm_timer(Vcpu& v, u64 deadline) { v.ctx.timer_deadline = deadline; }

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg) {
    v.ctx.regs = {};
    v.ctx.regs.pc = entry.raw();
    v.ctx.regs.x[0] = arg;
    v.ctx.pending.store(0);
    v.ctx.timer_deadline = 0;
    ++v.ctx.resets;
}

// A full register switch is slow on hardware: never under a lock another
// CPU may be spinning on.
void vcpu_load(Vcpu& v) {
    if (fake_held_lock_levels()) switches_under_lock.fetch_add(1);
    int expected = -1;
    if (!v.ctx.loaded_on.compare_exchange(expected, static_cast<int>(cpu_id())) || !v.zone->arch.initialised)
        bad_loads.fetch_add(1);
}

void vcpu_save(Vcpu& v) {
    if (fake_held_lock_levels()) switches_under_lock.fetch_add(1);
    v.ctx.loaded_on.store(-1);
}

bool vcpu_has_pending_interrupt(const Vcpu& v) { return v.ctx.pending.load() != 0; }
u64 vcpu_timer_deadline(const Vcpu& v) { return v.ctx.timer_deadline; }

void vcpu_timer_expired(Vcpu& v) {
    v.ctx.timer_deadline = 0;
    v.ctx.pending.fetch_or(u64(1) << kFakeTimerLine);
}

void vcpu_inject_external_abort(Vcpu& v, u64, bool, bool) { ++v.ctx.aborts_injected; }

} // namespace bh::arch
