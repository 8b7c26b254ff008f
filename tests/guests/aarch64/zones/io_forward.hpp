// SPDX-License-Identifier: GPL-2.0-only
// What the io-forward scenario's server (io_server.cpp) and served zone
// (io_client.cpp) agree on: the slots, registers and values, and the
// words they leave each other in the served zone's RAM.
#pragma once

#include <guest/layout.hpp>
#include <guest/types.hpp>

namespace bh::io_forward {

inline constexpr u64 kSlotBase = 0x0a000000, kSlotSize = 0x200;
inline u64 slot_address(u32 slot) { return kSlotBase + slot * kSlotSize; }
inline constexpr u32 kSlot0Intid = 32 + 16; // slot i raises SPI 16 + i

// virtio-mmio registers (virtio 1.2, 4.2.2) the client touches.
inline constexpr u64 kMagic = 0x000, kDeviceId = 0x008, kQueueNotify = 0x050, kStatus = 0x070, kConfig = 0x100;
inline constexpr u64 kHungOffset = 0x010;       // slot 2: the read the server never completes
inline constexpr u32 kVirtioMagic = 0x74726976; // "virt"
inline constexpr u32 kServedDeviceId = 3;       // console
inline constexpr u32 kNotifies = 3;

// Offsets in the served zone's RAM (4 MiB; its image and stacks are far
// below) and what is written there.
inline constexpr u64 kTokenOffset = 0x300000, kToken = 0x70c3e7a11ab1e001ull; // server -> client, before start
inline constexpr u64 kReplyOffset = 0x300100, kReply = 0x5e7e0fc11e47ull;     // client -> server
inline constexpr u64 kHeldOffset = 0x300200, kHeld = 0x4e1d;                  // server -> client: slot 2 seen

} // namespace bh::io_forward
