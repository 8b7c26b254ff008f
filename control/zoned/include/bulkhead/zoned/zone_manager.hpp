// SPDX-License-Identifier: GPL-2.0-only
// The zone lifecycle as zoned runs it: creating -> running <-> paused ->
// exited | crashed | stopped -> (destroyed: the record goes). Each request
// checks everything first and changes nothing when it refuses (a
// control::RequestError naming the zone and what to do); a launch that
// fails half-way is undone. Records are persisted (zone_store.hpp) before
// and after each hypervisor call, so that a zoned killed at any point
// re-attaches correctly when it starts again (reattach()).
//
// Single-threaded: the server's poll loop calls everything here.
#pragma once

#include <bulkhead/control/protocol.hpp>
#include <bulkhead/zoned/backend_supervisor.hpp>
#include <bulkhead/zoned/hypervisor.hpp>
#include <bulkhead/zoned/zone_store.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bh::zoned {

struct ManagerOptions {
    std::filesystem::path state_dir;          // zones.db and logs/NAME/
    std::filesystem::path backend_executable; // bulkhead-zone-backend
    // Backends run as uid/gid base + the zone's slot; unset: as zoned's own
    // user (the only choice when zoned is not root).
    std::optional<std::uint32_t> backend_uid_base;
    BackendLimits log;
    RestartPolicy restart;
    std::filesystem::path default_kernel, default_initrd; // the shipped zone kernel and initramfs
    std::chrono::milliseconds poll_interval{1000};        // statuses are polled besides the events
    // This boot of the node (the control domain's boot id); records made
    // in another boot name zones and handles of a hypervisor that is gone
    // (forget_previous_boot). Empty: not checked.
    std::string boot_id;
};

class ZoneManager {
  public:
    ZoneManager(ManagerOptions options, Hypervisor& hypervisor);

    // At start-up: finishes off launches a previous zoned did not see
    // through, brings every record up to date with the hypervisor (a zone
    // that ended meanwhile gets its status), re-attaches to the backends
    // that outlived the previous zoned and starts backends for zones that
    // run or still hold console output and have none.
    void reattach();

    // Requests. `files` are the descriptors that came with a launch:
    // kernel, then initrd, for those the request names, then its disks.
    control::ZoneInfo launch(const control::LaunchRequest& request, std::vector<control::Fd> files);
    std::vector<control::ZoneInfo> list();
    control::ZoneInfo info(const std::string& name);
    control::ZoneInfo pause(const std::string& name);
    control::ZoneInfo resume(const std::string& name);
    control::ZoneInfo stop(const std::string& name);
    void destroy(const std::string& name, bool force);
    control::HostInfo host_info();
    void send_input(const std::string& name, std::string_view bytes);

    // For log streams.
    bool exists(const std::string& name);
    std::filesystem::path log_dir(const std::string& name) const;
    // Ended, and its backend has put everything it said in the log.
    bool output_complete(const std::string& name);

    // The poll loop: descriptors to watch, what to do when one is
    // readable, and timed work (status polls, backend restarts).
    std::vector<int> poll_fds() const;
    void on_readable(int fd);
    void tick(Clock::time_point now);
    Clock::time_point next_deadline() const;

  private:
    struct Runtime { // per zone, this zoned's lifetime only
        RestartTracker restarts;
        std::optional<Clock::time_point> restart_at;
        bool backend_failed = false;
        // The zone's disks as zonectl sent them (a zoned started later
        // re-opens them by path, checking they are the same files).
        std::vector<control::Fd> disks;
    };
    std::vector<DiskChannel> disk_channels(const ZoneRecord& record);

    ZoneRecord find_or_throw(const std::string& name);
    control::ZoneInfo to_info(const ZoneRecord& record);
    std::optional<Credentials> credentials_for(const ZoneRecord& record) const;
    control::Fd prepare_log_dir(const ZoneRecord& record);
    // The socket a zone's backend takes console input from once the zoned
    // that started it is gone (backend_loop.hpp, InputPort).
    std::filesystem::path input_socket(const std::string& name) const;
    void start_backend(ZoneRecord& record);
    bool adopt_backend(const ZoneRecord& record);
    void forget_previous_boot();
    void start_backend_or_schedule(ZoneRecord& record);
    void undo_launch(const ZoneRecord& record, bool find_by_name);
    bool refresh(ZoneRecord& record);
    void apply_status(ZoneRecord& record, const HvStatus& status);
    void on_backend_exit(const BackendExit& exit);
    void schedule_restart(ZoneRecord& record, const char* why);

    ManagerOptions options_;
    Hypervisor& hv_;
    ZoneStore store_;
    BackendSupervisor backends_;
    std::map<std::string, Runtime> runtime_;
    Clock::time_point next_poll_;
};

// The HypervisorError's code as the protocol's.
control::ErrorCode error_code_for(HvErrc code);

} // namespace bh::zoned
