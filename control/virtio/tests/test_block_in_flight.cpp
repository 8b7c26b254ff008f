// SPDX-License-Identifier: GPL-2.0-only
// virtio-blk with several requests in flight: every read and write the
// driver queued together is handed to the store before any completes, each
// is answered as it completes (here in reverse order), no more than the
// store allows are ever in flight, a FLUSH waits for them all, and nothing
// is left in flight when service() returns. Then the same through
// RingBlockStore, the io_uring store the backend uses, on a real file.
#include <bulkhead/virtio/block_device.hpp>
#include <bulkhead/virtio/ring_block_store.hpp>
#include <bulkhead/virtio/split_queue.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "driver_queue.hpp"

using namespace bh::virtio;
using bh::virtio::test::DriverQueue;

namespace {

// A disk in memory whose transfers stay in flight until finish(), which
// completes them last-started first and logs what happened in what order.
class DeferredStore final : public BlockStore {
  public:
    explicit DeferredStore(u64 bytes, unsigned max) : bytes_(bytes, 0), max_(max) {}
    std::vector<u8> bytes_;
    std::vector<std::string> log;
    unsigned most_in_flight = 0;
    u64 fail_offset = ~u64{0}; // a transfer at this offset fails

    u64 size() const override { return bytes_.size(); }
    bool read(u64 offset, std::span<u8> out) override {
        std::memcpy(out.data(), bytes_.data() + offset, out.size());
        return true;
    }
    bool write(u64 offset, std::span<const u8> in) override {
        std::memcpy(bytes_.data() + offset, in.data(), in.size());
        return true;
    }
    bool flush() override {
        log.push_back(pending_.empty() ? "flush" : "flush with transfers in flight");
        return true;
    }
    bool discard(u64, u64) override { return true; }
    bool write_zeroes(u64, u64) override { return true; }

    unsigned max_in_flight() const override { return max_; }
    void start(const BlockTransfer& t, u32 tag) override {
        pending_.push_back({t, tag});
        most_in_flight = std::max(most_in_flight, static_cast<unsigned>(pending_.size()));
        log.push_back(std::string(t.to_disk ? "start write " : "start read ") + std::to_string(t.offset / 512));
    }
    void finish(const std::function<void(u32, bool)>& done) override {
        while (!pending_.empty()) {
            auto [t, tag] = pending_.back();
            pending_.pop_back();
            log.push_back("done " + std::to_string(t.offset / 512));
            done(tag, t.offset != fail_offset && transfer(t));
        }
    }
    bool idle() const { return pending_.empty(); }

  private:
    std::vector<std::pair<BlockTransfer, u32>> pending_;
    unsigned max_;
};

constexpr u64 kBase = 0x10000, kDesc = kBase, kAvail = kBase + 0x1000, kUsed = kBase + 0x2000;
constexpr u64 kHeaders = kBase + 0x3000, kStatuses = kBase + 0x3800, kData = kBase + 0x4000;
constexpr u16 kSize = 64;

struct Rig {
    VectorGuestMemory mem{kBase, 0x80000};
    BlockStore& store;
    BlockDevice dev;
    SplitQueue q{mem, kSize};
    DriverQueue d{mem, kDesc, kAvail, kUsed, kSize};
    u16 next_desc = 0;

    explicit Rig(BlockStore& s) : store(s), dev(s, {}) {
        q.layout() = {kSize, kDesc, kAvail, kUsed};
        REQUIRE(q.start() == DriverError::none);
    }
    // Request i: header at kHeaders + 16 i, status at kStatuses + i, one
    // 512-byte data buffer at kData + 512 i; published, not yet serviced.
    void queue(u16 i, u32 type, u64 sector) {
        virtio_blk_outhdr h{type, 0, sector};
        REQUIRE(mem.write(kHeaders + 16u * i, &h, sizeof h));
        u8 unset = 0xee;
        REQUIRE(mem.write(kStatuses + i, &unset, 1));
        const bool data = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_OUT;
        u16 head = data ? d.write_chain(next_desc, {{kHeaders + 16u * i, 16},
                                                    {kData + 512u * i, 512, type == VIRTIO_BLK_T_IN},
                                                    {kStatuses + i, 1, true}})
                        : d.write_chain(next_desc, {{kHeaders + 16u * i, 16}, {kStatuses + i, 1, true}});
        next_desc = static_cast<u16>(next_desc + (data ? 3 : 2));
        d.publish(head);
    }
    u8 status(u16 i) {
        u8 s = 0;
        REQUIRE(mem.read(kStatuses + i, &s, 1));
        return s;
    }
    void fill(u16 i, u8 value) { std::memset(mem.host(kData + 512u * i), value, 512); }
    u8 data(u16 i) { return *mem.host(kData + 512u * i); }
};

} // namespace

TEST_CASE("virtio-blk: queued reads and writes are all in flight at once and each answered", "[virtio][block]") {
    DeferredStore store(64 * 512, 8);
    Rig r(store);
    for (u16 i = 0; i < 4; ++i) {
        r.fill(i, static_cast<u8>(0x40 + i));
        r.queue(i, VIRTIO_BLK_T_OUT, 10 + i);
    }
    QueueWork w = r.dev.service(0, r.q, 64);
    REQUIRE(w.error == DriverError::none);
    CHECK(w.chains == 4);
    CHECK(store.most_in_flight == 4);
    CHECK(store.log.front() == "start write 10");
    CHECK(store.log[3] == "start write 13");
    CHECK(store.log[4] == "done 13"); // none finished before all four started
    CHECK(store.idle());
    REQUIRE(r.d.used_idx() == 4);
    for (u16 i = 0; i < 4; ++i) {
        CHECK(r.status(i) == VIRTIO_BLK_S_OK);
        CHECK(store.bytes_[(10 + i) * 512] == 0x40 + i);
    }
    // Answered as they completed: last started, first used, each with its
    // own head (writes: the status byte only).
    CHECK(r.d.used_elem(0).id == 9);
    CHECK(r.d.used_elem(0).len == 1);

    for (u16 i = 4; i < 8; ++i) r.queue(i, VIRTIO_BLK_T_IN, 10 + (i - 4));
    w = r.dev.service(0, r.q, 64);
    REQUIRE(w.error == DriverError::none);
    REQUIRE(r.d.used_idx() == 8);
    for (u16 i = 4; i < 8; ++i) {
        CHECK(r.status(i) == VIRTIO_BLK_S_OK);
        CHECK(r.data(i) == 0x40 + (i - 4));
    }
    CHECK(r.d.used_elem(4).len == 513); // a read: data and status
    CHECK(r.dev.stats().bytes_read == 4 * 512);
    CHECK(r.dev.stats().bytes_written == 4 * 512);
}

TEST_CASE("virtio-blk: a flush waits for every transfer in flight", "[virtio][block]") {
    DeferredStore store(64 * 512, 8);
    Rig r(store);
    r.queue(0, VIRTIO_BLK_T_OUT, 1);
    r.queue(1, VIRTIO_BLK_T_OUT, 2);
    r.queue(2, VIRTIO_BLK_T_FLUSH, 0);
    r.queue(3, VIRTIO_BLK_T_OUT, 3);
    REQUIRE(r.dev.service(0, r.q, 64).error == DriverError::none);
    CHECK(store.log == std::vector<std::string>{"start write 1", "start write 2", "done 2", "done 1", "flush",
                                                "start write 3", "done 3"});
    REQUIRE(r.d.used_idx() == 4);
    for (u16 i = 0; i < 4; ++i) CHECK(r.status(i) == VIRTIO_BLK_S_OK);
}

TEST_CASE("virtio-blk: never more in flight than the store takes, and a failed transfer is IOERR alone",
          "[virtio][block]") {
    DeferredStore store(64 * 512, 3);
    store.fail_offset = 5 * 512;
    Rig r(store);
    for (u16 i = 0; i < 10; ++i) r.queue(i, VIRTIO_BLK_T_IN, i);
    // A malformed request among them (a read past the end) is answered at
    // once, without waiting.
    r.queue(10, VIRTIO_BLK_T_IN, 64);
    QueueWork w = r.dev.service(0, r.q, 64);
    REQUIRE(w.error == DriverError::none);
    CHECK(w.chains == 11);
    CHECK(store.most_in_flight == 3);
    CHECK(store.idle());
    REQUIRE(r.d.used_idx() == 11);
    for (u16 i = 0; i < 11; ++i) CHECK(r.status(i) == (i == 5 || i == 10 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK));
    CHECK(r.dev.stats().io_errors == 2);
}

TEST_CASE("virtio-blk: a service budget smaller than the queue leaves nothing in flight", "[virtio][block]") {
    DeferredStore store(64 * 512, 8);
    Rig r(store);
    for (u16 i = 0; i < 6; ++i) r.queue(i, VIRTIO_BLK_T_IN, i);
    QueueWork w = r.dev.service(0, r.q, 4);
    CHECK(w.chains == 4);
    CHECK(w.more);
    CHECK(store.idle());
    CHECK(r.d.used_idx() == 4);
    w = r.dev.service(0, r.q, 4);
    CHECK(w.chains == 2);
    CHECK_FALSE(w.more);
    CHECK(r.d.used_idx() == 6);
}

namespace {

struct TempDisk {
    std::string path;
    int fd = -1;
    explicit TempDisk(u64 bytes) {
        char name[] = "/tmp/bulkhead-ring-XXXXXX";
        fd = ::mkstemp(name);
        REQUIRE(fd >= 0);
        path = name;
        REQUIRE(::ftruncate(fd, static_cast<off_t>(bytes)) == 0);
    }
    ~TempDisk() {
        ::close(fd);
        ::unlink(path.c_str());
    }
};

} // namespace

TEST_CASE("virtio-blk through io_uring: many requests in flight on a real file", "[virtio][block]") {
    TempDisk disk(64 * 512);
    // The host running the tests has io_uring (Debian's kernel does); a
    // ring that cannot be made is a failure here, not a skip.
    RingBlockStore store(disk.fd);
    CHECK(store.max_in_flight() == RingBlockStore::kInFlight);
    Rig r(store);
    for (u16 i = 0; i < 16; ++i) {
        r.fill(i, static_cast<u8>(0x80 + i));
        r.queue(i, VIRTIO_BLK_T_OUT, 20 + i);
    }
    r.queue(16, VIRTIO_BLK_T_FLUSH, 0);
    REQUIRE(r.dev.service(0, r.q, 64).error == DriverError::none);
    REQUIRE(r.d.used_idx() == 17);
    for (u16 i = 0; i < 17; ++i) CHECK(r.status(i) == VIRTIO_BLK_S_OK);
    u8 byte = 0;
    REQUIRE(::pread(disk.fd, &byte, 1, 27 * 512) == 1);
    CHECK(byte == 0x87);

    r.next_desc = 0; // every chain is back
    for (u16 i = 17; i < 33; ++i) r.queue(i, VIRTIO_BLK_T_IN, 20 + (i - 17));
    REQUIRE(r.dev.service(0, r.q, 64).error == DriverError::none);
    REQUIRE(r.d.used_idx() == 33);
    for (u16 i = 17; i < 33; ++i) {
        CHECK(r.status(i) == VIRTIO_BLK_S_OK);
        CHECK(r.data(i) == 0x80 + (i - 17));
    }

    // The file shrinks under the disk: a read of what is gone is an error,
    // not a short success, and the device serves on.
    REQUIRE(::ftruncate(disk.fd, 16 * 512) == 0);
    r.next_desc = 0;
    r.queue(33, VIRTIO_BLK_T_IN, 30);
    r.queue(34, VIRTIO_BLK_T_IN, 1);
    REQUIRE(r.dev.service(0, r.q, 64).error == DriverError::none);
    CHECK(r.status(33) == VIRTIO_BLK_S_IOERR);
    CHECK(r.status(34) == VIRTIO_BLK_S_OK);
}

TEST_CASE("open_disk_store gives a ring store, or says why not", "[virtio][block]") {
    TempDisk disk(8 * 512);
    std::string note;
    auto store = open_disk_store(disk.fd, note);
    CHECK(note == "io_uring, up to 32 requests in flight");
    CHECK(store->max_in_flight() == RingBlockStore::kInFlight);
    CHECK(store->size() == 8 * 512);
}
