"""Synthetic, valid governance repositories of any size, from a fixed seed.

About 9 in 10 records are risks (one file each), the rest systems and impact
assessments, plus the 38 Annex A controls and a few organization controls, so the
shape matches a large real programme. The same seed and size give the same bytes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from aimsctl.catalog import annex_a

LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
SEVERITY = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
SOURCES = [
    "complexity-of-environment",
    "lack-of-transparency",
    "level-of-automation",
    "machine-learning",
    "hardware",
    "life-cycle",
    "technology-readiness",
    "other",
]
OBJECTIVES = [
    "accountability",
    "ai-expertise",
    "data-quality",
    "environmental-impact",
    "fairness",
    "maintainability",
    "privacy",
    "robustness",
    "safety",
    "security",
    "transparency",
]

CONFIG = """\
version: 1
organization: Synthetic Corp
scope: Every AI system of a synthetic organization, generated for benchmarks.
risk:
  appetite: critical
governance:
  critical: {review_days: 3650, impact_assessment: false, min_oversight: none}
  high: {review_days: 3650, impact_assessment: false, min_oversight: none}
  medium: {review_days: 3650, impact_assessment: false, min_oversight: none}
  low: {review_days: 3650, impact_assessment: false, min_oversight: none}
"""


def _system(n: int) -> str:
    return f"""\
kind: AISystem
id: SYS-{n:05d}
title: Synthetic system {n}
owner: owner-{n % 97}@synthetic.example
purpose: Score incoming cases for queue {n} so that staff review the urgent ones first.
type: predictive
stage: production
intended_users: [case workers, supervisors]
decisions: Orders the review queue; a person makes every decision.
human_oversight:
  mode: human-in-the-loop
  description: A case worker reviews every suggestion.
stakeholders:
  - {{group: applicants, vulnerable: true, description: People whose cases are scored.}}
  - {{group: staff}}
data:
  - {{name: case history, stage: training, source: internal, personal: true, sensitive: false}}
  - {{name: new case, stage: input, source: web form, personal: true}}
jurisdictions: [EU, UK]
regulation: {{eu_ai_act: high, eu_role: provider}}
reviewed: {{on: 2026-10-01, by: governance-board}}
tags: [synthetic]
"""


def _risk(n: int, systems: int, rng: random.Random) -> str:
    li, se = rng.randint(2, 5), rng.randint(2, 5)
    rl, rs = rng.randint(1, li), rng.randint(1, se)
    controls = rng.sample(sorted(annex_a()), 2)
    return f"""\
kind: Risk
id: R-{n:06d}
title: Synthetic risk {n}
owner: risk-owner-{n % 53}@synthetic.example
description: >-
  The model may under-serve a group of applicants when the input distribution drifts
  away from the training data ({n}).
systems: [SYS-{rng.randrange(systems):05d}]
sources: [{rng.choice(SOURCES)}, {rng.choice(SOURCES)}]
objectives: [{rng.choice(OBJECTIVES)}]
data_stage: input
affects: [individuals, groups]
affects_vulnerable: {str(rng.random() < 0.2).lower()}
inherent: {{likelihood: {LIKELIHOOD[li - 1]}, severity: {se}}}
treatment:
  option: mitigate
  controls: [{controls[0]}, {controls[1]}]
  plan: Monitor drift weekly and retrain when the population shifts.
  due: 2027-03-31
  owner: ml-lead@synthetic.example
residual: {{likelihood: {rl}, severity: {SEVERITY[rs - 1]}}}
status: {rng.choice(["open", "treating", "monitoring"])}
reviewed: {{on: 2026-10-15, by: risk-committee}}
"""


def _assessment(n: int, system: int) -> str:
    return f"""\
kind: ImpactAssessment
id: IA-{n:05d}
title: Impact assessment {n}
system: SYS-{system:05d}
status: approved
assessed: {{on: 2026-09-01, by: assessor@synthetic.example}}
approval: {{by: board@synthetic.example, on: 2026-09-15}}
next_review: 2027-09-01
stakeholders:
  - group: applicants
    vulnerable: true
    concerns: [unfair ranking]
    engagement:
      - {{method: survey, on: 2026-08-01, summary: 200 applicants answered.}}
impacts:
  - dimension: fairness
    scope: group
    groups: [applicants]
    description: Ranking may disadvantage some applicants.
    likelihood: 2
    severity: 3
decision: proceed-with-conditions
"""


def _controls() -> str:
    docs = []
    for control_id in annex_a():
        docs.append(
            f"kind: Control\nid: {control_id}\napplicable: true\n"
            "justification: Needed to treat the risks of the synthetic programme.\n"
            "owner: ciso@synthetic.example\nstatus: partial\nbasis: [risk-treatment]\n"
        )
    return "---\n".join(docs)


def generate(root: Path, records: int, seed: int = 42) -> Path:
    """Write a repository of about ``records`` records below ``root``."""
    rng = random.Random(seed)
    systems = max(1, records // 20)
    assessments = systems  # one approved assessment per system
    risks = max(1, records - systems - assessments - 38)
    files: dict[str, str] = {"aims.yaml": CONFIG, "controls/annex-a.yaml": _controls()}
    for n in range(systems):
        files[f"systems/SYS-{n:05d}.yaml"] = _system(n)
    for n in range(assessments):
        files[f"assessments/IA-{n:05d}.yaml"] = _assessment(n, n % systems)
    for n in range(risks):
        files[f"risks/R-{n:06d}.yaml"] = _risk(n, systems, rng)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python benchmarks/generate.py FOLDER RECORDS (e.g. bench 10000)")
    generate(Path(sys.argv[1]), int(sys.argv[2]))
