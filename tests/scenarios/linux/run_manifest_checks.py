#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scripts/run-manifest as a user meets it (CTest linux.run-manifest, label
linux-zone): a manifest of their own in device tree source, its zones'
statuses as the exit status, standard input to a zone that asks for it,
refusals about the user's own files (125, one line), and x86-64.

  run_manifest_checks.py --include DIR_WITH_Image_AND_initramfs.cpio --build build"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
RUN_MANIFEST = os.path.join(ROOT, "scripts", "run-manifest")

LINUX_ZONE = """        {name} {{
            memory-size = /bits/ 64 <0x4000000>;
            vcpus = <1>;
            {extra}
            linux {{
                kernel = /incbin/("Image");
                initrd = /incbin/("initramfs.cpio");
                bootargs = "console=ttyAMA0 panic=-1 quiet";
                workload {{ command = "/bin/sh"; args = "-c", "{script}"; {workload_extra} }};
            }};
        }};
"""


def manifest(*zones):
    return "/dts-v1/;\n/ {\n    compatible = \"bulkhead,manifest-v1\";\n    zones {\n" + "".join(zones) + \
           "    };\n};\n"


def zone(name, script, extra="", workload_extra=""):
    return LINUX_ZONE.format(name=name, script=script, extra=extra, workload_extra=workload_extra)


class Checks:
    def __init__(self, include, build):
        self.include, self.build, self.failures = include, build, 0

    def expect(self, ok, what, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'}  {what}" + (f"  [{detail}]" if detail else ""), flush=True)
        self.failures += 0 if ok else 1

    def run(self, args, input_bytes=b""):
        cmd = [RUN_MANIFEST, "--build", self.build, "--include", self.include] + args
        print("$ " + shlex.join(cmd), flush=True)
        start = time.monotonic()
        r = subprocess.run(cmd, input=input_bytes, capture_output=True, timeout=300)
        err = r.stderr.decode("utf-8", "replace")
        print(f"  status {r.returncode} after {time.monotonic() - start:.1f} s; stdout {r.stdout[-300:]!r}; "
              f"stderr {err.strip()!r}", flush=True)
        return r.returncode, r.stdout, err

    def refused(self, args, says, what):
        status, out, err = self.run(args)
        self.expect(status == 125, f"{what}: exit status 125", f"{status}")
        self.expect(len(err.strip().splitlines()) == 1 and says in err, f"{what}: one line saying {says!r}",
                    err.strip())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--include", required=True)
    p.add_argument("--build", required=True)
    a = p.parse_args()
    c = Checks(a.include, a.build)
    with tempfile.TemporaryDirectory() as tmp:
        def write(name, text):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            return path

        # A zone reading its standard input through the console.
        reader = write("reader.dts", manifest(zone("reader", "cat; echo read all", workload_extra='stdin = "stream";')))
        status, out, err = c.run([reader], b"data\n")
        c.expect(status == 0, "one zone, status 0", f"{status}")
        c.expect(b"[reader] data\n[reader] read all\n" in out, "the zone read standard input to its end",
                 repr(out[-80:]))

        # Two zones: the first that did not end with 0 decides, unless --zone.
        two = write("two.dts", manifest(zone("first", "exit 0"), zone("second", "exit 4")))
        status, out, err = c.run([two])
        c.expect(status == 4, "the status of the first zone that did not end with 0", f"{status}")
        c.expect("zone 'second': the workload exited with status 4" in err, "says which zone, and how", err.strip())
        status, _, _ = c.run([two, "--zone", "first"])
        c.expect(status == 0, "--zone first: that zone's status", f"{status}")

        # What refuses it, about the user's own files.
        c.refused([os.path.join(tmp, "missing.dts")], "missing.dts: no such file", "a missing manifest")
        c.refused([write("notes.txt", "just some text\n")], "neither a device tree blob nor device tree source",
                  "not a manifest")
        c.refused([write("broken.dts", "/dts-v1/;\n/ { zones { a { vcpus = <1> }; }; };\n")], "broken.dts:",
                  "a syntax error")
        c.refused([write("noimage.dts", manifest(zone("a", "true").replace('"Image"', '"no-such-Image"')))],
                  "no-such-Image", "a missing /incbin/ file")
        c.refused([two, "--zone", "third"], "--zone third: the manifest has no such zone (its zones: first, second)",
                  "an unknown --zone")
        nine = write("nine.dts", manifest(zone("a", "true").replace("vcpus = <1>;", "vcpus = <9>;")))
        c.refused([nine], "Bulkhead refused the manifest: zone 'a': vcpus is 9; at most 8", "a manifest Bulkhead refuses")
        typo = write("typo.dts", manifest(zone("a", "true", extra="privilged;")))
        c.refused([typo], "zone 'a': unknown property 'privilged' in the zone (did you mean 'privileged'?)",
                  "a misspelt property")

        # x86-64: the same tool, a GRUB ISO made on the way.
        x86 = os.path.join(a.build, "x86_64", "tests", "scenarios", "two-zones.dtb")
        status, out, err = c.run(["--arch", "x86_64", x86])
        c.expect(status == 0, "x86-64: two test zones, status 0", f"{status}")
        c.expect(b"[alpha] " in out and b"[beta] " in out, "x86-64: both zones' lines", repr(out[-120:]))
    print(f"run-manifest checks: {'PASS' if not c.failures else f'{c.failures} FAILED'}")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main())
