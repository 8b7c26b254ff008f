#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`make demo`: boot Bulkhead in QEMU with two zones and show the console.

Zone alpha introduces itself and works for a few seconds; zone mallory reads
an address outside its own RAM (where the hypervisor's image sits in the
host's memory) and, under its fault-policy "stop", is stopped on the spot
while alpha carries on. The machine powers off by itself
once no zone is left. Needs no terminal; exits 0 when QEMU powered off by
itself.

`--arch x86_64` (or BULKHEAD_DEMO_ARCH=x86_64 make demo) shows the same on an
emulated 2-CPU x86-64 machine: QEMU with AMD SVM, booted by GRUB from the
demo ISO under SeaBIOS."""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bhrun import accel, qemu, x86  # noqa: E402
from bhrun.console import Console  # noqa: E402

COLOURS = {"alpha": "\033[32m", "mallory": "\033[31m", None: "\033[36m"}
RESET = "\033[0m"


def paint(line, use_colour):
    """Colours the zone tag (or the hypervisor's) when writing to a terminal."""
    if not use_colour:
        return line.text
    m = re.match(r"^(\[[^\]]+\])(.*)$", line.text)
    if not m:
        return line.text
    colour = COLOURS.get(line.zone, "\033[33m") if line.zone is not None else COLOURS[None]
    return f"{colour}{m.group(1)}{RESET}{m.group(2)}"


# The test harness's lines are not the demo's story.
HARNESS = re.compile(r"^\[[a-z0-9_-]+\] BULKHEAD-TEST ")


def story(console):
    """What happened, in a sentence or three, from the hypervisor's lines."""
    said = lambda rx: console.first_match(re.compile(rx))  # noqa: E731
    out = []
    stopped, alpha_done = said(r"zone 'mallory' (crashed|stopped)"), said(r"zone 'alpha' exited: code 0 ")
    if said(r"zone 'mallory'.*illegal read") and stopped:
        out.append("mallory read an address outside its own RAM, where the hypervisor sits in the host's memory; "
                   "the read never reached it, and mallory was stopped at that instruction.")
        if alpha_done and alpha_done.index < stopped.index:
            out.append("unexpected: alpha had ended before mallory was stopped.")
    else:
        out.append("unexpected: mallory was not seen being stopped.")
    if alpha_done:
        out.append("alpha finished its work and exited with code 0.")
    else:
        out.append("unexpected: alpha did not finish its work.")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--build", default="build", help="the host build directory (default: build)")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--arch", choices=("aarch64", "x86_64"), default=os.environ.get("BULKHEAD_DEMO_ARCH", "aarch64"))
    args = p.parse_args()
    if args.arch == "x86_64":
        hypervisor = os.path.join(args.build, "x86_64", "hypervisor", "bulkhead.elf")
        manifest = os.path.join(args.build, "x86_64", "tests", "scenarios", "demo.iso")
    else:
        hypervisor = os.path.join(args.build, "aarch64", "hypervisor", "bulkhead.bin")
        manifest = os.path.join(args.build, "aarch64", "tests", "scenarios", "demo.dtb")
    for path in (hypervisor, manifest):
        if not os.path.isfile(path):
            print(f"demo: {path} is missing; build first: cmake --preset default && cmake --build {args.build}",
                  file=sys.stderr)
            return 2

    if args.arch == "x86_64":
        acc = x86.choose_accel("svm")
        cmd = x86.qemu_command(x86.Boot(iso=manifest), acc)
        machine, clean_exit = "2-CPU x86-64 machine with AMD SVM", x86.QEMU_POWEROFF_STATUS
    else:
        acc = accel.choose()
        cmd = qemu.command(qemu.Boot(kernel=hypervisor, initrd=manifest), acc)
        machine, clean_exit = "4-CPU arm64 machine", 0
    use_colour = sys.stdout.isatty()
    print(f"Bulkhead demo: two zones on an emulated {machine} (QEMU, {acc.name}: {acc.reason}).")
    print("  alpha   introduces itself and works for a few seconds")
    print("  mallory reads outside its own RAM, where the hypervisor sits on the host (fault-policy \"stop\")")
    print("Console (each zone's lines carry its name; [bulkhead:N] is the hypervisor on CPU N):\n", flush=True)

    console = Console()

    def on_line(source, text):
        if source == "stderr":
            print(f"qemu: {text}", flush=True)
            return False
        line = console.feed(text, 0.0)
        if line is not None and not HARNESS.match(line.text):
            print(paint(line, use_colour), flush=True)
        return False

    try:
        outcome = qemu.run(cmd, args.timeout, on_line)
    except KeyboardInterrupt:
        print("\ndemo: interrupted", file=sys.stderr)
        return 130
    print()
    told = story(console)
    for sentence in told:
        print("demo: " + sentence)
    if outcome.timed_out:
        print(f"demo: QEMU was still running after {args.timeout:g} s and was stopped", file=sys.stderr)
        return 1
    if outcome.exit_code != clean_exit:
        print(f"demo: QEMU exited with status {outcome.exit_code}", file=sys.stderr)
        return 1
    if any(sentence.startswith("unexpected") for sentence in told):
        return 1
    print(f"demo: every zone ended and the machine powered itself off after {outcome.seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
