// SPDX-License-Identifier: GPL-2.0-only
// The arm64 Linux boot protocol (Documentation/arm64/booting.rst) for a
// zone: the Image at text_offset past a 2 MiB aligned base, the initrd and
// the zone's DTB at the top of RAM, x0 = DTB, MMU off, EL1h. Two ways in:
// a manifest zone, whose files the hypervisor copies in, and a zone a
// manager loaded itself (BH_HC_ZONE_BOOT_LINUX), whose layout is checked
// against the same rules.
#include "zone_fdt.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh::arch {
namespace {

constexpr u64 k2M = 2u << 20;
constexpr u64 kFdtMax = BH_LINUX_BOOT_FDT_BYTES;
constexpr u64 kImageHeader = 64;
// The DTB scratch and a manager's strings: one boot at a time.
Spinlock fdt_lock{LockLevel::allocator};
alignas(8) u8 fdt_buffer[kFdtMax];
alignas(8) u8 strings_buffer[BH_LINUX_BOOT_STRINGS_MAX];

u64 le64(const u8* p) {
    u64 v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Where an Image goes, from its header; false if it is not an arm64 Image.
struct ImagePlace {
    GuestPhys kernel, kernel_end;
    u64 image_size = 0;
};
bool place_image(const Zone& z, const u8* header, u64 file_size, ImagePlace& out) {
    if (file_size < kImageHeader || header[56] != 'A' || header[57] != 'R' || header[58] != 'M' || header[59] != 0x64)
        return false;
    u64 text_offset = le64(header + 8), image_size = le64(header + 16);
    if (image_size == 0) { // kernels before 3.17
        text_offset = 0x80000;
        image_size = file_size;
    }
    if (image_size < file_size) image_size = file_size;
    out.kernel = GuestPhys(align_up(z.ram.base.raw(), k2M)) + text_offset;
    out.kernel_end = GuestPhys(align_up((out.kernel + image_size).raw(), kPageSize));
    out.image_size = image_size;
    return true;
}

// The DTB in the last 64 KiB of RAM (8-byte aligned, never crossing 2 MiB).
GuestPhys fdt_address(const Zone& z) { return z.ram.end() - kFdtMax; }

// Writes the DTB and points vCPU 0 at the kernel. fdt_lock held.
Status finish(Zone& z, const ImagePlace& k, GuestPhys initrd, u64 initrd_size, const LinuxBoot& l) {
    GuestPhys fdt = fdt_address(z);
    aarch64::ZoneFdtInputs in{initrd, initrd_size, &l};
    u64 fdt_size = aarch64::build_zone_fdt(z, in, fdt_buffer, sizeof fdt_buffer);
    if (!fdt_size) return Status::no_memory;
    if (Status s = copy_to_guest(z, fdt, fdt_buffer, fdt_size); s != Status::ok) return s;
    vcpu_reset(z.vcpus[0], k.kernel, fdt.raw());
    log("zone '%s': Linux Image at IPA %#llx (%llu KiB), initrd %#llx (%llu KiB), DTB %#llx (%llu B)", z.name,
        static_cast<unsigned long long>(k.kernel.raw()), static_cast<unsigned long long>(k.image_size >> 10),
        static_cast<unsigned long long>(initrd.raw()), static_cast<unsigned long long>(initrd_size >> 10),
        static_cast<unsigned long long>(fdt.raw()), static_cast<unsigned long long>(fdt_size));
    return Status::ok;
}

} // namespace

Status prepare_linux_zone(Zone& z, const LinuxBoot& l) {
    ImagePlace k;
    if (!place_image(z, l.kernel.data, l.kernel.size, k)) {
        log("zone '%s': the kernel is not an arm64 Image (no ARM\\x64 magic)", z.name);
        return Status::invalid_argument;
    }
    // The initrd right below the DTB.
    GuestPhys fdt = fdt_address(z);
    GuestPhys initrd = GuestPhys(align_down(fdt.raw() - l.initrd.size, kPageSize));
    if (fdt < k.kernel_end || (l.initrd.present() && initrd < k.kernel_end)) {
        log("zone '%s': kernel (%llu KiB), initrd and DTB do not fit in %llu KiB of RAM", z.name,
            static_cast<unsigned long long>(k.image_size >> 10), static_cast<unsigned long long>(z.ram.size >> 10));
        return Status::no_memory;
    }
    if (Status s = copy_to_guest(z, k.kernel, l.kernel.data, l.kernel.size); s != Status::ok) return s;
    if (l.initrd.present())
        if (Status s = copy_to_guest(z, initrd, l.initrd.data, l.initrd.size); s != Status::ok) return s;
    LockGuard g(fdt_lock);
    return finish(z, k, initrd, l.initrd.size, l);
}

Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller) {
    u8 header[kImageHeader];
    if (l.kernel_size < kImageHeader) return Status::invalid_argument;
    if (Status s = copy_from_guest(z, l.kernel, header, sizeof header); s != Status::ok) return s;
    ImagePlace k;
    if (!place_image(z, header, l.kernel_size, k) || k.kernel != l.kernel) return Status::invalid_argument;
    GuestPhys fdt = fdt_address(z);
    if (fdt < k.kernel_end) return Status::invalid_argument;
    if (l.initrd_size && (l.initrd < k.kernel_end || l.initrd + l.initrd_size > fdt)) return Status::invalid_argument;
    LockGuard g(fdt_lock);
    if (Status s = copy_from_guest(caller, l.strings, strings_buffer, l.strings_size); s != Status::ok) return s;
    LinuxBoot boot;
    if (Status s = linux_boot_strings(strings_buffer, l, boot); s != Status::ok) return s;
    return finish(z, k, l.initrd, l.initrd_size, boot);
}

} // namespace bh::arch
