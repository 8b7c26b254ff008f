// SPDX-License-Identifier: GPL-2.0-only
// zoned's memory of its zones: one SQLite database in WAL mode with
// synchronous=FULL, every change its own transaction, so that after a
// crash (or SIGKILL) at any point the file holds each zone either as it
// was or as it became. A restarted zoned reads it back and re-attaches
// (zone_manager.hpp, reattach.cpp).
#pragma once

#include <bulkhead/control/protocol.hpp>
#include <bulkhead/zoned/hypervisor.hpp>
#include <bulkhead/zoned/sqlite.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bh::zoned {

// A disk served to the zone, and which file it was: a backend started
// again after zoned restarted re-opens the path and must find the same
// file there (device and inode), or serves no disks rather than another.
struct DiskRecord {
    std::string path;
    bool read_only = false;
    std::uint64_t dev = 0, ino = 0;
    bool root = false; // the zone's root filesystem (the first disk)
};

struct ZoneRecord {
    std::string name;
    // Unset between the record and the hypervisor's answer: a launch that
    // zoned did not see through (reattach.cpp finishes it off).
    std::optional<ZoneHandle> handle;
    control::ZoneState state = control::ZoneState::creating;
    std::uint32_t vcpus = 0;
    std::uint64_t memory = 0;
    std::string kernel, initrd, cmdline;
    std::vector<std::string> command, env;
    std::int64_t created_at = 0, started_at = 0, ended_at = 0;
    std::optional<control::ExitInfo> exit;
    // The zone's backend has read the zone's console to its end (or zoned
    // gave up restarting it): nothing more will reach the log.
    bool console_drained = false;
    std::uint32_t backend_slot = 0; // the backend's uid is the base plus this
    std::uint32_t backend_restarts = 0;
    std::vector<DiskRecord> disks; // slot 1 on, in order
};

class ZoneStore {
  public:
    explicit ZoneStore(const std::filesystem::path& path);

    std::vector<ZoneRecord> all();
    std::optional<ZoneRecord> find(const std::string& name);
    // Throws SqliteError if the name exists.
    void insert(const ZoneRecord& zone);
    // Replaces the record of zone.name; throws if there is none.
    void update(const ZoneRecord& zone);
    void remove(const std::string& name);
    // The lowest backend slot no zone holds.
    std::uint32_t free_backend_slot();
    // The boot of the node the records' handles belong to (the control
    // domain's boot id when zoned last started), if recorded.
    std::optional<std::string> boot_id();
    void set_boot_id(const std::string& id);

  private:
    Database db_;
};

std::int64_t now_seconds();

} // namespace bh::zoned
