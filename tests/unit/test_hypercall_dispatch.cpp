// SPDX-License-Identifier: GPL-2.0-only
// Hypercall dispatch on the fake arch, through handle_hypercall exactly as
// an exit reaches it: rights, statuses, management calls with their
// restarts, and the traces an error must not leave.
#include <algorithm>
#include <cstring>

#include <bulkhead/guest_memory.hpp>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/zone_management.hpp>

#include "fake_machine.hpp"
#include "hypercall_call.hpp"

using namespace bh;
using bh::test::args;
using bh::test::call;
using bh::test::Call;
using bh::test::FakeMachine;
using bh::test::MiB;
using bh::test::status;

namespace {

// A privileged manager zone with its name strings and an image in its RAM.
struct Manager {
    FakeMachine& m;
    Zone* zone;
    Vcpu& vcpu;
    static constexpr u64 kNameAt = 0x1000, kImageAt = 0x100000;

    explicit Manager(FakeMachine& machine, u64 memory = 16 * MiB)
        : m(machine), zone(machine.create("manager", 1, {0}, memory, true)), vcpu(zone->vcpus[0]) {}

    GuestPhys at(u64 off) const { return zone->ram.base + off; }
    u64 name(const char* n) {
        REQUIRE(copy_to_guest(*zone, at(kNameAt), n, std::strlen(n)) == Status::ok);
        return at(kNameAt).raw();
    }
    Call create(const char* n, u64 memory, u64 vcpus = 1) {
        u64 ipa = name(n);
        return call(vcpu, BH_HC_ZONE_CREATE, ipa, std::strlen(n), memory, vcpus);
    }
    Zone* zone_of(u64 handle) {
        Lock<ZoneTable> g(zones());
        return zones().lookup(g.held(), ZoneHandle::from_raw(handle));
    }
};

} // namespace

TEST_CASE("dispatch: calls every zone may make", "[dispatch]") {
    FakeMachine m;
    Zone* z = m.create("plain", 2, {1, 2}, 4 * MiB);
    Vcpu& v = z->vcpus[1];
    Call c = call(v, BH_HC_VERSION);
    CHECK(status(c) == Status::ok);
    CHECK(c.result.ret[0] == ((BH_VERSION_MAJOR << 16) | BH_VERSION_MINOR));
    c = call(v, BH_HC_ZONE_SELF);
    CHECK(c.result.ret[0] == z->handle.raw());
    CHECK(c.result.ret[1] == 1);
    CHECK(c.result.ret[2] == 2);
    CHECK(c.result.ret[3] == 4 * MiB);
    CHECK(status(call(v, BH_HC_FN(0x7f))) == Status::not_supported);
    CHECK(status(call(v, u64(BH_HC_VERSION) | (u64(1) << 32))) == Status::not_supported);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("dispatch: management calls need the zone's right", "[dispatch][security]") {
    FakeMachine m;
    Zone* z = m.create("plain");
    // Every call from 0x10 up: zone management and the control plane.
    for (u64 n = 0x10; n < BH_HC_COUNT; ++n) {
        INFO("function 0x" << std::hex << n);
        CHECK(status(call(z->vcpus[0], BH_HC_FN(n), z->handle.raw())) == Status::permission_denied);
    }
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("dispatch: ZONE_EXIT records the code and what it is", "[dispatch]") {
    FakeMachine m;
    Zone* z = m.create("exiting");
    REQUIRE(zone_start(*z) == Status::ok);
    SECTION("a bad kind is refused and changes nothing") {
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 3, 7)) == Status::invalid_argument);
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 256, BH_EXIT_CODE_STATUS)) == Status::invalid_argument);
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 0, BH_EXIT_CODE_SIGNAL)) == Status::invalid_argument);
        CHECK(z->is_running());
        zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    }
    SECTION("the workload's exit status") {
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 3, BH_EXIT_CODE_STATUS)) == Status::ok);
        CHECK(z->state.load() == ZoneState::exited);
        CHECK(z->exit_reason == BH_EXIT_WORKLOAD);
        CHECK(z->exit_code == 3);
    }
    SECTION("the signal that killed the workload") {
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 9, BH_EXIT_CODE_SIGNAL)) == Status::ok);
        CHECK(z->exit_reason == BH_EXIT_WORKLOAD_SIGNAL);
        CHECK(z->exit_code == 9);
    }
    SECTION("a plain code") {
        CHECK(status(call(z->vcpus[0], BH_HC_ZONE_EXIT, 1234)) == Status::ok);
        CHECK(z->exit_reason == BH_EXIT_CALL);
        CHECK(z->exit_code == 1234);
    }
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("dispatch: ZONE_CREATE scrubs in restarted steps and returns a handle", "[dispatch]") {
    FakeMachine m(4, 96 * MiB);
    Manager mg(m);
    Call c = mg.create("child", 24 * MiB, 2);
    REQUIRE(status(c) == Status::ok);
    CHECK(c.restarts == 24 * MiB / kManagementStepBytes - 1);
    Zone* child = mg.zone_of(c.result.ret[0]);
    REQUIRE(child);
    CHECK(child->state.load() == ZoneState::created);
    CHECK_FALSE(child->privileged); // rights are not delegated
    CHECK(child->creator.raw() == mg.zone->handle.raw());
    CHECK(child->vcpus[0].home_cpu == 1); // spread past the creator's CPU
    CHECK(child->vcpus[1].home_cpu == 2);

    SECTION("the name is taken") { CHECK(status(mg.create("child", 2 * MiB)) == Status::bad_state); }
    SECTION("status of a created zone") {
        Call s = call(mg.vcpu, BH_HC_ZONE_STATUS, child->handle.raw());
        CHECK(s.result.ret[0] == BH_ZONE_CREATED);
    }
    REQUIRE(m.destroy(*child) == Status::ok);
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("dispatch: a creation in progress belongs to its creator", "[dispatch][security]") {
    FakeMachine m(4, 96 * MiB);
    Manager mg(m);
    Zone* other = m.create("other-manager", 1, {2}, 4 * MiB, true);
    u64 ipa = mg.name("half");
    HypercallResult r = handle_hypercall(mg.vcpu, args(BH_HC_ZONE_CREATE, ipa, 4, 16 * MiB, 1)); // one step only
    REQUIRE(r.restart);
    Zone* half;
    {
        Lock<ZoneTable> g(zones());
        half = zones().find(g.held(), "half");
    }
    REQUIRE(half);
    CHECK(half->state.load() == ZoneState::creating);
    // Another manager cannot continue it, start it or load it.
    REQUIRE(copy_to_guest(*other, other->ram.base, "half", 4) == Status::ok);
    CHECK(status(call(other->vcpus[0], BH_HC_ZONE_CREATE, other->ram.base.raw(), 4, 16 * MiB, 1)) == Status::bad_state);
    CHECK(status(call(other->vcpus[0], BH_HC_ZONE_START, half->handle.raw())) == Status::bad_state);
    // Nor can its creator continue it with another size.
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_CREATE, ipa, 4, 8 * MiB, 1)) == Status::bad_state);
    // It finishes when its creator carries on.
    Call c = call(mg.vcpu, BH_HC_ZONE_CREATE, ipa, 4, 16 * MiB, 1);
    REQUIRE(status(c) == Status::ok);
    CHECK(c.result.ret[0] == half->handle.raw());
    REQUIRE(m.destroy(*half) == Status::ok);
    REQUIRE(m.destroy(*other) == Status::ok);
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("dispatch: a creating zone can be destroyed between steps", "[dispatch]") {
    FakeMachine m(4, 96 * MiB);
    Manager mg(m);
    u64 ipa = mg.name("abandoned");
    HypercallResult r = handle_hypercall(mg.vcpu, args(BH_HC_ZONE_CREATE, ipa, 9, 16 * MiB, 1)); // one step
    REQUIRE(r.restart);
    Zone* z;
    {
        Lock<ZoneTable> g(zones());
        z = zones().find(g.held(), "abandoned");
    }
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, z->handle.raw())) == Status::ok);
    // The restarted call finds nothing to continue and starts afresh.
    Call c = call(mg.vcpu, BH_HC_ZONE_CREATE, ipa, 9, 16 * MiB, 1);
    REQUIRE(status(c) == Status::ok);
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, c.result.ret[0])) == Status::ok);
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("dispatch: ZONE_LOAD copies in restarted steps, or not at all", "[dispatch]") {
    FakeMachine m(4, 96 * MiB);
    Manager mg(m, 32 * MiB);
    Call c = mg.create("target", 16 * MiB);
    REQUIRE(status(c) == Status::ok);
    u64 h = c.result.ret[0];
    Zone* t = mg.zone_of(h);
    // A 10 MiB image with a pattern, in the manager's RAM.
    constexpr u64 kLen = 10 * MiB;
    std::vector<u8> image(kLen);
    for (u64 i = 0; i < kLen; ++i) image[i] = static_cast<u8>(i * 7 + 3);
    REQUIRE(copy_to_guest(*mg.zone, mg.at(Manager::kImageAt), image.data(), kLen) == Status::ok);

    SECTION("the whole image arrives") {
        Call l = call(mg.vcpu, BH_HC_ZONE_LOAD, h, t->ram.base.raw() + 0x1000, mg.at(Manager::kImageAt).raw(), kLen);
        REQUIRE(status(l) == Status::ok);
        CHECK(l.restarts == 2); // 4 + 4 + 2 MiB
        std::vector<u8> back(kLen);
        REQUIRE(copy_from_guest(*t, t->ram.base + 0x1000, back.data(), kLen) == Status::ok);
        CHECK(back == image);
    }
    SECTION("a range past the target's RAM is refused before a byte moves") {
        Call l = call(mg.vcpu, BH_HC_ZONE_LOAD, h, t->ram.base.raw() + 16 * MiB - 4 * MiB,
                      mg.at(Manager::kImageAt).raw(), kLen);
        CHECK(status(l) == Status::invalid_argument);
        CHECK(l.restarts == 0);
        std::vector<u8> back(4 * MiB);
        REQUIRE(copy_from_guest(*t, t->ram.base + 12 * MiB, back.data(), back.size()) == Status::ok);
        CHECK(std::all_of(back.begin(), back.end(), [](u8 b) { return b == 0; }));
    }
    SECTION("a source outside the caller's RAM is refused") {
        CHECK(status(call(mg.vcpu, BH_HC_ZONE_LOAD, h, t->ram.base.raw(), 0x1000, 0x1000)) == Status::invalid_argument);
    }
    SECTION("a running zone cannot be loaded") {
        REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_START, h)) == Status::ok);
        CHECK(status(call(mg.vcpu, BH_HC_ZONE_LOAD, h, t->ram.base.raw(), mg.at(Manager::kImageAt).raw(), 4096)) ==
              Status::bad_state);
        CHECK(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, h)) == Status::bad_state);
        REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_STOP, h)) == Status::ok);
        Call s = call(mg.vcpu, BH_HC_ZONE_STATUS, h);
        CHECK(s.result.ret[0] == BH_ZONE_STOPPED);
        CHECK(s.result.ret[1] == BH_EXIT_STOPPED);
    }
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, h)) == Status::ok);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_STATUS, h)) == Status::not_found);
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("dispatch: a manager cannot stop or destroy itself", "[dispatch]") {
    FakeMachine m;
    Manager mg(m, 4 * MiB);
    REQUIRE(zone_start(*mg.zone) == Status::ok);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_STOP, mg.zone->handle.raw())) == Status::invalid_argument);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, mg.zone->handle.raw())) == Status::invalid_argument);
    CHECK(mg.zone->is_running());
    zone_end(*mg.zone, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    arch::fake_set_cpu_id(0);
    arch::this_cpu().need_resched = false;
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
}

TEST_CASE("dispatch: ZONE_SET_ENTRY and VCPU_ON check their vCPU and address", "[dispatch]") {
    FakeMachine m;
    Manager mg(m, 4 * MiB);
    Call c = mg.create("entry", 2 * MiB, 2);
    REQUIRE(status(c) == Status::ok);
    u64 h = c.result.ret[0];
    Zone* t = mg.zone_of(h);
    u64 base = t->ram.base.raw();
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_SET_ENTRY, h, 2, base, 0)) == Status::invalid_argument);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_SET_ENTRY, h, 0, base + 2 * MiB, 0)) == Status::invalid_argument);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_SET_ENTRY, h, 0, base + 2, 0)) == Status::invalid_argument);
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_SET_ENTRY, h, 1, base + 0x100, 42)) == Status::ok);
    CHECK(t->vcpus[1].ctx.regs.pc == base + 0x100);
    CHECK(t->vcpus[1].ctx.regs.x[0] == 42);
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_START, h)) == Status::ok);
    CHECK(status(call(mg.vcpu, BH_HC_ZONE_SET_ENTRY, h, 0, base, 0)) == Status::bad_state);
    // In the zone: VCPU_ON of its other vCPU, once.
    Vcpu& v0 = t->vcpus[0];
    CHECK(status(call(v0, BH_HC_VCPU_ON, 1, base + 4 * MiB, 0)) == Status::invalid_argument);
    CHECK(status(call(v0, BH_HC_VCPU_ON, 2, base, 0)) == Status::invalid_argument);
    CHECK(status(call(v0, BH_HC_VCPU_ON, 1, base + 0x200, 5)) == Status::ok);
    CHECK(status(call(v0, BH_HC_VCPU_ON, 1, base + 0x200, 5)) == Status::busy);
    CHECK(t->vcpus[1].ctx.regs.pc == base + 0x200);
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_STOP, h)) == Status::ok);
    for (unsigned cpu = 0; cpu < 4; ++cpu) {
        arch::fake_set_cpu_id(cpu);
        arch::this_cpu().need_resched = false;
    }
    arch::fake_set_cpu_id(0);
    REQUIRE(status(call(mg.vcpu, BH_HC_ZONE_DESTROY, h)) == Status::ok);
    REQUIRE(m.destroy(*mg.zone) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}
