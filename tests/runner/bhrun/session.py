# SPDX-License-Identifier: GPL-2.0-only
"""One supervised run of Bulkhead for the user-facing tools (scripts/run-zone,
scripts/run-manifest): QEMU's console streamed line by line (long zone
lines joined, a zone's bytes kept as they are), a deadline that ends the run
while the zones still run, and standard input fed to the console zone once
its zone init is ready for it.

Input: QEMU reads the serial port's input from a pipe this module writes.
Nothing is written before the input zone prints its BULKHEAD-START line
(zone init has then set up the relay: zone-kernel/init/stdin_stream.hpp);
then the source is copied as it can be read, framed (stdin_stream.py), and
its end is sent as the end marker. The pipe to QEMU blocks while nobody
takes the bytes (QEMU reads the serial input only as the UART takes it, the
hypervisor only as the zone's FIFO has room), so nothing is dropped on the
way, however much is sent."""
import ctypes
import os
import queue
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import stdin_stream
from .console import LineJoiner


@dataclass
class Outcome:
    exit_code: int = None     # QEMU's, None if it was killed
    timed_out: bool = False
    stopped: bool = False     # on_line asked to stop
    seconds: float = 0.0
    stderr: list = field(default_factory=list)  # QEMU's own messages


def _pump_lines(stream, q, source):
    buf = b""
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            q.put((source, line.rstrip(b"\r")))
    if buf:
        q.put((source, buf.rstrip(b"\r")))
    q.put((source, None))


class Feeder:
    """Copies `source` (a file descriptor, or None for no input) into QEMU's
    serial input, framed, once `ready` is set; then the end marker."""

    def __init__(self, source_fd):
        self.source_fd = source_fd
        self.ready = threading.Event()
        self.sink = None
        self.done = threading.Event()

    def start(self, sink):
        self.sink = sink
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            self.ready.wait()
            while self.source_fd is not None:
                data = os.read(self.source_fd, 65536)
                if not data:
                    break
                self.sink.write(stdin_stream.encode(data))
                self.sink.flush()
            self.sink.write(stdin_stream.END)
            self.sink.flush()
        except (OSError, ValueError):  # QEMU is gone, or the source failed: nothing more to send
            pass
        finally:
            self.done.set()


def _die_with_parent():
    """In QEMU's child before exec: SIGKILL when the tool dies, however it
    dies. A tool killed with SIGKILL (a caller's timeout) cannot stop QEMU
    itself, and QEMU in its own session would run on, a zone and all."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run(cmd: list, timeout: float, on_line, feeder: Feeder = None, ready_zone: str = None, env=None) -> Outcome:
    """Runs cmd; on_line(line: bytes) gets each whole console line and may
    return True to stop QEMU. With a feeder, the input starts when
    `[ready_zone] BULKHEAD-START` is seen. timeout 0: none."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if feeder else subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True, preexec_fn=_die_with_parent)
    q = queue.Queue()
    pumps = [threading.Thread(target=_pump_lines, args=(proc.stdout, q, "out"), daemon=True),
             threading.Thread(target=_pump_lines, args=(proc.stderr, q, "err"), daemon=True)]
    for t in pumps:
        t.start()
    if feeder:
        feeder.start(proc.stdin)
    ready = re.compile(rb"^\[" + re.escape((ready_zone or "").encode()) + rb"\] BULKHEAD-START\b")
    joiner = LineJoiner()
    outcome = Outcome()
    open_streams = 2
    try:
        while open_streams:
            wait = None
            if timeout:
                wait = timeout - (time.monotonic() - start)
                if wait <= 0:
                    outcome.timed_out = True
                    break
            try:
                source, raw = q.get(timeout=wait)
            except queue.Empty:
                continue
            if raw is None:
                open_streams -= 1
                continue
            if source == "err":
                outcome.stderr.append(raw.decode("utf-8", "replace"))
                continue
            line = joiner.feed(raw)
            if line is None:
                continue
            if feeder and not feeder.ready.is_set() and ready.match(line):
                feeder.ready.set()
            if on_line(line):
                outcome.stopped = True
                break
        else:
            for line in joiner.leftovers():
                on_line(line)
            remaining = max(1.0, timeout - (time.monotonic() - start)) if timeout else None
            try:
                outcome.exit_code = proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                outcome.timed_out = True
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, 9)
            except OSError:
                proc.kill()
            proc.wait()
        for t in pumps:
            t.join(timeout=1.0)
        for stream in (proc.stdout, proc.stderr):
            if not any(t.is_alive() for t in pumps):
                stream.close()
        outcome.seconds = time.monotonic() - start
        if feeder and feeder.sink:
            feeder.ready.set()  # let a waiting feeder find the pipe closed and end
            try:
                proc.stdin.close()
            except (OSError, ValueError):  # the feeder was writing to it
                pass
    return outcome
