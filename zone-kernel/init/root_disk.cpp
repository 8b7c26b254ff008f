// SPDX-License-Identifier: GPL-2.0-only
#include "root_disk.hpp"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace zone_init {

std::optional<RootDisk> root_disk_from(std::string_view device, std::string_view mode, std::string* error) {
    if (device.empty()) {
        if (!mode.empty()) {
            *error = "bulkhead.root-mode=" + std::string(mode) + " without bulkhead.root=DEVICE";
            return std::nullopt;
        }
        return std::nullopt;
    }
    if (!device.starts_with("/dev/") || device.size() == 5 || device.find("/..") != std::string_view::npos) {
        *error = "bulkhead.root=" + std::string(device) + ": want a device under /dev/, like /dev/vda";
        return std::nullopt;
    }
    if (!mode.empty() && mode != "ro" && mode != "rw") {
        *error = "bulkhead.root-mode=" + std::string(mode) + ": want ro or rw";
        return std::nullopt;
    }
    return RootDisk{std::string(device), mode == "ro"};
}

namespace {

constexpr const char* kNewRoot = "/newroot";

std::string errstr(int err) { return std::strerror(err); }

bool is_dir(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Everything under dirfd on device dev, depth first; other filesystems
// (mount points) are left alone. Best effort: what cannot go stays.
void empty_directory(int dirfd, dev_t dev) {
    const int copy = ::dup(dirfd);
    if (copy < 0) return;
    DIR* dir = ::fdopendir(copy);
    if (!dir) {
        ::close(copy);
        return;
    }
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(dir)) {
        const std::string_view n = e->d_name;
        if (n != "." && n != "..") names.emplace_back(n);
    }
    ::closedir(dir);
    for (const std::string& name : names) {
        struct stat st {};
        if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev) continue;
        if (S_ISDIR(st.st_mode)) {
            const int sub = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) continue;
            empty_directory(sub, dev);
            ::close(sub);
            ::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR);
        } else {
            ::unlinkat(dirfd, name.c_str(), 0);
        }
    }
}

bool wait_for_block_device(const std::string& device, std::string* error) {
    struct stat st {};
    // Virtio disks are found while the kernel boots, before init runs; the
    // wait covers a driver that probes late.
    for (int tries = 0; ::stat(device.c_str(), &st) < 0; ++tries) {
        if (errno != ENOENT || tries == 200) {
            *error = "cannot find the root disk " + device + " (" + errstr(errno) + ")" +
                     (errno == ENOENT ? " after 10 s: does the zone have that disk?" : "");
            return false;
        }
        ::usleep(50'000);
    }
    if (!S_ISBLK(st.st_mode)) {
        *error = "the root disk " + device + " is not a block device";
        return false;
    }
    return true;
}

std::string mount_problem(const RootDisk& root, int err) {
    std::string what = "cannot mount the root disk " + root.device + " (ext4" + (root.read_only ? ", read-only" : "") +
                       "): " + errstr(err);
    if (err == EINVAL) what += "; is it an ext4 filesystem?";
    if (err == EROFS || err == EACCES) what += "; the disk is read-only: attach it with :ro";
    return what;
}

} // namespace

bool switch_to_root_disk(const RootDisk& root, std::string* error) {
    if (!wait_for_block_device(root.device, error)) return false;
    if (::mkdir(kNewRoot, 0755) < 0 && errno != EEXIST) {
        *error = std::string("cannot make ") + kNewRoot + ": " + errstr(errno);
        return false;
    }
    if (::mount(root.device.c_str(), kNewRoot, "ext4", root.read_only ? MS_RDONLY : 0, nullptr) < 0) {
        *error = mount_problem(root, errno);
        return false;
    }
    // Each mount point must exist on the disk: made when the disk is
    // writable. Checked before anything moves, so a refusal changes nothing.
    std::vector<const char*> moves;
    for (const char* m : kMovedMounts) {
        const std::string target = std::string(kNewRoot) + m;
        if (!is_dir(target) && !root.read_only) {
            ::mkdir(target.c_str(), 0755);
            if (std::string_view(m) == "/tmp") ::chmod(target.c_str(), 01777);
        }
        if (is_dir(target)) {
            moves.push_back(m);
            continue;
        }
        const std::string_view name(m);
        if (name == "/dev" || name == "/proc" || name == "/sys") {
            *error = "the root disk " + root.device + " has no " + std::string(name) +
                     " directory, and it is read-only: make /dev, /proc and /sys in its image";
            ::umount2(kNewRoot, MNT_DETACH);
            return false;
        }
        ::umount2(m, MNT_DETACH); // /run or /tmp: the disk's own (none) then
    }
    // Init keeps the old root open to empty it once the disk is "/".
    const int old_root = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::vector<const char*> moved;
    auto undo = [&](const std::string& why) {
        for (auto it = moved.rbegin(); it != moved.rend(); ++it)
            ::mount((std::string(kNewRoot) + *it).c_str(), *it, nullptr, MS_MOVE, nullptr);
        ::umount2(kNewRoot, MNT_DETACH);
        if (old_root >= 0) ::close(old_root);
        *error = why;
        return false;
    };
    for (const char* m : moves) {
        if (::mount(m, (std::string(kNewRoot) + m).c_str(), nullptr, MS_MOVE, nullptr) < 0)
            return undo(std::string("cannot move ") + m + " onto the root disk: " + errstr(errno));
        moved.push_back(m);
    }
    if (::chdir(kNewRoot) < 0) return undo(std::string("cannot enter ") + kNewRoot + ": " + errstr(errno));
    if (::mount(".", "/", nullptr, MS_MOVE, nullptr) < 0) {
        const int err = errno;
        ::chdir("/");
        return undo("cannot move the root disk over /: " + errstr(err));
    }
    if (::chroot(".") < 0 || ::chdir("/") < 0) {
        // The disk is "/" for everyone else already; init cannot go back.
        *error = "cannot enter the root disk: " + errstr(errno);
        if (old_root >= 0) ::close(old_root);
        return false;
    }
    if (old_root >= 0) {
        struct stat st {};
        if (::fstat(old_root, &st) == 0) empty_directory(old_root, st.st_dev);
        ::close(old_root);
    }
    return true;
}

std::optional<std::string> settle_root_disk() {
    ::sync();
    // The workload's processes were just killed: they let go of their files
    // as they die, so the remount may need a few tries.
    for (int tries = 0;; ++tries) {
        if (::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0) return std::nullopt;
        if (errno != EBUSY || tries == 40) return "cannot remount the root disk read-only: " + errstr(errno);
        ::usleep(50'000);
    }
}

} // namespace zone_init
