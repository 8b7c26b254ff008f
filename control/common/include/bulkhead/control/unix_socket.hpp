// SPDX-License-Identifier: GPL-2.0-only
// Unix stream sockets between zonectl and zoned, with descriptors passed
// alongside the bytes (SCM_RIGHTS): zonectl opens a launch's kernel and
// initrd itself and hands zoned the open files, so zoned never opens a
// path on a client's behalf with its own privileges.
#pragma once

#include <bulkhead/control/fd.hpp>

#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace bh::control {

// At most this many descriptors travel with one message.
inline constexpr std::size_t kMaxFdsPerMessage = 4;

// Binds and listens on `path` (close-on-exec, non-blocking), replacing a
// stale socket file left by a process that died; refuses if something
// still listens there. The socket gets `mode`.
Fd listen_unix(const std::string& path, mode_t mode);
// A blocking, close-on-exec connection to `path`.
Fd connect_unix(const std::string& path);

// Sends all of `data` (blocking), `fds` attached to its first byte.
void send_with_fds(int sock, std::string_view data, std::span<const int> fds);
// One recvmsg: returns the bytes read (0 at EOF, -1 with errno set, EAGAIN
// included) and appends any descriptors that came with them, close-on-exec.
ssize_t recv_with_fds(int sock, char* buf, std::size_t size, std::vector<Fd>& fds);

} // namespace bh::control
