// SPDX-License-Identifier: GPL-2.0-only
// Host tests of zone-init's parsing and formatting (workload.hpp).
#include "workload.hpp"

#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <sys/wait.h>

using namespace zone_init;
using namespace std::string_literals;
using Strings = std::vector<std::string>;

TEST_CASE("a DT string stops at its first NUL", "[zone-init]") {
    CHECK(dt_string("/bin/sh\0"s) == "/bin/sh");
    CHECK(dt_string("/bin/sh") == "/bin/sh");
    CHECK(dt_string(""s) == "");
    CHECK(dt_string("\0"s) == "");
    CHECK(dt_string("a\0b\0"s) == "a");
}

TEST_CASE("a DT string list splits on NULs and keeps empty strings", "[zone-init]") {
    CHECK(dt_string_list(""s).empty());
    CHECK(dt_string_list("\0"s) == Strings{""});
    CHECK(dt_string_list("-c\0echo hi\0"s) == Strings{"-c", "echo hi"});
    CHECK(dt_string_list("a\0\0b\0"s) == Strings{"a", "", "b"});
    CHECK(dt_string_list("a\0b"s) == Strings{"a", "b"}); // missing final NUL
    CHECK(dt_string_list("FOO=1\0BAR=x y\0"s) == Strings{"FOO=1", "BAR=x y"});
}

TEST_CASE("words split like a POSIX shell", "[zone-init]") {
    CHECK(split_words("") == Strings{});
    CHECK(split_words("  a  b\tc\n") == Strings{"a", "b", "c"});
    CHECK(split_words("sh -c 'uname -a; nproc; exit 3'") == Strings{"sh", "-c", "uname -a; nproc; exit 3"});
    CHECK(split_words(R"(a"b c"d)") == Strings{"ab cd"});
    CHECK(split_words(R"("a \"q\" \\ \$x \n")") == Strings{R"(a "q" \ $x \n)"});
    CHECK(split_words(R"('it'\''s')") == Strings{"it's"});
    CHECK(split_words(R"(a\ b c)") == Strings{"a b", "c"});
    CHECK(split_words("'' \"\"") == Strings{"", ""});
    CHECK(split_words("'$HOME' \"$HOME\"") == Strings{"$HOME", "$HOME"});
    CHECK(split_words("x\\") == Strings{"x\\"});
    std::string error;
    CHECK_FALSE(split_words("sh -c 'oops", &error));
    CHECK(error == "unterminated single quote");
    CHECK_FALSE(split_words("sh -c \"oops", &error));
    CHECK(error == "unterminated double quote");
}

TEST_CASE("the workload is what follows '--' on the kernel command line", "[zone-init]") {
    auto w = parse_cmdline("console=ttyAMA0 earlycon panic=-1 -- /bin/sh -c 'uname -a; nproc; exit 3'\n");
    REQUIRE(w);
    CHECK(w->has_separator);
    CHECK(w->argv == Strings{"/bin/sh", "-c", "uname -a; nproc; exit 3"});
    CHECK(w->zone_name.empty());

    w = parse_cmdline("console=ttyAMA0 bulkhead.zone-name=alpha dyndbg=\"file x +p\" -- true -- x");
    REQUIRE(w);
    CHECK(w->zone_name == "alpha");
    CHECK(w->argv == Strings{"true", "--", "x"});
    CHECK(w->stdin_mode.empty());

    // bulkhead.stdin= counts before the "--" only: after it, it is the workload's.
    w = parse_cmdline("bulkhead.stdin=stream quiet -- cat bulkhead.stdin=console");
    REQUIRE(w);
    CHECK(w->stdin_mode == "stream");
    CHECK(w->argv == Strings{"cat", "bulkhead.stdin=console"});

    // What the x86 hypervisor writes (no device tree there): the directory
    // and the environment before the "--", double-quoted.
    w = parse_cmdline("console=ttyS0 tsc_early_khz=2000 bulkhead.zone-name=z bulkhead.cwd=\"/tmp\" "
                      "bulkhead.env=\"A=1\" bulkhead.env=\"B=two words\" -- \"/bin/sh\" \"-c\" \"echo \\\"$B\\\"\" "
                      "bulkhead.env=\"C=no\"");
    REQUIRE(w);
    CHECK(w->cwd == "/tmp");
    CHECK(w->env == Strings{"A=1", "B=two words"});
    CHECK(w->argv == Strings{"/bin/sh", "-c", "echo \"$B\"", "bulkhead.env=C=no"});

    w = parse_cmdline("console=ttyAMA0 quiet\n");
    REQUIRE(w);
    CHECK_FALSE(w->has_separator);
    CHECK(w->argv.empty());

    w = parse_cmdline("console=ttyAMA0 --");
    REQUIRE(w);
    CHECK(w->has_separator);
    CHECK(w->argv.empty());

    // "--" glued to something else is not the separator.
    w = parse_cmdline("a--b --x -- y");
    REQUIRE(w);
    CHECK(w->argv == Strings{"y"});

    std::string error;
    CHECK_FALSE(parse_cmdline("-- sh -c 'x", &error));
    CHECK(error == "unterminated single quote");
}

TEST_CASE("environment entries override the defaults by key", "[zone-init]") {
    const auto base = default_environment();
    REQUIRE(env_lookup(base, "PATH"));
    CHECK(env_lookup(base, "PATH")->find("/bin") != std::string::npos);
    CHECK(env_lookup(base, "HOME") == "/root");
    CHECK_FALSE(env_lookup(base, "NOPE"));

    const auto env = merge_environment({"PATH=/bin", "HOME=/root"}, {"HOME=/work", "A=1=2", "B=", "NOEQ"});
    CHECK(env == Strings{"PATH=/bin", "HOME=/work", "A=1=2", "B=", "NOEQ"});
    CHECK(env_lookup(env, "A") == "1=2");
    CHECK(env_lookup(env, "B") == "");
    CHECK_FALSE(env_lookup(env, "NOEQ"));
    CHECK(merge_environment({"X=1"}, {"X=2", "X=3"}) == Strings{"X=3"});
}

TEST_CASE("the workload learns its zone's name and vCPU count", "[zone-init]") {
    const auto env =
        zone_environment(merge_environment(default_environment(), {"BULKHEAD_ZONE=forged", "X=1"}), "alpha", 2);
    CHECK(env_lookup(env, "BULKHEAD_ZONE") == "alpha"); // the manifest's env cannot change where it runs
    CHECK(env_lookup(env, "BULKHEAD_VCPUS") == "2");
    CHECK(env_lookup(env, "X") == "1");
    CHECK(env_lookup(env, "HOME") == "/root");
}

TEST_CASE("the vCPU count comes from the kernel's CPU list", "[zone-init]") {
    CHECK(cpu_list_count("0\n") == 1u);
    CHECK(cpu_list_count("0-1\n") == 2u);
    CHECK(cpu_list_count("0-7") == 8u);
    CHECK(cpu_list_count("0,2-3,6\n") == 4u);
    CHECK(cpu_list_count("12-15") == 4u);
    CHECK_FALSE(cpu_list_count(""));
    CHECK_FALSE(cpu_list_count("\n"));
    CHECK_FALSE(cpu_list_count("3-1"));
    CHECK_FALSE(cpu_list_count("0-"));
    CHECK_FALSE(cpu_list_count("0,"));
    CHECK_FALSE(cpu_list_count("-1"));
    CHECK_FALSE(cpu_list_count("0 1"));
    CHECK_FALSE(cpu_list_count("9999999"));
}

TEST_CASE("commands without a slash are searched in PATH", "[zone-init]") {
    CHECK(exec_candidates("/bin/sh", "/usr/bin:/bin") == Strings{"/bin/sh"});
    CHECK(exec_candidates("./run", "/bin") == Strings{"./run"});
    CHECK(exec_candidates("sh", "/usr/bin:/bin/") == Strings{"/usr/bin/sh", "/bin/sh"});
    CHECK(exec_candidates("sh", ":/bin") == Strings{"./sh", "/bin/sh"});
    CHECK(exec_candidates("sh", "") == Strings{"./sh"});
    CHECK(exec_candidates("", "/bin").empty());
}

TEST_CASE("start failures map to 126 (permission) or 127", "[zone-init]") {
    CHECK(exec_failure_status(ENOENT) == 127);
    CHECK(exec_failure_status(ENOTDIR) == 127);
    CHECK(exec_failure_status(ENOMEM) == 127);
    CHECK(exec_failure_status(EACCES) == 126);
    CHECK(exec_failure_status(EPERM) == 126);
    CHECK(exec_failure_status(ENOEXEC) == 126);
    CHECK(exec_failure_status(EISDIR) == 126);
}

TEST_CASE("the exit record says status or signal", "[zone-init]") {
    CHECK(format_exit_record(W_EXITCODE(0, 0)) == "BULKHEAD-EXIT status=0");
    CHECK(format_exit_record(W_EXITCODE(3, 0)) == "BULKHEAD-EXIT status=3");
    CHECK(format_exit_record(W_EXITCODE(255, 0)) == "BULKHEAD-EXIT status=255");
    CHECK(format_exit_record(W_EXITCODE(0, SIGKILL)) == "BULKHEAD-EXIT signal=9");
    CHECK(format_exit_record(W_EXITCODE(0, SIGSEGV) | 0x80) == "BULKHEAD-EXIT signal=11"); // core dumped
    CHECK(format_exit_status_record(127) == "BULKHEAD-EXIT status=127");
    CHECK(format_cannot_run("/nope", "No such file or directory") ==
          "zone-init: cannot run '/nope': No such file or directory");
}
