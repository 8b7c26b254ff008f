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
    : store_(store), options_(std::move(options)), bounce_(kBounceSize) {
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
    while (w.chains < max_chains) {
        PopResult r = q.pop(chain_);
        if (r == PopResult::empty) return w;
        if (r == PopResult::error) {
            w.error = q.error();
            return w;
        }
        u32 written = 0;
        if (chain_.writable_bytes == 0) {
            ++stats_.malformed; // nowhere to put a status: returned unanswered
        } else {
            const u8 status = handle(q.memory(), written);
            if (status == VIRTIO_BLK_S_IOERR) ++stats_.io_errors;
            if (status == VIRTIO_BLK_S_UNSUPP) ++stats_.unsupported;
            if (!copy_to_segments(q.memory(), chain_.writable, chain_.writable_bytes - 1,
                                  std::span<const u8>(&status, 1)))
                ++stats_.malformed;
            written += 1;
        }
        if (!q.push_used(chain_.head, written)) {
            w.error = q.error();
            return w;
        }
        ++w.chains;
    }
    w.more = true;
    return w;
}

u8 BlockDevice::handle(GuestMemory& mem, u32& written) {
    written = 0;
    virtio_blk_outhdr h{};
    if (chain_.readable_bytes < kHeaderBytes ||
        !copy_from_segments(mem, chain_.readable, 0, std::span<u8>(reinterpret_cast<u8*>(&h), sizeof h)))
        return VIRTIO_BLK_S_IOERR;
    const u64 out_len = chain_.readable_bytes - kHeaderBytes; // the driver's data after the header
    const u64 in_len = chain_.writable_bytes - 1;             // room before the status byte
    switch (h.type) {
    case VIRTIO_BLK_T_IN: {
        // The data must be the device's to write: a read into buffers it
        // may only read (or into none) is the driver's error, not an
        // empty read.
        if (out_len != 0 || in_len == 0) return VIRTIO_BLK_S_IOERR;
        u8 s = move_sectors(mem, false, h.sector, in_len);
        if (s == VIRTIO_BLK_S_OK) written = static_cast<u32>(in_len);
        return s;
    }
    case VIRTIO_BLK_T_OUT:
        if (options_.read_only) return VIRTIO_BLK_S_IOERR;
        if (in_len != 0 || out_len == 0) return VIRTIO_BLK_S_IOERR; // as IN, the other way round
        return move_sectors(mem, true, h.sector, out_len);
    case VIRTIO_BLK_T_FLUSH: ++stats_.flushes; return store_.flush() ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
    case VIRTIO_BLK_T_GET_ID: {
        ++stats_.get_ids;
        u8 id[kIdBytes] = {};
        std::memcpy(id, options_.id.data(), std::min<usize>(options_.id.size(), kIdBytes));
        const u64 n = std::min<u64>(in_len, kIdBytes);
        if (!copy_to_segments(mem, chain_.writable, 0, std::span<const u8>(id, n))) return VIRTIO_BLK_S_IOERR;
        written = static_cast<u32>(n);
        return VIRTIO_BLK_S_OK;
    }
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        if (options_.read_only) return VIRTIO_BLK_S_IOERR;
        return ranges(mem, h.type, out_len);
    default: return VIRTIO_BLK_S_UNSUPP;
    }
}

// IN and OUT: whole sectors inside the disk, moved a bounce buffer at a
// time between the chain (its writable buffers from the start, or its
// readable ones after the header) and the store.
u8 BlockDevice::move_sectors(GuestMemory& mem, bool to_disk, u64 sector, u64 data_len) {
    if (data_len % kSector != 0 || data_len > kMaxRequestBytes || !in_disk(sector, data_len / kSector))
        return VIRTIO_BLK_S_IOERR;
    ++(to_disk ? stats_.writes : stats_.reads);
    for (u64 done = 0; done < data_len;) {
        const usize n = static_cast<usize>(std::min<u64>(data_len - done, bounce_.size()));
        std::span<u8> piece(bounce_.data(), n);
        const u64 at = sector * kSector + done;
        const bool ok =
            to_disk ? copy_from_segments(mem, chain_.readable, kHeaderBytes + done, piece) && store_.write(at, piece)
                    : store_.read(at, piece) && copy_to_segments(mem, chain_.writable, done, piece);
        if (!ok) return VIRTIO_BLK_S_IOERR;
        done += n;
        (to_disk ? stats_.bytes_written : stats_.bytes_read) += n;
    }
    return VIRTIO_BLK_S_OK;
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
