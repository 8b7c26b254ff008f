// SPDX-License-Identifier: GPL-2.0-only
// A zone: an isolated VM with its own stage-2 address space, memory and vCPUs.
#pragma once

#include <arch/zone_context.hpp>
#include <bulkhead/abi/hypercall.h>
#include <bulkhead/atomic.hpp>
#include <bulkhead/device_registry.hpp>
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/ioreq.hpp>
#include <bulkhead/log_budget.hpp>
#include <bulkhead/log_sampler.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/page_table.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/vcpu.hpp>
#include <bulkhead/zone_console.hpp>
#include <bulkhead/zone_timer.hpp>

namespace bh {

// creating -> created -> running <-> paused -> exited | crashed | stopped.
// Changed only under the zone's lock; read without it through the atomic.
enum class ZoneState : u8 {
    creating = BH_ZONE_CREATING, // memory still being allocated and scrubbed
    created = BH_ZONE_CREATED,
    running = BH_ZONE_RUNNING,
    exited = BH_ZONE_EXITED,
    crashed = BH_ZONE_CRASHED,
    stopped = BH_ZONE_STOPPED,
    paused = BH_ZONE_PAUSED, // started, none of its vCPUs runs (zone_pause)
};

constexpr bool zone_state_ended(ZoneState s) {
    return s == ZoneState::exited || s == ZoneState::crashed || s == ZoneState::stopped;
}

struct MemoryChunk {
    GuestPhys guest;
    HostPhys host;
    u64 size = 0;
};

class Zone {
  public:
    static constexpr unsigned kMaxChunks = 64;

    char name[BH_ZONE_NAME_MAX + 1] = {};
    ZoneHandle handle;
    ZoneHandle creator; // the zone whose ZONE_CREATE made it (none for boot zones)
    bool privileged = false;
    bool control_domain = false; // RAM identity-mapped, host devices passed through (ZoneSpec)
    FaultPolicy fault_policy = FaultPolicy::abort;

    Range<GuestPhys> ram;
    MemoryChunk chunks[kMaxChunks];
    unsigned chunk_count = 0;
    bool pinned = false;
    u64 scrubbed_bytes = 0;  // creation progress: RAM zeroed and mapped so far
    GuestPhys boot_entry;    // where every vCPU is reset to when the zone is built
    u64 boot_argument = 0;   // vCPU 0's x0 or RDI there
    bool arch_ready = false; // arch::zone_init done (zone_fini owed)

    PageTable<arch::Stage2Format> stage2;
    u32 vcpu_count = 0;
    Vcpu vcpus[BH_ZONE_VCPUS_MAX];
    ZoneConsole console;    // whatever UART model the platform puts in front of it
    DeviceRegistry devices; // who owns which of its addresses; filled while it is built
    arch::ZoneContext arch; // its interrupt controller and UART models among them

    Spinlock lock{LockLevel::zone};
    Spinlock& spinlock() { return lock; }
    Atomic<ZoneState> state{ZoneState::creating};
    // Management calls working on the zone outside the zone-table lock; a
    // pinned zone is never destroyed (ZoneTable::pin).
    Atomic<u32> pins{0};

    // The control plane. The zone that made it (pinned: a manager is not
    // destroyed while its zones exist) hears when it ends; the zone that
    // serves its forwarded windows (pinned too) gets its I/O requests and
    // may raise those windows' lines and map its RAM.
    Zone* creator_zone = nullptr;
    Zone* server = nullptr;
    u32 served_slots = 0; // virtio-mmio slots the server implements (bit per slot)
    IoreqQueue ioreqs;
    Atomic<bool> end_unreported{false}; // ended, and its creator has not heard yet
    // As a manager or server: the zone-table slot its next EVENT_NEXT looks
    // at first (guarded by the zone-table lock). It moves past each slot
    // reported, so a zone that keeps its queue full cannot hide the others.
    u32 event_cursor = 0;
    // A BH_HC_ZONE_BOOT_LINUX working in steps on this zone (zone lock):
    // the token its restarted call carries, 0 when none is under way.
    u64 linux_boot_token = 0;
    Zone* mapped_in = nullptr; // the zone its RAM is mapped into (its server), or none
    GuestPhys mapped_at;       // where, in that zone's guest-physical space
    u32 exit_reason = BH_EXIT_NONE;
    u64 exit_code = 0;
    LogSampler faults_logged;  // illegal accesses, undecodable instructions
    LogBudget log_budget;      // its share of the host console
    u64 watchdog_ms = 0;       // from the manifest, 0: none
    u64 watchdog_deadline = 0; // counter value, set when the zone starts
    ZoneTimer device_timer;    // a device model's deadline (the RTC's match)

    bool is_running() const { return state.load() == ZoneState::running; }
    // Started and not ended: running or paused. It holds the power on.
    bool is_live() const {
        ZoneState s = state.load();
        return s == ZoneState::running || s == ZoneState::paused;
    }
    bool has_ended() const { return zone_state_ended(state.load()); }
    // Host-physical address behind `ipa` if it is zone RAM (never a device window).
    bool ram_to_host(GuestPhys ipa, HostPhys& out, u64& contiguous) const;
};

} // namespace bh
