// SPDX-License-Identifier: GPL-2.0-only
// `launch`: check everything, record the zone, then create, load and start
// it and give it a backend; undo all of it if any step fails.
#include <bulkhead/zoned/launch_checks.hpp>
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include <bulkhead/control/size.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <thread>

namespace bh::zoned {

using control::ErrorCode;
using control::Fd;
using control::human_size;
using control::RequestError;

namespace {

struct BootFiles {
    Fd kernel, initrd;
    std::string kernel_path, initrd_path;
};

Fd open_shipped(const std::filesystem::path& path, const std::string& zone, const char* what, const char* option) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw RequestError(ErrorCode::invalid_argument, "zone '" + zone + "': the shipped zone " + what + " " +
                                                            path.string() + " cannot be read (" + std::strerror(errno) +
                                                            "): give " + option + " FILE");
    return fd;
}

// The request's files (sent by zonectl) or zoned's shipped ones, checked.
BootFiles boot_files(const control::LaunchRequest& r, std::vector<Fd>& files, const ManagerOptions& options,
                     ZoneArch arch) {
    std::size_t expected = (r.kernel ? 1 : 0) + (r.initrd ? 1 : 0) + r.disks.size();
    if (files.size() != expected)
        throw RequestError(ErrorCode::bad_request,
                           "zone '" + r.name + "': the request names " + std::to_string(expected) + " file(s) but " +
                               std::to_string(files.size()) + " open file(s) came with it: send each as a descriptor");
    BootFiles b;
    std::size_t next = 0;
    if (r.kernel) {
        b.kernel = std::move(files[next++]);
        b.kernel_path = *r.kernel;
    } else {
        b.kernel = open_shipped(options.default_kernel, r.name, "kernel", "--kernel");
        b.kernel_path = options.default_kernel.string();
    }
    if (std::string problem = kernel_file_problem(arch, b.kernel.get()); !problem.empty())
        throw RequestError(ErrorCode::invalid_argument, "zone '" + r.name + "': kernel " + b.kernel_path + ": " +
                                                            problem + ": give --kernel " +
                                                            zone_arch_info(arch).kernel_kind);
    if (r.initrd) {
        b.initrd = std::move(files[next++]);
        b.initrd_path = *r.initrd;
    } else if (!options.default_initrd.empty()) {
        b.initrd = open_shipped(options.default_initrd, r.name, "initramfs", "--initrd");
        b.initrd_path = options.default_initrd.string();
    }
    if (b.initrd) {
        if (std::string problem = initrd_file_problem(b.initrd.get()); !problem.empty())
            throw RequestError(ErrorCode::invalid_argument, "zone '" + r.name + "': initrd " + b.initrd_path + ": " +
                                                                problem + ": give --initrd a readable file");
    }
    std::uint64_t need = file_size_of(b.kernel.get()) + (b.initrd ? file_size_of(b.initrd.get()) : 0) + kBootOverhead;
    if (need > r.memory)
        throw RequestError(ErrorCode::invalid_argument,
                           "zone '" + r.name + "': its kernel and initrd need " + human_size(need) +
                               ", more than its " + human_size(r.memory) + " of memory: give a larger --memory");
    return b;
}

bool zone_is_live(control::ZoneState s) {
    return s == control::ZoneState::creating || s == control::ZoneState::running || s == control::ZoneState::paused;
}

// The request's disks (the files after the kernel's and initrd's),
// checked: each a disk image opened as its :ro says, none attached twice
// where either attachment writes, here or in a zone that still runs
// (two writers of one filesystem corrupt it).
std::vector<DiskRecord> check_disks(const control::LaunchRequest& r, const std::vector<Fd>& disk_fds,
                                    const std::vector<ZoneRecord>& others) {
    std::vector<DiskRecord> out;
    for (std::size_t i = 0; i < r.disks.size(); ++i) {
        const control::DiskSpec& d = r.disks[i];
        std::string what = "zone '" + r.name + "': " + (d.root ? "--root " : "--disk ") + d.path + ": ";
        DiskIdentity id;
        if (std::string problem = disk_file_problem(disk_fds[i].get(), d.read_only, id); !problem.empty())
            throw RequestError(ErrorCode::invalid_argument, what + problem);
        auto clash = [&](const DiskRecord& e) {
            return e.dev == id.dev && e.ino == id.ino && !(e.read_only && d.read_only);
        };
        for (const DiskRecord& earlier : out)
            if (clash(earlier))
                throw RequestError(ErrorCode::invalid_argument,
                                   what +
                                       "the same disk is given twice, and written through at least one: give it once");
        for (const ZoneRecord& z : others)
            if (zone_is_live(z.state))
                for (const DiskRecord& theirs : z.disks)
                    if (clash(theirs))
                        throw RequestError(ErrorCode::bad_state,
                                           what + "zone '" + z.name + "' has it attached (as " + theirs.path +
                                               (theirs.read_only ? ", read-only" : ", read-write") +
                                               ") and one of you would write it: attach it read-only to both "
                                               "(:ro), or destroy zone '" +
                                               z.name + "' first");
        out.push_back(DiskRecord{d.path, d.read_only, id.dev, id.ino, d.root});
    }
    return out;
}

// Milliseconds per launch step, for the log: "12 ms (create 5, load 7)".
class LaunchSteps {
  public:
    void lap(const char* step) {
        const Clock::time_point now = Clock::now();
        laps_ += std::string(laps_.empty() ? "" : ", ") + step + " " + std::to_string(ms(last_, now));
        last_ = now;
    }
    std::string text() const { return std::to_string(ms(start_, last_)) + " ms (" + laps_ + ")"; }

  private:
    using Clock = std::chrono::steady_clock;
    static long long ms(Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
    }
    Clock::time_point start_ = Clock::now(), last_ = start_;
    std::string laps_;
};

std::string with_zone(const std::string& zone, const std::string& message) {
    return message.find("zone '" + zone + "'") == std::string::npos ? "zone '" + zone + "': " + message : message;
}

} // namespace

control::ZoneInfo ZoneManager::launch(const control::LaunchRequest& r, std::vector<Fd> files) {
    // Checks: nothing has changed if any of them refuses.
    if (auto problem = launch_request_problem(r)) throw RequestError(ErrorCode::invalid_argument, *problem);
    if (auto existing = store_.find(r.name))
        throw RequestError(ErrorCode::exists,
                           "zone '" + r.name + "' already exists (" + std::string(control::to_string(existing->state)) +
                               "): pick another name, or remove it first with zonectl destroy " + r.name);
    BootFiles boot = boot_files(r, files, options_, hv_.zone_arch());
    std::vector<Fd> disk_fds;
    for (std::size_t i = files.size() - r.disks.size(); i < files.size(); ++i) disk_fds.push_back(std::move(files[i]));
    std::vector<DiskRecord> disks = check_disks(r, disk_fds, store_.all());
    HvHostInfo host = hv_.host_info();
    if (r.memory > host.free_memory)
        throw RequestError(ErrorCode::no_memory, "zone '" + r.name + "' needs " + human_size(r.memory) +
                                                     " of memory but only " + human_size(host.free_memory) +
                                                     " is free: ask for less with --memory, or destroy zones you no "
                                                     "longer need (zonectl list)");

    ZoneRecord rec;
    rec.name = r.name;
    rec.vcpus = r.vcpus;
    rec.memory = r.memory;
    rec.kernel = boot.kernel_path;
    rec.initrd = boot.initrd_path;
    rec.cmdline = r.cmdline.value_or("");
    rec.command = r.command;
    rec.env = r.env;
    rec.created_at = now_seconds();
    rec.backend_slot = store_.free_backend_slot();
    rec.disks = disks;
    store_.insert(rec); // state creating, no handle: a crash from here on is undone by reattach()
    // Each step's time goes to zoned's log: where a launch spends it
    // (docs/performance.md breaks launches down from these lines).
    LaunchSteps steps;
    try {
        rec.handle = hv_.create_zone(ZoneConfig{r.name, r.memory, r.vcpus});
        store_.update(rec);
        steps.lap("create");
        LinuxBoot linux_boot;
        linux_boot.kernel = BootFile{boot.kernel.get(), boot.kernel_path};
        if (boot.initrd) linux_boot.initrd = BootFile{boot.initrd.get(), boot.initrd_path};
        linux_boot.cmdline = rec.cmdline;
        linux_boot.argv = r.command;
        linux_boot.env = r.env;
        if (!disks.empty() && disks.front().root) linux_boot.root = RootDisk{disks.front().read_only};
        hv_.load_linux(*rec.handle, linux_boot);
        steps.lap("load");
        if (!disk_fds.empty()) hv_.serve_disks(*rec.handle, static_cast<std::uint32_t>(disk_fds.size()));
        hv_.start(*rec.handle);
        steps.lap("start");
        rec.state = control::ZoneState::running;
        rec.started_at = now_seconds();
        store_.update(rec);
    } catch (const HypervisorError& e) {
        undo_launch(rec, false);
        throw RequestError(error_code_for(e.code()), with_zone(r.name, e.what()));
    } catch (const RequestError&) {
        undo_launch(rec, false);
        throw;
    } catch (const std::exception& e) {
        undo_launch(rec, false);
        throw RequestError(ErrorCode::internal,
                           "zone '" + r.name + "': the launch failed and was undone: " + std::string(e.what()));
    }
    // Its backend (this one and any restarted by this zoned) serves the
    // files zonectl opened, never a path re-opened on the user's behalf.
    runtime_[r.name].disks = std::move(disk_fds);
    // The zone runs: a backend that cannot start now is retried under the
    // restart policy (the zone's console keeps its output meanwhile), not a
    // reason to end the zone.
    start_backend_or_schedule(rec);
    steps.lap("backend");
    log_line("zone '" + r.name + "' launched (handle " + std::to_string(*rec.handle) + ") in " + steps.text());
    return to_info(rec);
}

void ZoneManager::undo_launch(const ZoneRecord& rec, bool find_by_name) {
    backends_.stop(rec.name);
    std::optional<ZoneHandle> handle = rec.handle;
    if (!handle && find_by_name) {
        // zoned died between the hypervisor's answer and recording it: the
        // zone can only be found by name. (Not after a failed create: the
        // name may be another zone's.)
        try {
            for (const HvZone& z : hv_.zones())
                if (z.name == rec.name) handle = z.handle;
        } catch (const HypervisorError&) {}
    }
    if (handle) {
        try {
            hv_.stop(*handle);
        } catch (const HypervisorError&) {}
        for (int attempt = 0; attempt < 50; ++attempt) {
            try {
                hv_.destroy(*handle);
                break;
            } catch (const HypervisorError& e) {
                if (e.code() != HvErrc::busy) break; // vCPUs still leaving their CPUs: try again
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(log_dir(rec.name), ignored);
    store_.remove(rec.name);
    runtime_.erase(rec.name);
    log_line("zone '" + rec.name + "': launch undone");
}

} // namespace bh::zoned
