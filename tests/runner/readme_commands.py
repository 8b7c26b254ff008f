#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs every command of README.md as written (CTest readme.commands): each
line of each ```sh block, joined across trailing backslashes, through bash
in the repository's root, as a user pasting it would. A command passes if
it exits 0, or, when it ends with `# N` after `echo $?`, if the last line it
prints is N.

One command is not run as written: `make test` runs this very test, so it
is checked with `make -n test` (that the target exists and would run CTest).
Files the commands write (in /tmp, as the README says) are removed after.

  readme_commands.py [--build build] [--list]"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EXPECT = re.compile(r"echo \$\?\s+#\s*(\d+)\s*$")


def commands(readme: str) -> list:
    """(line number, command) for each command of the ```sh blocks."""
    out, block, pending, start = [], False, "", 0
    for n, line in enumerate(readme.splitlines(), 1):
        if line.strip().startswith("```"):
            block = line.strip() == "```sh" if not block else False
            continue
        if not block or (not pending and (not line.strip() or line.strip().startswith("#"))):
            continue
        if not pending:
            start = n
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append((start, pending + line.strip()))
        pending = ""
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--list", action="store_true", help="only list the commands")
    a = p.parse_args()
    with open(os.path.join(ROOT, "README.md")) as f:
        cmds = commands(f.read())
    failures = 0
    # What the README's commands make; gone before (a run that was cut
    # short leaves them: a data disk would still hold the zones it made)
    # and after.
    leftovers = ("/tmp/hello.sh", "/tmp/two-zones.dtb", "/tmp/zones.iso", "/tmp/data.img", "/tmp/node-data.img")
    for leftover in leftovers if not a.list else ():
        if os.path.exists(leftover):
            os.remove(leftover)
    for line, cmd in cmds:
        run = cmd
        if re.match(r"^make test\b", cmd):
            run = "make -n test"  # it would run this test again, and the whole suite
        if a.list:
            print(f"README.md:{line}: {cmd}" + (f"   (run as: {run})" if run != cmd else ""))
            continue
        m = EXPECT.search(cmd)
        print(f"==== README.md:{line}: {run}", flush=True)
        start = time.monotonic()
        try:
            r = subprocess.run(["bash", "-c", run], cwd=ROOT, capture_output=True, text=True, timeout=900,
                               env=dict(os.environ, BUILD=os.path.relpath(a.build, ROOT)))
        except subprocess.TimeoutExpired:
            print("  FAIL: still running after 900 s")
            failures += 1
            continue
        tail = r.stdout.strip().splitlines()[-8:]
        for t in tail:
            print(f"  | {t}")
        if r.stderr.strip():
            for t in r.stderr.strip().splitlines()[-4:]:
                print(f"  ! {t}")
        if m:
            got = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            ok = got == m.group(1)
            print(f"  {'ok' if ok else 'FAIL'}: printed {got!r}, the README says {m.group(1)} "
                  f"({time.monotonic() - start:.1f} s)")
        else:
            ok = r.returncode == 0
            print(f"  {'ok' if ok else 'FAIL'}: exit status {r.returncode} ({time.monotonic() - start:.1f} s)")
        failures += 0 if ok else 1
    for leftover in leftovers:
        if os.path.exists(leftover):
            os.remove(leftover)
    if not a.list:
        print(f"README commands: {len(cmds) - failures} of {len(cmds)} work as written")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
