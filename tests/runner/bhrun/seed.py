# SPDX-License-Identifier: GPL-2.0-only
"""Seeds for the in-zone fuzzers.

A run has one seed: the one given (--seed, else $BULKHEAD_FUZZ_SEED), or a
fresh random one, so each run of the suite explores new inputs while any
run can be replayed. It reaches the zones named by --seed-zone as their
manifest `boot-argument` (vCPU 0's x0 or RDI), written into a copy of the
manifest with fdtput; the zones print it as `<test>: seed 0x<16 hex digits>`
and `{seed}` in an expected regex stands for that text."""
import os
import secrets
import shlex
import shutil
import subprocess
import sys

ENV = "BULKHEAD_FUZZ_SEED"
PLACEHOLDER = "{seed}"


def parse(text: str) -> int:
    """A seed as written by a user: decimal or 0x hex, 1 to 2^64 - 1 (the
    zones read 0 as "no seed given" and use their built-in one)."""
    try:
        value = int(text.strip(), 0)
    except ValueError:
        raise ValueError(f"seed {text!r} is not a number (decimal or 0x hex)") from None
    if not 0 < value < 1 << 64:
        raise ValueError(f"seed {text!r} must be between 1 and 2^64 - 1")
    return value


def choose(given: str = None, environ=os.environ) -> tuple:
    """Returns (seed, where it came from)."""
    if given is not None:
        return parse(given), "--seed"
    if environ.get(ENV):
        return parse(environ[ENV]), ENV
    return secrets.randbits(64) or 1, "fresh"


def text(seed: int) -> str:
    """How the zones print a seed, and what {seed} becomes."""
    return f"0x{seed:016x}"


def substitute(pattern: str, seed) -> str:
    if PLACEHOLDER not in pattern:
        return pattern
    if seed is None:
        raise ValueError(f"{pattern!r} uses {PLACEHOLDER}, which needs --seed-zone")
    return pattern.replace(PLACEHOLDER, text(seed))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise FileNotFoundError(f"{name} is not installed (Debian: apt-get install device-tree-compiler)")
    return path


def _run(cmd: list) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise ValueError(f"{shlex.join(cmd)} failed: {(r.stderr or r.stdout).strip()}")
    return r.stdout


def seeded_copy(manifest: str, zones: list, seed: int, directory: str) -> str:
    """Copies the manifest blob with boot-argument = seed in each named zone
    (two 32-bit cells, big-endian: the u64 dtc writes for /bits/ 64)."""
    present = _run([_tool("fdtget"), "-l", manifest, "/zones"]).split()
    missing = [z for z in zones if z not in present]
    if missing:
        raise ValueError(f"--seed-zone {', '.join(missing)}: {manifest} has no such zone "
                         f"(its zones: {', '.join(present) or 'none'})")
    dst = os.path.join(directory, os.path.basename(manifest) + ".seeded")
    shutil.copyfile(manifest, dst)
    for zone in zones:
        _run([_tool("fdtput"), "-t", "x", dst, f"/zones/{zone}", "boot-argument",
              f"{seed >> 32:x}", f"{seed & 0xffffffff:x}"])
    return dst


def replay_command(script: str, argv: list, seed: int) -> str:
    """The runner's command line with this run's seed fixed by --seed."""
    kept, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--seed":
            skip = True
        elif not a.startswith("--seed="):
            kept.append(a)
    return shlex.join([sys.executable, os.path.abspath(script)] + kept + ["--seed", text(seed)])
