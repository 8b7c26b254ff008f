// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/mmio.hpp>
#include <guest/timer.hpp>
#include <guest/virtio.hpp>

namespace bh::virtio {

static_assert(sizeof(vring_desc) == 16 && sizeof(vring_used_elem) == 8);

namespace {

constexpr u16 kMaxSize = 256; // what a Queue's 4 KiB parts hold
constexpr u64 kVirtMagic = 0x74726976;

volatile vring_desc& desc_at(u64 table, u16 i) { return reinterpret_cast<volatile vring_desc*>(table)[i]; }
volatile vring_avail& avail_of(u64 a) { return *reinterpret_cast<volatile vring_avail*>(a); }
volatile vring_used& used_of(u64 a) { return *reinterpret_cast<volatile vring_used*>(a); }

} // namespace

void Queue::place(u16 queue_index, u16 queue_size, u64 base) {
    index = queue_index;
    size = queue_size <= kMaxSize ? queue_size : kMaxSize;
    desc = base;
    avail = base + 0x1000;
    used = base + 0x2000;
    clear();
}

void Queue::clear() {
    for (u64 a = desc; a < desc + kBytes; a += 8) *reinterpret_cast<volatile u64*>(a) = 0;
    next_avail = 0;
    dmb();
}

void Queue::set_desc_in(u64 table, u16 i, u64 addr, u32 len, u16 flags, u16 next) {
    volatile vring_desc& d = desc_at(table, i);
    d.addr = addr;
    d.len = len;
    d.flags = flags;
    d.next = next;
}

void Queue::set_desc(u16 i, u64 addr, u32 len, u16 flags, u16 next) const {
    set_desc_in(desc, i, addr, len, flags, next);
}

void Queue::publish(u16 head) {
    avail_of(avail).ring[next_avail % size] = head;
    dmb(); // the entry (and its descriptors) before the index that publishes it
    avail_of(avail).idx = ++next_avail;
    dmb(); // the index before the notify that follows
}

void Queue::set_avail_idx(u16 idx) {
    next_avail = idx;
    dmb();
    avail_of(avail).idx = idx;
    dmb();
}

u16 Queue::used_idx() const {
    dmb();
    return used_of(used).idx;
}

u32 Device::read(u32 reg) const { return mmio::read32(base_ + reg); }
void Device::write(u32 reg, u32 value) const { mmio::write32(base_ + reg, value); }

bool Device::wait_present(u32 device_id, u64 ms) const {
    return timer::wait_for(
        [&] {
            return read(VIRTIO_MMIO_MAGIC_VALUE) == kVirtMagic && read(VIRTIO_MMIO_VERSION) == 2 &&
                   read(VIRTIO_MMIO_DEVICE_ID) == device_id;
        },
        ms);
}

bool Device::reset() const {
    write(VIRTIO_MMIO_STATUS, 0);
    return status() == 0;
}

const char* Device::negotiate(u64 features) const {
    if (!reset()) return "Status reads non-zero after the reset";
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    u64 offered = 0;
    for (u32 sel = 0; sel < 2; ++sel) {
        write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
        offered |= u64{read(VIRTIO_MMIO_DEVICE_FEATURES)} << (32 * sel);
    }
    if (features & ~offered) return "the device does not offer every feature asked for";
    for (u32 sel = 0; sel < 2; ++sel) {
        write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
        write(VIRTIO_MMIO_DRIVER_FEATURES, static_cast<u32>(features >> (32 * sel)));
    }
    constexpr u32 kFeaturesOk = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK;
    write(VIRTIO_MMIO_STATUS, kFeaturesOk);
    if (status() != kFeaturesOk) return "FEATURES_OK does not read back";
    return nullptr;
}

bool Device::setup_queue(const Queue& q) const {
    write(VIRTIO_MMIO_QUEUE_SEL, q.index);
    if (read(VIRTIO_MMIO_QUEUE_READY) != 0 || read(VIRTIO_MMIO_QUEUE_NUM_MAX) < q.size) return false;
    write(VIRTIO_MMIO_QUEUE_NUM, q.size);
    write(VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<u32>(q.desc));
    write(VIRTIO_MMIO_QUEUE_DESC_HIGH, static_cast<u32>(q.desc >> 32));
    write(VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<u32>(q.avail));
    write(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, static_cast<u32>(q.avail >> 32));
    write(VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<u32>(q.used));
    write(VIRTIO_MMIO_QUEUE_USED_HIGH, static_cast<u32>(q.used >> 32));
    write(VIRTIO_MMIO_QUEUE_READY, 1);
    return read(VIRTIO_MMIO_QUEUE_READY) == 1;
}

void Device::driver_ok() const {
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
                                  VIRTIO_CONFIG_S_DRIVER_OK);
}

const char* Device::bring_up(u64 features, Queue* queues, u32 count) const {
    if (const char* why = negotiate(features)) return why;
    for (u32 i = 0; i < count; ++i) {
        queues[i].clear();
        if (!setup_queue(queues[i])) return "a queue was refused (QueueReady reads 0)";
    }
    driver_ok();
    if (status() & VIRTIO_CONFIG_S_NEEDS_RESET) return "DEVICE_NEEDS_RESET right after DRIVER_OK";
    return nullptr;
}

} // namespace bh::virtio
