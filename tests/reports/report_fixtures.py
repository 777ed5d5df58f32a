"""A small, fixed governance repository for the report tests (not the bundled example,
which changes), and helpers to read what the reports contain.

The records are built with tests/factory.py; ``repository_files()`` gives the files
as text (tests edit that text), ``write_repository()`` writes them.
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

from aimsctl.catalog import annex_a
from factory import OMIT, Record, assessment, block, control, flow, levels, risk, system, yaml_of

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
            "by": "chief-people-officer@golden.example",
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
    approval=flow({"by": "chief-people-officer@golden.example", "on": "2026-09-03"}),
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


def _excluded(control_id: str) -> Record:
    return control(
        control_id,
        title=OMIT,
        applicable=False,
        justification="Outside the scope of the report tests.",
        owner=OMIT,
        status=OMIT,
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
    }


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
