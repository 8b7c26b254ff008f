// SPDX-License-Identifier: GPL-2.0-only
// Probed accesses: arm, access once, disarm, report (see probe.hpp).
#include "exception_frame.hpp"

#include <guest/cpu.hpp>
#include <guest/probe.hpp>

extern "C" {
bh::u64 bh_probe_read32(bh::u64 addr);
void bh_probe_write32(bh::u64 addr, bh::u32 value);
bh::u64 bh_probe_rdmsr(bh::u32 msr);
void bh_probe_wrmsr(bh::u32 msr, bh::u64 value);
void bh_probe_exec(bh::u64 addr);
void bh_probe_add32(bh::u64 addr, bh::u32 value);
void bh_probe_movs32(bh::u64 addr);
bh::u64 bh_probe_call(bh::u64 (*fn)(bh::u64), bh::u64 arg, volatile bh::u64* saved_rsp);
extern char bh_probe_read32_insn[], bh_probe_read32_done[], bh_probe_write32_insn[], bh_probe_write32_done[],
    bh_probe_rdmsr_insn[], bh_probe_rdmsr_done[], bh_probe_wrmsr_insn[], bh_probe_wrmsr_done[], bh_probe_exec_ret[],
    bh_probe_add32_insn[], bh_probe_add32_done[], bh_probe_movs32_insn[], bh_probe_movs32_done[],
    bh_probe_call_landing[];
}

namespace bh::probe {
namespace {

struct State {
    volatile bool armed;
    volatile bool faulted;
    volatile u32 vector;
    volatile u64 error;
    volatile u64 exec_target;
    volatile bool call_armed; // a probe::call: any fault inside the function
    volatile u64 call_rsp;
};
State states[kMaxVcpus];

State& mine() { return states[this_vcpu() % kMaxVcpus]; }

void arm(u64 exec_target = 0, bool call = false) {
    State& s = mine();
    s.call_armed = call;
    s.faulted = false;
    s.vector = 0;
    s.error = 0;
    s.exec_target = exec_target;
    s.armed = true;
    dmb();
}

Result disarm(u64 value) {
    State& s = mine();
    s.armed = false;
    s.call_armed = false;
    return {s.faulted, s.vector, s.error, value};
}

u64 addr(const char* p) { return reinterpret_cast<uptr>(p); }

} // namespace

bool handle_exception(ExceptionFrame& f) {
    State& s = mine();
    if (!s.armed) return false;
    struct Site {
        const char* insn;
        const char* done;
    };
    const Site sites[] = {{bh_probe_read32_insn, bh_probe_read32_done}, {bh_probe_write32_insn, bh_probe_write32_done},
                          {bh_probe_rdmsr_insn, bh_probe_rdmsr_done},   {bh_probe_wrmsr_insn, bh_probe_wrmsr_done},
                          {bh_probe_add32_insn, bh_probe_add32_done},   {bh_probe_movs32_insn, bh_probe_movs32_done}};
    bool handled = false;
    for (const Site& site : sites) {
        if (f.rip == addr(site.insn)) {
            f.rip = addr(site.done);
            handled = true;
        }
    }
    if (!handled && s.exec_target && f.rip == s.exec_target) {
        // The fetch at the call's target faulted: return to the probe.
        f.rip = addr(bh_probe_exec_ret);
        f.rsp += 8;
        handled = true;
    }
    if (!handled && s.call_armed) {
        // Unwind to bh_probe_call as if the function had returned (RAX poisoned).
        f.rip = addr(bh_probe_call_landing);
        f.rsp = s.call_rsp;
        f.rax = 0xffffffffbad0bad0ull;
        handled = true;
    }
    if (!handled) return false;
    s.faulted = true;
    s.vector = static_cast<u32>(f.vector);
    s.error = f.error;
    s.armed = false; // a second fault inside the same probe is a crash
    return true;
}

Result read32(u64 a) {
    arm();
    u64 v = bh_probe_read32(a);
    return disarm(v);
}

Result write32(u64 a, u32 value) {
    arm();
    bh_probe_write32(a, value);
    return disarm(0);
}

Result exec(u64 a) {
    arm(a);
    bh_probe_exec(a);
    return disarm(0);
}

Result add32(u64 a, u32 value) {
    arm();
    bh_probe_add32(a, value);
    return disarm(0);
}

Result movs32(u64 a) {
    arm();
    bh_probe_movs32(a);
    return disarm(0);
}

Result call(u64 (*fn)(u64), u64 arg) {
    arm(0, true);
    u64 v = bh_probe_call(fn, arg, &mine().call_rsp);
    return disarm(v);
}

Result rdmsr(u32 msr) {
    arm();
    u64 v = bh_probe_rdmsr(msr);
    return disarm(v);
}

Result wrmsr(u32 msr, u64 value) {
    arm();
    bh_probe_wrmsr(msr, value);
    return disarm(0);
}

} // namespace bh::probe
