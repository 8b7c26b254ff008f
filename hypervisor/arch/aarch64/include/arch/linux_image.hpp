// SPDX-License-Identifier: GPL-2.0-only
// Where the arm64 Linux boot protocol (Documentation/arm64/booting.rst)
// puts a zone's kernel, initrd and device tree: the Image at its
// text_offset past the 2 MiB aligned start of RAM, the DTB in the last
// 64 KiB, the initrd right below it. Pure code, shared by the manifest's
// validation (so a kernel that is no arm64 Image, or does not fit, refuses
// the manifest instead of failing when the zone is built) and by
// prepare_linux_zone; also compiled into the host unit tests.
#pragma once

#include <bulkhead/log.hpp>
#include <bulkhead/manifest.hpp>

namespace bh::aarch64 {

inline constexpr u64 kLinuxFdtMax = 64u << 10;
// Of those 64 KiB, what bootargs and the workload's strings may take: the
// zone's own nodes (CPUs, GIC, timer, UART, RTC, 32 virtio slots) need less
// than the rest.
inline constexpr u64 kLinuxFdtStringsMax = 56u << 10;

struct LinuxLayout {
    GuestPhys kernel;
    u64 image_size = 0; // what the kernel occupies from `kernel` (its header says)
    GuestPhys initrd;
    GuestPhys fdt;
};

// Fills `out` for `l` in `ram`; false, with `why`, if the kernel is not an
// arm64 Image or the three do not fit.
inline bool linux_layout(const LinuxBoot& l, Range<GuestPhys> ram, LinuxLayout& out, char* why, usize why_size) {
    using ull = unsigned long long;
    const u8* k = l.kernel.data;
    if (l.kernel.size < 64 || k[56] != 'A' || k[57] != 'R' || k[58] != 'M' || k[59] != 0x64) {
        const bool gzip = l.kernel.size >= 2 && k[0] == 0x1f && k[1] == 0x8b;
        format(why, why_size, "the kernel is not an arm64 Image (no \"ARM\\x64\" magic at byte 56)%s",
               gzip ? "; it is gzip-compressed: give the uncompressed Image" : "");
        return false;
    }
    auto le64 = [](const u8* p) {
        u64 v = 0;
        for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
        return v;
    };
    u64 text_offset = le64(k + 8), image_size = le64(k + 16);
    if (image_size == 0) { // kernels before 3.17
        text_offset = 0x80000;
        image_size = l.kernel.size;
    }
    if (image_size < l.kernel.size) image_size = l.kernel.size;
    constexpr u64 k2M = 2u << 20;
    out.kernel = GuestPhys(align_up(ram.base.raw(), k2M)) + text_offset;
    out.image_size = image_size;
    const u64 kernel_end = align_up(out.kernel.raw() + image_size, kPageSize);
    out.fdt = ram.end() - kLinuxFdtMax;
    out.initrd = GuestPhys(align_down(out.fdt.raw() - l.initrd.size, kPageSize));
    const u64 below = l.initrd.present() ? out.initrd.raw() : out.fdt.raw();
    if (ram.size < kLinuxFdtMax + l.initrd.size || below < kernel_end) {
        format(why, why_size,
               "the kernel (%llu KiB from %#llx, as its header says), the initrd (%llu KiB) and the device tree "
               "(64 KiB) need more than the zone's %llu KiB",
               static_cast<ull>(image_size >> 10), static_cast<ull>(out.kernel.raw()),
               static_cast<ull>(l.initrd.size >> 10), static_cast<ull>(ram.size >> 10));
        return false;
    }
    const u64 strings = l.bootargs.size + l.command.size + l.args.size + l.env.size + l.cwd.size + l.stdin_mode.size;
    if (strings > kLinuxFdtStringsMax) {
        format(why, why_size,
               "bootargs and the workload's strings take %llu bytes; at most %llu fit in its device tree",
               static_cast<ull>(strings), static_cast<ull>(kLinuxFdtStringsMax));
        return false;
    }
    return true;
}

// The platform's check (ZonePlatform::linux_allowed).
inline bool linux_allowed(const LinuxBoot& l, Range<GuestPhys> ram, char* why, usize why_size) {
    LinuxLayout unused;
    return linux_layout(l, ram, unused, why, why_size);
}

} // namespace bh::aarch64
