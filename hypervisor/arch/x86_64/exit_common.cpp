// SPDX-License-Identifier: GPL-2.0-only
#include "exit_common.hpp"

#include <bulkhead/abi/hypercall.h>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {
constexpr u64 size_mask(u8 size) { return size >= 8 ? ~u64(0) : (u64(1) << (8 * size)) - 1; }
} // namespace

void hypercall(Vcpu& v, u32 cpl) {
    arch::GuestRegs& r = v.ctx.regs;
    if (cpl != 0) {
        Zone& z = *v.zone;
        if (z.arch.hypercalls_refused_logged.sample())
            zone_log(z, "zone '%s' vcpu %u: hypercall %#llx from CPL %u refused", z.name, v.index,
                     static_cast<unsigned long long>(r.rax), cpl);
        r.rax = static_cast<u64>(static_cast<long>(BH_ERR_PERMISSION_DENIED));
        return;
    }
    HypercallArgs a;
    a.fn = r.rax;
    a.arg[0] = r.rdi;
    a.arg[1] = r.rsi;
    a.arg[2] = r.rdx;
    a.arg[3] = r.r10;
    a.arg[4] = r.r8;
    a.arg[5] = r.r9;
    HypercallResult res = handle_hypercall(v, a);
    if (res.restart) {
        // Back onto the instruction (VMCALL and VMMCALL are both 3 bytes;
        // the back end already moved past it) with the rest of the work
        // in the argument registers.
        r.rip -= 3;
        r.rdi = res.again.arg[0];
        r.rsi = res.again.arg[1];
        r.rdx = res.again.arg[2];
        r.r10 = res.again.arg[3];
        r.r8 = res.again.arg[4];
        r.r9 = res.again.arg[5];
        return;
    }
    r.rax = static_cast<u64>(static_cast<long>(res.status));
    r.rdi = res.ret[0];
    r.rsi = res.ret[1];
    r.rdx = res.ret[2];
    r.r10 = res.ret[3];
}

void port_io(Vcpu& v, u16 port, u8 size, bool write) {
    arch::GuestRegs& r = v.ctx.regs;
    DeviceAccess a;
    a.size = size;
    a.write = write;
    a.value = r.rax & size_mask(size);
    if (!v.zone->devices.dispatch(v, AddressSpace::port, port, a)) {
        Zone& z = *v.zone;
        if (z.arch.ports_logged.sample())
            zone_log(z, "zone '%s' vcpu %u: %s of %u byte(s) at unassigned port %#x %s", z.name, v.index,
                     write ? "write" : "read", size, port, write ? "dropped" : "reads all ones");
        a.value = 0xffffffffu;
    }
    if (!write) {
        // IN writes AL or AX and keeps the rest of RAX; IN of 32 bits zero-extends.
        u64 m = size_mask(size);
        r.rax = size == 4 ? (a.value & m) : ((r.rax & ~m) | (a.value & m));
    }
}

Emulation write_cr8(Vcpu& v, u64 value) {
    if (value >> 4) {
        backend().inject_gp(v);
        return Emulation::faulted;
    }
    v.ctx.lapic.write_cr8(value);
    return Emulation::completed;
}

Emulation rdpmc(Vcpu& v) {
    backend().inject_gp(v);
    return Emulation::faulted;
}

} // namespace bh::x86_64
