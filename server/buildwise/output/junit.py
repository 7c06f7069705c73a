"""JUnit XML: one test case per finding (failed) and per clean file (passed)."""

from __future__ import annotations

import os
from typing import Any
from xml.etree import ElementTree as ET

from buildwise.model import Finding
from buildwise.output.plain import relpath


def write_junit(findings: list[Finding], checked: list[str], out: Any) -> None:
    suites = ET.Element("testsuites", name="kb-lint")
    suite = ET.SubElement(suites, "testsuite", name="kb-lint")
    with_findings = {os.path.abspath(f.path) for f in findings}
    cases = 0
    for f in findings:
        where = f"{relpath(f.path)}:{f.span.start.line + 1}:{f.span.start.column + 1}"
        case = ET.SubElement(
            suite,
            "testcase",
            classname=relpath(f.path),
            name=f"{f.code} {f.name} at line {f.span.start.line + 1}",
        )
        failure = ET.SubElement(case, "failure", message=f.message, type=f.severity.label)
        failure.text = f"{where}: {f.code} {f.message}"
        cases += 1
    for path in checked:
        if os.path.abspath(path) not in with_findings:
            ET.SubElement(suite, "testcase", classname=relpath(path), name="kb-lint")
            cases += 1
    suite.set("tests", str(cases))
    suite.set("failures", str(len(findings)))
    suite.set("errors", "0")
    suites.set("tests", str(cases))
    suites.set("failures", str(len(findings)))
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
