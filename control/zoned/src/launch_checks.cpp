// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/fake_hypervisor.hpp>
#include <bulkhead/zoned/launch_checks.hpp>

#include <bulkhead/control/size.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bh::zoned {

using control::format_size;

std::optional<std::string> launch_request_problem(const control::LaunchRequest& r) {
    if (auto problem = control::zone_name_problem(r.name)) return *problem + ": choose another name";
    std::string zone = "zone '" + r.name + "': ";
    if (r.vcpus == 0) return zone + "--vcpus must be at least 1";
    if (r.vcpus > control::kZoneVcpusMax)
        return zone + "--vcpus " + std::to_string(r.vcpus) + " is more than the " +
               std::to_string(control::kZoneVcpusMax) + " vCPUs a zone can have";
    if (r.memory == 0) return zone + "--memory must not be 0 (for example --memory 256M)";
    if (r.memory < kMinZoneMemory)
        return zone + "--memory " + std::to_string(r.memory) + " bytes is too little for a Linux zone: give at least " +
               format_size(kMinZoneMemory) + " (sizes take K, M, G: 256M)";
    if (r.memory > kMaxZoneMemory)
        return zone + "--memory " + format_size(r.memory) + " is more than the " + format_size(kMaxZoneMemory) +
               " a zone can have";
    if (r.memory % 4096 != 0) return zone + "--memory must be a multiple of 4K (got " + std::to_string(r.memory) + ")";
    if (r.command.empty() || r.command[0].empty())
        return zone + "no workload: give its command after --, for example: zonectl launch " + r.name +
               " -- /bin/sh -c 'echo hi'";
    for (const std::string& kv : r.env) {
        auto eq = kv.find('=');
        bool ok = eq != std::string::npos && eq > 0;
        for (std::size_t i = 0; ok && i < eq; ++i) {
            char c = kv[i];
            ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
        }
        if (!ok) return zone + "--env '" + kv + "' is not KEY=VALUE with KEY made of letters, digits and _";
    }
    if (r.cmdline && r.cmdline->size() > kMaxCmdline)
        return zone + "the kernel command line is " + std::to_string(r.cmdline->size()) + " bytes; at most " +
               std::to_string(kMaxCmdline) + " fit";
    std::size_t strings = r.cmdline && !r.cmdline->empty() ? r.cmdline->size() + 1 : 0;
    for (const std::string& word : r.command) strings += word.size() + 1;
    for (const std::string& kv : r.env) strings += kv.size() + 1;
    if (strings > kMaxBootStrings)
        return zone + "the kernel command line, workload and environment take " + std::to_string(strings) +
               " bytes; at most " + std::to_string(kMaxBootStrings) + " fit: shorten them";
    if (r.disks.size() > control::kMaxDisks)
        return zone + std::to_string(r.disks.size()) + " disks given; at most " + std::to_string(control::kMaxDisks) +
               " are served";
    for (std::size_t i = 0; i < r.disks.size(); ++i) {
        if (r.disks[i].path.empty()) return zone + "a --disk names no file";
        if (r.disks[i].root && i != 0) return zone + "only the first disk can be the root disk (--root)";
    }
    return std::nullopt;
}

std::string kernel_file_problem(ZoneArch arch, int fd) {
    if (arch == ZoneArch::arm64) return arm64_image_problem(fd);
    struct stat st {};
    if (::fstat(fd, &st) < 0) return std::string("cannot examine it: ") + std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "it is not a regular file";
    unsigned char head[0x206] = {};
    ssize_t n = ::pread(fd, head, sizeof head, 0);
    if (n < 0) return std::string("cannot read it: ") + std::strerror(errno);
    static constexpr unsigned char kElf[4] = {0x7f, 'E', 'L', 'F'};
    bool elf = n >= 4 && std::memcmp(head, kElf, 4) == 0;
    bool bzimage = n == sizeof head && std::memcmp(head + 0x202, "HdrS", 4) == 0;
    if (!elf && !bzimage) return "it is not an x86-64 Linux kernel (neither an ELF vmlinux nor a bzImage)";
    return {};
}

std::string initrd_file_problem(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) return std::string("cannot examine it: ") + std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "it is not a regular file";
    if (st.st_size == 0) return "it is empty";
    char byte;
    if (::pread(fd, &byte, 1, 0) != 1) return std::string("cannot read it: ") + std::strerror(errno);
    return {};
}

std::string disk_file_problem(int fd, bool read_only, DiskIdentity& id) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) return std::string("cannot examine it: ") + std::strerror(errno);
    std::uint64_t bytes = 0;
    if (S_ISREG(st.st_mode)) {
        bytes = static_cast<std::uint64_t>(st.st_size);
    } else if (S_ISBLK(st.st_mode)) {
        if (::ioctl(fd, BLKGETSIZE64, &bytes) != 0)
            return std::string("cannot read the block device's size: ") + std::strerror(errno);
    } else {
        return "it is neither a regular file nor a block device";
    }
    if (bytes == 0) return "it is empty (a disk image needs at least one 512-byte sector)";
    if (bytes % 512 != 0)
        return "its size, " + std::to_string(bytes) +
               " bytes, is not a whole number of 512-byte sectors (truncate -s " +
               std::to_string((bytes + 511) / 512 * 512) + " makes it one)";
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) return std::string("cannot examine it: ") + std::strerror(errno);
    if (!read_only && (flags & O_ACCMODE) != O_RDWR)
        return "it was not opened for writing (add :ro for a read-only disk)";
    id = DiskIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino), bytes};
    return {};
}

std::uint64_t file_size_of(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

} // namespace bh::zoned
