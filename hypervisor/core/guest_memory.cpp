// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/guest_memory.hpp>

namespace bh {
bool zone_range_is_ram(const Zone& z, GuestPhys a, u64 len) {
    if (len == 0) return false;
    while (len) {
        HostPhys pa;
        u64 run;
        if (!z.ram_to_host(a, pa, run)) return false;
        u64 n = run < len ? run : len;
        a += n;
        len -= n;
    }
    return true;
}

Status copy_from_guest(const Zone& z, GuestPhys src, void* dst, u64 len) {
    if (!zone_range_is_ram(z, src, len)) return Status::invalid_argument;
    u8* out = static_cast<u8*>(dst);
    while (len) {
        HostPhys pa;
        u64 run;
        z.ram_to_host(src, pa, run);
        u64 n = run < len ? run : len;
        __builtin_memcpy(out, phys_to_ptr<const void>(pa), n);
        out += n;
        src += n;
        len -= n;
    }
    return Status::ok;
}

Status copy_to_guest(Zone& z, GuestPhys dst, const void* src, u64 len) {
    if (!zone_range_is_ram(z, dst, len)) return Status::invalid_argument;
    const u8* in = static_cast<const u8*>(src);
    while (len) {
        HostPhys pa;
        u64 run;
        z.ram_to_host(dst, pa, run);
        u64 n = run < len ? run : len;
        __builtin_memcpy(phys_to_ptr<void>(pa), in, n);
        arch::sync_guest_memory(pa, n);
        in += n;
        dst += n;
        len -= n;
    }
    return Status::ok;
}

Status copy_between_zones(Zone& dst_zone, GuestPhys dst, const Zone& src_zone, GuestPhys src, u64 len) {
    if (!zone_range_is_ram(src_zone, src, len) || !zone_range_is_ram(dst_zone, dst, len))
        return Status::invalid_argument;
    while (len) {
        HostPhys spa, dpa;
        u64 srun, drun;
        src_zone.ram_to_host(src, spa, srun);
        dst_zone.ram_to_host(dst, dpa, drun);
        u64 n = srun < drun ? srun : drun;
        if (n > len) n = len;
        __builtin_memmove(phys_to_ptr<void>(dpa), phys_to_ptr<const void>(spa), n);
        arch::sync_guest_memory(dpa, n);
        src += n;
        dst += n;
        len -= n;
    }
    return Status::ok;
}

} // namespace bh
