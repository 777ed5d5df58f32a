"""Records for tests, built one way: a minimal valid record per kind, fields laid over it,
written as YAML 1.2 the way a person writes it.

``record(kind, id, **fields)`` starts from the kind's entry in ``MINIMAL`` and lays
``fields`` over it: a field the minimal record has keeps its place, a new one
follows in the order given, and a field given as ``OMIT`` is left out. A default
text may name the record's id as ``{id}``. ``system()``, ``risk()``,
``assessment()``, ``control()``, ``waiver()``, ``evaluation()``, ``monitor()``,
``incident()``, ``policy()``, ``role()``, ``objective()``, ``internal_audit()``,
``management_review()`` and ``nonconformity()`` are ``record()`` for one kind;
``levels(likelihood, severity)`` is a Risk's ``inherent`` or ``residual``.

``yaml_of(record)`` is the YAML text of one record; ``yaml_of([r1, r2])`` one file
of several documents, ``---`` between them. Mappings are written in block style,
lists of plain values on one line (``systems: [SYS-1]``), other lists in block
style indented under their key; ``flow(...)`` and ``block(...)`` choose the style
of one value. Strings are quoted only where YAML 1.2, as aimsctl reads it, would
take them for something else (``'1e5'``, ``'true'``), so ``on:``, ``yes`` and dates
stay plain. ``conftest.write_files`` (and so ``make_repo``) takes records and lists
of records as file contents and writes them with ``yaml_of``.

The rule tests count lines in these records (an AISystem's ``stage`` is on line 7,
``human_oversight.mode`` on line 9, a Risk's ``inherent`` on lines 7-9, extra
fields from the line after the last default): change a minimal record only at
its end, and only with the rule tests run.

A new record kind is one entry in ``MINIMAL``: the smallest record of that kind
that validates clean on its own. tests/hostile/test_corpus.py checks that every
kind aimsctl knows has one and that it is clean.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Final, TypeVar

import yaml

Record = dict[str, Any]


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()
"""A field value meaning "leave this field out" (``control(owner=OMIT)``)."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line: ``{likelihood: 2, severity: 3}``."""


class FlowList(list[Any]):
    """A list written on one line: ``[A.5.4, ORG-1]``."""


class BlockList(list[Any]):
    """A list written one item per line, even of plain values."""


_T = TypeVar("_T", dict[str, Any], list[Any])


def flow(value: _T) -> _T:
    """``value`` (a mapping or a list) written on one line."""
    if isinstance(value, dict):
        return FlowMap(value)
    return FlowList(value)


def block(value: list[Any]) -> BlockList:
    """``value`` (a list) written one item per line."""
    return BlockList(value)


# The smallest valid record of each kind, in the order its fields are written.
MINIMAL: Final[dict[str, Record]] = {
    "AISystem": {
        "kind": "AISystem",
        "id": "SYS-1",
        "title": "System {id}",
        "owner": "owner@acme.example",
        "purpose": "A system under test.",
        "type": "predictive",
        "stage": "development",
        "human_oversight": {"mode": "human-in-the-loop"},
    },
    "Risk": {
        "kind": "Risk",
        "id": "R-1",
        "title": "Risk {id}",
        "owner": "risk@acme.example",
        "description": "A risk under test.",
        "systems": ["SYS-1"],
        "inherent": {"likelihood": 2, "severity": 2},
        "status": "open",
    },
    "ImpactAssessment": {
        "kind": "ImpactAssessment",
        "id": "IA-1",
        "title": "Assessment {id}",
        "system": "SYS-1",
        "status": "approved",
        "assessed": {"on": "2026-06-01", "by": "dpo@acme.example"},
        "approval": {"by": "cro@acme.example", "on": "2026-06-01"},
        "decision": "proceed",
    },
    "Control": {
        "kind": "Control",
        "id": "ORG-1",
        "title": "Control {id}",
        "applicable": True,
        "justification": "Needed.",
        "owner": "ciso@acme.example",
        "status": "partial",
    },
    "Waiver": {
        "kind": "Waiver",
        "id": "W-1",
        "title": "Waiver {id}",
        "rule": "AIMS503",
        "records": ["ORG-1"],
        "justification": "Evidence arrives next month.",
        "approved_by": "ciso@acme.example",
        "expires": "2027-01-31",
    },
    "Evaluation": {
        "kind": "Evaluation",
        "id": "EVAL-1",
        "title": "Evaluation {id}",
        "system": "SYS-1",
        "stage": "pre-deployment",
        "performed": {"on": "2026-06-01", "by": "qa@acme.example"},
        "metrics": [
            {
                "name": "accuracy",
                "dimension": "performance",
                "value": 0.9,
                "threshold": {"min": 0.8},
            }
        ],
    },
    "Monitor": {
        "kind": "Monitor",
        "id": "MON-1",
        "title": "Monitor {id}",
        "system": "SYS-1",
        "owner": "ops@acme.example",
        "metric": "accuracy",
        "dimension": "performance",
        "threshold": {"min": 0.8},
        "every_days": 7,
    },
    "Incident": {
        "kind": "Incident",
        "id": "INC-1",
        "title": "Incident {id}",
        "systems": ["SYS-1"],
        "occurred": "2026-06-01",
        "detected": "2026-06-02",
        "severity": 2,
        "description": "An incident under test.",
        "status": "open",
    },
    "Policy": {
        "kind": "Policy",
        "id": "POL-1",
        "title": "Policy {id}",
        "owner": "cro@acme.example",
        "status": "draft",
        "version": "1.0",
    },
    "Role": {
        "kind": "Role",
        "id": "ROLE-1",
        "title": "Role {id}",
        "holder": "ceo@acme.example",
        "responsibilities": ["Leads the management system."],
    },
    "Objective": {
        "kind": "Objective",
        "id": "OBJ-1",
        "title": "Objective {id}",
        "owner": "cro@acme.example",
        "measure": "Share of systems with a current assessment.",
        "target": "100%",
        "due": "2027-06-30",
        "status": "planned",
    },
    "InternalAudit": {
        "kind": "InternalAudit",
        "id": "AUD-1",
        "title": "Audit {id}",
        "status": "planned",
        "planned": "2027-03-01",
        "scope": ["4"],
        "auditor": "auditor@acme.example",
        "independent": True,
    },
    "ManagementReview": {
        "kind": "ManagementReview",
        "id": "MR-1",
        "title": "Review {id}",
        "held": "2026-10-01",
        "chair": "ceo@acme.example",
        "decisions": ["Keep the management system as it is."],
    },
    "Nonconformity": {
        "kind": "Nonconformity",
        "id": "NC-1",
        "title": "Nonconformity {id}",
        "raised": "2026-10-01",
        "source": "internal-audit",
        "owner": "cro@acme.example",
        "status": "open",
    },
}


def record(kind: str, id: str | None = None, /, **fields: Any) -> Record:
    """The minimal ``kind`` record with ``fields`` laid over it (``OMIT`` removes one)."""
    if kind not in MINIMAL:
        raise KeyError(f"no minimal {kind} record: add one to MINIMAL in tests/factory.py")
    made = copy.deepcopy(MINIMAL[kind])
    if id is not None:
        made["id"] = id
    for name, value in fields.items():
        if value is OMIT:
            made.pop(name, None)
        else:
            made[name] = copy.deepcopy(value)
    for name, value in made.items():
        if isinstance(value, str) and name not in fields and "{id}" in value:
            made[name] = value.replace("{id}", str(made["id"]))
    return made


def system(id: str | None = None, /, **fields: Any) -> Record:
    return record("AISystem", id, **fields)


def risk(id: str | None = None, /, **fields: Any) -> Record:
    return record("Risk", id, **fields)


def assessment(id: str | None = None, /, **fields: Any) -> Record:
    return record("ImpactAssessment", id, **fields)


def control(id: str | None = None, /, **fields: Any) -> Record:
    return record("Control", id, **fields)


def waiver(id: str | None = None, /, **fields: Any) -> Record:
    return record("Waiver", id, **fields)


def evaluation(id: str | None = None, /, **fields: Any) -> Record:
    return record("Evaluation", id, **fields)


def monitor(id: str | None = None, /, **fields: Any) -> Record:
    return record("Monitor", id, **fields)


def incident(id: str | None = None, /, **fields: Any) -> Record:
    return record("Incident", id, **fields)


def policy(id: str | None = None, /, **fields: Any) -> Record:
    return record("Policy", id, **fields)


# What clause 5.2 asks an approved policy to commit to (AIMS603).
POLICY_COMMITMENTS = ["requirements", "continual-improvement", "objectives-framework"]


def approved_policy(id: str, /, on: str, **fields: Any) -> Record:
    """A policy approved by ``ceo@acme.example`` on ``on``, with every commitment."""
    given: dict[str, Any] = {
        "status": "approved",
        "approval": {"by": "ceo@acme.example", "on": on},
        "commitments": POLICY_COMMITMENTS,
    }
    return policy(id, **{**given, **fields})


def role(id: str | None = None, /, **fields: Any) -> Record:
    return record("Role", id, **fields)


def objective(id: str | None = None, /, **fields: Any) -> Record:
    return record("Objective", id, **fields)


def internal_audit(id: str | None = None, /, **fields: Any) -> Record:
    return record("InternalAudit", id, **fields)


def management_review(id: str | None = None, /, **fields: Any) -> Record:
    return record("ManagementReview", id, **fields)


def nonconformity(id: str | None = None, /, **fields: Any) -> Record:
    return record("Nonconformity", id, **fields)


def levels(likelihood: int | str, severity: int | str) -> Record:
    """A Risk's ``inherent`` or ``residual``: ``risk(inherent=levels(4, "Major"))``."""
    return {"likelihood": likelihood, "severity": severity}


# --- YAML 1.2 text ------------------------------------------------------------------

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALARS = (str, int, float, bool, date, type(None))


class _Yaml12Dumper(yaml.SafeDumper):
    """PyYAML's emitter with YAML 1.2 in mind, and a person's layout.

    PyYAML resolves as YAML 1.1 does: it would quote `on`, `yes` and dates, which
    YAML 1.2 reads as text, so its bool resolver keeps only YAML 1.2's words and its
    timestamp resolver goes. A string that YAML 1.2 reads as a number, boolean or
    null but YAML 1.1 does not (`1e5`, `0o17`, `+.INF`) would be written plain, so
    each string is checked against aimsctl's own reader and quoted where it would
    come back as something else. No anchors: a person writes values out.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Sequences indented under their key ("  - item"), as people write them.
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Yaml12Dumper.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Yaml12Dumper.add_implicit_resolver(
    _BOOL,
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    from aimsctl.yamlsafe import parse

    node = dumper.represent_str(value)
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        parsed = parse(f"v: {value}\n") if "\n" not in value else None
        documents = parsed.documents if parsed is not None and not parsed.problems else []
        if not documents or documents[0].data != {"v": value}:
            node.style = "'" if "\n" not in value else '"'
    return node


def _represent_date(dumper: yaml.SafeDumper, value: date) -> yaml.ScalarNode:
    return _represent_text(dumper, value.isoformat())


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    if isinstance(value, FlowList | BlockList):
        one_line = isinstance(value, FlowList)
    else:
        one_line = all(isinstance(item, _SCALARS) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=one_line)


def _represent_flow_map(dumper: yaml.SafeDumper, value: FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Yaml12Dumper.add_representer(str, _represent_text)
_Yaml12Dumper.add_representer(date, _represent_date)
_Yaml12Dumper.add_representer(list, _represent_list)
_Yaml12Dumper.add_representer(FlowList, _represent_list)
_Yaml12Dumper.add_representer(BlockList, _represent_list)
_Yaml12Dumper.add_representer(FlowMap, _represent_flow_map)


def _dump(value: Any) -> str:
    text: str = yaml.dump(
        value,
        Dumper=_Yaml12Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


def yaml_of(records: Record | Sequence[Record]) -> str:
    """One record as YAML 1.2 text, or several as the documents of one file."""
    if isinstance(records, dict):
        return _dump(records)
    return "---\n".join(_dump(one) for one in records)
