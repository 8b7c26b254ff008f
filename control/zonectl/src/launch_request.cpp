// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/exit_codes.hpp>
#include <bulkhead/zonectl/launch_request.hpp>

#include <bulkhead/control/size.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>

namespace bh::zonectl {

namespace {

control::Fd open_boot_file(const std::string& zone, const std::string& path, const char* option) {
    // O_NONBLOCK: a FIFO given by mistake must not hang zonectl here;
    // zoned refuses anything but a regular file.
    control::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd)
        throw CommandError(Exit::refused, "zone '" + zone + "': cannot open " + option + " " + path + " (" +
                                              std::strerror(errno) + "): give " + option +
                                              " a file you can read; nothing was launched");
    return fd;
}

// FILE or FILE:ro (FILE:rw says the default) after `option` (--disk or
// --root). A path that itself ends in ":ro" is written ./NAME:ro:rw.
control::DiskSpec parse_disk(const std::string& zone, const std::string& arg, const char* option) {
    control::DiskSpec d{arg, false, std::string_view(option) == "--root"};
    auto ends = [&](const char* suffix) { return arg.size() >= 3 && arg.compare(arg.size() - 3, 3, suffix) == 0; };
    if (ends(":ro") || ends(":rw")) {
        d.read_only = ends(":ro");
        d.path = arg.substr(0, arg.size() - 3);
    }
    if (d.path.empty())
        throw CommandError(Exit::refused, "zone '" + zone + "': " + option + " '" + arg + "' names no file: write " +
                                              option + " FILE or " + option + " FILE:ro; nothing was launched");
    return d;
}

// Read-write disks are opened for writing here, as the user: zoned's
// backend can write only what this user could.
control::Fd open_disk(const std::string& zone, const control::DiskSpec& d) {
    const std::string option = d.root ? "--root" : "--disk";
    control::Fd fd(::open(d.path.c_str(), (d.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd)
        throw CommandError(Exit::refused, "zone '" + zone + "': cannot open " + option + " " + d.path +
                                              (d.read_only ? " for reading" : " for reading and writing") + " (" +
                                              std::strerror(errno) + "): give " + option + " a disk image you can " +
                                              (d.read_only ? "read" : "write, or add :ro") + "; nothing was launched");
    return fd;
}

} // namespace

PreparedLaunch prepare_launch(const LaunchOptions& o) {
    PreparedLaunch p;
    control::LaunchRequest& r = p.request;
    r.name = o.name;
    r.vcpus = o.vcpus;
    auto memory = control::parse_size(o.memory);
    if (!memory)
        throw CommandError(Exit::refused, "zone '" + o.name + "': --memory '" + o.memory +
                                              "' is not a size: write it like 256M or 1G; nothing was launched");
    r.memory = *memory;
    // Absolute, so that `info` says which file it was wherever it is run.
    auto absolute = [](const std::optional<std::string>& path) -> std::optional<std::string> {
        if (!path) return std::nullopt;
        std::error_code ec;
        auto full = std::filesystem::absolute(*path, ec);
        return ec ? *path : full.lexically_normal().string();
    };
    r.kernel = absolute(o.kernel);
    r.initrd = absolute(o.initrd);
    r.cmdline = o.cmdline;
    r.env = o.env;
    r.command = o.command;
    if (o.kernel) p.files.push_back(open_boot_file(o.name, *o.kernel, "--kernel"));
    if (o.initrd) p.files.push_back(open_boot_file(o.name, *o.initrd, "--initrd"));
    const std::size_t disks = o.disks.size() + (o.root ? 1 : 0);
    if (disks > control::kMaxDisks)
        throw CommandError(Exit::refused, "zone '" + o.name + "': " + std::to_string(disks) + " disks given, at most " +
                                              std::to_string(control::kMaxDisks) + " are served; nothing was launched");
    std::vector<std::pair<std::string, const char*>> args; // the root first: it is /dev/vda
    if (o.root) args.emplace_back(*o.root, "--root");
    for (const std::string& arg : o.disks) args.emplace_back(arg, "--disk");
    for (const auto& [arg, option] : args) {
        control::DiskSpec d = parse_disk(o.name, arg, option);
        p.files.push_back(open_disk(o.name, d));
        d.path = *absolute(d.path);
        r.disks.push_back(d);
    }
    return p;
}

} // namespace bh::zonectl
