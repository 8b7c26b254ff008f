// SPDX-License-Identifier: GPL-2.0-only
// Unix sockets with descriptors passed alongside the bytes, and a socket
// path left by a dead process being reclaimed.
#include <catch2/catch.hpp>

#include <bulkhead/control/message_stream.hpp>
#include <bulkhead/control/unix_socket.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace bh::control;

namespace {

std::string temp_dir() {
    char tmpl[] = "/tmp/bh-sock-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    return tmpl;
}

} // namespace

TEST_CASE("sockets: descriptors travel with a message", "[common][socket]") {
    auto [a, b] = make_socketpair(SOCK_STREAM);
    auto [r, w] = make_pipe();
    write_all(w.get(), "through the passed fd");
    w.reset();
    int fds[] = {r.get()};
    send_with_fds(a.get(), frame(json{{"op", "x"}}), fds);
    r.reset(); // the receiver's copy keeps the pipe open

    std::vector<Fd> got;
    char buf[256];
    ssize_t n = recv_with_fds(b.get(), buf, sizeof buf, got);
    REQUIRE(n > 0);
    REQUIRE(got.size() == 1);
    CHECK((::fcntl(got[0].get(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(read_up_to(got[0].get(), 100) == "through the passed fd");
}

TEST_CASE("sockets: too many descriptors are refused before sending", "[common][socket]") {
    auto [a, b] = make_socketpair(SOCK_STREAM);
    int fds[kMaxFdsPerMessage + 1] = {0, 0, 0, 0, 0};
    CHECK_THROWS(send_with_fds(a.get(), "x\n", fds));
}

TEST_CASE("sockets: a stale socket file is replaced, a live one is not", "[common][socket]") {
    std::string dir = temp_dir();
    std::string path = dir + "/s.sock";
    {
        Fd first = listen_unix(path, 0600);
        CHECK_THROWS_WITH(listen_unix(path, 0600), Catch::Contains("another process listens"));
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    // The listener is gone but its file stays, as after a SIGKILL.
    Fd second = listen_unix(path, 0660);
    MessageConnection client = MessageConnection::connect(path);
    Fd accepted(::accept4(second.get(), nullptr, nullptr, SOCK_CLOEXEC));
    REQUIRE(accepted);
    client.send(json{{"hello", 1}});
    std::vector<Fd> fds;
    char buf[64];
    ssize_t n = recv_with_fds(accepted.get(), buf, sizeof buf, fds);
    CHECK(std::string(buf, static_cast<std::size_t>(n)) == "{\"hello\":1}\n");
    second.reset();
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
    CHECK_THROWS_WITH(MessageConnection::connect(path), Catch::Contains("connect " + path));
}
