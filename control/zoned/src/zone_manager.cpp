// SPDX-License-Identifier: GPL-2.0-only
// The requests other than launch (launch.cpp); the lifecycle behind them
// is in lifecycle.cpp.
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace bh::zoned {

using control::ErrorCode;
using control::RequestError;
using control::ZoneState;

control::ErrorCode error_code_for(HvErrc code) {
    switch (code) {
    case HvErrc::invalid_argument: return ErrorCode::invalid_argument;
    case HvErrc::no_memory: return ErrorCode::no_memory;
    case HvErrc::not_found: return ErrorCode::not_found;
    case HvErrc::bad_state: return ErrorCode::bad_state;
    case HvErrc::busy:
    case HvErrc::not_supported:
    case HvErrc::unavailable: return ErrorCode::unavailable;
    case HvErrc::io: return ErrorCode::internal;
    }
    return ErrorCode::internal;
}

ZoneManager::ZoneManager(ManagerOptions options, Hypervisor& hypervisor)
    : options_(std::move(options)), hv_(hypervisor),
      store_((std::filesystem::create_directories(options_.state_dir), options_.state_dir / "zones.db")),
      backends_(options_.backend_executable, options_.log), next_poll_(Clock::now() + options_.poll_interval) {
    ::chmod(options_.state_dir.c_str(), 0700); // the database and every zone's log: zoned's alone
    std::filesystem::create_directories(options_.state_dir / "logs");
    std::filesystem::create_directories(options_.state_dir / "consoles");
}

ZoneRecord ZoneManager::find_or_throw(const std::string& name) {
    auto rec = store_.find(name);
    if (!rec) throw RequestError(ErrorCode::not_found, "zone '" + name + "' does not exist: see zonectl list");
    return *rec;
}

std::optional<Credentials> ZoneManager::credentials_for(const ZoneRecord& rec) const {
    if (!options_.backend_uid_base) return std::nullopt;
    auto id = static_cast<uid_t>(*options_.backend_uid_base + rec.backend_slot);
    return Credentials{id, static_cast<gid_t>(id)};
}

std::filesystem::path ZoneManager::log_dir(const std::string& name) const { return options_.state_dir / "logs" / name; }

control::Fd ZoneManager::prepare_log_dir(const ZoneRecord& rec) {
    std::filesystem::path dir = log_dir(rec.name);
    std::filesystem::create_directories(dir);
    if (::chmod(dir.c_str(), 0700) < 0) throw control::errno_error("chmod " + dir.string());
    if (auto creds = credentials_for(rec)) {
        // The backend writes here as the zone's user, and nowhere else.
        if (::chown(dir.c_str(), creds->uid, creds->gid) < 0) throw control::errno_error("chown " + dir.string());
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (::lchown(entry.path().c_str(), creds->uid, creds->gid) < 0)
                throw control::errno_error("chown " + entry.path().string());
    }
    control::Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw control::errno_error("open " + dir.string());
    return fd;
}

control::ZoneInfo ZoneManager::to_info(const ZoneRecord& r) {
    control::ZoneInfo z;
    z.name = r.name;
    z.handle = r.handle.value_or(0);
    z.state = r.state;
    z.vcpus = r.vcpus;
    z.memory = r.memory;
    z.kernel = r.kernel;
    z.initrd = r.initrd;
    z.cmdline = r.cmdline;
    z.command = r.command;
    z.env = r.env;
    z.created_at = r.created_at;
    z.started_at = r.started_at;
    z.ended_at = r.ended_at;
    z.exit = r.exit;
    for (const DiskRecord& d : r.disks) z.disks.push_back(control::DiskSpec{d.path, d.read_only, d.root});
    auto creds = credentials_for(r);
    z.backend.uid = creds ? creds->uid : ::getuid();
    z.backend.restarts = r.backend_restarts;
    const Runtime* rt = runtime_.count(r.name) ? &runtime_.at(r.name) : nullptr;
    if (auto pid = backends_.pid(r.name)) {
        z.backend.pid = *pid;
        z.backend.state = "running";
    } else if (rt && rt->restart_at) {
        z.backend.state = "restarting";
    } else if (rt && rt->backend_failed) {
        z.backend.state = "failed";
    } else {
        z.backend.state = r.console_drained ? "done" : "none";
    }
    return z;
}

std::vector<control::ZoneInfo> ZoneManager::list() {
    std::vector<control::ZoneInfo> out;
    for (ZoneRecord& rec : store_.all()) {
        refresh(rec);
        out.push_back(to_info(rec));
    }
    return out;
}

control::ZoneInfo ZoneManager::info(const std::string& name) {
    ZoneRecord rec = find_or_throw(name);
    refresh(rec);
    return to_info(rec);
}

control::ZoneInfo ZoneManager::pause(const std::string& name) {
    ZoneRecord rec = find_or_throw(name);
    refresh(rec);
    if (rec.state != ZoneState::running)
        throw RequestError(ErrorCode::bad_state, "zone '" + name + "' is " +
                                                     std::string(control::to_string(rec.state)) +
                                                     ", not running: only a running zone can be paused");
    try {
        hv_.pause(*rec.handle);
    } catch (const HypervisorError& e) {
        throw RequestError(error_code_for(e.code()), "zone '" + name + "' was not paused: " + e.what());
    }
    refresh(rec);
    log_line("zone '" + name + "' paused");
    return to_info(rec);
}

control::ZoneInfo ZoneManager::resume(const std::string& name) {
    ZoneRecord rec = find_or_throw(name);
    refresh(rec);
    if (rec.state != ZoneState::paused)
        throw RequestError(ErrorCode::bad_state, "zone '" + name + "' is " +
                                                     std::string(control::to_string(rec.state)) +
                                                     ", not paused: there is nothing to resume");
    try {
        hv_.resume(*rec.handle);
    } catch (const HypervisorError& e) {
        throw RequestError(error_code_for(e.code()), "zone '" + name + "' was not resumed: " + e.what());
    }
    refresh(rec);
    log_line("zone '" + name + "' resumed");
    return to_info(rec);
}

control::ZoneInfo ZoneManager::stop(const std::string& name) {
    ZoneRecord rec = find_or_throw(name);
    refresh(rec);
    if (control::has_ended(rec.state))
        throw RequestError(
            ErrorCode::bad_state,
            "zone '" + name + "' has already " +
                (rec.state == ZoneState::exited ? std::string("exited") : std::string(control::to_string(rec.state))) +
                " (status " + std::to_string(rec.exit ? rec.exit->status : 0) + "): nothing to stop; zonectl destroy " +
                name + " removes it");
    try {
        hv_.stop(*rec.handle);
    } catch (const HypervisorError& e) {
        throw RequestError(error_code_for(e.code()), "zone '" + name + "' was not stopped: " + e.what());
    }
    refresh(rec);
    return to_info(rec);
}

void ZoneManager::destroy(const std::string& name, bool force) {
    ZoneRecord rec = find_or_throw(name);
    refresh(rec);
    if (!control::has_ended(rec.state)) {
        if (!force)
            throw RequestError(ErrorCode::bad_state, "zone '" + name + "' is " +
                                                         std::string(control::to_string(rec.state)) +
                                                         ": stop it first (zonectl stop " + name +
                                                         "), or use zonectl destroy --force " + name);
        stop(name);
        rec = find_or_throw(name);
    }
    backends_.stop(name);
    bool lost = rec.exit && rec.exit->reason == control::ExitReason::lost;
    for (int attempt = 0; rec.handle && !lost; ++attempt) {
        try {
            hv_.destroy(*rec.handle);
            break;
        } catch (const HypervisorError& e) {
            if (e.code() == HvErrc::not_found) break; // gone already: nothing to free
            if (e.code() != HvErrc::busy || attempt >= 100)
                throw RequestError(error_code_for(e.code()), "zone '" + name + "' was not destroyed: " + e.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(10)); // vCPUs still leaving their CPUs
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(log_dir(name), ignored);
    std::filesystem::remove(input_socket(name), ignored);
    store_.remove(name);
    runtime_.erase(name);
    log_line("zone '" + name + "' destroyed");
}

control::HostInfo ZoneManager::host_info() {
    HvHostInfo hv = hv_.host_info();
    control::HostInfo h{hv.cpus, hv.free_memory, hv.total_memory, 0, 0};
    for (const ZoneRecord& rec : store_.all()) {
        ++h.zones;
        if (rec.state == ZoneState::running || rec.state == ZoneState::paused) ++h.zones_running;
    }
    return h;
}

void ZoneManager::send_input(const std::string& name, std::string_view bytes) {
    if (!backends_.send_input(name, bytes))
        throw RequestError(ErrorCode::unavailable,
                           "zone '" + name + "' has no console backend right now: see zonectl info " + name);
}

bool ZoneManager::exists(const std::string& name) { return store_.find(name).has_value(); }

bool ZoneManager::output_complete(const std::string& name) {
    auto rec = store_.find(name);
    return !rec || (control::has_ended(rec->state) && rec->console_drained);
}

} // namespace bh::zoned
