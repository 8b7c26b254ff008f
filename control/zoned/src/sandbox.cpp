// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/sandbox.hpp>

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bh::zoned {

namespace {

// Unconditionally allowed. Names, resolved per architecture: a call an
// architecture lacks (poll on arm64) is skipped there.
constexpr std::array<std::string_view, 42> kAllowed{
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "recvfrom",
    "sendto",
    "close",
    "lseek",
    "fstat",
    "ppoll",
    "poll",
    "fsync",
    "fdatasync",
    "ftruncate",
    "fcntl",
    "munmap",
    "mremap",
    "brk",
    "madvise",
    "futex",
    "clock_gettime",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "getpid",
    "gettid",
    "getrandom",
    "rt_sigreturn",
    "rt_sigprocmask",
    "restart_syscall",
    "exit",
    "exit_group",
    "sched_yield",
    "shutdown",
    "set_robust_list",
    "sigaltstack", // its own signal stack only: the sanitizers' runtime checks it at exit
    "fallocate",   // a disk's discard and write-zeroes, on the files it was given
    "preadv",
    "pwritev", // a disk's reads and writes, straight into the zone's RAM
    // The disks' rings (RingBlockStore), set up and restricted to READV and
    // WRITEV on their own disk before the filter: io_uring_setup and
    // io_uring_register stay forbidden, so no new ring or file enters them.
    "io_uring_enter",
};

// Allowed with argument conditions (install_backend_seccomp).
constexpr std::array<std::string_view, 11> kConditional{
    "openat",  "unlinkat", "renameat", "renameat2", "newfstatat", // relative to the log directory / own fds
    "mmap",    "mprotect",                                        // never PROT_EXEC
    "tgkill",  "kill",                                            // only itself (abort())
    "ioctl",                                                      // the virtio backend's ZONE_IRQ only
    "accept4",                                                    // on its console-input listener only
};

constexpr auto kAll = [] {
    std::array<std::string_view, kAllowed.size() + kConditional.size()> all{};
    std::size_t i = 0;
    for (auto n : kAllowed) all[i++] = n;
    for (auto n : kConditional) all[i++] = n;
    return all;
}();

class Filter {
  public:
    Filter() : ctx_(seccomp_init(SCMP_ACT_KILL_PROCESS)) {
        if (!ctx_) throw std::runtime_error("seccomp_init failed");
    }
    ~Filter() { seccomp_release(ctx_); }
    Filter(const Filter&) = delete;
    Filter& operator=(const Filter&) = delete;

    // Adds an allow rule for `name` under up to two conditions; skips a
    // call this architecture does not have.
    template <typename... Conditions>
    void allow(std::string_view name, Conditions... conditions) {
        int nr = seccomp_syscall_resolve_name(std::string(name).c_str());
        if (nr == __NR_SCMP_ERROR || nr < 0) return;
        int rc = seccomp_rule_add(ctx_, SCMP_ACT_ALLOW, nr, sizeof...(conditions), conditions...);
        if (rc < 0) throw std::runtime_error("seccomp_rule_add(" + std::string(name) + "): " + std::to_string(-rc));
    }
    void load() {
        int rc = seccomp_load(ctx_);
        if (rc < 0) throw std::runtime_error("seccomp_load: error " + std::to_string(-rc));
    }

  private:
    scmp_filter_ctx ctx_;
};

} // namespace

int drop_privileges(const Credentials& c) noexcept {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return errno;
    for (unsigned long cap = 0; cap <= 63; ++cap) {
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) return errno; // EINVAL: no such capability
    }
    // Raw calls: glibc's wrappers broadcast credential changes to all
    // threads with locks a fork may have copied taken.
    if (::syscall(SYS_setgroups, 0, nullptr) < 0) return errno;
    if (::syscall(SYS_setresgid, c.gid, c.gid, c.gid) < 0) return errno;
    if (::syscall(SYS_setresuid, c.uid, c.uid, c.uid) < 0) return errno;
    if (c.uid != 0 && ::syscall(SYS_setresuid, 0, 0, 0) == 0) return ENOTRECOVERABLE;
    return 0;
}

void install_backend_seccomp(int log_dir_fd, int max_fd, AllowedIoctl zone_ioctl, int accept_fd) {
    if (log_dir_fd < 0 || max_fd < log_dir_fd) throw std::runtime_error("install_backend_seccomp: bad descriptors");
    Filter f;
    for (std::string_view name : kAllowed) f.allow(name);
    auto dir = static_cast<scmp_datum_t>(log_dir_fd);
    // The full 64-bit comparison refuses AT_FDCWD and any other directory.
    f.allow("openat", SCMP_A0(SCMP_CMP_EQ, dir));
    f.allow("unlinkat", SCMP_A0(SCMP_CMP_EQ, dir));
    f.allow("renameat", SCMP_A0(SCMP_CMP_EQ, dir), SCMP_A2(SCMP_CMP_EQ, dir));
    f.allow("renameat2", SCMP_A0(SCMP_CMP_EQ, dir), SCMP_A2(SCMP_CMP_EQ, dir));
    // glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH): its own fds only.
    f.allow("newfstatat", SCMP_A0(SCMP_CMP_LE, static_cast<scmp_datum_t>(max_fd)));
    f.allow("mmap", SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    f.allow("mprotect", SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    auto self = static_cast<scmp_datum_t>(::getpid());
    f.allow("tgkill", SCMP_A0(SCMP_CMP_EQ, self));
    f.allow("kill", SCMP_A0(SCMP_CMP_EQ, self));
    if (zone_ioctl.fd >= 0)
        f.allow("ioctl", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(zone_ioctl.fd)),
                SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(zone_ioctl.request)));
    if (accept_fd >= 0) f.allow("accept4", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(accept_fd)));
    f.load();
}

std::span<const std::string_view> backend_allowed_syscalls() { return kAll; }

} // namespace bh::zoned
