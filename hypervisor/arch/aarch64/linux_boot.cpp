// SPDX-License-Identifier: GPL-2.0-only
// The arm64 Linux boot protocol (Documentation/arm64/booting.rst) for a
// zone: the Image at text_offset past a 2 MiB aligned base, the initrd and
// the zone's DTB at the top of RAM, x0 = DTB, MMU off, EL1h.
#include "zone_fdt.hpp"

#include <arch/linux_image.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh::arch {
namespace {

Spinlock fdt_lock{LockLevel::allocator};
alignas(8) u8 fdt_buffer[aarch64::kLinuxFdtMax];

} // namespace

Status prepare_linux_zone(Zone& z, const LinuxBoot& l) {
    // The manifest was refused already if this fails; a zone made any other
    // way gets the same reason in the log.
    aarch64::LinuxLayout at;
    char why[192];
    if (!aarch64::linux_layout(l, z.ram, at, why, sizeof why)) {
        log("zone '%s': %s", z.name, why);
        return Status::invalid_argument;
    }
    if (Status s = copy_to_guest(z, at.kernel, l.kernel.data, l.kernel.size); s != Status::ok) return s;
    if (l.initrd.present())
        if (Status s = copy_to_guest(z, at.initrd, l.initrd.data, l.initrd.size); s != Status::ok) return s;

    LockGuard g(fdt_lock);
    aarch64::ZoneFdtInputs in{at.initrd, l.initrd.size, &l};
    u64 fdt_size = aarch64::build_zone_fdt(z, in, fdt_buffer, sizeof fdt_buffer);
    if (!fdt_size) return Status::no_memory;
    if (Status s = copy_to_guest(z, at.fdt, fdt_buffer, fdt_size); s != Status::ok) return s;
    vcpu_reset(z.vcpus[0], at.kernel, at.fdt.raw());
    log("zone '%s': Linux Image at IPA %#llx (%llu KiB), initrd %#llx (%llu KiB), DTB %#llx (%llu B)", z.name,
        static_cast<unsigned long long>(at.kernel.raw()), static_cast<unsigned long long>(at.image_size >> 10),
        static_cast<unsigned long long>(at.initrd.raw()), static_cast<unsigned long long>(l.initrd.size >> 10),
        static_cast<unsigned long long>(at.fdt.raw()), static_cast<unsigned long long>(fdt_size));
    return Status::ok;
}

} // namespace bh::arch
