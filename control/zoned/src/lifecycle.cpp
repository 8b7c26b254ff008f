// SPDX-License-Identifier: GPL-2.0-only
// Keeping records true to the hypervisor: statuses (from events and
// polling), backends that end or die (drained, or restarted under the
// policy), and re-attaching after zoned itself restarted.
#include <bulkhead/control/unix_socket.hpp>
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>

namespace bh::zoned {

using control::ExitReason;
using control::ZoneState;

namespace {

std::string describe_wait(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

} // namespace

void ZoneManager::apply_status(ZoneRecord& rec, const HvStatus& st) {
    switch (st.state) {
    case HvState::running:
        if (rec.state == ZoneState::paused) rec.state = ZoneState::running;
        break;
    case HvState::paused:
        if (rec.state == ZoneState::running) rec.state = ZoneState::paused;
        break;
    case HvState::exited:
    case HvState::crashed:
    case HvState::stopped: {
        if (control::has_ended(rec.state)) break;
        rec.state = st.state == HvState::exited    ? ZoneState::exited
                    : st.state == HvState::crashed ? ZoneState::crashed
                                                   : ZoneState::stopped;
        int status = control::exit_status_for(st.reason, st.code);
        rec.exit = control::ExitInfo{st.reason, st.code, status};
        rec.ended_at = now_seconds();
        log_line("zone '" + rec.name + "' " + std::string(control::to_string(rec.state)) + ": status " +
                 std::to_string(status) + " (" + std::string(control::to_string(st.reason)) + ", code " +
                 std::to_string(st.code) + ")");
        break;
    }
    case HvState::created:
    case HvState::creating: break;
    }
}

bool ZoneManager::refresh(ZoneRecord& rec) {
    if (!rec.handle || rec.state == ZoneState::creating) return false;
    if (control::has_ended(rec.state)) return false; // an end is final
    ZoneRecord before = rec;
    try {
        apply_status(rec, hv_.status(*rec.handle));
    } catch (const HypervisorError& e) {
        if (e.code() != HvErrc::not_found) {
            log_line("zone '" + rec.name + "': status: " + e.what());
            return false;
        }
        // The hypervisor no longer knows the zone (its machine restarted):
        // it ended, how is unknown, and it has no console left to read.
        rec.state = ZoneState::crashed;
        rec.exit = control::ExitInfo{ExitReason::lost, 0, control::exit_status_for(ExitReason::lost, 0)};
        rec.ended_at = now_seconds();
        rec.console_drained = true;
        log_line("zone '" + rec.name + "' is lost: the hypervisor no longer knows handle " +
                 std::to_string(*rec.handle));
    }
    bool changed = rec.state != before.state || rec.console_drained != before.console_drained;
    if (changed) store_.update(rec);
    return changed;
}

std::filesystem::path ZoneManager::input_socket(const std::string& name) const {
    return options_.state_dir / "consoles" / name;
}

std::vector<DiskChannel> ZoneManager::disk_channels(const ZoneRecord& rec) {
    std::vector<DiskChannel> out;
    std::vector<control::Fd>& held = runtime_[rec.name].disks;
    for (std::size_t i = 0; i < rec.disks.size(); ++i) {
        const DiskRecord& d = rec.disks[i];
        control::Fd fd;
        if (i < held.size()) {
            fd = control::Fd(::fcntl(held[i].get(), F_DUPFD_CLOEXEC, 0));
            if (!fd) throw control::errno_error("duplicating disk " + d.path);
        } else {
            // Launched by an earlier zoned: the path again, as root, so
            // only if it is still the file the user opened, as they did.
            fd = control::Fd(
                ::open(d.path.c_str(), (d.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
            if (!fd) throw control::errno_error("re-opening disk " + d.path);
            struct stat st {};
            if (::fstat(fd.get(), &st) != 0 || static_cast<std::uint64_t>(st.st_dev) != d.dev ||
                static_cast<std::uint64_t>(st.st_ino) != d.ino)
                throw std::runtime_error("disk " + d.path + " is no longer the file the zone was launched with");
            held.push_back(control::Fd(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0)));
        }
        out.push_back(DiskChannel{std::move(fd), d.read_only});
    }
    return out;
}

void ZoneManager::start_backend(ZoneRecord& rec) {
    ZoneChannels channels = hv_.open_channels(*rec.handle);
    channels.disks = disk_channels(rec);
    control::Fd dir = prepare_log_dir(rec);
    control::Fd listener;
    try {
        listener = control::listen_unix(input_socket(rec.name).string(), 0600);
    } catch (const std::system_error& e) { // it serves on, but a later zoned cannot re-attach to it
        log_line("zone '" + rec.name + "': no console-input socket for its backend: " + e.what());
    }
    backends_.start(rec.name, std::move(channels), std::move(dir), credentials_for(rec), std::move(listener));
    runtime_[rec.name].backend_failed = false;
}

bool ZoneManager::adopt_backend(const ZoneRecord& rec) {
    control::Fd connection;
    try {
        connection = control::connect_unix(input_socket(rec.name).string());
    } catch (const std::system_error&) {
        return false; // none listens there: no backend of an earlier zoned serves the zone
    }
    if (!backends_.adopt(rec.name, std::move(connection))) return false;
    log_line("zone '" + rec.name + "': re-attached to its backend (pid " +
             std::to_string(backends_.pid(rec.name).value_or(0)) + "), which served it while zoned was away");
    return true;
}

void ZoneManager::start_backend_or_schedule(ZoneRecord& rec) {
    try {
        start_backend(rec);
    } catch (const std::exception& e) {
        log_line("zone '" + rec.name + "': cannot start its backend: " + e.what());
        schedule_restart(rec, "it could not start");
    }
}

void ZoneManager::schedule_restart(ZoneRecord& rec, const char* why) {
    Runtime& rt = runtime_[rec.name];
    auto now = Clock::now();
    if (auto delay = rt.restarts.next_delay(options_.restart, now)) {
        rt.restart_at = now + *delay;
        log_line("zone '" + rec.name + "': restarting its backend in " + std::to_string(delay->count()) + " ms (" +
                 why + ")");
        return;
    }
    rt.restart_at.reset();
    rt.backend_failed = true;
    log_line("zone '" + rec.name + "': its backend failed " + std::to_string(options_.restart.max_restarts) +
             " times within " + std::to_string(options_.restart.window.count() / 1000) + " s: not restarting it");
    if (control::has_ended(rec.state) && !rec.console_drained) {
        rec.console_drained = true; // nothing more will come: let waiters finish
        store_.update(rec);
    }
}

void ZoneManager::on_backend_exit(const BackendExit& exit) {
    auto found = store_.find(exit.zone);
    if (!found) return; // destroyed meanwhile
    ZoneRecord rec = *found;
    refresh(rec); // the zone's end is recorded before its console's EOF counts
    bool clean = WIFEXITED(exit.wait_status) && WEXITSTATUS(exit.wait_status) == static_cast<int>(BackendEnd::drained);
    if (clean && control::has_ended(rec.state)) {
        rec.console_drained = true;
        store_.update(rec);
        return;
    }
    log_line("zone '" + rec.name + "': its backend ended (" + describe_wait(exit.wait_status) + ")");
    schedule_restart(rec, clean ? "the console closed while the zone runs" : "it died");
}

std::vector<int> ZoneManager::poll_fds() const {
    std::vector<int> fds = backends_.poll_fds();
    if (hv_.event_fd() >= 0) fds.push_back(hv_.event_fd());
    return fds;
}

void ZoneManager::on_readable(int fd) {
    if (fd == hv_.event_fd()) {
        std::set<ZoneHandle> changed;
        for (ZoneHandle h : hv_.read_events()) changed.insert(h);
        for (ZoneRecord& rec : store_.all())
            if (rec.handle && changed.count(*rec.handle)) refresh(rec);
        return;
    }
    for (const BackendExit& exit : backends_.collect_exits()) on_backend_exit(exit);
}

void ZoneManager::tick(Clock::time_point now) {
    for (auto it = runtime_.begin(); it != runtime_.end(); ++it) {
        Runtime& rt = it->second;
        if (!rt.restart_at || *rt.restart_at > now) continue;
        rt.restart_at.reset();
        auto rec = store_.find(it->first);
        if (!rec || rec->console_drained) continue;
        ++rec->backend_restarts;
        store_.update(*rec);
        start_backend_or_schedule(*rec);
    }
    if (now >= next_poll_) {
        next_poll_ = now + options_.poll_interval;
        for (ZoneRecord& rec : store_.all()) refresh(rec); // events are hints; this catches what they miss
    }
}

Clock::time_point ZoneManager::next_deadline() const {
    Clock::time_point t = next_poll_;
    for (const auto& [name, rt] : runtime_)
        if (rt.restart_at && *rt.restart_at < t) t = *rt.restart_at;
    return t;
}

// The node restarted since these records were made (zoned keeps them on
// the node's data disk): the hypervisor that ran their zones is gone, and
// its handles may be given to new zones. A zone that had ended keeps its
// status and logs; one that was still creating, running or paused is
// crashed with reason node-restarted. No record keeps its handle, so
// nothing done to it (destroy) reaches a zone of this boot.
void ZoneManager::forget_previous_boot() {
    int ran = 0, records = 0;
    for (ZoneRecord& rec : store_.all()) {
        ++records;
        if (!control::has_ended(rec.state)) {
            ++ran;
            log_line("zone '" + rec.name + "' was " + std::string(control::to_string(rec.state)) +
                     " when the node went down: crashed (node-restarted)");
            rec.state = ZoneState::crashed;
            rec.exit = control::ExitInfo{ExitReason::node_restarted, 0,
                                         control::exit_status_for(ExitReason::node_restarted, 0)};
            rec.ended_at = now_seconds();
        }
        rec.handle.reset();
        rec.console_drained = true; // what it said is in its log; nothing more will come
        store_.update(rec);
    }
    log_line("the node restarted since the records were written: " + std::to_string(records) +
             " zone(s) from before, " + std::to_string(ran) + " of them still running then");
}

void ZoneManager::reattach() {
    if (!options_.boot_id.empty()) {
        auto recorded = store_.boot_id();
        if (recorded && *recorded != options_.boot_id) forget_previous_boot();
        if (recorded != options_.boot_id) store_.set_boot_id(options_.boot_id);
    }
    std::set<ZoneHandle> known;
    for (ZoneRecord& rec : store_.all()) {
        if (rec.state == ZoneState::creating) {
            log_line("zone '" + rec.name + "': its launch was interrupted (zoned stopped): undoing it");
            undo_launch(rec, true);
            continue;
        }
        if (rec.handle) known.insert(*rec.handle);
        refresh(rec);
        // A backend outlives zoned: its console state, input and output go on through it.
        if (!rec.console_drained && !adopt_backend(rec)) start_backend_or_schedule(rec);
    }
    try {
        for (const HvZone& z : hv_.zones())
            if (!known.count(z.handle))
                log_line("zone '" + z.name + "' (handle " + std::to_string(z.handle) +
                         ") has no record in zoned: left alone");
    } catch (const HypervisorError& e) {
        log_line(std::string("listing the hypervisor's zones: ") + e.what());
    }
    int zones = static_cast<int>(store_.all().size());
    log_line("re-attached to " + std::to_string(zones) + " zone(s)");
}

} // namespace bh::zoned
