// SPDX-License-Identifier: GPL-2.0-only
// bulkhead-zone-backend: one zone's backend process, started by zoned's
// supervisor (backend_supervisor.hpp) with its descriptors in place and
// its privileges already dropped. It sandboxes itself with its seccomp
// filter before it reads a byte from the zone, then serves the zone's
// console (backend_loop.hpp).
#include <bulkhead/zoned/backend_loop.hpp>
#include <bulkhead/zoned/sandbox.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <signal.h>

// Built with AddressSanitizer for the tests: LeakSanitizer's exit check
// uses ptrace, which the seccomp filter rightly forbids.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

int main(int argc, char** argv) {
    CLI::App app{"bulkhead-zone-backend: a zone's console backend (started by zoned, not by hand)"};
    std::string zone;
    bh::zoned::BackendLimits limits;
    app.add_option("--zone", zone, "the zone served")->required();
    app.add_option("--log-max", limits.log_max_bytes, "console log size before rotation")->required();
    app.add_option("--log-keep", limits.log_keep, "rotated console logs kept")->required();
    CLI11_PARSE(app, argc, argv);

    ::signal(SIGPIPE, SIG_IGN);
    bh::zoned::BackendFds fds;
    try {
        bh::zoned::install_backend_seccomp(fds.log_dir, fds.log_dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-zone-backend: zone '%s': %s\n", zone.c_str(), e.what());
        return 1;
    }
    return static_cast<int>(bh::zoned::run_backend(fds, limits));
}
