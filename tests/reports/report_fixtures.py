"""A small, fixed governance repository for the report tests (not the bundled example,
which changes), and helpers to read what the reports contain.

The records are built with tests/factory.py; ``repository_files()`` gives the files
as text (tests edit that text), ``write_repository()`` writes them.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from aimsctl.catalog import annex_a
from factory import (
    OMIT,
    Record,
    assessment,
    block,
    control,
    evaluation,
    flow,
    incident,
    internal_audit,
    levels,
    management_review,
    monitor,
    nonconformity,
    objective,
    policy,
    risk,
    role,
    system,
    yaml_of,
)

AS_OF = "2026-11-26"

CONFIG = """\
version: 1
organization: Golden Test Org
scope: >-
  The two AI systems of the report tests, from proposal to retirement.
risk:
  vulnerable_uplift: 1
documents:
  soa:
    id: GT-AIMS-004
    version: "2.1"
    owner: compliance-lead@golden.example
    approval: {by: chief-executive@golden.example, on: 2026-10-15}
    next_review: 2027-10-15
  risks: {id: GT-AIMS-006, version: "1.3"}
"""

HIRE = system(
    "SYS-HIRE",
    title="Applicant ranking",
    owner="talent-lead@golden.example",
    purpose="Rank applications so recruiters read the best matches first.",
    stage="production",
    intended_users=["Recruiters"],
    foreseeable_misuse=block(["Rejecting applicants on the rank alone"]),
    decisions="Orders the review queue; a recruiter decides every application.",
    human_oversight={
        "mode": "human-in-the-loop",
        "description": "A recruiter reads every application before it is rejected.",
    },
    stakeholders=[
        {"group": "Applicants", "description": "People applying for a job."},
        {"group": "Applicants with disabilities", "vulnerable": True},
    ],
    data=[
        {
            "name": "Hiring outcomes 2019-2023",
            "stage": "training",
            "source": "Applicant tracking system",
            "personal": True,
            "provenance": "Exported once in 2024.",
        },
        {"name": "Incoming applications", "stage": "input", "personal": True, "sensitive": True},
    ],
    third_parties=[{"name": "TalentVendor Ltd", "supplies": "model"}],
    ai_roles=["customer"],
    jurisdictions=["EU", "US-NYC"],
    regulation={"eu_ai_act": "high", "eu_role": "deployer", "nyc_aedt": True},
    documentation=block(["docs/hire.md", "https://jobs.golden.example/ai-notice"]),
    version="2.4.1",
    instructions="Open the review queue; read each application in full before deciding. "
    "If a rank looks wrong, flag it with 'Report a ranking problem' and decide without it.",
    contact="talent-ai@golden.example",
    reviewed=flow({"on": "2026-10-01", "by": "talent-lead@golden.example"}),
)

CHAT = system(
    "SYS-CHAT",
    title="Staff help chat",
    owner="it-lead@golden.example",
    purpose="Answer staff questions about IT policies.",
    type="generative",
    human_oversight=flow({"mode": "periodic-review"}),
)

RISKS = [
    risk(
        "R-1",
        title="Ranking repeats past hiring imbalances",
        owner="talent-lead@golden.example",
        description="The model learned from past outcomes that may favour some groups.",
        systems=["SYS-HIRE"],
        sources=["machine-learning"],
        objectives=["fairness"],
        affects=["groups"],
        inherent=flow(levels("Likely", "Major")),
        treatment={
            "option": "mitigate",
            "controls": ["ORG-1", "A.5.4"],
            "plan": "Yearly independent bias audit; escalate impact ratios under 0.8.",
            "due": "2026-06-30",
            "owner": "talent-lead@golden.example",
            "completed": "2026-06-12",
        },
        residual=flow(levels("Unlikely", "Major")),
        status="monitoring",
        reviewed=flow({"on": "2026-10-01", "by": "talent-lead@golden.example"}),
    ),
    risk(
        "R-2",
        title="Résumés from screen readers parse badly",
        owner="talent-lead@golden.example",
        description="Applicants using assistive software sink in the queue.",
        systems=["SYS-HIRE"],
        affects=["individuals"],
        affects_vulnerable=True,
        inherent=flow(levels(4, 4)),
        treatment={
            "option": "mitigate",
            "controls": ["A.5.4"],
            "plan": "Recruiters read every low-confidence parse.",
        },
        residual=flow(levels(3, 4)),
        acceptance={
            "by": "talent-lead@golden.example",  # accountable for SYS-HIRE
            "on": "2026-09-01",
            "rationale": "The manual reading route removes most of the harm.",
            "expires": "2027-09-01",
        },
        status="treating",
        reviewed=flow({"on": "2026-10-01", "by": "talent-lead@golden.example"}),
    ),
    risk(
        "R-3",
        title="Old vendor model still reachable",
        owner="it-lead@golden.example",
        description="The retired model version answered requests for a week.",
        systems=["SYS-HIRE"],
        inherent=flow(levels("Rare", "Minor")),
        status="closed",
    ),
]

ASSESSMENT = assessment(
    "IA-HIRE",
    title="Applicant ranking impact assessment",
    owner="talent-lead@golden.example",
    system="SYS-HIRE",
    status="approved",
    assessed=flow({"on": "2026-08-20", "by": "responsible-ai@golden.example"}),
    approval=flow({"by": "chief-executive@golden.example", "on": "2026-09-03"}),
    next_review="2027-08-31",
    stakeholders=[
        {
            "group": "Applicants",
            "concerns": ["Rejection without a person reading the application"],
            "engagement": [
                flow(
                    {"method": "survey", "on": "2026-07-14", "summary": "300 applicants answered."}
                )
            ],
        },
        {
            "group": "Applicants with disabilities",
            "vulnerable": True,
            "concerns": ["Résumés misread"],
            "engagement": [flow({"method": "panel", "on": "2026-07-22"})],
        },
    ],
    impacts=[
        {
            "dimension": "fairness",
            "scope": "group",
            "groups": ["Applicants"],
            "description": "Ranks could favour profiles like past hires.",
            "likelihood": "Unlikely",
            "severity": "Major",
            "mitigations": ["R-1", "ORG-1"],
        },
        {
            "dimension": "accessibility",
            "scope": "individual",
            "groups": ["Applicants with disabilities"],
            "description": "Badly parsed résumés may never be read.",
            "likelihood": "Possible",
            "severity": "Moderate",
            "mitigations": ["R-2"],
        },
    ],
    decision="proceed-with-conditions",
    conclusion="Continue while the manual reading route stays in place.",
)

APPLICABLE = {
    "A.5.4": control(
        "A.5.4",
        title=OMIT,
        owner="responsible-ai@golden.example",
        justification="Hiring decisions affect individuals and protected groups.",
        basis=["legal", "risk-treatment"],
        status="implemented",
        implementation="Every system that ranks people gets a bias review before release.",
        reviewed=flow({"on": "2026-09-30", "by": "responsible-ai@golden.example"}),
        evidence=[
            {
                "path": "evidence/bias-review.md",
                "description": "2026 bias review",
                "date": "2026-04-15",
            },
            {"url": "https://audits.golden.example/2026", "description": "Public audit summary"},
        ],
    ),
    "A.6.2.7": control(
        "A.6.2.7",
        title=OMIT,
        owner="it-lead@golden.example",
        justification="Auditors and users need technical documentation.",
        basis=["best-practice"],
        status="partial",
        implementation="System cards exist for production systems only.",
        evidence=[{"path": "docs/hire.md"}],
        systems=["SYS-HIRE"],
    ),
}

ORGANIZATION = control(
    "ORG-1",
    title="Independent bias audit",
    owner="general-counsel@golden.example",
    justification="NYC Local Law 144 requires a yearly independent bias audit.",
    basis=["legal"],
    status="planned",
    systems=["SYS-HIRE"],
)


EVALUATIONS = [
    evaluation(
        "EVAL-HIRE-1",
        title="Ranking release check",
        owner="talent-lead@golden.example",
        system="SYS-HIRE",
        stage="pre-deployment",
        performed=flow({"on": "2026-03-10", "by": "responsible-ai@golden.example"}),
        model_version="2.4.0",
        data="Hiring outcomes 2023, held out",
        metrics=[
            {
                "name": "Top-band precision",
                "dimension": "performance",
                "value": 0.81,
                "threshold": flow({"min": 0.75}),
            },
            {
                "name": "Scoring-rate impact ratio",
                "dimension": "fairness",
                "value": 0.9,
                "threshold": flow({"min": 0.8}),
                "group": "Applicants with disabilities",
            },
            {"name": "Applications scored", "dimension": "performance", "value": 4200},
        ],
        approval=flow({"by": "chief-executive@golden.example", "on": "2026-03-12"}),
    ),
    evaluation(
        "EVAL-HIRE-2",
        title="Ranking half-year review",
        owner="talent-lead@golden.example",
        system="SYS-HIRE",
        stage="periodic",
        performed=flow({"on": "2026-09-20", "by": "responsible-ai@golden.example"}),
        model_version="2.4.1",
        metrics=[
            {
                "name": "Top-band precision",
                "dimension": "performance",
                "value": 0.83,
                "threshold": flow({"min": 0.75}),
            },
            {
                "name": "Scoring-rate impact ratio",
                "dimension": "fairness",
                "value": 0.76,
                "threshold": flow({"min": 0.8}),
                "group": "Applicants with disabilities",
                "note": "Résumés from screen readers still parse badly.",
                "tracked_by": ["R-1"],
            },
        ],
        results="evidence/hire-review.csv",
    ),
]

MONITORS = [
    monitor(
        "MON-HIRE-RATIO",
        title="Weekly impact ratio",
        owner="talent-lead@golden.example",
        system="SYS-HIRE",
        metric="Lowest scoring-rate impact ratio",
        dimension="fairness",
        threshold=flow({"min": 0.8}),
        every_days=7,
        source="Applicant tracking system export",
        observations_file="evidence/monitoring/hire-ratio.csv",
        on_breach="incident",
    ),
    monitor(
        "MON-HIRE-QUEUE",
        title="Queue re-sorted by date",
        owner="talent-lead@golden.example",
        system="SYS-HIRE",
        metric="Share of queues re-sorted by date",
        dimension="explainability",
        threshold=flow({"min": 0.01, "max": 0.3}),
        every_days=30,
        observations=[
            flow({"on": "2026-09-30", "value": 0.12}),
            flow({"on": "2026-10-31", "value": 0.34, "note": "Told the recruiting leads."}),
            flow({"on": "2026-11-25", "value": 0.2}),
        ],
        on_breach="notify",
    ),
]

HIRE_RATIO_CSV = """\
on,value,note
2026-10-22,0.86,
2026-10-29,0.84,
2026-11-05,0.78,export after the parser update
2026-11-12,0.79,
2026-11-19,0.83,parser fix deployed
2026-11-26,0.85,
"""

INCIDENT = incident(
    "INC-1",
    title="Parser update sank screen-reader résumés",
    owner="talent-lead@golden.example",
    systems=["SYS-HIRE"],
    occurred="2026-11-02",
    detected="2026-11-05",
    severity="Moderate",
    description="A résumé parser update misread files from screen readers for a week.",
    affected=["Applicants with disabilities who applied that week"],
    reports=[
        flow({"to": "Affected applicants", "on": "2026-11-09", "reference": "Letter 11/26"}),
    ],
    risks=["R-2"],
    status="resolved",
)


# The management system (the management report): a policy in force and the one it
# replaced, four roles (the IT lead has none, so the owners of SYS-CHAT and R-3 resolve
# to no role), an objective on track and one overdue, two completed audits and one
# planned, a review missing two inputs, and a nonconformity closed and one open.
POLICIES = [
    policy(
        "POL-AI",
        title="AI policy",
        owner="compliance-lead@golden.example",
        status="approved",
        version="2.0",
        approval=flow({"by": "chief-executive", "on": "2026-03-02"}),
        document="evidence/policy.md",
        commitments=["requirements", "continual-improvement", "objectives-framework"],
        next_review="2027-03-02",
    ),
    policy(
        "POL-AI-1",
        title="AI policy, first edition",
        owner="compliance-lead@golden.example",
        status="retired",
        version="1.3",
        approval=flow({"by": "chief-executive", "on": "2025-01-15"}),
        commitments=["requirements"],
    ),
]

ROLES = [
    role(
        "chief-executive",
        title="Chief executive",
        holder="chief-executive@golden.example",
        top_management=True,
        responsibilities=["Sets the AI policy", "Chairs the management review"],
        authorities=["Approves the AI policy"],
        accountable_for=["Policy", "ManagementReview"],
    ),
    role(
        "compliance-lead",
        title="Compliance lead",
        holder="compliance-lead@golden.example",
        responsibilities=["Runs the management system day to day"],
        reports_to="chief-executive",
        accountable_for=["Nonconformity", "POL-AI"],
    ),
    role(
        "talent-lead",
        title="Talent lead",
        holder="talent-lead@golden.example",
        responsibilities=["Owns the applicant ranking"],
        reports_to="compliance-lead",
        accountable_for=["SYS-HIRE"],
    ),
    role(
        "internal-auditor",
        title="Internal auditor",
        holder="audit@golden.example",
        responsibilities=["Audits the management system"],
        reports_to="chief-executive",
    ),
]

OBJECTIVES = [
    objective(
        "OBJ-FAIR",
        title="Fair ranking",
        owner="talent-lead@golden.example",
        measure="Lowest impact ratio of the yearly bias audit",
        target=0.8,
        due="2027-06-30",
        status="on-track",
        systems=["SYS-HIRE"],
        progress=[
            flow({"on": "2026-04-15", "value": 0.78, "note": "Below target: age bands."}),
            flow({"on": "2026-10-15", "value": 0.83}),
        ],
    ),
    objective(
        "OBJ-TRAIN",
        title="Recruiters trained",
        owner="compliance-lead@golden.example",
        measure="Share of recruiters trained before access",
        target="100%",
        due="2026-09-30",
        status="at-risk",
        progress=[flow({"on": "2026-09-01", "value": "85%"})],
    ),
]

AUDITS = [
    internal_audit(
        "AUD-2025",
        title="Internal audit 2025",
        status="completed",
        planned="2025-10-06",
        scope=["4", "5", "6", "9.1", "A.5", "SYS-HIRE"],
        auditor="audit@golden.example",
        independent=True,
        performed=flow({"from": "2025-10-06", "to": "2025-10-10"}),
        findings=[
            {
                "id": "F-1",
                "type": "minor-nonconformity",
                "reference": "6.1.2",
                "description": "Risk reviews were late.",
                "nonconformity": "NC-1",
            },
            {"id": "F-2", "type": "observation", "description": "No dashboard."},
        ],
    ),
    internal_audit(
        "AUD-2026",
        title="Internal audit 2026",
        status="completed",
        planned="2026-06-01",
        scope=["7", "8", "A.6.2", "A.7"],
        auditor="Outside Auditors LLP",
        independent=True,
        performed=flow({"from": "2026-06-01", "to": "2026-06-05"}),
        report="evidence/audit-2026.md",  # no findings: the report shows its results
    ),
    internal_audit(
        "AUD-2026-B",
        title="Internal audit of review and improvement",
        status="planned",
        planned="2026-12-07",
        scope=["9.2", "9.3", "10"],
        auditor="audit@golden.example",
        independent=True,
    ),
]

REVIEW = management_review(
    "MR-2026",
    title="Management review 2026",
    held="2026-10-20",
    chair="chief-executive",
    attendees=["chief-executive", "compliance-lead"],
    inputs=[
        "previous-actions",
        "nonconformities",
        "monitoring-results",
        "audit-results",
        "opportunities",
    ],
    decisions=["Keep the scope.", "Fund a bias audit."],
    actions=[
        {
            "description": "Commission the bias audit.",
            "owner": "talent-lead@golden.example",
            "due": "2026-11-15",
            "done": "2026-11-10",
        },
        {
            "description": "Train the last recruiters.",
            "owner": "compliance-lead@golden.example",
            "due": "2027-01-31",
        },
    ],
    minutes="evidence/review-minutes.md",
)

NONCONFORMITIES = [
    nonconformity(
        "NC-1",
        title="Risk reviews late",
        raised="2025-10-10",
        source="internal-audit",
        reference="6.1.2",
        owner="compliance-lead@golden.example",
        correction="Held the three reviews.",
        root_cause="Review dates lived in one spreadsheet.",
        actions=[
            {
                "description": "Validate on every change.",
                "owner": "compliance-lead@golden.example",
                "due": "2025-12-31",
                "done": "2025-12-01",
            }
        ],
        effectiveness=flow({"on": "2026-06-05", "by": "audit@golden.example", "effective": True}),
        status="closed",
    ),
    nonconformity(
        "NC-2",
        title="Review inputs incomplete",
        raised="2026-10-20",
        source="management-review",
        reference="9.3",
        owner="chief-executive",
        status="open",
    ),
]


def _excluded(control_id: str) -> Record:
    # Reviewed: with no git history a control never reviewed is owed a review now,
    # which the readiness report would show for every exclusion.
    return control(
        control_id,
        title=OMIT,
        applicable=False,
        justification="Outside the scope of the report tests.",
        owner=OMIT,
        status=OMIT,
        reviewed=flow({"on": "2026-10-01", "by": "responsible-ai@golden.example"}),
    )


def controls_yaml(omit: tuple[str, ...] = ()) -> str:
    """Every Annex A control in catalogue order (two applicable), minus ``omit``."""
    return yaml_of(
        [
            APPLICABLE.get(control_id) or _excluded(control_id)
            for control_id in annex_a()
            if control_id not in omit
        ]
    )


def repository_files(omit: tuple[str, ...] = ()) -> dict[str, str | bytes]:
    return {
        "aims.yaml": CONFIG,
        "systems/hire.yaml": yaml_of(HIRE),
        "systems/chat.yaml": yaml_of(CHAT),
        "risks/risks.yaml": yaml_of(RISKS),
        "assessments/ia-hire.yaml": yaml_of(ASSESSMENT),
        "controls/annex-a.yaml": controls_yaml(omit),
        "controls/organization.yaml": yaml_of(ORGANIZATION),
        "evidence/bias-review.md": "# Bias review 2026\n",
        "docs/hire.md": "# Applicant ranking: system card\n",
        "evaluations/hire.yaml": yaml_of(EVALUATIONS),
        "monitors/hire.yaml": yaml_of(MONITORS),
        "incidents/inc-1.yaml": yaml_of(INCIDENT),
        "policies/policies.yaml": yaml_of(POLICIES),
        "roles/roles.yaml": yaml_of(ROLES),
        "objectives/objectives.yaml": yaml_of(OBJECTIVES),
        "audits/audits.yaml": yaml_of(AUDITS),
        "reviews/mr-2026.yaml": yaml_of(REVIEW),
        "nonconformities/nonconformities.yaml": yaml_of(NONCONFORMITIES),
        "evidence/policy.md": "# AI policy 2.0\n",
        "evidence/review-minutes.md": "# Management review 2026\n",
        "evidence/audit-2026.md": "# Internal audit 2026: no findings\n",
        "evidence/hire-review.csv": "metric,value\nprecision,0.83\n",
        "evidence/monitoring/hire-ratio.csv": HIRE_RATIO_CSV,
    }


def files_with_templates(templates: dict[str, str]) -> dict[str, str | bytes]:
    """The fixture repository with a templates folder of its own (``report-templates``,
    named in aims.yaml) holding ``templates`` by name below it."""
    files = repository_files()
    files["aims.yaml"] = f"{files['aims.yaml']!s}templates: report-templates\n"
    files.update({f"report-templates/{name}": text for name, text in templates.items()})
    return files


def write_repository(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    for rel, content in (files if files is not None else repository_files()).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a local identity; its stdout."""
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Report Test",
            "-c",
            "user.email=reports@golden.example",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


class Page(HTMLParser):
    """What the structural tests look at in an HTML report."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text_parts: list[str] = []
        self._in_style = False
        self.styles: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def hrefs(self) -> list[str]:
        return [str(a["href"]) for _, a in self.tags if a.get("href") is not None]

    def annex_rows(self) -> list[str]:
        return [
            str(a["data-control"])
            for a in self.find("tr")
            if str(a.get("data-control") or "").startswith("A.")
        ]


# Every title made hostile: HTML, Markdown, template and YAML metacharacters, an
# unclosed comment, a formula's dollars, and bidirectional controls (AIMS009 warns
# of them; the reports must still show them as text).
HOSTILE_TITLE = (
    "<script>alert(1)</script> **b** [x](javascript:alert(1)) a|b `c` {{ 7*7 }} "
    "&amp; # - : \u202eevil\u202c \u2067x\u2069 $x$ <!-- "
)
# The longest id a record may have (validation_messages.py, ID_PATTERN: 80 characters).
LONG_SYSTEM_ID = "SYS-HIRE-" + "L" * 71


def make_hostile(root: Path) -> Path:
    """The repository at ``root`` (the bundled example's copy) with every plain
    one-line ``title:`` prefixed by HOSTILE_TITLE and SYS-HIRE renamed to the longest
    id, wherever it is referenced."""
    assert len(LONG_SYSTEM_ID) == 80
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bSYS-HIRE(?![\w-])", LONG_SYSTEM_ID, text)
        text = re.sub(
            r"^( *)title: ([^\n>|'\"]+)$",
            lambda m: f"{m.group(1)}title: {json.dumps(HOSTILE_TITLE + m.group(2))}",
            text,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")
    return root
