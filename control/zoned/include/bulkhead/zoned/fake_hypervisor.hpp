// SPDX-License-Identifier: GPL-2.0-only
// A Hypervisor on a plain Linux host, for the tests and for trying zoned
// and zonectl end to end without Bulkhead: a zone is a detached process
// (bulkhead-fake-zone) that interprets its workload (fake_script.hpp),
// serves its console on a Unix socket and records how it ended in the
// shared state directory (fake_state.hpp). Zones are not zoned's children
// and their state is on disk, so they outlive a killed zoned as real zones
// outlive it, and a restarted zoned finds them again.
//
// It checks what the hypervisor checks (names, sizes, vCPUs, free memory,
// 64 slots, states, the Image magic) and answers with the same errors.
// Pausing stops the zone's process (SIGSTOP); stopping kills it.
#pragma once

#include <bulkhead/zoned/fake_state.hpp>
#include <bulkhead/zoned/hypervisor.hpp>

#include <filesystem>

namespace bh::zoned {

struct FakeOptions {
    std::filesystem::path state_dir;
    std::filesystem::path runner; // the bulkhead-fake-zone executable
    std::uint32_t cpus = 4;       // these two apply when state_dir is new
    std::uint64_t total_memory = 4ULL << 30;
};

class FakeHypervisor final : public Hypervisor {
  public:
    explicit FakeHypervisor(FakeOptions options);

    HvHostInfo host_info() override;
    // Its zones pretend to boot arm64 Images, whatever the host is.
    ZoneArch zone_arch() const override { return ZoneArch::arm64; }
    ZoneHandle create_zone(const ZoneConfig& config) override;
    void load_linux(ZoneHandle zone, const LinuxBoot& boot) override;
    // Accepted and counted (disks_served): a fake zone is a host process
    // and sees no disks, but zoned's handling of them is tested here.
    void serve_disks(ZoneHandle zone, std::uint32_t count) override;
    void start(ZoneHandle zone) override;
    void pause(ZoneHandle zone) override;
    void resume(ZoneHandle zone) override;
    void stop(ZoneHandle zone) override;
    void destroy(ZoneHandle zone) override;
    HvStatus status(ZoneHandle zone) override;
    std::vector<HvZone> zones() override;
    int event_fd() const override { return events_.get(); }
    std::vector<ZoneHandle> read_events() override;
    ZoneChannels open_channels(ZoneHandle zone) override;

    // Disks served so far (serve_disks), all zones together.
    std::uint32_t disks_served() const { return disks_served_; }

    // Test hygiene: kills every zone process of the state directory.
    static void kill_all_zones(const std::filesystem::path& state_dir);

  private:
    fake::FakeZone find_or_throw(ZoneHandle zone) const;
    int spawn_runner(ZoneHandle zone);
    void signal_runner(const fake::FakeZone& zone, int sig) const;

    FakeOptions options_;
    fake::FakeState state_;
    control::Fd events_;
    std::string partial_event_;
    std::uint32_t disks_served_ = 0;
};

// The arm64 Image header's magic, "ARM\x64" at offset 56 (Linux's
// Documentation/arch/arm64/booting.rst); empty if `fd` has it, otherwise
// what is wrong, for a message.
std::string arm64_image_problem(int fd);

} // namespace bh::zoned
