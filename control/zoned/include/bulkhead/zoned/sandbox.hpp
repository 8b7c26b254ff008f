// SPDX-License-Identifier: GPL-2.0-only
// Least privilege for a zone's backend process.
//
// drop_privileges() runs in the child between fork and exec (zoned forks
// from a process with threads, so it makes raw system calls only, each
// async-signal-safe): no new privileges ever (no set-uid, no file
// capabilities), an empty capability bounding set, no supplementary
// groups, and the zone's own uid and gid, real, effective and saved;
// finally it checks that root cannot be regained.
//
// install_backend_seccomp() is the backend's last step of setting up: from
// then on it may read and write the descriptors it has, poll, manage its
// memory (never executable), and create, rename and remove files only
// relative to its log directory's descriptor. Any other system call kills
// the process (SIGSYS): no new sockets (accepting a connection on the
// console-input listener it was given is all), no exec, no ptrace, no signals to
// others, no paths from the root or the working directory.
#pragma once

#include <span>
#include <string_view>
#include <sys/types.h>

namespace bh::zoned {

struct Credentials {
    uid_t uid = 0;
    gid_t gid = 0;
};

// 0, or the errno of the step that failed (ENOTRECOVERABLE: root could be
// regained afterwards, which must never happen).
int drop_privileges(const Credentials& credentials) noexcept;

// The backend's descriptors are 0..max_fd (max_fd >= log_dir_fd): fstat
// and friends are allowed on those only. Throws std::runtime_error if the
// filter cannot be built or loaded.
// `zone_ioctl`: the one ioctl request the virtio backend may make, on the
// one zone fd (ZONE_IRQ; virtio_backend.hpp); none without it.
struct AllowedIoctl {
    int fd = -1;
    unsigned long request = 0;
};
// `accept_fd`: the listener it may accept connections on (InputPort), -1
// for none.
void install_backend_seccomp(int log_dir_fd, int max_fd, AllowedIoctl zone_ioctl = {}, int accept_fd = -1);

// The system calls the filter allows (some only with the argument
// conditions above), for documentation and tests.
std::span<const std::string_view> backend_allowed_syscalls();

} // namespace bh::zoned
