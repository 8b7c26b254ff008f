// SPDX-License-Identifier: GPL-2.0-only
#include "tsc_aux.hpp"

#include "percpu.hpp"

#include <arch/x86.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh::x86_64 {
namespace {
bool offered = false;
} // namespace

void tsc_aux_init() {
    bool rdtscp = (x86::cpuid(0x80000000).eax >= 0x80000001) && ((x86::cpuid(0x80000001).edx >> 27) & 1);
    bool rdpid = (x86::cpuid(0).eax >= 7) && ((x86::cpuid(7, 0).ecx >> 22) & 1);
    offered = rdtscp || rdpid;
}

bool tsc_aux_offered() { return offered; }

void tsc_aux_load(const Vcpu& v) {
    if (!offered) return;
    CpuLocal& l = local();
    if (l.tsc_aux == v.ctx.tsc_aux) return;
    x86::wrmsr(x86::kMsrTscAux, v.ctx.tsc_aux);
    l.tsc_aux = v.ctx.tsc_aux;
}

bool tsc_aux_write(Vcpu& v, u64 value) {
    if (!offered || (value >> 32)) return false;
    v.ctx.tsc_aux = value;
    tsc_aux_load(v); // the vCPU is loaded here: RDTSCP sees it from the next instruction
    return true;
}

} // namespace bh::x86_64
