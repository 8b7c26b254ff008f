// SPDX-License-Identifier: GPL-2.0-only
// The virtio block device (virtio 1.2, 5.2) with one request queue, served
// from a BlockStore. Each request is checked before any sector moves: its
// header (type, sector) in the first 16 device-readable bytes, its status
// in the last device-writable byte; a read's data all device-writable and
// a write's all device-readable, at least a sector; data lengths in whole
// 512-byte sectors; every sector range inside the disk; at most kMaxRequestBytes of
// data (what SEG_MAX and SIZE_MAX promise the driver). A request that
// breaks a rule gets VIRTIO_BLK_S_IOERR, an unknown type or flag
// VIRTIO_BLK_S_UNSUPP, and the device serves on; one with no status byte
// at all cannot be answered and is returned with nothing written (counted
// as malformed). Writes, discards and write-zeroes to a read-only disk
// fail with IOERR. FLUSH completes once the store has synced.
//
// Reads and writes move straight between the zone's buffers and the store
// (no bounce copy: the zone changing its buffers mid-transfer garbles only
// its own data), and up to the store's max_in_flight() of them are in
// flight together; each is answered as it completes, in any order, as
// virtio allows. Every other request first waits for all those in flight
// (so a FLUSH covers every write answered before it, and more), and
// nothing is in flight when service() returns.
#pragma once

#include <bulkhead/virtio/block_store.hpp>
#include <bulkhead/virtio/descriptor_chain.hpp>
#include <bulkhead/virtio/uapi.hpp>
#include <bulkhead/virtio/virtio_device.hpp>

#include <string>
#include <vector>

namespace bh::virtio {

struct BlockOptions {
    bool read_only = false;
    std::string id; // GET_ID's answer: at most 20 bytes are sent
};

struct BlockStats {
    u64 reads = 0, writes = 0, flushes = 0, discards = 0, write_zeroes = 0, get_ids = 0;
    u64 bytes_read = 0, bytes_written = 0;
    u64 io_errors = 0;   // requests answered VIRTIO_BLK_S_IOERR
    u64 unsupported = 0; // answered VIRTIO_BLK_S_UNSUPP
    u64 malformed = 0;   // no status byte: returned unanswered
};

class BlockDevice final : public VirtioDevice {
  public:
    static constexpr u16 kQueueSize = 256;
    static constexpr u32 kSegmentMax = kQueueSize - 2; // data buffers per request (header and status aside)
    static constexpr u32 kSizeMax = 64 * 1024;         // bytes per data buffer, as promised
    static constexpr u64 kMaxRequestBytes = u64{kSegmentMax} * kSizeMax;
    static constexpr u32 kMaxDiscardSegments = 16;
    static constexpr u32 kMaxDiscardSectors = 1u << 22;  // 2 GiB per segment
    static constexpr u32 kIdBytes = VIRTIO_BLK_ID_BYTES; // 20

    // `store` outlives the device.
    BlockDevice(BlockStore& store, BlockOptions options);

    const BlockStats& stats() const { return stats_; }
    u64 capacity_sectors() const { return store_.size() / 512; }

    u32 device_id() const override { return VIRTIO_ID_BLOCK; }
    u64 device_features() const override;
    u16 queue_count() const override { return 1; }
    u16 queue_max_size(u16) const override { return kQueueSize; }
    u32 config_size() const override { return sizeof(virtio_blk_config); }
    u32 config_read(u32 offset, u8 size) const override;
    void config_write(u32, u8, u32) override {} // nothing in it is writable (no CONFIG_WCE)
    void attach(DeviceHost&) override {}
    void activate(u64) override {}
    void reset() override {}
    bool has_work(u16) const override { return false; }
    QueueWork service(u16 queue, SplitQueue& q, u32 max_chains) override;

  private:
    // A read or write handed to the store and not yet answered.
    struct InFlight {
        u16 head = 0;
        bool to_disk = false;
        u64 bytes = 0;
        u8* status = nullptr; // the chain's status byte, in this process
        std::vector<iovec> buffers;
    };

    // The request in chain_: started (true), or to be answered now with
    // `status` and `written` (the used length, status byte aside). Clears
    // `queue_ok` if answering those in flight first failed.
    bool begin(SplitQueue& q, u8& status, u32& written, bool& queue_ok);
    // A read or write in chain_, checked: its data length, or an error status.
    u8 check_data(const virtio_blk_outhdr& h, u64 out_len, u64 in_len, u64& data_len) const;
    // Waits for every transfer in flight and answers each; false if the
    // used ring refused an answer (the queue's error is then set).
    bool finish_in_flight(SplitQueue& q);
    u8 ranges(GuestMemory& mem, u32 type, u64 payload_len);
    bool in_disk(u64 sector, u64 sectors) const;

    BlockStore& store_;
    BlockOptions options_;
    virtio_blk_config config_{};
    BlockStats stats_;
    DescriptorChain chain_;
    std::vector<InFlight> in_flight_; // [0, in_flight_count_) are in flight
    usize in_flight_count_ = 0;
};

} // namespace bh::virtio
