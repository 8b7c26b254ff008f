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
#include "vcpu_reset.hpp"

#include <arch/x86_64_platform.hpp>
#include <arch/x86_boot_info.hpp>
#include <arch/x86_linux_image.hpp>
#include <arch/zone_acpi.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
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

Status copy_kernel(Zone& z, const LinuxBoot& l, const x86_64::X86Kernel& k) {
    for (u32 i = 0; i < k.segment_count; ++i) {
        const x86_64::X86Segment& s = k.segments[i];
        if (Status st = copy_to_guest(z, s.load, l.kernel.data + s.offset, s.file_size); st != Status::ok) return st;
        // The rest of the segment (.bss) is zero: the zone's RAM was
        // scrubbed when it was created.
    }
    return Status::ok;
}

} // namespace

Status prepare_linux_zone(Zone& z, const LinuxBoot& l) {
    x86_64::X86LinuxLayout at;
    char why[192];
    if (!x86_64::x86_linux_layout(l, z.ram, x86_64::kZonePlatform.boot_area_bytes, at, why, sizeof why)) {
        log("zone '%s': %s", z.name, why);
        return Status::invalid_argument;
    }
    if (Status s = copy_kernel(z, l, at.kernel); s != Status::ok) return s;
    if (l.initrd.present())
        if (Status s = copy_to_guest(z, at.initrd, l.initrd.data, l.initrd.size); s != Status::ok) return s;

    LockGuard g(scratch_lock);
    usize len = x86_64::x86_linux_cmdline(l, z.name, ticks_per_second() / 1000, cmdline, at.kernel.cmdline_max, why,
                                          sizeof why);
    if (!len) {
        log("zone '%s': %s", z.name, why);
        return Status::invalid_argument;
    }
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
        x86_64::x86_zero_page(at, z.ram, l.kernel, l.initrd.size, x86_64::kAcpiTables, info_page);
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

// A kernel a manager loaded itself (BH_HC_ZONE_BOOT_LINUX) comes with the
// control domain on x86, which does not run there yet.
Status boot_loaded_linux(Zone&, const LinuxLoaded&, const Zone&) { return Status::not_supported; }

} // namespace bh::arch
