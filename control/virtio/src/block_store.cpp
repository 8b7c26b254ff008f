// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/block_store.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace bh::virtio {

namespace {

u64 size_of(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw std::runtime_error(std::string("disk: fstat: ") + std::strerror(errno));
    u64 bytes = static_cast<u64>(st.st_size);
    if (S_ISBLK(st.st_mode) && ::ioctl(fd, BLKGETSIZE64, &bytes) != 0)
        throw std::runtime_error(std::string("disk: BLKGETSIZE64: ") + std::strerror(errno));
    return bytes & ~u64{511};
}

} // namespace

bool BlockStore::transfer(const BlockTransfer& t) {
    u64 at = t.offset;
    for (const iovec& b : t.buffers) {
        auto* p = static_cast<u8*>(b.iov_base);
        if (!(t.to_disk ? write(at, std::span<const u8>(p, b.iov_len)) : read(at, std::span<u8>(p, b.iov_len))))
            return false;
        at += b.iov_len;
    }
    return true;
}

void BlockStore::finish(const std::function<void(u32 tag, bool ok)>& done) {
    for (auto [tag, ok] : finished_) done(tag, ok);
    finished_.clear();
}

FileBlockStore::FileBlockStore(int fd) : fd_(fd), size_(size_of(fd)) {}

bool FileBlockStore::read(u64 offset, std::span<u8> out) {
    while (!out.empty()) {
        ssize_t n = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false; // an error, or the file shrank under us
        out = out.subspan(static_cast<usize>(n));
        offset += static_cast<u64>(n);
    }
    return true;
}

bool FileBlockStore::write(u64 offset, std::span<const u8> in) {
    while (!in.empty()) {
        ssize_t n = ::pwrite(fd_, in.data(), in.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        in = in.subspan(static_cast<usize>(n));
        offset += static_cast<u64>(n);
    }
    return true;
}

bool FileBlockStore::transfer(const BlockTransfer& t) {
    // preadv/pwritev may move less than asked (a signal, a huge request):
    // carry on from where they stopped, on a copy of the buffer list.
    std::vector<iovec> left(t.buffers.begin(), t.buffers.end());
    usize first = 0;
    u64 offset = t.offset;
    while (first < left.size()) {
        const int count = static_cast<int>(std::min<usize>(left.size() - first, IOV_MAX));
        const ssize_t n = t.to_disk ? ::pwritev(fd_, &left[first], count, static_cast<off_t>(offset))
                                    : ::preadv(fd_, &left[first], count, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false; // an error, or the file shrank under us
        offset += static_cast<u64>(n);
        for (auto moved = static_cast<usize>(n); moved > 0;) {
            const usize step = std::min(moved, left[first].iov_len);
            left[first].iov_base = static_cast<u8*>(left[first].iov_base) + step;
            left[first].iov_len -= step;
            moved -= step;
            if (left[first].iov_len == 0) ++first;
        }
        while (first < left.size() && left[first].iov_len == 0) ++first;
    }
    return true;
}

bool FileBlockStore::flush() {
    while (::fdatasync(fd_) != 0)
        if (errno != EINTR) return false;
    return true;
}

bool FileBlockStore::discard(u64 offset, u64 len) {
    // A file system that cannot punch holes keeps the data: still a
    // correct discard (the range may read as anything).
    if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                    static_cast<off_t>(len)) == 0)
        return true;
    return errno == EOPNOTSUPP || errno == ENOSYS;
}

bool FileBlockStore::write_zeroes(u64 offset, u64 len) {
    if (::fallocate(fd_, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                    static_cast<off_t>(len)) == 0)
        return true;
    if (errno != EOPNOTSUPP && errno != ENOSYS) return false;
    static const std::vector<u8> zeros(64 * 1024);
    while (len) {
        u64 n = std::min<u64>(len, zeros.size());
        if (!write(offset, std::span<const u8>(zeros.data(), n))) return false;
        offset += n;
        len -= n;
    }
    return true;
}

} // namespace bh::virtio
