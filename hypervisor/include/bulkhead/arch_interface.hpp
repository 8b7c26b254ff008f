// SPDX-License-Identifier: GPL-2.0-only
// What the generic core asks of an architecture. Each arch implements these
// under arch/<name>/; generic code never tests which arch it runs on.
#pragma once

#include <bulkhead/manifest.hpp>
#include <bulkhead/percpu.hpp>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {
class Zone;
struct Vcpu;
struct LinuxLoaded;
} // namespace bh

namespace bh::arch {

// This CPU's entry of the per-CPU table (bulkhead/percpu.hpp: cpu(i),
// online_cpus() are generic).
PerCpu& this_cpu();

// Counter used for time slices and timeouts.
u64 now();
u64 ticks_per_second();
// Programs this CPU's hypervisor timer for `deadline` (0: none).
void set_timer(u64 deadline);
// Makes another CPU take an exit soon and make a scheduling decision
// (its queues changed).
void kick_cpu(unsigned index);
// Makes another CPU take an exit soon so that its loaded vCPU sees a new
// interrupt; no scheduling decision (cheaper: the common IPI path).
void poke_cpu(unsigned index);
// Sleeps until a physical interrupt is pending, then handles it.
void idle_wait();
[[noreturn]] void power_off();

// Zones: per-arch set-up (VMID, virtual counter, interrupt controller,
// per-vCPU hardware state). z.ram and z.vcpu_count are set; on failure
// zone_init undoes its own work.
Status zone_init(Zone& z);
void zone_fini(Zone& z);
// Forgets every guest translation of the zone's stage 2 on every CPU (a
// mapping was removed while it runs: ZONE_UNMAP, a served zone destroyed).
void flush_guest_tlb(Zone& z);
// Hypervisor memory zone_init allocated beyond the Zone object (for the
// per-zone overhead the boot log reports).
u64 zone_arch_bytes(const Zone& z);
// Makes freshly written zone memory visible to a guest running with its
// caches off (clean to the point of coherency, invalidate I-cache).
void sync_guest_memory(HostPhys pa, u64 size);
// Zeroes zone memory (page aligned) the fastest way the CPU has and, like
// sync_guest_memory, makes the zeros what a guest with caches off reads.
void zero_guest_memory(HostPhys pa, u64 size);

// Places a Linux kernel, its initrd and boot information in a created zone
// following the architecture's boot protocol, and points vCPU 0 at it.
Status prepare_linux_zone(Zone& z, const LinuxBoot& l);
// The same for a kernel a manager already loaded into the zone
// (BH_HC_ZONE_BOOT_LINUX): checks the Image and the layout, takes the
// strings from the caller, writes the device tree and points vCPU 0 at the
// kernel. The zone's lock is held and it is CREATED; the ranges are in its
// RAM. not_supported where the arch boots no Linux zones yet. Long work
// (x86-64 moves the kernel file to where it runs) goes in steps of at most
// kManagementStepBytes: `progress` says where the call stands (0 for a new
// one; the arch refuses one beyond its work) and each step advances it;
// `done` once vCPU 0 points at the kernel. Every step checks everything
// again first, and doing a step twice changes nothing.
Status boot_loaded_linux(Zone& z, const LinuxLoaded& l, const Zone& caller, u64& progress, bool& done);

// Raises one of a zone's device interrupt lines (edge: each call is one
// event; the device model calls again while its condition holds).
void raise_zone_interrupt(Zone& z, u32 line);

// vCPUs.
void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg);
void vcpu_load(Vcpu& v);
void vcpu_save(Vcpu& v);
bool vcpu_has_pending_interrupt(const Vcpu& v);
// The counter value at which the blocked vCPU's timer fires, or 0 if none.
u64 vcpu_timer_deadline(const Vcpu& v);
// Called when a blocked vCPU's timer deadline has passed.
void vcpu_timer_expired(Vcpu& v);
void vcpu_inject_external_abort(Vcpu& v, u64 fault_va, bool write, bool instruction);

} // namespace bh::arch
