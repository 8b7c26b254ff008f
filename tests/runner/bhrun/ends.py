# SPDX-License-Identifier: GPL-2.0-only
"""How zones ended, from the hypervisor's own lines, and the exit status a
command-line tool gives for it (scripts/run-zone, scripts/run-manifest):

    N        the workload's exit status (zone init's ZONE_EXIT hypercall),
             or a plain ZONE_EXIT code of a bare zone
    128+N    the workload was killed by signal N
    69       the zone ended without a status (it powered off, or every
             vCPU stopped: a kernel without kexec, see zone init)
    70       the zone crashed (a kernel panic, an illegal access under fault
             policy "stop", its watchdog), was stopped by a manager, or the
             hypervisor itself panicked
    124      it did not end within --timeout (like timeout(1))
    125      Bulkhead refused to start it: bad options, a refused manifest,
             a file that is not a kernel (like docker run)

Console text never decides any of this: only the hypervisor's lines about
a zone's end, which no zone can print (every zone line carries its tag)."""
import re
from dataclasses import dataclass

NO_STATUS = 69   # EX_UNAVAILABLE: the zone ended, its workload's status unknown
CRASHED = 70     # EX_SOFTWARE
TIMEOUT = 124    # timeout(1)
REFUSED = 125    # docker run: the tool itself failed

HYPERVISOR = re.compile(r"^\[bulkhead:\d+\] (.*)$")
END = re.compile(r"^zone '([a-z0-9_-]{1,31})' (exited|crashed|stopped): (?:code (\d+) \(([^)]*)\)|(.*))$")
REFUSING = "refusing to start any zone"
PANIC = re.compile(r"^PANIC: (.*)$")
NO_STATUS_REASONS = ("PSCI SYSTEM_OFF", "every vCPU called PSCI CPU_OFF")


@dataclass
class ZoneEnd:
    zone: str
    state: str            # exited, crashed, stopped
    code: int = None      # for exits
    reason: str = ""      # "workload exit status", "PSCI SYSTEM_RESET", ...

    def status(self) -> int:
        """The exit status a tool gives for this end."""
        if self.state != "exited":
            return CRASHED
        if self.reason == "workload killed by a signal":
            return 128 + self.code
        if self.reason in NO_STATUS_REASONS:
            return NO_STATUS
        return self.code

    def describe(self) -> str:
        if self.state == "exited":
            if self.reason == "workload killed by a signal":
                return f"the workload was killed by signal {self.code}"
            if self.reason in NO_STATUS_REASONS:
                return "the zone powered off without reporting its workload's status"
            if self.reason == "workload exit status":
                return f"the workload exited with status {self.code}"
            return f"the zone exited with code {self.code}"
        return f"the zone {self.state}: {self.reason}"


def hypervisor_text(line: str):
    """The text of a hypervisor line ([bulkhead:N] ...), else None."""
    m = HYPERVISOR.match(line)
    return m.group(1) if m else None


def parse_end(text: str):
    """A ZoneEnd from a hypervisor line's text, else None."""
    m = END.match(text)
    if not m:
        return None
    if m.group(3) is not None:
        return ZoneEnd(m.group(1), m.group(2), int(m.group(3)), m.group(4))
    return ZoneEnd(m.group(1), m.group(2), None, m.group(5))
