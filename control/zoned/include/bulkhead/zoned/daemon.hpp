// SPDX-License-Identifier: GPL-2.0-only
// zoned as a whole, for main() and for the tests that run it in-process:
// one zoned per state directory (a lock file says so), the zone manager
// re-attached to what it finds, the server listening; run() serves until
// request_stop(). Backends die with it (they are killed if zoned dies);
// zones do not.
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/zoned/hypervisor.hpp>
#include <bulkhead/zoned/server.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include <memory>
#include <string>

namespace bh::zoned {

struct DaemonOptions {
    ManagerOptions manager;
    std::string socket_path;
    mode_t socket_mode = 0660; // zoned's group may manage zones
};

class Daemon {
  public:
    // Throws std::runtime_error (another zoned holds the state directory,
    // the hypervisor is unavailable, the socket is taken...).
    Daemon(DaemonOptions options, std::unique_ptr<Hypervisor> hypervisor);
    ~Daemon();

    void run();
    // From any thread or a signal handler.
    void request_stop() noexcept;
    ZoneManager& manager() { return manager_; }

  private:
    control::Fd lock_;
    std::unique_ptr<Hypervisor> hv_;
    ZoneManager manager_;
    std::unique_ptr<Server> server_;
    control::Fd stop_;
};

} // namespace bh::zoned
