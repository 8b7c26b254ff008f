// SPDX-License-Identifier: GPL-2.0-only
// libFuzzer target: the virtio block device's request parser and data
// path behind the virtio-mmio transport, driven as fuzz_transport.cpp
// drives the console (register accesses, doorbells, guest memory written
// between steps), on a small disk in memory that can be told to fail.
// Besides ASan/UBSan, after every step it checks:
//  - the device never asks its store for a range outside the disk (the
//    store aborts): every sector range is checked before it is used;
//  - a read-only disk is never written, discarded or zeroed;
//  - only process() writes guest memory, and only while the device runs;
//  - process() does at most chains_per_round chains; InterruptStatus
//    holds only the two defined bits.
//
// Input: a disk size byte (1-64 sectors) and a flags byte (bit 0:
// read-only), then steps (fuzz_steps.hpp); own_a makes the store fail the
// next u8 operations (the IOERR paths), own_b is a config-space read.
#include <bulkhead/virtio/block_device.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include "fuzz_steps.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

using namespace bh::virtio;
using namespace bh::virtio::fuzz;

namespace {

class FuzzStore final : public BlockStore {
  public:
    FuzzStore(u64 sectors, bool read_only) : bytes_(sectors * 512, 0x5a), read_only_(read_only) {}
    u64 size() const override { return bytes_.size(); }
    bool read(u64 offset, std::span<u8> out) override {
        inside(offset, out.size());
        if (failing()) return false;
        std::memcpy(out.data(), bytes_.data() + offset, out.size());
        return true;
    }
    bool write(u64 offset, std::span<const u8> in) override {
        changes(offset, in.size());
        if (failing()) return false;
        std::memcpy(bytes_.data() + offset, in.data(), in.size());
        return true;
    }
    bool flush() override { return !failing(); }
    bool discard(u64 offset, u64 len) override {
        changes(offset, len);
        return !failing();
    }
    bool write_zeroes(u64 offset, u64 len) override {
        changes(offset, len);
        if (failing()) return false;
        std::memset(bytes_.data() + offset, 0, len);
        return true;
    }
    unsigned fail_next = 0;

  private:
    void inside(u64 offset, u64 len) const { check(offset <= bytes_.size() && len <= bytes_.size() - offset); }
    void changes(u64 offset, u64 len) const {
        inside(offset, len);
        check(!read_only_);
    }
    bool failing() {
        if (fail_next == 0) return false;
        --fail_next;
        return true;
    }
    std::vector<u8> bytes_;
    bool read_only_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const u8* data, usize size) {
    Input in(data, size);
    const u64 sectors = in.byte() % 64 + 1;
    const bool read_only = in.byte() & 1;
    VectorGuestMemory mem(kBase, kMemSize);
    std::vector<u8> shadow(kMemSize); // what RAM must still hold
    FuzzStore store(sectors, read_only);
    BlockDevice disk(store, BlockOptions{read_only, "fuzz-disk"});
    MmioTransport t(
        mem, disk, [](Interrupt) {}, kLimits);
    u64 now = 0;

    while (!in.empty()) {
        const u8 op = in.byte() % kSteps;
        bool may_write_ram = false;
        if (!common_step(op, in, t, mem.raw().data(), shadow.data(), 1, now, may_write_ram)) {
            if (op == own_a) {
                store.fail_next = in.byte();
            } else if (op == own_b) { // the configuration space, any width
                const u8 w = width(in.byte());
                const u64 v = t.read(0x100 + in.byte() % 0x40, w);
                check(w == 8 ? v == 0 : (v >> (8 * w)) == 0);
            }
        }
        after_step(t, may_write_ram, mem.raw().data(), shadow.data());
    }
    if (std::getenv("VIRTIO_FUZZ_VERBOSE")) {
        const BlockStats& s = disk.stats();
        std::fprintf(stderr,
                     "status %#x error \"%s\" chains %llu reads %llu writes %llu flushes %llu ioerr %llu unsupp %llu "
                     "malformed %llu\n",
                     t.status(), describe(t.error()), static_cast<unsigned long long>(t.stats().chains),
                     static_cast<unsigned long long>(s.reads), static_cast<unsigned long long>(s.writes),
                     static_cast<unsigned long long>(s.flushes), static_cast<unsigned long long>(s.io_errors),
                     static_cast<unsigned long long>(s.unsupported), static_cast<unsigned long long>(s.malformed));
    }
    return 0;
}
