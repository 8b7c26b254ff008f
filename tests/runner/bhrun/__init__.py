# SPDX-License-Identifier: GPL-2.0-only
"""Boot Bulkhead (or a bare guest) in QEMU and judge its console output.

Modules: accel (KVM or TCG), qemu (command line, boot, streaming with a
timeout), console (parsing zone tags, verdicts and benchmark lines, joining
long lines), expect (checks), junit (XML report), manifest (truncated
copies), seed (the fuzzers' seeds in manifest copies), x86 (ISOs, Bochs).
For the user-facing tools (scripts/run-zone, scripts/run-manifest): ends
(how zones ended, the exit statuses), session (a supervised run with a
deadline and standard input), stdin_stream (its framing), cli (refusals,
file checks, the judge of the hypervisor's lines)."""
