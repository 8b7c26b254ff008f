# SPDX-License-Identifier: GPL-2.0-only
"""x86-64 boots: a GRUB ISO (hypervisor + manifest, built by
boot/x86_64/mkiso.sh) under QEMU (SVM, SeaBIOS or OVMF) or Bochs (VMX).

The ISO is either given or built by the runner into its temporary
directory from the hypervisor ELF and a manifest (make_iso: a seeded or
damaged manifest copy), which grub-mkrescue does in about a second.

QEMU: `-cpu max` under TCG implements AMD SVM with nested paging. The
hypervisor powers off through isa-debug-exit (port 0xf4, value 0), after
which QEMU exits with status 1; a hypervisor panic writes 1 (status 3).

KVM: where /dev/kvm offers nested VMX or SVM (a real Intel or AMD CI
runner), the kvm scenarios boot the ISO with `-accel kvm -cpu host`, and
the hypervisor picks the back end the host CPU has; elsewhere they are
skipped, saying why.

Bochs: Debian's build has VMX with EPT (`cpu: model=corei7_skylake_x`), a
debugger that needs `-rc` with "c", and only the `term` display, which needs
a terminal (script(1) provides one). The serial port goes to a file that is
read as it grows; writing "Shutdown" to port 0x8900 ends Bochs."""
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field

from .qemu import Outcome

OVMF = "/usr/share/ovmf/OVMF.fd"
QEMU_POWEROFF_STATUS = 1  # isa-debug-exit: (0 << 1) | 1
BOCHS_BIOS = "/usr/share/bochs/BIOS-bochs-latest"
BOCHS_VGA = "/usr/share/bochs/VGABIOS-lgpl-latest"


@dataclass
class Accel:
    name: str
    args: list
    reason: str


def _cpu_flags() -> set:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _nested(module: str) -> bool:
    try:
        with open(f"/sys/module/{module}/parameters/nested") as f:
            return f.read().strip() in ("1", "Y", "y")
    except OSError:
        return False


def choose_accel(backend: str, tcg_threads: str = "single") -> Accel:
    """KVM only where it can host Bulkhead's back end (a nested SVM or VMX
    host); TCG otherwise, and TCG has no VMX at all.

    Single-threaded TCG by default: with one thread per CPU, QEMU 7.2 lets
    FXRSTOR on one CPU disturb another CPU's SVM world switch (the
    fxrstor-race scenario; docs/architecture.md, "QEMU"). Scenarios that
    count timer interrupts per second on two CPUs at once ask for
    tcg_threads="multi": one thread cannot give two CPUs real time."""
    tcg = Accel("tcg", ["-accel", f"tcg,thread={tcg_threads}", "-cpu", "max"], "")
    if os.environ.get("BULKHEAD_ACCEL", "") == "tcg":
        tcg.reason = "BULKHEAD_ACCEL=tcg"
        return tcg
    flag, module = ("svm", "kvm_amd") if backend == "svm" else ("vmx", "kvm_intel")
    if platform.machine() != "x86_64":
        tcg.reason = f"host is {platform.machine()}"
    elif not os.access("/dev/kvm", os.R_OK | os.W_OK):
        tcg.reason = "no usable /dev/kvm"
    elif flag not in _cpu_flags() or not _nested(module):
        tcg.reason = f"KVM without nested {flag.upper()}"
    else:
        return Accel("kvm", ["-accel", "kvm", "-cpu", "host"], f"x86-64 host with nested {flag.upper()}")
    return tcg


def kvm_accel() -> Accel:
    """For the KVM scenarios: `-accel kvm -cpu host` where /dev/kvm can host
    either back end (nested VMX or SVM); else name "none" and the reason,
    for which the scenario is skipped."""
    if platform.machine() != "x86_64":
        return Accel("none", [], f"host is {platform.machine()}, not x86_64")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return Accel("none", [], "no usable /dev/kvm")
    flags = _cpu_flags()
    for flag, module in (("vmx", "kvm_intel"), ("svm", "kvm_amd")):
        if flag in flags and _nested(module):
            return Accel("kvm", ["-accel", "kvm", "-cpu", "host"], f"x86-64 host with nested {flag.upper()}")
    return Accel("none", [], "/dev/kvm offers neither nested VMX nor nested SVM to a guest")


MKISO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../boot/x86_64/mkiso.sh"))


def make_iso(hypervisor: str, manifest: str, directory: str) -> str:
    """boot/x86_64/mkiso.sh into directory; returns the ISO's path."""
    iso = os.path.join(directory, os.path.splitext(os.path.basename(manifest))[0] + ".iso")
    r = subprocess.run([MKISO, iso, hypervisor, manifest], capture_output=True, text=True,
                       env=dict(os.environ, TMPDIR=directory))
    if r.returncode:
        raise ValueError(f"mkiso.sh failed: {(r.stderr or r.stdout).strip()}")
    return iso


@dataclass
class Boot:
    iso: str
    smp: int = 2
    mem_mib: int = 512
    firmware: str = "bios"  # or "uefi"
    qemu: str = "qemu-system-x86_64"
    extra: list = field(default_factory=list)


def qemu_command(boot: Boot, accel: Accel) -> list:
    cmd = [boot.qemu, "-machine", "q35"] + accel.args
    cmd += ["-smp", str(boot.smp), "-m", str(boot.mem_mib), "-display", "none", "-serial", "stdio",
            "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
            "-cdrom", boot.iso]
    if boot.firmware == "uefi":
        cmd += ["-bios", OVMF]
    return cmd + list(boot.extra)


def bochs_files(boot: Boot, directory: str) -> tuple:
    """Writes bochsrc and the debugger commands; returns (command, serial log path)."""
    serial = os.path.join(directory, "com1.txt")
    rc = os.path.join(directory, "bochsrc")
    cmds = os.path.join(directory, "cmds")
    with open(rc, "w") as f:
        f.write(f"""megs: {boot.mem_mib}
cpu: model=corei7_skylake_x, count={boot.smp}, ips=50000000
romimage: file={BOCHS_BIOS}
vgaromimage: file={BOCHS_VGA}
ata0-master: type=cdrom, path={os.path.abspath(boot.iso)}, status=inserted
boot: cdrom
clock: sync=none
display_library: term
com1: enabled=1, mode=file, dev={serial}
log: {os.path.join(directory, 'bochs.log')}
panic: action=fatal
error: action=report
""")
    with open(cmds, "w") as f:
        f.write("c\n")
    open(serial, "w").close()
    inner = f"bochs -q -f {rc} -rc {cmds}"
    return ["script", "-qfc", inner, "/dev/null"], serial


def run_bochs(cmd: list, serial: str, timeout: float, on_line) -> Outcome:
    """Like qemu.run, but the console is the serial log file, read as Bochs
    writes it; Bochs's own terminal output is discarded."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    outcome = Outcome()
    buf = b""
    try:
        with open(serial, "rb") as f:
            while True:
                chunk = f.read()
                if chunk:
                    buf += chunk
                    *lines, buf = buf.split(b"\n")
                    for raw in lines:
                        if on_line("serial", raw.decode("utf-8", errors="replace").rstrip("\r")):
                            outcome.stopped_early = True
                            return outcome
                    continue
                if proc.poll() is not None:
                    if buf:
                        on_line("serial", buf.decode("utf-8", errors="replace").rstrip("\r"))
                    outcome.exit_code = proc.returncode
                    return outcome
                if time.monotonic() - start > timeout:
                    outcome.timed_out = True
                    return outcome
                time.sleep(0.05)
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, 9)
            except OSError:
                proc.kill()
            proc.wait()
        outcome.seconds = time.monotonic() - start
