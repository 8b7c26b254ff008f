#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Unit tests of the scenario runner's judgement: console parsing and the
evaluation of expectations, on made-up consoles (no QEMU needed); and of
its set-up: manifest copies, fuzzing seeds, command-line checks. And of
the user-facing tools (scripts/run-zone, scripts/run-manifest) without
QEMU: the exit statuses the hypervisor's lines give, long lines joined, the
standard-input framing, a supervised run's deadline and input, refusals."""
import contextlib
import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bulkhead_run  # noqa: E402
from bhrun import accel, cli, ends, seed, session, stdin_stream, x86  # noqa: E402
from bhrun.console import Console, LineJoiner  # noqa: E402
from bhrun.expect import Expectations, VerdictExpectation, compile_regex, evaluate  # noqa: E402
from bhrun.manifest import truncated_copy  # noqa: E402
from bhrun.qemu import Outcome  # noqa: E402

POWERED_OFF = Outcome(exit_code=0, seconds=1.0)


def console_of(*lines):
    c = Console()
    for text in lines:
        c.feed(text, 0.0)
    return c


def read(path):
    with open(path, "rb") as f:
        return f.read()


def failed(checks):
    return [c.what for c in checks if not c.ok]


class ConsoleParsing(unittest.TestCase):
    def test_zone_hypervisor_and_untagged_lines(self):
        c = console_of("[alpha] hello", "[bulkhead:2] zone 'alpha' exited: code 0", "bare guest line")
        self.assertEqual([l.zone for l in c.lines], ["alpha", None, ""])
        self.assertEqual(c.lines[0].body, "hello")

    def test_verdicts_and_bench_lines(self):
        c = console_of("[a] BULKHEAD-TEST t1: SUCCESS", "BULKHEAD-TEST t2: CRASH", "[a] BULKHEAD-BENCH x 12 ns",
                       "[a] BULKHEAD-TEST t3: MAYBE", "[bulkhead:0] BULKHEAD-TEST t4: SUCCESS")
        self.assertEqual([(v.zone, v.test, v.verdict) for v in c.verdicts], [("a", "t1", "SUCCESS"), ("", "t2", "CRASH")])
        self.assertEqual([(b.name, b.value, b.unit) for b in c.bench], [("x", 12.0, "ns")])


class Evaluation(unittest.TestCase):
    def test_expected_verdicts_pass(self):
        exp = Expectations(verdicts=[VerdictExpectation.parse("a:t:SUCCESS"), VerdictExpectation.parse("*:u:SKIP")],
                           poweroff=True)
        c = console_of("[a] BULKHEAD-TEST t: SUCCESS", "[b] BULKHEAD-TEST u: SKIP")
        self.assertEqual(failed(evaluate(exp, c, POWERED_OFF, 10)), [])

    def test_missing_wrong_duplicate_and_unexpected_verdicts_fail(self):
        exp = Expectations(verdicts=[VerdictExpectation.parse("a:t:SUCCESS"), VerdictExpectation.parse("b:t:SUCCESS")])
        c = console_of("[a] BULKHEAD-TEST t: FAILURE", "[c] BULKHEAD-TEST x: SUCCESS", "[c] BULKHEAD-TEST x: SUCCESS")
        f = failed(evaluate(exp, c, POWERED_OFF, 10))
        self.assertIn("zone a: test t is SUCCESS", f)
        self.assertIn("zone b: test t is SUCCESS", f)
        self.assertIn("one verdict per zone and test", f)
        self.assertIn("no unexpected FAILURE, ERROR or CRASH", f)

    def test_lines_of_one_zone_under_another_tag_are_caught(self):
        leak = compile_regex(r"^(?!\[alpha\] ).*alpha line")
        exp = Expectations(forbidden=[leak])
        self.assertEqual(failed(evaluate(exp, console_of("[alpha] alpha line 1 of 10"), POWERED_OFF, 10)), [])
        self.assertNotEqual(failed(evaluate(exp, console_of("[beta] alpha line 1 of 10"), POWERED_OFF, 10)), [])
        self.assertNotEqual(failed(evaluate(exp, console_of("[beta] beta lialpha line 1"), POWERED_OFF, 10)), [])

    def test_order(self):
        exp = Expectations(orders=[(compile_regex("worker.*SUCCESS"), compile_regex("spinner done"))])
        good = console_of("[worker] BULKHEAD-TEST w: SUCCESS", "[spinner] spinner done")
        bad = console_of("[spinner] spinner done", "[worker] BULKHEAD-TEST w: SUCCESS")
        self.assertEqual(failed(evaluate(exp, good, POWERED_OFF, 10)), [])
        self.assertEqual(len(failed(evaluate(exp, bad, POWERED_OFF, 10))), 1)
        self.assertEqual(len(failed(evaluate(exp, console_of(), POWERED_OFF, 10))), 1)

    def test_timeout_and_poweroff(self):
        exp = Expectations(poweroff=True)
        f = failed(evaluate(exp, console_of(), Outcome(timed_out=True, seconds=10), 10))
        self.assertIn("QEMU finished in time", f)
        self.assertIn("QEMU powered off by itself", f)
        self.assertIn("QEMU powered off by itself",
                      failed(evaluate(exp, console_of(), Outcome(stopped_early=True, seconds=1), 10)))
        self.assertIn("QEMU exited with status 0", failed(evaluate(exp, console_of(), Outcome(exit_code=1), 10)))

    # Regression: a manifest the hypervisor refused, run with no
    # expectations, powered off cleanly and was reported as PASS.
    def test_a_refused_manifest_fails_unless_expected(self):
        refused = console_of("[bulkhead:0] manifest: zone 'a': vcpus is 9; at most 8",
                             "[bulkhead:0] refusing to start any zone", "[bulkhead:0] powering off")
        checks = evaluate(Expectations(poweroff=True), refused, POWERED_OFF, 10)
        self.assertEqual(failed(checks), ["the hypervisor started the manifest's zones"])
        self.assertIn("vcpus is 9; at most 8", [c for c in checks if not c.ok][0].detail)
        exp = Expectations(poweroff=True, logs=[compile_regex("refusing to start any zone")])
        self.assertEqual(failed(evaluate(exp, refused, POWERED_OFF, 10)), [])

    def test_a_missing_user_manifest_is_only_named(self):
        with self.assertRaisesRegex(FileNotFoundError, r"^manifest /nonexistent/my\.dtb does not exist$"):
            bulkhead_run.require_file("/nonexistent/my.dtb", "manifest", built=False)
        with self.assertRaisesRegex(FileNotFoundError, "build the project first"):
            bulkhead_run.require_file("/nonexistent/bulkhead.bin", "hypervisor image")

    def test_early_stop_waits_for_everything_positive(self):
        exp = Expectations(verdicts=[VerdictExpectation.parse("a:t:SUCCESS")], logs=[compile_regex("done")])
        c = console_of("[a] BULKHEAD-TEST t: SUCCESS")
        self.assertFalse(exp.positive_ones_hold(c))
        c.feed("[bulkhead:0] done", 0.0)
        self.assertTrue(exp.positive_ones_hold(c))

    def test_bad_specs_are_rejected(self):
        for spec in ("a:t", "a:t:PASS", "a:b:c:SUCCESS"):
            with self.assertRaises(ValueError):
                VerdictExpectation.parse(spec)
        with self.assertRaises(ValueError):
            compile_regex("(")


class Setup(unittest.TestCase):
    def test_truncated_copy(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "m.dtb")
            with open(src, "wb") as f:
                f.write(bytes(range(100)))
            self.assertEqual(read(truncated_copy(src, "50%", d)), bytes(range(50)))
            self.assertEqual(len(read(truncated_copy(src, "7", d))), 7)
            with self.assertRaises(ValueError):
                truncated_copy(src, "100", d)

    def test_kvm_scenarios_skip_with_a_reason(self):
        acc = x86.kvm_accel()
        self.assertIn(acc.name, ("kvm", "none"))
        if acc.name == "kvm":
            return  # a nested-virtualization host: the scenarios really run there
        self.assertTrue(acc.reason)
        with tempfile.TemporaryDirectory() as d:
            iso = os.path.join(d, "x.iso")
            open(iso, "wb").close()
            log = os.path.join(d, "x.log")
            status = bulkhead_run.main(["--arch", "x86_64", "--emulator", "kvm", "--iso", iso, "--log", log,
                                        "--quiet"])
            self.assertEqual(status, bulkhead_run.SKIPPED)
            self.assertEqual(open(log).read(), f"skipped: {acc.reason}\n")

    def test_iso_build_failures_are_set_up_errors(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaisesRegex(ValueError, "mkiso.sh failed"):
                x86.make_iso(os.path.join(d, "missing.elf"), os.path.join(d, "missing.dtb"), d)

    def test_x86_hosts_never_use_kvm(self):
        if accel.platform.machine() not in ("aarch64", "arm64"):
            self.assertEqual(accel.choose().name, "tcg")


SEEDED_DTS = """/dts-v1/;
/ { compatible = "bulkhead,manifest-v1";
    zones { a { vcpus = <1>; }; b { vcpus = <1>; boot-argument = /bits/ 64 <7>; }; c { vcpus = <1>; }; }; };
"""


def parse_quietly(argv):
    """bulkhead_run.parse_args, its usage errors as SystemExit without noise."""
    with contextlib.redirect_stderr(io.StringIO()):
        return bulkhead_run.parse_args(argv)


class Seeds(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(seed.parse("0x1234"), 0x1234)
        self.assertEqual(seed.parse(" 42 "), 42)
        self.assertEqual(seed.parse("0xffffffffffffffff"), 2**64 - 1)
        for bad in ("0", "-1", "0x10000000000000000", "seed", ""):
            with self.assertRaises(ValueError):
                seed.parse(bad)

    def test_choose_prefers_the_option_then_the_environment(self):
        self.assertEqual(seed.choose("5", {seed.ENV: "6"}), (5, "--seed"))
        self.assertEqual(seed.choose(None, {seed.ENV: "0x6"}), (6, seed.ENV))
        with self.assertRaises(ValueError):
            seed.choose(None, {seed.ENV: "nonsense"})

    def test_fresh_seeds_differ_and_are_never_zero(self):
        seeds = {seed.choose(None, {})[0] for _ in range(64)}
        self.assertEqual(len(seeds), 64)
        self.assertNotIn(0, seeds)
        self.assertTrue(all(0 < s < 2**64 for s in seeds))
        self.assertEqual(seed.choose(None, {seed.ENV: ""})[1], "fresh")

    def test_text_and_substitution(self):
        self.assertEqual(seed.text(0x1234), "0x0000000000001234")
        self.assertEqual(seed.substitute("^seed {seed}$", 0xab), "^seed 0x00000000000000ab$")
        self.assertEqual(seed.substitute("no placeholder", None), "no placeholder")
        with self.assertRaises(ValueError):
            seed.substitute("seed {seed}", None)

    def test_replay_command_fixes_the_seed(self):
        argv = ["--manifest", "m b.dtb", "--seed-zone", "z", "--seed", "1", "--seed=2", "--expect-log", "x {seed}$"]
        cmd = shlex.split(seed.replay_command("/r/bulkhead_run.py", argv, 0xabc))
        self.assertEqual(cmd[0], sys.executable)
        self.assertEqual(cmd[1:], ["/r/bulkhead_run.py", "--manifest", "m b.dtb", "--seed-zone", "z",
                                   "--expect-log", "x {seed}$", "--seed", "0x0000000000000abc"])

    @unittest.skipUnless(shutil.which("dtc") and shutil.which("fdtput"), "needs device-tree-compiler")
    def test_seeded_copy_sets_the_named_zones_only(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "m.dtb")
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", src, "-"], input=SEEDED_DTS.encode(),
                           check=True)
            before = read(src)
            dst = seed.seeded_copy(src, ["a", "b"], 0x0123456789abcdef, d)
            self.assertEqual(read(src), before)  # the original is left alone

            def arg(zone):
                out = subprocess.run(["fdtget", "-t", "bx", "-d", "none", dst, f"/zones/{zone}", "boot-argument"],
                                     capture_output=True, text=True, check=True).stdout.split()
                return int("".join(f"{int(b, 16):02x}" for b in out), 16) if out != ["none"] else None
            self.assertEqual(arg("a"), 0x0123456789abcdef)
            self.assertEqual(arg("b"), 0x0123456789abcdef)
            self.assertIsNone(arg("c"))
            with self.assertRaisesRegex(ValueError, "no such zone.*its zones: a, b, c"):
                seed.seeded_copy(src, ["a", "nope"], 1, d)


class Arguments(unittest.TestCase):
    ARM = ["--hypervisor", "hv.bin", "--manifest", "m.dtb"]
    X86 = ["--arch", "x86_64", "--hypervisor", "bulkhead.elf", "--manifest", "m.dtb"]

    def test_seed_comes_with_a_zone(self):
        args = parse_quietly(self.ARM + ["--seed-zone", "z", "--seed", "0x10"])
        self.assertEqual((args.seed_value, args.seed_source), (0x10, "--seed"))
        self.assertIsNone(parse_quietly(self.ARM).seed_value)
        for argv in (self.ARM + ["--seed", "1"], self.ARM + ["--seed-zone", "z", "--seed", "0"],
                     ["--native", "x.elf", "--seed-zone", "z"]):
            with self.assertRaises(SystemExit):
                parse_quietly(argv)

    def test_environment_seed(self):
        old = os.environ.get(seed.ENV)
        os.environ[seed.ENV] = "77"
        try:
            self.assertEqual(parse_quietly(self.ARM + ["--seed-zone", "z"]).seed_value, 77)
        finally:
            if old is None:
                del os.environ[seed.ENV]
            else:
                os.environ[seed.ENV] = old

    def test_x86_boots_an_iso_or_builds_one(self):
        self.assertEqual(parse_quietly(["--arch", "x86_64", "--iso", "x.iso"]).iso, "x.iso")
        self.assertEqual(parse_quietly(self.X86 + ["--seed-zone", "z"]).seed_zone, ["z"])
        for argv in (["--arch", "x86_64", "--iso", "x.iso", "--seed-zone", "z"],
                     ["--arch", "x86_64", "--iso", "x.iso", "--manifest", "m.dtb"],
                     ["--arch", "x86_64", "--hypervisor", "bulkhead.elf"], ["--arch", "x86_64"]):
            with self.assertRaises(SystemExit):
                parse_quietly(argv)

    def test_expected_regexes_get_the_seed(self):
        args = parse_quietly(self.ARM + ["--seed-zone", "z", "--seed", "0x5", "--expect-log", "seed {seed}$",
                                         "--forbid-log", "not {seed}", "--order", "{seed}", "b"])
        exp = bulkhead_run.build_expectations(args)
        self.assertEqual(exp.logs[0].pattern, "seed 0x0000000000000005$")
        self.assertEqual(exp.forbidden[0].pattern, "not 0x0000000000000005")
        self.assertEqual(exp.orders[0][0].pattern, "0x0000000000000005")
        with self.assertRaises(ValueError):
            bulkhead_run.build_expectations(parse_quietly(self.ARM + ["--expect-log", "{seed}"]))

    def test_the_seed_and_its_replay_come_first(self):
        with tempfile.TemporaryDirectory() as d:
            out = io.StringIO()
            argv = ["--hypervisor", os.path.join(d, "missing.bin"), "--manifest", "m.dtb", "--seed-zone", "z"]
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(bulkhead_run.main(argv), 2)  # no hypervisor: a set-up error, after the line
            first = out.getvalue().splitlines()[0]
            m = re.match(r"bulkhead_run: m: seed (0x[0-9a-f]{16}) \(fresh\) for zone z; "
                                       r"replay: (.*)$", first)
            self.assertTrue(m, first)
            replay = shlex.split(m.group(2))
            self.assertEqual(replay[-2:], ["--seed", m.group(1)])
            self.assertEqual(parse_quietly(replay[2:]).seed_value, int(m.group(1), 16))


ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class ZoneEnds(unittest.TestCase):
    def end(self, text):
        return ends.parse_end(ends.hypervisor_text(text))

    def test_statuses(self):
        cases = {
            "[bulkhead:1] zone 'a' exited: code 3 (workload exit status)": 3,
            "[bulkhead:0] zone 'a' exited: code 9 (workload killed by a signal)": 137,
            "[bulkhead:2] zone 'a' exited: code 0 (PSCI SYSTEM_OFF)": ends.NO_STATUS,
            "[bulkhead:2] zone 'a' exited: code 0 (every vCPU called PSCI CPU_OFF)": ends.NO_STATUS,
            "[bulkhead:0] zone 'a' exited: code 7 (ZONE_EXIT)": 7,
            "[bulkhead:3] zone 'a' crashed: PSCI SYSTEM_RESET": ends.CRASHED,
            "[bulkhead:3] zone 'a' crashed: illegal read at IPA 0x40200000": ends.CRASHED,
            "[bulkhead:0] zone 'a' stopped: by zone 'manager'": ends.CRASHED,
        }
        for text, status in cases.items():
            with self.subTest(text=text):
                self.assertEqual(self.end(text).status(), status)
                self.assertTrue(self.end(text).describe())

    def test_only_the_hypervisor_speaks_for_zones(self):
        self.assertIsNone(ends.hypervisor_text("[a] zone 'a' exited: code 0 (workload exit status)"))
        self.assertIsNone(ends.hypervisor_text("zone 'a' exited: code 0 (workload exit status)"))
        self.assertIsNone(self.end("[bulkhead:0] zone 'a': 65536 KiB at IPA 0x40000000"))


class LongLines(unittest.TestCase):
    def test_pieces_of_one_zone_join_across_others(self):
        j = LineJoiner()
        self.assertIsNone(j.feed("[a]+ {\"k\": "))
        self.assertEqual(j.feed("[b] other"), "[b] other")
        self.assertEqual(j.feed("[bulkhead:0] hypervisor"), "[bulkhead:0] hypervisor")
        self.assertIsNone(j.feed("[a]+ \"v"))
        self.assertEqual(j.feed("[a] \"}"), '[a] {"k": "v"}')
        self.assertEqual(j.feed("[a] next"), "[a] next")

    def test_bytes_stay_bytes(self):
        j = LineJoiner()
        self.assertIsNone(j.feed(b"[a]+ caf\xc3"))
        self.assertEqual(j.feed(b"[a] \xa9"), "[a] café".encode())
        self.assertIsNone(j.feed(b"[a]+ cut"))
        self.assertEqual(j.leftovers(), [b"[a] cut"])

    def test_console_sees_whole_lines(self):
        c = Console()
        self.assertIsNone(c.feed("[a]+ BULKHEAD-TEST t", 0.0))
        c.feed("[a] 1: SUCCESS", 0.0)
        self.assertEqual([(v.zone, v.test) for v in c.verdicts], [("a", "t1")])


class StdinFraming(unittest.TestCase):
    @staticmethod
    def decode(framed):
        """zone-kernel/init/stdin_stream.cpp's decoder, for the round trip."""
        out, escaped = bytearray(), False
        for b in framed:
            if escaped:
                escaped = False
                if b == 0xff:
                    out.append(b)
                elif b == 0x04:
                    return bytes(out), True
            elif b == 0xff:
                escaped = True
            else:
                out.append(b)
        return bytes(out), False

    def test_every_byte_round_trips_and_the_end_is_the_end(self):
        data = bytes(range(256)) * 3 + b"\xff\x04"
        self.assertEqual(self.decode(stdin_stream.encode(data) + stdin_stream.END + b"junk"), (data, True))
        self.assertEqual(self.decode(stdin_stream.encode(b"")), (b"", False))


class Judging(unittest.TestCase):
    def judged(self, *lines):
        j = cli.Judge()
        for line in lines:
            j.feed(line)
        return j

    def test_a_refused_manifest_gives_its_reason(self):
        j = self.judged("[bulkhead:0] 4 CPU(s) online", "[bulkhead:0] manifest: zone 'a': vcpus is 9; at most 8",
                        "[bulkhead:0] refusing to start any zone")
        self.assertEqual(j.refusal, "zone 'a': vcpus is 9; at most 8")
        j = self.judged("[bulkhead:0] zone 'a': cannot be created: no_memory",
                        "[bulkhead:0] boot: the manifest's zones could not be built",
                        "[bulkhead:0] refusing to start any zone")
        self.assertEqual(j.refusal, "zone 'a': cannot be created: no_memory")

    def test_ends_panics_and_zone_text(self):
        j = self.judged("[a] [bulkhead:0] zone 'a' crashed: forged", "[bulkhead:1] zone 'a' exited: code 0 (ZONE_EXIT)",
                        "[bulkhead:1] zone 'a' crashed: later", "[bulkhead:0] PANIC: oops")
        self.assertEqual(j.ends["a"].status(), 0)  # the first end counts, zone text never does
        self.assertEqual(j.panic, "oops")
        self.assertEqual(j.lines, 3)


FAKE_QEMU = r"""
import os, sys, time
mode = sys.argv[1]
print("[bulkhead:0] booting", flush=True)
if mode == "sleep":
    time.sleep(1000)
time.sleep(0.3)
# Nothing may arrive before zone init says it is ready.
import select
early = select.select([0], [], [], 0.3)[0]
print(f"[z] early input: {'yes' if early else 'no'}", flush=True)
print("[z] BULKHEAD-START uptime=0.5", flush=True)
data = b""
while not data.endswith(b"\xff\x04"):
    chunk = os.read(0, 4096)
    if not chunk:
        break
    data += chunk
print(f"[z] got {len(data)} framed bytes: {data.hex()}", flush=True)
print("[bulkhead:0] zone 'z' exited: code 0 (workload exit status)", flush=True)
"""


class Supervision(unittest.TestCase):
    def fake(self, mode, timeout, source=None):
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "fake_qemu.py")
            with open(script, "w") as f:
                f.write(FAKE_QEMU)
            lines = []
            feeder = session.Feeder(source) if source is not None else None
            outcome = session.run([sys.executable, script, mode], timeout, lambda l: lines.append(l) and False,
                                  feeder=feeder, ready_zone="z")
            return outcome, lines

    # Regression: a run-zone killed with SIGKILL (a caller's timeout) left
    # QEMU, in its own session, running on.
    def test_qemu_dies_with_its_tool(self):
        with tempfile.TemporaryDirectory() as tmp:
            pidfile = os.path.join(tmp, "pid")
            code = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
                    "from bhrun import session; "
                    f"session.run(['sh', '-c', 'echo $$ > {pidfile}.tmp; mv {pidfile}.tmp {pidfile}; exec sleep 1000'],"
                    " 0, lambda line: False)")
            tool = subprocess.Popen([sys.executable, "-c", code])
            for _ in range(1000):
                if os.path.exists(pidfile):
                    break
                time.sleep(0.01)
            pid = int(read(pidfile))
            tool.kill()
            tool.wait()

            def alive():
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        return f.read().split(")")[-1].split()[0] != "Z"
                except FileNotFoundError:
                    return False
            for _ in range(1000):
                if not alive():
                    break
                time.sleep(0.01)
            if alive():
                os.kill(pid, signal.SIGKILL)
                self.fail("QEMU's stand-in outlived the tool that started it")

    def test_the_deadline_ends_a_run_that_does_not_end(self):
        start = time.monotonic()
        outcome, lines = self.fake("sleep", 1.0)
        self.assertTrue(outcome.timed_out)
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(lines, [b"[bulkhead:0] booting"])

    def test_input_waits_for_zone_init_and_ends_with_the_marker(self):
        r, w = os.pipe()
        os.write(w, b"ab\xffc")
        os.close(w)
        try:
            outcome, lines = self.fake("input", 30, source=r)
        finally:
            os.close(r)
        self.assertFalse(outcome.timed_out)
        self.assertIn(b"[z] early input: no", lines)
        self.assertIn(b"[z] got 7 framed bytes: " + (b"ab\xff\xffc" + stdin_stream.END).hex().encode(), lines)


class RunNodeFeeding(unittest.TestCase):
    """scripts/run-node from a pipe sends a line only once the shell has
    prompted for it. Regression: it sent the next line as soon as the shell
    echoed the previous one, which the terminal does on receipt, before the
    shell runs it; in CI the node's shell started after three lines had
    come, and the third's echo landed in the middle of the first's output
    (control-domain.run-node failed)."""

    def setUp(self):
        from importlib.machinery import SourceFileLoader
        self.run_node = SourceFileLoader("run_node", os.path.join(ROOT, "scripts", "run-node")).load_module()
        self.out = io.BytesIO()
        self.feeder = self.run_node.Feeder(self.out, ["echo one", "echo two"])
        self.thread = threading.Thread(target=self.feeder.run, daemon=True)
        self.thread.start()

    def sent(self, settle=0.3):
        time.sleep(settle)
        return self.out.getvalue().decode()

    def test_a_line_waits_for_the_prompt_not_the_echo(self):
        prompt = "[control] " + self.run_node.PROMPT
        self.assertEqual(self.feeder.console_line("[control] BULKHEAD-NODE-READY"), "[control] BULKHEAD-NODE-READY")
        self.assertEqual(self.sent(), "", "sent before the shell prompted")
        self.assertIsNone(self.feeder.console_line(prompt), "the prompt alone is not printed")
        self.assertEqual(self.sent(), "echo one\n")
        self.feeder.console_line("[control] # echo one")
        self.assertEqual(self.sent(), "echo one\n", "sent on the echo, before the command ran")
        self.feeder.console_line("[control] one")
        # Output without a final newline: the prompt marker follows it.
        self.assertEqual(self.feeder.console_line("[control] partial" + self.run_node.PROMPT), "[control] partial")
        self.assertEqual(self.sent(), "echo one\necho two\n")
        self.feeder.console_line(prompt)
        self.thread.join(timeout=5)
        self.assertEqual(self.sent(0), "echo one\necho two\nexit\n")

    def test_a_command_reading_the_console_gets_the_next_line_after_quiet(self):
        self.feeder.QUIET = 0.5
        self.feeder.console_line("[control] " + self.run_node.PROMPT)
        self.assertEqual(self.sent(), "echo one\n")
        self.feeder.console_line("[control] # echo one")
        self.assertEqual(self.sent(0.1), "echo one\n")
        self.assertEqual(self.sent(3.5), "echo one\necho two\nexit\n")

    def test_the_piped_shell_prompts_with_the_marker_on_its_own_line(self):
        self.assertIn(f"PS1='{self.run_node.PROMPT}\\n# '", self.run_node.PIPED_SHELL)
        self.assertNotIn("PS1", self.run_node.SHELL)


class ToolRefusals(unittest.TestCase):
    """Bad options and files: status 125 and one line on standard error,
    before any QEMU starts."""

    def tool(self, name, *args):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", name), *args], capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, timeout=60)
        return r.returncode, r.stdout, r.stderr

    def refused(self, name, args, says):
        status, out, err = self.tool(name, *args)
        self.assertEqual(status, ends.REFUSED, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn(says, err)
        self.assertEqual(out, "")

    def test_run_zone(self):
        with tempfile.TemporaryDirectory() as d:
            text = os.path.join(d, "notes.txt")
            with open(text, "w") as f:
                f.write("not a kernel\n" * 10)
            self.refused("run-zone", [text, "--mem", "0"], "--mem 0: a zone needs memory")
            self.refused("run-zone", [text, "--cpus", "9"], "--cpus 9")
            self.refused("run-zone", [text, "--bogus"], "unrecognized arguments: --bogus")
            self.refused("run-zone", [text, "--name", "Bad Name"], "--name 'Bad Name'")
            self.refused("run-zone", [text, "--add", "nothing"], "give HOST=/PATH")
            self.refused("run-zone", [text], f"{text} is not an arm64 Linux Image")
            self.refused("run-zone", [os.path.join(d, "gone")], "no such file")
        self.assertEqual(self.tool("run-zone", "--help")[0], 0)

    def test_run_manifest(self):
        with tempfile.TemporaryDirectory() as d:
            self.refused("run-manifest", [os.path.join(d, "my.dts")], "my.dts: no such file")
            bad = os.path.join(d, "bad.dts")
            with open(bad, "w") as f:
                f.write("/dts-v1/;\n/ { zones { a { vcpus = <1> }; }; };\n")
            self.refused("run-manifest", [bad], "bad.dts:")
            self.refused("run-manifest", [bad, "--mem", "1"], "--mem 1")
        self.assertEqual(self.tool("run-manifest", "--help")[0], 0)

    def test_kernel_files_are_named_for_what_they_are(self):
        with tempfile.TemporaryDirectory() as d:
            def what(content):
                path = os.path.join(d, "k")
                with open(path, "wb") as f:
                    f.write(content)
                try:
                    cli.check_arm64_image(path)
                    return "ok"
                except cli.Refused as e:
                    return str(e)
            image = bytearray(4096)
            image[56:60] = b"ARM\x64"
            self.assertEqual(what(bytes(image)), "ok")
            self.assertIn("gzip-compressed", what(b"\x1f\x8b" + bytes(100)))
            self.assertIn("an ELF file", what(b"\x7fELF" + bytes(100)))
            bz = bytearray(4096)
            bz[0x202:0x206] = b"HdrS"
            self.assertIn("x86 bzImage", what(bytes(bz)))
            self.assertIn("too short", what(b"MZ"))

    def test_mkiso_usage(self):
        mkiso = os.path.join(ROOT, "boot", "x86_64", "mkiso.sh")
        r = subprocess.run([mkiso, "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("usage: "))
        r = subprocess.run([mkiso], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("usage: ", r.stderr)


if __name__ == "__main__":
    unittest.main()
