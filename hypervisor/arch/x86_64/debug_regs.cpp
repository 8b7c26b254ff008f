// SPDX-License-Identifier: GPL-2.0-only
#include "debug_regs.hpp"

#include <arch/x86.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh::x86_64 {

void debug_regs_reset(arch::VcpuContext& ctx) {
    for (u64& d : ctx.dr) d = 0;
    ctx.dr6 = x86::kDr6Reset;
    ctx.debug_live = false;
}

void debug_regs_load(const arch::VcpuContext& ctx) {
    if (!ctx.debug_live) return;
    x86::write_dr0(ctx.dr[0]);
    x86::write_dr1(ctx.dr[1]);
    x86::write_dr2(ctx.dr[2]);
    x86::write_dr3(ctx.dr[3]);
}

void debug_regs_save(arch::VcpuContext& ctx) {
    if (!ctx.debug_live) return;
    ctx.dr[0] = x86::read_dr0();
    ctx.dr[1] = x86::read_dr1();
    ctx.dr[2] = x86::read_dr2();
    ctx.dr[3] = x86::read_dr3();
}

void debug_regs_make_live(Vcpu& v) {
    v.ctx.debug_live = true;
    debug_regs_load(v.ctx);
}

} // namespace bh::x86_64
