#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run one Bulkhead scenario: boot a fresh QEMU, stream its console, enforce
a timeout, and check verdicts and log lines. Exit status 0 only if every
expectation held; 1 if one did not; 2 if the run could not be set up.

  bulkhead_run.py --hypervisor build/aarch64/hypervisor/bulkhead.bin \\
      --manifest build/aarch64/tests/scenarios/two-zones.dtb \\
      --expect alpha:two-zones-alpha:SUCCESS --expect-poweroff

  bulkhead_run.py --native build/aarch64/tests/guests/aarch64/bench.elf --expect '*:bench:SUCCESS'

  bulkhead_run.py --arch x86_64 --iso build/x86_64/tests/scenarios/two-zones.iso \\
      [--firmware uefi] [--emulator bochs] --expect alpha:two-zones-alpha:SUCCESS --expect-poweroff

x86_64 boots a GRUB ISO: one given with --iso, or one the runner builds in a
temporary directory (boot/x86_64/mkiso.sh, about a second) from --hypervisor
bulkhead.elf and --manifest, which --seed-zone and --truncate-manifest need.

Fuzzing zones take their seed from the runner: --seed-zone ZONE writes the
run's seed into ZONE's `boot-argument` in a copy of the manifest, and the
zone prints it (`<test>: seed 0x<16 hex digits>`; `{seed}` in an expected
regex stands for that text). The seed is --seed N if given, else
$BULKHEAD_FUZZ_SEED, else a fresh random one each run. The first line of
output names it with the command that replays the run:

  bulkhead_run.py --hypervisor build/aarch64/hypervisor/bulkhead.bin \\
      --manifest build/aarch64/tests/scenarios/hypercall-fuzz.dtb --seed-zone hc-fuzz \\
      --expect-log '^\\[hc-fuzz\\] hypercall-fuzz: seed {seed}$' [--seed 0x1234]

  BULKHEAD_FUZZ_SEED=0x1234 ctest --test-dir build -R '^aarch64\\.hypercall-fuzz$'   # the same, through CTest
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bhrun import accel, junit, qemu, seed, x86  # noqa: E402
from bhrun.console import Console  # noqa: E402
from bhrun.expect import Expectations, VerdictExpectation, compile_regex, evaluate  # noqa: E402
from bhrun.manifest import truncated_copy  # noqa: E402


SKIPPED = 77  # CTest's SKIP_RETURN_CODE for the scenarios


class Skip(Exception):
    """The scenario cannot run on this host; the message says why."""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", help="scenario name for the summary and JUnit")
    boot = p.add_argument_group("what to boot")
    boot.add_argument("--arch", choices=("aarch64", "x86_64"), default="aarch64")
    boot.add_argument("--iso", help="x86_64: GRUB ISO with the hypervisor and the manifest")
    boot.add_argument("--firmware", choices=("bios", "uefi"), default="bios", help="x86_64 under QEMU: SeaBIOS or OVMF")
    boot.add_argument("--emulator", choices=("qemu", "bochs", "kvm"), default="qemu",
                      help="x86_64: QEMU TCG (AMD SVM), Bochs (Intel VMX), or QEMU on KVM with nested "
                           f"virtualization (exits {SKIPPED} when the host has none)")
    boot.add_argument("--hypervisor", help="hypervisor image (aarch64: bulkhead.bin; x86_64: bulkhead.elf, for an "
                                           "ISO the runner builds)")
    boot.add_argument("--manifest", help="manifest blob, passed as the initrd (x86_64: put on the ISO)")
    boot.add_argument("--truncate-manifest", metavar="N", help="boot a copy cut to N bytes (or N%%)")
    boot.add_argument("--native", metavar="IMAGE", help="boot IMAGE (an ELF) at EL1 without a hypervisor")
    boot.add_argument("--smp", type=int, help="CPUs (default 4; 2 with --native)")
    boot.add_argument("--mem", type=int, help="RAM in MiB (default 1024; 512 on x86_64)")
    boot.add_argument("--tcg-threads", choices=("single", "multi"), default="single",
                      help="x86_64 under QEMU TCG: one thread for all CPUs (default; see docs/architecture.md, "
                           "\"QEMU\") or one per CPU, for scenarios that measure timer rates on several CPUs")
    boot.add_argument("--timeout", type=float, default=60, help="seconds before QEMU is killed (default 60)")
    boot.add_argument("--qemu", default=os.environ.get("QEMU"), help="the QEMU binary (default by --arch)")
    boot.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument (repeatable)")
    boot.add_argument("--send", action="append", nargs=2, default=[], metavar=("REGEX", "TEXT"),
                      help="when a console line matches REGEX, type TEXT (\\n for newline) on the serial input")
    fuzz = p.add_argument_group("fuzzing seed")
    fuzz.add_argument("--seed-zone", action="append", default=[], metavar="ZONE",
                      help="boot a manifest copy whose zone ZONE has the run's seed as its boot-argument "
                           "(repeatable: all get the same seed)")
    fuzz.add_argument("--seed", metavar="N", help=f"the seed, decimal or 0x hex, 1 to 2^64-1 (default ${seed.ENV}, "
                                                   "else a fresh random one); the first output line says which")
    exp = p.add_argument_group("expectations")
    exp.add_argument("--expect", action="append", default=[], metavar="ZONE:TEST:VERDICT",
                     help="ZONE may be * (any) or empty (untagged output); TEST may be *")
    exp.add_argument("--expect-log", action="append", default=[], metavar="REGEX",
                     help=f"some console line matches REGEX ({seed.PLACEHOLDER} in any REGEX: the seed as "
                          "zones print it)")
    exp.add_argument("--forbid-log", action="append", default=[], metavar="REGEX")
    exp.add_argument("--order", action="append", nargs=2, default=[], metavar=("REGEX_A", "REGEX_B"),
                     help="the first line matching A comes before the first matching B")
    exp.add_argument("--expect-poweroff", action="store_true", help="QEMU must exit by itself with status 0")
    out = p.add_argument_group("output")
    out.add_argument("--junit", metavar="FILE")
    out.add_argument("--log", metavar="FILE", help="save the console here")
    out.add_argument("--bench-json", metavar="FILE", help="save BULKHEAD-BENCH results as JSON")
    out.add_argument("--quiet", action="store_true", help="do not echo the console")
    args = p.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.seed is not None and not args.seed_zone:
        p.error("--seed needs --seed-zone")
    try:
        args.seed_value, args.seed_source = seed.choose(args.seed) if args.seed_zone else (None, None)
    except ValueError as e:
        p.error(str(e))
    if args.arch == "x86_64":
        build_iso = bool(args.hypervisor or args.manifest)  # from both, by the runner
        if args.native or bool(args.iso) == build_iso or (build_iso and not (args.hypervisor and args.manifest)):
            p.error("--arch x86_64 boots an --iso, or --hypervisor bulkhead.elf with --manifest "
                    "(and takes no --native)")
        if args.iso and (args.seed_zone or args.truncate_manifest):
            p.error("--seed-zone and --truncate-manifest change the manifest: on x86_64 give --hypervisor and "
                    "--manifest instead of --iso")
        args.smp = args.smp or 2
        args.mem = args.mem or 512
        args.qemu = args.qemu or "qemu-system-x86_64"
        return args
    args.mem = args.mem or 1024
    args.qemu = args.qemu or "qemu-system-aarch64"
    if bool(args.native) == bool(args.hypervisor):
        p.error("give either --hypervisor (with --manifest) or --native")
    if args.hypervisor and not args.manifest:
        p.error("--hypervisor needs --manifest")
    if args.native and args.seed_zone:
        p.error("--seed-zone needs a manifest (not --native)")
    if args.smp is None:
        args.smp = 2 if args.native else 4
    return args


def build_expectations(args) -> Expectations:
    def regex(pattern):
        return compile_regex(seed.substitute(pattern, args.seed_value))

    clean = 0
    if args.arch == "x86_64" and args.emulator == "qemu":
        clean = x86.QEMU_POWEROFF_STATUS
    return Expectations(
        clean_exit=clean,
        emulator="Bochs" if args.arch == "x86_64" and args.emulator == "bochs" else "QEMU",
        verdicts=[VerdictExpectation.parse(s) for s in args.expect],
        logs=[regex(r) for r in args.expect_log],
        forbidden=[regex(r) for r in args.forbid_log],
        orders=[(regex(a), regex(b)) for a, b in args.order],
        poweroff=args.expect_poweroff)


def require_file(path, what):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what} {path} does not exist (build the project first: cmake --build build)")


def prepare_manifest(args, tmpdir) -> str:
    """The manifest to boot: the given one, or a seeded and/or truncated copy."""
    require_file(args.manifest, "manifest")
    manifest = args.manifest
    if args.seed_zone:
        manifest = seed.seeded_copy(manifest, args.seed_zone, args.seed_value, tmpdir)
    if args.truncate_manifest:
        manifest = truncated_copy(manifest, args.truncate_manifest, tmpdir)
    return manifest


def x86_iso(args, tmpdir) -> str:
    """The given ISO, or one built now from the hypervisor and the manifest."""
    if args.iso:
        require_file(args.iso, "ISO")
        return args.iso
    require_file(args.hypervisor, "hypervisor image")
    manifest = prepare_manifest(args, tmpdir)
    start = time.monotonic()
    iso = x86.make_iso(args.hypervisor, manifest, tmpdir)
    print(f"bulkhead_run: {args.name}: built the ISO in {time.monotonic() - start:.1f} s", flush=True)
    return iso


def start_x86(args, tmpdir, on_line, sends):
    """Boots the ISO; returns (accelerator description, outcome)."""
    if args.emulator == "kvm":  # before building an ISO that would not boot
        acc = x86.kvm_accel()
        if acc.name != "kvm":
            raise Skip(acc.reason)
    iso = x86_iso(args, tmpdir)
    boot = x86.Boot(iso=iso, smp=args.smp, mem_mib=args.mem, firmware=args.firmware, qemu=args.qemu,
                    extra=args.qemu_arg)
    if args.emulator == "bochs":
        if sends:
            raise ValueError("--send is not supported with Bochs")
        cmd, serial = x86.bochs_files(boot, tmpdir)
        print(f"bulkhead_run: {args.name}: Bochs (Intel VMX), timeout {args.timeout:g} s", flush=True)
        print("bulkhead_run: " + " ".join(cmd), flush=True)
        return "bochs", x86.run_bochs(cmd, serial, args.timeout, on_line)
    if args.emulator != "kvm":
        acc = x86.choose_accel("svm", args.tcg_threads)
    cmd = x86.qemu_command(boot, acc)
    print(f"bulkhead_run: {args.name}: accelerator {acc.name} ({acc.reason}), firmware {args.firmware}, "
          f"timeout {args.timeout:g} s", flush=True)
    print("bulkhead_run: " + " ".join(cmd), flush=True)
    return acc.name, qemu.run(cmd, args.timeout, on_line, sends)


def seed_line(args) -> str:
    zones = ", ".join(args.seed_zone)
    return (f"bulkhead_run: {args.name}: seed {seed.text(args.seed_value)} ({args.seed_source}) for zone "
            f"{zones}; replay: {seed.replay_command(__file__, args.argv, args.seed_value)}")


def run(args, tmpdir) -> int:
    name = args.name = args.name or os.path.splitext(os.path.basename(args.iso or args.manifest or args.native))[0]
    if args.seed_zone:  # first, so that CTest's output on failure starts with it
        print(seed_line(args), flush=True)
    exp = build_expectations(args)
    if args.arch == "x86_64":
        boot = None
    elif args.native:
        require_file(args.native, "guest image")
        boot = qemu.Boot(kernel=args.native, smp=args.smp, mem_mib=args.mem, native=True, qemu=args.qemu)
    else:
        require_file(args.hypervisor, "hypervisor image")
        manifest = prepare_manifest(args, tmpdir)
        boot = qemu.Boot(kernel=args.hypervisor, initrd=manifest, smp=args.smp, mem_mib=args.mem, qemu=args.qemu)
    if boot:
        boot.extra = args.qemu_arg
        acc = accel.choose(needs_el2=not args.native)
        cmd = qemu.command(boot, acc)
        print(f"bulkhead_run: {name}: accelerator {acc.name} ({acc.reason}), timeout {args.timeout:g} s", flush=True)
        print("bulkhead_run: " + " ".join(cmd), flush=True)

    console = Console()
    start = time.monotonic()
    grace = {"until": None}

    def on_line(source, text):
        if source == "stderr":
            print(f"qemu: {text}", flush=True)
            return False
        console.feed(text, time.monotonic() - start)
        if not args.quiet:
            print(text, flush=True)
        # Without --expect-poweroff, stop a little after everything showed up,
        # leaving forbidden lines a moment to appear.
        if not exp.poweroff and grace["until"] is None and exp.positive_ones_hold(console):
            grace["until"] = time.monotonic() + 0.5
        return grace["until"] is not None and time.monotonic() >= grace["until"]

    sends = [(re.compile(rx), text.replace("\\n", "\n")) for rx, text in args.send]
    if boot:
        outcome = qemu.run(cmd, args.timeout, on_line, sends)
        acc_name = acc.name
    else:
        acc_name, outcome = start_x86(args, tmpdir, on_line, sends)
    checks = evaluate(exp, console, outcome, args.timeout)
    console_text = "\n".join(l.text for l in console.lines) + "\n"

    print(f"==== bulkhead_run summary: {name} ({outcome.seconds:.1f} s) ====")
    for c in checks:
        print(f"  {'ok  ' if c.ok else 'FAIL'}  {c.what}" + (f"  [{c.detail}]" if c.detail else ""))
    passed = all(c.ok for c in checks)
    print(f"==== {name}: {'PASS' if passed else 'FAIL'} ====", flush=True)

    for path in (args.log, args.junit, args.bench_json):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if args.log:
        with open(args.log, "w") as f:
            f.write(console_text)
    if args.junit:
        junit.write(args.junit, name, checks, console_text, outcome.seconds)
    if args.bench_json:
        with open(args.bench_json, "w") as f:
            json.dump({"ran": passed, "accelerator": acc_name, "results": [
                {"zone": b.zone, "name": b.name, "value": b.value, "unit": b.unit} for b in console.bench]}, f, indent=1)
    return 0 if passed else 1


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="bulkhead-run-") as tmpdir:
            return run(args, tmpdir)
    except Skip as e:
        print(f"bulkhead_run: {args.name}: SKIPPED: {e}", flush=True)
        if args.log:
            os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
            with open(args.log, "w") as f:
                f.write(f"skipped: {e}\n")
        return SKIPPED
    except (FileNotFoundError, ValueError) as e:
        print(f"bulkhead_run: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
