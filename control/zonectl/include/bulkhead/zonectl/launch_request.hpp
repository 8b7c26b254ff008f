// SPDX-License-Identifier: GPL-2.0-only
// `zonectl launch`'s options turned into the protocol's LaunchRequest and
// the open files that travel with it. zonectl opens --kernel, --initrd and
// every --disk itself, as the user who runs it, so zoned reads nothing on anyone's
// behalf; what zonectl can check alone (sizes that are not sizes, files
// that cannot be opened) it reports before asking zoned anything.
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/control/protocol.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bh::zonectl {

struct LaunchOptions {
    std::string name;
    std::uint32_t vcpus = 1;
    std::string memory = "256M";
    std::optional<std::string> kernel, initrd, cmdline;
    std::vector<std::string> env;
    std::vector<std::string> command;
    std::vector<std::string> disks;  // FILE or FILE:ro, as --disk gave them
    std::optional<std::string> root; // FILE or FILE:ro, as --root gave it: the first disk
};

struct PreparedLaunch {
    control::LaunchRequest request;
    std::vector<control::Fd> files; // kernel, then initrd, for those given, then the disks
};

// CommandError(refused) naming the zone and what to do for a size that is
// not one or a file that cannot be opened.
PreparedLaunch prepare_launch(const LaunchOptions& options);

} // namespace bh::zonectl
