// SPDX-License-Identifier: GPL-2.0-only
// What zoned needs from the hypervisor: the zone-management hypercalls of
// docs/hypercalls.md as the control domain's driver (/dev/bulkhead) will
// offer them, plus what only the driver can keep (the list of zones this
// control domain made, an event stream, per-zone descriptors for a backend).
//
// Two implementations: FakeHypervisor (fake_hypervisor.hpp), which runs
// scripted zones as host processes for the tests and for trying zoned on a
// host, and DeviceHypervisor (device_hypervisor.hpp), the /dev/bulkhead
// one. control/README.md ("The Hypervisor
// interface") says what the driver must provide for each call.
//
// Every call either does all it says or nothing, and reports failure as a
// HypervisorError (the hypercalls' decode-then-commit rule).
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/control/zone_types.hpp>
#include <bulkhead/zoned/zone_arch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bh::zoned {

// (generation << 16) | slot, as the hypervisor hands it out; a destroyed
// zone's handle never names another zone.
using ZoneHandle = std::uint64_t;

// BH_ZONE_* states (PAUSED since BH_HC_ZONE_PAUSE), plus `creating`.
enum class HvState { created, running, paused, exited, crashed, stopped, creating };

struct HvStatus {
    HvState state = HvState::created;
    control::ExitReason reason = control::ExitReason::none; // BH_HC_ZONE_STATUS x2
    std::uint64_t code = 0;                                 // x3
};

struct HvHostInfo {                 // BH_HC_HOST_INFO
    std::uint32_t cpus = 0;         // x1: online CPUs
    std::uint64_t free_memory = 0;  // x2
    std::uint64_t total_memory = 0; // x3
    std::uint32_t zones = 0;        // x4: zones in any state
};

struct ZoneConfig { // BH_HC_ZONE_CREATE
    std::string name;
    std::uint64_t memory = 0;
    std::uint32_t vcpus = 0;
};

// An open file (borrowed) and the path it came from, for messages.
struct BootFile {
    int fd = -1;
    std::string path;
};

// A Linux zone as the hypervisor builds it: the Image at its text_offset,
// the initrd, and a generated device tree whose /chosen carries bootargs
// and the workload for zone init (docs/architecture.md, "Linux zones").
// The zone's root filesystem is on its first disk (`zonectl launch --root`).
struct RootDisk {
    bool read_only = false;
};

struct LinuxBoot {
    BootFile kernel;
    std::optional<BootFile> initrd;
    std::string cmdline;
    std::vector<std::string> argv; // the workload
    std::vector<std::string> env;  // KEY=VALUE
    std::optional<RootDisk> root;  // said to the zone's init on its command line (zone_bootargs)
};

// The command line a zone boots with: `cmdline` (or `fallback` when empty)
// with the words that tell zone-init about its root disk
// (zone-kernel/init/root_disk.hpp), put before a "--" the command line may
// have, which would make them the workload's.
std::string zone_bootargs(const std::string& cmdline, const std::string& fallback, const std::optional<RootDisk>& root);

struct HvZone {
    ZoneHandle handle = 0;
    std::string name;
};

// What a zone's backend process is given, and nothing else. `console` is
// the zone's console as a byte stream: reading gives what the zone
// transmits, writing is input to the zone; EOF once the zone has ended
// and everything it transmitted has been read. (The real backend gets the
// zone's virtio-mmio request descriptor, its RAM and irqfd, and serves the
// console through control/virtio itself; see README.)
//
// With the driver (`virtio`), `console` is instead a zone fd of its own
// bound to this zone: the backend takes the zone's I/O fd and RAM from it
// and serves virtio-console in the zone's slot 0 (virtio_backend.hpp).
//
// `disks` are zoned's to add (it holds the files, not the hypervisor): the
// virtio backend serves disk i as virtio-blk in slot 1 + i.
struct DiskChannel {
    control::Fd file;
    bool read_only = false;
};
struct ZoneChannels {
    control::Fd console;
    bool virtio = false;
    std::vector<DiskChannel> disks;
};

enum class HvErrc { invalid_argument, no_memory, not_found, bad_state, busy, not_supported, unavailable, io };

class HypervisorError : public std::runtime_error {
  public:
    HypervisorError(HvErrc code, const std::string& message) : std::runtime_error(message), code_(code) {}
    HvErrc code() const { return code_; }

  private:
    HvErrc code_;
};

class Hypervisor {
  public:
    virtual ~Hypervisor() = default;

    virtual HvHostInfo host_info() = 0;
    // The architecture of the zones it runs (which kernels boot, where
    // their RAM and slots are): the control domain's own, unless faked.
    virtual ZoneArch zone_arch() const { return kNativeZoneArch; }
    // CREATED on return (the driver repeats a restarted ZONE_CREATE until
    // it is done). bad_state: the name is taken; no_memory.
    virtual ZoneHandle create_zone(const ZoneConfig& config) = 0;
    // Only in state CREATED. invalid_argument: not an Image, does not fit.
    virtual void load_linux(ZoneHandle zone, const LinuxBoot& boot) = 0;
    // Only in state CREATED, before start(): the zone's slots 1..count are
    // served by its backend (its disks), so that its first probe of them
    // reaches the backend. not_supported where disks cannot be served.
    virtual void serve_disks(ZoneHandle zone, std::uint32_t count);
    virtual void start(ZoneHandle zone) = 0;  // CREATED -> RUNNING
    virtual void pause(ZoneHandle zone) = 0;  // RUNNING -> PAUSED
    virtual void resume(ZoneHandle zone) = 0; // PAUSED -> RUNNING
    // Ends the zone (STOPPED, reason stopped); a no-op on an ended zone.
    virtual void stop(ZoneHandle zone) = 0;
    // Frees everything; bad_state while running or paused (stop first).
    virtual void destroy(ZoneHandle zone) = 0;
    // not_found once destroyed (or never made).
    virtual HvStatus status(ZoneHandle zone) = 0;
    // The zones this control domain made and has not destroyed, however
    // often zoned restarted: zoned finds a launch it did not finish here.
    virtual std::vector<HvZone> zones() = 0;

    // Readable when some zone's state may have changed; read_events()
    // says which (and never blocks). Events are hints: zoned asks
    // status() and also polls it, so a lost event delays, never loses, an
    // exit.
    virtual int event_fd() const = 0;
    virtual std::vector<ZoneHandle> read_events() = 0;

    // Descriptors for the zone's backend; callable again after a backend
    // died (zoned restarting, or the backend restarted).
    virtual ZoneChannels open_channels(ZoneHandle zone) = 0;
};

} // namespace bh::zoned
