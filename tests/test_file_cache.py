"""The per-file cache (cache.FileCache): when one file of a repository changes, the
others are not parsed again, and the answer is still byte for byte `--no-cache`'s.

Random edit sequences on a copy of the bundled example compare the JSON output of
a cached run with a `--no-cache` run after every step (derandomized; more steps with
HYPOTHESIS_PROFILE=long). Damaged, planted and foreign entries are misses.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aimsctl.cache.file_cache
import aimsctl.cache.hashing
import aimsctl.cache.key
import aimsctl.loader.parsing
import aimsctl.workers
from aimsctl import yamlsafe
from aimsctl.cache import FileCache, ResultCache
from aimsctl.cli import main
from aimsctl.config import parse_config
from aimsctl.loader import parse_file, record_paths
from aimsctl.loader.parsing import cached_parse
from conftest import AS_OF, EXAMPLE, MINIMAL_CONFIG
from factory import risk, yaml_of
from gitrepo import GitRepo

DAY = date.fromisoformat(AS_OF)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def _validate(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    return code, out.getvalue(), err.getvalue()


def _same_as_no_cache(root: Path) -> None:
    cached = _validate(root)
    assert cached == _validate(root, "--no-cache")


def _record_files(root: Path) -> int:
    """How many record files a run reads."""
    config = parse_config((root / "aims.yaml").read_bytes())
    return len(record_paths(root, config.exclude))


def _files_entry(root: Path) -> Path:
    path = FileCache(root).path
    assert path is not None
    return path


def _typed(value: Any) -> Any:
    """A value with every type spelled out: 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


# --- a cached parse is the parse -----------------------------------------------------

ODD = (
    "kind: Risk\nid: R-ODD\ntitle: 'odd \\u202e values'\nn: 1\nf: 1.0\nz: -0.0\n"
    "inf: .inf\nnan: .nan\nbig: 123456789012345678901234567890\nyes: true\nnone: ~\n"
    'q: "\\ud800 lone"\nlist: [1, "1", 1.5, null, {a: [b]}]\nhex: 0x1F\n'
    "---\n---\nkind: Control\nid: A.5.2\nempty: ''\nlong: |\n  two\n  lines\n"
)


@pytest.mark.parametrize(
    "text",
    [ODD, "kind: [\n", "- a list\n", "", "a: 1\na: 2\n", "\ufeffkind: Risk\nid: R-1\n"],
    ids=["odd-values", "broken", "list", "empty", "duplicate-key", "bom"],
)
def test_a_replayed_parse_equals_a_fresh_one(text: str, tmp_path: Path) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    cache = FileCache(tmp_path / "repo", tmp_path / "cache")
    budget = yamlsafe.Budget()
    first = cached_parse("risks/r.yaml", raw, budget, cache)
    cache.save()
    again = FileCache(tmp_path / "repo", tmp_path / "cache")  # read back from the entry
    replay_budget = yamlsafe.Budget()
    replayed = cached_parse("risks/r.yaml", raw, replay_budget, again)
    assert again.hits == 1
    fresh_documents, fresh_problems = parse_file("risks/r.yaml", raw, yamlsafe.Budget())
    for documents, problems in (first, replayed):
        assert problems == fresh_problems
        assert [
            (d.source.path, d.source.text, d.source.documents, d.index, d.line, d.column)
            for d in documents
        ] == [
            (d.source.path, d.source.text, d.source.documents, d.index, d.line, d.column)
            for d in fresh_documents
        ]
        assert [_typed(d.data) for d in documents] == [_typed(d.data) for d in fresh_documents]
    assert replay_budget == budget  # the values it took are spent again


def test_a_parse_that_depends_on_the_run_budget_is_not_replayed(tmp_path: Path) -> None:
    raw = b"kind: Risk\nid: R-1\ntitle: t\n"
    anchored = b"kind: Risk\nid: R-2\nowner: &o someone\ndescription: *o\n"
    cache = FileCache(tmp_path / "repo", tmp_path / "cache")
    low = yamlsafe.Budget(values=yamlsafe.MAX_FILE_VALUES - 1)
    cached_parse("a.yaml", raw, low, cache)  # the run's budget, not the file's, limits it
    cached_parse("b.yaml", anchored, yamlsafe.Budget(), cache)  # aliases spend the run's
    cache.save()
    assert cache.path is not None and not cache.path.exists()  # nothing worth storing
    cached_parse("a.yaml", raw, yamlsafe.Budget(), cache)
    cache.save()
    again = FileCache(tmp_path / "repo", tmp_path / "cache")
    cached_parse("a.yaml", raw, yamlsafe.Budget(values=yamlsafe.MAX_FILE_VALUES - 1), again)
    assert again.hits == 0  # a low budget parses afresh
    cached_parse("a.yaml", raw, yamlsafe.Budget(), again)
    assert again.hits == 1


def _run_through(cache: FileCache, raws: dict[str, bytes]) -> None:
    for rel, raw in raws.items():
        cached_parse(rel, raw, yamlsafe.Budget(), cache)
    cache.save()


def test_a_few_fresh_parses_keep_the_entry(tmp_path: Path) -> None:
    """Fewer than 1 in 100 files parsed afresh: the entry is not rewritten (a later
    run parses those again); 1 in 100, parsed or gone, and it is."""
    repo, folder = tmp_path / "repo", tmp_path / "cache"
    raws = {f"risks/r{n}.yaml": f"kind: Risk\nid: R-{n}\n".encode() for n in range(200)}
    first = FileCache(repo, folder)
    _run_through(first, raws)
    assert first.path is not None
    written = first.path.read_bytes()

    raws["risks/r7.yaml"] = b"kind: Risk\nid: R-7\ntitle: edited\n"
    one_edit = FileCache(repo, folder)
    _run_through(one_edit, raws)
    assert one_edit.hits == 199 and first.path.read_bytes() == written

    raws["risks/r8.yaml"] = b"kind: Risk\nid: R-8\ntitle: edited\n"
    two_edits = FileCache(repo, folder)
    _run_through(two_edits, raws)
    assert two_edits.hits == 198 and first.path.read_bytes() != written
    after = FileCache(repo, folder)
    _run_through(after, raws)
    assert after.hits == 200
    written = first.path.read_bytes()

    del raws["risks/r1.yaml"], raws["risks/r2.yaml"]
    _run_through(FileCache(repo, folder), raws)
    assert first.path.read_bytes() != written
    assert '"risks/r1.yaml"' not in first.path.read_text("ascii")


# --- the cache is used ----------------------------------------------------------------


def test_after_a_one_file_edit_only_that_file_is_parsed(
    example_copy: Path, parsed: Counter[str]
) -> None:
    _validate(example_copy)
    assert sum(parsed.values()) > 40  # every record file, the first time
    risk_file = sorted((example_copy / "risks").glob("*.yaml"))[0]
    risk_file.write_text(risk_file.read_text().replace("title: ", "title: Edited ", 1))
    parsed.clear()
    _same_as_no_cache(example_copy)  # the cached run first, then --no-cache
    assert parsed["risks/" + risk_file.name] == 2  # the edited file, in both runs
    parsed.pop("risks/" + risk_file.name)
    files = _record_files(example_copy)
    assert sum(parsed.values()) == files - 1  # the others only by the --no-cache run
    assert all(count == 1 for count in parsed.values())


def test_after_a_one_file_edit_each_file_is_hashed_once(
    example_copy: Path, parsed: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key hashes every file's bytes; the per-file cache matches a file by the
    same digest and takes the key's instead of hashing the bytes again (at 10,000
    files, 10 ms of every run after an edit). A file the cache lacks is stored under
    that digest too, and the next run finds it."""
    _validate(example_copy)
    risk_file = sorted((example_copy / "risks").glob("*.yaml"))[0]
    risk_file.write_text(risk_file.read_text().replace("title: ", "title: Edited ", 1))
    hashed: Counter[bytes] = Counter()
    real = aimsctl.cache.hashing.content_digest

    def counting(raw: bytes) -> Any:
        hashed[raw] += 1
        return real(raw)

    monkeypatch.setattr(aimsctl.cache.key, "content_digest", counting)
    monkeypatch.setattr(aimsctl.cache.file_cache, "content_digest", counting)
    parsed.clear()
    edited = _validate(example_copy)
    assert len(hashed) > 40 and set(hashed.values()) == {1}
    assert dict(parsed) == {"risks/" + risk_file.name: 1}
    parsed.clear()
    assert _validate(example_copy, "--no-cache") == edited
    touched = example_copy / "risks" / "touched.yaml"  # the result entry misses again
    touched.write_text(yaml_of(risk("R-TOUCHED")))
    parsed.clear()
    _validate(example_copy)
    assert dict(parsed) == {"risks/touched.yaml": 1}  # the edited file was found by its digest


def test_the_entry_holds_only_the_files_of_the_last_run(example_copy: Path) -> None:
    _validate(example_copy)
    risk_file = sorted((example_copy / "risks").glob("*.yaml"))[0]
    risk_file.unlink()
    _validate(example_copy)
    body = json.loads(_files_entry(example_copy).read_bytes().partition(b"\n")[2])
    assert "risks/" + risk_file.name not in body
    assert len(body) == _record_files(example_copy)


def test_a_staged_run_parses_through_the_entry(tmp_path: Path, parsed: Counter[str]) -> None:
    """`validate --staged` (the pre-commit hook) takes a staged file's parse from the
    entry when its bytes match, whichever run stored it, and answers as --no-cache."""
    work = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    work.commit("records")
    _validate(work.root)  # a working-tree run stores every file
    risk = sorted((work.root / "risks").glob("*.yaml"))[0]
    rel = "risks/" + risk.name
    text = risk.read_text()
    work.write({rel: text.replace("title: ", "title: Staged ", 1)})
    work.git("add", rel)
    work.write({rel: "kind: [\n"})  # on disk only: the commit holds the staged title
    parsed.clear()
    staged = _validate(work.root, "--staged")
    assert staged[0] == 0 and dict(parsed) == {rel: 1}
    assert staged == _validate(work.root, "--staged", "--no-cache")
    parsed.clear()
    work.git("add", rel)  # now the broken text is staged
    broken = _validate(work.root, "--staged")
    assert broken[0] == 1 and dict(parsed) == {rel: 1}
    assert broken == _validate(work.root, "--staged", "--no-cache")


# --- damaged, planted and foreign entries are misses ---------------------------------


def _edit_one(root: Path) -> None:
    path = root / "systems" / "SYS-HIRE.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Edited ", 1))


@pytest.mark.parametrize(
    "damage",
    [
        "flip-payload",
        "truncate",
        "other-key",
        "digest-not-ascii",
        "item-of-another-file",
        "bad-item",
        "not-json",
    ],
)
def test_a_damaged_or_planted_entry_is_a_miss(
    example_copy: Path, parsed: Counter[str], damage: str
) -> None:
    _validate(example_copy)
    entry = _files_entry(example_copy)
    header, _, payload = entry.read_bytes().partition(b"\n")
    body = json.loads(payload)
    risks = sorted(rel for rel in body if rel.startswith("risks/"))
    if damage == "flip-payload":
        payload = payload.replace(b"Risk", b"Rusk", 1)
    elif damage == "truncate":
        payload = payload[: len(payload) // 2]
    elif damage == "other-key":  # a well-formed entry made for another key
        head = json.loads(header)
        head["key"] = "0" * 64
        header = json.dumps(head).encode()
    elif damage == "digest-not-ascii":  # hmac.compare_digest raises on such text
        head = json.loads(header)
        head["digest"] = "\u00e9" * 64
        header = json.dumps(head).encode()
    elif damage == "not-json":
        header, payload = b"\x80\x00", b"\xff"
    else:
        if damage == "item-of-another-file":  # a planted parse under a right digest
            body[risks[0]] = [body[risks[0]][0], body[risks[1]][1]]
        else:
            body[risks[0]] = [body[risks[0]][0], [None, 0, [[0, None, 1, 1]], []]]
        payload = json.dumps(body).encode()
        # The digest binds the payload to its key; a planted payload fails it.
    entry.write_bytes(header + b"\n" + payload)
    _edit_one(example_copy)
    parsed.clear()
    _same_as_no_cache(example_copy)
    files = _record_files(example_copy)
    assert sum(parsed.values()) == 2 * files  # nothing came from the damaged entry


def test_an_entry_of_another_repository_is_a_miss(
    example_copy: Path, tmp_path: Path, parsed: Counter[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(example_copy, other)
    _validate(other)
    shutil.copy(_files_entry(other), _files_entry(example_copy))
    os.chmod(_files_entry(example_copy), 0o600)
    parsed.clear()
    _validate(example_copy)
    assert sum(parsed.values()) == _record_files(example_copy)


@pytest.mark.parametrize("what", ["group-writable", "link", "folder"])
def test_an_entry_that_is_not_a_private_file_is_not_read(
    example_copy: Path, tmp_path: Path, parsed: Counter[str], what: str
) -> None:
    _validate(example_copy)
    entry = _files_entry(example_copy)
    if what == "group-writable":
        entry.chmod(0o620)
    elif what == "link":
        moved = tmp_path / "moved.json"
        entry.rename(moved)
        entry.symlink_to(moved)
    else:
        entry.unlink()
        entry.mkdir()
    _edit_one(example_copy)
    parsed.clear()
    _validate(example_copy)
    assert sum(parsed.values()) == _record_files(example_copy)


def test_the_entry_is_private_and_counted_in_the_size_cap(example_copy: Path) -> None:
    _validate(example_copy)
    entry = _files_entry(example_copy)
    assert oct(entry.stat().st_mode & 0o777) == oct(0o600)
    whole = ResultCache(example_copy).path
    assert whole is not None and entry.parent == whole.parent
    assert entry.match("validate-*.json")  # cache.ENTRY_GLOB: evict counts and removes it


# --- random edit sequences ------------------------------------------------------------

EXTRA = {
    "new-risk": yaml_of(risk("R-NEW")),
    "new-risk-unknown-system": yaml_of(risk("R-NEW2", systems=["SYS-NOPE"])),
    "duplicate-of-example": yaml_of(risk("R-NEW")),
    "broken": "kind: Risk\nid: R-B\ntitle: [\n",
    "anchors": "kind: Risk\nid: R-A\ntitle: &t Anchored\ndescription: *t\n",
    "two-records": yaml_of(risk("R-T1")) + "---\n" + yaml_of(risk("R-T2")),
    "empty": "",
    "placeholder": yaml_of(risk("R-P", description="TODO: write it")),
}
CONFIG_EDITS = [
    "exclude-risks",
    "exclude-one",
    "minimal",
    "scale-labels",
    "severity-off",
    "invalid",
]
VALUE_EDITS = [
    ("title: ", "title: Changed "),
    ("status: ", "stauts: "),
    ("likelihood: ", "likelihood: Never "),
    ("owner: ", "owner: \u202e"),
    ("reviewed:", "reviewed_: "),
    ("\n", "\n\n"),  # positions move, content does not
]
EDITS = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 200), st.integers(0, len(VALUE_EDITS) - 1)),
    st.tuples(st.just("break"), st.integers(0, 200)),
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("add"), st.sampled_from(sorted(EXTRA)), st.sampled_from(["risks", "new"])),
    st.tuples(st.just("rename"), st.integers(0, 200), st.sampled_from(["a", "b.yml", "c.txt"])),
    st.tuples(st.just("config"), st.sampled_from(CONFIG_EDITS)),
    st.tuples(st.just("evidence"), st.integers(0, 200)),
    st.tuples(st.just("restore"), st.integers(0, 200)),
)


def _records(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.y*ml") if p.name != "aims.yaml")


def _config(root: Path, edit: str) -> None:
    path = root / "aims.yaml"
    original = (EXAMPLE / "aims.yaml").read_text()
    text = {
        "exclude-risks": original.replace("[drafts/**]", "[drafts/**, risks/**]"),
        "exclude-one": original.replace("[drafts/**]", "[drafts/**, systems/SYS-HIRE.yaml]"),
        "minimal": MINIMAL_CONFIG,
        "scale-labels": original.replace("Likely", "Probable"),
        "severity-off": original.replace("rules: {}", "rules: {AIMS303: off}"),
        "invalid": "version: 2\n",
    }[edit]
    assert edit in ("minimal", "invalid") or text != original
    path.write_text(text)


def _apply(root: Path, edit: tuple[Any, ...]) -> None:
    action, *args = edit
    files = _records(root)
    if action in ("value", "break", "delete", "rename", "restore") and not files:
        return
    if action == "value":
        path = files[args[0] % len(files)]
        old, new = VALUE_EDITS[args[1]]
        path.write_text(path.read_text().replace(old, new, 1))
    elif action == "break":
        path = files[args[0] % len(files)]
        path.write_text(path.read_text() + "\n  : [\n")
    elif action == "delete":
        files[args[0] % len(files)].unlink()
    elif action == "add":
        folder = root / args[1]
        folder.mkdir(exist_ok=True)
        (folder / f"{args[0]}.yaml").write_text(EXTRA[args[0]])
    elif action == "rename":
        path = files[args[0] % len(files)]
        path.rename(path.with_name(path.stem + args[1]))
    elif action == "config":
        _config(root, args[0])
    elif action == "evidence":
        evidence = sorted(p for p in (root / "evidence").rglob("*") if p.is_file())
        if evidence:
            target = evidence[args[0] % len(evidence)]
            target.unlink()
        else:
            shutil.copytree(EXAMPLE / "evidence", root / "evidence", dirs_exist_ok=True)
    else:  # put one file back as the example has it
        originals = sorted(p.relative_to(EXAMPLE) for p in _records(EXAMPLE))
        rel = originals[args[0] % len(originals)]
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE / rel, root / rel)


def _after_every_edit(
    factory: pytest.TempPathFactory, examples: int, step: Callable[[Path, tuple[Any, ...]], None]
) -> None:
    """``step(root, edit)`` on a copy of the example, first unedited (edit ("none",)),
    then after each edit of random sequences (more and longer with the long profile)."""

    @settings(
        max_examples=5 * examples if LONG else examples,
        deadline=None,
        derandomize=not LONG,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(EDITS, min_size=1, max_size=24 if LONG else 8))
    def sequence(edits: list[tuple[Any, ...]]) -> None:
        base = Path(tempfile.mkdtemp(dir=factory.getbasetemp()))
        root = base / "northwind"
        shutil.copytree(EXAMPLE, root)
        try:
            for edit in [("none",), *edits]:
                if edit != ("none",):
                    _apply(root, edit)
                step(root, edit)
        finally:
            shutil.rmtree(base)

    sequence()


@pytest.mark.slow
def test_cached_output_equals_no_cache_after_every_edit(
    tmp_path_factory: pytest.TempPathFactory, parsed: Counter[str]
) -> None:
    stats: Counter[str] = Counter()

    def step(root: Path, edit: tuple[Any, ...]) -> None:
        parsed.clear()
        cached = _validate(root)
        served = sum(parsed.values())
        fresh = _validate(root, "--no-cache")
        assert cached == fresh, edit
        if cached[0] != 2 and edit != ("none",):
            stats["parsed-again" if served else "served"] += 1
            stats["files-parsed"] += served

    _after_every_edit(tmp_path_factory, 12, step)
    # The per-file cache served files in some steps; the steps that changed files
    # parsed only those again.
    assert stats["parsed-again"] > 0, stats
    assert stats["files-parsed"] < 10 * stats["parsed-again"], stats


# --- files parsed ahead on two cores ----------------------------------------------------


def _on_two_cores(monkeypatch: pytest.MonkeyPatch, root: Path, *extra: str) -> tuple[int, str, str]:
    """Validate with every file a cache does not know parsed ahead by two workers."""
    with monkeypatch.context() as patch:
        patch.setattr(aimsctl.workers, "worth_it", lambda size, least, tasks: size > 0)
        return _validate(root, *extra)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_files_parsed_by_two_workers_give_the_serial_answer(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch, parsed: Counter[str]
) -> None:
    # Every kind of file a worker may meet: a syntax error, anchors (parsed again
    # here: aliases spend the run's budget), two records, an empty file, a placeholder.
    for name, text in EXTRA.items():
        (example_copy / "new").mkdir(exist_ok=True)
        (example_copy / "new" / f"{name}.yaml").write_text(text)
    serial = _validate(example_copy, "--no-cache")
    parsed.clear()
    assert _on_two_cores(monkeypatch, example_copy, "--no-cache") == serial
    assert parsed == Counter({"new/anchors.yaml": 1})  # the rest came from the workers
    # With the per-file cache: the first run parses ahead what it lacks, the next
    # needs no worker.
    assert _on_two_cores(monkeypatch, example_copy) == serial
    assert _on_two_cores(monkeypatch, example_copy) == serial


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_staged_and_changed_since_on_two_cores_give_the_serial_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: Counter[str]
) -> None:
    work = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    work.commit("records")
    for name, text in EXTRA.items():
        work.write({f"new/{name}.yaml": text})
    work.git("add", "new")
    for extra in (("--staged",), ("--changed-since", "HEAD")):
        serial = _validate(work.root, *extra, "--no-cache")
        parsed.clear()
        assert _on_two_cores(monkeypatch, work.root, *extra, "--no-cache") == serial
        assert parsed["new/anchors.yaml"] >= 1  # parsed here: its aliases spend the budget
        assert parsed["risks/R-001.yaml"] == 0  # the workers parsed it


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
def test_two_cores_give_the_serial_answer_after_every_edit(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def step(root: Path, edit: tuple[Any, ...]) -> None:
        serial = _validate(root, "--no-cache")
        assert _on_two_cores(monkeypatch, root, "--no-cache") == serial, edit
        assert _on_two_cores(monkeypatch, root) == serial, edit

    _after_every_edit(tmp_path_factory, 6, step)
