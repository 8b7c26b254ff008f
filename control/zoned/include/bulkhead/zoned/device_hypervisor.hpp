// SPDX-License-Identifier: GPL-2.0-only
// The real Hypervisor: zone management through the control domain's
// Bulkhead driver, /dev/bulkhead (drivers/linux/bulkhead/include/uapi/
// bulkhead.h). One zone fd per zone, opened with BULKHEAD_ZONE_KEEP so
// zones outlive zoned (SIGKILL included); a restarted zoned re-opens them
// by handle (ZONE_OPEN) the first time it names one. Destroying is closing
// the last zone fd after clearing the keep flag (the driver stops and
// destroys it then). Events: every zone fd turns readable when its zone
// ends, so event_fd() is an epoll set of them, each reported once.
#pragma once

#include <bulkhead/zoned/hypervisor.hpp>

#include <map>
#include <string>

namespace bh::zoned {

class DeviceHypervisor final : public Hypervisor {
  public:
    // Opens the device at once: a missing driver fails zoned's start-up
    // with a message saying what to load. `default_cmdline` is the zone
    // kernel's command line when a launch gives none.
    explicit DeviceHypervisor(std::string device_path = "/dev/bulkhead", std::string default_cmdline = kDefaultCmdline);

    // hvc0 is the console zoned's backend serves (virtio-console, slot 0).
    static constexpr const char* kDefaultCmdline = "console=hvc0 panic=-1 quiet";
    static constexpr std::uint32_t kConsoleSlot = 0;
    static constexpr std::uint32_t kFirstDiskSlot = 1; // disk i in slot 1 + i
    static constexpr std::uint32_t kMaxDiskSlots = 8;  // control::kMaxDisks

    HvHostInfo host_info() override;
    ZoneHandle create_zone(const ZoneConfig& config) override;
    void load_linux(ZoneHandle zone, const LinuxBoot& boot) override;
    void serve_disks(ZoneHandle zone, std::uint32_t count) override;
    void start(ZoneHandle zone) override;
    void pause(ZoneHandle zone) override;
    void resume(ZoneHandle zone) override;
    void stop(ZoneHandle zone) override;
    void destroy(ZoneHandle zone) override;
    HvStatus status(ZoneHandle zone) override;
    std::vector<HvZone> zones() override;
    int event_fd() const override { return epoll_.get(); }
    std::vector<ZoneHandle> read_events() override;
    ZoneChannels open_channels(ZoneHandle zone) override;

  private:
    struct Zone {
        control::Fd fd;
        std::string name;
    };
    Zone& zone(ZoneHandle handle); // ours, or re-opened by handle
    Zone& adopt(ZoneHandle handle, control::Fd fd, std::string name);
    void zone_ioctl(ZoneHandle handle, unsigned long request, void* arg, const char* what);

    std::string path_;
    std::string default_cmdline_;
    control::Fd dev_;
    control::Fd epoll_;
    std::map<ZoneHandle, Zone> zones_;
};

} // namespace bh::zoned
