// SPDX-License-Identifier: GPL-2.0-only
// The fake hypervisor's state, kept in a directory so that it outlives
// zoned as a real hypervisor's does: kill zoned, and its zones run on and
// keep their records. FakeHypervisor (in zoned) and every fake zone's
// process (bulkhead-fake-zone) share it under one lock.
//
//   DIR/host.json               CPUs and total memory; the next generation
//   DIR/lock                    flock(2): every read-modify-write holds it
//   DIR/events                  FIFO: a zone's process writes "HANDLE\n" when it ends
//   DIR/zones/HANDLE/zone.json  the zone (see FakeZone)
//   DIR/zones/HANDLE/console.sock  the zone's console while its process lives
//   DIR/zones/HANDLE/alive      flock'd by the zone's process for its whole life
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/zoned/hypervisor.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bh::zoned::fake {

struct FakeZone {
    ZoneHandle handle = 0;
    std::string name;
    std::uint64_t memory = 0;
    std::uint32_t vcpus = 0;
    HvStatus status;
    int runner_pid = 0; // the zone's process, once started
    std::string kernel, initrd, cmdline;
    std::vector<std::string> argv, env;
};

struct FakeHost {
    std::uint32_t cpus = 0;
    std::uint64_t total_memory = 0;
};

class FakeState {
  public:
    // Creates the layout if it is not there; `host` only applies then, so
    // a restarted zoned sees the machine it saw before.
    FakeState(std::filesystem::path dir, FakeHost host);
    // Opens an existing state directory (a zone's process).
    explicit FakeState(std::filesystem::path dir);

    class Lock {
      public:
        explicit Lock(control::Fd fd) : fd_(std::move(fd)) {}

      private:
        control::Fd fd_;
    };
    // Blocks until this process holds the state lock.
    Lock lock() const;

    FakeHost host() const;
    // The next zone handle: the lowest free slot of 64, a new generation.
    // nullopt when all 64 slots are taken. Caller holds the lock.
    std::optional<ZoneHandle> allocate_handle();
    std::vector<FakeZone> zones() const;
    std::optional<FakeZone> find(ZoneHandle handle) const;
    void save(const FakeZone& zone); // atomically (write, fsync, rename)
    void remove(ZoneHandle handle);  // the zone's directory, recursively

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path zone_dir(ZoneHandle handle) const;
    std::filesystem::path console_path(ZoneHandle handle) const { return zone_dir(handle) / "console.sock"; }
    std::filesystem::path alive_path(ZoneHandle handle) const { return zone_dir(handle) / "alive"; }
    std::filesystem::path events_path() const { return dir_ / "events"; }

    // Whether the zone's process still holds its `alive` lock (a dead
    // process's locks are gone, whoever reaps it and whatever its pid).
    bool runner_alive(ZoneHandle handle) const;
    // Tells whoever reads the events FIFO (zoned, if it runs) that `handle`
    // changed; dropped if nobody reads, since zoned polls statuses anyway.
    void post_event(ZoneHandle handle) const;

  private:
    std::filesystem::path dir_;
};

} // namespace bh::zoned::fake
