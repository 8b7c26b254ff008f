// SPDX-License-Identifier: GPL-2.0-only
#include <new>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/percpu.hpp>

namespace bh {
namespace {
PerCpu table[kMaxCpus];
Atomic<u32> online_mask{0}; // a bit per online index

// Bits set (the hypervisor links no libgcc for __builtin_popcount).
unsigned bits(u32 v) {
    unsigned n = 0;
    for (; v; v &= v - 1) ++n;
    return n;
}
} // namespace

PerCpu& cpu(unsigned index) { return table[index]; }

unsigned online_cpus() { return bits(online_mask.load()); }

unsigned online_cpu(unsigned n) {
    u32 mask = online_mask.load();
    for (unsigned i = 0; i < kMaxCpus; ++i)
        if (mask >> i & 1 && n-- == 0) return i;
    return 0; // out of range: the boot CPU (callers check n < online_cpus())
}

unsigned online_ordinal(unsigned index) {
    u32 below = online_mask.load() & ((u32(1) << index) - 1);
    return bits(below);
}

void cpu_mark_online(unsigned index) {
    table[index].start.store(PerCpu::Start::online);
    table[index].online.store(true);
    online_mask.fetch_or(u32(1) << index);
}

void cpu_start_begin(unsigned index, u64 hw_id) {
    PerCpu& c = table[index];
    c.index = index;
    c.hw_id = hw_id;
    c.start.store(PerCpu::Start::starting);
}

bool cpu_start_arrived(unsigned index) {
    PerCpu::Start expected = PerCpu::Start::starting;
    if (!table[index].start.compare_exchange(expected, PerCpu::Start::online)) return false;
    table[index].online.store(true);
    online_mask.fetch_or(u32(1) << index);
    return true;
}

bool cpu_start_wait(unsigned index, u64 deadline) {
    PerCpu& c = table[index];
    while (arch::now() < deadline)
        if (c.start.load() == PerCpu::Start::online) return true;
    PerCpu::Start expected = PerCpu::Start::starting;
    // Too late: from now on it parks if it ever arrives (it may just have).
    return !c.start.compare_exchange(expected, PerCpu::Start::abandoned);
}

void cpus_reset() {
    for (PerCpu& c : table) {
        c.~PerCpu();
        new (&c) PerCpu;
    }
    online_mask.store(0);
}

} // namespace bh
