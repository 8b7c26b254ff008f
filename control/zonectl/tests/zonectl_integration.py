#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""End-to-end tests of zoned and zonectl on the host: each test starts a
real zoned with the fake hypervisor in a temporary directory (its socket
there too) and drives the real zonectl binary, as a user would.

Every wait is bounded (TIMEOUT): a bug fails a test instead of hanging it.
Waiting for a state is polling with a deadline, never a fixed sleep.

  zonectl_integration.py --bin-dir DIR [unittest arguments, e.g. Tests.test_launch_wait]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

TIMEOUT = 60  # seconds, for any one command or condition
BIN = {}

# zonectl's exit statuses (docs/zonectl.md)
REFUSED, USAGE, UNREACHABLE, LAUNCH_FAILED = 1, 2, 3, 125


def wait_for(condition, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Node:
    """A zoned with the fake hypervisor, its state, socket and shipped
    kernel and initramfs in one temporary directory."""

    def __init__(self, memory="1G", extra_args=()):
        self.dir = tempfile.mkdtemp(prefix="zonectl-test-")
        self.socket = os.path.join(self.dir, "zoned.sock")
        self.fake_dir = os.path.join(self.dir, "fake")
        self.state_dir = os.path.join(self.dir, "state")
        self.kernel = self.write_image("Image")
        self.initrd = os.path.join(self.dir, "initramfs.cpio")
        with open(self.initrd, "wb") as f:
            f.write(b"070701" + b"\0" * 500)
        self.memory = memory
        self.extra_args = list(extra_args)
        self.zoned = None
        self.zoned_log = open(os.path.join(self.dir, "zoned.log"), "ab")

    def write_image(self, name):
        """A file with the arm64 Image header's magic: the fake hypervisor
        runs no kernel, but checks it as the real one does."""
        path = os.path.join(self.dir, name)
        header = bytearray(64)
        header[56:60] = b"ARM\x64"
        with open(path, "wb") as f:
            f.write(bytes(header) + b"\0" * 4096)
        return path

    def start(self):
        self.zoned = subprocess.Popen(
            [BIN["zoned"], "--socket", self.socket, "--state-dir", self.state_dir,
             "--fake-hypervisor", self.fake_dir, "--fake-memory", self.memory,
             "--kernel", self.kernel, "--initrd", self.initrd,
             "--fake-zone", BIN["bulkhead-fake-zone"], "--backend", BIN["bulkhead-zone-backend"]]
            + self.extra_args,
            stdin=subprocess.DEVNULL, stdout=self.zoned_log, stderr=self.zoned_log)
        wait_for(lambda: self.zoned.poll() is not None or self.run("host", "info").returncode == 0,
                 "zoned to answer")
        if self.zoned.poll() is not None:
            raise AssertionError("zoned did not start:\n" + self.log())

    def kill(self):
        self.zoned.send_signal(signal.SIGKILL)
        self.zoned.wait(timeout=TIMEOUT)

    def stop(self):
        if self.zoned and self.zoned.poll() is None:
            self.zoned.terminate()
            try:
                self.zoned.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self):
        with open(os.path.join(self.dir, "zoned.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def fake_zone_pids(self):
        """The fake zones' processes of this node only (zone.json names them;
        /proc confirms it is still that process)."""
        pids = []
        zones = os.path.join(self.fake_dir, "zones")
        for handle in os.listdir(zones) if os.path.isdir(zones) else []:
            try:
                with open(os.path.join(zones, handle, "zone.json")) as f:
                    pid = json.load(f)["runner_pid"]
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if self.fake_dir.encode() in f.read():
                        pids.append(pid)
            except (OSError, KeyError, ValueError):
                pass
        return pids

    def cleanup(self):
        self.stop()
        for pid in self.fake_zone_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.zoned_log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *args, stdin=None):
        return subprocess.run([BIN["zonectl"], "--socket", self.socket, *args], input=stdin,
                              capture_output=True, timeout=TIMEOUT)

    def ok(self, *args, stdin=None):
        r = self.run(*args, stdin=stdin)
        if r.returncode != 0:
            raise AssertionError(f"zonectl {' '.join(args)} returned {r.returncode}: {r.stderr.decode()}")
        return r.stdout.decode()

    def zones(self):
        return {z["name"]: z for z in json.loads(self.ok("list", "-o", "json"))}

    def host(self):
        return json.loads(self.ok("host", "info", "-o", "json"))

    def zone_state(self, name):
        return self.zones().get(name, {}).get("state")


class ZonectlTest(unittest.TestCase):
    node_args = {}

    def setUp(self):
        self.node = Node(**self.node_args)
        self.addCleanup(self.node.cleanup)
        self.node.start()

    def assertRefused(self, args, code, *phrases):
        """A request that must fail with `code`, name its zone and say
        what to do, and change nothing."""
        zones, host = self.node.zones(), self.node.host()
        r = self.node.run(*args)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, code, f"zonectl {' '.join(args)}: {err}")
        for phrase in phrases:
            self.assertIn(phrase, err)
        self.assertEqual(self.node.zones(), zones, "a refused request changed the zones")
        self.assertEqual(self.node.host()["free_memory"], host["free_memory"])
        return err


class LaunchTests(ZonectlTest):
    def test_launch_wait_prints_output_and_returns_status(self):
        r = self.node.run("launch", "--wait", "hi", "--", "sh", "-c", "echo hi; exit 3")
        self.assertEqual(r.stdout, b"hi\n")
        self.assertEqual(r.returncode, 3, r.stderr.decode())
        zone = self.node.zones()["hi"]
        self.assertEqual(zone["state"], "exited")
        self.assertEqual(zone["exit_status"], 3)
        self.assertEqual(zone["exit_reason"], "workload")

    def test_launch_wait_signal_is_128_plus_n(self):
        r = self.node.run("launch", "--wait", "sig", "--", "sh", "-c", "echo dying; kill -9 $$")
        self.assertEqual(r.returncode, 128 + 9)
        self.assertEqual(self.node.zones()["sig"]["exit_status"], 137)

    def test_defaults_and_environment(self):
        r = self.node.run("launch", "--wait", "--env", "GREETING=hello", "--env", "WHO=zone", "envz", "--",
                          "sh", "-c", "echo $GREETING $WHO")
        self.assertEqual((r.returncode, r.stdout), (0, b"hello zone\n"), r.stderr.decode())
        zone = self.node.zones()["envz"]
        self.assertEqual((zone["vcpus"], zone["memory"]), (1, 256 << 20))
        self.assertEqual((zone["kernel"], zone["initrd"]), (self.node.kernel, self.node.initrd))
        self.assertEqual(zone["env"], ["GREETING=hello", "WHO=zone"])

    def test_ten_launches_and_destroys_free_all_memory(self):
        free = self.node.host()["free_memory"]
        for i in range(10):
            name = f"loop{i}"
            self.node.ok("launch", "--vcpus", "2", "--memory", "64M", name, "--", "sleep", "infinity")
            self.assertEqual(self.node.host()["free_memory"], free - (64 << 20))
            self.node.ok("destroy", "--force", name)
        self.assertEqual(self.node.host()["free_memory"], free)
        self.assertEqual(self.node.zones(), {})
        self.assertEqual(self.node.ok("list").splitlines()[1:], [])

    def test_pause_resume_stop_destroy(self):
        self.node.ok("launch", "life", "--", "sleep", "infinity")
        self.node.ok("pause", "life")
        self.assertEqual(self.node.zone_state("life"), "paused")
        self.assertRefused(["pause", "life"], REFUSED, "zone 'life' is paused", "only a running zone")
        self.node.ok("resume", "life")
        self.assertEqual(self.node.zone_state("life"), "running")
        self.assertRefused(["destroy", "life"], REFUSED, "zone 'life' is running", "zonectl stop life")
        self.assertIn("stopped (137)", self.node.ok("stop", "life"))
        zone = self.node.zones()["life"]
        self.assertEqual((zone["state"], zone["exit_status"]), ("stopped", 137))
        self.node.ok("destroy", "life")
        self.assertEqual(self.node.zones(), {})

    def test_logs_and_follow(self):
        r = self.node.run("launch", "--wait", "talk", "--", "seq", "1", "1000")
        self.assertEqual(r.returncode, 0)
        expected = "".join(f"{i}\n" for i in range(1, 1001))
        self.assertEqual(self.node.ok("logs", "talk"), expected)
        self.assertEqual(self.node.ok("logs", "-f", "talk"), expected)

    def test_console_input_reaches_the_zone(self):
        self.node.ok("launch", "echo", "--", "sh", "-c", "cat; echo bye; exit 4")
        wait_for(lambda: self.node.zones()["echo"]["backend"]["state"] == "running", "its backend")
        r = self.node.run("console", "echo", stdin=b"ping\n\x04")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn(b"ping\n", r.stdout)
        self.assertIn(b"bye\n", r.stdout)
        self.assertEqual(self.node.zones()["echo"]["exit_status"], 4)

    def test_launch_attach_forwards_input_and_returns_status(self):
        r = self.node.run("launch", "--attach", "catty", "--", "sh", "-c", "echo ready; cat; exit 2",
                          stdin=b"hey\n\x04")
        self.assertEqual(r.returncode, 2, r.stderr.decode())
        self.assertEqual(r.stdout, b"ready\nhey\n")

    def test_console_detaches_on_ctrl_close_bracket(self):
        self.node.ok("launch", "stay", "--", "sleep", "infinity")
        r = self.node.run("console", "stay", stdin=b"\x1d")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("detached from zone 'stay'", r.stderr.decode())
        self.assertEqual(self.node.zone_state("stay"), "running")

    def test_host_info(self):
        host = self.node.host()
        self.assertEqual((host["cpus"], host["total_memory"], host["zones"]), (4, 1 << 30, 0))
        self.assertIn("free memory:", self.node.ok("host", "info"))


class RotationTests(ZonectlTest):
    node_args = {"extra_args": ["--log-max", "16K", "--log-keep", "2"]}

    def test_console_log_is_size_bounded(self):
        r = self.node.run("launch", "--wait", "chatty", "--", "seq", "1", "30000")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.endswith(b"\n30000\n"))
        logs = os.path.join(self.node.state_dir, "logs", "chatty")
        files = sorted(os.listdir(logs))
        self.assertEqual(files, ["console.log", "console.log.1", "console.log.2"])
        for f in files:
            self.assertLessEqual(os.path.getsize(os.path.join(logs, f)), 16 << 10)
        self.assertTrue(self.node.ok("logs", "chatty").endswith("\n30000\n"))


class RestartTests(ZonectlTest):
    def test_sigkill_and_restart_reattaches(self):
        node = self.node
        node.ok("launch", "echoer", "--", "sh", "-c", "cat; echo done; exit 4")
        node.ok("launch", "idle", "--", "sleep", "infinity")
        node.ok("pause", "idle")
        node.ok("launch", "quick", "--", "sh", "-c", "sleep 1; echo finished; exit 7")
        r = node.run("launch", "--wait", "early", "--", "sh", "-c", "exit 5")
        self.assertEqual(r.returncode, 5, r.stderr.decode() + node.log())
        backend = wait_for(lambda: node.zones()["echoer"]["backend"]["pid"], "echoer's backend")
        node.kill()
        # `quick` ends while no zoned runs: the fake hypervisor records it.
        wait_for(lambda: self.fake_state("quick") == 3, "zone 'quick' to exit")
        node.start()
        zones = node.zones()
        self.assertEqual({n: z["state"] for n, z in zones.items()},
                         {"echoer": "running", "idle": "paused", "quick": "exited", "early": "exited"})
        self.assertEqual(zones["quick"]["exit_status"], 7)
        self.assertEqual(zones["early"]["exit_status"], 5)
        # What `quick` said while zoned was away reached its log.
        self.assertEqual(node.run("logs", "-f", "quick").stdout, b"finished\n")
        # The console of a zone that ran on still works, input included:
        # the backend outlived zoned (it holds the console's state) and the
        # new zoned re-attached to it.
        after = node.zones()["echoer"]["backend"]
        self.assertEqual((after["state"], after["pid"]), ("running", backend), node.log())
        r = node.run("console", "echoer", stdin=b"again\n\x04")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn(b"again\n", r.stdout)
        self.assertEqual(node.zones()["echoer"]["exit_status"], 4)
        node.ok("resume", "idle")
        self.assertEqual(node.zone_state("idle"), "running")

    def test_node_restart_keeps_records_truthfully(self):
        """The records (on the node's data disk) outlive the node: a zone
        that had exited keeps its status and log, one that was running is
        crashed with reason node-restarted, and no old record's handle
        reaches a zone of the new boot."""
        node = self.node
        r = node.run("launch", "--wait", "done", "--", "sh", "-c", "echo marker-done; exit 5")
        self.assertEqual(r.returncode, 5, r.stderr.decode())
        node.ok("launch", "runner", "--", "sleep", "infinity")
        # The node powers off: zoned, the zones and their backends go, and
        # the next boot's hypervisor knows none of them.
        node.kill()
        for pid in node.fake_zone_pids():
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(node.fake_dir)
        node.extra_args += ["--boot-id", "the-next-boot"]
        node.start()
        zones = node.zones()
        self.assertEqual((zones["done"]["state"], zones["done"]["exit_status"]), ("exited", 5))
        self.assertEqual(node.run("logs", "done").stdout, b"marker-done\n")
        self.assertEqual((zones["runner"]["state"], zones["runner"]["exit_reason"]), ("crashed", "node-restarted"))
        node.ok("launch", "fresh", "--", "sleep", "infinity")  # may be given an old record's handle
        node.ok("destroy", "done")
        node.ok("destroy", "runner")
        self.assertEqual(node.zone_state("fresh"), "running")
        self.assertEqual(set(node.zones()), {"fresh"})

    def fake_state(self, name):
        zones = os.path.join(self.node.fake_dir, "zones")
        for handle in os.listdir(zones):
            with open(os.path.join(zones, handle, "zone.json")) as f:
                z = json.load(f)
            if z["name"] == name:
                return z["state"]
        return None


class BadInputTests(ZonectlTest):
    def setUp(self):
        super().setUp()
        self.node.ok("launch", "taken", "--", "sleep", "infinity")

    def test_unknown_zone(self):
        for command in (["info", "nosuch"], ["destroy", "nosuch"], ["pause", "nosuch"], ["logs", "nosuch"],
                        ["console", "nosuch"]):
            self.assertRefused(command, REFUSED, "zone 'nosuch' does not exist", "zonectl list")

    def test_duplicate_name(self):
        self.assertRefused(["launch", "taken", "--", "true"], REFUSED, "zone 'taken' already exists",
                           "pick another name")

    def test_more_memory_than_free(self):
        self.assertRefused(["launch", "--memory", "2G", "big", "--", "true"], REFUSED, "zone 'big' needs 2 GiB",
                           "is free")

    def test_kernel_that_is_not_an_arm64_image(self):
        text = os.path.join(self.node.dir, "notes.txt")
        with open(text, "w") as f:
            f.write("not a kernel\n" * 10)
        self.assertRefused(["launch", "--kernel", text, "k", "--", "true"], REFUSED, "zone 'k'",
                           "not an arm64 Linux Image", "give --kernel")

    def test_zero_vcpus(self):
        self.assertRefused(["launch", "--vcpus", "0", "v", "--", "true"], REFUSED, "zone 'v'",
                           "--vcpus must be at least 1")

    def test_unreadable_initrd(self):
        missing = os.path.join(self.node.dir, "missing.cpio")
        self.assertRefused(["launch", "--initrd", missing, "i", "--", "true"], REFUSED, "zone 'i'",
                           "cannot open --initrd", "give --initrd")
        self.assertRefused(["launch", "--initrd", self.node.dir, "i", "--", "true"], REFUSED, "zone 'i'",
                           "not a regular file", "give --initrd")

    def test_bad_names_and_sizes(self):
        self.assertRefused(["launch", "Bad.Name", "--", "true"], REFUSED, "zone name 'Bad.Name'")
        self.assertRefused(["launch", "--memory", "lots", "m", "--", "true"], REFUSED, "zone 'm'",
                           "--memory 'lots' is not a size")

    def test_wait_reports_a_failed_launch_as_125(self):
        self.assertRefused(["launch", "--wait", "taken", "--", "true"], LAUNCH_FAILED, "zone 'taken' already exists")

    def test_usage_and_unreachable(self):
        self.assertEqual(self.node.run("launch").returncode, USAGE)
        r = subprocess.run([BIN["zonectl"], "--socket", os.path.join(self.node.dir, "none.sock"), "list"],
                           capture_output=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, UNREACHABLE)
        self.assertIn("is zoned running?", r.stderr.decode())

    @unittest.skipUnless(os.geteuid() == 0, "needs root to become another user")
    def test_another_user_is_refused(self):
        def become_nobody():
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
        for command in (["list"], ["launch", "mine", "--", "true"]):
            r = subprocess.run([BIN["zonectl"], "--socket", self.node.socket, *command], capture_output=True,
                               timeout=TIMEOUT, preexec_fn=become_nobody)
            self.assertEqual(r.returncode, UNREACHABLE, r.stderr)
            self.assertIn("refuses this user (Permission denied): run zonectl as root or as a member", r.stderr.decode())
        self.assertNotIn("mine", self.node.zones())


class LeastPrivilegeTests(ZonectlTest):
    def test_backend_holds_only_its_zone(self):
        self.node.ok("launch", "one", "--", "sleep", "infinity")
        self.node.ok("launch", "two", "--", "sleep", "infinity")
        zones = wait_for(lambda: (z := self.node.zones()) and all(x["backend"]["pid"] for x in z.values()) and z,
                         "both backends")
        for name, zone in zones.items():
            pid = zone["backend"]["pid"]
            fds = {int(fd): os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
            # 0-6 as the supervisor gave them; anything more is its own log file.
            own_logs = os.path.join(self.node.state_dir, "logs", name)
            self.assertEqual(fds[5], own_logs)
            self.assertEqual(sorted(fd for fd, target in fds.items() if not target.startswith(own_logs + "/")),
                             [0, 1, 2, 3, 4, 5, 6], fds)
            self.assertTrue(fds[6].startswith("socket:"), fds)  # its console-input listener
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
            self.assertEqual(status["Seccomp"].strip(), "2")  # a filter
            self.assertEqual(status["NoNewPrivs"].strip(), "1")
            if os.geteuid() == 0:  # as root, each zone's backend has a uid of its own
                self.assertNotEqual(status["Uid"].split()[0], "0")
                self.assertEqual(status["CapEff"].strip(), "0000000000000000")
        if os.geteuid() == 0:
            self.assertNotEqual(zones["one"]["backend"]["uid"], zones["two"]["backend"]["uid"])


class DeviceHypervisorTests(unittest.TestCase):
    def test_zoned_without_driver_says_so(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([BIN["zoned"], "--socket", os.path.join(d, "s"), "--state-dir", d],
                               capture_output=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1)
        self.assertIn("unavailable: /dev/bulkhead driver not present", r.stderr.decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", action="append", required=True,
                        help="where zoned, zonectl and their helpers are (repeatable)")
    args, rest = parser.parse_known_args()
    for name in ("zoned", "zonectl", "bulkhead-fake-zone", "bulkhead-zone-backend"):
        found = [os.path.join(d, name) for d in args.bin_dir if os.path.exists(os.path.join(d, name))]
        if not found:
            sys.exit(f"{name} not found in {args.bin_dir}")
        BIN[name] = found[0]
    unittest.main(argv=[sys.argv[0], "-v"] + rest)
