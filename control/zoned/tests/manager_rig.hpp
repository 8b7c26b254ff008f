// SPDX-License-Identifier: GPL-2.0-only
// A ZoneManager's surroundings for its tests: a temporary state
// directory, a StubHypervisor, a shipped "kernel" (an arm64 Image header)
// and no backend executable, so a backend is given up on at once.
#pragma once

#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include "stub_hypervisor.hpp"
#include "temp_dir.hpp"

#include <fstream>
#include <string>

struct ManagerRig {
    TempDir dir;
    StubHypervisor hv;
    bh::zoned::ManagerOptions options;

    ManagerRig() {
        bh::zoned::set_log_quiet(true);
        std::string image(64, '\0');
        image.replace(56, 4, "ARM\x64");
        std::ofstream(dir.path / "Image", std::ios::binary) << image;
        options.state_dir = dir.path / "state";
        options.backend_executable = dir.path / "no-backend";
        options.default_kernel = dir.path / "Image";
        options.restart.max_restarts = 0; // no backends here: give up at once
    }

    // A file of `bytes` bytes in the directory; its path.
    std::string file(const std::string& name, std::size_t bytes) {
        std::filesystem::path p = dir.path / name;
        std::ofstream(p, std::ios::binary) << std::string(bytes, 'd');
        return p.string();
    }
};
