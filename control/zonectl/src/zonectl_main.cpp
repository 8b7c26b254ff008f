// SPDX-License-Identifier: GPL-2.0-only
// zonectl: the command line for zoned (docs/zonectl.md). Parses with
// CLI11, sends one JSON request over zoned's socket, prints the answer;
// exit statuses are exit_codes.hpp's.
#include <bulkhead/zonectl/client.hpp>
#include <bulkhead/zonectl/commands.hpp>
#include <bulkhead/zonectl/exit_codes.hpp>

#include <CLI/CLI.hpp>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>

using namespace bh::zonectl;

namespace {

CLI::Option* add_output(CLI::App* command, std::string& output) {
    return command->add_option("-o,--output", output, "table (for people) or json (for programs)")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
}

Output output_of(const std::string& text) { return text == "json" ? Output::json : Output::table; }

// Runs a command, turning failures into a message and an exit status.
int report(const std::function<int()>& command) {
    try {
        return command();
    } catch (const CommandError& e) {
        std::cerr << "zonectl: " << e.what() << "\n";
        return static_cast<int>(e.exit());
    } catch (const bh::control::RequestError& e) {
        std::cerr << "zonectl: " << e.what() << "\n";
        return static_cast<int>(Exit::refused);
    } catch (const bh::control::ProtocolError& e) {
        std::cerr << "zonectl: zoned's answer cannot be read (" << e.what()
                  << "): use the zonectl that came with this zoned\n";
        return static_cast<int>(Exit::failed);
    } catch (const std::exception& e) {
        std::cerr << "zonectl: " << e.what() << "\n";
        return static_cast<int>(Exit::failed);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"zonectl: launch, watch, attach to and destroy Bulkhead zones (through zoned)"};
    app.require_subcommand(1);
    app.footer("Exit status: 0 done; 1 zoned refused (the message says why and what to do); 2 bad command line;\n"
               "3 zoned not reachable; 4 zoned broke off. launch --wait/--attach: the workload's status\n"
               "(128+N for signal N), 125 if the launch itself failed. See docs/zonectl.md.");
    Context ctx{kDefaultSocket};
    app.add_option("--socket", ctx.socket, "zoned's socket")->envname(kSocketEnv)->capture_default_str();

    LaunchOptions launch;
    LaunchMode mode;
    CLI::App* launch_cmd = app.add_subcommand("launch", "create and start a zone running COMMAND");
    launch_cmd->add_option("--vcpus", launch.vcpus, "virtual CPUs")->capture_default_str();
    launch_cmd->add_option("--memory", launch.memory, "memory, like 256M or 1G")->capture_default_str();
    launch_cmd->add_option(
        "--kernel", launch.kernel,
        "an arm64 Linux Image; on x86-64 a bzImage or PVH vmlinux (default: the shipped zone kernel)");
    launch_cmd->add_option("--initrd", launch.initrd, "an initramfs (default: the shipped one)");
    launch_cmd->add_option("--cmdline", launch.cmdline, "the kernel command line");
    launch_cmd
        ->add_option("--disk", launch.disks,
                     "a disk image (a file or block device) the zone sees as /dev/vda, then /dev/vdb, ...; "
                     "FILE:ro read-only (repeatable)")
        ->allow_extra_args(false);
    launch_cmd->add_option("--root", launch.root,
                           "a disk image with the zone's root filesystem (ext4), which it mounts as / and runs "
                           "COMMAND in (a distribution's userland): /dev/vda, before any --disk; FILE:ro read-only");
    launch_cmd->add_option("--env", launch.env, "KEY=VALUE for the workload (repeatable)")->allow_extra_args(false);
    launch_cmd->add_flag("--attach", mode.attach, "attach to its console (Ctrl-] detaches)");
    launch_cmd->add_flag("--wait", mode.wait, "show its console until it ends and exit with its status");
    launch_cmd->add_option("NAME", launch.name, "the zone's name (a-z 0-9 - _)")->required();
    launch_cmd->add_option("COMMAND", launch.command, "the workload and its arguments, after --")->required();

    std::string output = "table", name;
    bool follow = false, force = false;
    CLI::App* list_cmd = app.add_subcommand("list", "the zones, their states and exit statuses");
    add_output(list_cmd, output);
    CLI::App* info_cmd = app.add_subcommand("info", "one zone in detail");
    add_output(info_cmd, output);
    info_cmd->add_option("NAME", name, "the zone")->required();
    CLI::App* console_cmd = app.add_subcommand("console", "attach to a zone's console (Ctrl-] detaches)");
    console_cmd->add_option("NAME", name, "the zone")->required();
    CLI::App* logs_cmd = app.add_subcommand("logs", "a zone's console output so far");
    logs_cmd->add_flag("-f,--follow", follow, "keep showing new output until the zone ends");
    logs_cmd->add_option("NAME", name, "the zone")->required();
    std::map<std::string, CLI::App*> state_cmds;
    for (const auto& [op, help] :
         {std::pair{"pause", "pause a running zone"}, std::pair{"resume", "resume a paused zone"},
          std::pair{"stop", "end a zone now (status 137); its record stays"}}) {
        CLI::App* cmd = app.add_subcommand(op, help);
        cmd->add_option("NAME", name, "the zone")->required();
        state_cmds[op] = cmd;
    }
    CLI::App* destroy_cmd = app.add_subcommand("destroy", "remove an ended zone, its record and its logs");
    destroy_cmd->add_flag("-f,--force", force, "stop it first if it still runs");
    destroy_cmd->add_option("NAME", name, "the zone")->required();
    CLI::App* host_cmd = app.add_subcommand("host", "the machine zones run on");
    host_cmd->require_subcommand(1);
    CLI::App* host_info_cmd = host_cmd->add_subcommand("info", "CPUs, free memory, zones");
    add_output(host_info_cmd, output);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int status = app.exit(e);
        return status == 0 ? 0 : static_cast<int>(Exit::usage);
    }

    return report([&]() -> int {
        if (*launch_cmd) return cmd_launch(ctx, launch, mode);
        if (*list_cmd) return cmd_list(ctx, output_of(output));
        if (*info_cmd) return cmd_info(ctx, name, output_of(output));
        if (*console_cmd) return cmd_console(ctx, name);
        if (*logs_cmd) return cmd_logs(ctx, name, follow);
        for (const auto& [op, cmd] : state_cmds)
            if (*cmd) return cmd_change_state(ctx, op, name);
        if (*destroy_cmd) return cmd_destroy(ctx, name, force);
        if (*host_info_cmd) return cmd_host_info(ctx, output_of(output));
        return static_cast<int>(Exit::usage);
    });
}
