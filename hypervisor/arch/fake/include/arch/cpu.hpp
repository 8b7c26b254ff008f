// SPDX-License-Identifier: GPL-2.0-only
// Fake arch for host unit tests: the CPU interface of <bulkhead/arch_cpu.hpp>
// implemented on top of ordinary host threads.
//
// halt_machine() throws FakeHalt instead of stopping, so a test can assert
// that a panic happened (REQUIRE_THROWS_AS(..., bh::arch::FakeHalt)); the
// panic line itself is on the fake console (see <arch/console.hpp>).
#pragma once

#include <exception>

#include <bulkhead/types.hpp>

namespace bh::arch {

inline constexpr unsigned kMaxCpus = 8; // as on aarch64

struct FakeHalt : std::exception {
    const char* what() const noexcept override { return "bulkhead: halt_machine() on the fake arch"; }
};

void cpu_relax();
unsigned cpu_id();
[[noreturn]] void halt_machine();

// Test hook: the value cpu_id() returns on the calling thread (default 0).
void fake_set_cpu_id(unsigned id);

} // namespace bh::arch
