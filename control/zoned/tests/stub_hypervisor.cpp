// SPDX-License-Identifier: GPL-2.0-only
#include "stub_hypervisor.hpp"

using namespace bh::zoned;

void StubHypervisor::maybe_fail(const char* call) const {
    if (fail_call == call) throw HypervisorError(HvErrc::io, std::string("the test made ") + call + " fail");
}

StubHypervisor::Zone& StubHypervisor::find(ZoneHandle zone) {
    auto it = zones_made.find(zone);
    if (it == zones_made.end()) throw HypervisorError(HvErrc::not_found, "no such zone");
    return it->second;
}

HvHostInfo StubHypervisor::host_info() {
    HvHostInfo info{4, total_memory, total_memory, static_cast<std::uint32_t>(zones_made.size())};
    for (const auto& [handle, z] : zones_made) info.free_memory -= z.memory;
    return info;
}

ZoneHandle StubHypervisor::create_zone(const ZoneConfig& config) {
    maybe_fail("create");
    ZoneHandle handle = next_handle_++ << 16;
    zones_made[handle] = Zone{config.name, config.memory, HvStatus{HvState::created, {}, 0}};
    return handle;
}

void StubHypervisor::load_linux(ZoneHandle zone, const LinuxBoot& boot) {
    Zone& z = find(zone);
    maybe_fail("load");
    z.bootargs = zone_bootargs(boot.cmdline, "console=hvc0", boot.root);
}

void StubHypervisor::serve_disks(ZoneHandle zone, std::uint32_t count) {
    Zone& z = find(zone);
    maybe_fail("serve_disks");
    z.disks = count;
}

void StubHypervisor::start(ZoneHandle zone) {
    find(zone);
    maybe_fail("start");
    set(zone, HvState::running);
}

void StubHypervisor::stop(ZoneHandle zone) {
    Zone& z = find(zone);
    if (z.status.state == HvState::running || z.status.state == HvState::paused || z.status.state == HvState::created)
        z.status = HvStatus{HvState::stopped, bh::control::ExitReason::stopped, 0};
}

void StubHypervisor::destroy(ZoneHandle zone) {
    Zone& z = find(zone);
    if (z.status.state == HvState::running || z.status.state == HvState::paused)
        throw HypervisorError(HvErrc::bad_state, "running");
    zones_made.erase(zone);
}

std::vector<HvZone> StubHypervisor::zones() {
    std::vector<HvZone> out;
    for (const auto& [handle, z] : zones_made) out.push_back(HvZone{handle, z.name});
    return out;
}

ZoneChannels StubHypervisor::open_channels(ZoneHandle) {
    throw HypervisorError(HvErrc::unavailable, "the stub has no consoles");
}

void StubHypervisor::end(ZoneHandle zone, bh::control::ExitReason reason, std::uint64_t code) {
    find(zone).status = HvStatus{HvState::exited, reason, code};
}
