// SPDX-License-Identifier: GPL-2.0-only
// Where a virtio-blk device's sectors live: the interface BlockDevice
// serves requests through, and FileBlockStore, a disk image file (or block
// device) read and written with preadv/pwritev. Offsets and lengths reach
// here already checked against size() by the device model; a false return
// is an I/O error the guest sees as VIRTIO_BLK_S_IOERR.
#pragma once

#include <bulkhead/virtio/ints.hpp>

#include <functional>
#include <span>
#include <sys/uio.h>
#include <utility>
#include <vector>

namespace bh::virtio {

// One data transfer between the disk and memory in this process (for
// BlockDevice, the zone's own buffers: no bounce copy). `buffers` and what
// they point at stay valid until the transfer is finished.
struct BlockTransfer {
    bool to_disk = false;
    u64 offset = 0;
    std::span<const iovec> buffers;
};

class BlockStore {
  public:
    virtual ~BlockStore() = default;
    virtual u64 size() const = 0; // bytes, a multiple of 512
    [[nodiscard]] virtual bool read(u64 offset, std::span<u8> out) = 0;
    [[nodiscard]] virtual bool write(u64 offset, std::span<const u8> in) = 0;
    // The whole transfer, now; by default buffer by buffer through
    // read() and write().
    [[nodiscard]] virtual bool transfer(const BlockTransfer& t);

    // Several transfers in flight: start() begins one, and finish() waits
    // for every one started since the last finish() and reports each
    // outcome with the tag it was started with, in any order. At most
    // max_in_flight() are started between two finish() calls. A store
    // that cannot overlap transfers (this default) makes each at once.
    virtual unsigned max_in_flight() const { return 1; }
    virtual void start(const BlockTransfer& t, u32 tag) { finished_.emplace_back(tag, transfer(t)); }
    virtual void finish(const std::function<void(u32 tag, bool ok)>& done);

    // What was written is on stable storage when this returns true.
    [[nodiscard]] virtual bool flush() = 0;
    // The range may be deallocated; it reads as anything afterwards.
    [[nodiscard]] virtual bool discard(u64 offset, u64 len) = 0;
    // The range reads as zeroes afterwards.
    [[nodiscard]] virtual bool write_zeroes(u64 offset, u64 len) = 0;

  protected:
    std::vector<std::pair<u32, bool>> finished_; // by the default start()
};

// A file the store does not own: the backend opened it (read-only when the
// disk is). Its size, rounded down to whole sectors, is the disk's.
class FileBlockStore : public BlockStore {
  public:
    // Throws std::runtime_error if the file's size cannot be read.
    explicit FileBlockStore(int fd);
    u64 size() const override { return size_; }
    bool read(u64 offset, std::span<u8> out) override;
    bool write(u64 offset, std::span<const u8> in) override;
    bool transfer(const BlockTransfer& t) override;
    bool flush() override;
    bool discard(u64 offset, u64 len) override;
    bool write_zeroes(u64 offset, u64 len) override;

    int fd() const { return fd_; }

  private:
    int fd_;
    u64 size_;
};

} // namespace bh::virtio
