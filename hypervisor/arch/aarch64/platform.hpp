// SPDX-License-Identifier: GPL-2.0-only
// What the boot DTB told us about the machine.
#pragma once

#include <arch/cpu.hpp>
#include <bulkhead/limits.hpp>
#include <bulkhead/types.hpp>

namespace bh::aarch64 {

// A host device the control domain is given (passthrough.cpp): its MMIO
// window and its GIC SPI, as the boot DTB names them.
struct HostDevice {
    u64 base = 0, size = 0;
    u32 intid = 0; // 0: none
};

struct Platform {
    static constexpr unsigned kMaxMemory = 8;
    static constexpr unsigned kMaxVirtio = 32;
    Range<HostPhys> memory[kMaxMemory];
    unsigned memory_count = 0;
    u64 uart = 0x09000000; // QEMU virt's, until the DTB says otherwise
    u32 uart_intid = 0;    // its receive interrupt, 0 if the DTB names none
    u64 rtc = 0;           // a PL031 the wall clock is read from once, 0 if none
    u64 gicd = 0, gicd_size = 0;
    u64 gicr = 0, gicr_size = 0;
    // QEMU virt's virtio-mmio transports (compatible "virtio,mmio").
    HostDevice virtio[kMaxVirtio];
    unsigned virtio_count = 0;
    u64 cpu_mpidr[kMaxCpus] = {};
    unsigned cpu_count = 0;
    const void* manifest = nullptr;
    u64 manifest_size = 0;
    const void* dtb = nullptr;
    u64 dtb_size = 0;
};

Platform& platform();

// Reads the boot DTB; false (after logging why) if it is unusable.
bool platform_probe(const void* dtb);

} // namespace bh::aarch64
