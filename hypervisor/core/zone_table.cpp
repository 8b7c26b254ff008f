// SPDX-License-Identifier: GPL-2.0-only
#include <new>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>
#include <bulkhead/zone_devices.hpp>

namespace bh {

namespace {
ZoneTable table;
u32 running_zones = 0; // atomic: reaching zero powers the machine off
u64 next_watchdog = 0; // atomic: earliest watchdog deadline of a running zone
constexpr u64 kZoneObjectPages = align_up(sizeof(Zone), kPageSize) / kPageSize;
} // namespace

ZoneTable& zones() { return table; }

bool Zone::ram_to_host(GuestPhys ipa, HostPhys& out, u64& contiguous) const {
    for (unsigned i = 0; i < chunk_count; ++i) {
        const MemoryChunk& c = chunks[i];
        if (Range<GuestPhys>{c.guest, c.size}.contains(ipa)) {
            out = c.host + (ipa - c.guest);
            contiguous = c.size - (ipa - c.guest);
            return true;
        }
    }
    return false;
}

Status ZoneTable::alloc_memory(Zone& z, const ZoneSpec& spec) {
    u64 pages = spec.memory_size / kPageSize;
    if (spec.pinned) {
        if (Status s = frames_->claim(spec.host_address, pages); s != Status::ok) return s;
        z.chunks[0] = {spec.memory_base, spec.host_address, spec.memory_size};
        z.chunk_count = 1;
        z.pinned = true;
    } else {
        // As few chunks as possible, 2 MiB aligned when large, so stage 2 can
        // use block mappings; fall back to smaller runs when memory is fragmented.
        u64 done = 0, want = pages;
        while (done < pages) {
            if (z.chunk_count == Zone::kMaxChunks) return Status::no_memory;
            u64 n = want < pages - done ? want : pages - done;
            HostPhys pa;
            if (!frames_->alloc(n, n >= 512 ? 512 : 1, pa)) {
                if (n == 1) return Status::no_memory;
                want = n / 2;
                continue;
            }
            z.chunks[z.chunk_count++] = {spec.memory_base + done * kPageSize, pa, n * kPageSize};
            done += n;
        }
    }
    for (unsigned i = 0; i < z.chunk_count; ++i) {
        const MemoryChunk& c = z.chunks[i];
        // Zeroed before the zone can see it: no data survives from earlier owners.
        __builtin_memset(phys_to_ptr<void>(c.host), 0, c.size);
        arch::sync_guest_memory(c.host, c.size);
        if (Status s = z.stage2.map(c.guest, c.host, c.size, MemAttr::ram()); s != Status::ok) return s;
    }
    return Status::ok;
}

void ZoneTable::free_memory(Zone& z) {
    for (unsigned i = 0; i < z.chunk_count; ++i) frames_->free(z.chunks[i].host, z.chunks[i].size / kPageSize);
    z.chunk_count = 0;
}

Status ZoneTable::create(const ZoneSpec& spec, Zone*& out) {
    unsigned slot = kSlots;
    for (unsigned i = 0; i < kSlots; ++i) {
        if (slots_[i].zone) {
            if (__builtin_strcmp(slots_[i].zone->name, spec.name) == 0) return Status::bad_state;
        } else if (slot == kSlots) {
            slot = i;
        }
    }
    if (slot == kSlots) return Status::no_memory;

    HostPhys obj;
    if (!frames_->alloc(kZoneObjectPages, 1, obj)) return Status::no_memory;
    Zone* z = new (phys_to_ptr<void>(obj)) Zone;
    __builtin_memcpy(z->name, spec.name, sizeof z->name);
    z->privileged = spec.privileged;
    z->watchdog_ms = spec.watchdog_ms;
    z->fault_policy = spec.fault_policy;
    z->ram = {spec.memory_base, spec.memory_size};
    z->uart.attach(*z, z->name);
    z->vcpu_count = spec.vcpus; // zone_init sizes per-vCPU state by it
    Status s = z->stage2.init(*frames_);
    if (s == Status::ok) s = alloc_memory(*z, spec);
    if (s == Status::ok) s = arch::zone_init(*z);
    if (s != Status::ok) {
        free_memory(*z);
        z->stage2.destroy();
        z->~Zone();
        frames_->free(obj, kZoneObjectPages);
        return s;
    }
    for (u32 i = 0; i < spec.vcpus; ++i) {
        Vcpu& v = z->vcpus[i];
        v.zone = z;
        v.index = i;
        v.home_cpu = spec.cpus[i];
        arch::vcpu_reset(v, spec.entry, 0);
    }
    Slot& sl = slots_[slot];
    sl.generation = sl.generation + 1 ? sl.generation + 1 : 1;
    sl.zone = z;
    z->handle = {slot, sl.generation};
    out = z;
    return Status::ok;
}

Zone* ZoneTable::lookup(ZoneHandle h) {
    if (h.slot >= kSlots) return nullptr;
    Slot& s = slots_[h.slot];
    return s.zone && s.generation == h.generation ? s.zone : nullptr;
}

Status ZoneTable::destroy(Zone& z) {
    if (z.is_running()) return Status::bad_state;
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (!sched::detach(z.vcpus[i])) return Status::busy;
    z.uart.flush();
    arch::zone_fini(z);
    z.stage2.destroy();
    free_memory(z);
    slots_[z.handle.slot].zone = nullptr;
    if (console_zone_ == &z) console_zone_ = nullptr;
    HostPhys obj = ptr_to_phys(&z);
    z.~Zone();
    frames_->free(obj, kZoneObjectPages);
    return Status::ok;
}

Status zone_start(Zone& z) {
    {
        LockGuard g(z.lock);
        if (z.state != ZoneState::created) return Status::bad_state;
        __atomic_add_fetch(&running_zones, 1, __ATOMIC_ACQ_REL);
        u64 now = arch::now();
        z.uart.set_start_time(now);
        if (z.watchdog_ms) {
            z.watchdog_deadline = now + z.watchdog_ms * arch::ticks_per_second() / 1000;
            // Publish the earlier deadline; CPU 0 re-arms its timer at its next decision.
            u64 cur = __atomic_load_n(&next_watchdog, __ATOMIC_ACQUIRE);
            while ((cur == 0 || z.watchdog_deadline < cur) &&
                   !__atomic_compare_exchange_n(&next_watchdog, &cur, z.watchdog_deadline, false, __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE)) {
            }
            if (arch::this_cpu().index != 0) arch::kick_cpu(0);
            else sched::request_reschedule();
        }
        __atomic_store_n(&z.state, ZoneState::running, __ATOMIC_RELEASE);
    }
    sched::start(z.vcpus[0]);
    return Status::ok;
}

void zone_end(Zone& z, ZoneState state, u32 reason, u64 code, const char* why) {
    bool was_running;
    {
        LockGuard g(z.lock);
        if (z.state != ZoneState::running && z.state != ZoneState::created) return;
        was_running = z.state == ZoneState::running;
        z.exit_reason = reason;
        z.exit_code = code;
        __atomic_store_n(&z.state, state, __ATOMIC_RELEASE);
    }
    z.uart.flush();
    if (state == ZoneState::exited) log("zone '%s' exited: code %llu (%s)", z.name, static_cast<unsigned long long>(code), why);
    else if (state == ZoneState::crashed) log("zone '%s' crashed: %s", z.name, why);
    else log("zone '%s' stopped: %s", z.name, why);
    // vCPUs loaded elsewhere must exit to notice; the scheduler then drops them.
    unsigned self = arch::this_cpu().index;
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (z.vcpus[i].on_cpu && z.vcpus[i].home_cpu != self) arch::kick_cpu(z.vcpus[i].home_cpu);
    if (was_running) release_power();
}

u64 watchdog_next() { return __atomic_load_n(&next_watchdog, __ATOMIC_ACQUIRE); }

void watchdog_check(u64 now) {
    u64 due = watchdog_next();
    if (due == 0 || due > now) return;
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    u64 next = 0;
    for (unsigned i = 0; i < ZoneTable::kSlots; ++i) {
        Zone* z = t.lookup_slot(i);
        if (!z || !z->is_running() || !z->watchdog_deadline) continue;
        if (z->watchdog_deadline <= now) {
            char why[64];
            format(why, sizeof why, "watchdog: still running after %llu ms",
                   static_cast<unsigned long long>(z->watchdog_ms));
            zone_end(*z, ZoneState::crashed, BH_EXIT_WATCHDOG, z->watchdog_ms, why);
        } else if (next == 0 || z->watchdog_deadline < next) {
            next = z->watchdog_deadline;
        }
    }
    __atomic_store_n(&next_watchdog, next, __ATOMIC_RELEASE);
}

void console_input(char c) {
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    if (Zone* z = t.console_zone()) zone_devices_console_input(*z, c);
}

void hold_power() { __atomic_add_fetch(&running_zones, 1, __ATOMIC_ACQ_REL); }

void release_power() {
    if (__atomic_sub_fetch(&running_zones, 1, __ATOMIC_ACQ_REL) == 0) {
        log("all zones have ended; powering off");
        arch::power_off();
    }
}

u64 zone_overhead_bytes(const Zone& z) {
    return (kZoneObjectPages + z.stage2.table_pages()) * kPageSize + arch::zone_arch_bytes(z);
}

} // namespace bh
