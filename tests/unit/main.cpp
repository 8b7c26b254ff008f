// SPDX-License-Identifier: GPL-2.0-only
// Catch2 main, plus a listener that gives every test case a clean fake
// console and CPU 0.
//
// Test cases tagged [bug] pin down known bugs in the core: they
// pass while the bug is there and start failing once it is fixed, which is
// the cue to drop the [!shouldfail] tag (and keep the test).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <arch/console.hpp>
#include <arch/cpu.hpp>
#include <bulkhead/host_console.hpp>

namespace {

struct FakeArchReset : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testCaseStarting(Catch::TestCaseInfo const&) override {
        bh::arch::fake_console_clear();
        bh::host_console::flush(); // nothing left over from the last test
        bh::arch::fake_console_clear();
        bh::arch::fake_set_cpu_id(0);
    }
};

} // namespace

CATCH_REGISTER_LISTENER(FakeArchReset)
