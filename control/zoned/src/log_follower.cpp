// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/log_follower.hpp>
#include <bulkhead/zoned/rotating_log.hpp>

#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace bh::zoned {

LogFollower::LogFollower(std::filesystem::path dir, unsigned keep, From from)
    : dir_(std::move(dir)), keep_(keep), from_(from) {}

std::optional<LogFollower::Open> LogFollower::open_file(unsigned index) const {
    control::Fd fd(::open((dir_ / console_log_name(index)).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return std::nullopt;
    return Open{std::move(fd), st.st_ino};
}

void LogFollower::catch_up_with_rotation() {
    if (!started_) {
        started_ = true;
        if (from_ == From::start) {
            for (unsigned i = keep_ + 1; i-- > 0;) // oldest first
                if (auto f = open_file(i)) files_.push_back(std::move(*f));
        } else if (auto f = open_file(0)) {
            ::lseek(f->fd.get(), 0, SEEK_END);
            files_.push_back(std::move(*f));
        }
        return;
    }
    // Files newer than the newest we hold: console.log, and if that has
    // been rotated past us, the numbered files that came after ours.
    ino_t newest = files_.empty() ? 0 : files_.back().inode;
    std::vector<Open> newer;
    for (unsigned i = 0; i <= keep_; ++i) {
        auto f = open_file(i);
        if (!f) continue; // a rotation in progress, or not written yet
        if (f->inode == newest) break;
        newer.push_back(std::move(*f));
    }
    for (auto it = newer.rbegin(); it != newer.rend(); ++it) files_.push_back(std::move(*it));
}

std::string LogFollower::read(std::size_t max) {
    std::string out;
    for (int pass = 0; pass < 2 && out.size() < max; ++pass) {
        if (pass == 1 || !started_) catch_up_with_rotation();
        while (!files_.empty() && out.size() < max) {
            char buf[65536];
            std::size_t want = std::min(sizeof buf, max - out.size());
            ssize_t n = ::read(files_.front().fd.get(), buf, want);
            if (n > 0) {
                out.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (files_.size() == 1) break; // the newest file: more may come
            files_.pop_front();            // an old file, read to its end
        }
    }
    return out;
}

} // namespace bh::zoned
