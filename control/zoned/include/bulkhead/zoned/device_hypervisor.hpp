// SPDX-License-Identifier: GPL-2.0-only
// The real Hypervisor: zone management through the control domain's
// Bulkhead driver, /dev/bulkhead.
//
// *** STUB. *** The driver is not written yet (roadmap step 5; the lead
// writes it). Every call throws HypervisorError(unavailable, "... not
// available here ..."), so `zoned --hypervisor=device` fails at start-up
// with that message. control/README.md ("What /dev/bulkhead must provide")
// specifies the ioctls this class will wrap, one per method.
#pragma once

#include <bulkhead/zoned/hypervisor.hpp>

#include <string>

namespace bh::zoned {

class DeviceHypervisor final : public Hypervisor {
  public:
    explicit DeviceHypervisor(std::string device_path = "/dev/bulkhead");

    HvHostInfo host_info() override;
    ZoneHandle create_zone(const ZoneConfig& config) override;
    void load_linux(ZoneHandle zone, const LinuxBoot& boot) override;
    void start(ZoneHandle zone) override;
    void pause(ZoneHandle zone) override;
    void resume(ZoneHandle zone) override;
    void stop(ZoneHandle zone) override;
    void destroy(ZoneHandle zone) override;
    HvStatus status(ZoneHandle zone) override;
    std::vector<HvZone> zones() override;
    int event_fd() const override { return -1; }
    std::vector<ZoneHandle> read_events() override;
    ZoneChannels open_channels(ZoneHandle zone) override;

  private:
    [[noreturn]] void unavailable(const char* call) const;
    std::string path_;
};

} // namespace bh::zoned
