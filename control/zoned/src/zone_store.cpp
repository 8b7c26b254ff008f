// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/zone_store.hpp>

#include <set>
#include <time.h>

namespace bh::zoned {

using control::json;

namespace {

// 1: the first; 2: `disks` (a JSON list), added to a version-1 table.
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS zones (
    name TEXT PRIMARY KEY,
    handle INTEGER,
    state TEXT NOT NULL,
    vcpus INTEGER NOT NULL,
    memory INTEGER NOT NULL,
    kernel TEXT NOT NULL,
    initrd TEXT NOT NULL,
    cmdline TEXT NOT NULL,
    command TEXT NOT NULL,
    env TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    exit_reason TEXT,
    exit_code INTEGER,
    exit_status INTEGER,
    console_drained INTEGER NOT NULL,
    backend_slot INTEGER NOT NULL,
    backend_restarts INTEGER NOT NULL,
    disks TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS node (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
))sql";

constexpr const char* kColumns = "name, handle, state, vcpus, memory, kernel, initrd, cmdline, command, env, "
                                 "created_at, started_at, ended_at, exit_reason, exit_code, exit_status, "
                                 "console_drained, backend_slot, backend_restarts, disks";

// Binds every column of `z` as ?1..?20 in kColumns' order.
void bind_record(Statement& s, const ZoneRecord& z) {
    s.bind(1, z.name);
    s.bind(2, z.handle ? std::optional<std::int64_t>(static_cast<std::int64_t>(*z.handle)) : std::nullopt);
    s.bind(3, control::to_string(z.state));
    s.bind(4, static_cast<std::int64_t>(z.vcpus));
    s.bind(5, static_cast<std::int64_t>(z.memory));
    s.bind(6, z.kernel);
    s.bind(7, z.initrd);
    s.bind(8, z.cmdline);
    s.bind(9, json(z.command).dump());
    s.bind(10, json(z.env).dump());
    s.bind(11, z.created_at);
    s.bind(12, z.started_at);
    s.bind(13, z.ended_at);
    if (z.exit) {
        s.bind(14, control::to_string(z.exit->reason));
        s.bind(15, static_cast<std::int64_t>(z.exit->code));
        s.bind(16, static_cast<std::int64_t>(z.exit->status));
    } else {
        s.bind(14, std::nullopt).bind(15, std::nullopt).bind(16, std::nullopt);
    }
    s.bind(17, static_cast<std::int64_t>(z.console_drained));
    s.bind(18, static_cast<std::int64_t>(z.backend_slot));
    s.bind(19, static_cast<std::int64_t>(z.backend_restarts));
    json disks = json::array();
    for (const DiskRecord& d : z.disks)
        disks.push_back(
            {{"path", d.path}, {"read_only", d.read_only}, {"dev", d.dev}, {"ino", d.ino}, {"root", d.root}});
    s.bind(20, disks.dump());
}

ZoneRecord read_record(const Statement& s) {
    ZoneRecord z;
    z.name = s.text(0);
    if (auto h = s.optional_integer(1)) z.handle = static_cast<ZoneHandle>(*h);
    z.state = control::zone_state_from(s.text(2)).value_or(control::ZoneState::crashed);
    z.vcpus = static_cast<std::uint32_t>(s.integer(3));
    z.memory = static_cast<std::uint64_t>(s.integer(4));
    z.kernel = s.text(5);
    z.initrd = s.text(6);
    z.cmdline = s.text(7);
    z.command = json::parse(s.text(8)).get<std::vector<std::string>>();
    z.env = json::parse(s.text(9)).get<std::vector<std::string>>();
    z.created_at = s.integer(10);
    z.started_at = s.integer(11);
    z.ended_at = s.integer(12);
    if (auto status = s.optional_integer(15)) {
        z.exit = control::ExitInfo{control::exit_reason_from(s.text(13)).value_or(control::ExitReason::none),
                                   static_cast<std::uint64_t>(s.integer(14)), static_cast<int>(*status)};
    }
    z.console_drained = s.integer(16) != 0;
    z.backend_slot = static_cast<std::uint32_t>(s.integer(17));
    z.backend_restarts = static_cast<std::uint32_t>(s.integer(18));
    for (const json& d : json::parse(s.text(19)))
        z.disks.push_back(DiskRecord{d.at("path").get<std::string>(), d.at("read_only").get<bool>(),
                                     d.at("dev").get<std::uint64_t>(), d.at("ino").get<std::uint64_t>(),
                                     d.value("root", false)}); // absent in records from before --root
    return z;
}

std::string select_sql(const char* where) { return std::string("SELECT ") + kColumns + " FROM zones " + where; }

} // namespace

std::int64_t now_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

ZoneStore::ZoneStore(const std::filesystem::path& path) : db_(path.string()) {
    // WAL: a crash never leaves a half-written page for the next reader,
    // and readers never block the writer. FULL: a committed change is on
    // disk before zoned answers the client, power loss included.
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");
    Transaction t(db_);
    Statement version = db_.prepare("PRAGMA user_version");
    version.step();
    std::int64_t found = version.integer(0);
    if (found > kSchemaVersion)
        throw SqliteError(path.string() + " was written by a newer zoned (schema " + std::to_string(found) + ")");
    db_.exec(kSchema);
    if (found == 1) db_.exec("ALTER TABLE zones ADD COLUMN disks TEXT NOT NULL DEFAULT '[]'");
    db_.exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
    t.commit();
}

std::vector<ZoneRecord> ZoneStore::all() {
    Statement s = db_.prepare(select_sql("ORDER BY created_at, name").c_str());
    std::vector<ZoneRecord> out;
    while (s.step()) out.push_back(read_record(s));
    return out;
}

std::optional<ZoneRecord> ZoneStore::find(const std::string& name) {
    Statement s = db_.prepare(select_sql("WHERE name = ?1").c_str());
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return read_record(s);
}

void ZoneStore::insert(const ZoneRecord& zone) {
    Transaction t(db_);
    Statement s = db_.prepare((std::string("INSERT INTO zones (") + kColumns +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                               "?18, ?19, ?20)")
                                  .c_str());
    bind_record(s, zone);
    s.run();
    t.commit();
}

void ZoneStore::update(const ZoneRecord& zone) {
    Transaction t(db_);
    Statement s =
        db_.prepare("UPDATE zones SET handle = ?2, state = ?3, vcpus = ?4, memory = ?5, kernel = ?6, "
                    "initrd = ?7, cmdline = ?8, command = ?9, env = ?10, created_at = ?11, started_at = ?12, "
                    "ended_at = ?13, exit_reason = ?14, exit_code = ?15, exit_status = ?16, "
                    "console_drained = ?17, backend_slot = ?18, backend_restarts = ?19, disks = ?20 WHERE name = ?1");
    bind_record(s, zone);
    s.run();
    if (db_.changes() != 1) throw SqliteError("zone '" + zone.name + "' has no record to update");
    t.commit();
}

void ZoneStore::remove(const std::string& name) {
    Transaction t(db_);
    db_.prepare("DELETE FROM zones WHERE name = ?1").bind(1, name).run();
    t.commit();
}

std::uint32_t ZoneStore::free_backend_slot() {
    std::set<std::uint32_t> used;
    Statement s = db_.prepare("SELECT backend_slot FROM zones");
    while (s.step()) used.insert(static_cast<std::uint32_t>(s.integer(0)));
    std::uint32_t slot = 0;
    while (used.count(slot)) ++slot;
    return slot;
}

std::optional<std::string> ZoneStore::boot_id() {
    Statement s = db_.prepare("SELECT value FROM node WHERE key = 'boot_id'");
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void ZoneStore::set_boot_id(const std::string& id) {
    Transaction t(db_);
    db_.prepare("INSERT OR REPLACE INTO node (key, value) VALUES ('boot_id', ?1)").bind(1, id).run();
    t.commit();
}

} // namespace bh::zoned
