// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/daemon.hpp>
#include <bulkhead/zoned/log.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <unistd.h>

namespace bh::zoned {

namespace {

control::Fd lock_state_dir(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::filesystem::path path = dir / "zoned.lock";
    control::Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) throw control::errno_error("open " + path.string());
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            throw std::runtime_error("another zoned uses " + dir.string() + ": stop it first, or give --state-dir");
        throw control::errno_error("flock " + path.string());
    }
    return fd; // released by the kernel however zoned ends, SIGKILL included
}

} // namespace

Daemon::Daemon(DaemonOptions options, std::unique_ptr<Hypervisor> hypervisor)
    : lock_(lock_state_dir(options.manager.state_dir)), hv_(std::move(hypervisor)),
      manager_(options.manager, (hv_->host_info(), *hv_)), stop_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!stop_) throw control::errno_error("eventfd");
    manager_.reattach();
    server_ =
        std::make_unique<Server>(options.socket_path, options.socket_mode, manager_, options.manager.log.log_keep);
    log_line("listening on " + options.socket_path);
}

Daemon::~Daemon() = default;

void Daemon::run() { server_->run(stop_.get()); }

void Daemon::request_stop() noexcept {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(stop_.get(), &one, sizeof one);
}

} // namespace bh::zoned
