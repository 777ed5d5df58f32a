"""`--format junit`: JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps...).

One test suite, "aimsctl validate", with one test case per checked file: aims.yaml
and every record file, in path order. A file with errors fails, with one
``<failure>`` per error (message "CODE message", text "path:line:col"); warnings
and waived findings are listed in the test case's ``<system-out>``. ``failures``
counts failed test cases, so ``tests - failures`` is the number of clean files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.loader import CONFIG_FILE

SUITE = "aimsctl validate"
CLASSNAME = "aimsctl.validate"

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _where(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.column}"


def _note(d: Diagnostic) -> str:
    if d.waived_by is not None:
        return f"{_where(d)}: waived {d.code} {d.message} (waiver {d.waived_by})"
    return f"{_where(d)}: {d.severity} {d.code} {d.message}"


def _testcase(path: str, found: list[Diagnostic]) -> tuple[ET.Element, bool]:
    case = ET.Element(
        "testcase", {"name": _xml_text(path), "classname": CLASSNAME, "file": _xml_text(path)}
    )
    failed = False
    notes: list[str] = []
    for d in found:
        if d.waived_by is None and d.severity is Severity.ERROR:
            failed = True
            failure = ET.SubElement(
                case, "failure", {"message": _xml_text(f"{d.code} {d.message}"), "type": d.code}
            )
            failure.text = _xml_text(_where(d))
        else:
            notes.append(_note(d))
    if notes:
        ET.SubElement(case, "system-out").text = _xml_text("\n".join(notes) + "\n")
    return case, failed


def render(result: ValidationResult, color: bool = False) -> str:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in sorted([*result.diagnostics, *result.waived], key=Diagnostic.sort_key):
        by_path[d.path].append(d)
    files = sorted({CONFIG_FILE, *result.paths, *by_path})
    cases = [_testcase(path, by_path.get(path, [])) for path in files]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for _case, failed in cases if failed)),
        "errors": "0",
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {"name": "aimsctl", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE, **counts})
    suite.extend(case for case, _failed in cases)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
