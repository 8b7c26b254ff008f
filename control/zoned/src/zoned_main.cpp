// SPDX-License-Identifier: GPL-2.0-only
// zoned: the control domain's zone-management daemon (docs/zonectl.md,
// control/README.md). Runs in the foreground and logs to standard error,
// as systemd expects; SIGTERM or SIGINT stop it (zones keep running).
#include <bulkhead/zoned/daemon.hpp>
#include <bulkhead/zoned/device_hypervisor.hpp>
#include <bulkhead/zoned/fake_hypervisor.hpp>
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/zone_arch.hpp>

#include <bulkhead/control/size.hpp>

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <unistd.h>

using namespace bh::zoned;

namespace {

Daemon* running = nullptr;

void on_signal(int) {
    if (running) running->request_stop();
}

std::filesystem::path beside_me(const char* name) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path(name) : self.parent_path() / name;
}

// The control domain's boot id: a new one each time the node boots.
std::string read_boot_id() {
    std::ifstream f("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(f, id);
    return id;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"zoned: manages Bulkhead zones for zonectl"};
    DaemonOptions options;
    options.socket_path = "/run/bulkhead/zoned.sock";
    options.manager.state_dir = "/var/lib/bulkhead/zoned";
    options.manager.default_kernel =
        std::string("/usr/share/bulkhead/zone/") + zone_arch_info(kNativeZoneArch).kernel_file;
    options.manager.default_initrd = "/usr/share/bulkhead/zone/initramfs.cpio";
    options.manager.backend_executable = beside_me("bulkhead-zone-backend");
    std::string fake_dir, fake_memory = "4G", log_max = "1M";
    std::string zone_cmdline = DeviceHypervisor::kDefaultCmdline;
    std::uint32_t fake_cpus = 4, uid_base = 4000000;
    bool same_user = false, quiet = false;
    std::filesystem::path fake_zone = beside_me("bulkhead-fake-zone");

    app.add_option("--socket", options.socket_path, "the socket zonectl connects to")->capture_default_str();
    app.add_option("--state-dir", options.manager.state_dir, "the zone database and console logs")
        ->capture_default_str();
    app.add_option("--kernel", options.manager.default_kernel, "the shipped zone kernel (launch's default)")
        ->capture_default_str();
    app.add_option("--initrd", options.manager.default_initrd, "the shipped zone initramfs (launch's default)")
        ->capture_default_str();
    app.add_option("--backend", options.manager.backend_executable, "the per-zone backend executable")
        ->capture_default_str();
    app.add_option("--backend-uid-base", uid_base, "as root, zone N's backend runs as uid and gid BASE+N")
        ->capture_default_str();
    app.add_flag("--backend-same-user", same_user, "run backends as zoned's own user even as root (no per-zone uid)");
    app.add_option("--log-max", log_max, "a console log file's size before it rotates")->capture_default_str();
    app.add_option("--log-keep", options.manager.log.log_keep, "rotated console log files kept per zone")
        ->capture_default_str();
    app.add_option("--zone-cmdline", zone_cmdline, "the zone kernel's command line when a launch gives none")
        ->capture_default_str();
    app.add_option("--fake-hypervisor", fake_dir,
                   "run zones with the fake hypervisor, its state in this directory (no Bulkhead needed)");
    app.add_option("--fake-cpus", fake_cpus, "the fake hypervisor's CPUs (when its directory is new)")
        ->capture_default_str();
    app.add_option("--fake-memory", fake_memory, "the fake hypervisor's memory (when its directory is new)")
        ->capture_default_str();
    app.add_option("--fake-zone", fake_zone, "the fake hypervisor's zone executable")->capture_default_str();
    app.add_option("--boot-id", options.manager.boot_id,
                   "this boot of the node (default: the kernel's boot id); records from another boot name zones "
                   "that are gone");
    app.add_flag("--quiet", quiet, "log nothing but failures to start");
    CLI11_PARSE(app, argc, argv);

    set_log_quiet(quiet);
    if (options.manager.boot_id.empty()) options.manager.boot_id = read_boot_id();
    auto log_bytes = bh::control::parse_size(log_max);
    auto fake_bytes = bh::control::parse_size(fake_memory);
    if (!log_bytes || *log_bytes == 0 || !fake_bytes) {
        std::cerr << "zoned: --log-max and --fake-memory take sizes such as 1M or 4G\n";
        return 2;
    }
    options.manager.log.log_max_bytes = *log_bytes;
    if (::geteuid() == 0 && !same_user) options.manager.backend_uid_base = uid_base;

    std::signal(SIGPIPE, SIG_IGN);
    try {
        std::unique_ptr<Hypervisor> hv;
        if (!fake_dir.empty())
            hv = std::make_unique<FakeHypervisor>(FakeOptions{fake_dir, fake_zone, fake_cpus, *fake_bytes});
        else
            hv = std::make_unique<DeviceHypervisor>("/dev/bulkhead", zone_cmdline);
        std::filesystem::create_directories(std::filesystem::path(options.socket_path).parent_path());
        Daemon daemon(options, std::move(hv));
        running = &daemon;
        std::signal(SIGTERM, on_signal);
        std::signal(SIGINT, on_signal);
        daemon.run();
        running = nullptr;
        log_line("stopped (zones keep running)");
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "zoned: " << e.what() << "\n";
        return 1;
    }
}
