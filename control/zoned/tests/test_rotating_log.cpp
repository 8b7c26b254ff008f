// SPDX-License-Identifier: GPL-2.0-only
// A zone's console log: bounded files, rotation, and a follower that reads
// across rotations without losing or repeating a byte.
#include <bulkhead/zoned/log_follower.hpp>
#include <bulkhead/zoned/rotating_log.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>

using namespace bh::zoned;

namespace {

bh::control::Fd open_dir(const std::filesystem::path& p) {
    return bh::control::Fd(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

std::string numbered(int first, int last) {
    std::string out;
    for (int i = first; i <= last; ++i) out += std::to_string(i) + "\n";
    return out;
}

std::string read_all(LogFollower& follower) {
    std::string out;
    for (std::string chunk; !(chunk = follower.read(1000)).empty();) out += chunk;
    return out;
}

} // namespace

TEST_CASE("the log rotates at max_bytes and keeps `keep` old files") {
    TempDir dir;
    bh::control::Fd fd = open_dir(dir.path);
    RotatingLog log(fd.get(), 100, 2);
    log.write(std::string(250, 'a'));
    log.write(std::string(120, 'b'));
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
        ++files;
        CHECK(entry.file_size() <= 100);
    }
    CHECK(files == 3);
    CHECK_FALSE(std::filesystem::exists(dir.path / "console.log.3"));
    CHECK(std::filesystem::file_size(dir.path / "console.log") == 70);
}

TEST_CASE("a restarted backend appends to the current file") {
    TempDir dir;
    bh::control::Fd fd = open_dir(dir.path);
    { RotatingLog(fd.get(), 100, 1).write("abc"); }
    RotatingLog again(fd.get(), 100, 1);
    CHECK(again.size() == 3);
    again.write("def");
    LogFollower follower(dir.path, 1, LogFollower::From::start);
    CHECK(read_all(follower) == "abcdef");
}

TEST_CASE("a follower keeps its place across rotations") {
    TempDir dir;
    bh::control::Fd fd = open_dir(dir.path);
    RotatingLog log(fd.get(), 64, 3);
    LogFollower follower(dir.path, 3, LogFollower::From::start);
    std::string seen;
    for (int round = 0; round < 5; ++round) {
        log.write(numbered(round * 10 + 1, round * 10 + 10)); // about 30 bytes: a rotation every other round
        seen += read_all(follower);
    }
    CHECK(seen == numbered(1, 50));
}

TEST_CASE("a follower from the end sees only what comes after it started") {
    TempDir dir;
    bh::control::Fd fd = open_dir(dir.path);
    RotatingLog log(fd.get(), 1000, 1);
    log.write("old\n");
    LogFollower follower(dir.path, 1, LogFollower::From::end);
    CHECK(follower.read(100).empty());
    log.write("new\n");
    CHECK(read_all(follower) == "new\n");
}
