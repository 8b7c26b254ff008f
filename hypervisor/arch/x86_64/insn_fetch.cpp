// SPDX-License-Identifier: GPL-2.0-only
#include "insn_fetch.hpp"

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {

bool read_guest64(void* ctx, GuestPhys gpa, u64& value) {
    const Zone& z = *static_cast<const Zone*>(ctx);
    HostPhys pa;
    u64 run = 0;
    if (!gpa.aligned(8) || !z.ram_to_host(gpa, pa, run) || run < 8) return false;
    value = *phys_to_ptr<const u64>(pa);
    return true;
}

} // namespace

usize fetch_insn(const Vcpu& v, const GuestCpuMode& mode, u8 (&out)[kMaxInsnLength]) {
    const Zone& z = *v.zone;
    u64 rip = mode.code64 ? v.ctx.regs.rip : (mode.cs_base + v.ctx.regs.rip) & 0xffffffff;
    usize got = 0;
    while (got < kMaxInsnLength) {
        GuestVirt linear(rip + got);
        GuestPhys gpa;
        if (guest_linear_to_phys(mode.paging, linear, read_guest64, const_cast<Zone*>(&z), gpa) != WalkStatus::ok)
            break;
        HostPhys pa;
        u64 run = 0;
        if (!z.ram_to_host(gpa, pa, run)) break;
        u64 in_page = kPageSize - (linear.raw() & (kPageSize - 1));
        usize n = kMaxInsnLength - got;
        if (n > in_page) n = static_cast<usize>(in_page);
        if (n > run) n = static_cast<usize>(run);
        __builtin_memcpy(out + got, phys_to_ptr<const u8>(pa), n);
        got += n;
    }
    return got;
}

} // namespace bh::x86_64
