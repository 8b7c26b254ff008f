# SPDX-License-Identifier: GPL-2.0-only
"""Boot Bulkhead (or a bare guest) in QEMU and judge its console output.

Modules: accel (KVM or TCG), qemu (command line, boot, streaming with a
timeout), console (parsing zone tags, verdicts and benchmark lines), expect
(checks), junit (XML report), manifest (truncated copies), seed (the
fuzzers' seeds in manifest copies), x86 (ISOs, Bochs)."""
