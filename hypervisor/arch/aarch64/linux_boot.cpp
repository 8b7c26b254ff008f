// SPDX-License-Identifier: GPL-2.0-only
// The arm64 Linux boot protocol (Documentation/arm64/booting.rst) for a
// zone: the Image at text_offset past a 2 MiB aligned base, the initrd and
// the zone's DTB at the top of RAM, x0 = DTB, MMU off, EL1h. Two ways in:
// a manifest zone, whose files the hypervisor copies in, and a zone a
// manager loaded itself (BH_HC_ZONE_BOOT_LINUX), whose layout is checked
// against the same rules (arch/linux_image.hpp).
#include "control_domain_fdt.hpp"
#include "platform.hpp"
#include "zone_fdt.hpp"

#include <arch/linux_image.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh::arch {
namespace {

static_assert(aarch64::kLinuxFdtMax == BH_LINUX_BOOT_FDT_BYTES, "the ABI names the device tree's share of RAM");

// The DTB scratch and a manager's strings: one boot at a time.
Spinlock fdt_lock{LockLevel::allocator};
alignas(8) u8 fdt_buffer[aarch64::kLinuxFdtMax];
alignas(8) u8 strings_buffer[BH_LINUX_BOOT_STRINGS_MAX];
constexpr u64 kImageHeader = 64;

// Writes the DTB and points vCPU 0 at the kernel. fdt_lock held.
Status finish(Zone& z, const aarch64::LinuxLayout& at, GuestPhys initrd, u64 initrd_size, const LinuxBoot& l) {
    aarch64::ZoneFdtInputs in{initrd, initrd_size, &l};
    // The control domain's is the host's, cut down; any other zone's is made.
    u64 fdt_size = z.control_domain ? aarch64::build_control_domain_fdt(z, in, aarch64::platform().dtb, fdt_buffer,
                                                                        sizeof fdt_buffer)
                                    : aarch64::build_zone_fdt(z, in, fdt_buffer, sizeof fdt_buffer);
    if (!fdt_size) return Status::no_memory;
    if (Status s = copy_to_guest(z, at.fdt, fdt_buffer, fdt_size); s != Status::ok) return s;
    vcpu_reset(z.vcpus[0], at.kernel, at.fdt.raw());
    log("zone '%s': Linux Image at IPA %#llx (%llu KiB), initrd %#llx (%llu KiB), DTB %#llx (%llu B)", z.name,
        static_cast<unsigned long long>(at.kernel.raw()), static_cast<unsigned long long>(at.image_size >> 10),
        static_cast<unsigned long long>(initrd.raw()), static_cast<unsigned long long>(initrd_size >> 10),
        static_cast<unsigned long long>(at.fdt.raw()), static_cast<unsigned long long>(fdt_size));
    return Status::ok;
}

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
    return finish(z, at, at.initrd, l.initrd.size, l);
}

// The layout rules are linux_layout's, applied to the Image header found in
// the zone's memory; the initrd may be anywhere between the kernel's end
// and the device tree.
Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller, u64&, bool& done) {
    done = true; // the Image is used where it was loaded: one step
    u8 header[kImageHeader];
    if (l.kernel_size < kImageHeader) return Status::invalid_argument;
    if (Status s = copy_from_guest(z, l.kernel, header, sizeof header); s != Status::ok) return s;
    LockGuard g(fdt_lock);
    if (Status s = copy_from_guest(caller, l.strings, strings_buffer, l.strings_size); s != Status::ok) return s;
    LinuxBoot boot;
    if (Status s = linux_boot_strings(strings_buffer, l, boot); s != Status::ok) return s;
    boot.kernel = Blob{header, l.kernel_size}; // only the header is read
    boot.initrd.size = l.initrd_size;          // only its size counts for the layout
    aarch64::LinuxLayout at;
    char why[192];
    if (!aarch64::linux_layout(boot, z.ram, at, why, sizeof why) || at.kernel != l.kernel)
        return Status::invalid_argument;
    GuestPhys kernel_end(align_up((at.kernel + at.image_size).raw(), kPageSize));
    if (l.initrd_size && (l.initrd < kernel_end || l.initrd + l.initrd_size > at.fdt)) return Status::invalid_argument;
    boot.kernel = Blob{};
    boot.initrd = Blob{};
    return finish(z, at, l.initrd, l.initrd_size, boot);
}

} // namespace bh::arch
