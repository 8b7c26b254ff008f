// SPDX-License-Identifier: GPL-2.0-only
// Zone init: the pure parts (no system calls), unit-tested on the host.
//
// Where the workload comes from, in order:
//  1. the device tree the hypervisor generates for the zone, node
//     /chosen/bulkhead,workload (read through /sys/firmware/devicetree/base):
//       command   string       the program (PATH search when it has no '/')
//       args      string list  argv[1..] (NUL-separated; "" is a valid arg)
//       env       string list  KEY=VALUE, merged over the defaults below
//       cwd       string       working directory (default "/")
//       stdin     string       "stream": standard input is the host's stream
//                              (stdin_stream.hpp); else the console
//       zone-name string       the hostname
//  2. the kernel command line (/proc/cmdline): the words after the first
//     "--" are the command and its arguments, split like a POSIX shell does
//     (single quotes, double quotes, backslash); "bulkhead.zone-name=NAME"
//     before the "--" names the zone, "bulkhead.stdin=stream" asks for the
//     host's stream as standard input (the kernel ignores both, having dots);
//     bulkhead.root= and bulkhead.root-mode= put the zone's root on a disk
//     (root_disk.hpp).
//
// Every workload's environment has BULKHEAD_ZONE (the zone's name) and
// BULKHEAD_VCPUS (its vCPU count) besides the defaults and the manifest's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zone_init {

// A DT "string" property's value: up to its first NUL.
std::string dt_string(std::string_view raw);

// A DT "string list" property's value: NUL-terminated strings back to back.
// An empty property is an empty list; "\0" is one empty string. A final
// string without its NUL is accepted.
std::vector<std::string> dt_string_list(std::string_view raw);

// Splits text into words the way a POSIX shell splits a simple command
// (no expansions): blanks separate words; '...' is literal; "..." is literal
// except for backslash before " \ $ ` and newline; a backslash outside quotes
// quotes the next character. Returns nothing (and sets *error) on an
// unterminated quote.
std::optional<std::vector<std::string>> split_words(std::string_view text, std::string* error = nullptr);

struct CmdlineWorkload {
    bool has_separator = false;    // a "--" word was present
    std::vector<std::string> argv; // the words after it
    std::string zone_name;         // bulkhead.zone-name=, before the "--"
    std::string stdin_mode;        // bulkhead.stdin=, before the "--"
    std::string cwd;               // bulkhead.cwd=, before the "--"
    std::vector<std::string> env;  // each bulkhead.env=KEY=VALUE, before the "--"
    std::string root;              // bulkhead.root=, before the "--" (root_disk.hpp)
    std::string root_mode;         // bulkhead.root-mode=, before the "--"
};

// Parses /proc/cmdline. Nothing (and *error) when it cannot be split.
std::optional<CmdlineWorkload> parse_cmdline(std::string_view cmdline, std::string* error = nullptr);

// The environment every workload starts from.
std::vector<std::string> default_environment();

// Merges KEY=VALUE entries over a base: an entry replaces the base entry with
// the same key in place, new keys are appended in order. Entries without '='
// are kept as they are (execve passes them through).
std::vector<std::string> merge_environment(std::vector<std::string> base, const std::vector<std::string>& overrides);

// `env` with BULKHEAD_ZONE and BULKHEAD_VCPUS set (whatever it said): where
// the workload runs, for it to see.
std::vector<std::string> zone_environment(std::vector<std::string> env, std::string_view zone, unsigned vcpus);

// How many CPUs a kernel CPU list names ("0-3,6\n", as in
// /sys/devices/system/cpu/present): nothing when it is malformed or empty.
// The zone's vCPUs are its present CPUs: one per vCPU node of the device
// tree on arm64, one per enabled local APIC of the MADT on x86-64 (where
// "possible" may also count hot-pluggable ones).
std::optional<unsigned> cpu_list_count(std::string_view list);

// The value of KEY in a KEY=VALUE list, if present.
std::optional<std::string> env_lookup(const std::vector<std::string>& env, std::string_view key);

// The paths execvp would try for cmd: cmd itself when it contains '/',
// otherwise dir/cmd for each PATH element (an empty element means ".").
std::vector<std::string> exec_candidates(std::string_view cmd, std::string_view path);

// 126 for permission-like failures (EACCES, EPERM, ENOEXEC, EISDIR), 127 for
// everything else (not found, and anything that kept the program from
// starting), as shells do.
int exec_failure_status(int err);

// "BULKHEAD-EXIT status=<N>" or "BULKHEAD-EXIT signal=<N>" for a wait
// status; no newline.
std::string format_exit_record(int wait_status);
std::string format_exit_status_record(int status);

// "zone-init: cannot run '<cmd>': <detail>"; no newline.
std::string format_cannot_run(std::string_view cmd, std::string_view detail);

} // namespace zone_init
