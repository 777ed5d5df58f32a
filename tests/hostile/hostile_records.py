"""Valid records of every kind, with every field filled, and the mutations built from them.

The per-field wrong-type corpus and the fuzzer both start from these: each is a
record that validates clean (no AIMS0xx/AIMS1xx finding) against the default
scale of a minimal aims.yaml. They are built with tests/factory.py (its minimal
record of the kind, every field given) and written with its ``yaml_of``.
"""

from __future__ import annotations

import copy
import errno
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Union, get_args, get_origin

from aimsctl.records import KINDS
from aimsctl.validation_messages import model_at
from factory import (
    assessment,
    control,
    internal_audit,
    levels,
    management_review,
    nonconformity,
    objective,
    policy,
    risk,
    role,
    system,
    waiver,
)

SYSTEM = system(
    "SYS-1",
    title="Applicant ranking",
    description="Ranks applications for recruiters.",
    owner="hr@example.org",
    tags=["hiring"],
    reviewed={"on": "2026-01-10", "by": "auditor@example.org"},
    purpose="Sort applications so recruiters read the strongest first.",
    type="predictive",
    stage="production",
    intended_users=["Recruiters"],
    foreseeable_misuse=["Automatic rejection"],
    decisions="Which applications a recruiter reads first.",
    human_oversight={"mode": "human-in-the-loop", "description": "A recruiter decides."},
    stakeholders=[{"group": "Applicants", "vulnerable": True, "description": "People."}],
    data=[
        {
            "name": "Past applications",
            "stage": "training",
            "source": "ATS",
            "personal": True,
            "sensitive": False,
            "provenance": "Export of 2024.",
        }
    ],
    third_parties=[{"name": "Vendor Ltd", "supplies": "model"}],
    ai_roles=["customer"],
    jurisdictions=["EU"],
    regulation={
        "eu_ai_act": "high",
        "eu_role": "deployer",
        "nyc_aedt": False,
        "colorado_consequential": False,
    },
    documentation=["https://example.org/card"],
)

RISK = risk(
    "R-1",
    title="Biased ranking",
    description="The ranking repeats past imbalances.",
    owner="hr@example.org",
    tags=["bias"],
    reviewed={"on": "2026-01-10", "by": "auditor@example.org"},
    systems=["SYS-1"],
    sources=["machine-learning"],
    objectives=["fairness"],
    data_stage="training",
    misuse=False,
    affects=["groups"],
    affects_vulnerable=True,
    inherent=levels(4, "Major"),
    treatment={
        "option": "mitigate",
        "controls": ["ORG-1"],
        "plan": "Audit yearly.",
        "due": "2026-06-30",
        "owner": "hr@example.org",
    },
    residual=levels("Unlikely", 4),
    acceptance={
        "by": "cro@example.org",
        "on": "2026-02-01",
        "rationale": "Benefits outweigh.",
        "expires": "2027-02-01",
    },
    status="open",
)

ASSESSMENT = assessment(
    "IA-1",
    title="Ranking impact assessment",
    description="Yearly.",
    owner="rai@example.org",
    tags=["yearly"],
    reviewed={"on": "2026-01-10", "by": "auditor@example.org"},
    system="SYS-1",
    status="approved",
    assessed={"on": "2026-01-05", "by": "rai@example.org"},
    approval={"by": "cpo@example.org", "on": "2026-01-09"},
    next_review="2027-01-09",
    stakeholders=[
        {
            "group": "Applicants",
            "vulnerable": True,
            "concerns": ["Being ranked low"],
            "engagement": [{"method": "survey", "on": "2025-12-01", "summary": "200 answers."}],
        }
    ],
    impacts=[
        {
            "dimension": "fairness",
            "scope": "group",
            "groups": ["Applicants"],
            "description": "Lower ranks for some groups.",
            "likelihood": 2,
            "severity": "Major",
            "mitigations": ["R-1"],
        }
    ],
    decision="proceed-with-conditions",
    conclusion="Proceed with a yearly audit.",
)

CONTROL = control(
    "ORG-1",
    title="Yearly bias audit",
    description="Independent audit.",
    owner="hr@example.org",
    tags=["audit"],
    reviewed={"on": "2026-01-10", "by": "auditor@example.org"},
    applicable=True,
    justification="Required by law.",
    basis=["legal"],
    status="implemented",
    implementation="An external auditor, every January.",
    evidence=[
        {"url": "https://example.org/audit", "description": "Audit 2026", "date": "2026-01-20"}
    ],
    systems=["SYS-1"],
)

WAIVER = waiver(
    "W-1",
    title="Evidence kept elsewhere",
    description="The audit report is confidential.",
    owner="cro@example.org",
    tags=["evidence"],
    reviewed={"on": "2026-01-10", "by": "auditor@example.org"},
    rule="AIMS503",
    records=["ORG-1"],
    justification="The report names applicants.",
    approved_by="cro@example.org",
    expires="2027-06-30",
)

# The management system: every field of each of its kinds.
_COMMON: dict[str, Any] = {
    "description": "Kept in the repository.",
    "owner": "cro@example.org",
    "tags": ["aims"],
    "reviewed": {"on": "2026-01-10", "by": "auditor@example.org"},
}
_ACTION = {
    "description": "Fix the cause.",
    "owner": "cro@example.org",
    "due": "2026-12-31",
    "done": "2026-11-02",
}

POLICY = policy(
    "POL-1",
    title="AI policy",
    **_COMMON,
    status="approved",
    version="2.1",
    approval={"by": "ceo@example.org", "on": "2026-01-05"},
    document="https://example.org/ai-policy",
    commitments=["requirements", "continual-improvement", "objectives-framework"],
    next_review="2027-01-05",
)

ROLE = role(
    "ROLE-1",
    title="Chief executive",
    **_COMMON,
    holder="ceo@example.org",
    top_management=True,
    responsibilities=["Sets the AI policy."],
    authorities=["Accepts risks above the appetite."],
    reports_to="ROLE-0",
    accountable_for=["Policy", "SYS-1"],
)

OBJECTIVE = objective(
    "OBJ-1",
    title="Every system assessed",
    **_COMMON,
    measure="Share of systems with a current assessment.",
    target="100%",
    due="2027-06-30",
    status="on-track",
    progress=[{"on": "2026-09-30", "value": "80%", "note": "Two left."}],
    systems=["SYS-1"],
)

INTERNAL_AUDIT = internal_audit(
    "AUD-1",
    title="Internal audit 2026",
    **_COMMON,
    status="completed",
    planned="2026-06-01",
    scope=["4", "A.6", "SYS-1"],
    auditor="audit@example.org",
    independent=True,
    performed={"from": "2026-06-01", "to": "2026-06-05"},
    findings=[
        {
            "id": "F-1",
            "type": "minor-nonconformity",
            "reference": "9.2",
            "description": "Not met.",
            "nonconformity": "NC-1",
        }
    ],
    report="https://example.org/audit-2026",
)

MANAGEMENT_REVIEW = management_review(
    "MR-1",
    title="Management review 2026",
    **_COMMON,
    held="2026-10-01",
    chair="ceo@example.org",
    attendees=["ceo@example.org"],
    inputs=["previous-actions", "audit-results"],
    decisions=["Keep the scope."],
    actions=[_ACTION],
    minutes="https://example.org/minutes",
)

NONCONFORMITY = nonconformity(
    "NC-1",
    title="Late reviews",
    **_COMMON,
    raised="2026-06-05",
    source="internal-audit",
    reference="8.2",
    correction="Reviews held.",
    root_cause="Reminders kept by one person.",
    actions=[_ACTION],
    effectiveness={
        "on": "2026-11-20",
        "by": "audit@example.org",
        "effective": True,
        "note": "On time.",
    },
    status="closed",
)

VALID: dict[str, dict[str, Any]] = {
    record["kind"]: record
    for record in (
        SYSTEM,
        RISK,
        ASSESSMENT,
        CONTROL,
        WAIVER,
        POLICY,
        ROLE,
        OBJECTIVE,
        INTERNAL_AUDIT,
        MANAGEMENT_REVIEW,
        NONCONFORMITY,
    )
}

# What a diagnostic message must never contain: raw library or Python output.
FORBIDDEN = (
    "Input should be",
    "Unable to parse",  # pydantic-core's words for a number it cannot read
    # pydantic-core's other messages begin so ("String should match pattern ...")
    "String should",
    "Value should",
    "List should",
    "Dictionary should",
    "Field required",
    "Extra inputs",
    "type=",
    "constrained-",  # pydantic's name for a constrained member of a union
    "pydantic",
    "Traceback",
    "ScannerError",
    "<class",
    "For further information visit",
)
# `yaml.` as a module prefix (yaml.scanner, yaml.YAMLError), not a file name's suffix.
_YAML_MODULE = re.compile(r"(?<![\w.])yaml\.\w")


# A value from the input, quoted in a message as Python quotes it ('x', "it's").
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def plain_words_problem(text: str) -> str | None:
    """What in ``text`` reads as a raw library message (None when it is plain words).

    Quoted values are the input's own words (a field named `yaml.0` is quoted back
    as written), so they are left out of the check.
    """
    text = _QUOTED.sub("''", text)
    for marker in FORBIDDEN:
        if marker in text:
            return marker
    found = _YAML_MODULE.search(text)
    return found.group() if found else None


@dataclass(frozen=True)
class Mutation:
    """One field of one valid record replaced by a value of the wrong type."""

    kind: str
    pointer: tuple[str | int, ...]
    label: str  # what the wrong value is: bool, float, string, list, null, mapping
    record: dict[str, Any]

    @property
    def name(self) -> str:
        path = "/".join(str(p) for p in self.pointer)
        return f"{self.kind}:{path}:{self.label}"

    @property
    def accepted(self) -> bool:
        """Whether the record contract accepts this value after all (null = absent)."""
        if self.kind == "Objective" and self.pointer[-1] in ("target", "value"):
            # Text or a number: "95%", 0.95 and 2.5 are all targets and measurements.
            return self.label == "float"
        if self.label != "null" or isinstance(self.pointer[-1], int):
            return False
        if self.kind == "Control" and self.pointer in (("title",), ("evidence", 0, "url")):
            # Optional in the schema, but an organization control needs a title, and
            # an evidence entry needs its path or its url.
            return False
        parent = model_at(KINDS[self.kind], self.pointer[:-1])
        assert parent is not None, self.name
        # A field is named as the record writes it: `from`, not the model's `from_`.
        fields = {info.alias or name: info for name, info in parent.model_fields.items()}
        return _allows_none(fields[str(self.pointer[-1])].annotation)


def _allows_none(annotation: Any) -> bool:
    """Whether a field's type takes null (``X | None``)."""
    if annotation is type(None):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_allows_none(arg) for arg in get_args(annotation))
    return False


# The wrong values, by the label a test id shows.
WRONG_VALUES: dict[str, Any] = {
    "bool": True,
    "float": 2.5,
    "string": "some text",
    "list": ["a", "b"],
    "null": None,
    "mapping": {"nested": "value"},
}


def _fits(original: Any, label: str) -> bool:
    """Whether a value of this kind has the right type where ``original`` stands."""
    if label == "string":
        # Text is the right type for text, dates, enum values and level labels.
        return isinstance(original, str)
    if label == "bool":
        return isinstance(original, bool)
    if label == "list":
        return isinstance(original, list)
    if label == "mapping":
        return isinstance(original, dict)
    return False


Pointer = tuple[str | int, ...]


def _fields(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, Any]]:
    """Every field below a record, at every depth (a list's first item stands for all)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*pointer, key), item
            yield from _fields(item, (*pointer, key))
    elif isinstance(value, list) and value:
        yield (*pointer, 0), value[0]
        yield from _fields(value[0], (*pointer, 0))


def replaced(record: dict[str, Any], pointer: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``record`` with the value at ``pointer`` replaced."""
    copied = copy.deepcopy(record)
    target: Any = copied
    for part in pointer[:-1]:
        target = target[part]
    target[pointer[-1]] = copy.deepcopy(value)
    return copied


def wrong_type_mutations() -> list[Mutation]:
    """Every field of every kind (kind itself aside), given each value of the wrong type."""
    mutations: list[Mutation] = []
    for kind, record in VALID.items():
        for pointer, original in _fields(record, ()):
            if pointer == ("kind",):
                continue
            for label, wrong in WRONG_VALUES.items():
                if not _fits(original, label):
                    mutations.append(
                        Mutation(kind, pointer, label, replaced(record, pointer, wrong))
                    )
    return mutations


# --- hostile YAML shapes ------------------------------------------------------------

# The red team's input (tests/test_yamlsafe.py has its twin): documents of nested
# aliases, each expanding to just under MAX_NODES values. The anchors of a document
# all stand on its second line, so every value reached through an alias is there.
# b holds 10 values, c 1 + 9 * 10, d 1 + 9 * 91, e 1 + 9 * 820; z repeats e 25 times.
ALIASED_PER_DOCUMENT = 9 * 10 + 9 * 91 + 9 * 820 + 25 * 7381


def alias_documents(count: int) -> str:
    """``count`` documents of nested aliases, about 210 bytes each."""
    chain = "b: &b [x, x, x, x, x, x, x, x, x]"
    for previous, name in zip("bcd", "cde", strict=True):
        chain += f", {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]"
    return (f"---\na: {{{chain}}}\nz: [" + ", ".join(["*e"] * 25) + "]\n") * count


class HalfWriter:
    """A file whose write stores half the bytes, then finds the disk full."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
