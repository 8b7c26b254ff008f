// SPDX-License-Identifier: GPL-2.0-only
// What the io-forward scenario's server (io_server.cpp) and served zone
// (io_client.cpp) agree on: the slots, registers and values, and the
// words they leave each other in the served zone's RAM. Both zones are
// the same on either architecture; where the slots are and how their
// interrupts arrive is each architecture's (io_forward_arch.cpp in
// tests/guests/<arch>/zones: the GIC on arm64, the zone's I/O APIC on
// x86-64), as bulkhead/abi/zone_layout.h lays them out.
#pragma once

#include <bulkhead/abi/zone_layout.h>
#include <guest/layout.hpp>
#include <guest/types.hpp>

namespace bh::io_forward {

// The architecture's side (io_forward_arch.cpp).
struct Platform {
    u64 slot_base;     // slot 0's registers
    u32 slot0_line;    // slot 0's interrupt line, as BH_HC_ZONE_IRQ numbers it
    u32 foreign_line;  // a line of the zone that is no slot's (its console's)
    u64 map_at;        // where the server puts the client's RAM: free, 2 MiB aligned
    u64 map_again;     // another such place
    u64 device_window; // a 2 MiB-aligned address in a device window: never for RAM
};
extern const Platform kPlatform;
// The client: slot 0's line taken on this vCPU, calling `handler`;
// interrupts on.
void slot0_interrupts_on(void (*handler)());
// The server: its event line taken on this vCPU, calling `handler`, and a
// periodic timer that ends every wait_for_interrupt() within 10 ms;
// interrupts on. events_off() stops the timer.
void events_on(void (*handler)());
void events_off();
// With interrupts masked: halts until an interrupt is pending (one that
// came since they were masked ends it at once). Interrupts are unmasked
// when it returns.
void wait_for_interrupt();

inline constexpr u64 kSlotSize = BH_VIRTIO_SLOT_SIZE;
inline u64 slot_address(u32 slot) { return kPlatform.slot_base + slot * kSlotSize; }

// virtio-mmio registers (virtio 1.2, 4.2.2) the client touches.
inline constexpr u64 kMagic = 0x000, kDeviceId = 0x008, kQueueNotify = BH_VIRTIO_QUEUE_NOTIFY, kStatus = 0x070,
                     kConfig = 0x100;
inline constexpr u64 kHungOffset = 0x010;       // slot 2: the read the server never completes
inline constexpr u32 kVirtioMagic = 0x74726976; // "virt"
inline constexpr u32 kServedDeviceId = 3;       // console
inline constexpr u32 kNotifies = 3;

// Offsets in the served zone's RAM (4 MiB; its image and stacks are far
// below, x86's start-up page tables at its top above) and what is written
// there.
inline constexpr u64 kTokenOffset = 0x300000, kToken = 0x70c3e7a11ab1e001ull; // server -> client, before start
inline constexpr u64 kReplyOffset = 0x300100, kReply = 0x5e7e0fc11e47ull;     // client -> server
inline constexpr u64 kHeldOffset = 0x300200, kHeld = 0x4e1d;                  // server -> client: slot 2 seen

} // namespace bh::io_forward
