// SPDX-License-Identifier: GPL-2.0-only
// Copies to and from zone RAM, for hypercalls that pass buffers. Only RAM
// counts: a range that touches anything else (a device window, a hole) is
// refused as a whole before a byte moves.
#pragma once

#include <bulkhead/status.hpp>
#include <bulkhead/zone.hpp>

namespace bh {

// Whether [a, a + len) is all RAM of the zone (len 0: no).
bool zone_range_is_ram(const Zone& z, GuestPhys a, u64 len);
[[nodiscard]] Status copy_from_guest(const Zone& z, GuestPhys src, void* dst, u64 len);
[[nodiscard]] Status copy_between_zones(Zone& dst_zone, GuestPhys dst, const Zone& src_zone, GuestPhys src, u64 len);
[[nodiscard]] Status copy_to_guest(Zone& z, GuestPhys dst, const void* src, u64 len);

} // namespace bh
