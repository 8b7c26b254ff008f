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

TEST_CASE("a zone's disks survive a reopen, and a version-1 store gains the column") {
    TempDir dir;
    {
        // zones.db as the first zoned wrote it: no disks column.
        Database db((dir.path / "zones.db").string());
        db.exec("CREATE TABLE zones (name TEXT PRIMARY KEY, handle INTEGER, state TEXT NOT NULL, vcpus INTEGER NOT "
                "NULL, memory INTEGER NOT NULL, kernel TEXT NOT NULL, initrd TEXT NOT NULL, cmdline TEXT NOT NULL, "
                "command TEXT NOT NULL, env TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER NOT NULL, "
                "ended_at INTEGER NOT NULL, exit_reason TEXT, exit_code INTEGER, exit_status INTEGER, "
                "console_drained INTEGER NOT NULL, backend_slot INTEGER NOT NULL, backend_restarts INTEGER NOT NULL)");
        db.exec("INSERT INTO zones VALUES ('old', 5, 'running', 1, 268435456, '/k', '', '', '[\"true\"]', '[]', 1, 2, "
                "0, NULL, NULL, NULL, 0, 0, 0)");
        db.exec("PRAGMA user_version=1");
    }
    {
        ZoneStore store(dir.path / "zones.db");
        auto old = store.find("old");
        REQUIRE(old);
        CHECK(old->disks.empty());
        ZoneRecord z = record("web");
        z.disks = {DiskRecord{"/data/root.img", false, 2049, 77}, DiskRecord{"/data/base.img", true, 2049, 78}};
        store.insert(z);
    }
    ZoneStore store(dir.path / "zones.db");
    auto z = store.find("web");
    REQUIRE(z);
    REQUIRE(z->disks.size() == 2);
    CHECK((z->disks[0].path == "/data/root.img" && !z->disks[0].read_only && z->disks[0].ino == 77));
    CHECK((z->disks[1].path == "/data/base.img" && z->disks[1].read_only && z->disks[1].dev == 2049));
}
