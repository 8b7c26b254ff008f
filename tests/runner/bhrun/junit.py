# SPDX-License-Identifier: GPL-2.0-only
"""JUnit XML for CI: one test suite per boot, one test case per check,
with the console attached."""
import xml.etree.ElementTree as ET


def write(path: str, suite: str, checks: list, console_text: str, seconds: float):
    failures = sum(1 for c in checks if not c.ok)
    ts = ET.Element("testsuite", name=suite, tests=str(len(checks)), failures=str(failures),
                    errors="0", time=f"{seconds:.3f}")
    for c in checks:
        tc = ET.SubElement(ts, "testcase", classname=suite, name=c.what)
        if not c.ok:
            ET.SubElement(tc, "failure", message=c.detail or "failed").text = c.detail
    ET.SubElement(ts, "system-out").text = console_text
    ET.ElementTree(ts).write(path, encoding="utf-8", xml_declaration=True)
