"""AIMS107: text still to be written, left by `aimsctl init` or written as `TODO:`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.loader import CONFIG_FILE
from aimsctl.rules.registry import Finding, rule
from aimsctl.rules.texts import may_hold, placeholder_marker, record_texts, texts_holding
from aimsctl.text import words
from aimsctl.validation_messages import field_label
from aimsctl.vocabulary import PLACEHOLDER, is_placeholder

if TYPE_CHECKING:
    from aimsctl.loader import Document
    from aimsctl.records import Record, Waiver
    from aimsctl.repository import Repository


def holds_placeholder(document: Document) -> bool:
    """Whether a record's document still holds a value that is a placeholder (what
    AIMS107 reports in it): such a record is the starter's text, not the
    organization's own, and evidences nothing yet."""
    return may_hold(document, placeholder_marker) and any(
        not is_key and is_placeholder(text) for _, is_key, text in record_texts(document.data)
    )


def unwritten(repo: Repository) -> frozenset[str]:
    """The ids of the records that still hold a placeholder (AIMS107): the readiness
    report and the obligations count none of them as evidence."""
    return frozenset(
        record_id for record_id, entry in repo.entries.items() if holds_placeholder(entry.document)
    )


def still_unwritten(repo: Repository, record: Record) -> bool:
    """Whether ``record`` still holds a placeholder (what AIMS107 reports in it). Such a
    record is no evidence that anything was done: a review it says was held, an audit
    completed, a policy approved or an evaluation passed counts for no cadence, no due
    date and no readiness line until its text is the organization's own."""
    entry = repo.entries.get(record.id)
    return entry is not None and entry.record is record and holds_placeholder(entry.document)


UNWRITTEN = "still holds placeholder text (TODO:)"


def unwritten_note(ids: Sequence[str], counts_as: str) -> str:
    """Why the records ``ids`` count for nothing: "MR-1 still holds placeholder
    text (TODO:), so it does not count as held"; "" when there are none."""
    if not ids:
        return ""
    if len(ids) == 1:
        return f"{ids[0]} {UNWRITTEN}, so it does not count as {counts_as}"
    return (
        f"{words(list(ids), 'and')} still hold placeholder text (TODO:), so they do not "
        f"count as {counts_as}"
    )


def unsigned_note(record_id: str, field: str, counts_as: str) -> str:
    """Why ``record_id`` does not count as ``counts_as``: the name that signs it
    (``field``, such as `approval.by`) is still a placeholder: "IA-1 names a placeholder
    (TODO:) as approval.by, so it does not count as approved"."""
    return (
        f"{record_id} names a placeholder ({PLACEHOLDER}) as {field}, so it does not count "
        f"as {counts_as}"
    )


def waiver_not_in_force(repo: Repository, waiver: Waiver) -> str | None:
    """Why a waiver that has not expired waives nothing, None when it waives: approved
    by a placeholder (nobody approved it), or giving a key twice (AIMS005: its first
    `expires` or `records` may be read where a later line says otherwise, so what it
    waives cannot be told). The engine, the SoA's table and `diff` ask this."""
    if is_placeholder(waiver.approved_by):
        return unsigned_note(waiver.id, "approved_by", "approved")
    if any(d.code == codes.DUPLICATE_KEY and d.record == waiver.id for d in repo.diagnostics):
        return (
            f"{waiver.id} gives a key twice ({codes.DUPLICATE_KEY}), so what it waives "
            "cannot be told"
        )
    return None


@rule(
    codes.PLACEHOLDER,
    Severity.ERROR,
    summary=f"A value is still a placeholder: it starts with `{PLACEHOLDER}`, as the starter "
    "repository of `aimsctl init` writes them (control justifications, the AIMS scope, the "
    "example records), read as it shows: a character that shows as nothing before or inside "
    "the marker (a zero-width space, a soft hyphen, a bidirectional mark) does not hide it. "
    "Records are checked, "
    "and in aims.yaml the scope and each entry of "
    "`documents:` (a report's document id, version, owner and approver). While the "
    f"management system is being set up ({codes.AIMS_BEING_SET_UP}), a warning.",
    why="A Statement of Applicability or a scope full of placeholders looks finished to "
    "anyone who counts records: every control decided, every field filled. The scope "
    "(4.3) and the justification of every control's inclusion or exclusion (6.1.3) have "
    "to be the organization's own decisions, not text a tool wrote, and a report kept as "
    "a controlled document is approved by someone named (7.5.2).",
    fix=f"Write the real value in place of the `{PLACEHOLDER}` text (for a control: why it "
    "applies, or `applicable: false` and why not), or delete the example record.",
    example=f"justification: >-\n  {PLACEHOLDER} say why this control applies, or set "
    "applicable: false and say why it does not.",
)
def placeholder(repo: Repository) -> Iterator[Finding]:
    if is_placeholder(repo.config.scope):
        yield Finding(
            f"scope in {CONFIG_FILE} is still a placeholder; describe what the AI "
            "management system covers",
            parts=("scope",),
            path=CONFIG_FILE,
        )
    # The register of controlled documents is evidence too (7.5.2): a report approved
    # `by` a placeholder is approved by nobody (readiness refuses it).
    for name, document in sorted(repo.config.documents.items()):
        for parts, is_key, text in record_texts(document.model_dump(exclude_none=True)):
            if not is_key and is_placeholder(text):
                where = ("documents", name, *parts)
                yield Finding(
                    f"{field_label(where)} in {CONFIG_FILE} is still a placeholder; write it "
                    "or remove it",
                    parts=where,
                    path=CONFIG_FILE,
                )
    for record_id, parts, is_key, text in texts_holding(repo, placeholder_marker):
        if not is_key and is_placeholder(text):
            # named by the fields that lead to it (`assessed.by`, not `by`, which a
            # record may hold under several), an entry of a list as such (`entry 1
            # of decisions`, never `0`)
            yield Finding(
                f"{field_label(parts)} is still a placeholder; write it or remove it",
                record=record_id,
                parts=parts,
            )
