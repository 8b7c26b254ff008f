# SPDX-License-Identifier: GPL-2.0-only
"""What the console says: zone-tagged lines, hypervisor lines, verdicts
(BULKHEAD-TEST name: VERDICT) and benchmark results (BULKHEAD-BENCH name
value unit). Lines without a zone tag (a guest on bare QEMU) belong to the
zone named "" ."""
import re
from dataclasses import dataclass, field

ZONE_LINE = re.compile(r"^\[([a-z0-9_-]{1,31})\] ?(.*)$")
HYPERVISOR_LINE = re.compile(r"^\[bulkhead:(\d+)\] ?(.*)$")
VERDICT = re.compile(r"^BULKHEAD-TEST (\S+): (SUCCESS|SKIP|FAILURE|ERROR|CRASH)\s*$")
BENCH = re.compile(r"^BULKHEAD-BENCH (\S+) (\S+) (\S+)\s*$")
VERDICTS = ("SUCCESS", "SKIP", "FAILURE", "ERROR", "CRASH")
BAD_VERDICTS = ("FAILURE", "ERROR", "CRASH")


@dataclass
class Line:
    index: int
    seconds: float
    text: str
    zone: str = None       # zone name, "" if untagged guest output, None for hypervisor lines
    body: str = ""         # text without the tag


@dataclass
class Verdict:
    zone: str
    test: str
    verdict: str
    line: Line


@dataclass
class BenchResult:
    zone: str
    name: str
    value: float
    unit: str


@dataclass
class Console:
    lines: list = field(default_factory=list)
    verdicts: list = field(default_factory=list)
    bench: list = field(default_factory=list)

    def feed(self, text: str, seconds: float) -> Line:
        line = Line(len(self.lines), seconds, text)
        hv = HYPERVISOR_LINE.match(text)
        zone = None if hv else ZONE_LINE.match(text)
        if hv:
            line.body = hv.group(2)
        elif zone:
            line.zone, line.body = zone.group(1), zone.group(2)
        else:
            line.zone, line.body = "", text
        self.lines.append(line)
        if line.zone is not None:
            v = VERDICT.match(line.body)
            if v:
                self.verdicts.append(Verdict(line.zone, v.group(1), v.group(2), line))
            b = BENCH.match(line.body)
            if b:
                try:
                    self.bench.append(BenchResult(line.zone, b.group(1), float(b.group(2)), b.group(3)))
                except ValueError:
                    pass
        return line

    def zone_lines(self, zone: str) -> list:
        return [l for l in self.lines if l.zone == zone]

    def first_match(self, regex) -> Line:
        for l in self.lines:
            if regex.search(l.text):
                return l
        return None
