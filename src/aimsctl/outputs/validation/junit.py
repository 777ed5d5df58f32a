"""`--format junit`: JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps...).

One test suite, "aimsctl validate", with one test case per checked file: aims.yaml
and every record file, in path order, named from the top of the git work tree when
the governance root is a folder inside one. A file with errors fails with exactly one
``<failure>`` (so every consumer counts failed files alike): its message names the
error, or how many there are and their codes; its text lists them, one
"path:line:col: CODE message" a line, paths and messages with their control and
invisible characters written as escapes, as the text format writes them (a line break
in a file name would split a line, and XML cannot carry every control character, so
two names would read alike). Warnings and waived findings are listed in the
test case's ``<system-out>``. ``failures`` counts failed test cases, so ``tests -
failures`` is the number of clean files. The document is valid against the Jenkins
JUnit schema (junit-10.xsd) that pytest's own tests use.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.loader import CONFIG_FILE
from aimsctl.text import printable

SUITE = "aimsctl validate"
CLASSNAME = "aimsctl.validate"


def _where(d: Diagnostic, prefix: str) -> str:
    return f"{printable(prefix + d.path)}:{d.line}:{d.column}"


def _note(d: Diagnostic, prefix: str) -> str:
    message = printable(d.message)
    if d.waived_by is not None:
        return f"{_where(d, prefix)}: waived {d.code} {message} (waiver {d.waived_by})"
    return f"{_where(d, prefix)}: {d.severity} {d.code} {message}"


def _failure(errors: list[Diagnostic]) -> dict[str, str]:
    """The one failure's attributes: the error itself, or how many and which codes."""
    codes = sorted({d.code for d in errors})
    if len(errors) == 1:
        message = f"{errors[0].code} {printable(errors[0].message)}"
    else:
        message = f"{len(errors)} errors: {', '.join(codes)}"
    kind = codes[0] if len(codes) == 1 else "aimsctl.validate"
    return {"message": message, "type": kind}


def _testcase(path: str, found: list[Diagnostic], prefix: str) -> tuple[ET.Element, bool]:
    name = printable(prefix + path)
    case = ET.Element("testcase", {"name": name, "classname": CLASSNAME})
    errors = [d for d in found if d.waived_by is None and d.severity is Severity.ERROR]
    notes = [_note(d, prefix) for d in found if d not in errors]
    if errors:
        failure = ET.SubElement(case, "failure", _failure(errors))
        lines = [f"{_where(d, prefix)}: {d.code} {printable(d.message)}" for d in errors]
        failure.text = "\n".join(lines) + "\n"
    if notes:
        ET.SubElement(case, "system-out").text = "\n".join(notes) + "\n"
    return case, bool(errors)


def render(result: ValidationResult, color: bool = False) -> str:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in sorted([*result.diagnostics, *result.waived], key=Diagnostic.sort_key):
        by_path[d.path].append(d)
    files = sorted({CONFIG_FILE, *result.paths, *by_path})
    prefix = result.source_prefix or ""
    cases = [_testcase(path, by_path.get(path, []), prefix) for path in files]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for _case, failed in cases if failed)),
        "errors": "0",
    }
    suites = ET.Element("testsuites", {"name": "aimsctl", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    suite.extend(case for case, _failed in cases)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
