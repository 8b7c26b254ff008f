// SPDX-License-Identifier: GPL-2.0-only
// All zones, by handle. Management operations hold the table lock for their
// whole duration: they are rare, and this makes a zone's lifetime simple
// (nothing can destroy a zone while a management call works on it).
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/zone.hpp>

namespace bh {

// What a new zone looks like, from the manifest or from ZONE_CREATE.
struct ZoneSpec {
    char name[BH_ZONE_NAME_MAX + 1] = {};
    GuestPhys memory_base = kZoneDefaultMemoryBase;
    u64 memory_size = 0;
    bool pinned = false;
    HostPhys host_address;
    u32 vcpus = 1;
    u32 cpus[BH_ZONE_VCPUS_MAX] = {};
    bool privileged = false;
    FaultPolicy fault_policy = FaultPolicy::abort;
    GuestPhys entry = kZoneDefaultMemoryBase;
    u64 watchdog_ms = 0;
};

class ZoneTable {
  public:
    static constexpr unsigned kSlots = 64;

    void init(FrameAllocator& frames) { frames_ = &frames; }
    Spinlock& lock() { return lock_; }

    // All below: caller holds lock().
    Status create(const ZoneSpec& spec, Zone*& out);
    Zone* lookup(ZoneHandle h);
    Zone* lookup_slot(unsigned slot) { return slot < kSlots ? slots_[slot].zone : nullptr; }
    // Frees a zone that no longer runs; busy while its vCPUs are still on CPUs.
    Status destroy(Zone& z);
    FrameAllocator& frames() { return *frames_; }
    // The zone that receives the host console's input (nullptr: none).
    void set_console_zone(Zone* z) { console_zone_ = z; }
    Zone* console_zone() { return console_zone_; }

  private:
    Status alloc_memory(Zone& z, const ZoneSpec& spec);
    void free_memory(Zone& z);

    struct Slot {
        Zone* zone = nullptr;
        u32 generation = 0;
    };
    Spinlock lock_;
    Slot slots_[kSlots];
    FrameAllocator* frames_ = nullptr;
    Zone* console_zone_ = nullptr;
};

// Zone watchdogs (manifest watchdog-ms). The earliest deadline of any
// running zone, 0 if none; checked by CPU 0's scheduler, which also keeps
// its hypervisor timer armed for it.
u64 watchdog_next();
// Ends, as crashed, every running zone whose watchdog ran out by `now`.
// Takes the zone table lock: call it holding no other lock.
void watchdog_check(u64 now);

// A character typed on the host console: goes to the console zone.
void console_input(char c);

ZoneTable& zones();

// Starts a created zone's boot vCPU.
Status zone_start(Zone& z);
// Resets vCPU `index` of a running zone to start at `entry` with `arg` (x0
// or RDI) and makes it runnable. invalid_argument: no such vCPU, or entry
// outside the zone's RAM; busy: that vCPU is already on.
Status vcpu_power_on(Zone& z, u32 index, GuestPhys entry, u64 arg);
// The same start with an architecture's own reset (x86: STARTUP IPIs
// start a vCPU in real mode): `reset(v, how)` runs only if the vCPU is off.
using VcpuResetFn = void (*)(Vcpu& v, const void* how);
Status vcpu_start_with(Zone& z, u32 index, VcpuResetFn reset, const void* how);
// Ends a running zone with the given state; the first end wins. Powers the
// machine off when no zone is left running.
void zone_end(Zone& z, ZoneState state, u32 reason, u64 code, const char* why);
// While held, the machine stays on even if no zone runs: boot holds it until
// every manifest zone has started, so an early exit of the first cannot
// power off before the others began.
void hold_power();
void release_power();
// Bytes of hypervisor memory the zone costs (object and page tables).
u64 zone_overhead_bytes(const Zone& z);

} // namespace bh
