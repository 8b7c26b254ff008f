// SPDX-License-Identifier: GPL-2.0-only
// What the virtio fuzz targets share: reading an input as steps, the
// driver's bring-up of a transport's queues, and the checks' abort. The
// step opcodes 0-4 and 7 mean the same in every target (make-seeds.py
// writes them); 5 and 6 are each target's own.
#pragma once

#include <bulkhead/virtio/mmio_transport.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace bh::virtio::fuzz {

inline constexpr u64 kBase = 0x4000'0000;
inline constexpr usize kMemSize = 0x2000;
inline constexpr TransportLimits kLimits{8, 1000, 64};

enum Step : u8 {
    mmio_write,   // offset u16, width u8, value u32
    mmio_read,    // offset u16, width u8
    memory_write, // offset u16, length u8, bytes
    doorbell,     // queue u8, or 0xf0 and above: queue u32
    run,          // elapsed microseconds u16
    own_a,        // the target's own (console: input; block: the store fails)
    own_b,        // the target's own (console: resize)
    bring_up,     // features u32, then per queue: log2 size u8, desc u16, avail u16, used u16 (offsets in RAM)
    kSteps
};

class Input {
  public:
    Input(const u8* data, usize size) : p_(data), left_(size) {}
    bool empty() const { return left_ == 0; }
    u8 byte() {
        if (!left_) return 0;
        --left_;
        return *p_++;
    }
    u16 half() { return static_cast<u16>(byte() | byte() << 8); }
    u32 word() { return u32{half()} | u32{half()} << 16; }
    usize take(u8* dst, usize n) {
        n = std::min(n, left_);
        if (n == 0) return 0;
        std::memcpy(dst, p_, n);
        p_ += n;
        left_ -= n;
        return n;
    }

  private:
    const u8* p_;
    usize left_;
};

inline void check(bool ok) {
    if (!ok) std::abort(); // libFuzzer reports it with the input
}

inline u8 width(u8 v) {
    static constexpr u8 kWidths[] = {4, 4, 1, 2, 8, 3};
    return kWidths[v % sizeof kWidths];
}

inline void write32(MmioTransport& t, u32 offset, u32 value) { t.write(offset, 4, value); }

// As a driver would: features (and VERSION_1), then each of `queues`
// queues from the input, then DRIVER_OK.
inline void do_bring_up(MmioTransport& t, Input& in, u32 queues) {
    const u32 features = in.word();
    write32(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES, features);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES, 1); // VERSION_1
    write32(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (u32 q = 0; q < queues; ++q) {
        write32(t, VIRTIO_MMIO_QUEUE_SEL, q);
        write32(t, VIRTIO_MMIO_QUEUE_NUM, 1u << (in.byte() % 10));
        write32(t, VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_READY, 1);
    }
    write32(t, VIRTIO_MMIO_STATUS, static_cast<u32>(t.read(VIRTIO_MMIO_STATUS, 4)) | VIRTIO_CONFIG_S_DRIVER_OK);
}

inline bool running(const MmioTransport& t) {
    const u32 s = t.status();
    return (s & VIRTIO_CONFIG_S_DRIVER_OK) && (s & VIRTIO_CONFIG_S_FEATURES_OK) &&
           !(s & (VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FAILED));
}

// The steps every target shares. Returns false for a step that is the
// target's own (own_a, own_b), which the caller then does. Checks that a
// read never returns more than its width and that process() keeps to its
// round; `may_write_ram` is set when the step was a run of a running device.
inline bool common_step(u8 op, Input& in, MmioTransport& t, u8* ram, u8* shadow, u32 queues, u64& now,
                        bool& may_write_ram) {
    switch (op) {
    case mmio_write: {
        const u16 off = in.half() % 0x220; // a little past the window too
        const u8 w = width(in.byte());
        t.write(off, w, in.word());
        return true;
    }
    case mmio_read: {
        const u16 off = in.half() % 0x220;
        const u8 w = width(in.byte());
        const u64 v = t.read(off, w);
        check(w == 8 ? v == 0 : (v >> (8 * w)) == 0); // never more than the access's width
        return true;
    }
    case memory_write: {
        const usize off = in.half() % kMemSize;
        const usize len = std::min<usize>(in.byte(), kMemSize - off);
        const usize got = in.take(ram + off, len);
        std::memcpy(shadow + off, ram + off, got);
        return true;
    }
    case doorbell: t.notify(in.byte() < 0xf0 ? in.byte() % (queues + 1) : in.word()); return true;
    case run: {
        now += u64{in.half()} * 1000;
        may_write_ram = running(t);
        const ProcessResult r = t.process(now);
        check(r.chains <= kLimits.chains_per_round);
        return true;
    }
    case bring_up: do_bring_up(t, in, queues); return true;
    default: return false;
    }
}

// After every step: InterruptStatus holds only its two bits, and guest
// RAM changed only in a run of a running device (then it is the new shadow).
inline void after_step(const MmioTransport& t, bool may_write_ram, const u8* ram, u8* shadow) {
    check((t.interrupt_status() & ~3u) == 0);
    if (may_write_ram)
        std::memcpy(shadow, ram, kMemSize);
    else
        check(std::memcmp(shadow, ram, kMemSize) == 0);
}

} // namespace bh::virtio::fuzz
