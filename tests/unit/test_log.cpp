// SPDX-License-Identifier: GPL-2.0-only
#include <catch2/catch.hpp>

#include <arch/console.hpp>
#include <arch/cpu.hpp>
#include <bulkhead/log.hpp>

#include <string>

using namespace bh;

TEST_CASE("log: one whole line with the CPU number", "[log]") {
    log("hello %d", 42);
    CHECK(arch::fake_console_take() == "[bulkhead:0] hello 42\n");
    arch::fake_set_cpu_id(3);
    log("from three\n"); // a trailing newline is not doubled
    CHECK(arch::fake_console_take() == "[bulkhead:3] from three\n");
    CHECK(arch::fake_console_take().empty());
}

TEST_CASE("log: long lines are cut, still ending in a newline", "[log]") {
    std::string long_text(400, 'x');
    log("%s", long_text.c_str());
    std::string out = arch::fake_console_take();
    CHECK(out == "[bulkhead:0] " + std::string(255, 'x') + "\n");
}

TEST_CASE("log: empty message", "[log]") {
    const char* empty = "";
    log("%s", empty);
    CHECK(arch::fake_console_take() == "[bulkhead:0] \n");
}

TEST_CASE("panic: prints and halts", "[log][panic]") {
    arch::fake_set_cpu_id(1);
    REQUIRE_THROWS_AS(panic("bad thing %#x", 0xdeadu), arch::FakeHalt);
    CHECK(arch::fake_console_take() == "[bulkhead:1] PANIC: bad thing 0xdead\n");
    // The console lock was released: logging still works afterwards.
    log("after");
    CHECK(arch::fake_console_take() == "[bulkhead:1] after\n");
}
