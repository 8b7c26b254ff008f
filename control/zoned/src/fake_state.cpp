// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/fake_state.hpp>

#include <bulkhead/control/protocol.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bh::zoned::fake {

namespace fs = std::filesystem;
using control::errno_error;
using control::Fd;
using control::json;

namespace {

constexpr unsigned kSlots = 64; // the hypervisor's zone table

json to_json(const FakeZone& z) {
    return json{{"handle", z.handle},
                {"name", z.name},
                {"memory", z.memory},
                {"vcpus", z.vcpus},
                {"state", static_cast<int>(z.status.state)},
                {"reason", static_cast<std::uint32_t>(z.status.reason)},
                {"code", z.status.code},
                {"runner_pid", z.runner_pid},
                {"kernel", z.kernel},
                {"initrd", z.initrd},
                {"cmdline", z.cmdline},
                {"argv", z.argv},
                {"env", z.env}};
}

FakeZone from_json(const json& j) {
    FakeZone z;
    z.handle = j.at("handle").get<ZoneHandle>();
    z.name = j.at("name").get<std::string>();
    z.memory = j.at("memory").get<std::uint64_t>();
    z.vcpus = j.at("vcpus").get<std::uint32_t>();
    z.status.state = static_cast<HvState>(j.at("state").get<int>());
    z.status.reason = static_cast<control::ExitReason>(j.at("reason").get<std::uint32_t>());
    z.status.code = j.at("code").get<std::uint64_t>();
    z.runner_pid = j.at("runner_pid").get<int>();
    z.kernel = j.at("kernel").get<std::string>();
    z.initrd = j.at("initrd").get<std::string>();
    z.cmdline = j.at("cmdline").get<std::string>();
    z.argv = j.at("argv").get<std::vector<std::string>>();
    z.env = j.at("env").get<std::vector<std::string>>();
    return z;
}

json read_json(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw errno_error("open " + path.string());
    return json::parse(in);
}

void write_json_atomically(const fs::path& path, const json& j) {
    fs::path tmp = path;
    tmp += ".tmp";
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) throw errno_error("open " + tmp.string());
    control::write_all(fd.get(), j.dump() + "\n");
    if (::fsync(fd.get()) < 0) throw errno_error("fsync " + tmp.string());
    fd.reset();
    if (::rename(tmp.c_str(), path.c_str()) < 0) throw errno_error("rename " + tmp.string());
}

} // namespace

FakeState::FakeState(fs::path dir, FakeHost host) : dir_(std::move(dir)) {
    fs::create_directories(dir_ / "zones");
    ::chmod(dir_.c_str(), 0700); // other zones' consoles live here: backends must not reach them
    if (::mkfifo(events_path().c_str(), 0600) < 0 && errno != EEXIST)
        throw errno_error("mkfifo " + events_path().string());
    auto guard = lock();
    if (!fs::exists(dir_ / "host.json"))
        write_json_atomically(dir_ / "host.json",
                              json{{"cpus", host.cpus}, {"total_memory", host.total_memory}, {"generation", 0}});
}

FakeState::FakeState(fs::path dir) : dir_(std::move(dir)) {
    if (!fs::exists(dir_ / "host.json")) throw std::runtime_error(dir_.string() + " is not a fake hypervisor's state");
}

FakeState::Lock FakeState::lock() const {
    Fd fd(::open((dir_ / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) throw errno_error("open " + (dir_ / "lock").string());
    while (::flock(fd.get(), LOCK_EX) < 0)
        if (errno != EINTR) throw errno_error("flock " + (dir_ / "lock").string());
    return Lock(std::move(fd));
}

FakeHost FakeState::host() const {
    json j = read_json(dir_ / "host.json");
    return FakeHost{j.at("cpus").get<std::uint32_t>(), j.at("total_memory").get<std::uint64_t>()};
}

std::optional<ZoneHandle> FakeState::allocate_handle() {
    std::vector<bool> used(kSlots, false);
    for (const FakeZone& z : zones()) used[z.handle & 0xffff] = true;
    for (unsigned slot = 0; slot < kSlots; ++slot) {
        if (used[slot]) continue;
        json host = read_json(dir_ / "host.json");
        std::uint64_t generation = host.at("generation").get<std::uint64_t>() + 1;
        host["generation"] = generation;
        write_json_atomically(dir_ / "host.json", host);
        return generation << 16 | slot;
    }
    return std::nullopt;
}

std::vector<FakeZone> FakeState::zones() const {
    std::vector<FakeZone> out;
    for (const auto& entry : fs::directory_iterator(dir_ / "zones")) {
        fs::path file = entry.path() / "zone.json";
        if (fs::exists(file)) out.push_back(from_json(read_json(file)));
    }
    return out;
}

std::optional<FakeZone> FakeState::find(ZoneHandle handle) const {
    fs::path file = zone_dir(handle) / "zone.json";
    if (!fs::exists(file)) return std::nullopt;
    return from_json(read_json(file));
}

void FakeState::save(const FakeZone& zone) {
    fs::create_directories(zone_dir(zone.handle));
    write_json_atomically(zone_dir(zone.handle) / "zone.json", to_json(zone));
}

void FakeState::remove(ZoneHandle handle) { fs::remove_all(zone_dir(handle)); }

fs::path FakeState::zone_dir(ZoneHandle handle) const { return dir_ / "zones" / std::to_string(handle); }

bool FakeState::runner_alive(ZoneHandle handle) const {
    Fd fd(::open(alive_path(handle).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return false; // nobody holds it
    return errno == EWOULDBLOCK;
}

void FakeState::post_event(ZoneHandle handle) const {
    // Non-blocking: ENXIO when no zoned has the FIFO open, EAGAIN if full.
    Fd fd(::open(events_path().c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) return;
    std::string line = std::to_string(handle) + "\n"; // < PIPE_BUF: written whole or not at all
    [[maybe_unused]] ssize_t n = ::write(fd.get(), line.data(), line.size());
}

} // namespace bh::zoned::fake
