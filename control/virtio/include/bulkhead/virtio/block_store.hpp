// SPDX-License-Identifier: GPL-2.0-only
// Where a virtio-blk device's sectors live: the interface BlockDevice
// serves requests through, and FileBlockStore, a disk image file (or block
// device) read and written with pread/pwrite. Offsets and lengths reach
// here already checked against size() by the device model; a false return
// is an I/O error the guest sees as VIRTIO_BLK_S_IOERR.
#pragma once

#include <bulkhead/virtio/ints.hpp>

#include <span>

namespace bh::virtio {

class BlockStore {
  public:
    virtual ~BlockStore() = default;
    virtual u64 size() const = 0; // bytes, a multiple of 512
    [[nodiscard]] virtual bool read(u64 offset, std::span<u8> out) = 0;
    [[nodiscard]] virtual bool write(u64 offset, std::span<const u8> in) = 0;
    // What was written is on stable storage when this returns true.
    [[nodiscard]] virtual bool flush() = 0;
    // The range may be deallocated; it reads as anything afterwards.
    [[nodiscard]] virtual bool discard(u64 offset, u64 len) = 0;
    // The range reads as zeroes afterwards.
    [[nodiscard]] virtual bool write_zeroes(u64 offset, u64 len) = 0;
};

// A file the store does not own: the backend opened it (read-only when the
// disk is). Its size, rounded down to whole sectors, is the disk's.
class FileBlockStore final : public BlockStore {
  public:
    // Throws std::runtime_error if the file's size cannot be read.
    explicit FileBlockStore(int fd);
    u64 size() const override { return size_; }
    bool read(u64 offset, std::span<u8> out) override;
    bool write(u64 offset, std::span<const u8> in) override;
    bool flush() override;
    bool discard(u64 offset, u64 len) override;
    bool write_zeroes(u64 offset, u64 len) override;

  private:
    int fd_;
    u64 size_;
};

} // namespace bh::virtio
