"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule (so a viewer can explain any code), each with
a PascalCase name and a ``helpUri`` to its section of docs/rules.md at this
version. Each result has exactly one physical location relative to ``%SRCROOT%``,
the top of the git work tree when the governance root is a folder inside one (code
scanning resolves paths from there), else the governance root. Waived diagnostics
stay in the log as results carrying an external suppression that names the waiver.

``automationDetails.id`` names the governance folder too (``aimsctl/validate/`` at
the git top, ``aimsctl/validate/governance/`` for a folder inside it): code scanning
takes it for the analysis's category (upload-sarif's ``category`` input fills it only
where the log has none), and a later upload of a category replaces the earlier one,
so two governance folders of one repository must not share it. A ``--changed-since``
run reports only what the change brings, so it is a category of its own
(``aimsctl/validate-changes/``, then the folder) and names its base commit in
``properties.changedSince``: uploaded under the whole run's category, it replaced that
analysis, and code scanning took every finding it leaves out (one already there,
in a file the change does not touch) for fixed.

Each result carries ``partialFingerprints`` made from its code, its record (or its
file, for a finding about no record), its JSON pointer and, for a finding about
neither, its message: two findings at the same line stay two alerts, and an alert
follows its record when lines move. At most :data:`MAX_RESULTS` results are written
(GitHub code scanning rejects a larger run whole): errors first, and the run says
how many were left out. No timestamps: the same repository gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aimsctl import __version__, codes
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.loader import printable_path
from aimsctl.rules import Rule, all_rules
from aimsctl.text import md_fence

SCHEMA_URI = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
# Where aimsctl's source and documentation live; rule help links into docs/rules.md
# there, at the tag of the running version.
HOME_URI = "https://github.com/aimsctl/aimsctl"
INFORMATION_URI = HOME_URI
FULL_NAME = "aimsctl: ISO/IEC 42001 AI management system as code"
SRCROOT = "%SRCROOT%"
AUTOMATION_ID = "aimsctl/validate/"
# A --changed-since run: what a change brings, never to replace a whole run's alerts.
CHANGES_AUTOMATION_ID = "aimsctl/validate-changes/"
# GitHub code scanning accepts at most 25,000 results in a run.
MAX_RESULTS = 25_000
FINGERPRINT = "aimsctlFinding/v1"
LINE_HASH = "primaryLocationLineHash"

_NOT_SLUG = re.compile(r"[^a-z0-9 _-]")


def pascal_case(name: str) -> str:
    """``risk-above-appetite`` as ``RiskAboveAppetite``, the form SARIF asks for."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_ ]+", name) if part)


def help_uri(rule: Rule, version: str = __version__) -> str:
    """The rule's section of docs/rules.md at ``version``, as GitHub anchors headings."""
    heading = f"{rule.code} {rule.name}".lower()
    anchor = _NOT_SLUG.sub("", heading).replace(" ", "-")
    return f"{HOME_URI}/blob/v{version}/docs/rules.md#{anchor}"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The SARIF reportingDescriptor of one rule, with its help as text and Markdown."""
    example = "\n".join(md_fence(rule.example))
    return {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "helpUri": help_uri(rule),
        "help": {
            "text": (
                f"{rule.summary}\n\nWhy it matters: {rule.why}\n\nHow to fix: {rule.fix}\n\n"
                f"Example:\n{rule.example}"
            ),
            "markdown": (
                f"{rule.summary}\n\n**Why it matters.** {rule.why}\n\n**How to fix.** "
                f"{rule.fix}\n\n**Example**\n\n{example}"
            ),
        },
        "defaultConfiguration": {"level": str(rule.severity)},
        "properties": {"tags": [rule.name]},
    }


# What changes in a message from one run to the next while the finding stays the same
# one: a date, and a number standing alone (a line, a count of days or of files, the
# `:4` of `file:4`). A number inside an id (`A.5.2`, `R-001`) stays: it names the
# subject.
_VOLATILE = re.compile(r"\d{4}-\d{2}-\d{2}|(?<![\w.-])\d+(?![\w-]|\.\d)")


def fingerprint_source(diagnostic: Diagnostic) -> str:
    """What identifies a finding across runs: not its line, which edits move; a list
    entry by what it holds, not its place (:func:`aimsctl.diagnostics.identity_of`).
    A finding about no record and no value (one AIMS202 per missing control, an
    overdue audit at aims.yaml) is told apart by its message, its dates and numbers
    left out: they move with edits and with the as-of date. A duplicate id (AIMS105)
    is the copy in its file."""
    anchor = diagnostic.record if diagnostic.record is not None else f"file:{diagnostic.path}"
    if diagnostic.code == codes.DUPLICATE_ID:
        anchor = f"{anchor}\0file:{diagnostic.path}"
    parts = [diagnostic.code, anchor, diagnostic.identity or diagnostic.pointer]
    if diagnostic.record is None and not diagnostic.pointer:
        parts.append(_VOLATILE.sub("#", diagnostic.message))
    return "\0".join(parts)


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """One fingerprint per diagnostic, in order: a hash of its identity and the
    ordinal of that identity (``:1``, ``:2``...), so that identical findings stay
    apart."""
    seen: Counter[str] = Counter()
    out: list[str] = []
    for diagnostic in diagnostics:
        digest = hashlib.sha256(fingerprint_source(diagnostic).encode("utf-8")).hexdigest()[:16]
        seen[digest] += 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def _result(
    diagnostic: Diagnostic, rule_index: dict[str, int], prefix: str, fingerprint: str
) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    result["level"] = str(diagnostic.severity)
    result["message"] = {"text": diagnostic.message}
    # A folder whose name is not UTF-8 (the git prefix) is percent-encoded byte by byte,
    # as ``originalUriBaseIds`` names the root.
    uri = quote(prefix + diagnostic.path, safe="/", errors="surrogateescape")
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
                "region": {"startLine": diagnostic.line, "startColumn": diagnostic.column},
            }
        }
    ]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint, LINE_HASH: fingerprint}
    properties: dict[str, str] = {}
    if diagnostic.record is not None:
        properties["record"] = diagnostic.record
    if diagnostic.pointer:
        properties["pointer"] = diagnostic.pointer
    if properties:
        result["properties"] = properties
    if diagnostic.waived_by is not None:
        result["suppressions"] = [
            {"kind": "external", "justification": f"waiver {diagnostic.waived_by}"}
        ]
    return result


def _priority(item: tuple[Diagnostic, str]) -> int:
    """Which results a capped run keeps first: errors, then warnings, then waived."""
    diagnostic = item[0]
    if diagnostic.waived_by is not None:
        return 2
    return 0 if diagnostic.severity is Severity.ERROR else 1


def _source_root(result: ValidationResult) -> str:
    """The absolute file URI of %SRCROOT%: the git work tree's top, or the root."""
    root = Path(result.repository).absolute()
    depth = len([part for part in (result.source_prefix or "").split("/") if part])
    top = root.parents[depth - 1] if depth else root
    return top.as_uri().rstrip("/") + "/"


def automation_id(result: ValidationResult) -> str:
    """The run's ``automationDetails.id``: its category (what comes before the last
    '/') is aimsctl's validation of this governance folder of the repository, or,
    for a ``--changed-since`` run, of what a change brings to it."""
    start = AUTOMATION_ID if result.changed_since is None else CHANGES_AUTOMATION_ID
    return start + printable_path(result.source_prefix or "")


def document(result: ValidationResult, limit: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log as plain data, keys in a fixed order; at most ``limit`` results."""
    rules = all_rules()
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    diagnostics = sorted([*result.diagnostics, *result.waived], key=Diagnostic.sort_key)
    items = list(zip(diagnostics, fingerprints(diagnostics), strict=True))
    left_out = max(0, len(items) - limit)
    if left_out:
        kept = sorted(items, key=_priority)[:limit]  # stable: path order within a level
        wanted = {id(item) for item in kept}
        items = [item for item in items if id(item) in wanted]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "aimsctl",
                "fullName": FULL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "automationDetails": {"id": automation_id(result)},
        "originalUriBaseIds": {SRCROOT: {"uri": _source_root(result)}},
        # Columns count characters (code points), as aimsctl reports them.
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(d, rule_index, result.source_prefix or "", fingerprint)
            for d, fingerprint in items
        ],
    }
    if left_out:
        note = (
            f"{left_out:,} of {len(diagnostics):,} results were left out: a run holds at "
            f"most {limit:,} (GitHub code scanning rejects a larger one). Errors are kept "
            "first; run `aimsctl validate` for the full list."
        )
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": note}, "descriptor": {"id": "cap"}}
                ],
            }
        ]
        run["properties"] = {"resultsLeftOut": left_out, "resultsTotal": len(diagnostics)}
    if result.changed_since is not None:
        run.setdefault("properties", {})["changedSince"] = result.changed_since
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ValidationResult, color: bool = False) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
