// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/sync_hook.hpp>

namespace bh::sync_hook {
namespace {

Hook hooks[kMaxVcpus];
volatile u32 undefined[kMaxVcpus];

} // namespace

void set(Hook h) {
    hooks[this_vcpu()] = h;
    dsb();
}

bool run(Event& e) {
    Hook h = hooks[this_vcpu()];
    return h && h(e);
}

bool skip_undefined(Event& e) {
    if (e.ec() != kEcUnknown) return false;
    e.elr += 4;
    undefined[this_vcpu()] = undefined[this_vcpu()] + 1;
    return true;
}

u32 undefined_count() { return undefined[this_vcpu()]; }
void reset_undefined_count() { undefined[this_vcpu()] = 0; }

} // namespace bh::sync_hook
