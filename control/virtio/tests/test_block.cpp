// SPDX-License-Identifier: GPL-2.0-only
// The virtio block device model: requests as Linux's virtio_blk builds
// them (header, data, status in separate buffers, or run together), and
// every malformed one answered with IOERR or UNSUPP, or returned
// unanswered when it has no status byte, with the disk untouched and the
// device serving on.
#include <bulkhead/virtio/block_device.hpp>
#include <bulkhead/virtio/split_queue.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "driver_queue.hpp"

using namespace bh::virtio;
using bh::virtio::test::Buffer;
using bh::virtio::test::DriverQueue;

namespace {

// A disk in memory that can be told to fail, and that remembers flushes.
class MemoryStore final : public BlockStore {
  public:
    explicit MemoryStore(u64 bytes) : bytes_(bytes, 0) {}
    std::vector<u8> bytes_;
    bool fail = false;
    unsigned flushed = 0;
    std::vector<std::pair<u64, u64>> discarded;

    u64 size() const override { return bytes_.size(); }
    bool read(u64 offset, std::span<u8> out) override {
        if (fail) return false;
        std::memcpy(out.data(), bytes_.data() + offset, out.size());
        return true;
    }
    bool write(u64 offset, std::span<const u8> in) override {
        if (fail) return false;
        std::memcpy(bytes_.data() + offset, in.data(), in.size());
        return true;
    }
    bool flush() override {
        ++flushed;
        return !fail;
    }
    bool discard(u64 offset, u64 len) override {
        discarded.emplace_back(offset, len);
        return !fail;
    }
    bool write_zeroes(u64 offset, u64 len) override {
        if (fail) return false;
        std::memset(bytes_.data() + offset, 0, len);
        return true;
    }
};

constexpr u64 kBase = 0x10000, kDesc = kBase, kAvail = kBase + 0x1000, kUsed = kBase + 0x2000;
constexpr u64 kHeader = kBase + 0x3000, kStatus = kBase + 0x3800, kData = kBase + 0x4000;
constexpr u16 kSize = 16;

struct Rig {
    VectorGuestMemory mem{kBase, 0x40000};
    MemoryStore store{64 * 512};
    BlockDevice dev;
    SplitQueue q{mem, kSize};
    DriverQueue d{mem, kDesc, kAvail, kUsed, kSize};
    u16 next = 0;

    explicit Rig(BlockOptions o = {}) : dev(store, std::move(o)) {
        q.layout() = {kSize, kDesc, kAvail, kUsed};
        REQUIRE(q.start() == DriverError::none);
    }
    void header(u32 type, u64 sector) {
        virtio_blk_outhdr h{type, 0, sector};
        REQUIRE(mem.write(kHeader, &h, sizeof h));
    }
    // Publishes `buffers` as one chain and services the queue: the used
    // length, and the status byte at kStatus.
    u32 submit(std::initializer_list<Buffer> buffers) {
        if (next + buffers.size() > kSize) next = 0; // the earlier chains are all back
        u16 head = d.write_chain(next, buffers);
        next = static_cast<u16>(next + buffers.size());
        d.publish(head);
        u16 before = d.used_idx();
        QueueWork w = dev.service(0, q, 8);
        REQUIRE(w.error == DriverError::none);
        REQUIRE(d.used_idx() == static_cast<u16>(before + 1));
        return d.used_elem(before).len;
    }
    u8 status() {
        u8 s = 0xee;
        REQUIRE(mem.read(kStatus, &s, 1));
        return s;
    }
    void clear_status() {
        u8 s = 0xee;
        REQUIRE(mem.write(kStatus, &s, 1));
    }
};

std::vector<u8> pattern(usize n, u8 seed) {
    std::vector<u8> v(n);
    for (usize i = 0; i < n; ++i) v[i] = static_cast<u8>(seed + i * 7);
    return v;
}

} // namespace

TEST_CASE("virtio-blk: the configuration tells the driver the disk's size and limits", "[virtio][block]") {
    Rig r;
    CHECK(r.dev.device_id() == VIRTIO_ID_BLOCK);
    CHECK(r.dev.config_read(0, 4) == 64); // capacity in sectors, low word
    CHECK(r.dev.config_read(4, 4) == 0);
    CHECK(r.dev.config_read(offsetof(virtio_blk_config, seg_max), 4) == BlockDevice::kSegmentMax);
    CHECK(r.dev.config_read(offsetof(virtio_blk_config, blk_size), 4) == 512);
    CHECK((r.dev.device_features() >> VIRTIO_BLK_F_FLUSH & 1) == 1);
    CHECK((r.dev.device_features() >> VIRTIO_BLK_F_DISCARD & 1) == 1);
    CHECK((r.dev.device_features() >> VIRTIO_BLK_F_RO & 1) == 0);
    Rig ro(BlockOptions{true, "x"});
    CHECK((ro.dev.device_features() >> VIRTIO_BLK_F_RO & 1) == 1);
    CHECK((ro.dev.device_features() >> VIRTIO_BLK_F_WRITE_ZEROES & 1) == 0);
}

TEST_CASE("virtio-blk: writes reach the disk and reads bring them back, across buffers", "[virtio][block]") {
    Rig r;
    auto data = pattern(1536, 3);
    REQUIRE(r.mem.write(kData, data.data(), data.size()));
    r.header(VIRTIO_BLK_T_OUT, 5);
    // Data split 1000 + 536 bytes: buffers need not be sector-sized.
    CHECK(r.submit({{kHeader, 16}, {kData, 1000}, {kData + 1000, 536}, {kStatus, 1, true}}) == 1);
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    CHECK(std::memcmp(r.store.bytes_.data() + 5 * 512, data.data(), data.size()) == 0);

    r.clear_status();
    r.header(VIRTIO_BLK_T_IN, 5);
    CHECK(r.submit({{kHeader, 16}, {kData + 0x2000, 512, true}, {kData + 0x3000, 1024, true}, {kStatus, 1, true}}) ==
          1537);
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    std::vector<u8> back(1536);
    REQUIRE(r.mem.read(kData + 0x2000, back.data(), 512));
    REQUIRE(r.mem.read(kData + 0x3000, back.data() + 512, 1024));
    CHECK(back == data);

    SECTION("the status may share the last data buffer") {
        r.clear_status();
        r.header(VIRTIO_BLK_T_IN, 5);
        CHECK(r.submit({{kHeader, 16}, {kStatus - 512, 513, true}}) == 513);
        CHECK(r.status() == VIRTIO_BLK_S_OK);
    }
    CHECK(r.dev.stats().bytes_written == 1536);
    CHECK(r.dev.stats().bytes_read >= 1536);
}

TEST_CASE("virtio-blk: flush syncs the store before it completes, and GET_ID answers 20 bytes", "[virtio][block]") {
    Rig r(BlockOptions{false, "zone-disk-0"});
    r.header(VIRTIO_BLK_T_FLUSH, 0);
    CHECK(r.submit({{kHeader, 16}, {kStatus, 1, true}}) == 1);
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    CHECK(r.store.flushed == 1);
    r.store.fail = true;
    r.submit({{kHeader, 16}, {kStatus, 1, true}});
    CHECK(r.status() == VIRTIO_BLK_S_IOERR);
    r.store.fail = false;

    r.header(VIRTIO_BLK_T_GET_ID, 0);
    CHECK(r.submit({{kHeader, 16}, {kData, 20, true}, {kStatus, 1, true}}) == 21);
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    char id[21] = {};
    REQUIRE(r.mem.read(kData, id, 20));
    CHECK(std::string(id) == "zone-disk-0");
}

TEST_CASE("virtio-blk: discard and write-zeroes take checked ranges", "[virtio][block]") {
    Rig r;
    std::memset(r.store.bytes_.data(), 0xab, r.store.bytes_.size());
    virtio_blk_discard_write_zeroes ranges[2] = {{2, 3, 0}, {10, 1, 0}};
    REQUIRE(r.mem.write(kData, ranges, sizeof ranges));
    r.header(VIRTIO_BLK_T_WRITE_ZEROES, 0);
    CHECK(r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}}) == 1);
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    CHECK(r.store.bytes_[2 * 512] == 0);
    CHECK(r.store.bytes_[5 * 512 - 1] == 0);
    CHECK(r.store.bytes_[5 * 512] == 0xab);
    CHECK(r.store.bytes_[10 * 512 + 100] == 0);

    r.header(VIRTIO_BLK_T_DISCARD, 0);
    r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}});
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    REQUIRE(r.store.discarded.size() == 2);
    CHECK(r.store.discarded[0] == std::pair<u64, u64>{2 * 512, 3 * 512});

    SECTION("unmap is for write-zeroes only; other flags are unsupported") {
        ranges[1].flags = VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP;
        REQUIRE(r.mem.write(kData, ranges, sizeof ranges));
        r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}});
        CHECK(r.status() == VIRTIO_BLK_S_UNSUPP);
        CHECK(r.store.discarded.size() == 2); // neither range carried out
        r.header(VIRTIO_BLK_T_WRITE_ZEROES, 0);
        r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}});
        CHECK(r.status() == VIRTIO_BLK_S_OK);
        ranges[1].flags = 2;
        REQUIRE(r.mem.write(kData, ranges, sizeof ranges));
        r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}});
        CHECK(r.status() == VIRTIO_BLK_S_UNSUPP);
    }
    SECTION("a range past the end refuses the whole request") {
        std::memset(r.store.bytes_.data(), 0xab, r.store.bytes_.size());
        ranges[1] = {63, 2, 0};
        REQUIRE(r.mem.write(kData, ranges, sizeof ranges));
        r.header(VIRTIO_BLK_T_WRITE_ZEROES, 0);
        r.submit({{kHeader, 16}, {kData, sizeof ranges}, {kStatus, 1, true}});
        CHECK(r.status() == VIRTIO_BLK_S_IOERR);
        CHECK(r.store.bytes_[2 * 512] == 0xab); // the first, valid range was not done either
    }
}

TEST_CASE("virtio-blk: malformed requests get IOERR or UNSUPP, leave the disk alone, and the device serves on",
          "[virtio][block][security]") {
    Rig r;
    std::memset(r.store.bytes_.data(), 0x5a, r.store.bytes_.size());
    const std::vector<u8> disk = r.store.bytes_;
    auto data = pattern(4096, 9);
    REQUIRE(r.mem.write(kData, data.data(), data.size()));
    r.clear_status();
    u8 expect = VIRTIO_BLK_S_IOERR;
    SECTION("a write past the end") {
        r.header(VIRTIO_BLK_T_OUT, 63);
        r.submit({{kHeader, 16}, {kData, 1024}, {kStatus, 1, true}});
    }
    SECTION("a sector number that wraps") {
        r.header(VIRTIO_BLK_T_OUT, ~u64{0} - 1);
        r.submit({{kHeader, 16}, {kData, 1024}, {kStatus, 1, true}});
    }
    SECTION("a length that is not whole sectors") {
        r.header(VIRTIO_BLK_T_OUT, 1);
        r.submit({{kHeader, 16}, {kData, 700}, {kStatus, 1, true}});
    }
    SECTION("a read past the end") {
        r.header(VIRTIO_BLK_T_IN, 64);
        CHECK(r.submit({{kHeader, 16}, {kData, 512, true}, {kStatus, 1, true}}) == 1);
    }
    SECTION("a header shorter than 16 bytes") {
        r.header(VIRTIO_BLK_T_OUT, 1);
        r.submit({{kHeader, 8}, {kStatus, 1, true}});
    }
    SECTION("an unknown type") {
        r.header(77, 1);
        r.submit({{kHeader, 16}, {kData, 512}, {kStatus, 1, true}});
        expect = VIRTIO_BLK_S_UNSUPP;
    }
    SECTION("a discard payload that is not whole ranges") {
        r.header(VIRTIO_BLK_T_DISCARD, 0);
        r.submit({{kHeader, 16}, {kData, 20}, {kStatus, 1, true}});
    }
    SECTION("too many discard ranges") {
        r.header(VIRTIO_BLK_T_DISCARD, 0);
        r.submit({{kHeader, 16}, {kData, 16 * (BlockDevice::kMaxDiscardSegments + 1)}, {kStatus, 1, true}});
    }
    SECTION("the store failing") {
        r.store.fail = true;
        r.header(VIRTIO_BLK_T_IN, 1);
        r.submit({{kHeader, 16}, {kData + 0x2000, 512, true}, {kStatus, 1, true}});
    }
    SECTION("a read whose data buffer the device may only read") {
        r.header(VIRTIO_BLK_T_IN, 1);
        CHECK(r.submit({{kHeader, 16}, {kData, 512}, {kStatus, 1, true}}) == 1);
    }
    SECTION("a read with no data buffer") {
        r.header(VIRTIO_BLK_T_IN, 1);
        r.submit({{kHeader, 16}, {kStatus, 1, true}});
    }
    SECTION("a write whose data buffer the device may write instead of read") {
        r.header(VIRTIO_BLK_T_OUT, 1);
        CHECK(r.submit({{kHeader, 16}, {kData, 512, true}, {kStatus, 1, true}}) == 1);
    }
    SECTION("no status byte at all: returned unanswered") {
        r.header(VIRTIO_BLK_T_OUT, 1);
        CHECK(r.submit({{kHeader, 16}, {kData, 512}}) == 0);
        CHECK(r.dev.stats().malformed == 1);
        expect = 0xee; // nothing written there
    }
    CHECK(r.status() == expect);
    CHECK(r.store.bytes_ == disk);
    // And the next, well-formed request is served.
    r.store.fail = false;
    r.header(VIRTIO_BLK_T_OUT, 1);
    r.submit({{kHeader, 16}, {kData, 512}, {kStatus, 1, true}});
    CHECK(r.status() == VIRTIO_BLK_S_OK);
    CHECK(std::memcmp(r.store.bytes_.data() + 512, data.data(), 512) == 0);
}

TEST_CASE("virtio-blk: a read-only disk refuses every change", "[virtio][block][security]") {
    Rig r(BlockOptions{true, ""});
    const std::vector<u8> disk = r.store.bytes_;
    auto data = pattern(512, 1);
    REQUIRE(r.mem.write(kData, data.data(), data.size()));
    for (u32 type : {u32{VIRTIO_BLK_T_OUT}, u32{VIRTIO_BLK_T_DISCARD}, u32{VIRTIO_BLK_T_WRITE_ZEROES}}) {
        virtio_blk_discard_write_zeroes range{0, 1, 0};
        if (type != VIRTIO_BLK_T_OUT) REQUIRE(r.mem.write(kData, &range, sizeof range));
        r.header(type, 0);
        r.submit({{kHeader, 16}, {kData, type == VIRTIO_BLK_T_OUT ? 512u : 16u}, {kStatus, 1, true}});
        CHECK(r.status() == VIRTIO_BLK_S_IOERR);
    }
    CHECK(r.store.bytes_ == disk);
    CHECK(r.store.discarded.empty());
    r.header(VIRTIO_BLK_T_IN, 0);
    r.submit({{kHeader, 16}, {kData, 512, true}, {kStatus, 1, true}});
    CHECK(r.status() == VIRTIO_BLK_S_OK);
}

TEST_CASE("virtio-blk: the file store reads, writes, syncs and zeroes a real file", "[virtio][block]") {
    char path[] = "/tmp/bulkhead-blk-XXXXXX";
    int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::unlink(path);
    REQUIRE(::ftruncate(fd, 8192 + 100) == 0); // a partial sector at the end is not the disk's
    FileBlockStore s(fd);
    CHECK(s.size() == 8192);
    auto data = pattern(1024, 5);
    CHECK(s.write(1024, data));
    std::vector<u8> back(1024);
    CHECK(s.read(1024, back));
    CHECK(back == data);
    CHECK(s.flush());
    CHECK(s.write_zeroes(1024, 512));
    CHECK(s.read(1024, back));
    CHECK(back[0] == 0);
    CHECK(back[511] == 0);
    CHECK(back[512] == data[512]);
    CHECK(s.discard(0, 4096));
    ::close(fd);
}
