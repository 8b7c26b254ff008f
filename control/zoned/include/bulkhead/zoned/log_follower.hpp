// SPDX-License-Identifier: GPL-2.0-only
// Reading a zone's console log as the backend writes and rotates it
// (rotating_log.hpp), for `zonectl logs [-f]`, `console` and `launch
// --wait`. A follower holds the file it is reading open, so a rotation
// (a rename) never loses its place: it finishes that file, then goes on
// with whichever files came after it, oldest first.
#pragma once

#include <bulkhead/control/fd.hpp>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>

namespace bh::zoned {

class LogFollower {
  public:
    enum class From { start, end };
    // `dir` is the zone's log directory; `keep` how many old files the
    // backend keeps (where history can be).
    LogFollower(std::filesystem::path dir, unsigned keep, From from);

    // Up to `max` bytes that the follower has not returned yet; empty when
    // it has caught up with the log (for now).
    std::string read(std::size_t max);

  private:
    struct Open {
        control::Fd fd;
        ino_t inode = 0;
    };
    std::optional<Open> open_file(unsigned index) const;
    void catch_up_with_rotation();

    std::filesystem::path dir_;
    unsigned keep_;
    std::deque<Open> files_; // files_.back() is the newest the follower knows
    bool started_ = false;
    From from_;
};

} // namespace bh::zoned
