"""`aimsctl init`: a new governance repository that validates clean, or the example.

The starter repository has aims.yaml with every setting written out and
explained, the folder layout of the record contract, a Statement of
Applicability listing all Annex A controls ready to decide, one consistent
example system, risk and impact assessment, and the files that run aimsctl in
pre-commit and GitHub Actions.

Nothing is ever overwritten: :func:`create` checks every target first and writes
nothing when one exists. Nothing here prints.
"""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Iterator, Mapping
from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from aimsctl import __version__
from aimsctl.catalog import annex_a_areas
from aimsctl.errors import ScaffoldError

EXAMPLE_PACKAGE_DIR = "_example"  # inside the wheel: aimsctl/_example
DEFAULT_ORGANIZATION = "Example Organization"
CONTROL_OWNER = "ai-governance-lead"

# Files and folders of a source checkout that are never part of the example.
_SKIPPED = frozenset({"__pycache__", ".DS_Store"})


# --- the bundled example ------------------------------------------------------------


def example_root() -> Traversable:
    """The bundled example repository (Northwind Group).

    Installed from a wheel it is package data, ``aimsctl/_example``; in a source
    checkout (an editable install) it is the project's ``examples/northwind``.
    """
    packaged = resources.files("aimsctl").joinpath(EXAMPLE_PACKAGE_DIR)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "examples" / "northwind"
    if checkout.is_dir():
        return checkout
    raise ScaffoldError(
        "the bundled example is missing from this installation of aimsctl; reinstall it"
    )


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name in _SKIPPED:
            continue
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            yield from _walk(item, rel + "/")
        else:
            yield rel, item


def example_files() -> dict[str, bytes]:
    """Every file of the bundled example, by path relative to its root."""
    return {rel: item.read_bytes() for rel, item in _walk(example_root())}


# --- the starter repository ---------------------------------------------------------


_AIMS_YAML = """\
# aims.yaml: the configuration and scope of the AI management system
# (ISO/IEC 42001 clause 4.3). aimsctl reads it first; every other YAML file below
# this folder is a governance record, unless it is hidden or excluded below.
# Every setting after `organization` is written out with its default value:
# change what does not fit your organization, and keep the file in git.

# The version of the record contract these files follow. Leave it at 1.
version: 1

# The organization that runs the AI management system.
organization: @ORGANIZATION@

# What the management system covers: which AI systems, business units, sites and
# life-cycle stages are in, and what is left out and why (clause 4.3).
scope: >-
  Replace this text: the AI systems that the organization develops, provides or
  uses, in which units and locations, from proposal to retirement, and what is
  deliberately left out of the management system.

# Files that are not records: globs relative to this folder (`*` stays within a
# folder, `**` crosses folders), e.g. ["drafts/**"].
exclude: []

risk:
  # The likelihood scale, lowest first. A level is written as its number (1 to N)
  # or its label, in any letter case.
  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]
  # The severity scale, lowest first, written the same way.
  severity: [Negligible, Minor, Moderate, Major, Severe]
  # multiply: a risk's score is likelihood x severity and `bands` turn it into a
  # band. matrix: the band is read from `matrix` instead (the score still orders
  # risks).
  method: multiply
  # For method: matrix only: one row per likelihood level (lowest first), one
  # band name per severity level in each row.
  matrix: null
  # The bands, lowest first: a score falls in the first band whose `max` it does
  # not exceed. The last band must reach the highest possible score.
  bands:
    - {name: low, max: 4}
    - {name: medium, max: 9}
    - {name: high, max: 16}
    - {name: critical, max: 25}
  # The highest band the organization accepts without a formal, signed-off
  # acceptance on the risk. A risk above it needs treatment or an acceptance.
  appetite: medium
  # Severity levels added to a risk marked `affects_vulnerable: true` (capped at
  # the top of the scale). 0 scores such risks like any other.
  vulnerable_uplift: 0

# Proportional governance. A system's tier is the highest band among its open
# risks; for each tier: how many days may pass between reviews of its records,
# whether it needs an approved impact assessment, and the least human oversight
# it may run with (none < periodic-review < human-on-the-loop < human-in-the-loop).
governance:
  critical: {review_days: 90, impact_assessment: true, min_oversight: human-in-the-loop}
  high: {review_days: 180, impact_assessment: true, min_oversight: human-on-the-loop}
  medium: {review_days: 365, impact_assessment: false, min_oversight: periodic-review}
  low: {review_days: 730, impact_assessment: false, min_oversight: none}

# Change how a rule reports in this repository: CODE: error | warning | off.
# `aimsctl rules` lists the codes; `aimsctl rules explain CODE` explains one.
rules: {}

# A folder below this one whose report templates replace the built-in ones of
# `aimsctl report` (same file names); null uses the built-in templates.
templates: null
"""

_SYSTEM = """\
# An AI system in the inventory (ISO/IEC 42001 A.4, A.9.4). This one is an
# example: change it into one of your own systems, or delete it together with
# risks/R-EXAMPLE-1.yaml and assessments/IA-EXAMPLE.yaml. Keep one file per
# system. Its tier is never written here: aimsctl derives it from its open risks.
kind: AISystem
id: SYS-EXAMPLE
title: Support ticket triage (example)
description: >-
  A classifier that reads incoming customer support tickets and suggests a
  category and a priority to the agent who picks the ticket up.
owner: head-of-customer-support
tags: [example, customer-support]
purpose: >-
  Get urgent customer problems to the right team sooner, without anyone losing
  the final say over how a ticket is handled.
type: predictive
stage: development
intended_users:
  - Customer support agents
foreseeable_misuse:
  - Closing tickets automatically on the suggested category without reading them
decisions: >-
  Suggests which queue a ticket goes to and how urgent it is; an agent accepts or
  changes every suggestion before the ticket is routed.
human_oversight:
  mode: human-in-the-loop
  description: >-
    Each suggestion is shown to an agent, who confirms or corrects it; corrections
    are counted every week to spot drift.
stakeholders:
  - group: Customers
    description: People who write to customer support.
  - group: Support agents
    description: Staff who work the ticket queues.
data:
  - name: Resolved tickets of the last two years
    stage: training
    source: Ticketing system
    personal: true
    sensitive: false
    provenance: Exported from the ticketing system with names and contact details removed.
  - name: Incoming ticket text
    stage: input
    source: Ticketing system
    personal: true
    sensitive: false
    provenance: Written by customers; processed under the support privacy notice.
ai_roles: [producer]
jurisdictions: [EU]
regulation:
  eu_ai_act: minimal
"""

_RISK = """\
# A risk in the AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2). An example
# that belongs to systems/SYS-EXAMPLE.yaml: replace or delete it with the system.
# Levels are numbers or labels of the scales in aims.yaml. Here the inherent risk
# is Possible x Moderate = 9 (medium), the residual Unlikely x Moderate = 6
# (medium): within the appetite, so the system's tier is medium.
kind: Risk
id: R-EXAMPLE-1
title: Urgent tickets suggested as routine
description: >-
  The classifier may rank a ticket about a safety issue or a locked account as
  routine, for instance when it is written in a language or style that was rare
  in the training data, so the customer waits too long.
owner: head-of-customer-support
systems: [SYS-EXAMPLE]
sources: [machine-learning]
objectives: [robustness, fairness]
data_stage: input
affects: [individuals]
inherent: {likelihood: Possible, severity: Moderate}
treatment:
  option: mitigate
  controls: [A.6.2.4, A.6.2.6]
  plan: >-
    Test the classifier on tickets in every supported language before release,
    and track weekly how often agents raise the suggested priority.
  owner: head-of-customer-support
residual: {likelihood: Unlikely, severity: Moderate}
status: treating
"""

_ASSESSMENT = """\
# An AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5). An example for
# systems/SYS-EXAMPLE.yaml, still a draft. Once it is approved, add `approval`
# ({by, on}) and `decision`, and set `status: approved`.
kind: ImpactAssessment
id: IA-EXAMPLE
title: Support ticket triage impact assessment (example)
owner: ai-governance-lead
system: SYS-EXAMPLE
status: draft
assessed:
  on: @TODAY@
  by: ai-governance-lead
stakeholders:
  - group: Customers
    vulnerable: false
    concerns:
      - Waiting longer because a ticket was suggested as routine
    engagement:
      - method: document-review
        on: @TODAY@
        summary: Support team leads reviewed a sample of suggestions against their own triage.
impacts:
  - dimension: fairness
    scope: group
    groups: [Customers]
    description: >-
      Customers who write in a less common language or style could get lower
      priority suggestions than others with the same problem.
    likelihood: Unlikely
    severity: Moderate
    mitigations: [R-EXAMPLE-1, A.6.2.4]
conclusion: >-
  Draft: the system may go ahead to a pilot once the release tests in R-EXAMPLE-1
  are in place.
"""

_EVIDENCE_README = """\
# evidence/

Files that controls point to as evidence of implementation (test reports,
minutes, policies, screenshots), committed next to the records so that an
auditor can follow every claim. Refer to them from a Control record:

```yaml
evidence:
  - path: evidence/release-tests-2026-q1.pdf
    description: Release test report
    date: 2026-03-31
```

A path is relative to the folder holding aims.yaml. Links work too (`url:`).
"""

_GITIGNORE = """\
# Rendered by `aimsctl report`, `aimsctl validate --output` and `aimsctl diff
# --output`, in CI or on a laptop: outputs, not records.
/reports/
/aimsctl.sarif
/aimsctl-diff.md
"""

_PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): check the governance records before every
# commit. Install once with `pre-commit install`; aimsctl must be installed in
# the environment that runs git.@PRE_COMMIT_NOTE@
repos:
  - repo: local
    hooks:
      - id: aimsctl-validate
        name: aimsctl validate
        entry: aimsctl validate@GOVERNANCE_ARG@
        language: system
        # The records are checked against each other, so the whole repository is
        # checked once per commit instead of file by file.
        pass_filenames: false
        files: '\\.(ya?ml)$'
"""

_WORKFLOW = """\
# aimsctl in GitHub Actions. On every push and pull request: check the records
# (findings to code scanning and as annotations) and render the reports as a
# build artifact. On a pull request also: comment what it changes in governance,
# updating one comment (found by its hidden marker), and fail when the change
# makes governance worse in the ways listed after --fail-on.@WORKFLOW_NOTE@
name: aimsctl

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

env:
  AIMSCTL_VERSION: "@VERSION@"
  # The folder that holds aims.yaml, relative to the top of the git repository.
  GOVERNANCE: "@GOVERNANCE@"

jobs:
  validate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write  # to upload the SARIF findings to code scanning
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install aimsctl
        run: python -m pip install "aimsctl==${AIMSCTL_VERSION}"
      - name: Findings for code scanning
        # The last step decides pass or fail; this one must not stop the upload.
        continue-on-error: true
        run: aimsctl validate "$GOVERNANCE" --format sarif --output aimsctl.sarif
      - name: Upload to code scanning
        if: always() && hashFiles('aimsctl.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: aimsctl.sarif
          category: aimsctl
      - name: Validate
        run: aimsctl validate "$GOVERNANCE" --format github

  diff:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write  # to write the comment
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the base commit is needed, not only the head
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install aimsctl
        run: python -m pip install "aimsctl==${AIMSCTL_VERSION}"
      - name: Compare with the base branch
        id: diff
        continue-on-error: true
        env:
          BASE_SHA: ${{ github.event.pull_request.base.sha }}
        run: >-
          aimsctl diff "$BASE_SHA" HEAD --repo "$GOVERNANCE" --format md
          --output aimsctl-diff.md
          --fail-on appetite-crossed,tier-raised,control-regressed,soa-exclusion-added
      - name: Comment on the pull request
        if: always() && hashFiles('aimsctl-diff.md') != ''
        uses: actions/github-script@v7
        with:
          script: |
            const fs = require('fs');
            const body = fs.readFileSync('aimsctl-diff.md', 'utf8');
            const marker = '<!-- aimsctl-diff -->';
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(
              github.rest.issues.listComments, { owner, repo, issue_number });
            const previous = comments.find((c) => c.body && c.body.startsWith(marker));
            if (previous) {
              await github.rest.issues.updateComment(
                { owner, repo, comment_id: previous.id, body });
            } else {
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }
      - name: Fail when governance gets worse
        if: steps.diff.outcome == 'failure'
        run: |
          echo "::error::aimsctl diff failed, or this pull request makes governance worse"
          exit 1

  reports:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install aimsctl
        run: python -m pip install "aimsctl==${AIMSCTL_VERSION}"
      - name: Render the reports
        run: aimsctl report all "$GOVERNANCE" --format html --out reports
      - uses: actions/upload-artifact@v4
        with:
          name: aimsctl-reports
          path: reports/
"""

_SUBFOLDER_NOTE = (
    "\n#\n# This governance repository is the folder @GOVERNANCE@ of a larger git"
    "\n# repository: move this file to the same place at the top of that repository."
)


def _annex_a_yaml() -> str:
    lines = [
        "# Statement of Applicability: every ISO/IEC 42001 Annex A control, in catalogue",
        "# order (clause 6.1.3). Decide each one: keep `applicable: true` and set its",
        "# `status` (not-started, planned, partial, implemented), owner, implementation",
        "# and evidence; or set `applicable: false` and say in `justification` why it",
        "# does not apply. Titles come from the aimsctl catalogue, so Annex A controls",
        "# carry none here; the comment above each gives it, with a one-line summary in",
        "# aimsctl's own words (`aimsctl controls --annex` lists them all).",
        "",
    ]
    first = True
    for area in annex_a_areas():
        for index, control in enumerate(area.controls):
            if not first:
                lines.append("---")
            first = False
            if index == 0:
                lines.extend([f"# ===== {area.id} {area.title} =====", "#"])
            lines.extend(
                [
                    f"# {control.id} {control.title}",
                    *(f"# {line}" for line in textwrap.wrap(control.summary, 84)),
                    "kind: Control",
                    f"id: {control.id}",
                    f"owner: {CONTROL_OWNER}",
                    "applicable: true",
                    "justification: >-",
                    "  Included by default when this repository was created; revise: say why",
                    "  it applies, or set applicable: false and say why it does not.",
                    "status: not-started",
                ]
            )
    return "\n".join(lines) + "\n"


def starter_files(
    today: date,
    organization: str = DEFAULT_ORGANIZATION,
    governance_path: str = "",
) -> dict[str, bytes]:
    """The files of a new governance repository, by path relative to its root.

    ``today`` dates the example impact assessment. ``governance_path`` is where the
    repository lies below the top of an existing git work tree ("" at the top);
    the pre-commit and GitHub Actions files then name that folder.
    """
    day = today.isoformat()
    folder = governance_path or "."
    note = _SUBFOLDER_NOTE.replace("@GOVERNANCE@", folder) if governance_path else ""
    files = {
        "aims.yaml": _AIMS_YAML.replace("@ORGANIZATION@", json.dumps(organization)),
        "systems/SYS-EXAMPLE.yaml": _SYSTEM,
        "risks/R-EXAMPLE-1.yaml": _RISK,
        "assessments/IA-EXAMPLE.yaml": _ASSESSMENT.replace("@TODAY@", day),
        "controls/annex-a.yaml": _annex_a_yaml(),
        "evidence/README.md": _EVIDENCE_README,
        ".gitignore": _GITIGNORE,
        ".pre-commit-config.yaml": _PRE_COMMIT.replace("@PRE_COMMIT_NOTE@", note).replace(
            "@GOVERNANCE_ARG@", f" {governance_path}" if governance_path else ""
        ),
        ".github/workflows/aimsctl.yml": _WORKFLOW.replace("@WORKFLOW_NOTE@", note)
        .replace("@VERSION@", __version__)
        .replace("@GOVERNANCE@", folder),
    }
    return {path: text.encode("utf-8") for path, text in files.items()}


# --- writing ------------------------------------------------------------------------


def conflicts(target: Path, files: Mapping[str, bytes]) -> list[str]:
    """The paths (relative to ``target``) that exist already or cannot be created."""
    found: set[str] = set()
    for rel in files:
        path = target / rel
        if path.exists() or path.is_symlink():
            found.add(rel)
            continue
        parent = path.parent
        while parent != target and parent != parent.parent:
            if parent.exists() and not parent.is_dir():
                found.add(parent.relative_to(target).as_posix())
                break
            parent = parent.parent
    return sorted(found)


def create(target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` below ``target``, each atomically, overwriting nothing.

    Every target is checked before anything is written: when one exists,
    ScaffoldError lists them all and nothing is written. When writing fails part
    way, the files written so far are removed again.
    """
    from aimsctl.fileio import write_atomic

    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder")
    existing = conflicts(target, files)
    if existing:
        shown = ", ".join(existing[:20]) + (" …" if len(existing) > 20 else "")
        raise ScaffoldError(
            f"{target} already has {len(existing)} of the files to create ({shown}); "
            "nothing was written. Move them away, or choose an empty folder."
        )
    created_dirs = [d for d in _parents(target, files) if not d.exists()]
    written: list[Path] = []
    try:
        for rel in sorted(files):
            path = target / rel
            write_atomic(path, files[rel])
            written.append(path)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        for folder in sorted(created_dirs, key=lambda d: len(d.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise ScaffoldError(
            f"cannot write {target}: {error.strerror or error}; nothing was left behind"
        ) from None


def _parents(target: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Every folder the files need: ``target``, its ancestors and its subfolders."""
    folders = {target, *target.parents}
    for rel in files:
        parent = (target / rel).parent
        while parent != target and target in parent.parents:
            folders.add(parent)
            parent = parent.parent
    return sorted(folders)
