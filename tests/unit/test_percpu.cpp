// SPDX-License-Identifier: GPL-2.0-only
// The per-CPU table: CPUs counted over online ones (a CPU that failed to
// start leaves no hole in placement), and a CPU that arrives after the boot
// CPU gave up on it does not join.
#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

TEST_CASE("per-CPU table: placement counts online CPUs, skipping one that never came", "[percpu]") {
    FakeMachine m(2);
    // CPU 2 was started but never arrived; CPU 3 did.
    cpu_start_begin(2, 0x2);
    CHECK_FALSE(cpu_start_wait(2, 0)); // its deadline is past: abandoned
    cpu_start_begin(3, 0x3);
    REQUIRE(cpu_start_arrived(3));
    CHECK(online_cpus() == 3);
    CHECK(online_cpu(0) == 0);
    CHECK(online_cpu(1) == 1);
    CHECK(online_cpu(2) == 3);
    CHECK(online_ordinal(3) == 2);
    CHECK_FALSE(cpu(2).online.load());
    // It arrives now: too late, it must park.
    CHECK_FALSE(cpu_start_arrived(2));
    CHECK_FALSE(cpu(2).online.load());
    CHECK(online_cpus() == 3);

    // A zone's third online CPU is index 3, never the hole at 2.
    Zone* z = m.create("placed", 3, {0, 1, 2});
    CHECK(z->vcpus[0].home_cpu == 0);
    CHECK(z->vcpus[1].home_cpu == 1);
    CHECK(z->vcpus[2].home_cpu == 3);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("per-CPU table: a CPU that arrives in time is online", "[percpu]") {
    FakeMachine m(1);
    cpu_start_begin(1, 0x100);
    CHECK(cpu(1).hw_id == 0x100);
    REQUIRE(cpu_start_arrived(1));
    CHECK(cpu_start_wait(1, arch::now() + 10));
    CHECK(cpu(1).online.load());
    CHECK(online_cpus() == 2);
}
