"""OSCAL 1.2.1 documents of the management system: the Annex A catalogue and its implementation.

Two JSON documents, built in memory (nothing here writes):

- a **catalog** of the 38 ISO/IEC 42001:2023 Annex A controls, grouped by area (and
  in A.6 by its two objectives): identifiers, titles and our own one-line summary
  of each control as ``guidance``; no text of the standard;
- a **component definition** with one component, the organization's AI management
  system, whose implemented requirements are the repository's Statement of
  Applicability: each decided Annex A control with its implementation status, its
  justification, how it is implemented and links to its evidence.

Same input, same bytes. Every UUID is a version 5 UUID derived from stable names
(the organization, the control id), and each document's own UUID from a digest of
its content, so it changes exactly when the document does, as OSCAL asks. The only
timestamp, ``metadata.last-modified``, is given by the caller (from ``--as-of`` or
the last commit), never read from the clock.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aimsctl import __version__
from aimsctl.catalog import annex_a, annex_a_areas, standard
from aimsctl.errors import ConfigError, GitError, UsageError
from aimsctl.records import Control
from aimsctl.soa import qualified_status
from aimsctl.text import is_web_url, md_code, md_paragraphs, md_text, natural_key, printable

if TYPE_CHECKING:
    from collections.abc import Collection

    from aimsctl.repository import Repository

OSCAL_VERSION = "1.2.1"
# The years OSCAL's date-time type admits: its schemas' pattern reads 19xx and 2xxx only.
YEARS = (1900, 2999)
CATALOG_FILE = "iso42001-annex-a-catalog.json"
COMPONENT_FILE = "component-definition.json"
# Our own properties (the aimsctl status, owner, last review) live in this namespace: a
# name, not a place (.invalid is reserved, RFC 2606). An http(s) URL, because some
# OSCAL readers (compliance-trestle 4.0) accept no other scheme there.
NAMESPACE = "https://aimsctl.invalid/ns/oscal"
_UUID_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)
# OSCAL's implementation-status values for each SoA status of aimsctl.
_OSCAL_STATUS = {
    "implemented": "implemented",
    "partial": "partial",
    "planned": "planned",
    "not-started": "planned",
}


def last_modified(root: Path, as_of: date | None, today: date) -> tuple[datetime, date]:
    """The documents' last-modified time: ``as_of`` at midnight UTC; else the time of
    the newest commit touching the repository's record files; else, in a repository
    with no commit yet, ``today`` at midnight, as every command takes today without
    --as-of. The same records, commit and day give the same bytes.

    With it, the day the date rules are checked at: ``as_of``, or the commit's date
    where it was made (its committer's offset), as the records' commit dates are read:
    a commit at 01:00 +02:00 on the 4th is the 3rd in UTC, and a review dated the 4th
    in it is no review in the future."""
    if as_of is not None:
        moment = datetime.combine(as_of, time(0), tzinfo=UTC)
        _check_year(moment, f"--as-of {as_of.isoformat()}")
        return moment, as_of
    from aimsctl.gitio import CommitLog
    from aimsctl.loader import YAML_SUFFIXES

    try:
        with CommitLog(root, YAML_SUFFIXES) as log:
            newest = next(log.commits(), None)
    except GitError:
        newest = None
    if newest is None:
        moment = datetime.combine(today, time(0), tzinfo=UTC)
        _check_year(moment, f"today, {today.isoformat()},")
        return moment, today
    _refuse_uncommitted(root)
    made = datetime.fromisoformat(newest.date)
    moment = made.astimezone(UTC)
    _check_year(moment, f"the newest commit of {root}, {moment.date()},")
    return moment, made.date()


def _refuse_uncommitted(root: Path) -> None:
    """Without --as-of, the documents are dated by the newest commit: record files
    that differ from HEAD (edited, deleted or new) are not in it, and two different
    exports would carry one last-modified time, older than what they say. A usage
    error naming them, before anything is read or written."""
    from aimsctl.config import load_config
    from aimsctl.gitio import changed_paths
    from aimsctl.loader import CONFIG_FILE, select_record_paths

    try:
        differ = changed_paths(root, "HEAD")
    except GitError:
        return
    # Only what the export reads: the record files (not hidden, not excluded in
    # aims.yaml, as the loader selects them) and aims.yaml itself (the organization
    # and scope). A workflow, .pre-commit-config.yaml or an excluded draft is not
    # in the documents. An aims.yaml that cannot be read excludes nothing.
    try:
        exclude: list[str] = list(load_config(root).exclude)
    except ConfigError:
        exclude = []
    changed = sorted(
        [*select_record_paths(differ, exclude), *(p for p in differ if p == CONFIG_FILE)],
        key=natural_key,
    )
    if changed:
        shown = ", ".join(printable(rel) for rel in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        raise UsageError(
            f"record files differ from the last commit ({shown}{more}): without --as-of "
            "the documents are dated by the newest commit, which does not hold them; "
            "commit them, or give --as-of YYYY-MM-DD"
        )


def _check_year(moment: datetime, what: str) -> None:
    """OSCAL dates a document within the years 1900 to 2999 only: outside them the
    documents would not be valid against the schema they declare."""
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise UsageError(
            f"{what} is outside the years an OSCAL document can be dated "
            f"({YEARS[0]} to {YEARS[1]}); give --as-of YYYY-MM-DD within them"
        )


def stable_uuid(*names: str) -> str:
    """A UUID from names: the same names, the same UUID, on every machine.

    Drawn as a version 5 UUID is (SHA-1 of the names), but marked version 4: OSCAL
    admits both, and compliance-trestle's SSP assembly admits version 4 alone, so a
    component definition marked 5 could not become an SSP through it."""
    return str(uuid.UUID(bytes=uuid.uuid5(_UUID_ROOT, "/".join(names)).bytes, version=4))


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("an OSCAL timestamp needs a time zone")
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _with_document_uuid(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """``{kind: {"uuid": ..., **body}}``, the UUID a digest of the body."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    return {kind: {"uuid": stable_uuid(kind, digest), **body}}


def _metadata(title: str, last_modified: str, version: str, remarks: str) -> dict[str, Any]:
    return {
        "title": title,
        "last-modified": last_modified,
        "version": version,
        "oscal-version": OSCAL_VERSION,
        "props": [{"name": "generator", "ns": NAMESPACE, "value": f"aimsctl {__version__}"}],
        "remarks": remarks,
    }


def _catalog_control(control_id: str) -> dict[str, Any]:
    control = annex_a()[control_id]
    return {
        "id": control_id,
        "class": "iso42001-annex-a",
        "title": control.title,
        "props": [{"name": "label", "value": control_id}],
        "parts": [{"id": f"{control_id}_gdn", "name": "guidance", "prose": control.summary}],
    }


def catalog(last_modified: datetime) -> dict[str, Any]:
    """The OSCAL catalog of the Annex A controls (ids, titles, our summaries)."""
    groups: list[dict[str, Any]] = []
    for area in annex_a_areas():
        group: dict[str, Any] = {"id": area.id, "class": "area", "title": area.title}
        if area.objectives:
            group["groups"] = [
                {
                    "id": objective.id,
                    "class": "objective",
                    "title": objective.title,
                    "controls": [_catalog_control(c.id) for c in objective.controls],
                }
                for objective in area.objectives
            ]
        else:
            group["controls"] = [_catalog_control(c.id) for c in area.controls]
        groups.append(group)
    body = {
        "metadata": _metadata(
            f"{standard()} Annex A controls: identifiers and titles",
            _timestamp(last_modified),
            standard(),
            "Identifiers and titles of the reference controls of Annex A; each guidance part "
            "is a summary written by the aimsctl maintainers, not the standard's text, "
            "which is available from ISO.",
        ),
        "groups": groups,
    }
    return _with_document_uuid("catalog", body)


@dataclass(frozen=True, slots=True)
class Exported:
    """The documents of one export, by file name, and what they hold."""

    documents: dict[str, dict[str, Any]]
    implemented: int  # Annex A controls in the component definition
    undecided: tuple[str, ...]  # Annex A controls left out: no decided record
    invalid: tuple[str, ...] = ()  # Annex A controls left out: their record fails validation


# A URI's scheme (RFC 3986, 3.1), read without urlsplit, which raises on a URL whose
# host has a '[' without its ']' ("https://[intranet/policy").
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# A URL's scheme and authority (RFC 3986, 3.2): what follows "scheme://" up to the
# path, the query or the fragment.
_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)")
# An authority's host and port: an IP literal or a name, then ':' and digits.
_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(:[0-9]*)?")
# An IP literal's future form (RFC 3986, 3.2.2): "v", hex digits, ".", then more.
_IP_FUTURE = re.compile(r"[vV][0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+")
# A '%' that does not start an escape of two hex digits ("100%").
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What a URL keeps as it is: the delimiters and sub-delimiters of RFC 3986 (2.2) but
# '#' and the brackets, and the '%' of an escape.
_URL_SAFE = ":/?@!$&'()*+,;=%~"
# What a host name or the user's part of an authority keeps: the sub-delimiters and
# the '%' of an escape (and, for the user, ':').
_NAME_SAFE = "!$&'()*+,;=%~"


def _ip_literal(host: str) -> bool:
    """Whether ``[...]`` holds what RFC 3986 lets an IP literal hold: an IPv6 address
    (no zone: "fe80::1%eth0" is RFC 6874's) or the future form."""
    inside = host[1:-1]
    if _IP_FUTURE.fullmatch(inside):
        return True
    try:
        ipaddress.IPv6Address(inside)
    except ValueError:
        return False
    return "%" not in inside


def _authority(authority: str) -> str:
    """An authority as a URI holds it: the user's part with every '@' but the last
    encoded; a host and a port as they are when they are a host and a port (a name or
    an IP literal, then digits), else the whole read as a name, its ':' and brackets
    encoded ("host:8x" is host%3A8x, not a port of letters)."""
    user, at, host_port = authority.rpartition("@")
    split = _HOST_PORT.fullmatch(host_port)
    if split and (not split.group(1).startswith("[") or _ip_literal(split.group(1))):
        host, port = split.group(1), split.group(2) or ""
        shown = (host if host.startswith("[") else quote(host, safe=_NAME_SAFE)) + port
    else:
        shown = quote(host_port, safe=_NAME_SAFE)
    return quote(user, safe=_NAME_SAFE + ":") + at + shown


def _href(target: str, *, path: bool = False) -> str:
    """A link target: a repository path or a URL, with what a URI may not hold (spaces,
    non-ASCII letters) percent-encoded. A path is always a relative reference: its
    ':' is encoded too, or `minutes:2026.md` would read as a URI of scheme `minutes`.
    In a URL, a '%' that starts no escape, a '[' or ']' outside an IP literal host and
    every '#' after the first are encoded too: the schema's `uri-reference` admits none."""
    text = target.strip()
    if path or not _SCHEME.match(text):
        return quote(text, safe="/")
    text = _STRAY_PERCENT.sub("%25", text)
    start = _AUTHORITY.match(text)
    kept = start.group(1) + _authority(start.group(2)) if start else ""
    rest, mark, fragment = text[start.end() if start else 0 :].partition("#")
    return kept + quote(rest, safe=_URL_SAFE) + mark + quote(fragment, safe=_URL_SAFE)


def _line(text: str) -> str:
    """Record text for a one-line OSCAL string field (a property value): one line, and
    every control, bidirectional or invisible character written as an escape, as
    :func:`~aimsctl.text.md_text` writes them in the Markdown fields. Left as they
    are, a right-to-left override would make a GRC tool show an owner reversed, and a
    byte order mark (U+FEFF) at an end is whitespace to the schema's patterns, which
    JSON Schema reads as ECMA-262 does: the value would break the document."""
    return printable(" ".join(text.split()))


def _requirement(
    organization: str, control: Control, not_met: dict[str, str] | None = None
) -> dict[str, Any]:
    """The implemented requirement of one decided control. OSCAL's descriptions, titles
    and link texts are Markdown (its markup types): record text goes in escaped, so a
    GRC tool shows what was written, never a link or markup the record did not mean.

    ``not_met``: the open nonconformities that record the control as not met, each with
    why (:func:`aimsctl.rules.management.status_not_met`). The status stays the
    record's, qualified where it is stated: a remark on the implementation-status
    property and in the requirement's remarks, and a ``not-met`` property naming each
    nonconformity."""
    status = "not-applicable" if not control.applicable else _OSCAL_STATUS.get(control.status or "")
    whys = list(not_met.values()) if not_met else []
    props: list[dict[str, Any]] = []
    if status is not None:
        prop: dict[str, Any] = {"name": "implementation-status", "value": status}
        if whys:
            prop["remarks"] = md_text("; ".join(whys)) + "."
        props.append(prop)
    ours = [
        ("applicable", "true" if control.applicable else "false"),
        ("status", control.status if control.applicable else None),
        ("owner", control.owner),
        ("last-reviewed", control.reviewed.on.isoformat() if control.reviewed else None),
    ]
    props += [
        {"name": name, "ns": NAMESPACE, "value": _line(value)}
        for name, value in ours
        if value and _line(value)
    ]
    props += [
        {"name": "not-met", "ns": NAMESPACE, "value": _line(raised)}
        for raised in (not_met or {})
        if _line(raised)
    ]
    description = md_paragraphs(control.justification) or "No justification given."
    scope = sorted(dict.fromkeys(control.systems), key=natural_key) if control.applicable else []
    if scope:  # a control scoped to some systems covers no other (records.md: `systems`)
        description += "\n\nApplies to these AI systems only: " + md_text(", ".join(scope)) + "."
        props += [{"name": "ai-system", "ns": NAMESPACE, "value": _line(s)} for s in scope]
    if control.applicable and control.implementation and control.implementation.strip():
        description += "\n\nImplementation: " + md_paragraphs(control.implementation)
    requirement: dict[str, Any] = {
        "uuid": stable_uuid("implemented-requirement", organization, control.id),
        "control-id": control.id,
        "description": description,
        "props": props,
    }
    links: list[dict[str, Any]] = []
    unlinked: list[str] = []  # evidence shown as text
    for item in control.evidence:
        if item.url is not None and not is_web_url(item.url):
            # As in the reports: only an http(s) address becomes a link.
            about = f" ({md_text(item.description)})" if item.description else ""
            unlinked.append(md_code(item.url) + about)
            continue
        target = item.path if item.path is not None else item.url
        assert target is not None  # the model requires exactly one of them
        link: dict[str, Any] = {
            "href": _href(target, path=item.path is not None),
            "rel": "evidence",
        }
        # As the SoA report writes it: the description, then its date in brackets.
        dated = f"({item.date})" if item.date else ""
        text = md_text(" ".join(part for part in (item.description, dated) if part))
        if text:
            link["text"] = text
        links.append(link)
    if links:
        requirement["links"] = links
    remarks: list[str] = []
    if whys:
        # As the SoA report qualifies the status: the record's status, then the finding.
        remarks.append(
            "Implementation status " + md_text(qualified_status(control.status or "", whys)) + "."
        )
    if unlinked:
        remarks.append(
            "Evidence kept as text, as only an http(s) address is linked: "
            + ", ".join(unlinked)
            + "."
        )
    if remarks:
        requirement["remarks"] = "\n\n".join(remarks)
    return requirement


def component_definition(
    repo: Repository, last_modified: datetime, failing: Collection[str] = ()
) -> tuple[dict[str, Any], int, tuple[str, ...], tuple[str, ...]]:
    """The component definition of the repository's SoA, with the number of controls in
    it, the Annex A controls left out as undecided (placeholder or no record) and those
    left out as invalid: a Control record validation refuses, as `aimsctl controls` and
    the SoA report say, or one with an error of its own (``failing``: the ids of the
    records validation finds errors on). Only an export with --force gets that far."""
    from aimsctl.rules.management import status_not_met
    from aimsctl.soa import decided, refused_controls

    organization = _line(repo.config.organization)
    controls = {control.id: control for control in repo.of_kind(Control)}
    refused = refused_controls(repo) | (set(failing) & set(controls))
    good = {cid: c for cid, c in controls.items() if cid not in refused and decided(c)}
    chosen = [good[cid] for cid in annex_a() if cid in good]
    left_out = [cid for cid in annex_a() if cid not in good]
    invalid = tuple(cid for cid in left_out if cid in refused)
    undecided = tuple(cid for cid in left_out if cid not in invalid)
    unmet = status_not_met(repo)
    remarks = "Each Annex A control the Statement of Applicability decides."
    if invalid:
        remarks += " Left out, as their Control record fails validation: "
        remarks += ", ".join(invalid) + "."
    if undecided:
        remarks += " Not decided yet, so left out: " + ", ".join(undecided) + "."
    shown = md_text(organization)  # in OSCAL's Markdown fields
    component: dict[str, Any] = {
        "uuid": stable_uuid("component", organization),
        "type": "policy",
        "title": f"{shown} AI management system",
        "description": md_paragraphs(repo.config.scope) or f"The AI management system of {shown}.",
    }
    if chosen:  # OSCAL wants at least one implemented requirement in a control implementation
        component["control-implementations"] = [
            {
                "uuid": stable_uuid("control-implementation", organization, "annex-a"),
                "source": CATALOG_FILE,
                "description": f"The Statement of Applicability of {shown} for "
                f"{standard()} Annex A.",
                "implemented-requirements": [
                    _requirement(organization, control, unmet.get(control.id)) for control in chosen
                ],
            }
        ]
    component["remarks"] = remarks
    body = {
        "metadata": _metadata(
            f"{shown}: AI management system, {standard()} Annex A implementation",
            _timestamp(last_modified),
            last_modified.date().isoformat(),
            "Exported by aimsctl from the governance repository's Control records.",
        ),
        "components": [component],
    }
    return _with_document_uuid("component-definition", body), len(chosen), undecided, invalid


def export(repo: Repository, last_modified: datetime, failing: Collection[str] = ()) -> Exported:
    """Both documents, by the file name each is written to; ``failing`` as for
    :func:`component_definition`."""
    component, count, undecided, invalid = component_definition(repo, last_modified, failing)
    return Exported(
        {CATALOG_FILE: catalog(last_modified), COMPONENT_FILE: component},
        count,
        undecided,
        invalid,
    )


def dumps(document: dict[str, Any]) -> str:
    """A document as it is written: indented JSON, keys in the order built, UTF-8."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
