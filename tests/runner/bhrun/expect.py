# SPDX-License-Identifier: GPL-2.0-only
"""Expectations about one boot, and their evaluation into named checks.

A run passes only when every check holds. Besides what the caller asks for,
three checks are always made: no zone printed a FAILURE, ERROR or CRASH
verdict that was not expected, no zone printed two verdicts for one test,
and the hypervisor did not refuse the manifest unless an expected line
says it would."""
import re
from dataclasses import dataclass, field

from .console import BAD_VERDICTS, VERDICTS, Console

REFUSAL = re.compile(r"^\[bulkhead:\d+\] refusing to start any zone")


@dataclass
class VerdictExpectation:
    zone: str     # "*" for any zone, "" for untagged output
    test: str     # "*" for any test
    verdict: str

    @staticmethod
    def parse(spec: str) -> "VerdictExpectation":
        parts = spec.split(":")
        if len(parts) != 3 or parts[2] not in VERDICTS:
            raise ValueError(f"--expect wants ZONE:TEST:VERDICT with VERDICT one of {', '.join(VERDICTS)}: {spec!r}")
        return VerdictExpectation(*parts)

    def matches(self, v) -> bool:
        return (self.zone == "*" or self.zone == v.zone) and (self.test == "*" or self.test == v.test)

    def __str__(self):
        zone = "untagged output" if self.zone == "" else ("any zone" if self.zone == "*" else f"zone {self.zone}")
        return f"{zone}: test {self.test} is {self.verdict}"


@dataclass
class Expectations:
    verdicts: list = field(default_factory=list)   # VerdictExpectation
    logs: list = field(default_factory=list)       # compiled regexes that must match some line
    forbidden: list = field(default_factory=list)  # compiled regexes that must match no line
    orders: list = field(default_factory=list)     # (regex A, regex B): A's first match before B's
    poweroff: bool = False                         # QEMU must exit by itself, status clean_exit
    clean_exit: int = 0                            # the emulator's status after a power-off (x86 QEMU: 1)
    emulator: str = "QEMU"                         # for the check names

    def positive_ones_hold(self, console: Console) -> bool:
        """Whether everything that must appear has appeared (to stop early)."""
        return all(c.ok for c in _verdict_checks(self, console)) and \
            all(console.first_match(r) for r in self.logs) and \
            all(c.ok for c in _order_checks(self, console))


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


def _describe_zone(console: Console, zone: str) -> str:
    if zone == "*":
        return ""
    lines = console.zone_lines(zone)
    if not lines:
        return f"; zone {zone or '(untagged)'} printed nothing"
    return f"; its last line was: {lines[-1].text!r}"


def _verdict_checks(exp: Expectations, console: Console) -> list:
    checks = []
    for e in exp.verdicts:
        found = [v for v in console.verdicts if e.matches(v)]
        if not found:
            checks.append(Check(str(e), False, "no verdict" + _describe_zone(console, e.zone)))
            continue
        wrong = [v for v in found if v.verdict != e.verdict]
        if wrong:
            v = wrong[0]
            checks.append(Check(str(e), False, f"zone {v.zone!r} printed {v.test}: {v.verdict} (line {v.line.index + 1})"))
        else:
            checks.append(Check(str(e), True, f"line {found[0].line.index + 1}"))
    return checks


def _order_checks(exp: Expectations, console: Console) -> list:
    checks = []
    for a, b in exp.orders:
        la, lb = console.first_match(a), console.first_match(b)
        what = f"/{a.pattern}/ appears before /{b.pattern}/"
        if la is None or lb is None:
            missing = " and ".join(f"/{r.pattern}/" for r, l in ((a, la), (b, lb)) if l is None)
            checks.append(Check(what, False, f"{missing} never appeared"))
        else:
            checks.append(Check(what, la.index < lb.index, f"lines {la.index + 1} and {lb.index + 1}"))
    return checks


def _implicit_checks(exp: Expectations, console: Console) -> list:
    checks = []
    seen = {}
    for v in console.verdicts:
        seen.setdefault((v.zone, v.test), []).append(v)
    dupes = [k for k, vs in seen.items() if len(vs) > 1]
    checks.append(Check("one verdict per zone and test", not dupes,
                        ", ".join(f"{z or '(untagged)'}:{t} printed {len(seen[(z, t)])}" for z, t in dupes)))
    unexpected = [v for v in console.verdicts if v.verdict in BAD_VERDICTS and
                  not any(e.matches(v) and e.verdict == v.verdict for e in exp.verdicts)]
    checks.append(Check("no unexpected FAILURE, ERROR or CRASH", not unexpected,
                        "; ".join(f"{v.zone or '(untagged)'}: {v.test}: {v.verdict}" for v in unexpected)))
    # A manifest the hypervisor refused ran nothing: that passes only when
    # an expected line says so (the bad-manifest scenarios), never by default.
    refusal = console.first_match(REFUSAL)
    if refusal is not None and not any(r.search(refusal.text) for r in exp.logs):
        reasons = [l.body for l in console.lines[:refusal.index] if l.body and l.body.startswith("manifest: ")]
        checks.append(Check("the hypervisor started the manifest's zones", False,
                            reasons[-1] if reasons else refusal.text))
    return checks


def evaluate(exp: Expectations, console: Console, outcome, timeout: float) -> list:
    checks = _verdict_checks(exp, console)
    for r in exp.logs:
        line = console.first_match(r)
        checks.append(Check(f"a line matches /{r.pattern}/", line is not None,
                            f"line {line.index + 1}" if line else "never appeared"))
    for r in exp.forbidden:
        line = console.first_match(r)
        checks.append(Check(f"no line matches /{r.pattern}/", line is None,
                            f"line {line.index + 1}: {line.text!r}" if line else ""))
    checks += _order_checks(exp, console)
    checks += _implicit_checks(exp, console)
    if outcome.timed_out:
        checks.append(Check(f"{exp.emulator} finished in time", False, f"still running after {timeout:g} s: killed"))
    elif outcome.stopped_early:
        checks.append(Check(f"{exp.emulator} finished in time", True, "stopped by the runner once every expectation held"))
    else:
        checks.append(Check(f"{exp.emulator} exited with status {exp.clean_exit}", outcome.exit_code == exp.clean_exit,
                            f"status {outcome.exit_code}"))
    if exp.poweroff:
        ok = not outcome.timed_out and not outcome.stopped_early and outcome.exit_code == exp.clean_exit
        checks.append(Check(f"{exp.emulator} powered off by itself", ok,
                            f"after {outcome.seconds:.1f} s" if ok else "it did not"))
    return checks


def compile_regex(pattern: str):
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"bad regex {pattern!r}: {e}") from e
