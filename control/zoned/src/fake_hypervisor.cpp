// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/fake_hypervisor.hpp>
#include <bulkhead/zoned/launch_checks.hpp>

#include <bulkhead/control/size.hpp>
#include <bulkhead/control/unix_socket.hpp>

#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bh::zoned {

namespace fs = std::filesystem;
using control::errno_error;
using control::Fd;
using control::human_size;
using fake::FakeZone;

namespace {

std::string zone_label(const FakeZone& z) { return "zone '" + z.name + "'"; }

bool is_active(HvState s) { return s == HvState::running || s == HvState::paused; }

std::uint64_t file_size(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

} // namespace

std::string arm64_image_problem(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) return std::string("cannot examine it: ") + std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "it is not a regular file";
    char magic[4];
    ssize_t n = ::pread(fd, magic, sizeof magic, 56);
    if (n < 0) return std::string("cannot read it: ") + std::strerror(errno);
    if (n != 4 || std::memcmp(magic, "ARM\x64", 4) != 0)
        return "it is not an arm64 Linux Image (no ARM\\x64 magic at offset 56)";
    return {};
}

FakeHypervisor::FakeHypervisor(FakeOptions options)
    : options_(std::move(options)), state_(options_.state_dir, fake::FakeHost{options_.cpus, options_.total_memory}) {
    // Read and write: the FIFO never reports EOF when zones' processes come
    // and go, and writers succeed whenever zoned runs.
    events_ = Fd(::open(state_.events_path().c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!events_) throw errno_error("open " + state_.events_path().string());
}

HvHostInfo FakeHypervisor::host_info() {
    auto guard = state_.lock();
    fake::FakeHost host = state_.host();
    HvHostInfo info{host.cpus, host.total_memory, host.total_memory, 0};
    for (const FakeZone& z : state_.zones()) {
        info.free_memory -= std::min(info.free_memory, z.memory);
        ++info.zones;
    }
    return info;
}

ZoneHandle FakeHypervisor::create_zone(const ZoneConfig& c) {
    if (auto problem = control::zone_name_problem(c.name)) throw HypervisorError(HvErrc::invalid_argument, *problem);
    if (c.memory == 0 || c.memory % 4096 != 0 || c.memory > kMaxZoneMemory)
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + c.name +
                                                            "': memory must be a non-zero multiple of "
                                                            "4 KiB up to 64 GiB");
    if (c.vcpus < 1 || c.vcpus > control::kZoneVcpusMax)
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + c.name + "': 1 to 8 vCPUs");
    auto guard = state_.lock();
    std::uint64_t used = 0;
    for (const FakeZone& z : state_.zones()) {
        if (z.name == c.name) throw HypervisorError(HvErrc::bad_state, "zone '" + c.name + "': the name is taken");
        used += z.memory;
    }
    std::uint64_t total = state_.host().total_memory;
    if (c.memory > total - std::min(total, used))
        throw HypervisorError(HvErrc::no_memory, "zone '" + c.name + "': not enough free memory");
    auto handle = state_.allocate_handle();
    if (!handle) throw HypervisorError(HvErrc::no_memory, "zone '" + c.name + "': all 64 zone slots are taken");
    FakeZone z;
    z.handle = *handle;
    z.name = c.name;
    z.memory = c.memory;
    z.vcpus = c.vcpus;
    state_.save(z);
    return *handle;
}

FakeZone FakeHypervisor::find_or_throw(ZoneHandle zone) const {
    auto z = state_.find(zone);
    if (!z) throw HypervisorError(HvErrc::not_found, "no zone has handle " + std::to_string(zone));
    return *z;
}

void FakeHypervisor::load_linux(ZoneHandle zone, const LinuxBoot& boot) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state != HvState::created)
        throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is not in state CREATED");
    if (std::string problem = arm64_image_problem(boot.kernel.fd); !problem.empty())
        throw HypervisorError(HvErrc::invalid_argument,
                              zone_label(z) + ": kernel " + boot.kernel.path + ": " + problem);
    std::uint64_t need = file_size(boot.kernel.fd) + (boot.initrd ? file_size(boot.initrd->fd) : 0) + kBootOverhead;
    if (need > z.memory)
        throw HypervisorError(HvErrc::invalid_argument, zone_label(z) + ": the kernel and initrd need " +
                                                            human_size(need) + ", more than its " +
                                                            human_size(z.memory));
    z.kernel = boot.kernel.path;
    z.initrd = boot.initrd ? boot.initrd->path : "";
    z.cmdline = zone_bootargs(boot.cmdline, "", boot.root);
    z.argv = boot.argv;
    z.env = boot.env;
    state_.save(z);
}

void FakeHypervisor::serve_disks(ZoneHandle zone, std::uint32_t count) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state != HvState::created)
        throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is not in state CREATED");
    if (count > 8) throw HypervisorError(HvErrc::invalid_argument, zone_label(z) + ": at most 8 disks are served");
    disks_served_ += count;
}

void FakeHypervisor::start(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state != HvState::created)
        throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is not in state CREATED");
    if (z.argv.empty()) throw HypervisorError(HvErrc::bad_state, zone_label(z) + " has nothing loaded");
    z.status.state = HvState::running;
    state_.save(z); // before the process runs: it reads its zone, and may end at once
    try {
        z.runner_pid = spawn_runner(zone);
    } catch (...) {
        z.status = HvStatus{HvState::created, control::ExitReason::none, 0};
        state_.save(z);
        throw;
    }
    state_.save(z);
}

void FakeHypervisor::signal_runner(const FakeZone& z, int sig) const {
    // Only a live process holds the alive lock, so a recycled pid is never hit.
    if (z.runner_pid > 0 && state_.runner_alive(z.handle)) ::kill(z.runner_pid, sig);
}

void FakeHypervisor::pause(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state != HvState::running) throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is not running");
    signal_runner(z, SIGSTOP);
    z.status.state = HvState::paused;
    state_.save(z);
}

void FakeHypervisor::resume(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state != HvState::paused) throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is not paused");
    signal_runner(z, SIGCONT);
    z.status.state = HvState::running;
    state_.save(z);
}

void FakeHypervisor::stop(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (z.status.state == HvState::exited || z.status.state == HvState::crashed || z.status.state == HvState::stopped)
        return; // ZONE_STOP is a no-op on an ended zone
    signal_runner(z, SIGKILL);
    z.status = HvStatus{HvState::stopped, control::ExitReason::stopped, 0};
    state_.save(z);
}

void FakeHypervisor::destroy(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (is_active(z.status.state))
        throw HypervisorError(HvErrc::bad_state, zone_label(z) + " is running: stop it first");
    signal_runner(z, SIGKILL); // an ended zone's process may still hold console output
    state_.remove(zone);
}

HvStatus FakeHypervisor::status(ZoneHandle zone) {
    auto guard = state_.lock();
    FakeZone z = find_or_throw(zone);
    if (is_active(z.status.state) && !state_.runner_alive(zone)) {
        // The zone's process died without recording an end: as if the
        // hypervisor had found the zone in a state it cannot handle.
        z.status = HvStatus{HvState::crashed, control::ExitReason::bad_state, 0};
        state_.save(z);
    }
    return z.status;
}

std::vector<HvZone> FakeHypervisor::zones() {
    auto guard = state_.lock();
    std::vector<HvZone> out;
    for (const FakeZone& z : state_.zones()) out.push_back(HvZone{z.handle, z.name});
    return out;
}

std::vector<ZoneHandle> FakeHypervisor::read_events() {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(events_.get(), buf, sizeof buf)) > 0) partial_event_.append(buf, static_cast<std::size_t>(n));
    std::vector<ZoneHandle> out;
    std::size_t newline;
    while ((newline = partial_event_.find('\n')) != std::string::npos) {
        std::string line = partial_event_.substr(0, newline);
        partial_event_.erase(0, newline + 1);
        try {
            out.push_back(std::stoull(line));
        } catch (const std::exception&) {
            // Not from one of our zones' processes: ignore it.
        }
    }
    return out;
}

ZoneChannels FakeHypervisor::open_channels(ZoneHandle zone) {
    // Ended and its console delivered: a console at EOF.
    auto drained_console = [] {
        auto [mine, theirs] = control::make_socketpair(SOCK_STREAM);
        return ZoneChannels{std::move(theirs)};
    };
    FakeZone z;
    {
        auto guard = state_.lock();
        z = find_or_throw(zone);
        if (z.status.state == HvState::created || z.status.state == HvState::creating)
            throw HypervisorError(HvErrc::bad_state, zone_label(z) + " has not started");
        if (!state_.runner_alive(zone)) return drained_console();
    }
    try {
        return ZoneChannels{control::connect_unix(state_.console_path(zone).string())};
    } catch (const std::system_error& e) {
        // A zone that ended with nothing left to say leaves at once, maybe
        // between the check above and the connect.
        if (!state_.runner_alive(zone)) return drained_console();
        throw HypervisorError(HvErrc::io, zone_label(z) + ": its console: " + e.what());
    }
}

} // namespace bh::zoned
