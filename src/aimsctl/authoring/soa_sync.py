"""`aimsctl soa sync`: a decision for every Annex A control, as a placeholder to fill in.

Every control of the catalogue the repository has no record of gets one, in the
file that holds the repository's Annex A controls (``controls/annex-a.yaml`` when
there is none), placed in catalogue order after the control before it; where the
repository keeps its Annex A controls one per file, each named by its control's id
in one folder (``controls/A.2.3.yaml``), each placeholder gets a file of its own
there, so that no file holds a control its name does not say; the
placeholder is the one `aimsctl init` writes, which validate reports (AIMS107) and
`aimsctl controls` counts as undecided until it is replaced. A control that has a
record, decided or not, valid or not, is never touched. Controls the repository
records that the catalogue no longer has are reported, not removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aimsctl import writing
from aimsctl.catalog import CatalogControl, annex_a, standard
from aimsctl.records import Control
from aimsctl.soa import decided, refused_controls
from aimsctl.text import by_letter_case, natural_key, wrap_words
from aimsctl.vocabulary import PLACEHOLDER

if TYPE_CHECKING:
    from aimsctl.repository import Repository

JUSTIFICATION = (
    f"{PLACEHOLDER} say why this control applies (and set its status), or set\n"
    "applicable: false and say why it does not."
)
DEFAULT_FILE = "annex-a.yaml"


@dataclass
class Obsolete:
    id: str
    path: str
    renamed: str | None  # the catalogue control that lists it as an alias


@dataclass
class Written:
    """One file a sync writes: ``rel`` gets the placeholders of ``added``."""

    rel: str
    added: list[str]
    change: writing.Change


@dataclass
class Sync:
    added: list[str] = field(default_factory=list)
    writes: list[Written] = field(default_factory=list)  # all of them or none
    obsolete: list[Obsolete] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # Annex A ids whose record is not valid
    undecided: list[str] = field(default_factory=list)  # recorded, still a placeholder
    drafted: list[str] = field(default_factory=list)  # only in a file aims.yaml excludes
    # A record whose id differs from the control's in letter case only: (control, id).
    spelt_otherwise: list[tuple[str, str]] = field(default_factory=list)


def _file_of_annex_a(repo: Repository) -> str:
    counts: Counter[str] = Counter(
        repo.entries[c.id].document.source.path for c in repo.of_kind(Control) if c.is_annex_a
    )
    if counts:
        return counts.most_common(1)[0][0]
    return f"{Control.FOLDER}/{DEFAULT_FILE}"


def _folder_of_one_per_file(repo: Repository) -> tuple[str, str] | None:
    """(folder, suffix) where every Annex A control of the repository is the only
    record of a file named by its id (``controls/A.2.3.yaml``), all in one folder;
    None for any other layout (one file of them all, or a mix), which keeps the
    placeholders in the file that holds most of them (:func:`_file_of_annex_a`)."""
    records: Counter[str] = Counter(entry.document.source.path for entry in repo.entries.values())
    places: set[tuple[str, str]] = set()
    for control in repo.of_kind(Control):
        if not control.is_annex_a:
            continue
        rel = repo.entries[control.id].document.source.path
        folder, _, name = rel.rpartition("/")
        stem, dot, suffix = name.rpartition(".")
        if records[rel] != 1 or not dot or stem != control.id:
            return None
        places.add((folder, f".{suffix}"))
    return places.pop() if len(places) == 1 else None


def _owner(repo: Repository) -> str:
    from aimsctl.scaffold import CONTROL_OWNER

    owners = Counter(c.owner for c in repo.of_kind(Control) if c.is_annex_a and c.owner)
    return owners.most_common(1)[0][0] if owners else CONTROL_OWNER


def placeholder(control: CatalogControl, owner: str) -> Any:
    """The undecided decision for one control, with its title and summary above it."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    text = JUSTIFICATION.replace("\n", " ")
    folded = FoldedScalarString(text)
    folded.fold_pos = [JUSTIFICATION.index("\n")]
    document = writing.to_round_trip(
        {
            "kind": "Control",
            "id": control.id,
            "owner": owner,
            "applicable": True,
            "justification": "",
            "status": "not-started",
        }
    )
    document["justification"] = folded
    summary = wrap_words(control.summary, 84)
    document.yaml_set_start_comment("\n".join([f"{control.id} {control.title}", *summary]))
    return document


def obsolete_controls(repo: Repository) -> list[Obsolete]:
    """Control records whose Annex A id the catalogue does not have."""
    from aimsctl import codes

    catalogue = annex_a()
    aliases = {alias: c.id for c in catalogue.values() for alias in c.aliases}
    found: dict[str, Obsolete] = {}
    for diagnostic in repo.diagnostics:
        record = diagnostic.record
        if (
            diagnostic.code == codes.UNKNOWN_ANNEX_A_ID
            and record
            and record not in found
            and repo.kind_of(record) == "Control"
        ):
            found[record] = Obsolete(record, diagnostic.path, aliases.get(record))
    return [found[key] for key in sorted(found)]


def plan(repo: Repository) -> Sync:
    """What `soa sync` would add and report (nothing is written)."""
    from aimsctl.authoring.new import ids_in_excluded_files, ids_in_unreadable_files

    catalogue = annex_a()
    # A placeholder beside a refused record of the control would be a second record;
    # so would one beside a record in a file that cannot be read, once it is fixed.
    invalid = refused_controls(repo)
    invalid |= ids_in_unreadable_files(repo) - set(repo.entries)
    present = {control.id for control in repo.of_kind(Control)} | invalid
    missing = [c for c in catalogue.values() if c.id not in present]
    sync = Sync(
        obsolete=obsolete_controls(repo), invalid=sorted(invalid & set(catalogue), key=natural_key)
    )
    recorded = {control.id: control for control in repo.of_kind(Control)}
    sync.undecided = [
        c.id for c in catalogue.values() if c.id in recorded and not decided(recorded[c.id])
    ]
    if not missing:
        return sync
    rel = _file_of_annex_a(repo)
    writing.refuse_excluded(  # never read, so every run would add them again
        rel, repo.config.exclude, "controls", "keep the Annex A controls in another file first"
    )
    # A control drafted in another excluded file would be a second record once the
    # draft is moved in: it gets no placeholder, and is named.
    drafted = set(ids_in_excluded_files(repo))
    sync.drafted = [c.id for c in missing if c.id in drafted]
    missing = [c for c in missing if c.id not in drafted]
    # `a.5.2` was probably meant as A.5.2: a placeholder beside it would leave two
    # records people read as one (AIMS211), and the decision it holds undone.
    # (A record of another kind by the control's id itself is not this.)
    ids = {*repo.entries, *repo.invalid, *invalid} - set(catalogue)
    folded = {key: alike[0] for key, alike in by_letter_case(ids).items()}
    sync.spelt_otherwise = [
        (c.id, folded[c.id.casefold()]) for c in missing if c.id.casefold() in folded
    ]
    missing = [c for c in missing if c.id.casefold() not in folded]
    if not missing:
        return sync
    owner = _owner(repo)
    sync.added = [c.id for c in missing]
    one_per_file = _folder_of_one_per_file(repo)
    if one_per_file is not None:
        sync.writes = _one_file_each(repo, missing, owner, *one_per_file)
        return sync
    path = repo.root / rel
    order = list(catalogue)
    if not path.exists():
        text = writing.dump_all([placeholder(c, owner) for c in missing])
        header = (
            f"# Statement of Applicability: the Annex A controls of {standard()}, in "
            "catalogue order (6.1.3).\n# Decide each: replace the TODO: justification, or set "
            "applicable: false and say why.\n"
        )
        change = writing.plan_create(path, header + text, rel, root=repo.root)
        sync.writes = [Written(rel, sync.added, change)]
        return sync

    def insert(documents: list[Any]) -> None:
        for control in missing:
            rank = order.index(control.id)
            position = 0
            for index, document in enumerate(documents):
                other = document.get("id") if isinstance(document, dict) else None
                if isinstance(other, str) and other in catalogue and order.index(other) < rank:
                    position = index + 1
            if position == 0:  # below the file's header comment, not above it
                writing.insert_first(documents, placeholder(control, owner))
            else:
                documents.insert(position, placeholder(control, owner))

    change = writing.plan_edit(
        path, insert, rel, records=False, new_problems_only=True, root=repo.root
    )
    sync.writes = [Written(rel, sync.added, change)]
    return sync


def _one_file_each(
    repo: Repository, missing: list[CatalogControl], owner: str, folder: str, suffix: str
) -> list[Written]:
    """A new file for each placeholder, beside the files of the other controls, each
    planned and checked before any is written (UsageError or WriteRefused otherwise)."""
    from aimsctl.authoring.new.placement import unportable
    from aimsctl.errors import UsageError

    writes = []
    for control in missing:
        rel = f"{folder}/{control.id}{suffix}" if folder else f"{control.id}{suffix}"
        writing.refuse_excluded(
            rel, repo.config.exclude, "a control", "keep the Annex A controls in one file"
        )
        problem = unportable(repo.root, rel)
        if problem is not None:
            raise UsageError(f"{problem}; nothing was written")
        text = writing.dump_all([placeholder(control, owner)])
        change = writing.plan_create(repo.root / rel, text, rel, root=repo.root)
        writes.append(Written(rel, [control.id], change))
    return writes
