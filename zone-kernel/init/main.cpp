// SPDX-License-Identifier: GPL-2.0-only
//
// zone-init: PID 1 of every Bulkhead Linux zone.
//
// Mounts the pseudo filesystems, names the host after the zone, runs the
// workload (see workload.hpp for where it comes from, and what it finds in
// its environment) as its child, with the console as its standard input or,
// for `stdin = "stream"`, the host's stream through a relay (stdin_stream.hpp),
// reaps
// orphans, forwards SIGTERM/SIGINT/SIGHUP to the workload, and when the
// workload ends prints one line for whoever watches the console
//
//     BULKHEAD-EXIT status=<N>     (normal exit)
//     BULKHEAD-EXIT signal=<N>     (killed by a signal)
//
// and then reports the same to the hypervisor with the BH_HC_ZONE_EXIT
// hypercall, made by a stub it kexecs into (see exit_stub.hpp): the line is
// display only, the hypercall is what the hypervisor records. If the stub
// cannot be loaded (a kernel without kexec, kexec_load disabled or locked
// down) init says so and powers off (reboot(RB_POWER_OFF): PSCI SYSTEM_OFF on
// arm64, ACPI on x86-64):
// the zone then ends with no status. A workload that cannot be started gives
// "zone-init: cannot run '<cmd>': <reason>" and status 127 (126 for
// permission problems). Should the power-off fail, init exits, the kernel
// panics, and with panic=-1 / PANIC_TIMEOUT=-1 it resets the zone.
//
// Run as any other PID (for tests on a development machine), it takes the
// workload from its own arguments after "--", mounts nothing, writes the
// line to standard output and exits with the workload's status (128+N for
// signal N) instead.
#include "exit_stub.hpp"
#include "root_disk.hpp"
#include "stdin_stream.hpp"
#include "workload.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <string>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace zone_init;

bool g_pid1 = false;
bool g_root_disk_writable = false; // the zone runs on a read-write root disk
int g_out = STDOUT_FILENO;         // where the exit line goes
int g_err = STDERR_FILENO;         // where zone-init's own messages go

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        const ssize_t n = ::write(fd, s.data(), s.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s.remove_prefix(static_cast<size_t>(n));
    }
}

// The first field of /proc/uptime (seconds since boot, two decimals).
std::string read_uptime() {
    char buf[64] = {};
    const int fd = ::open("/proc/uptime", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "?";
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    std::string s(buf, n > 0 ? static_cast<size_t>(n) : 0);
    return s.substr(0, s.find(' '));
}

void say(std::string_view line) {
    std::string s(line);
    s.push_back('\n');
    write_all(g_err, s);
}

std::string errstr(int err) { return std::strerror(err); }

std::optional<std::string> read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string data;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0) break;
        data.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return data;
}

// --- early setup (PID 1 only) ---------------------------------------------

void mount_fs(const char* source, const char* target, const char* type, unsigned long flags, const char* data) {
    if (::mkdir(target, 0755) < 0 && errno != EEXIST)
        say(std::string("zone-init: mkdir ") + target + ": " + errstr(errno));
    if (::mount(source, target, type, flags, data) < 0 && errno != EBUSY)
        say(std::string("zone-init: mount ") + type + " on " + target + ": " + errstr(errno));
}

// The kernel opens /dev/console as fds 0-2 for init when the initramfs has
// that node; make sure they exist either way.
void ensure_standard_fds() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0) continue;
        int c = ::open("/dev/console", O_RDWR | O_NOCTTY);
        if (c < 0) c = ::open("/dev/null", O_RDWR);
        if (c < 0) return;
        if (c != fd) {
            ::dup2(c, fd);
            ::close(c);
        }
    }
}

void early_setup() {
    ::umask(022);
    constexpr unsigned long common = MS_NOSUID | MS_NODEV;
    mount_fs("proc", "/proc", "proc", common | MS_NOEXEC, nullptr);
    mount_fs("sysfs", "/sys", "sysfs", common | MS_NOEXEC, nullptr);
    mount_fs("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    ensure_standard_fds();
    mount_fs("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
    mount_fs("tmpfs", "/dev/shm", "tmpfs", common, "mode=1777");
    mount_fs("tmpfs", "/tmp", "tmpfs", common, "mode=1777");
    mount_fs("tmpfs", "/run", "tmpfs", common, "mode=0755");
    const int console = ::open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (console >= 0) g_out = g_err = console;
}

// --- the workload ---------------------------------------------------------

struct Workload {
    std::vector<std::string> argv; // argv[0] is the command as given
    std::vector<std::string> env;
    std::string cwd = "/";
    std::string zone_name;
    bool stdin_stream = false; // the host's stream, not the console
    int stdin_fd = -1;         // the relay's pipe, once started
};

constexpr const char* kDtNode = "/sys/firmware/devicetree/base/chosen/bulkhead,workload";

// Fills w from the device tree node; false with *error when the node exists
// but is unusable. *found says whether the node exists at all.
bool workload_from_dt(Workload& w, bool* found, [[maybe_unused]] std::string* error) {
    struct stat st {};
    *found = ::stat(kDtNode, &st) == 0 && S_ISDIR(st.st_mode);
    if (!*found) return false;
    const std::string node = kDtNode;
    if (auto name = read_file(node + "/zone-name")) w.zone_name = dt_string(*name);
    auto command = read_file(node + "/command");
    if (!command || dt_string(*command).empty()) {
        // The hypervisor always names the zone here; with no command the
        // workload comes from the kernel command line (after "--").
        *found = false;
        return false;
    }
    w.argv.push_back(dt_string(*command));
    if (auto args = read_file(node + "/args"))
        for (auto& a : dt_string_list(*args)) w.argv.push_back(std::move(a));
    w.env = default_environment();
    if (auto env = read_file(node + "/env")) w.env = merge_environment(w.env, dt_string_list(*env));
    if (auto cwd = read_file(node + "/cwd"); cwd && !dt_string(*cwd).empty()) w.cwd = dt_string(*cwd);
    if (auto mode = read_file(node + "/stdin")) w.stdin_stream = is_stream_mode(dt_string(*mode));
    return true;
}

bool workload_from_cmdline(Workload& w, std::string* error) {
    auto cmdline = read_file("/proc/cmdline");
    if (!cmdline) {
        *error = "cannot read /proc/cmdline: " + errstr(errno);
        return false;
    }
    std::string why;
    auto parsed = parse_cmdline(*cmdline, &why);
    if (!parsed) {
        *error = "cannot parse the kernel command line: " + why;
        return false;
    }
    if (!parsed->zone_name.empty()) w.zone_name = parsed->zone_name;
    if (is_stream_mode(parsed->stdin_mode)) w.stdin_stream = true;
    if (parsed->argv.empty()) {
        *error = std::string("no workload: no command in ") + kDtNode +
                 " and no '-- COMMAND [ARGS...]' on the kernel command line";
        return false;
    }
    w.argv = std::move(parsed->argv);
    w.env = merge_environment(default_environment(), parsed->env);
    if (!parsed->cwd.empty()) w.cwd = parsed->cwd;
    return true;
}

bool workload_from_args(Workload& w, int argc, char** argv, std::string* error) {
    int i = 1;
    while (i < argc && std::string_view(argv[i]) != "--") ++i;
    if (i + 1 >= argc) {
        *error = "usage: zone-init -- COMMAND [ARGS...]   (when not PID 1)";
        return false;
    }
    for (++i; i < argc; ++i) w.argv.emplace_back(argv[i]);
    w.env = default_environment();
    return true;
}

// What the child tells the parent when it cannot start the workload. A
// successful execve closes the pipe without a word.
struct StartFailure {
    int stage; // 1: chdir, 2: exec
    int err;
};

[[noreturn]] void child_start(const Workload& w, int report_fd) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (g_pid1) ::setsid();
    if (w.stdin_fd >= 0) ::dup2(w.stdin_fd, STDIN_FILENO); // (the pipe itself is close-on-exec)

    auto fail = [&](int stage, int err) {
        const StartFailure f{stage, err};
        (void)!::write(report_fd, &f, sizeof f);
        ::_exit(exec_failure_status(err));
    };
    if (!w.cwd.empty() && ::chdir(w.cwd.c_str()) < 0) fail(1, errno);

    std::vector<char*> argv;
    for (const auto& a : w.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : w.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    const auto path = env_lookup(w.env, "PATH").value_or("/usr/sbin:/usr/bin:/sbin:/bin");
    int err = ENOENT;
    bool saw_eacces = false;
    for (const auto& candidate : exec_candidates(w.argv[0], path)) {
        ::execve(candidate.c_str(), argv.data(), envp.data());
        err = errno;
        // As execvp: keep searching past entries that are not there.
        if (err == EACCES) {
            saw_eacces = true;
            continue;
        }
        if (err == ENOENT || err == ENOTDIR || err == ESTALE || err == ENODEV || err == ETIMEDOUT) continue;
        break;
    }
    if (saw_eacces && (err == ENOENT || err == ENOTDIR)) err = EACCES;
    fail(2, err);
    ::_exit(127); // not reached
}

// --- standard input from the host's stream ---------------------------------

bool write_ok(int fd, std::string_view s) {
    while (!s.empty()) {
        const ssize_t n = ::write(fd, s.data(), s.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// The relay: console in, decoded, into the workload's pipe; the end of the
// stream closes the pipe, which the workload reads as end of file. It stops
// early if the workload closes its end. Reading as fast as the workload
// takes it, no faster: while it waits, the console's tty throttles the UART
// (RTS/CTS), the hypervisor leaves input in the host UART, and the host's
// sender waits, so nothing is lost on the way.
[[noreturn]] void relay(int out) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    StreamDecoder decoder;
    std::string data;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.clear();
        const bool end = decoder.feed(std::string_view(buf, static_cast<size_t>(n)), data);
        if (!data.empty() && !write_ok(out, data)) break;
        if (end) break;
    }
    ::_exit(0);
}

// Puts the console in raw input mode and starts the relay; the pipe's read
// end is the workload's standard input. On failure (after saying why) the
// workload reads the console as usual.
void start_stdin_relay(Workload& w) {
    termios t{};
    if (::tcgetattr(STDIN_FILENO, &t) < 0) {
        say("zone-init: stdin stream: the console is not a terminal (" + errstr(errno) +
            "); the workload reads it as is");
        return;
    }
    t.c_iflag &= ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF |
                                        IXANY | IMAXBEL);
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
    t.c_cflag |= CS8 | CREAD | CRTSCTS;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    int p[2];
    if (::tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0 || ::pipe2(p, O_CLOEXEC) < 0) {
        say("zone-init: stdin stream: " + errstr(errno) + "; the workload reads the console as is");
        return;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        say("zone-init: stdin stream: fork: " + errstr(errno) + "; the workload reads the console as is");
        ::close(p[0]);
        ::close(p[1]);
        return;
    }
    if (pid == 0) {
        ::close(p[0]);
        relay(p[1]);
    }
    ::close(p[1]);
    w.stdin_fd = p[0];
}

// When the workload's output did not end its line, start a new one, so the
// exit line starts a line of its own: with ONOCR|OCRNL a "\r" becomes "\n"
// unless the tty is already at column 0 (n_tty tracks the column of
// everything written to the tty, whoever wrote it).
void begin_line(int fd) {
    termios saved{};
    if (::tcgetattr(fd, &saved) < 0) return;
    termios probe = saved;
    probe.c_oflag |= OPOST | OCRNL | ONOCR | ONLRET;
    if (::tcsetattr(fd, TCSANOW, &probe) < 0) return;
    write_all(fd, "\r");
    ::tcsetattr(fd, TCSANOW, &saved);
}

// Loads the exit stub with kexec_load(2) and reboots into it; returns only
// if that failed (after saying why). Linux stops the other CPUs and enters
// the stub (arm64: at EL1, MMU off; x86-64: at CPL 0 in long mode with RAM
// identity-mapped), which makes the ZONE_EXIT hypercall.
void exit_by_hypercall(const ExitReport& report) {
#if defined(__aarch64__) || defined(__x86_64__)
    const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const auto iomem = read_file("/proc/iomem");
#if defined(__aarch64__)
    const auto where = iomem ? exit_stub_address(*iomem, page) : std::nullopt;
    const auto method = read_file("/sys/firmware/devicetree/base/psci/method");
    const auto stub = build_exit_stub(report, conduit_from_psci_method(method.value_or("hvc")));
#else
    // The conduit is the hypervisor's business: the stub asks CPUID.
    const auto where = iomem ? exit_stub_address(*iomem, page, kExitStubLowestX86) : std::nullopt;
    const auto stub = x86::build_exit_stub(report);
#endif
    if (!where) {
        say("zone-init: no System RAM in /proc/iomem for the exit stub; powering off without reporting the status");
        return;
    }
    const uint64_t address = where.value_or(0);
    kexec_segment segment{};
    segment.buf = stub.data();
    segment.bufsz = kExitStubSize;
    segment.mem = reinterpret_cast<void*>(address);
    segment.memsz = std::max<uint64_t>(page, kExitStubSize);
    if (::syscall(SYS_kexec_load, address, 1ul, &segment, static_cast<unsigned long>(KEXEC_ARCH_DEFAULT)) < 0) {
        say("zone-init: cannot load the exit stub (kexec_load: " + errstr(errno) +
            "); powering off without reporting the status");
        return;
    }
    ::reboot(LINUX_REBOOT_CMD_KEXEC);
    say("zone-init: cannot start the exit stub (reboot: " + errstr(errno) +
        "); powering off without reporting the status");
#else
    (void)report; // zones of other architectures power off without a status
#endif
}

// The zone's vCPUs: the kernel's present CPUs (see cpu_list_count), or,
// should sysfs not say, the CPUs it was configured with.
unsigned zone_vcpus() {
    if (auto list = read_file("/sys/devices/system/cpu/present"))
        if (auto n = cpu_list_count(*list)) return *n;
    return static_cast<unsigned>(::get_nprocs_conf());
}

// The kernel prints its messages straight to the console's UART, between
// whatever the tty is still sending, so a driver's late message could land
// inside the exit line ("BULKHEAD-EXIT status=0input: ImExPS/2 ..." was seen
// on x86-64). While the line goes out the kernel console prints emergencies
// only; the messages held back meanwhile stay in the kernel's log.
class QuietKernelConsole {
    // syslog(2)'s actions; Linux keeps their names out of its UAPI headers.
    static constexpr int kConsoleOff = 6; // SYSLOG_ACTION_CONSOLE_OFF
    static constexpr int kConsoleOn = 7;  // SYSLOG_ACTION_CONSOLE_ON

  public:
    explicit QuietKernelConsole(int tty) : tty_(tty) {
        ::tcdrain(tty_); // the workload's last output leaves first
        quiet_ = ::klogctl(kConsoleOff, nullptr, 0) == 0;
        // A message the kernel is printing already is not stopped by the
        // new level; opening /dev/console takes the console lock, which
        // the printing holds, so once this returns that message is out.
        const int c = ::open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (c >= 0) ::close(c);
    }
    ~QuietKernelConsole() {
        ::tcdrain(tty_); // the line has left the UART before the kernel speaks
        if (quiet_) ::klogctl(kConsoleOn, nullptr, 0);
    }
    QuietKernelConsole(const QuietKernelConsole&) = delete;
    QuietKernelConsole& operator=(const QuietKernelConsole&) = delete;

  private:
    int tty_;
    bool quiet_ = false;
};

[[noreturn]] void finish(int wait_status, const std::string& line) {
    if (g_pid1) {
        ::kill(-1, SIGKILL); // everything but init: stop writers before sync
        const QuietKernelConsole quiet(g_out);
        begin_line(g_out);
        write_all(g_out, line + "\n");
    } else {
        write_all(g_out, line + "\n");
    }
    if (!g_pid1) {
        if (WIFSIGNALED(wait_status)) ::_exit(128 + WTERMSIG(wait_status));
        ::_exit(WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 127);
    }
    if (g_root_disk_writable)
        if (auto why = settle_root_disk()) say("zone-init: " + *why);
    ::sync();
    exit_by_hypercall(exit_report(wait_status));
    ::reboot(RB_POWER_OFF);
    say("zone-init: power off failed: " + errstr(errno) + "; exiting (the kernel panics and resets)");
    ::_exit(1);
}

[[noreturn]] void fail_before_start(const std::string& message, int status) {
    say(message);
    finish(W_EXITCODE(status, 0), format_exit_status_record(status));
}

// bulkhead.root= on the kernel command line (root_disk.hpp): the workload
// runs on that disk. A command line that cannot be parsed is reported by
// workload_from_cmdline.
void enter_root_disk() {
    const auto cmdline = read_file("/proc/cmdline");
    std::string why;
    const auto parsed = cmdline ? parse_cmdline(*cmdline, &why) : std::nullopt;
    if (!parsed) return;
    const auto root = root_disk_from(parsed->root, parsed->root_mode, &why);
    if (!root) {
        if (!why.empty()) fail_before_start("zone-init: " + why, 127);
        return;
    }
    if (!switch_to_root_disk(*root, &why)) fail_before_start("zone-init: " + why, 127);
    g_root_disk_writable = !root->read_only;
}

} // namespace

int main(int argc, char** argv) {
    g_pid1 = ::getpid() == 1;
    if (g_pid1) {
        early_setup();
        enter_root_disk();
    }

    Workload w;
    std::string error;
    bool ok;
    if (g_pid1) {
        bool dt_found = false;
        ok = workload_from_dt(w, &dt_found, &error);
        if (!dt_found) ok = workload_from_cmdline(w, &error);
    } else {
        ok = workload_from_args(w, argc, argv, &error);
    }
    if (!ok) fail_before_start("zone-init: " + error, 127);

    if (g_pid1) {
        const std::string name = w.zone_name.empty() ? "zone" : w.zone_name;
        if (::sethostname(name.data(), name.size()) < 0) say("zone-init: sethostname '" + name + "': " + errstr(errno));
        w.env = zone_environment(std::move(w.env), name, zone_vcpus());
        if (!w.stdin_stream) {
            // bulkhead.stdin=stream on the kernel command line asks for it too.
            if (auto cmdline = read_file("/proc/cmdline"))
                if (auto parsed = parse_cmdline(*cmdline); parsed && is_stream_mode(parsed->stdin_mode))
                    w.stdin_stream = true;
        }
    }

    // Signals are taken synchronously with sigwaitinfo: blocked from here on
    // (and unblocked again in the child before execve).
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, s);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);

    // The hypervisor times the zone's boot up to this line; the uptime is
    // the zone's own view of the same interval. A host sending the stream
    // waits for it, so the relay and the console's raw mode come first.
    if (g_pid1 && w.stdin_stream) start_stdin_relay(w);
    if (g_pid1) say("BULKHEAD-START uptime=" + read_uptime());

    int report[2];
    if (::pipe2(report, O_CLOEXEC) < 0) fail_before_start(format_cannot_run(w.argv[0], "pipe: " + errstr(errno)), 127);
    const pid_t workload = ::fork();
    if (workload < 0) fail_before_start(format_cannot_run(w.argv[0], "fork: " + errstr(errno)), 127);
    if (workload == 0) {
        ::close(report[0]);
        child_start(w, report[1]);
    }
    ::close(report[1]);
    if (w.stdin_fd >= 0) ::close(w.stdin_fd); // the workload has it; the relay sees EPIPE once it closes it
    StartFailure f{};
    ssize_t n;
    do n = ::read(report[0], &f, sizeof f);
    while (n < 0 && errno == EINTR);
    ::close(report[0]);
    if (n == static_cast<ssize_t>(sizeof f)) {
        if (f.stage == 1)
            say(format_cannot_run(w.argv[0], "working directory '" + w.cwd + "': " + errstr(f.err)));
        else
            say(format_cannot_run(w.argv[0], errstr(f.err)));
    }

    // Reap everything; stop when the workload itself has ended.
    for (;;) {
        siginfo_t info;
        const int sig = ::sigwaitinfo(&mask, &info);
        if (sig < 0) continue; // EINTR
        if (sig != SIGCHLD) {
            ::kill(workload, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == workload) finish(status, format_exit_record(status));
        }
    }
}
