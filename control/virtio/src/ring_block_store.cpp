// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/ring_block_store.hpp>

#include <cerrno>
#include <climits>
#include <cstring>
#include <liburing.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace bh::virtio {

namespace {

std::runtime_error ring_error(const char* step, int negative_errno) {
    return std::runtime_error(std::string("io_uring: ") + step + ": " + std::strerror(-negative_errno));
}

} // namespace

struct RingBlockStore::Ring {
    io_uring ring{};
    bool live = false;   // set up: io_uring_queue_exit owed
    bool broken = false; // the ring failed: transfers are made at once from then on
    struct Started {
        BlockTransfer transfer;
        u32 tag = 0;
        u64 bytes = 0;
        bool reaped = false;
    };
    std::vector<Started> started;              // index = the SQE's user data
    std::vector<std::pair<u32, bool>> at_once; // made without the ring

    ~Ring() {
        if (live) io_uring_queue_exit(&ring);
    }
};

RingBlockStore::RingBlockStore(int fd) : FileBlockStore(fd), ring_(std::make_unique<Ring>()) {
    io_uring_params params{};
    params.flags = IORING_SETUP_R_DISABLED;
    int rc = io_uring_queue_init_params(kInFlight, &ring_->ring, &params);
    if (rc < 0) throw ring_error("io_uring_setup", rc);
    ring_->live = true;
    if ((rc = io_uring_register_files(&ring_->ring, &fd, 1)) < 0) throw ring_error("registering the disk", rc);
    io_uring_restriction rules[4]{};
    rules[0].opcode = IORING_RESTRICTION_SQE_OP;
    rules[0].sqe_op = IORING_OP_READV;
    rules[1].opcode = IORING_RESTRICTION_SQE_OP;
    rules[1].sqe_op = IORING_OP_WRITEV;
    rules[2].opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED;
    rules[2].sqe_flags = IOSQE_FIXED_FILE;
    rules[3].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
    rules[3].sqe_flags = IOSQE_FIXED_FILE;
    if ((rc = io_uring_register_restrictions(&ring_->ring, rules, 4)) < 0) throw ring_error("restricting", rc);
    if ((rc = io_uring_enable_rings(&ring_->ring)) < 0) throw ring_error("enabling", rc);
    ring_->started.reserve(kInFlight);
}

RingBlockStore::~RingBlockStore() = default;

void RingBlockStore::start(const BlockTransfer& t, u32 tag) {
    Ring& r = *ring_;
    if (r.broken || t.buffers.size() > IOV_MAX || r.started.size() >= kInFlight) {
        r.at_once.emplace_back(tag, transfer(t)); // more than asked for, or no ring: made now
        return;
    }
    u64 bytes = 0;
    for (const iovec& b : t.buffers) bytes += b.iov_len;
    r.started.push_back(Ring::Started{t, tag, bytes, false});
}

void RingBlockStore::finish(const std::function<void(u32 tag, bool ok)>& done) {
    Ring& r = *ring_;
    for (auto [tag, ok] : r.at_once) done(tag, ok);
    r.at_once.clear();
    if (r.started.size() == 1) {
        // Alone, it is made here: through the ring it would only be handed
        // to the kernel's worker thread and back (a zone's 1 MiB O_DIRECT
        // reads, one at a time: 164 MiB/s through the ring under QEMU, more
        // made here; docs/performance.md).
        done(r.started[0].tag, transfer(r.started[0].transfer));
        r.started.clear();
        return;
    }
    if (r.started.empty()) return;
    for (usize i = 0; i < r.started.size(); ++i) {
        const BlockTransfer& t = r.started[i].transfer;
        io_uring_sqe* sqe = io_uring_get_sqe(&r.ring); // never null: kInFlight entries, all free
        const auto count = static_cast<unsigned>(t.buffers.size());
        if (t.to_disk)
            io_uring_prep_writev(sqe, 0, t.buffers.data(), count, t.offset);
        else
            io_uring_prep_readv(sqe, 0, t.buffers.data(), count, t.offset);
        io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE); // file 0: the disk, the only one registered
        io_uring_sqe_set_data64(sqe, i);
    }
    // One io_uring_enter submits them all and waits for the first.
    int rc;
    do rc = io_uring_submit_and_wait(&r.ring, 1);
    while (rc == -EINTR || rc == -EAGAIN);
    if (rc < 0) {
        // Nothing was submitted, and the SQEs stay queued: a ring in this
        // state is not used again, and these are made now.
        r.broken = true;
        for (auto& s : r.started) done(s.tag, transfer(s.transfer));
        r.started.clear();
        return;
    }
    usize reaped = 0;
    while (reaped < r.started.size()) {
        io_uring_cqe* cqe = nullptr;
        rc = io_uring_wait_cqe(&r.ring, &cqe);
        if (rc == -EINTR || rc == -EAGAIN) continue;
        if (rc < 0) { // cannot happen with submitted SQEs; fail what is left rather than wait forever
            r.broken = true;
            for (auto& s : r.started)
                if (!s.reaped) done(s.tag, false);
            break;
        }
        const u64 index = io_uring_cqe_get_data64(cqe);
        const int res = cqe->res;
        io_uring_cqe_seen(&r.ring, cqe);
        if (index >= r.started.size() || r.started[index].reaped) continue; // not ours: cannot happen
        Ring::Started& s = r.started[index];
        s.reaped = true;
        ++reaped;
        bool ok = res >= 0 && static_cast<u64>(res) == s.bytes;
        // A short transfer (or one the kernel asks to retry) is made again
        // whole and at once: moving the same bytes to the same place twice
        // is harmless, and it tells a file that shrank (an error) from a
        // transfer cut short.
        if (!ok && (res >= 0 || res == -EAGAIN || res == -EINTR)) ok = transfer(s.transfer);
        done(s.tag, ok);
    }
    r.started.clear();
}

std::unique_ptr<FileBlockStore> open_disk_store(int fd, std::string& note) {
    try {
        auto ring = std::make_unique<RingBlockStore>(fd);
        note = "io_uring, up to " + std::to_string(RingBlockStore::kInFlight) + " requests in flight";
        return ring;
    } catch (const std::runtime_error& e) {
        note = std::string(e.what()) + ": one request at a time";
    }
    return std::make_unique<FileBlockStore>(fd);
}

} // namespace bh::virtio
