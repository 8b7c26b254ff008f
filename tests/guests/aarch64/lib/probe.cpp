// SPDX-License-Identifier: GPL-2.0-only
// Probed accesses: arm, access once, disarm, report (see probe.hpp).
#include "exception_frame.hpp"

#include <guest/cpu.hpp>
#include <guest/probe.hpp>

extern "C" {
bh::u64 bh_probe_read32(bh::u64 addr);
bh::u64 bh_probe_read64(bh::u64 addr);
void bh_probe_write32(bh::u64 addr, bh::u32 value);
void bh_probe_write64(bh::u64 addr, bh::u64 value);
void bh_probe_exec(bh::u64 addr);
extern char bh_probe_read32_insn[], bh_probe_read64_insn[], bh_probe_write32_insn[], bh_probe_write64_insn[],
    bh_probe_exec_insn[];
}

namespace bh::probe {
namespace {

struct State {
    volatile bool armed;
    volatile bool aborted;
    volatile u64 esr;
    volatile u64 far;
};
State states[kMaxVcpus];

State& mine() { return states[this_vcpu()]; }

void arm() {
    State& s = mine();
    s.aborted = false;
    s.esr = 0;
    s.far = 0;
    s.armed = true;
    dsb();
}

Result disarm(u64 value) {
    State& s = mine();
    s.armed = false;
    return {s.aborted, s.esr, s.far, value};
}

u64 addr_of(const char* p) { return reinterpret_cast<uptr>(p); }

bool is_access_insn(u64 pc) {
    return pc == addr_of(bh_probe_read32_insn) || pc == addr_of(bh_probe_read64_insn) ||
           pc == addr_of(bh_probe_write32_insn) || pc == addr_of(bh_probe_write64_insn);
}

} // namespace

bool handle_sync(ExceptionFrame& f, u64 esr, u64 far) {
    State& s = mine();
    if (!s.armed) return false;
    u32 ec = static_cast<u32>(esr >> 26) & 0x3f;
    if (is_access_insn(f.elr)) {
        f.elr += 4; // skip the access; its destination register keeps the poison
    } else if (ec == kEcInstAbortSameEl && f.x[30] == addr_of(bh_probe_exec_insn) + 4) {
        f.elr = f.x[30]; // the fetch at the branch target faulted: return to the probe
    } else {
        return false;
    }
    s.aborted = true;
    s.esr = esr;
    s.far = far;
    s.armed = false; // a second fault inside the same probe is a crash
    return true;
}

Result read32(u64 addr) {
    arm();
    u64 v = bh_probe_read32(addr);
    return disarm(v);
}

Result read64(u64 addr) {
    arm();
    u64 v = bh_probe_read64(addr);
    return disarm(v);
}

Result write32(u64 addr, u32 value) {
    arm();
    bh_probe_write32(addr, value);
    return disarm(0);
}

Result write64(u64 addr, u64 value) {
    arm();
    bh_probe_write64(addr, value);
    return disarm(0);
}

Result exec(u64 addr) {
    arm();
    bh_probe_exec(addr);
    return disarm(0);
}

} // namespace bh::probe
