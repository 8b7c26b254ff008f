// SPDX-License-Identifier: GPL-2.0-only
// A Hypervisor in memory for ZoneManager's tests: zones are entries in a
// map, nothing runs, and any one call can be told to fail, so that every
// step of a launch can be made to go wrong.
#pragma once

#include <bulkhead/zoned/hypervisor.hpp>

#include <map>
#include <string>

class StubHypervisor final : public bh::zoned::Hypervisor {
  public:
    struct Zone {
        std::string name;
        std::uint64_t memory = 0;
        bh::zoned::HvStatus status;
        std::uint32_t disks = 0; // slots served to its backend besides the console
        std::string bootargs;    // as the zone would boot with them (default "console=hvc0")
    };

    std::map<bh::zoned::ZoneHandle, Zone> zones_made;
    std::uint64_t total_memory = 1ULL << 30;
    std::string fail_call; // "create", "load", "serve_disks" or "start": that call throws

    bh::zoned::HvHostInfo host_info() override;
    // Its tests hand it arm64 Images, whatever the host is.
    bh::zoned::ZoneArch zone_arch() const override { return bh::zoned::ZoneArch::arm64; }
    bh::zoned::ZoneHandle create_zone(const bh::zoned::ZoneConfig& config) override;
    void load_linux(bh::zoned::ZoneHandle zone, const bh::zoned::LinuxBoot& boot) override;
    void serve_disks(bh::zoned::ZoneHandle zone, std::uint32_t count) override;
    void start(bh::zoned::ZoneHandle zone) override;
    void pause(bh::zoned::ZoneHandle zone) override { set(zone, bh::zoned::HvState::paused); }
    void resume(bh::zoned::ZoneHandle zone) override { set(zone, bh::zoned::HvState::running); }
    void stop(bh::zoned::ZoneHandle zone) override;
    void destroy(bh::zoned::ZoneHandle zone) override;
    bh::zoned::HvStatus status(bh::zoned::ZoneHandle zone) override { return find(zone).status; }
    std::vector<bh::zoned::HvZone> zones() override;
    int event_fd() const override { return -1; }
    std::vector<bh::zoned::ZoneHandle> read_events() override { return {}; }
    // No console here: the manager schedules its backend and carries on.
    bh::zoned::ZoneChannels open_channels(bh::zoned::ZoneHandle) override;

    // The zone's workload ends as the hypervisor would report it.
    void end(bh::zoned::ZoneHandle zone, bh::control::ExitReason reason, std::uint64_t code);

  private:
    Zone& find(bh::zoned::ZoneHandle zone);
    void set(bh::zoned::ZoneHandle zone, bh::zoned::HvState state) { find(zone).status.state = state; }
    void maybe_fail(const char* call) const;
    std::uint64_t next_handle_ = 1;
};
