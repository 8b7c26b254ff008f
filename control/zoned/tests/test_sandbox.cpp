// SPDX-License-Identifier: GPL-2.0-only
// The backend's seccomp filter, in a forked child: what a backend needs
// works; anything else (a socket, a path from the root, exec) kills it.
#include <bulkhead/zoned/sandbox.hpp>

#include "temp_dir.hpp"

#include <bulkhead/virtio/ring_block_store.hpp>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <functional>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace bh::zoned;

namespace {

// The wait status of a child that installs the filter and runs `body`,
// which returns its exit status.
int sandboxed(const std::filesystem::path& dir, const std::function<int(int)>& body,
              const std::function<void()>& before_filter = {}) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (before_filter) before_filter();
        int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
        try {
            install_backend_seccomp(dir_fd, dir_fd);
        } catch (...) {
            ::_exit(99);
        }
        ::_exit(body(dir_fd));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

// io_uring_setup's argument, its size only: the call is to be refused
// before the kernel reads it.
struct io_uring_params_stub {
    unsigned char bytes[120];
};

bool killed_by_sigsys(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS; }

} // namespace

TEST_CASE("the filter allows files relative to the log directory") {
    TempDir dir;
    int status = sandboxed(dir.path, [](int d) {
        int fd = ::openat(d, "console.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0 || ::write(fd, "x", 1) != 1) return 1;
        if (::renameat(d, "console.log", d, "console.log.1") < 0) return 2;
        return ::unlinkat(d, "console.log.1", 0) < 0 ? 3 : 0;
    });
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("the filter kills a backend that opens a path of its own") {
    TempDir dir;
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) { return ::open("/etc/passwd", O_RDONLY) >= 0 ? 0 : 1; })));
}

TEST_CASE("the filter kills a backend that makes a socket or executes") {
    TempDir dir;
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) { return ::socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1; })));
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) {
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        ::execv(argv[0], argv);
        return 1;
    })));
}

TEST_CASE("the filter kills a backend that signals another process") {
    TempDir dir;
    pid_t parent = ::getpid();
    CHECK(killed_by_sigsys(sandboxed(dir.path, [parent](int) { return ::kill(parent, 0) == 0 ? 0 : 1; })));
}

TEST_CASE("what the filter allows is documented") {
    auto allowed = backend_allowed_syscalls();
    CHECK(std::find(allowed.begin(), allowed.end(), "openat") != allowed.end());
    CHECK(std::find(allowed.begin(), allowed.end(), "socket") == allowed.end());
    CHECK(std::find(allowed.begin(), allowed.end(), "execve") == allowed.end());
}

TEST_CASE("a disk's ring made before the filter serves under it, and no new ring can be made") {
    TempDir dir;
    const auto disk_path = dir.path / "disk.img";
    {
        int fd = ::open(disk_path.c_str(), O_RDWR | O_CREAT, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(::ftruncate(fd, 64 * 1024) == 0);
        ::close(fd);
    }
    std::unique_ptr<bh::virtio::RingBlockStore> store;
    int disk = -1;
    auto prepare = [&] {
        disk = ::open(disk_path.c_str(), O_RDWR);
        store = std::make_unique<bh::virtio::RingBlockStore>(disk);
    };
    int status = sandboxed(
        dir.path,
        [&](int) {
            // Two transfers a batch: the ring's path (one alone is made
            // with pwritev/preadv, whose sanitizer interceptors open a pipe
            // the filter forbids; unsanitized, the node tests run that path).
            std::vector<bh::virtio::u8> out(8192, 0x5a), in(8192, 0);
            iovec w[2] = {{out.data(), 4096}, {out.data() + 4096, 4096}};
            iovec r[2] = {{in.data(), 4096}, {in.data() + 4096, 4096}};
            bool ok = true;
            unsigned answered = 0;
            auto done = [&](bh::virtio::u32, bool good) {
                ok = ok && good;
                ++answered;
            };
            for (bh::virtio::u32 i = 0; i < 2; ++i)
                store->start(bh::virtio::BlockTransfer{true, 8192 + 4096u * i, std::span<const iovec>(&w[i], 1)}, i);
            store->finish(done);
            for (bh::virtio::u32 i = 0; i < 2; ++i)
                store->start(bh::virtio::BlockTransfer{false, 8192 + 4096u * i, std::span<const iovec>(&r[i], 1)}, i);
            store->finish(done);
            ok = ok && answered == 4;
            return ok && in == out ? 0 : 1;
        },
        prepare);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) {
        io_uring_params_stub p{};
        return ::syscall(__NR_io_uring_setup, 4, &p) >= 0 ? 0 : 1;
    })));
    CHECK(killed_by_sigsys(
        sandboxed(dir.path, [](int) { return ::syscall(__NR_io_uring_register, 0, 0, nullptr, 0) >= 0 ? 0 : 1; })));
}
