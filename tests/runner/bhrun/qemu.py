# SPDX-License-Identifier: GPL-2.0-only
"""QEMU command lines and one supervised boot.

The console is read line by line from QEMU's stdout (the serial port) and
handed to a callback as it arrives; stderr lines come through the same
callback marked as such. QEMU is killed when the timeout expires or the
callback asks to stop, and never outlives the runner."""
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import accel as accel_mod

# The machine every scenario boots: GICv3, EL2 available to the hypervisor.
HYPERVISOR_MACHINE = "virt,virtualization=on,gic-version=3"
# Baselines: the guest itself at EL1, QEMU's firmware answering PSCI.
NATIVE_MACHINE = "virt,gic-version=3"


@dataclass
class Boot:
    kernel: str
    initrd: str = None
    smp: int = 4
    mem_mib: int = 1024
    native: bool = False
    qemu: str = "qemu-system-aarch64"
    extra: list = field(default_factory=list)


def command(boot: Boot, accel: accel_mod.Accel) -> list:
    cmd = [boot.qemu, "-M", NATIVE_MACHINE if boot.native else HYPERVISOR_MACHINE]
    cmd += accel.args
    cmd += ["-smp", str(boot.smp), "-m", str(boot.mem_mib), "-display", "none", "-serial", "stdio",
            "-monitor", "none", "-no-reboot", "-kernel", boot.kernel]
    if boot.initrd:
        cmd += ["-initrd", boot.initrd]
    return cmd + list(boot.extra)


@dataclass
class Outcome:
    exit_code: int = None      # None if QEMU had to be killed
    timed_out: bool = False
    stopped_early: bool = False  # the callback asked to stop
    seconds: float = 0.0


def _pump(stream, source, q):
    for raw in iter(stream.readline, b""):
        q.put((source, raw))
    q.put((source, None))


def run(cmd: list, timeout: float, on_line, sends=()) -> Outcome:
    """Runs cmd; on_line(source, text) is called per line ("serial" or
    "stderr") and returns True to stop QEMU early. sends is a list of
    (compiled regex, text): the first serial line matching a regex makes the
    runner type that text on QEMU's serial input, once."""
    start = time.monotonic()
    pending = list(sends)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if pending else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    q = queue.Queue()
    pumps = [threading.Thread(target=_pump, args=(proc.stdout, "serial", q), daemon=True),
             threading.Thread(target=_pump, args=(proc.stderr, "stderr", q), daemon=True)]
    for t in pumps:
        t.start()
    outcome = Outcome()
    open_streams = 2
    try:
        while open_streams:
            remaining = timeout - (time.monotonic() - start)
            if remaining <= 0:
                outcome.timed_out = True
                break
            try:
                source, raw = q.get(timeout=remaining)
            except queue.Empty:
                continue
            if raw is None:
                open_streams -= 1
                continue
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            for item in list(pending):
                if source == "serial" and item[0].search(text):
                    pending.remove(item)
                    proc.stdin.write(item[1].encode())
                    proc.stdin.flush()
            if on_line(source, text):
                outcome.stopped_early = True
                break
        if not outcome.timed_out and not outcome.stopped_early:
            try:
                outcome.exit_code = proc.wait(timeout=max(1.0, timeout - (time.monotonic() - start)))
            except subprocess.TimeoutExpired:
                outcome.timed_out = True
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for t in pumps:
            t.join(timeout=1.0)
        outcome.seconds = time.monotonic() - start
    return outcome
