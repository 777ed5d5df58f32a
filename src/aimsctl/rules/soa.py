"""AIMS202-AIMS206, AIMS208 and AIMS210: the Statement of Applicability and the files
records point to."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.catalog import annex_a
from aimsctl.diagnostics import Severity
from aimsctl.links import Unfollowed
from aimsctl.loader import CONFIG_FILE, FileSource, WorkingTree
from aimsctl.records import (
    AISystem,
    Control,
    InternalAudit,
    ManagementReview,
    Policy,
    Risk,
)
from aimsctl.rules.management import noted
from aimsctl.rules.placeholders import unwritten
from aimsctl.rules.registry import Finding, rule
from aimsctl.soa import decided, justified
from aimsctl.text import NAME_CONTROLS, by_letter_case, has_words, name_key, natural_key
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.records import Record
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

# A link rather than a file: a scheme followed by `://` (https://, file://, s3://).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@rule(
    codes.SOA_INCOMPLETE,
    E,
    summary="An ISO/IEC 42001 Annex A control has no Control record, so the Statement of "
    "Applicability does not decide it. A record with the control's id whose kind cannot be "
    f"read is taken for it ({codes.RECORD_IDENTITY} reports that record). One whose id cannot be "
    "read, of kind Control or of a kind that cannot be read either, may be any control missing, "
    "and "
    f"a file that cannot be read ({codes.YAML_SYNTAX}-{codes.UNREADABLE_FILE}) may hold it where "
    "its text names the control: the finding stays, and names where they are (the first three, and "
    "how many more).",
    why="Clause 6.1.3 asks for a Statement of Applicability that covers every Annex A "
    "control: each is either included (with its implementation state) or excluded with a "
    "justification. A control that is simply absent is neither, and an auditor will raise "
    "it as a nonconformity.",
    fix="Add a Control record for the named control with `applicable: true` and a status, "
    "or `applicable: false` with a justification. `aimsctl controls` lists the catalogue.",
    example="# controls/annex-a.yaml covers A.2.2 ... A.10.3 but has no document for\n"
    "kind: Control\nid: A.10.4\napplicable: false\njustification: We supply no AI to "
    "customers.",
)
def soa_incomplete(repo: Repository) -> Iterator[Finding]:
    alike = by_letter_case({*repo.entries, *repo.invalid})
    for control in annex_a().values():
        if repo.kind_of(control.id) == "Control":
            continue
        if control.id in repo.invalid and repo.invalid[control.id] is None:
            continue  # a record with this id exists but its kind is unreadable
        # A record whose id cannot be read, of kind Control or of a kind that cannot be
        # read either, may be this control's: said, not judged.
        yield Finding(
            noted(
                repo,
                Control.KIND,
                f"for {control.id}",
                f"Statement of Applicability has no Control record for Annex A {control.id} "
                f"{control.title!r}; include it with a status or exclude it with a "
                "justification" + _spelt_otherwise(alike.get(control.id.casefold(), [])),
                ids={control.id},
            ),
            path=CONFIG_FILE,
        )


def _spelt_otherwise(ids: list[str]) -> str:
    """What to say of records whose ids differ from a missing control's in case only:
    ids are case-sensitive, so `a.5.2` decides nothing for A.5.2."""
    if not ids:
        return ""
    one = len(ids) == 1
    names = ", ".join(repr(i) for i in ids)
    return (
        f"; the record{'' if one else 's'} {names} "
        f"{'differs' if one else 'differ'} from it in letter case only, and ids are "
        f"case-sensitive: if {'it is' if one else 'one is'} meant as this control, write "
        "its id as the catalogue does"
    )


@rule(
    codes.CONTROL_UNJUSTIFIED,
    E,
    summary="A control gives no justification: excluded, or included, with an empty one "
    "(or one of spaces or punctuation alone, such as `-`), or one that only says there "
    "is none (`N/A`, `not applicable`, `none`, `TBD`, in any letter case).",
    why="Clause 6.1.3 asks the Statement of Applicability for the reason each control is "
    "included and the reason any Annex A control is excluded. An unexplained exclusion "
    "cannot be reviewed, and is the first thing an auditor asks about; a control included "
    "with no reason is no decision either, so it earns a risk no residual credit.",
    fix="Write in `justification` why the control does not apply (the activity is not "
    "performed, the risk it treats is not present), or why it is needed (the risks it "
    "treats, a law, a contract, good practice).",
    example="kind: Control\nid: A.10.4\napplicable: false\njustification: ''",
)
def control_unjustified(repo: Repository) -> Iterator[Finding]:
    for control in repo.of_kind(Control):
        if not justified(control):
            given = control.justification.strip()
            # 'N/A' restates the decision: it is no reason for it.
            without = (
                f"with {given!r} for a justification, which gives no reason"
                if has_words(given)
                else "without a justification"
            )
            yield Finding(
                f"control is excluded (applicable: false) {without}; say why it does not apply"
                if not control.applicable
                else f"control is included (applicable: true) {without}; "
                "say why it is needed: until then it is no decision, and a risk it "
                "treats earns no residual credit from it",
                record=control.id,
                parts=("justification",),
            )


@rule(
    codes.APPLICABLE_CONTROL_INCOMPLETE,
    E,
    summary="An applicable control has no `owner` or no implementation `status`. A control "
    "whose justification is still a `TODO:` placeholder is not decided to apply, whatever "
    f"its `applicable` says; {codes.PLACEHOLDER} reports that control, and this rule does "
    "not report it again.",
    why="A control that is included in the Statement of Applicability must say whether it "
    "is implemented (6.1.3), and someone must be accountable for it (5.3, A.3.2). Without "
    "these the SoA cannot show the state of the controls the risk treatment relies on.",
    fix="Add `owner:` (a person or role) and `status:` (not-started, planned, partial or "
    "implemented) to the control.",
    example="kind: Control\nid: A.6.2.4\napplicable: true\njustification: We build "
    "models.\n# no owner, no status",
)
def applicable_control_incomplete(repo: Repository) -> Iterator[Finding]:
    for control in repo.of_kind(Control):
        if not control.applicable:
            continue
        if not decided(control):
            continue  # its applicable decides nothing yet: AIMS107 reports the control
        if control.owner is None:
            yield Finding(
                "applicable control has no owner; name the person or role accountable for it",
                record=control.id,
            )
        if control.status is None:
            yield Finding(
                "applicable control has no status; say whether it is not-started, planned, "
                "partial or implemented",
                record=control.id,
            )


@rule(
    codes.TREATMENT_CONTROL_NOT_APPLICABLE,
    E,
    summary="A risk treatment relies on a control that does not apply to the risk: the "
    "Statement of Applicability excludes it (`applicable: false`), or its `systems` scope "
    "leaves out a system the risk is about. Such a control does not put the treatment in "
    "place. Where the residual is credited on other grounds (a `treatment.completed` date, "
    f"on which {codes.COMPLETED_TREATMENT_NOT_IN_PLACE} also warns, or `residual_credit: "
    "planned`), this finding is what says no control stands behind it. Nor does a control "
    "whose justification "
    f"is still a `TODO:` placeholder, whatever its `applicable` says; {codes.PLACEHOLDER} "
    "reports that control, and this rule does not report it again.",
    why="Clause 6.1.3 asks that the controls needed to treat risks are compared with Annex A "
    "and included in the Statement of Applicability. A treatment resting on an excluded "
    "control, or on one the organization applies only to other systems, is not being "
    "carried out for this risk, so the residual risk it claims is not credible.",
    fix="Make the control applicable (and record its status), widen its `systems` to the "
    "risk's systems if it really covers them, or treat the risk with controls in force "
    "for its systems.",
    example="kind: Risk\nid: R-3\n...\ntreatment:\n  option: mitigate\n  controls: [A.7.4]"
    "   # A.7.4 says applicable: false",
)
def treatment_control_not_applicable(repo: Repository) -> Iterator[Finding]:
    controls = {control.id: control for control in repo.of_kind(Control)}
    # Each control's problem with each list of systems, judged once: thousands of risks
    # share a few controls (an unscoped one applies to every system, whatever the list).
    judged: dict[tuple[str, tuple[str, ...]], str | None] = {}
    for risk in repo.of_kind(Risk):
        if risk.treatment is None:
            continue
        for index, control_id in enumerate(risk.treatment.controls):
            control = controls.get(control_id)
            if control is None:
                continue  # a control that does not exist: AIMS201
            key = (control_id, tuple(risk.systems) if control.systems else ())
            if key not in judged:
                judged[key] = treatment_control_problem(control, risk)
            problem = judged[key]
            if problem is None:
                continue
            yield Finding(
                f"treatment relies on control {control_id!r}, {problem}",
                record=risk.id,
                parts=("treatment", "controls", index),
            )


def treatment_control_problem(control: Control, risk: Risk) -> str | None:
    """Why ``control`` does not apply to ``risk``, whose treatment names it (AIMS205),
    in the rule's words; None where it applies, or decides nothing yet (a placeholder's
    `applicable`: AIMS107 reports the control)."""
    if not decided(control):
        return None
    if not control.applicable:
        return "which the Statement of Applicability excludes (applicable: false)"
    if left_out := control.left_out(risk.systems):
        return (
            f"whose scope (systems: {', '.join(control.systems)}) leaves out "
            f"{', '.join(left_out)}, which the risk is about; it does not treat "
            "the risk there"
        )
    return None


def relying_risks(repo: Repository, control: Control) -> dict[str, str]:
    """The risks whose treatment names ``control`` where it does not apply to them, by
    id in the register's order, with why in AIMS205's words: the risks the rule reports
    for this control, for the reports that judge the control (readiness)."""
    found: dict[str, str] = {}
    for risk in repo.of_kind(Risk):
        if risk.treatment is None or control.id not in risk.treatment.controls:
            continue
        problem = treatment_control_problem(control, risk)
        if problem is not None:
            found[risk.id] = problem
    return found


@rule(
    codes.ANNEX_A_TITLE_MISMATCH,
    W,
    summary="A Control record of an Annex A control gives it a `title` that is not the "
    "catalogue's (nor a variant the standard itself uses), compared without regard to case "
    "or spacing. The reports and `aimsctl controls` name the control by the catalogue's "
    "title, not the record's.",
    why="The Statement of Applicability (6.1.3) names each Annex A control by its number and "
    "title. A record that calls A.6.2.4 something else says one thing to whoever reads the "
    "YAML or reviews the change, and the reports another; a title from a wrongly numbered "
    "public catalogue or from another standard usually means the decision was made about "
    "a different control.",
    fix="Leave `title` out (the catalogue supplies it), or write the catalogue's title "
    "(`aimsctl controls --annex` lists them). If the decision was meant for another "
    "control, move it to that control's id.",
    example="kind: Control\nid: A.6.2.4\ntitle: Penetration testing   # A.6.2.4 is AI "
    "system verification and validation\napplicable: true",
)
def annex_a_title_mismatch(repo: Repository) -> Iterator[Finding]:
    catalogue = annex_a()
    for control in repo.of_kind(Control):
        listed = catalogue.get(control.id)
        if listed is None or control.title is None or listed.is_named(control.title):
            continue
        yield Finding(
            f"title {control.title!r} is not the title of Annex A {control.id}, "
            f"{listed.title!r}, which every report shows; leave title out or write "
            "the catalogue's",
            record=control.id,
            parts=("title",),
        )


# Annex A controls whose exclusion the systems' own records can contradict, and what a
# system records that shows the control's subject is there: suppliers and those who
# share responsibilities (A.10.2, A.10.3) in `third_parties`; data the organization
# develops or improves systems with (A.7.2-A.7.6) in `data` for training, validation
# or test, where it may develop them (`ai_roles` empty, or naming a producer or a
# provider: a customer's record of its vendor's training data is not its own).
# Customers (A.10.4) are left out: `ai_roles: [provider]` may serve only the public,
# which an exclusion may rightly say.
_SUBJECTS: dict[str, tuple[str, str]] = {
    "A.10.2": ("third_parties", "third parties"),
    "A.10.3": ("third_parties", "third parties"),
    **{f"A.7.{n}": ("data", "development data") for n in range(2, 7)},
}
_DEVELOPMENT_STAGES = frozenset({"training", "validation", "test"})
_DEVELOPING_ROLES = frozenset({"producer", "provider"})


def _records_subject(system: AISystem, field: str) -> bool:
    if field == "third_parties":
        return bool(system.third_parties)
    if system.ai_roles and not _DEVELOPING_ROLES & set(system.ai_roles):
        return False
    return any(entry.stage in _DEVELOPMENT_STAGES for entry in system.data)


@rule(
    codes.EXCLUSION_CONTRADICTED,
    W,
    summary="The Statement of Applicability excludes an Annex A control (`applicable: "
    "false`) whose subject a system not retired records: A.10.2 (allocating "
    "responsibilities) or A.10.3 (suppliers) while a system lists `third_parties`, or "
    "A.7.2 to A.7.6 (data for AI systems) while a system records `data` for training, "
    "validation or test and its `ai_roles` are empty or name a producer or a provider (a "
    "customer's record of its vendor's training data is not its own). A system that "
    "still holds a `TODO:` placeholder counts for nothing. A.10.4 (customers) is not "
    "checked: serving the public as a provider may rightly exclude it.",
    why="Clause 6.1.3 asks for a justification of each Annex A control left out of the "
    "Statement of Applicability. An exclusion that the organization's own records "
    "contradict (suppliers excluded beside a system built on a supplier's model) is the "
    "first thing an auditor reads as unjustified.",
    fix="Make the control applicable and record its status, or correct the system record "
    "if it is wrong. If the exclusion stands (the supplier's part is covered elsewhere), "
    "say why in its justification and waive this finding for the control.",
    example="kind: Control\nid: A.10.3\napplicable: false\njustification: We have no "
    "suppliers.   # SYS-CHAT lists third_parties: [{name: Hosted LLM, supplies: model}]",
)
def exclusion_contradicted(repo: Repository) -> Iterator[Finding]:
    placeholders = unwritten(repo)
    systems = [
        s for s in repo.of_kind(AISystem) if s.stage != "retired" and s.id not in placeholders
    ]
    for control in repo.of_kind(Control):
        subject = _SUBJECTS.get(control.id)
        if subject is None or control.applicable or not decided(control):
            continue
        field, what = subject
        named = sorted((s.id for s in systems if _records_subject(s, field)), key=natural_key)
        if not named:
            continue
        shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
        yield Finding(
            f"{control.id} is excluded, but {shown} {'records' if len(named) == 1 else 'record'} "
            f"{what} (`{field}`): check the exclusion, or make the control applicable",
            record=control.id,
            parts=("applicable",),
        )


def is_url(reference: str) -> bool:
    return _URL.match(reference) is not None


def path_problem(repo: Repository, reference: str) -> str | None:
    """Why a repository-relative path is unusable as evidence (None when it is fine).

    Evidence and documentation are files: a path that names a folder is a problem, in
    the working tree and in a git tree alike (where a folder is a prefix of files).
    """
    if NAME_CONTROLS.search(reference):
        return (
            f"path {reference!r} contains a control character (such as a NUL byte or a "
            "line break); write the plain file path"
        )
    if (
        PurePosixPath(reference).is_absolute()
        or reference.startswith("\\")
        or PureWindowsPath(reference).drive
    ):
        return f"path {reference!r} is absolute; write it relative to the repository root"
    normal = posixpath.normpath(reference)
    if normal == ".." or normal.startswith("../"):
        return f"path {reference!r} leads outside the repository (through '..')"
    if normal.split("/")[0].casefold() == ".git":
        # git's own files, never a version of the records: no evidence, and a report
        # would link them.
        return f"path {reference!r} is in the .git folder, which holds git's own files"
    # A symbolic link can lead out of the repository, on disk and in a git revision.
    source = repo.source if repo.source is not None else WorkingTree(repo.root)
    trouble = source.link_trouble(reference)
    if trouble is Unfollowed.LOOP:
        return (
            f"path {reference!r} cannot be followed (a symbolic link loop, or a name "
            "too long); point to the file itself"
        )
    if trouble is Unfollowed.OUTSIDE:
        return (
            f"path {reference!r} is a symbolic link (or passes through one) whose "
            "target is outside the repository"
        )
    if (problem := _back_out_of_link(source, reference, normal)) is not None:
        return problem
    if not repo.path_exists(normal):
        on_disk = WorkingTree(repo.root)
        if (
            repo.staged
            and on_disk.link_trouble(reference) is None
            and on_disk.followed(reference) == on_disk.followed(normal)
            and on_disk.is_file(normal)
        ):
            # On disk, but the commit would not hold it: CI's checkout would not either.
            # Not a link out of the repository (adding it would add that problem), nor a
            # `..` out of a link on disk that leads elsewhere than the text, and spelled as
            # the folder lists it.
            return (
                f"path {reference!r} is in the working tree but not staged, so the commit "
                "would not hold it; `git add` it (`git add -f` where .gitignore leaves it out)"
            )
        return f"path {reference!r} does not exist in the repository" + _spelled_otherwise(
            repo, reference
        )
    if not source.is_file(normal):
        if isinstance(source, WorkingTree) and not (repo.root / normal).is_dir():
            return (
                f"path {reference!r} is not a regular file (a pipe, socket or device); "
                "point to the document itself"
            )
        return (
            f"path {reference!r} is a folder, not a file; name the document itself "
            "(e.g. a file inside the folder)"
        )
    if reference.endswith("/") or reference.endswith("/."):
        # Read as a folder's name by every system (opening it fails: not a directory).
        return f"path {reference!r} ends with '/' but names a file; write it without the '/'"
    return _through_no_folder(source, reference)


def _back_out_of_link(source: FileSource, reference: str, normal: str) -> str | None:
    """Why ``reference`` names another file than its text reads as: a `..` that steps
    back out of a symbolic link to a folder (`linked/../a.md`, linked -> sub/deep)
    leads to that folder's parent (sub/a.md), as every system follows the link first,
    while the text reduces to a.md. None when both name the same file, or there is no
    `..` to read two ways."""
    if ".." not in reference.split("/"):
        return None
    opened = source.followed(reference)
    if opened == source.followed(normal):
        return None
    if (problem := _through_no_folder(source, reference)) is not None:
        # A link to a file, or to nothing: no system opens anything there.
        return problem
    missing = "" if source.exists(opened) else ", which does not exist in the repository"
    return (
        f"path {reference!r} steps back ('..') out of a symbolic link, so it leads to "
        f"{opened!r}{missing}, not to {normal!r} as it reads; write the path to the file "
        "without '..'"
    )


def _through_no_folder(source: FileSource, reference: str) -> str | None:
    """Why ``reference`` cannot be opened for a `..` that steps back out of something
    that is no folder (`a.md/x/..`, `gone/../a.md`): the text reduces to a file, but
    every system walks each name in turn and stops there. None when it can be."""
    parts = reference.split("/")
    for index, part in enumerate(parts):
        if part != ".." or index == 0:
            continue
        before = posixpath.normpath("/".join(parts[:index]))
        if before in ("", ".") or before == ".." or before.startswith("../"):
            continue
        # Where the names before the '..' lead, symbolic links on the way followed
        # first, as every system walks them (`filelink/..`, filelink -> a.md).
        written = "/".join(parts[:index])
        place = posixpath.normpath(source.followed(written))
        if not source.exists(place) or source.is_file(place):
            what = "a file" if source.exists(place) else "not in the repository"
            which = f"which is {what}"
            if place != before:  # a symbolic link on the way: name where it leads
                before, which = written, f"which leads to {place!r}, {what}"
            return (
                f"path {reference!r} steps back ('..') out of {before!r}, {which}, "
                "so it cannot be opened; write the path to the file without '..'"
            )
    return None


def _spelled_otherwise(repo: Repository, reference: str) -> str:
    """For a path that names no file: the file it names on Windows or macOS only, and
    why git and a Linux CI do not find it, as a clause to add; "" when there is none."""
    found = repo.spelled_otherwise(reference)
    if found is None:
        return ""
    if "\\" in reference:
        how = (
            "written with '\\' between folders, as Windows writes paths: write '/', "
            "which every system reads"
        )
    elif found.casefold() == reference.casefold():
        how = (
            "differing only in letter case: Windows and macOS find the file either way, "
            "git and a Linux CI do not; write the name as the file has it"
        )
    else:
        case = "" if name_key(found) == name_key(reference) else "in letter case and "
        how = (
            f"differing only {case}in how an accented letter is encoded (one character, "
            "or a letter and a combining accent, as macOS may write a file name): the "
            "two look the same, but git and Linux tell them apart; write the path as "
            "the file's name is written, or rename the file"
        )
    return f"; there is {found!r}, {how}"


def shows_nothing(repo: Repository, path: str) -> str | None:
    """Why an evidence file, usable as a path (:func:`evidence_path_problem`), shows
    nothing of a control at work: it is aims.yaml, or a file of Control records beside
    no record of work done (:attr:`Repository.control_files`: the Statement of
    Applicability), directly or through a symbolic link: those say what is claimed,
    not that it holds; or it holds no bytes at all (a file made and never filled in).
    A record of work done (an evaluation, an audit), also in a file beside a Control,
    can show it. None otherwise."""
    normal = posixpath.normpath(path)
    names = {normal, _link_target(repo, normal)}
    if _source(repo).is_empty(normal):
        return f"{path!r} is an empty file: it holds nothing to show"
    if CONFIG_FILE in names:
        return f"{path!r} is aims.yaml, the management system's settings"
    if names & repo.control_files:
        return (
            f"{path!r} is a file of Control records, the Statement of Applicability, "
            "which states the claim rather than shows it"
        )
    return None


def _link_target(repo: Repository, normal: str) -> str:
    """The file ``normal`` names once the symbolic links on its way are followed (in
    a folder above it too), from the repository root, in the working tree and at a
    git revision alike (:func:`path_problem` has refused one leading out)."""
    return _source(repo).followed(normal)


def _source(repo: Repository) -> FileSource:
    """Where ``repo``'s files come from: its source, else its working tree."""
    return repo.source if repo.source is not None else WorkingTree(repo.root)


def evidence_path_problem(repo: Repository, path: str) -> str | None:
    """Why a control's ``evidence[].path`` is unusable (AIMS206), None when it is fine:
    a link given as a path, or a :func:`path_problem`."""
    if is_url(path):
        return f"path {path!r} is a link; give it as `url:` instead of `path:`"
    return path_problem(repo, path)


@rule(
    codes.EVIDENCE_PATH,
    E,
    summary="A control's `evidence[].path`, a system's `documentation` entry, a policy's "
    "`document`, an internal audit's `report` or a management review's `minutes` is not a "
    "file inside the repository: it is absolute, escapes through `..` or a symbolic link, "
    "lies in `.git` (git's own files), does not exist, or names a folder (or a file with a "
    "trailing `/`, as if it were one), or steps back with `..` out of something that is "
    "no folder (`a.md/x/..`) or out of a symbolic link to a folder (which leads to the "
    "link target's parent, not where the text reads); or the policy's `document`, the "
    "audit's `report` or the review's `minutes` is an empty file. Links "
    "(`https://...`) are not checked, nor a `TODO:` placeholder in a policy's `document`, "
    "an audit's `report` or a review's `minutes` (AIMS107 reports it).",
    why="Evidence of implementation, system documentation, the policy text, audit reports "
    "and review minutes are documented information that must be available and controlled "
    "(7.5.3, 5.2, 9.2.2, 9.3.3, A.6.2.7). A path that is missing, or "
    "that points outside version control, is evidence nobody can inspect, and makes the "
    "result depend on the machine it runs on. A folder is not a document: it does not say "
    "which file shows the control working, and what is in it can change unnoticed. An "
    "empty file is a policy, report or minutes nobody wrote.",
    fix="Commit the file into the repository and write its path relative to the repository "
    "root (e.g. `evidence/bias-audit-2026.pdf`), or refer to it by URL. Evidence is a file: "
    "for a folder of evidence, list each file (or one index file that describes the rest). "
    "Write the path as the file is named, with '/' between folders: git and Linux (CI) "
    "tell letter case and the two ways of encoding an accented letter apart, even where a "
    "Windows or macOS file system finds the file anyway; a finding on such a path names "
    "the file.",
    example="kind: Control\nid: A.6.2.4\n...\nevidence:\n  - path: /home/me/tests.pdf",
)
def evidence_path(repo: Repository) -> Iterator[Finding]:
    for control in repo.of_kind(Control):
        for index, evidence in enumerate(control.evidence):
            if evidence.path is None:
                continue
            problem = evidence_path_problem(repo, evidence.path)
            if problem is not None:
                yield Finding(
                    f"evidence {problem}",
                    record=control.id,
                    parts=("evidence", index, "path"),
                )
    for system in repo.of_kind(AISystem):
        for index, reference in enumerate(system.documentation):
            if is_url(reference):
                continue
            problem = path_problem(repo, reference)
            if problem is not None:
                yield Finding(
                    f"documentation {problem}",
                    record=system.id,
                    parts=("documentation", index),
                )
    # The policy text, an audit report and review minutes are documents too: a path
    # to nothing would let an approved policy or a completed audit stand on no text.
    records: list[Policy | InternalAudit | ManagementReview] = [
        *repo.of_kind(Policy),
        *repo.of_kind(InternalAudit),
        *repo.of_kind(ManagementReview),
    ]
    for record in records:
        found = document_problem(repo, record)
        if found is not None:
            field, problem = found
            yield Finding(f"{field} {problem}", record=record.id, parts=(field,))
        elif (empty := empty_document(repo, record)) is not None:
            # A text nobody wrote (readiness counts the record for nothing, as here).
            yield Finding(
                f"{empty} path names an empty file: it holds nothing to inspect; write the "
                "document into it, or name the file that holds it",
                record=record.id,
                parts=(empty,),
            )


def document_problem(repo: Repository, record: Record) -> tuple[str, str] | None:
    """The field and why the document a policy (``document``), an internal audit
    (``report``) or a management review (``minutes``) names is unusable (AIMS206), None
    when it is fine or the record is of another kind. Links and placeholders are not
    checked. The readiness report leaves such a record uncounted, as validate refuses it."""
    named = _document(record)
    if named is None:
        return None
    field, text = named
    problem = path_problem(repo, text)
    return None if problem is None else (field, problem)


def empty_document(repo: Repository, record: Record) -> str | None:
    """The field of a policy, internal audit or management review whose document is a
    file with no bytes (links followed): a text nobody wrote, which readiness counts as
    none, as AIMS503 counts such a file as no evidence. None otherwise."""
    named = _document(record)
    if named is None or document_problem(repo, record) is not None:
        return None
    field, text = named
    return field if _source(repo).is_empty(posixpath.normpath(text)) else None


def _document(record: Record) -> tuple[str, str] | None:
    """The field and path of the document a policy, audit or review names in the
    repository; None for another kind, none named, a link or a placeholder."""
    if isinstance(record, Policy):
        field, text = "document", record.document
    elif isinstance(record, InternalAudit):
        field, text = "report", record.report
    elif isinstance(record, ManagementReview):
        field, text = "minutes", record.minutes
    else:
        return None
    if text is None or is_url(text) or is_placeholder(text):
        return None
    return field, text
