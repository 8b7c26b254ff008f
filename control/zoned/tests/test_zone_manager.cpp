// SPDX-License-Identifier: GPL-2.0-only
// The lifecycle's rules, against a hypervisor in memory: a refused launch
// changes nothing, a launch that fails at any step is undone, an end is
// recorded once, destroy gives everything back, and a restarted zoned
// finishes off a launch its predecessor did not see through.
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include "manager_rig.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace bh::zoned;
using bh::control::ErrorCode;
using bh::control::LaunchRequest;
using bh::control::RequestError;
using bh::control::ZoneState;

namespace {

using Rig = ManagerRig;

LaunchRequest request(const std::string& name) {
    LaunchRequest r;
    r.name = name;
    r.command = {"sh", "-c", "echo hi; exit 3"};
    return r;
}

ErrorCode refusal(ZoneManager& manager, const LaunchRequest& r) {
    try {
        manager.launch(r, {});
    } catch (const RequestError& e) {
        CHECK(std::string(e.what()).find("zone '" + r.name + "'") != std::string::npos);
        return e.code();
    }
    FAIL("the launch was not refused");
    return ErrorCode::internal;
}

} // namespace

TEST_CASE("a launch runs the zone and records it") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    bh::control::ZoneInfo z = manager.launch(request("web"), {});
    CHECK(z.state == ZoneState::running);
    CHECK(z.kernel == (rig.dir.path / "Image").string());
    CHECK(manager.host_info().free_memory == (1ULL << 30) - (256ULL << 20));
    CHECK(manager.list().size() == 1);
}

TEST_CASE("a refused launch changes nothing") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    manager.launch(request("web"), {});
    LaunchRequest zero = request("zero");
    zero.vcpus = 0;
    LaunchRequest big = request("big");
    big.memory = 2ULL << 30;
    CHECK(refusal(manager, request("web")) == ErrorCode::exists);
    CHECK(refusal(manager, zero) == ErrorCode::invalid_argument);
    CHECK(refusal(manager, big) == ErrorCode::no_memory);
    CHECK(manager.list().size() == 1);
    CHECK(rig.hv.zones_made.size() == 1);
}

TEST_CASE("a launch that fails at any hypervisor step is undone") {
    for (const char* step : {"create", "load", "start"}) {
        Rig rig;
        ZoneManager manager(rig.options, rig.hv);
        rig.hv.fail_call = step;
        CAPTURE(step);
        CHECK_THROWS_AS(manager.launch(request("web"), {}), RequestError);
        CHECK(manager.list().empty());
        CHECK(rig.hv.zones_made.empty());
        CHECK(manager.host_info().free_memory == 1ULL << 30);
        rig.hv.fail_call.clear();
        CHECK(manager.launch(request("web"), {}).state == ZoneState::running); // the name is free again
    }
}

TEST_CASE("a zone's end is recorded once, with its status") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    ZoneHandle handle = manager.launch(request("web"), {}).handle;
    rig.hv.end(handle, bh::control::ExitReason::workload, 3);
    bh::control::ZoneInfo z = manager.info("web");
    CHECK(z.state == ZoneState::exited);
    REQUIRE(z.exit);
    CHECK(z.exit->status == 3);
    rig.hv.end(handle, bh::control::ExitReason::workload, 9); // cannot happen; must not rewrite history
    CHECK(manager.info("web").exit->status == 3);
}

TEST_CASE("destroy refuses a running zone unless forced, and gives everything back") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    manager.launch(request("web"), {});
    try {
        manager.destroy("web", false);
        FAIL("destroyed a running zone");
    } catch (const RequestError& e) {
        CHECK(e.code() == ErrorCode::bad_state);
        CHECK(std::string(e.what()).find("zonectl stop web") != std::string::npos);
    }
    manager.destroy("web", true);
    CHECK(manager.list().empty());
    CHECK(rig.hv.zones_made.empty());
    CHECK(manager.host_info().free_memory == 1ULL << 30);
    CHECK_THROWS_AS(manager.info("web"), RequestError);
}

TEST_CASE("a restarted zoned undoes a launch that was not seen through, and keeps the rest") {
    Rig rig;
    {
        ZoneManager manager(rig.options, rig.hv);
        manager.launch(request("kept"), {});
    }
    // As if zoned died between the hypervisor's answer and recording it.
    ZoneHandle orphan = rig.hv.create_zone(ZoneConfig{"half", 256ULL << 20, 1});
    {
        ZoneStore store(rig.options.state_dir / "zones.db");
        ZoneRecord half;
        half.name = "half";
        half.command = {"true"};
        store.insert(half);
    }
    ZoneManager restarted(rig.options, rig.hv);
    restarted.reattach();
    auto zones = restarted.list();
    REQUIRE(zones.size() == 1);
    CHECK(zones[0].name == "kept");
    CHECK(zones[0].state == ZoneState::running);
    CHECK(rig.hv.zones_made.count(orphan) == 0);
}

TEST_CASE("a zone the hypervisor no longer knows is crashed, reason lost") {
    Rig rig;
    ZoneManager manager(rig.options, rig.hv);
    ZoneHandle handle = manager.launch(request("web"), {}).handle;
    rig.hv.zones_made.erase(handle); // the machine restarted under zoned
    bh::control::ZoneInfo z = manager.info("web");
    CHECK(z.state == ZoneState::crashed);
    REQUIRE(z.exit);
    CHECK(z.exit->reason == bh::control::ExitReason::lost);
    manager.destroy("web", false); // nothing left to free: the record goes
    CHECK(manager.list().empty());
}

TEST_CASE("after the node restarted, the last boot's zones are told truthfully and their handles never used") {
    Rig rig;
    rig.options.boot_id = "boot-1";
    {
        ZoneManager manager(rig.options, rig.hv);
        manager.reattach();
        ZoneHandle done = manager.launch(request("done"), {}).handle;
        rig.hv.end(done, bh::control::ExitReason::workload, 5);
        CHECK(manager.info("done").state == ZoneState::exited);
        manager.launch(request("runner"), {});
    }
    // The node powers off: a new hypervisor, which gives the same handles
    // to new zones.
    StubHypervisor next;
    rig.options.boot_id = "boot-2";
    ZoneManager manager(rig.options, next);
    manager.reattach();
    bh::control::ZoneInfo done = manager.info("done");
    CHECK(done.state == ZoneState::exited);
    REQUIRE(done.exit);
    CHECK(done.exit->status == 5);
    CHECK(done.handle == 0);
    bh::control::ZoneInfo runner = manager.info("runner");
    CHECK(runner.state == ZoneState::crashed);
    REQUIRE(runner.exit);
    CHECK(runner.exit->reason == bh::control::ExitReason::node_restarted);
    CHECK(runner.exit->status == 70);
    ZoneHandle fresh = manager.launch(request("fresh"), {}).handle;
    manager.destroy("done", false);
    manager.destroy("runner", false);
    CHECK(next.zones_made.count(fresh) == 1); // the old records' destroys left it alone
    CHECK(manager.info("fresh").state == ZoneState::running);
    // A zoned restarted in the same boot changes nothing.
    ZoneManager again(rig.options, next);
    again.reattach();
    CHECK(again.info("fresh").state == ZoneState::running);
}
