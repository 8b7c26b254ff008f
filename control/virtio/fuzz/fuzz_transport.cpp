// SPDX-License-Identifier: GPL-2.0-only
// libFuzzer target: arbitrary register accesses, doorbells, guest memory
// contents (written between steps, as a driver on another CPU would),
// console input and resizes, fed to a virtio console behind the virtio-mmio
// transport. Besides ASan/UBSan (the zone's RAM is an exactly sized heap
// vector, so any access outside it is caught), it checks the library's own
// promises after every step:
//  - only process() writes guest memory, and only while the device runs
//    (DRIVER_OK, not DEVICE_NEEDS_RESET); register accesses never do;
//  - process() does at most chains_per_round chains;
//  - InterruptStatus holds only the two defined bits.
//
// Input: a sequence of steps, each an opcode byte and its operands (see
// Step below; fuzz/make-seeds.py writes the seed corpus in this format).
#include <bulkhead/virtio/console_device.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace bh::virtio;

namespace {

constexpr u64 kBase = 0x4000'0000;
constexpr usize kMemSize = 0x2000;
constexpr TransportLimits kLimits{8, 1000, 64};

enum Step : u8 {
    mmio_write,   // offset u16, width u8, value u32
    mmio_read,    // offset u16, width u8
    memory_write, // offset u16, length u8, bytes
    doorbell,     // queue u32
    run,          // elapsed microseconds u16
    input,        // length u8, bytes
    resize,       // cols u16, rows u16
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

void check(bool ok) {
    if (!ok) std::abort(); // libFuzzer reports it with the input
}

u8 width(u8 v) {
    static constexpr u8 kWidths[] = {4, 4, 1, 2, 8, 3};
    return kWidths[v % sizeof kWidths];
}

void write32(MmioTransport& t, u32 offset, u32 value) { t.write(offset, 4, value); }

void do_bring_up(MmioTransport& t, Input& in) {
    const u32 features = in.word();
    write32(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES, features);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    write32(t, VIRTIO_MMIO_DRIVER_FEATURES, 1); // VERSION_1
    write32(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (u32 q = 0; q < 2; ++q) {
        write32(t, VIRTIO_MMIO_QUEUE_SEL, q);
        write32(t, VIRTIO_MMIO_QUEUE_NUM, 1u << (in.byte() % 10));
        write32(t, VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<u32>(kBase + in.half()));
        write32(t, VIRTIO_MMIO_QUEUE_READY, 1);
    }
    write32(t, VIRTIO_MMIO_STATUS, static_cast<u32>(t.read(VIRTIO_MMIO_STATUS, 4)) | VIRTIO_CONFIG_S_DRIVER_OK);
}

bool running(const MmioTransport& t) {
    const u32 s = t.status();
    return (s & VIRTIO_CONFIG_S_DRIVER_OK) && (s & VIRTIO_CONFIG_S_FEATURES_OK) &&
           !(s & (VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FAILED));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const u8* data, usize size) {
    Input in(data, size);
    VectorGuestMemory mem(kBase, kMemSize);
    std::vector<u8> shadow(kMemSize); // what RAM must still hold
    std::vector<u8> typed;            // console input not yet taken
    u64 sunk = 0;

    ConsoleDevice console([&sunk](std::span<const u8> b) { sunk += b.size(); },
                          [&typed](std::span<u8> b) {
                              const usize n = std::min(b.size(), typed.size());
                              if (n == 0) return n; // typed.data() may be null
                              std::memcpy(b.data(), typed.data(), n);
                              typed.erase(typed.begin(), typed.begin() + static_cast<std::ptrdiff_t>(n));
                              return n;
                          },
                          ConsoleSize{80, 25});
    MmioTransport t(
        mem, console, [](Interrupt) {}, kLimits);
    u64 now = 0;

    while (!in.empty()) {
        const u8 op = in.byte() % kSteps;
        bool may_write_ram = false;
        switch (op) {
        case mmio_write: {
            const u16 off = in.half() % 0x220; // a little past the window too
            const u8 w = width(in.byte());
            t.write(off, w, in.word());
            break;
        }
        case mmio_read: {
            const u16 off = in.half() % 0x220;
            const u8 w = width(in.byte());
            const u64 v = t.read(off, w);
            check(w == 8 ? v == 0 : (v >> (8 * w)) == 0); // never more than the access's width
            break;
        }
        case memory_write: {
            const usize off = in.half() % kMemSize;
            const usize len = std::min<usize>(in.byte(), kMemSize - off);
            const usize got = in.take(mem.raw().data() + off, len);
            std::memcpy(shadow.data() + off, mem.raw().data() + off, got);
            break;
        }
        case doorbell: t.notify(in.byte() < 0xf0 ? in.byte() % 3 : in.word()); break;
        case run: {
            now += u64{in.half()} * 1000;
            may_write_ram = running(t);
            const ProcessResult r = t.process(now);
            check(r.chains <= kLimits.chains_per_round);
            break;
        }
        case input: {
            u8 buf[255];
            const usize n = in.take(buf, in.byte());
            typed.insert(typed.end(), buf, buf + n);
            console.input_ready();
            break;
        }
        case resize: console.resize({in.half(), in.half()}); break;
        case bring_up: do_bring_up(t, in); break;
        default: break;
        }
        check((t.interrupt_status() & ~3u) == 0);
        if (may_write_ram) {
            std::memcpy(shadow.data(), mem.raw().data(), kMemSize);
        } else {
            check(std::memcmp(shadow.data(), mem.raw().data(), kMemSize) == 0);
        }
    }
    if (std::getenv("VIRTIO_FUZZ_VERBOSE")) // replaying one input by hand: what became of it
        std::fprintf(stderr, "status %#x error \"%s\" chains %llu sunk %llu received %llu notifies %llu\n", t.status(),
                     describe(t.error()), static_cast<unsigned long long>(t.stats().chains),
                     static_cast<unsigned long long>(sunk), static_cast<unsigned long long>(console.stats().received),
                     static_cast<unsigned long long>(t.stats().notifies));
    return 0;
}
