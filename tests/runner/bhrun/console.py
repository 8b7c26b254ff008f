# SPDX-License-Identifier: GPL-2.0-only
"""What the console says: zone-tagged lines, hypervisor lines, verdicts
(BULKHEAD-TEST name: VERDICT) and benchmark results (BULKHEAD-BENCH name
value unit). Lines without a zone tag (a guest on bare QEMU) belong to the
zone named "" . A zone line longer than the hypervisor's line buffer comes
in pieces tagged `[zone]+ ` before its last piece (`[zone] `): LineJoiner
puts them back together, and Console sees whole lines only."""
import re
from dataclasses import dataclass, field

ZONE_LINE = re.compile(r"^\[([a-z0-9_-]{1,31})\] ?(.*)$")
HYPERVISOR_LINE = re.compile(r"^\[bulkhead:(\d+)\] ?(.*)$")
VERDICT = re.compile(r"^BULKHEAD-TEST (\S+): (SUCCESS|SKIP|FAILURE|ERROR|CRASH)\s*$")
BENCH = re.compile(r"^BULKHEAD-BENCH (\S+) (\S+) (\S+)\s*$")
VERDICTS = ("SUCCESS", "SKIP", "FAILURE", "ERROR", "CRASH")
BAD_VERDICTS = ("FAILURE", "ERROR", "CRASH")


CONTINUED = re.compile(r"^\[([a-z0-9_-]{1,31})\]\+ (.*)$", re.S)


class LineJoiner:
    """Joins the pieces of long zone lines; lines may be str or bytes (the
    tools keep a zone's bytes as they are)."""

    def __init__(self):
        self.pending = {}  # zone -> the line so far, without its tag

    @staticmethod
    def _tag(zone: str, like):
        tag = f"[{zone}] "
        return tag if isinstance(like, str) else tag.encode()

    def feed(self, line):
        """The whole line that `line` completes, or None while it is a piece."""
        text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
        m = CONTINUED.match(text)
        if m:
            zone = m.group(1)
            piece = line[len(zone) + 4:]  # after "[zone]+ "
            self.pending[zone] = self.pending.get(zone, line[:0]) + piece
            return None
        m = ZONE_LINE.match(text)
        if not m or m.group(1) not in self.pending:
            return line
        zone = m.group(1)
        tag = self._tag(zone, line)
        rest = line[len(tag):] if line.startswith(tag) else line[len(tag) - 1:]
        return tag + self.pending.pop(zone) + rest

    def leftovers(self) -> list:
        """Lines whose last piece never came (their zone ended)."""
        out = [self._tag(zone, piece) + piece for zone, piece in self.pending.items()]
        self.pending.clear()
        return out


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
    joiner: LineJoiner = field(default_factory=LineJoiner)

    def feed(self, text: str, seconds: float) -> Line:
        """The line `text` completes (None for a piece of a long line)."""
        text = self.joiner.feed(text)
        if text is None:
            return None
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
