#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Unit tests of the scenario runner's judgement: console parsing and the
evaluation of expectations, on made-up consoles (no QEMU needed)."""
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bulkhead_run  # noqa: E402
from bhrun import accel, x86  # noqa: E402
from bhrun.console import Console  # noqa: E402
from bhrun.expect import Expectations, VerdictExpectation, compile_regex, evaluate  # noqa: E402
from bhrun.manifest import truncated_copy  # noqa: E402
from bhrun.qemu import Outcome  # noqa: E402

POWERED_OFF = Outcome(exit_code=0, seconds=1.0)


def console_of(*lines):
    c = Console()
    for text in lines:
        c.feed(text, 0.0)
    return c


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
            self.assertEqual(open(truncated_copy(src, "50%", d), "rb").read(), bytes(range(50)))
            self.assertEqual(len(open(truncated_copy(src, "7", d), "rb").read()), 7)
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

    def test_x86_hosts_never_use_kvm(self):
        if accel.platform.machine() not in ("aarch64", "arm64"):
            self.assertEqual(accel.choose().name, "tcg")


if __name__ == "__main__":
    unittest.main()
