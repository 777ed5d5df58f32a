"""Finding record files and reading them: hidden paths, excludes, links, faults."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimsctl import yamlsafe
from aimsctl.loader import (
    FileTree,
    Locator,
    ParseMemo,
    WorkingTree,
    is_excluded,
    load_files,
    loading,
    locating,
    parse_file,
    read_bytes,
    record_paths,
)
from conftest import MINIMAL_CONFIG, CliResult


def test_record_paths_skip_hidden_config_and_other_files(tmp_path: Path) -> None:
    for rel in [
        "aims.yaml",
        "a.yaml",
        "b.yml",
        "c.txt",
        ".hidden.yaml",
        ".git/x.yaml",
        "sub/.secret/y.yaml",
        "sub/z.yaml",
        "drafts/d.yaml",
        "drafts/deep/e.yaml",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: X\n")
    assert list(record_paths(tmp_path, ["drafts/**"])) == ["a.yaml", "b.yml", "sub/z.yaml"]


@pytest.mark.parametrize(
    ("path", "patterns", "excluded"),
    [
        ("drafts/a.yaml", ["drafts/**"], True),
        ("drafts/x/a.yaml", ["drafts"], True),
        ("risks/draft-1.yaml", ["**/draft-*.yaml"], True),
        ("draft-1.yaml", ["**/draft-*.yaml"], True),
        ("risks/r.yaml", ["*.yaml"], False),
        ("r.yaml", ["*.yaml"], True),
        ("risks/r.yaml", ["risks/?.yaml"], True),
        ("risks/rr.yaml", ["risks/?.yaml"], False),
        # Accents in either Unicode form: what a Mac wrote matches what Linux typed.
        ("brouillons-e\u0301/a.yaml", ["brouillons-\u00e9"], True),
        ("brouillons-\u00e9/a.yaml", ["brouillons-e\u0301/**"], True),
        ("risks/e\u0301.yaml", ["risks/?.yaml"], True),
        ("brouillons-e/a.yaml", ["brouillons-\u00e9"], False),
    ],
)
def test_exclude_globs(path: str, patterns: list[str], excluded: bool) -> None:
    assert is_excluded(path, patterns) is excluded


def _by_backtracking(path: str, pattern: str) -> bool:
    """The globs' meaning as a regular expression (what aimsctl once ran, and what
    can take years on a hostile pattern): the reference for short inputs."""
    pieces = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    regex, i = "", 0
    while i < len(pattern):
        wildcard = next((w for w in pieces if pattern.startswith(w, i)), None)
        regex += pieces[wildcard] if wildcard else re.escape(pattern[i])
        i += len(wildcard) if wildcard else 1
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(re.fullmatch(regex, prefix) for prefix in prefixes)


_GLOB_PARTS = st.sampled_from(["a", "b", "ab", ".", "/", "*", "**", "**/", "?", "y"])


@settings(max_examples=3000, derandomize=True, database=None, deadline=None)
@given(
    path=st.text(alphabet="ab/.y", max_size=12),
    pattern=st.lists(_GLOB_PARTS, max_size=7).map("".join),
)
def test_exclude_globs_mean_what_the_backtracking_reference_means(path: str, pattern: str) -> None:
    assert is_excluded(path, [pattern]) is _by_backtracking(path, pattern.rstrip("/"))


def test_a_hostile_exclude_pattern_does_not_stall_validate(tmp_path: Path) -> None:
    """`**a**a...b` over a long path of a's: a backtracking matcher would take years
    (the run below once did not end); matching is linear in the pattern's parts. A
    separate process, so that a regression fails the test instead of hanging it."""
    folder = "a" * 120
    root = tmp_path / "repo"
    (root / folder).mkdir(parents=True)
    (root / "aims.yaml").write_text(
        'version: 1\norganization: X\nexclude: ["' + "**a" * 12 + '**b"]\n'
    )
    (root / folder / f"{folder}.yaml").write_text("kind: Risk\nid: R-1\n")
    done = subprocess.run(
        [sys.executable, "-m", "aimsctl", "validate", str(root), "--no-cache", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the record is read (not excluded) and checked
    assert f"{folder}/{folder}.yaml" in done.stdout


def test_an_exclude_glob_covers_a_folder_a_mac_wrote_decomposed(
    make_repo: Callable[..., Path], cli: Callable[..., CliResult]
) -> None:
    """aims.yaml typed with a composed é; the drafts folder, copied from a Mac, names
    it as e and a combining accent. The two look alike, so the glob covers it: the
    draft is not read as a record (it would fail: it is no record)."""
    root = make_repo(
        {"brouillons-e\u0301/notes.yaml": "just: notes\n"},
        config=MINIMAL_CONFIG + 'exclude: ["brouillons-\u00e9/**"]\n',
    )
    done = cli("validate", root, "--no-cache")
    assert "notes.yaml" not in done.stdout + done.stderr, done.stdout


def test_several_documents_and_trailing_separator(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("kind: A\nid: one\n---\nkind: B\nid: two\n---\n")
    loaded = load_files(WorkingTree(tmp_path), ["c.yaml"])
    assert [d.data["id"] for d in loaded.documents] == ["one", "two"]
    assert loaded.diagnostics == []


def test_symlink_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("kind: Risk\nid: SECRET\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.yaml").symlink_to(outside)
    loaded = load_files(WorkingTree(repo), ["link.yaml"])
    assert loaded.documents == []
    assert [(d.code, d.path) for d in loaded.diagnostics] == [("AIMS008", "link.yaml")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("kind: Risk\n")
    path.chmod(0)
    loaded = load_files(WorkingTree(tmp_path), ["r.yaml"])
    assert [d.code for d in loaded.diagnostics] == ["AIMS008"]


def test_vanished_file_is_a_diagnostic(tmp_path: Path) -> None:
    loaded = load_files(WorkingTree(tmp_path), ["gone.yaml"])
    assert [(d.code, d.message) for d in loaded.diagnostics] == [
        ("AIMS008", "file disappeared while the repository was being read; run again")
    ]


def test_unreadable_record_file_end_to_end(
    make_repo: Callable[..., Path], cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"risks/r.yaml": "kind: Risk\n"})
    original = os.open

    def deny(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(os.fspath(path)) == "r.yaml":
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = cli("validate", root, "--as-of", "2026-11-26")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "risks/r.yaml:1:1: error AIMS008 file cannot be read (permission denied)" in (
        result.stdout  # type: ignore[attr-defined]
    )


def test_a_read_cut_short_is_read_on_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system may return fewer bytes than asked for; the file is read whole, and
    nothing is asked for past its end."""
    content = b"kind: Risk\nid: R-1\ntitle: a title longer than one read\n"
    (tmp_path / "r.yaml").write_bytes(content)
    original = os.read
    asked: list[int] = []

    def short(fd: int, size: int) -> bytes:
        asked.append(size)
        return original(fd, min(size, 7))

    monkeypatch.setattr(os, "read", short)
    assert read_bytes(tmp_path, "r.yaml") == (content, None)
    assert len(asked) == -(-len(content) // 7)


def test_file_tree_source_reads_from_memory() -> None:
    tree = FileTree(
        {"aims.yaml": b"", "risks/r.yaml": b"kind: Risk\nid: R-1\n", "evidence/a.md": b""}
    )
    loaded = load_files(tree, ["risks/r.yaml", "risks/missing.yaml"])
    assert [d.data["id"] for d in loaded.documents] == ["R-1"]
    assert [d.code for d in loaded.diagnostics] == ["AIMS008"]
    assert tree.exists("evidence/a.md") and tree.exists("evidence")
    assert not tree.exists("evidence/b.md")


# --- the run's budget of values -----------------------------------------------------


def _values(count: int) -> bytes:
    """A file of one flow list: ``count`` values, the list and its items."""
    return ("[" + ", ".join(["x"] * (count - 1)) + "]\n").encode()


@pytest.mark.parametrize("with_memo", [True, False])
def test_files_after_the_run_budget_ran_out_are_reported_not_parsed(
    with_memo: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    parse_file = loading.parse_file

    def recording(rel: str, raw: bytes, budget: yamlsafe.Budget | None = None) -> Any:
        parsed.append(rel)
        return parse_file(rel, raw, budget)

    monkeypatch.setattr(loading, "parse_file", recording)
    small = yamlsafe.Budget(values=1_000)
    monkeypatch.setattr(yamlsafe, "Budget", lambda: small)  # what a load starts with
    tree = FileTree(
        {
            "a.yaml": _values(600),
            # Runs out in its second document, so the third is not read.
            "b.yaml": b"kind: B\n---\n" + _values(600) + b"---\nkind: C\n",
            "c.yaml": _values(1),
            "d.yaml": b"kind: D\n",
        }
    )
    memo = ParseMemo() if with_memo else None
    loaded = load_files(tree, ["a.yaml", "b.yaml", "c.yaml", "d.yaml"], memo)
    assert parsed == ["a.yaml", "b.yaml"]
    assert [(d.path, d.code, d.line) for d in loaded.diagnostics] == [
        ("b.yaml", "AIMS006", 3),
        ("c.yaml", "AIMS006", 1),
        ("d.yaml", "AIMS006", 1),
    ]
    assert loaded.diagnostics[0].message.startswith(
        f"the files read so far hold more than {yamlsafe.MAX_RUN_VALUES} values in all"
    )
    assert loaded.diagnostics[2].message == (
        f"file not read: the files read before it hold more than {yamlsafe.MAX_RUN_VALUES} "
        "values in all, counted with aliases expanded, the most one run reads (the limit "
        "was reached in b.yaml); exclude generated or oversized files in aims.yaml, or "
        "remove aliases"
    )
    # b.yaml's first document was read; positions compose no more than was read.
    assert [d.source.path for d in loaded.documents] == ["a.yaml", "b.yaml"]
    assert loaded.documents[1].source.documents == 2
    assert Locator().position(loaded.documents[1], ("kind",)) == (1, 7)


def test_positions_keep_only_the_last_files_composed() -> None:
    """A finding on every record must not keep every file's nodes alive: the locator
    keeps the last KEPT_FILES files it composed, and one composed again after it let the
    file go gives the same positions."""
    count = locating.KEPT_FILES + 5
    tree = FileTree({f"r{n}.yaml": b"kind: Risk\nid: R-%d\ntitle: T\n" % n for n in range(count)})
    loaded = load_files(tree, sorted(tree.files), ParseMemo())
    locator = Locator()
    first = [locator.position(d, ("title",)) for d in loaded.documents]
    assert len(locator._nodes) == locating.KEPT_FILES
    kept = {document.source for document in loaded.documents[-locating.KEPT_FILES :]}
    assert set(locator._nodes) == kept
    again = [locator.position(d, ("title",)) for d in loaded.documents]
    assert first == again == [(3, 8)] * count
    assert len(locator._nodes) == locating.KEPT_FILES


def test_a_file_parsed_once_spends_the_run_budget_once() -> None:
    """The two sides of `aimsctl diff` share a memo: an unchanged file is parsed once
    and spends from the run's budget once."""
    memo = ParseMemo()
    memo.budget = yamlsafe.Budget(values=1_000)
    first = load_files(FileTree({"a.yaml": _values(600)}), ["a.yaml"], memo)
    second = load_files(FileTree({"a.yaml": _values(600)}), ["a.yaml"], memo)
    assert memo.budget.values == 400
    assert second.documents[0] is first.documents[0] and second.diagnostics == []
    # The same path with other bytes is another file: it spends, and runs out.
    third = load_files(FileTree({"a.yaml": _values(601)}), ["a.yaml"], memo)
    assert [(d.code, d.path) for d in third.diagnostics] == [("AIMS006", "a.yaml")]
    assert memo.budget.spent and memo.spent_in == "a.yaml"


def test_released_data_is_parsed_again_once_for_the_whole_file() -> None:
    # Validation lets a valid record's data go once its model is built; anything that
    # still asks for it gets the same data, the file parsed again once, not per document.
    raw = b"kind: Risk\nid: R-1\ntags: [a, b]\n---\nkind: Risk\nid: R-2\n---\nkind: Risk\nid: R-3\n"
    documents, _ = parse_file("risks/all.yaml", raw)
    before = [document.data for document in documents]
    for document in documents:
        document.release()
    source = documents[0].source
    assert source.reparsed is None
    assert [document.data for document in documents] == before
    assert source.reparsed is not None and sorted(source.reparsed) == [0, 1, 2]
    first = documents[0].data
    assert documents[0].data is first  # kept once asked for


def test_validate_keeps_the_data_the_text_rules_read() -> None:
    # The documents whose data validation lets go are exactly those the rules reading
    # every text skip: ASCII without an escape or the placeholder marker.
    from aimsctl.rules.texts import read_by_text_rules

    cases = {
        b"kind: Risk\nid: R-1\n": False,
        b"kind: Risk\nid: R-1\ntitle: caf\xc3\xa9\n": True,
        b'kind: Risk\nid: R-1\ntitle: "\\u202e"\n': True,
        b"kind: Risk\nid: R-1\ntitle: 'TODO: later'\n": True,
    }
    for raw, read in cases.items():
        documents, _ = parse_file("risks/r.yaml", raw)
        assert read_by_text_rules(documents[0]) is read, raw


def test_a_working_tree_shows_the_bytes_it_read(tmp_path: Path) -> None:
    """What history and provenance compare with git: the files read so far and
    readable, as a view that follows later reads."""
    (tmp_path / "a.yaml").write_bytes(b"id: A\n")
    (tmp_path / "b.yaml").write_bytes(b"id: B\n\x00")
    tree = WorkingTree(tmp_path)
    read = tree.bytes_read()
    assert dict(read) == {}
    tree.read("a.yaml")
    tree.read("missing.yaml")
    assert dict(read) == {"a.yaml": b"id: A\n"}
    assert read.get("missing.yaml") is None and len(read) == 1
    tree.read("b.yaml")
    assert read["b.yaml"] == b"id: B\n\x00"  # bytes as read; judging them is the loader's


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_on_two_cores_each_file_is_handed_on_before_the_later_ones_are_received(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A load on two cores hands each file's documents on (``then``: validation builds
    its records and lets their data go) as its workers' parses arrive, in the order of
    the paths, instead of holding every file's parse first: at 50,000 records that
    was most of the peak memory of validation."""
    from aimsctl import workers

    files = {f"r/{n:04}.yaml": f"kind: Risk\nid: R-{n}\n".encode() for n in range(64 * 20)}
    paths = sorted(files)
    received: list[int] = []
    real_unpack = workers.unpack

    def unpack(packed: bytes) -> Any:
        received.append(len(received))
        return real_unpack(packed)

    handed: list[tuple[str, int]] = []  # each file handed on, and the tasks received then

    def then(documents: list[Any]) -> None:
        handed.extend((d.source.path, len(received)) for d in documents)

    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    monkeypatch.setattr(workers, "unpack", unpack)
    loaded = load_files(FileTree(files), paths, two_cores=True, then=then)
    assert [path for path, _ in handed] == paths == [d.source.path for d in loaded.documents]
    assert [d.data for d in loaded.documents][:1] == [{"kind": "Risk", "id": "R-0"}]
    assert len(received) == 20  # every file came from the workers
    assert handed[0][1] == 1  # the first file was handed on with its own task alone
    assert handed[64 * 10][1] == 11  # ... and the 11th task's first with 11 received
