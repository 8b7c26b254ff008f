// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/log.hpp>
#include <bulkhead/zone_platform.hpp>

namespace bh {

bool ZonePlatform::ram_allowed(Range<GuestPhys> ram, char* why, usize why_size) const {
    using ull = unsigned long long;
    if (ram.size == 0) {
        format(why, why_size, "memory-size is zero");
        return false;
    }
    if (!ram.base.aligned(ram_base_alignment)) {
        format(why, why_size, "memory-base %#llx is not a multiple of %llu MiB", static_cast<ull>(ram.base.raw()),
               static_cast<ull>(ram_base_alignment >> 20));
        return false;
    }
    if (ram.size > max_memory) {
        format(why, why_size, "memory-size %llu MiB is more than the %llu GiB a zone may have",
               static_cast<ull>(ram.size >> 20), static_cast<ull>(max_memory >> 30));
        return false;
    }
    if (ram.base.raw() >= guest_phys_limit || ram.size > guest_phys_limit - ram.base.raw()) {
        format(why, why_size,
               "memory [%#llx, %#llx) does not end below %#llx, the end of a zone's guest-physical space",
               static_cast<ull>(ram.base.raw()), static_cast<ull>(ram.base.raw() + ram.size),
               static_cast<ull>(guest_phys_limit));
        return false;
    }
    if (boot_area_bytes && ram.size < 2 * boot_area_bytes) {
        format(why, why_size, "memory-size %llu KiB is less than twice the %llu KiB start-up area at its top",
               static_cast<ull>(ram.size >> 10), static_cast<ull>(boot_area_bytes >> 10));
        return false;
    }
    for (unsigned i = 0; i < device_window_count; ++i) {
        const Range<GuestPhys>& w = device_windows[i];
        if (ram.overlaps(w)) {
            format(why, why_size, "memory [%#llx, %#llx) overlaps the device window [%#llx, %#llx) of %s zones",
                   static_cast<ull>(ram.base.raw()), static_cast<ull>(ram.base.raw() + ram.size),
                   static_cast<ull>(w.base.raw()), static_cast<ull>(w.base.raw() + w.size), name);
            return false;
        }
    }
    return true;
}

} // namespace bh
