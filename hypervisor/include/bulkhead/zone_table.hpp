// SPDX-License-Identifier: GPL-2.0-only
// All zones, by handle, and their lifecycle.
//
// The table lock covers only the table: slots, names, handles. Work that
// may take long (scrubbing gigabytes of a new zone's memory, copying an
// image in, freeing a zone) happens outside it, on a zone that is pinned
// (ZonePin) so that nobody destroys it meanwhile, and in bounded steps so a
// hypercall doing it can be preempted and restarted.
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/zone.hpp>

#include <arch/zone_platform.hpp>

namespace bh {

// What a new zone looks like, from the manifest or from ZONE_CREATE.
struct ZoneSpec {
    char name[BH_ZONE_NAME_MAX + 1] = {};
    GuestPhys memory_base = arch::kZonePlatform.default_ram_base;
    u64 memory_size = 0;
    bool pinned = false;
    HostPhys host_address;
    u32 vcpus = 1;
    u32 cpus[BH_ZONE_VCPUS_MAX] = {}; // each vCPU's CPU, counted over online CPUs (online_cpu)
    bool privileged = false;
    FaultPolicy fault_policy = FaultPolicy::abort;
    GuestPhys entry = arch::kZonePlatform.default_ram_base;
    u64 boot_argument = 0; // vCPU 0's x0 or RDI at entry
    u64 watchdog_ms = 0;
    ZoneHandle creator; // the zone making it by hypercall; none at boot
};

class ZoneTable {
  public:
    static constexpr unsigned kSlots = 64;

    void init(FrameAllocator& frames) { frames_ = &frames; }
    Spinlock& spinlock() { return lock_; }
    FrameAllocator& frames() { return *frames_; }

    // Reserves a slot and a zone object for `spec`, claims its RAM's frames
    // (not yet scrubbed or mapped) and leaves it `creating`; zone_build
    // finishes it. bad_state: the name is taken; no_memory: no slot, or
    // not enough free frames.
    Status reserve(Locked<ZoneTable>, const ZoneSpec& spec, Zone*& out);
    Zone* lookup(Locked<ZoneTable>, ZoneHandle h);
    Zone* find(Locked<ZoneTable>, const char* name);
    Zone* at(Locked<ZoneTable>, unsigned slot) { return slot < kSlots ? slots_[slot].zone : nullptr; }
    // Takes `z` out of the table when nothing can touch it any more: it has
    // ended (or never started), nobody has it pinned, and every vCPU is off,
    // on no queue and loaded nowhere; then zone_free releases it. bad_state:
    // still running; busy: pinned, or a vCPU is still on its CPU (try again).
    Status unlink(Locked<ZoneTable>, Zone& z);
    // The zone that receives the host console's input (nullptr: none).
    void set_console_zone(Locked<ZoneTable>, Zone* z) { console_zone_ = z; }
    Zone* console_zone(Locked<ZoneTable>) { return console_zone_; }

  private:
    struct Slot {
        Zone* zone = nullptr;
        u32 generation = 0;
    };
    Spinlock lock_{LockLevel::zone_table};
    Slot slots_[kSlots];
    FrameAllocator* frames_ = nullptr;
    Zone* console_zone_ = nullptr;
};

ZoneTable& zones();

// Keeps a zone from being destroyed while a management call works on it
// without the table lock. Taken under the table lock (the only place a zone
// can be found), released anywhere.
class [[nodiscard]] ZonePin {
  public:
    ZonePin() = default;
    ~ZonePin() { release(); }
    ZonePin(const ZonePin&) = delete;
    ZonePin& operator=(const ZonePin&) = delete;

    void hold(Locked<ZoneTable>, Zone& z) {
        release();
        zone_ = &z;
        zone_->pins.fetch_add(1);
    }
    void release() {
        if (zone_) zone_->pins.fetch_sub(1);
        zone_ = nullptr;
    }

  private:
    Zone* zone_ = nullptr;
};

// Scrubs (zeroes) and maps up to `budget` bytes of a creating zone's RAM;
// once all of it is done, sets the zone up for its architecture and makes
// it `created`. `done` says whether it got there. The caller has the zone
// pinned; steps of one zone are serialised by its lock.
[[nodiscard]] Status zone_build(Zone& z, u64 budget, bool& done);
// Frees an unlinked zone: its memory, page tables and object.
void zone_free(Zone& z);
// Reserve, build and link in one go (boot zones, tests).
[[nodiscard]] Status zone_create(const ZoneSpec& spec, Zone*& out);
// Unlink and free (boot's clean-up, tests); see ZoneTable::unlink.
[[nodiscard]] Status zone_destroy(Zone& z);

// Zone watchdogs (manifest watchdog-ms). The earliest deadline of any
// running zone, 0 if none; checked by CPU 0's scheduler, which also keeps
// its hypervisor timer armed for it.
u64 watchdog_next();
// Ends, as crashed, every running zone whose watchdog ran out by `now`.
// Takes the zone table lock: call it holding no other lock.
void watchdog_check(u64 now);

// A character typed on the host console: goes to the console zone.
void console_input(char c);

// Starts a created zone's boot vCPU.
[[nodiscard]] Status zone_start(Zone& z);
// Running -> paused: its vCPUs leave their CPUs at their next exit (loaded
// ones are kicked) and wait, state `paused`, on no list. Interrupts raised
// meanwhile stay pending; forwarded requests stay queued. bad_state unless
// running.
[[nodiscard]] Status zone_pause(Zone& z);
// Paused -> running: every parked vCPU goes back on its home run queue.
// bad_state unless paused.
[[nodiscard]] Status zone_resume(Zone& z);
// Resets vCPU `index` of a running zone to start at `entry` with `arg` (x0
// or RDI) and makes it runnable. invalid_argument: no such vCPU, or entry
// outside the zone's RAM; busy: that vCPU is already on; bad_state: the
// zone is not running (an ended zone's vCPUs never start again).
[[nodiscard]] Status vcpu_power_on(Zone& z, u32 index, GuestPhys entry, u64 arg);
// The same start with an architecture's own reset (x86: STARTUP IPIs
// start a vCPU in real mode): `reset(v, how)` runs only if the vCPU is off.
using VcpuResetFn = void (*)(Vcpu& v, const void* how);
[[nodiscard]] Status vcpu_start_with(Zone& z, u32 index, VcpuResetFn reset, const void* how);
// Ends a zone that has not ended yet with the given state; the first end
// wins. Powers the machine off when no zone is left running.
void zone_end(Zone& z, ZoneState state, u32 reason, u64 code, const char* why);
// While held, the machine stays on even if no zone runs: boot holds it until
// every manifest zone has started, so an early exit of the first cannot
// power off before the others began.
void hold_power();
void release_power();
// Bytes of hypervisor memory the zone costs (object and page tables).
u64 zone_overhead_bytes(const Zone& z);

} // namespace bh
