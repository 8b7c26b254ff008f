// SPDX-License-Identifier: GPL-2.0-only
// zoned's records: every field survives a reopen (a restarted zoned),
// and names are unique.
#include <bulkhead/zoned/zone_store.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace bh::zoned;
using bh::control::ExitInfo;
using bh::control::ExitReason;
using bh::control::ZoneState;

namespace {

ZoneRecord record(const std::string& name) {
    ZoneRecord z;
    z.name = name;
    z.vcpus = 2;
    z.memory = 256ULL << 20;
    z.kernel = "/k";
    z.initrd = "/i";
    z.cmdline = "console=hvc0";
    z.command = {"sh", "-c", "echo 'hi'; exit 3"};
    z.env = {"A=1"};
    z.created_at = 100;
    return z;
}

} // namespace

TEST_CASE("a record reads back as written after the store is reopened") {
    TempDir dir;
    {
        ZoneStore store(dir.path / "zones.db");
        ZoneRecord z = record("web");
        store.insert(z);
        z.handle = (7ULL << 16) | 3;
        z.state = ZoneState::exited;
        z.exit = ExitInfo{ExitReason::workload, 3, 3};
        z.started_at = 101;
        z.ended_at = 102;
        z.console_drained = true;
        z.backend_slot = 4;
        z.backend_restarts = 2;
        store.update(z);
    }
    ZoneStore store(dir.path / "zones.db");
    auto z = store.find("web");
    REQUIRE(z);
    CHECK(z->handle == ((7ULL << 16) | 3));
    CHECK(z->state == ZoneState::exited);
    REQUIRE(z->exit);
    CHECK(z->exit->status == 3);
    CHECK(z->exit->reason == ExitReason::workload);
    CHECK(z->command == record("web").command);
    CHECK(z->env == record("web").env);
    CHECK(z->cmdline == "console=hvc0");
    CHECK((z->started_at == 101 && z->ended_at == 102));
    CHECK(z->console_drained);
    CHECK((z->backend_slot == 4 && z->backend_restarts == 2));
}

TEST_CASE("a zone without a handle yet is recorded as such") {
    TempDir dir;
    ZoneStore store(dir.path / "zones.db");
    store.insert(record("new"));
    auto z = store.find("new");
    REQUIRE(z);
    CHECK_FALSE(z->handle);
    CHECK(z->state == ZoneState::creating);
    CHECK_FALSE(z->exit);
}

TEST_CASE("names are unique; updating or finding a missing zone says so") {
    TempDir dir;
    ZoneStore store(dir.path / "zones.db");
    store.insert(record("web"));
    CHECK_THROWS_AS(store.insert(record("web")), SqliteError);
    CHECK_THROWS_AS(store.update(record("nosuch")), SqliteError);
    CHECK_FALSE(store.find("nosuch"));
    store.remove("web");
    CHECK(store.all().empty());
}

TEST_CASE("backend slots are the lowest free ones") {
    TempDir dir;
    ZoneStore store(dir.path / "zones.db");
    CHECK(store.free_backend_slot() == 0);
    ZoneRecord a = record("a"), b = record("b");
    a.backend_slot = 0;
    b.backend_slot = 1;
    store.insert(a);
    store.insert(b);
    CHECK(store.free_backend_slot() == 2);
    store.remove("a");
    CHECK(store.free_backend_slot() == 0);
}
