// SPDX-License-Identifier: GPL-2.0-only
// BH_HC_ZONE_BOOT_LINUX on the fake arch: the descriptor and its strings
// decoded from the manager's RAM, every malformed one refused before
// anything changes, and only a created zone that is not the caller.
#include <cstring>
#include <string>
#include <vector>

#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>

#include "fake_machine.hpp"
#include "hypercall_call.hpp"

using namespace bh;
using bh::test::call;
using bh::test::FakeMachine;
using bh::test::MiB;
using bh::test::status;

namespace {

constexpr u64 kDescOffset = 0x4000; // in the manager's RAM

// A descriptor and its strings as a manager lays them out.
struct Boot {
    bh_linux_boot d{};
    std::string bootargs, command, args, env, cwd; // with their NULs
    u64 extra_length = 0;                          // added to the length the call is given

    std::vector<u8> bytes() const {
        bh_linux_boot h = d;
        h.bootargs_len = static_cast<u32>(bootargs.size());
        h.command_len = static_cast<u32>(command.size());
        h.args_len = static_cast<u32>(args.size());
        h.env_len = static_cast<u32>(env.size());
        h.cwd_len = static_cast<u32>(cwd.size());
        std::vector<u8> out(sizeof h);
        std::memcpy(out.data(), &h, sizeof h);
        for (const std::string* s : {&bootargs, &command, &args, &env, &cwd})
            out.insert(out.end(), s->begin(), s->end());
        return out;
    }
};

std::string z(const char* s) { return std::string(s) + '\0'; }

struct Setup {
    FakeMachine m;
    Zone* manager = m.create("manager", 1, {0}, 4 * MiB, true);
    Zone* child = m.create("child", 1, {1}, 8 * MiB);
    Boot boot;

    Setup() {
        boot.d.kernel_ipa = child->ram.base.raw() + 0x200000;
        boot.d.kernel_size = 1 * MiB;
        boot.d.initrd_ipa = child->ram.base.raw() + 4 * MiB;
        boot.d.initrd_size = 512 * 1024;
        boot.bootargs = z("console=hvc0 quiet");
        boot.command = z("/bin/sh");
        boot.args = z("-c") + z("echo hi; exit 3");
        boot.env = z("AGENT=1");
        boot.cwd = z("/");
    }
    Status run(u64 handle = 0) {
        std::vector<u8> b = boot.bytes();
        REQUIRE(copy_to_guest(*manager, manager->ram.base + kDescOffset, b.data(), b.size()) == Status::ok);
        arch::fake_set_cpu_id(0);
        return status(call(manager->vcpus[0], BH_HC_ZONE_BOOT_LINUX, handle ? handle : child->handle.raw(),
                           manager->ram.base.raw() + kDescOffset, b.size() + boot.extra_length));
    }
    ~Setup() { bh::test::end_and_destroy(m, {child, manager}); }
};

} // namespace

TEST_CASE("boot linux: a manager's descriptor becomes the zone's boot", "[linux-boot][dispatch]") {
    Setup s;
    REQUIRE(s.run() == Status::ok);
    CHECK(s.child->arch.linux_booted);
    CHECK(std::string(s.child->arch.linux_command) == "/bin/sh");
    CHECK(std::string(s.child->arch.linux_bootargs) == "console=hvc0 quiet");
    CHECK(s.child->vcpus[0].ctx.regs.pc == s.boot.d.kernel_ipa);
    SECTION("no initrd, no workload") {
        s.boot.d.initrd_ipa = s.boot.d.initrd_size = 0;
        s.boot.command = s.boot.args = s.boot.env = s.boot.cwd = "";
        CHECK(s.run() == Status::ok);
    }
    SECTION("once started it is too late") {
        REQUIRE(zone_start(*s.child) == Status::ok);
        CHECK(s.run() == Status::bad_state);
    }
}

TEST_CASE("boot linux: malformed descriptors change nothing", "[linux-boot][dispatch][security]") {
    Setup s;
    u64 resets = s.child->vcpus[0].ctx.resets;
    SECTION("a string without its NUL") { s.boot.bootargs = "console=hvc0"; }
    SECTION("an argument list without its last NUL") { s.boot.args = z("-c") + "echo"; }
    SECTION("an empty command") { s.boot.command = z(""); }
    SECTION("arguments without a command") { s.boot.command = ""; }
    SECTION("a length that does not add up") { s.boot.extra_length = 8; }
    SECTION("strings longer than the limit") { s.boot.env = std::string(BH_LINUX_BOOT_STRINGS_MAX, 'x') + '\0'; }
    SECTION("the reserved word set") { s.boot.d.reserved = 1; }
    SECTION("a kernel outside the zone's RAM") { s.boot.d.kernel_ipa = s.child->ram.end().raw() - 4096; }
    SECTION("an initrd outside the zone's RAM") { s.boot.d.initrd_size = 16 * MiB; }
    SECTION("an initrd size without an address") { s.boot.d.initrd_ipa = 0; }
    SECTION("a kernel of no bytes") { s.boot.d.kernel_size = 0; }
    SECTION("an address that wraps") { s.boot.d.kernel_ipa = ~u64(0) - 4096; }
    CHECK(s.run() == Status::invalid_argument);
    CHECK_FALSE(s.child->arch.linux_booted);
    CHECK(s.child->vcpus[0].ctx.resets == resets);
}

TEST_CASE("boot linux: only another zone that exists", "[linux-boot][dispatch]") {
    Setup s;
    CHECK(s.run(s.manager->handle.raw()) == Status::invalid_argument);
    CHECK(s.run(0xdead0007) == Status::not_found);
    // The descriptor must lie in the caller's RAM.
    arch::fake_set_cpu_id(0);
    CHECK(status(call(s.manager->vcpus[0], BH_HC_ZONE_BOOT_LINUX, s.child->handle.raw(), s.manager->ram.end().raw(),
                      sizeof(bh_linux_boot))) == Status::invalid_argument);
    CHECK_FALSE(s.child->arch.linux_booted);
}

TEST_CASE("boot linux: long work goes in restarted steps, and only a restarted call resumes",
          "[linux-boot][dispatch]") {
    Setup s;
    s.boot.d.kernel_size = 6 * MiB; // two management steps
    s.boot.d.initrd_ipa = s.boot.d.initrd_size = 0;
    std::vector<u8> b = s.boot.bytes();
    REQUIRE(copy_to_guest(*s.manager, s.manager->ram.base + kDescOffset, b.data(), b.size()) == Status::ok);
    arch::fake_set_cpu_id(0);
    // Registers a caller did not clear: not a resumption.
    HypercallArgs a = bh::test::args(BH_HC_ZONE_BOOT_LINUX, s.child->handle.raw(),
                                     s.manager->ram.base.raw() + kDescOffset, b.size(), 5 * MiB);
    a.arg[4] = 0x1234;
    HypercallResult r = handle_hypercall(s.manager->vcpus[0], a);
    REQUIRE(r.restart);
    CHECK(s.child->arch.linux_boot_step_from == 0);
    CHECK(r.again.arg[3] == 4 * MiB);
    CHECK(r.again.arg[4] != 0);
    CHECK(r.again.arg[4] == s.child->linux_boot_token);
    CHECK_FALSE(s.child->arch.linux_booted);
    SECTION("the restarted call finishes it") {
        r = handle_hypercall(s.manager->vcpus[0], r.again);
        CHECK_FALSE(r.restart);
        CHECK(r.status == Status::ok);
        CHECK(s.child->arch.linux_boot_step_from == 4 * MiB);
        CHECK(s.child->arch.linux_boot_steps == 2);
        CHECK(s.child->arch.linux_booted);
        CHECK(s.child->linux_boot_token == 0);
    }
    SECTION("a token from another boot starts afresh") {
        HypercallArgs stale = r.again;
        stale.arg[4] ^= 1;
        r = handle_hypercall(s.manager->vcpus[0], stale);
        REQUIRE(r.restart);
        CHECK(s.child->arch.linux_boot_step_from == 0);
    }
    SECTION("progress beyond the work is refused and the boot dropped") {
        HypercallArgs forged = r.again;
        forged.arg[3] = 7 * MiB;
        CHECK(handle_hypercall(s.manager->vcpus[0], forged).status == Status::invalid_argument);
        CHECK(s.child->linux_boot_token == 0);
        CHECK_FALSE(s.child->arch.linux_booted);
    }
    SECTION("a zone started meanwhile ends it") {
        REQUIRE(zone_start(*s.child) == Status::ok);
        CHECK(handle_hypercall(s.manager->vcpus[0], r.again).status == Status::bad_state);
    }
}
