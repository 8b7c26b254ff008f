// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/block_device.hpp>
#include <bulkhead/virtio/chain_io.hpp>
#include <bulkhead/virtio/guest_memory.hpp>
#include <bulkhead/virtio/split_queue.hpp>

#include <algorithm>
#include <cstring>
#include <span>

namespace bh::virtio {

namespace {

constexpr u64 kSector = 512;
constexpr u64 kHeaderBytes = sizeof(virtio_blk_outhdr); // type, ioprio, sector
static_assert(kHeaderBytes == 16 && sizeof(virtio_blk_discard_write_zeroes) == 16);

constexpr u64 bit(unsigned n) { return u64{1} << n; }

} // namespace

BlockDevice::BlockDevice(BlockStore& store, BlockOptions options)
    : store_(store), options_(std::move(options)), in_flight_(std::max(1u, store.max_in_flight())) {
    // Little-endian fields, as virtio 1.x has them (both our targets are).
    config_.capacity = capacity_sectors();
    config_.size_max = kSizeMax;
    config_.seg_max = kSegmentMax;
    config_.blk_size = kSector;
    config_.max_discard_sectors = kMaxDiscardSectors;
    config_.max_discard_seg = kMaxDiscardSegments;
    config_.discard_sector_alignment = 1;
    config_.max_write_zeroes_sectors = kMaxDiscardSectors;
    config_.max_write_zeroes_seg = kMaxDiscardSegments;
    config_.write_zeroes_may_unmap = 1;
}

u64 BlockDevice::device_features() const {
    u64 f =
        bit(VIRTIO_BLK_F_SIZE_MAX) | bit(VIRTIO_BLK_F_SEG_MAX) | bit(VIRTIO_BLK_F_BLK_SIZE) | bit(VIRTIO_BLK_F_FLUSH);
    if (options_.read_only) return f | bit(VIRTIO_BLK_F_RO);
    return f | bit(VIRTIO_BLK_F_DISCARD) | bit(VIRTIO_BLK_F_WRITE_ZEROES);
}

u32 BlockDevice::config_read(u32 offset, u8 size) const {
    u32 v = 0;
    std::memcpy(&v, reinterpret_cast<const u8*>(&config_) + offset, size);
    return v;
}

bool BlockDevice::in_disk(u64 sector, u64 sectors) const {
    const u64 cap = capacity_sectors();
    return sector <= cap && sectors <= cap - sector;
}

QueueWork BlockDevice::service(u16 queue, SplitQueue& q, u32 max_chains) {
    QueueWork w;
    if (queue != 0) return w;
    bool ok = true;
    while (ok && w.chains < max_chains) {
        PopResult r = q.pop(chain_);
        if (r == PopResult::empty) break;
        if (r == PopResult::error) {
            ok = false;
            break;
        }
        ++w.chains;
        if (chain_.writable_bytes == 0) {
            ++stats_.malformed; // nowhere to put a status: returned unanswered
            ok = q.push_used(chain_.head, 0);
            continue;
        }
        u8 status = VIRTIO_BLK_S_OK;
        u32 written = 0;
        if (begin(q, status, written, ok)) {
            if (in_flight_count_ == in_flight_.size()) ok = finish_in_flight(q);
            continue;
        }
        if (status == VIRTIO_BLK_S_IOERR) ++stats_.io_errors;
        if (status == VIRTIO_BLK_S_UNSUPP) ++stats_.unsupported;
        if (!copy_to_segments(q.memory(), chain_.writable, chain_.writable_bytes - 1, std::span<const u8>(&status, 1)))
            ++stats_.malformed;
        ok = q.push_used(chain_.head, written + 1);
    }
    // Nothing stays in flight past here: the transfers point into the zone's RAM.
    if (!finish_in_flight(q)) ok = false;
    if (!ok) {
        w.error = q.error();
        return w;
    }
    w.more = w.chains == max_chains;
    return w;
}

bool BlockDevice::begin(SplitQueue& q, u8& status, u32& written, bool& queue_ok) {
    GuestMemory& mem = q.memory();
    written = 0;
    virtio_blk_outhdr h{};
    if (chain_.readable_bytes < kHeaderBytes ||
        !copy_from_segments(mem, chain_.readable, 0, std::span<u8>(reinterpret_cast<u8*>(&h), sizeof h))) {
        status = VIRTIO_BLK_S_IOERR;
        return false;
    }
    const u64 out_len = chain_.readable_bytes - kHeaderBytes; // the driver's data after the header
    const u64 in_len = chain_.writable_bytes - 1;             // room before the status byte
    if (h.type == VIRTIO_BLK_T_IN || h.type == VIRTIO_BLK_T_OUT) {
        u64 data_len = 0;
        status = check_data(h, out_len, in_len, data_len);
        if (status != VIRTIO_BLK_S_OK) return false;
        const bool to_disk = h.type == VIRTIO_BLK_T_OUT;
        InFlight& f = in_flight_[in_flight_count_];
        std::vector<iovec> status_at;
        // The chain was checked to lie in the zone's RAM, so both mappings
        // succeed; a failure is answered as any other I/O error.
        if (!map_segments(mem, to_disk ? chain_.readable : chain_.writable, to_disk ? kHeaderBytes : 0, data_len,
                          f.buffers) ||
            !map_segments(mem, chain_.writable, in_len, 1, status_at)) {
            status = VIRTIO_BLK_S_IOERR;
            return false;
        }
        f.head = chain_.head;
        f.to_disk = to_disk;
        f.bytes = data_len;
        f.status = static_cast<u8*>(status_at[0].iov_base);
        ++(to_disk ? stats_.writes : stats_.reads);
        store_.start(BlockTransfer{to_disk, h.sector * kSector, f.buffers}, static_cast<u32>(in_flight_count_));
        ++in_flight_count_;
        return true;
    }
    // Anything else waits for the transfers in flight: a FLUSH must cover
    // every write answered so far, and the rest are rare.
    if (!finish_in_flight(q)) queue_ok = false;
    switch (h.type) {
    case VIRTIO_BLK_T_FLUSH:
        ++stats_.flushes;
        status = store_.flush() ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        return false;
    case VIRTIO_BLK_T_GET_ID: {
        ++stats_.get_ids;
        u8 id[kIdBytes] = {};
        std::memcpy(id, options_.id.data(), std::min<usize>(options_.id.size(), kIdBytes));
        const u64 n = std::min<u64>(in_len, kIdBytes);
        if (!copy_to_segments(mem, chain_.writable, 0, std::span<const u8>(id, n))) {
            status = VIRTIO_BLK_S_IOERR;
            return false;
        }
        written = static_cast<u32>(n);
        status = VIRTIO_BLK_S_OK;
        return false;
    }
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        status = options_.read_only ? VIRTIO_BLK_S_IOERR : ranges(mem, h.type, out_len);
        return false;
    default: status = VIRTIO_BLK_S_UNSUPP; return false;
    }
}

u8 BlockDevice::check_data(const virtio_blk_outhdr& h, u64 out_len, u64 in_len, u64& data_len) const {
    if (h.type == VIRTIO_BLK_T_IN) {
        // The data must be the device's to write: a read into buffers it
        // may only read (or into none) is the driver's error, not an
        // empty read.
        if (out_len != 0 || in_len == 0) return VIRTIO_BLK_S_IOERR;
        data_len = in_len;
    } else {
        if (options_.read_only) return VIRTIO_BLK_S_IOERR;
        if (in_len != 0 || out_len == 0) return VIRTIO_BLK_S_IOERR; // as IN, the other way round
        data_len = out_len;
    }
    if (data_len % kSector != 0 || data_len > kMaxRequestBytes || !in_disk(h.sector, data_len / kSector))
        return VIRTIO_BLK_S_IOERR;
    return VIRTIO_BLK_S_OK;
}

bool BlockDevice::finish_in_flight(SplitQueue& q) {
    if (in_flight_count_ == 0) return true;
    bool pushed = true;
    store_.finish([&](u32 tag, bool ok) {
        if (tag >= in_flight_count_) return; // not one of ours: cannot happen
        InFlight& f = in_flight_[tag];
        u32 written = 0;
        if (ok) {
            (f.to_disk ? stats_.bytes_written : stats_.bytes_read) += f.bytes;
            if (!f.to_disk) written = static_cast<u32>(f.bytes);
        } else {
            ++stats_.io_errors;
        }
        *f.status = ok ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        // Every answer is pushed even after one is refused: the
        // transfers have happened and the queue's error is already set.
        if (!q.push_used(f.head, written + 1)) pushed = false;
    });
    in_flight_count_ = 0;
    return pushed;
}

// DISCARD and WRITE_ZEROES: the payload is whole 16-byte ranges, each
// checked before any is carried out.
u8 BlockDevice::ranges(GuestMemory& mem, u32 type, u64 payload_len) {
    const bool zeroes = type == VIRTIO_BLK_T_WRITE_ZEROES;
    const u64 count = payload_len / sizeof(virtio_blk_discard_write_zeroes);
    if (payload_len == 0 || payload_len % sizeof(virtio_blk_discard_write_zeroes) != 0 || count > kMaxDiscardSegments)
        return VIRTIO_BLK_S_IOERR;
    virtio_blk_discard_write_zeroes r[kMaxDiscardSegments];
    if (!copy_from_segments(mem, chain_.readable, kHeaderBytes,
                            std::span<u8>(reinterpret_cast<u8*>(r), count * sizeof r[0])))
        return VIRTIO_BLK_S_IOERR;
    for (u64 i = 0; i < count; ++i) {
        // 5.2.6.2: unmap is only defined for WRITE_ZEROES; other flag bits are reserved.
        const u32 allowed = zeroes ? VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP : 0;
        if (r[i].flags & ~allowed) return VIRTIO_BLK_S_UNSUPP;
        if (r[i].num_sectors > kMaxDiscardSectors || !in_disk(r[i].sector, r[i].num_sectors)) return VIRTIO_BLK_S_IOERR;
    }
    for (u64 i = 0; i < count; ++i) {
        const u64 at = r[i].sector * kSector, len = u64{r[i].num_sectors} * kSector;
        if (len == 0) continue;
        if (!(zeroes ? store_.write_zeroes(at, len) : store_.discard(at, len))) return VIRTIO_BLK_S_IOERR;
    }
    ++(zeroes ? stats_.write_zeroes : stats_.discards);
    return VIRTIO_BLK_S_OK;
}

} // namespace bh::virtio
