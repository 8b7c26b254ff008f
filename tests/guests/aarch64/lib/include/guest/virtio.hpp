// SPDX-License-Identifier: GPL-2.0-only
// The driver side of a virtio-mmio device (register layout version 2,
// virtio 1.2 4.2.2) with split virtqueues (2.7), as small as a test zone
// needs: reset, feature negotiation, queue set-up with the rings in the
// zone's own RAM, and descriptors, available entries and notifies built
// one at a time, so a test can make them as good or as malformed as it
// likes. Registers go through mmio.hpp; the rings are plain volatile
// accesses to RAM (never trapped). Constants and ring layouts are Linux's
// UAPI headers, as the backend's (control/virtio/uapi.hpp).
#pragma once

#define VIRTIO_RING_NO_LEGACY 1
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include <guest/types.hpp>

namespace bh::virtio {

// The zone's virtio-mmio slot i (QEMU virt's place; bulkhead/virtio_mmio_slots.hpp).
inline constexpr u64 kSlotBase = 0x0a000000;
inline constexpr u64 kSlotSize = 0x200;
inline constexpr u64 slot(u32 i) { return kSlotBase + i * kSlotSize; }

inline constexpr u64 feature(unsigned bit) { return u64{1} << bit; }

// One split virtqueue: its rings at `base` (descriptor table, then the
// available ring 4 KiB on, the used ring 8 KiB on: up to 256 entries) and
// the driver's own copy of avail.idx.
struct Queue {
    static constexpr u64 kBytes = 0x3000; // what place() needs at `base`, 4 KiB aligned

    u16 index = 0;
    u16 size = 0;
    u64 desc = 0, avail = 0, used = 0;
    u16 next_avail = 0;

    // Lays the rings out at `base` and clears them.
    void place(u16 queue_index, u16 queue_size, u64 base);
    // Zero rings and next_avail = 0, as after a device reset.
    void clear();

    // Descriptor i of the queue's table, or of an indirect table at `table`.
    void set_desc(u16 i, u64 addr, u32 len, u16 flags = 0, u16 next = 0) const;
    static void set_desc_in(u64 table, u16 i, u64 addr, u32 len, u16 flags = 0, u16 next = 0);
    // Puts `head` in the next available slot, then bumps avail.idx.
    void publish(u16 head);
    // Writes avail.idx as it is (next_avail follows): however far it goes.
    void set_avail_idx(u16 idx);
    u16 used_idx() const;
};

class Device {
  public:
    explicit constexpr Device(u64 base) : base_(base) {}

    u32 read(u32 reg) const;
    void write(u32 reg, u32 value) const;
    u32 status() const { return read(VIRTIO_MMIO_STATUS); }

    // Polls until the slot holds a version 2 device of `device_id` (a slot
    // nobody serves yet reads DeviceID 0); false after `ms`.
    bool wait_present(u32 device_id, u64 ms) const;
    // Status 0, then reads it back: whether the device took the reset.
    bool reset() const;
    // 3.1.1 steps 1-6 from a reset: ACKNOWLEDGE, DRIVER, `features` (all
    // of them offered), FEATURES_OK, which must read back set. What went
    // wrong, or nullptr.
    const char* negotiate(u64 features) const;
    // Programs `q` and sets QueueReady; whether it reads back 1.
    bool setup_queue(const Queue& q) const;
    void driver_ok() const;
    // All of it: reset, negotiate, each queue, DRIVER_OK. What went wrong, or nullptr.
    const char* bring_up(u64 features, Queue* queues, u32 count) const;
    void notify(u32 queue) const { write(VIRTIO_MMIO_QUEUE_NOTIFY, queue); }

  private:
    u64 base_;
};

} // namespace bh::virtio
