// SPDX-License-Identifier: GPL-2.0-only
// Per-zone x86-64 state.
#pragma once

#include <arch/cmos_rtc.hpp>
#include <arch/vioapic.hpp>
#include <arch/x86_paging.hpp>
#include <bulkhead/log_sampler.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>
#include <bulkhead/uart16550.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>

namespace bh::arch {

using Stage2Format = x86_64::Stage2Format;

// An x86 zone's devices are a PC's: its console a 16550 at I/O port 0x3f8
// (interrupt: I/O APIC pin 4), its vCPUs' local APICs and its I/O APIC
// (vcpu_interrupts.hpp), a CMOS RTC, an i8042 for the reset line, fixed
// answers at the legacy ports Linux touches (legacy_ports.hpp) and the 32
// virtio-mmio slots at 0xfeb00000 (I/O APIC pins 24-55); zone_init enters
// them in its device registry.

struct ZoneContext {
    u32 asid = 0;                         // SVM address-space ID (VPID on VMX)
    GuestPhys boot_tables;                // the identity map vCPUs start with (top of RAM)
    LogSampler ports_logged;              // accesses to unassigned I/O ports, string I/O
    LogSampler msrs_logged;               // refused MSR accesses
    LogSampler ipis_logged;               // IPIs of a kind zones cannot send
    LogSampler hypercalls_refused_logged; // hypercalls from CPL > 0
    // The zone's I/O APIC: its device lines (the console's is ISA IRQ 4)
    // become local-APIC interrupts. The lock serialises its registers.
    Spinlock ioapic_lock{LockLevel::irq_controller};
    x86_64::VirtualIoApic ioapic;
    Uart16550 uart;
    x86_64::CmosRtc rtc;
    VirtioMmioSlots virtio;
};

} // namespace bh::arch
