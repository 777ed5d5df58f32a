"""What every report shares: provenance, document control, band colours, links, scores
and titles.

Everything here builds plain data (dicts, lists, strings, numbers) for the
templates; nothing prints and nothing reads the clock, so the same repository
renders the same bytes.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aimsctl import __version__
from aimsctl.catalog import annex_a
from aimsctl.records import Risk, Role
from aimsctl.records.role import acceptance_refused
from aimsctl.rules.placeholders import unsigned_note
from aimsctl.rules.reviews import not_a_system
from aimsctl.text import band_colour, is_web_url, md_href
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository
    from aimsctl.scoring import RiskScore, Score
    from aimsctl.vocabulary import ReportName

Context = dict[str, Any]

UNASSESSED_CLASS = "band-none"
NONE = "—"


class Shared:
    """Contexts made once per render and handed to each report's ``build``: a risk's
    row is in the register and in its system's documentation, a system's row in the
    inventory and in its documentation, a record's link in every requirement of the
    readiness report it evidences. Templates only read them (see render_reports)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], Context] = {}

    def once(self, kind: str, key: str, make: Callable[[], Context]) -> Context:
        """The ``kind`` context of record ``key``: made by ``make`` the first time."""
        made = self._made.get((kind, key))
        if made is None:
            made = self._made[kind, key] = make()
        return made


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a report's data came from. No wall-clock time: only inputs."""

    organization: str
    scope: str
    as_of: date
    commit: str  # display text: "<sha>", "<sha> with uncommitted changes", ...
    committed: date | None = None  # the commit's day (the committer's own); None: no commit
    # The earliest day the commit's moment fell on anywhere; None: taken as ``committed``.
    committed_everywhere: date | None = None

    @staticmethod
    def commit_text(sha: str | None, dirty: bool, git: bool = True) -> str:
        if not git:
            return "not a git repository"
        text = sha if sha is not None else "no commits yet"
        return f"{text} with uncommitted changes" if dirty else text

    @staticmethod
    def commit_unknown(reason: str) -> str:
        """The commit of a repository git cannot tell about (no git program, a damaged
        repository): unknown, and why; never "not a git repository"."""
        return f"unknown: {reason}"


def _later_everywhere(provenance: Provenance) -> bool:
    earliest = provenance.committed_everywhere or provenance.committed
    return earliest is not None and earliest > provenance.as_of


def provenance_context(provenance: Provenance) -> Context:
    return {
        "organization": provenance.organization,
        "scope": provenance.scope,
        "as_of": provenance.as_of.isoformat(),
        "commit": provenance.commit,
        "committed": provenance.committed.isoformat() if provenance.committed else "",
        # A commit later than the as-of date holds records of a later day than it: said
        # only where it is later in every time zone (a fresh commit made east of UTC is
        # dated tomorrow by its committer, and is not later than a CI run's today).
        "committed_later": _later_everywhere(provenance),
        "generator": f"aimsctl {__version__}",
    }


def document_context(repo: Repository, name: ReportName) -> Context | None:
    """A report's document control from `documents:` of aims.yaml, or None when unset.

    An approval dated after the as-of date (not yet given), one `by` a `TODO:`
    placeholder (given by nobody: AIMS107, and readiness refuses it for 7.5.2) and a
    next review that has passed are flagged, as the reports flag them for records.
    """
    control = repo.config.documents.get(name)
    if control is None:
        return None
    approval, review = control.approval, control.next_review
    return {
        "id": control.id,
        "version": control.version or "",
        "owner": control.owner or "",
        "approval": None
        if approval is None
        else {
            "by": approval.by,
            "on": approval.on.isoformat(),
            "ahead": approval.on > repo.as_of,
            "placeholder": is_placeholder(approval.by),
        },
        "next_review": review.isoformat() if review else "",
        "review_overdue": review is not None and review < repo.as_of,
    }


def bands_context(repo: Repository) -> list[Context]:
    """Every band of the scale, low to high, with its colours, score range and appetite."""
    scorer = repo.scorer
    appetite_rank = scorer.rank(repo.config.risk.appetite)
    rows: list[Context] = []
    for rank, name in enumerate(scorer.bands):
        low, high = scorer.band_range(name)
        colour = band_colour(rank, len(scorer.bands))
        rows.append(
            {
                "name": name,
                "css": f"band-{rank}",
                "fill": colour.fill,
                "text": colour.ink,
                "low": low,
                "high": high,
                "reachable": low <= high,
                "within_appetite": rank <= appetite_rank,
            }
        )
    return rows


def band_css(repo: Repository, band: str) -> str:
    """The CSS class of a band; `unassessed` and unknown names get the neutral class."""
    rank = repo.scorer.rank(band)
    return f"band-{rank}" if rank >= 0 else UNASSESSED_CLASS


def score_context(repo: Repository, score: Score | None) -> Context | None:
    """A score with the labels of its levels and the CSS class of its band."""
    if score is None:
        return None
    scorer = repo.scorer
    return {
        "likelihood": score.likelihood,
        "likelihood_label": scorer.likelihood.label(score.likelihood),
        "severity": score.severity,
        "severity_label": scorer.severity.label(score.severity),
        "score": score.score,
        "band": score.band,
        "css": band_css(repo, score.band),
    }


def appetite_text(repo: Repository, risk: Risk, result: RiskScore) -> str:
    """The appetite verdict in words, with the state of any acceptance: one AIMS305
    refuses gives AIMS305's reason (which Role, or none held)."""
    acceptance = risk.acceptance
    if result.within_appetite:
        return "within appetite"
    if acceptance is not None and result.accepted:
        return f"above appetite; accepted by {acceptance.by} until {acceptance.expires}"
    if acceptance is not None and result.acceptance_expired:
        return f"above appetite; acceptance expired on {acceptance.expires}"
    if acceptance is not None and not result.acceptance_designated:
        if is_placeholder(acceptance.by):  # nobody signed: no one to call not designated
            return f"above appetite; {unsigned_note(risk.id, 'acceptance.by', 'accepted')}"
        why = acceptance_refused(repo.of_kind(Role), risk, acceptance.by)
        return f"above appetite; not accepted: {why}"
    if acceptance is not None:
        return f"above appetite; acceptance starts on {acceptance.on}"
    return "above appetite; not accepted"


def risk_summary(repo: Repository, risk: Risk) -> Context:
    """A risk in one line: id, title, status and its current band."""
    current = repo.risk_scores[risk.id].current
    return {
        "id": risk.id,
        "title": risk.title,
        "status": risk.status,
        "band": current.band,
        "score": current.score,
        "css": band_css(repo, current.band),
        "description": risk.description,
    }


def link_base(root: Path, out: Path | None) -> str | None:
    """The relative path from the report folder to the repository root.

    None when the reports are written outside the repository (or not at all):
    a relative link could not reach the repository's files from there.
    """
    if out is None:
        return None
    root_resolved, out_resolved = root.resolve(), out.resolve()
    if not out_resolved.is_relative_to(root_resolved):
        return None
    return PurePosixPath(os.path.relpath(root_resolved, out_resolved)).as_posix()


def safe_repo_path(path: str) -> bool:
    """A relative POSIX path that stays inside the repository."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def reference(repo: Repository, target: str, base: str | None) -> Context:
    """A repository path or a URL, as text and (where a link can work) an href."""
    if is_web_url(target):
        # Percent-encoded as the Markdown reports write it: a space or a control
        # character in an href would be a link to another address.
        return {"text": target, "href": md_href(target.strip()), "kind": "url"}
    if "://" in target or target.lower().startswith(("javascript:", "data:", "file:")):
        return {"text": target, "href": None, "kind": "url"}
    href = None
    if base is not None and safe_repo_path(target) and repo.path_exists(target):
        href = quote(posixpath.normpath(posixpath.join(base, target)), safe="/")
    return {"text": target, "href": href, "kind": "path"}


def risks_by_control(repo: Repository) -> dict[str, list[Risk]]:
    """The risks whose treatment names each control (derived, never stored on controls)."""
    treats: dict[str, list[Risk]] = {}
    for risk in repo.of_kind(Risk):
        if risk.treatment is None:
            continue
        for control_id in dict.fromkeys(risk.treatment.controls):
            treats.setdefault(control_id, []).append(risk)
    return treats


def system_title(repo: Repository, system_id: str) -> str:
    """A system's title, or a note that the id names no valid system: one whose record
    fails validation is said to, not to be missing (it may well be a system)."""
    entry = repo.entries.get(system_id)
    if entry is None or entry.record.kind != "AISystem":
        return f"({not_a_system(repo, system_id)})"
    return entry.record.title


def control_title(repo: Repository, control_id: str) -> str:
    """A control's title: its record's, else the Annex A catalogue's."""
    entry = repo.entries.get(control_id)
    if entry is not None and entry.record.kind == "Control" and entry.record.title:
        return entry.record.title
    catalogue = annex_a()
    if control_id in catalogue:
        return catalogue[control_id].title
    return "(no such control)"


@cache
def _catalogue_positions() -> dict[str, int]:
    return {control_id: index for index, control_id in enumerate(annex_a())}


def control_order(control_id: str) -> tuple[int, int, str]:
    """Sort key for controls: Annex A in catalogue order, then the organization's by id."""
    positions = _catalogue_positions()
    if control_id in positions:
        return (0, positions[control_id], "")
    return (1, 0, control_id)


def record_title(repo: Repository, record_id: str) -> str:
    """The title of any record (a control's from the catalogue when it has none)."""
    entry = repo.entries.get(record_id)
    if entry is not None and entry.record.kind != "Control":
        return entry.record.title
    if entry is not None or record_id in annex_a():
        return control_title(repo, record_id)
    return "(no such record)"
