#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scripts/run-zone as a user meets it, one check per CTest test (label
linux-zone): its exit statuses, its standard input and output, its
timeout, its refusals, and what a zone knows (the date, its name).

  run_zone_checks.py CHECK --image build/zone-kernel/Image --build build

Each check runs run-zone as a user would (a subprocess, a shell pipe where
the user would have one), prints what it ran and what came back, and exits
0 if every expectation held. No timing decides a check beyond what the
issue states: the clock within 2 s of the host's, --timeout 5 ending a
`sleep 1000` zone within 30 s."""
import argparse
import hashlib
import os
import random
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
RUN_ZONE = os.path.join(ROOT, "scripts", "run-zone")


class Check:
    def __init__(self):
        self.failures = 0

    def expect(self, ok, what, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'}  {what}" + (f"  [{detail}]" if detail else ""), flush=True)
        if not ok:
            self.failures += 1
        return ok


def run_zone(args, image, build, stdin=None, input_bytes=None, timeout=240):
    """Runs run-zone; returns (status, stdout bytes, stderr text, seconds)."""
    cmd = [RUN_ZONE, image, "--build", build] + args
    print("$ " + shlex.join(cmd), flush=True)
    start = time.monotonic()
    r = subprocess.run(cmd, stdin=stdin if input_bytes is None else None, input=input_bytes,
                       capture_output=True, timeout=timeout)
    seconds = time.monotonic() - start
    err = r.stderr.decode("utf-8", "replace")
    print(f"  status {r.returncode} after {seconds:.1f} s; stdout {len(r.stdout)} bytes; stderr: {err.strip()!r}")
    return r.returncode, r.stdout, err, seconds


def one_line(text):
    return len(text.strip().splitlines()) == 1


def check_timeout(c, image, build):
    status, out, err, seconds = run_zone(["--timeout", "5", "--", "sleep", "1000"], image, build,
                                         stdin=subprocess.DEVNULL)
    c.expect(status == 124, "exit status 124 for --timeout", f"status {status}")
    c.expect(seconds < 30, "ended in under 30 s", f"{seconds:.1f} s")
    c.expect(one_line(err) and "--timeout 5" in err, "one line on standard error saying so", err.strip())


def check_stdin(c, image, build):
    # As in the README: a pipe into cat, whose end of file ends it.
    cmd = f"printf 'data\\n' | {shlex.quote(RUN_ZONE)} {shlex.quote(image)} --build {shlex.quote(build)} -- cat"
    print("$ " + cmd, flush=True)
    start = time.monotonic()
    r = subprocess.run(["sh", "-c", cmd], capture_output=True, timeout=240)
    print(f"  status {r.returncode} after {time.monotonic() - start:.1f} s; stdout {r.stdout!r}; "
          f"stderr {r.stderr.decode(errors='replace').strip()!r}")
    c.expect(r.returncode == 0, "cat's status 0: it read to the end of its input and ended", f"{r.returncode}")
    c.expect(r.stdout == b"data\n", "standard output is exactly what went in", repr(r.stdout))

    # Any bytes (0xff, ^C, ^D, CR, NUL...) and more than the zone's tty and
    # pipe buffers hold, to a reader that waits first: nothing lost.
    rng = random.Random(12)
    data = bytes(rng.getrandbits(8) for _ in range(96 * 1024)) + b"\xff\x04\x03\x04\r\n\x00end"
    status, out, err, _ = run_zone(["--", "sh", "-c", "sleep 3; cat > /tmp/in; md5sum < /tmp/in; wc -c < /tmp/in"], image, build, input_bytes=data)
    want = hashlib.md5(data).hexdigest()
    c.expect(status == 0, "the slow reader's status 0", f"{status}")
    c.expect(want.encode() in out, "md5sum in the zone matches the host's: nothing lost or changed", want)
    c.expect(re.search(rb"^\s*%d\s*$" % len(data), out, re.M) is not None, f"wc -c counts {len(data)} bytes",
             out[-40:].decode(errors="replace"))


def fake_image(path, image_size):
    """An arm64 Image header asking for image_size bytes: the hypervisor
    refuses to place it in a smaller zone."""
    head = bytearray(64)
    head[0:2] = b"MZ"
    head[8:16] = struct.pack("<Q", 0)
    head[16:24] = struct.pack("<Q", image_size)
    head[56:60] = b"ARM\x64"
    with open(path, "wb") as f:
        f.write(bytes(head) + bytes(4096))


def check_refused(c, image, build):
    initramfs = os.path.join(build, "zone-kernel", "initramfs.cpio")
    cases = [
        (["--mem", "0"], image, "--mem 0"),
        ([], initramfs, "is not an arm64 Linux Image"),
        (["--mem", str(10 ** 7)], image, "--mem 10000000"),
        (["--cpus", "9"], image, "--cpus 9"),
        (["--no-such-option"], image, "--no-such-option"),
        ([], os.path.join(build, "no-such-kernel"), "no such file"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        huge = os.path.join(tmp, "huge-Image")
        fake_image(huge, 1 << 30)
        cases.append((["--mem", "64"], huge, "Bulkhead refused the zone: zone 'zone': the kernel (1048576 KiB"))
        for args, kernel, says in cases:
            status, out, err, _ = run_zone(args + ["--", "true"], kernel, build, stdin=subprocess.DEVNULL)
            c.expect(status == 125, f"{' '.join(args) or os.path.basename(kernel)}: exit status 125", f"{status}")
            c.expect(one_line(err) and says in err, f"one line on standard error with the reason ({says!r})",
                     err.strip())
            c.expect("qemu-system" not in err and out == b"", "nothing from QEMU, nothing on standard output")


def check_clock(c, image, build):
    cmd = [RUN_ZONE, image, "--build", build, "--", "sh", "-c", "date +%s; cat /sys/class/rtc/rtc0/name"]
    print("$ " + shlex.join(cmd), flush=True)
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    host = time.time()  # when the zone's line arrived
    rest, err = p.communicate(timeout=240)
    print(f"  status {p.returncode}; zone said {first!r} {rest!r} at host time {host:.2f}; stderr {err!r}")
    c.expect(p.returncode == 0, "status 0", f"{p.returncode}")
    try:
        zone = int(first.strip())
    except ValueError:
        c.expect(False, "the zone printed its time", repr(first))
        return
    # The zone's `date +%s` is truncated to its second, the host's reading
    # is a little later: the zone's clock differs from the host's by
    # host - zone - 0.5 on average.
    diff = host - zone
    print(f"  clock difference: host - zone = {diff:.2f} s (of which up to 1 s is date's truncation)")
    c.expect(-2 <= diff - 0.5 <= 2, "the zone's clock is within 2 s of the host's", f"{diff - 0.5:+.2f} s")
    c.expect(rest.startswith(b"rtc-pl031"), "its RTC is the PL031 (rtc0)", rest[:40].decode(errors="replace"))


def check_environment(c, image, build):
    status, out, _, _ = run_zone(["--name", "agent-7", "--cpus", "2", "--env", "GREETING=hi", "--", "sh", "-c",
                                  'echo "$BULKHEAD_ZONE $BULKHEAD_VCPUS $GREETING $(hostname)"'], image, build,
                                 stdin=subprocess.DEVNULL)
    c.expect(status == 0, "status 0", f"{status}")
    c.expect(out == b"agent-7 2 hi agent-7\n", "BULKHEAD_ZONE, BULKHEAD_VCPUS, --env, the hostname", repr(out))


def check_long_lines(c, image, build):
    json300 = '{"msg":"' + "x" * 290 + '"}'
    long3000 = "y" * 3000
    script = (f"echo '{json300}'; head -c 3000 /dev/zero | tr '\\0' y; echo; printf 'caf\\303\\251 \\342\\234\\223\\n'; "
              "echo BULKHEAD-EXIT status=9")
    status, out, _, _ = run_zone(["--", "sh", "-c", script], image, build, stdin=subprocess.DEVNULL)
    lines = out.split(b"\n")
    c.expect(status == 0, "status 0", f"{status}")
    c.expect(lines[0] == json300.encode(), "a 300-character JSON line comes out whole", f"{len(lines[0])} bytes")
    c.expect(len(lines) > 1 and lines[1] == long3000.encode(), "a 3000-character line comes out whole (joined)",
             f"{len(lines[1]) if len(lines) > 1 else 0} bytes")
    c.expect(len(lines) > 2 and lines[2] == "café ✓".encode(), "UTF-8 comes out as it went in",
             repr(lines[2] if len(lines) > 2 else b""))
    # What the workload prints is the workload's, even when it looks like
    # zone init's record (zone init's own last line is not output).
    c.expect(len(lines) > 3 and lines[3] == b"BULKHEAD-EXIT status=9" and out.endswith(b"status=9\n"),
             "the workload's own lines are all there, zone init's record is not", repr(out[-60:]))


def check_exit_codes(c, image, build):
    status, _, err, _ = run_zone(["--", "sh", "-c", "kill -TERM $$"], image, build, stdin=subprocess.DEVNULL)
    c.expect(status == 128 + 15, "128+15 for a workload killed by SIGTERM", f"{status}")
    status, _, err, _ = run_zone(["--", "sh", "-c", "echo c > /proc/sysrq-trigger"], image, build,
                                 stdin=subprocess.DEVNULL)
    c.expect(status == 70, "70 for a zone whose kernel panicked", f"{status}")
    c.expect(one_line(err) and "crashed" in err, "one line saying it crashed", err.strip())


CHECKS = {"timeout": check_timeout, "stdin": check_stdin, "refused": check_refused, "clock": check_clock,
          "environment": check_environment, "long-lines": check_long_lines, "exit-codes": check_exit_codes}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("check", choices=sorted(CHECKS))
    p.add_argument("--image", required=True, help="the zone kernel")
    p.add_argument("--build", required=True, help="Bulkhead's build directory")
    a = p.parse_args()
    c = Check()
    print(f"run-zone check '{a.check}':", flush=True)
    CHECKS[a.check](c, a.image, a.build)
    print(f"run-zone check '{a.check}': {'PASS' if not c.failures else f'{c.failures} FAILED'}")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main())
