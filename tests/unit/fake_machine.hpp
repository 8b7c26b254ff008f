// SPDX-License-Identifier: GPL-2.0-only
// A fake machine for tests of the stateful core: host memory as RAM, the
// zone table on it, and the fake arch's CPUs, clock and counters reset.
// Tests leave the zone table as they found it (empty).
#pragma once

#include <catch2/catch.hpp>

#include <arch/fake.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

#include <cstring>

#include "host_ram.hpp"

namespace bh::test {

struct FakeMachine {
    HostRam ram;
    FrameAllocator frames;
    u64 free_at_start = 0;

    explicit FakeMachine(unsigned cpus = 4, u64 ram_bytes = 64 * MiB) : ram(ram_bytes) {
        arch::fake_reset_machine(cpus);
        REQUIRE(frames.add_region(ram.base(), ram.size()) == Status::ok);
        zones().init(frames);
        // The machine stays on when a test's last zone ends.
        static bool held = [] {
            hold_power();
            return true;
        }();
        (void)held;
        free_at_start = frames.free_pages();
    }

    // A zone of `vcpus` vCPUs (vCPU i on CPU cpus[i], default i + 1 mod
    // online CPUs), 2 MiB of RAM at the default base, built but not started.
    Zone* create(const char* name, u32 vcpus = 1, std::initializer_list<u32> cpus = {}, u64 memory = 2 * MiB,
                 bool privileged = false) {
        ZoneSpec spec;
        std::strncpy(spec.name, name, BH_ZONE_NAME_MAX);
        spec.memory_size = memory;
        spec.vcpus = vcpus;
        spec.privileged = privileged;
        u32 i = 0;
        for (u32 c : cpus) spec.cpus[i++] = c;
        for (; i < vcpus; ++i) spec.cpus[i] = (i + 1) % bh::online_cpus();
        Zone* z = nullptr;
        REQUIRE(zone_create(spec, z) == Status::ok);
        return z;
    }

    Status destroy(Zone& z) { return zone_destroy(z); }
};

// Runs CPU `cpu`'s scheduler (as its exit path would) and returns what it
// loaded; nullptr if it went idle.
inline Vcpu* run_cpu(unsigned cpu) {
    arch::fake_set_cpu_id(cpu);
    try {
        sched::schedule();
    } catch (const arch::FakeIdle&) {
        return nullptr;
    }
    return arch::this_cpu().current;
}

// Makes CPU `cpu` idle again (its current vCPU saved), for the next test.
inline void clear_cpu(unsigned cpu) {
    arch::fake_set_cpu_id(cpu);
    PerCpu& c = arch::this_cpu();
    if (Vcpu* v = c.current) {
        arch::vcpu_save(*v);
        v->on_cpu.store(false);
        c.current = nullptr;
    }
}

// Ends the zones, empties every CPU and destroys them; the machine's memory
// must be whole again and no vCPU was ever loaded twice.
inline void end_and_destroy(FakeMachine& m, std::initializer_list<Zone*> zs) {
    arch::fake_set_cpu_id(0);
    for (Zone* z : zs) zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test over");
    for (unsigned c = 0; c < bh::online_cpus(); ++c) clear_cpu(c);
    arch::fake_set_cpu_id(0);
    for (Zone* z : zs) REQUIRE(m.destroy(*z) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
    CHECK(arch::fake_bad_loads() == 0);
}

} // namespace bh::test
