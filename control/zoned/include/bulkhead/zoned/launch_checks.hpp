// SPDX-License-Identifier: GPL-2.0-only
// What a launch must satisfy before anything is created, each failure a
// message that names the zone and says what to do. The files' checks read
// only through the descriptors zonectl sent (or zoned's own for the
// shipped kernel), never a path on a client's behalf.
#pragma once

#include <bulkhead/control/protocol.hpp>
#include <bulkhead/zoned/zone_arch.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace bh::zoned {

inline constexpr std::uint64_t kMinZoneMemory = 16ULL << 20;
inline constexpr std::uint64_t kMaxZoneMemory = 64ULL << 30;
inline constexpr std::size_t kMaxCmdline = 2048; // arm64's COMMAND_LINE_SIZE
// BH_HC_ZONE_BOOT_LINUX's strings (command line, workload, environment,
// each with its NUL) together: what the hypervisor would refuse is
// refused before anything is created.
inline constexpr std::size_t kMaxBootStrings = 4096;
inline constexpr std::uint64_t kBootOverhead = 2ULL << 20;

// Name, vCPUs, memory, command, environment, command line: the problem
// with the first field that is wrong, or nullopt.
std::optional<std::string> launch_request_problem(const control::LaunchRequest& request);

// A kernel `arch` boots, as far as its first bytes tell (an arm64 Image;
// an x86-64 ELF vmlinux or bzImage): "" if fine, otherwise the problem
// (what to do is the caller's to add, as it knows where the file came
// from). The layout (linux_layout.hpp) checks the rest.
std::string kernel_file_problem(ZoneArch arch, int fd);
// A readable, non-empty regular file.
std::string initrd_file_problem(int fd);
std::uint64_t file_size_of(int fd);

// Which file a disk is, and its size in bytes.
struct DiskIdentity {
    std::uint64_t dev = 0, ino = 0, bytes = 0;
};
// A disk image: a regular file or block device of whole 512-byte sectors,
// at least one, opened for writing unless `read_only`. "" and `id` filled
// in if fine, otherwise the problem.
std::string disk_file_problem(int fd, bool read_only, DiskIdentity& id);

} // namespace bh::zoned
