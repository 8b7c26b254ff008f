// SPDX-License-Identifier: GPL-2.0-only
// Booting Linux in an x86 zone (arch/x86_linux_image.hpp for the layout):
// the kernel's pieces, the command line, the ACPI tables and the start
// block are copied into the zone's RAM, and vCPU 0 is pointed at the
// kernel's entry in the state its boot protocol asks for:
//   PVH:     32-bit protected mode, paging off, EBX = hvm_start_info
//            (Xen's docs/misc/pvh.pandoc);
//   bzImage: 64-bit mode on the hypervisor's identity map, RSI = the zero
//            page (Documentation/x86/boot.rst, "64-bit Boot Protocol").
// The other vCPUs wait for Linux's INIT-SIPI-SIPI (RAM from 0 gives it the
// memory below 1 MiB its real-mode trampoline needs).
#include "backend.hpp"
#include "guest_paging.hpp"
#include "vcpu_reset.hpp"

#include <arch/x86_64_platform.hpp>
#include <arch/x86_boot_info.hpp>
#include <arch/x86_linux_image.hpp>
#include <arch/zone_acpi.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_management.hpp>

namespace bh::arch {
namespace {

using ull = unsigned long long;

// Scratch for the boot data: one zone at a time.
Spinlock scratch_lock{LockLevel::allocator};
alignas(8) u8 info_page[kPageSize];
alignas(8) u8 lists_page[kPageSize];
alignas(8) char cmdline[x86_64::kCmdlineMax];
alignas(8) u8 acpi[x86_64::kAcpiMax];
alignas(8) u8 strings[BH_LINUX_BOOT_STRINGS_MAX]; // a ZONE_BOOT_LINUX caller's

// The ACPI tables: the zone's CPUs, its I/O APIC, console UART and
// virtio-mmio slots, and for a zone that may manage others the hypervisor's
// event line.
Status write_acpi(Zone& z) {
    static constexpr auto kSlots = [] {
        struct {
            x86_64::ZoneAcpiVirtio slot[VirtioMmioSlots::kSlots];
        } t{};
        for (u32 i = 0; i < VirtioMmioSlots::kSlots; ++i)
            t.slot[i] = {VirtioMmioSlots::kBase.raw() + i * VirtioMmioSlots::kSlotSize, VirtioMmioSlots::kSlotSize,
                         VirtioMmioSlots::kFirstLine + i};
        return t;
    }();
    x86_64::ZoneAcpiConfig c;
    c.vcpus = z.vcpu_count;
    c.virtio = kSlots.slot;
    c.virtio_count = VirtioMmioSlots::kSlots;
    if (z.privileged) c.event_gsi = static_cast<int>(x86_64::kZonePlatform.event_line);
    usize n = x86_64::build_zone_acpi(c, x86_64::kAcpiTables, acpi, sizeof acpi);
    if (!n) return Status::no_memory;
    return copy_to_guest(z, x86_64::kAcpiTables, acpi, n);
}

alignas(8) u8 zeros[kPageSize];

// The manifest's kernel: its segments copied to their places (a new zone's
// RAM is scrubbed, so an ELF's .bss already reads zero).
Status copy_manifest_kernel(Zone& z, Blob file, const x86_64::X86Kernel& k) {
    for (u32 i = 0; i < k.segment_count; ++i) {
        const x86_64::X86Segment& s = k.segments[i];
        if (Status st = copy_to_guest(z, s.load, file.data + s.offset, s.file_size); st != Status::ok) return st;
    }
    return Status::ok;
}

// One window of a staged boot's plan (x86_staged_boot_plan): the control
// domain's files, in the zone's RAM, moved to their places.
Status move_pieces(Zone& z, const LinuxLoaded& l, const x86_64::X86BootPiece* w, u32 n) {
    using Kind = x86_64::X86BootPiece::Kind;
    for (u32 i = 0; i < n; ++i) {
        const x86_64::X86BootPiece& p = w[i];
        Status st = Status::ok;
        if (p.kind == Kind::kernel_bytes)
            st = copy_between_zones(z, p.to, z, l.kernel + p.from, p.size);
        else if (p.kind == Kind::initrd_bytes)
            st = copy_between_zones(z, p.to, z, l.initrd + p.from, p.size);
        else
            for (u64 at = 0; at < p.size && st == Status::ok; at += kPageSize)
                st = copy_to_guest(z, p.to + at, zeros, p.size - at < kPageSize ? p.size - at : kPageSize);
        if (st != Status::ok) return st;
    }
    return Status::ok;
}

// The command line into `cmdline` (scratch_lock held): its length, 0 (and
// the reason logged) if the kernel cannot take it. Built before anything
// is written, so a refusal leaves the zone's RAM as it was.
usize build_cmdline(Zone& z, const LinuxBoot& l, const x86_64::X86LinuxLayout& at) {
    char why[192];
    usize len = x86_64::x86_linux_cmdline(l, z.name, ticks_per_second() / 1000, cmdline, at.kernel.cmdline_max, why,
                                          sizeof why);
    if (!len) log("zone '%s': %s", z.name, why);
    return len;
}

// Once the kernel and initrd are in place (scratch_lock held, `cmdline`
// built): the command line, the ACPI tables, the start block, and vCPU 0
// at the entry in the state the kernel's protocol asks.
Status write_boot_data(Zone& z, u64 initrd_size, const x86_64::X86LinuxLayout& at, usize cmdline_len) {
    if (Status s = copy_to_guest(z, x86_64::kCmdline, cmdline, cmdline_len + 1); s != Status::ok) return s;
    if (Status s = write_acpi(z); s != Status::ok) return s;

    Vcpu& v = z.vcpus[0];
    if (at.kernel.kind == x86_64::X86KernelKind::pvh_elf) {
        x86_64::x86_pvh_start_info(at, z.ram, initrd_size, x86_64::kAcpiTables, info_page, lists_page);
        if (Status s = copy_to_guest(z, x86_64::kBootLists, lists_page, kPageSize); s != Status::ok) return s;
        vcpu_reset(v, at.kernel.entry, 0);
        x86_64::backend().vcpu_enter_flat32(v);
        v.ctx.regs.rbx = x86_64::kBootInfo.raw();
    } else {
        x86_64::x86_zero_page(at, z.ram, initrd_size, x86_64::kAcpiTables, info_page);
        vcpu_reset(v, at.kernel.entry, 0);
        v.ctx.regs.rsi = x86_64::kBootInfo.raw();
    }
    if (Status s = copy_to_guest(z, x86_64::kBootInfo, info_page, kPageSize); s != Status::ok) return s;
    log("zone '%s': Linux %s, entry %#llx, kernel [%#llx, %#llx), initrd %#llx (%llu KiB), command line %llu B", z.name,
        at.kernel.kind == x86_64::X86KernelKind::pvh_elf ? "PVH" : "bzImage (64-bit entry)",
        static_cast<ull>(at.kernel.entry.raw()), static_cast<ull>(at.kernel.segments[0].load.raw()),
        static_cast<ull>(at.kernel_end.raw()), static_cast<ull>(at.initrd.raw()), static_cast<ull>(initrd_size >> 10),
        static_cast<ull>(cmdline_len));
    return Status::ok;
}

// A kernel file in the zone's RAM, read through copy_from_guest: a created
// zone's RAM may lie in several host runs.
struct ZoneFile {
    const Zone* zone;
    GuestPhys at;
};
bool read_zone_file(const void* context, u64 offset, void* dst, u64 len) {
    const ZoneFile& f = *static_cast<const ZoneFile*>(context);
    return copy_from_guest(*f.zone, f.at + offset, dst, len) == Status::ok;
}

} // namespace

Status prepare_linux_zone(Zone& z, const LinuxBoot& l) {
    x86_64::X86LinuxLayout at;
    char why[192];
    if (!x86_64::x86_linux_layout(l, z.ram, x86_64::kZonePlatform.boot_area_bytes, at, why, sizeof why)) {
        log("zone '%s': %s", z.name, why);
        return Status::invalid_argument;
    }
    LockGuard g(scratch_lock);
    usize len = build_cmdline(z, l, at);
    if (!len) return Status::invalid_argument;
    if (Status s = copy_manifest_kernel(z, l.kernel, at.kernel); s != Status::ok) return s;
    if (l.initrd.size)
        if (Status s = copy_to_guest(z, at.initrd, l.initrd.data, l.initrd.size); s != Status::ok) return s;
    return write_boot_data(z, l.initrd.size, at, len);
}

// A kernel a manager loaded itself (BH_HC_ZONE_BOOT_LINUX): the kernel file
// (PVH vmlinux or bzImage) and the initrd wherever in the zone's RAM it put
// them, clear of where the kernel runs (x86_staged_linux_ok); the zone's
// RAM must start at 0 (ZONE_CREATE with BH_ZONE_CREATE_LINUX). Every step
// recognises and checks it all again before it writes anything, then moves
// the next kManagementStepBytes of the plan (x86_staged_boot_plan: pieces
// that read nothing an earlier one writes, so a repeated step is harmless);
// the last step writes the boot data and points vCPU 0 at the kernel.
Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller, u64& progress, bool& done) {
    done = false;
    ZoneFile file{&z, l.kernel};
    x86_64::KernelSource kernel{l.kernel_size, &file, read_zone_file};
    x86_64::X86LinuxLayout at;
    char why[192];
    if (!x86_64::x86_linux_layout(kernel, l.initrd_size, z.ram, x86_64::kZonePlatform.boot_area_bytes, at, why,
                                  sizeof why) ||
        !x86_64::x86_staged_linux_ok(at, {l.kernel, l.kernel_size}, {l.initrd, l.initrd_size}, why, sizeof why)) {
        log("zone '%s': ZONE_BOOT_LINUX refused: %s", z.name, why);
        return Status::invalid_argument;
    }
    LockGuard g(scratch_lock);
    if (Status s = copy_from_guest(caller, l.strings, strings, l.strings_size); s != Status::ok) return s;
    LinuxBoot boot;
    if (Status s = linux_boot_strings(strings, l, boot); s != Status::ok) return s;
    usize len = build_cmdline(z, boot, at);
    if (!len) return Status::invalid_argument;
    const x86_64::X86BootPlan plan = x86_64::x86_staged_boot_plan(at, {l.initrd, l.initrd_size});
    if (progress > plan.total) return Status::invalid_argument;
    u64 to = plan.total - progress > kManagementStepBytes ? progress + kManagementStepBytes : plan.total;
    x86_64::X86BootPiece window[x86_64::X86BootPlan::kMaxPieces];
    if (Status s = move_pieces(z, l, window, x86_64::x86_plan_window(plan, progress, to, window)); s != Status::ok)
        return s;
    progress = to;
    if (to < plan.total) return Status::ok;
    if (Status s = write_boot_data(z, l.initrd_size, at, len); s != Status::ok) return s;
    // The control domain may have loaded over the start-up tables at RAM's
    // top (the files may lie there: they have been copied out by now); vCPU 0
    // enters a bzImage on them, so they are written again.
    if (Status s = x86_64::build_guest_identity_map(z); s != Status::ok) return s;
    done = true;
    return Status::ok;
}

} // namespace bh::arch
