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

// Where the kernel file and the initrd come from: the manifest's images
// (contiguous bytes) or, for ZONE_BOOT_LINUX, the zone's own RAM, where its
// control domain loaded them (x86_staged_linux_ok has checked that no copy
// overwrites what a later one reads).
struct Source {
    Blob kernel, initrd;            // the manifest's; or
    GuestPhys kernel_at, initrd_at; // in the zone (staged)
    bool staged = false;

    Status copy_kernel(Zone& z, u64 offset, GuestPhys dst, u64 n) const {
        if (staged) return copy_between_zones(z, dst, z, kernel_at + offset, n);
        return copy_to_guest(z, dst, kernel.data + offset, n);
    }
    Status copy_initrd(Zone& z, GuestPhys dst, u64 n) const {
        if (!staged) return copy_to_guest(z, dst, initrd.data, n);
        if (dst == initrd_at) return Status::ok; // loaded at its place
        return copy_between_zones(z, dst, z, initrd_at, n);
    }
};

alignas(8) u8 zeros[kPageSize];

Status copy_kernel(Zone& z, const Source& src, const x86_64::X86Kernel& k) {
    for (u32 i = 0; i < k.segment_count; ++i) {
        const x86_64::X86Segment& s = k.segments[i];
        if (Status st = src.copy_kernel(z, s.offset, s.load, s.file_size); st != Status::ok) return st;
        // The rest of an ELF segment (.bss) must read zero. A new zone's
        // RAM is scrubbed, but a control domain may have loaded anything
        // anywhere. (A bzImage's rest is its decompressor's work space.)
        if (!src.staged || k.kind != x86_64::X86KernelKind::pvh_elf) continue;
        for (u64 at = s.file_size; at < s.mem_size;) {
            u64 n = s.mem_size - at < kPageSize ? s.mem_size - at : kPageSize;
            if (Status st = copy_to_guest(z, s.load + at, zeros, n); st != Status::ok) return st;
            at += n;
        }
    }
    return Status::ok;
}

// Everything but the kernel's recognition, with scratch_lock held: the
// pieces copied into place, the command line, the ACPI tables, the start
// block, and vCPU 0 at the entry in the state the kernel's protocol asks.
Status place_linux(Zone& z, const LinuxBoot& l, const Source& src, const x86_64::X86LinuxLayout& at) {
    // The command line first: a refusal leaves the zone's RAM as it was.
    char why[192];
    usize len = x86_64::x86_linux_cmdline(l, z.name, ticks_per_second() / 1000, cmdline, at.kernel.cmdline_max, why,
                                          sizeof why);
    if (!len) {
        log("zone '%s': %s", z.name, why);
        return Status::invalid_argument;
    }
    if (Status s = copy_kernel(z, src, at.kernel); s != Status::ok) return s;
    if (l.initrd.size)
        if (Status s = src.copy_initrd(z, at.initrd, l.initrd.size); s != Status::ok) return s;
    if (Status s = copy_to_guest(z, x86_64::kCmdline, cmdline, len + 1); s != Status::ok) return s;
    if (Status s = write_acpi(z); s != Status::ok) return s;

    Vcpu& v = z.vcpus[0];
    if (at.kernel.kind == x86_64::X86KernelKind::pvh_elf) {
        x86_64::x86_pvh_start_info(at, z.ram, l.initrd.size, x86_64::kAcpiTables, info_page, lists_page);
        if (Status s = copy_to_guest(z, x86_64::kBootLists, lists_page, kPageSize); s != Status::ok) return s;
        vcpu_reset(v, at.kernel.entry, 0);
        x86_64::backend().vcpu_enter_flat32(v);
        v.ctx.regs.rbx = x86_64::kBootInfo.raw();
    } else {
        x86_64::x86_zero_page(at, z.ram, l.initrd.size, x86_64::kAcpiTables, info_page);
        vcpu_reset(v, at.kernel.entry, 0);
        v.ctx.regs.rsi = x86_64::kBootInfo.raw();
    }
    if (Status s = copy_to_guest(z, x86_64::kBootInfo, info_page, kPageSize); s != Status::ok) return s;
    log("zone '%s': Linux %s, entry %#llx, kernel [%#llx, %#llx), initrd %#llx (%llu KiB), command line %llu B", z.name,
        at.kernel.kind == x86_64::X86KernelKind::pvh_elf ? "PVH" : "bzImage (64-bit entry)",
        static_cast<ull>(at.kernel.entry.raw()), static_cast<ull>(at.kernel.segments[0].load.raw()),
        static_cast<ull>(at.kernel_end.raw()), static_cast<ull>(at.initrd.raw()), static_cast<ull>(l.initrd.size >> 10),
        static_cast<ull>(len));
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
    Source src;
    src.kernel = l.kernel;
    src.initrd = l.initrd;
    LockGuard g(scratch_lock);
    return place_linux(z, l, src, at);
}

// A kernel a manager loaded itself (BH_HC_ZONE_BOOT_LINUX): the kernel file
// (PVH vmlinux or bzImage) and the initrd wherever in the zone's RAM it put
// them, clear of where the kernel runs (x86_staged_linux_ok); the zone's
// RAM must start at 0 (ZONE_CREATE with BH_ZONE_CREATE_LINUX). Recognised
// and checked before anything is written; then placed as a manifest's.
Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller) {
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
    boot.initrd.size = l.initrd_size; // only its size: the bytes are in the zone
    Source src;
    src.staged = true;
    src.kernel_at = l.kernel;
    src.initrd_at = l.initrd;
    if (Status s = place_linux(z, boot, src, at); s != Status::ok) return s;
    // The control domain may have loaded over the start-up tables at RAM's
    // top (the files may lie there: they have been copied out by now); vCPU 0
    // enters a bzImage on them, so they are written again.
    return x86_64::build_guest_identity_map(z);
}

} // namespace bh::arch
