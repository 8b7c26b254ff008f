// SPDX-License-Identifier: GPL-2.0-only
// bulkhead-zone-backend: one zone's backend process, started by zoned's
// supervisor (backend_supervisor.hpp) with its descriptors in place and
// its privileges already dropped. It sandboxes itself with its seccomp
// filter before it reads a byte from the zone, then serves the zone's
// console: a byte stream from the fake hypervisor (backend_loop.hpp) or,
// with --virtio, virtio-console and the zone's disks (--disk) over
// /dev/bulkhead (virtio_backend.hpp).
#include <bulkhead/zoned/backend_loop.hpp>
#include <bulkhead/zoned/sandbox.hpp>
#include <bulkhead/zoned/virtio_backend.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <signal.h>
#include <sys/socket.h>

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
    bool virtio = false;
    app.add_flag("--virtio", virtio, "fd 3 is a /dev/bulkhead zone fd: serve virtio-console in slot 0");
    std::vector<std::string> disk_modes;
    app.add_option("--disk", disk_modes, "with --virtio: ro or rw, for each disk from fd 7 on (slots 1, 2, ...)")
        ->check(CLI::IsMember({"ro", "rw"}))
        ->allow_extra_args(false);
    CLI11_PARSE(app, argc, argv);

    ::signal(SIGPIPE, SIG_IGN);
    bh::zoned::BackendFds fds;
    // Listened on here, not by zoned, so that a later zoned connecting to
    // it learns this process's pid (SO_PEERCRED). None given: no re-attach.
    if (::listen(fds.input_listener, 4) != 0) fds.input_listener = -1;
    std::unique_ptr<bh::zoned::VirtioBackend> vb;
    try {
        if (virtio) {
            // Descriptors and the RAM mapping first: the filter then
            // allows only the zone's interrupt ioctl.
            std::vector<bh::zoned::DiskMode> disks;
            for (const std::string& m : disk_modes) disks.push_back({m == "ro"});
            vb = bh::zoned::prepare_virtio_backend(fds, zone.c_str(), disks);
            bh::zoned::install_backend_seccomp(fds.log_dir, 1023, {fds.console, bh::zoned::virtio_backend_irq_ioctl()},
                                               fds.input_listener);
        } else {
            bh::zoned::install_backend_seccomp(fds.log_dir, fds.log_dir, {}, fds.input_listener);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-zone-backend: zone '%s': %s\n", zone.c_str(), e.what());
        return 1;
    }
    if (vb) return static_cast<int>(bh::zoned::run_virtio_backend(vb.get(), fds, limits));
    return static_cast<int>(bh::zoned::run_backend(fds, limits));
}
