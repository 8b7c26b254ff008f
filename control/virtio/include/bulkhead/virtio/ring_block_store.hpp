// SPDX-License-Identifier: GPL-2.0-only
// A disk file served with several transfers in flight through an io_uring
// of its own (liburing), so that a zone's queued requests reach the disk
// below together rather than one after another.
//
// The ring is confined before the backend's seccomp filter is installed:
// it is created disabled, given the disk's descriptor as its only
// registered file, restricted (IORING_REGISTER_RESTRICTIONS) to READV and
// WRITEV on registered files, and only then enabled. The filter allows
// io_uring_enter but neither io_uring_setup nor io_uring_register, so the
// ring, whose operations seccomp does not see, reaches this disk and
// nothing else.
#pragma once

#include <bulkhead/virtio/block_store.hpp>

#include <memory>
#include <string>

namespace bh::virtio {

class RingBlockStore final : public FileBlockStore {
  public:
    static constexpr unsigned kInFlight = 32;

    // Throws std::runtime_error naming the step that failed (a kernel
    // without io_uring says so at io_uring_setup).
    explicit RingBlockStore(int fd);
    ~RingBlockStore() override;
    RingBlockStore(const RingBlockStore&) = delete;
    RingBlockStore& operator=(const RingBlockStore&) = delete;

    unsigned max_in_flight() const override { return kInFlight; }
    void start(const BlockTransfer& t, u32 tag) override;
    void finish(const std::function<void(u32 tag, bool ok)>& done) override;

  private:
    struct Ring;
    std::unique_ptr<Ring> ring_;
};

// The store a backend serves disk `fd` from: a RingBlockStore, or where the
// kernel refuses one, a FileBlockStore moving one transfer at a time;
// `note` says which (and why), for the backend's log. Throws as
// FileBlockStore.
std::unique_ptr<FileBlockStore> open_disk_store(int fd, std::string& note);

} // namespace bh::virtio
