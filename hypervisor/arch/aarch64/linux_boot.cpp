// SPDX-License-Identifier: GPL-2.0-only
// The arm64 Linux boot protocol (Documentation/arm64/booting.rst) for a
// zone: the Image at text_offset past a 2 MiB aligned base, the initrd and
// the zone's DTB at the top of RAM, x0 = DTB, MMU off, EL1h.
#include "control_domain_fdt.hpp"
#include "platform.hpp"
#include "zone_fdt.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh::arch {
namespace {

constexpr u64 k2M = 2u << 20;
constexpr u64 kFdtMax = 64u << 10;
Spinlock fdt_lock{LockLevel::allocator};
alignas(8) u8 fdt_buffer[kFdtMax];

u64 le64(const u8* p) {
    u64 v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

} // namespace

Status prepare_linux_zone(Zone& z, const LinuxBoot& l) {
    const u8* k = l.kernel.data;
    if (l.kernel.size < 64 || k[56] != 'A' || k[57] != 'R' || k[58] != 'M' || k[59] != 0x64) {
        log("zone '%s': the kernel is not an arm64 Image (no ARM\\x64 magic)", z.name);
        return Status::invalid_argument;
    }
    u64 text_offset = le64(k + 8), image_size = le64(k + 16);
    if (image_size == 0) { // kernels before 3.17
        text_offset = 0x80000;
        image_size = l.kernel.size;
    }
    if (image_size < l.kernel.size) image_size = l.kernel.size;
    GuestPhys kernel = GuestPhys(align_up(z.ram.base.raw(), k2M)) + text_offset;
    GuestPhys kernel_end = GuestPhys(align_up((kernel + image_size).raw(), kPageSize));
    // The DTB in the last 64 KiB of RAM (8-byte aligned, never crossing 2 MiB),
    // the initrd right below it.
    GuestPhys fdt = z.ram.end() - kFdtMax;
    GuestPhys initrd = GuestPhys(align_down(fdt.raw() - l.initrd.size, kPageSize));
    if (fdt < kernel_end || (l.initrd.present() && initrd < kernel_end)) {
        log("zone '%s': kernel (%llu KiB), initrd and DTB do not fit in %llu KiB of RAM", z.name,
            static_cast<unsigned long long>(image_size >> 10), static_cast<unsigned long long>(z.ram.size >> 10));
        return Status::no_memory;
    }
    if (Status s = copy_to_guest(z, kernel, l.kernel.data, l.kernel.size); s != Status::ok) return s;
    if (l.initrd.present())
        if (Status s = copy_to_guest(z, initrd, l.initrd.data, l.initrd.size); s != Status::ok) return s;

    LockGuard g(fdt_lock);
    aarch64::ZoneFdtInputs in{initrd, l.initrd.size, &l};
    // The control domain's is the host's, cut down; any other zone's is made.
    u64 fdt_size = z.control_domain ? aarch64::build_control_domain_fdt(z, in, aarch64::platform().dtb, fdt_buffer,
                                                                        sizeof fdt_buffer)
                                    : aarch64::build_zone_fdt(z, in, fdt_buffer, sizeof fdt_buffer);
    if (!fdt_size) return Status::no_memory;
    if (Status s = copy_to_guest(z, fdt, fdt_buffer, fdt_size); s != Status::ok) return s;
    vcpu_reset(z.vcpus[0], kernel, fdt.raw());
    log("zone '%s': Linux Image at IPA %#llx (%llu KiB), initrd %#llx (%llu KiB), DTB %#llx (%llu B)", z.name,
        static_cast<unsigned long long>(kernel.raw()), static_cast<unsigned long long>(image_size >> 10),
        static_cast<unsigned long long>(initrd.raw()), static_cast<unsigned long long>(l.initrd.size >> 10),
        static_cast<unsigned long long>(fdt.raw()), static_cast<unsigned long long>(fdt_size));
    return Status::ok;
}

} // namespace bh::arch
