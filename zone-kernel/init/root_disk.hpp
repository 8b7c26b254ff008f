// SPDX-License-Identifier: GPL-2.0-only
// Zone init: a root filesystem on a disk (`zonectl launch --root FILE`).
//
// The kernel command line's
//     bulkhead.root=/dev/vda        the disk with the zone's root filesystem
//     bulkhead.root-mode=ro|rw      mounted read-only or read-write (default)
// ask init to mount that disk (ext4) and make it the zone's root before the
// workload starts: init moves its /dev, /proc, /sys, /run and /tmp into it,
// empties the initramfs (its RAM goes back to the zone), and moves the disk
// over "/" (what busybox's switch_root does; init stays PID 1, still the
// initramfs's program, now running in the disk's tree). The workload then
// finds a distribution's userland: /usr/bin/python3 is the disk's. When the
// workload ends init remounts the root read-only, so the disk is left clean
// before the zone exits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zone_init {

struct RootDisk {
    std::string device; // /dev/...
    bool read_only = false;
};

// The root disk the command line's words ask for (see above), if any.
// Nothing with *error set when they are malformed: a device not under /dev/,
// a mode other than ro or rw, or a mode without a device.
std::optional<RootDisk> root_disk_from(std::string_view device, std::string_view mode, std::string* error);

// The mount points init moves from the initramfs into the new root, in
// order (submounts such as /dev/pts move with their parent).
inline constexpr const char* kMovedMounts[] = {"/dev", "/proc", "/sys", "/run", "/tmp"};

// Mounts the disk on /newroot, moves the mounts above into it, empties the
// initramfs and moves the disk over "/". Returns false (and *error) when
// the zone cannot continue on that disk; what failed before the switch
// leaves the initramfs as it was. Waits up to 10 s for the device to appear.
bool switch_to_root_disk(const RootDisk& root, std::string* error);

// After the workload ended: the root remounted read-only (a clean disk), so
// that nothing is left to write back when the zone exits. Returns the reason
// when it could not (init still syncs).
std::optional<std::string> settle_root_disk();

} // namespace zone_init
