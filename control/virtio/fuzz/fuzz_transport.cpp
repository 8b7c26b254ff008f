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
// Step in fuzz_steps.hpp; own_a is console input, length u8 and bytes;
// own_b a resize, cols u16 and rows u16; fuzz/make-seeds.py writes the
// seed corpus in this format).
#include <bulkhead/virtio/console_device.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include "fuzz_steps.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace bh::virtio;
using namespace bh::virtio::fuzz;

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
        if (!common_step(op, in, t, mem.raw().data(), shadow.data(), 2, now, may_write_ram)) {
            if (op == own_a) { // console input: length u8, bytes
                u8 buf[255];
                const usize n = in.take(buf, in.byte());
                typed.insert(typed.end(), buf, buf + n);
                console.input_ready();
            } else if (op == own_b) { // a resize: cols u16, rows u16
                console.resize({in.half(), in.half()});
            }
        }
        after_step(t, may_write_ram, mem.raw().data(), shadow.data());
    }
    if (std::getenv("VIRTIO_FUZZ_VERBOSE")) // replaying one input by hand: what became of it
        std::fprintf(stderr, "status %#x error \"%s\" chains %llu sunk %llu received %llu notifies %llu\n", t.status(),
                     describe(t.error()), static_cast<unsigned long long>(t.stats().chains),
                     static_cast<unsigned long long>(sunk), static_cast<unsigned long long>(console.stats().received),
                     static_cast<unsigned long long>(t.stats().notifies));
    return 0;
}
