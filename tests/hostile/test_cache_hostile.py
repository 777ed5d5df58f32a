"""The validation cache under attack: it runs no code, cannot be poisoned, does not
hang, and never answers stale.

Whoever can write the cache folder could plant an entry, so the folder and the
entry must belong to the current user and be writable by nobody else; a cache
folder inside the repository (where a pull request can commit one) is not used;
an entry is JSON bound to its key by a digest, read without following links or
blocking. The last test runs random edit sequences and checks after every step
that the cached answer equals `--no-cache`.

(Named test_cache_hostile.py: tests/test_cache.py already holds the module name
test_cache, and test files need unique names.)
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import aimsctl
import aimsctl.engine
from aimsctl import engine
from aimsctl.cache import (
    MAX_ENTRY_BYTES,
    ResultCache,
    cache_dir,
    decode,
    encode,
    fingerprint,
)
from aimsctl.cache.entries import _digest
from aimsctl.diagnostics import ValidationResult
from aimsctl.errors import AimsctlError
from aimsctl.reports import render
from aimsctl.validation import check
from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, PROJECT, CliResult, write_files
from factory import control, risk, system, yaml_of
from gitrepo import GitRepo, one_system

Cli = Callable[..., CliResult]
DAY = date.fromisoformat(AS_OF)
BROKEN = {"controls/bad.yaml": "kind: Control\nid: ORG-9\napplicable: maybe\n"}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder (0o700) that AIMSCTL_CACHE_DIR names."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def failing(make_repo: Callable[..., Path]) -> Path:
    """A repository whose validation has errors."""
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, **BROKEN})
    assert check(root, DAY, use_cache=False).errors > 0
    return root


def _entry(folder: Path, root: Path) -> Path:
    """Where the entry for root lies in folder (wherever that folder is)."""
    path = ResultCache(root, Path("/elsewhere")).path
    assert path is not None
    return folder / path.name


def _forged_clean(root: Path) -> bytes:
    """What an attacker would plant: a clean result under the repository's real key
    (the key and the digest are no secret: anyone can compute them)."""
    return encode(fingerprint(root, DAY), ValidationResult(str(root), records=1, files=1))


def _plant(folder: Path, root: Path, data: bytes, mode: int = 0o600) -> Path:
    path = _entry(folder, root)
    path.write_bytes(data)
    path.chmod(mode)
    return path


def _is_fresh_entry(path: Path, root: Path) -> bool:
    """Whether path now holds the real result, written by aimsctl itself."""
    info = os.lstat(path)
    entry = decode(path.read_bytes(), fingerprint(root, DAY))
    return (
        entry is not None
        and entry[0] == check(root, DAY, use_cache=False)
        and info.st_mode & 0o777 == 0o600
        and info.st_uid == os.geteuid()
    )


# --- no code runs -------------------------------------------------------------------

_UNSAFE_IMPORT = re.compile(
    r"^\s*(?:import|from)\s+(?:pickle|_pickle|cPickle|cloudpickle|dill|marshal|shelve|joblib)\b",
    re.MULTILINE,
)


# workers.py packs plain data (marshal) that its forked workers send back through a
# pipe to the process that forked them; nothing it packs is stored or read from a file.
_IPC_ONLY = "src/aimsctl/workers.py"
# reports/compiled.py keeps the built-in templates' compiled code (marshal) beside
# them, inside aimsctl's installation, as Python keeps bytecode: the one folder it is
# ever given is render.COMPILED_FOLDER, below the package.
_TEMPLATE_CODE = "src/aimsctl/reports/compiled.py"


def _imported(text: str) -> list[str]:
    return [found.group(0).split()[-1] for found in _UNSAFE_IMPORT.finditer(text)]


def test_no_module_of_aimsctl_imports_pickle() -> None:
    sources = {
        str(path.relative_to(PROJECT)): path.read_text(encoding="utf-8")
        for path in sorted((PROJECT / "src" / "aimsctl").rglob("*.py"))
    }
    offenders = [
        rel for rel, text in sources.items() if _UNSAFE_IMPORT.search(text) or "pickle.load" in text
    ]
    assert offenders == [_TEMPLATE_CODE, _IPC_ONLY]
    ipc = sources[_IPC_ONLY]
    # There, marshal and nothing else; no file is opened and no pickle is loaded.
    assert _imported(ipc) == ["marshal"] and "pickle.load" not in ipc and "open(" not in ipc
    # Compiled templates: marshal only, from the one folder inside the package; no
    # other module builds the cache, so nothing a repository or validate's cache
    # folder holds is ever read as code.
    kept = sources[_TEMPLATE_CODE]
    assert _imported(kept) == ["marshal"] and "pickle.load" not in kept
    built = [
        (rel, line.strip())
        for rel, text in sources.items()
        for line in text.splitlines()
        if "CompiledTemplates(" in line and "class CompiledTemplates" not in line
    ]
    assert built == [
        (
            "src/aimsctl/reports/render.py",
            "CompiledTemplates(COMPILED_FOLDER) if self.repository is None else None",
        )
    ]
    package = Path(aimsctl.__file__).resolve().parent
    assert render.COMPILED_FOLDER.is_relative_to(package / "templates")


class _Payload:
    """Unpickling this creates a folder: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_planted_pickle_is_never_unpickled(failing: Path, cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_Payload(marker))
    json_entry = _plant(cache, failing, payload)
    old_entry = json_entry.with_suffix(".pickle")  # where aimsctl 0.x kept its pickle
    old_entry.write_bytes(payload)
    old_entry.chmod(0o600)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert not marker.exists()
    assert _is_fresh_entry(json_entry, failing)


def test_a_pickle_committed_where_a_relative_xdg_cache_home_points_is_ignored(
    failing: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME=cache, run from the repository: the cache would be inside it,
    where a pull request can commit an entry. The spec says to ignore a relative one."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("AIMSCTL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(failing)
    marker = tmp_path / "code-ran"
    committed = failing / "cache" / "aimsctl"
    committed.mkdir(parents=True)
    name = _entry(committed, failing).name
    (committed / name).write_bytes(_forged_clean(failing))
    (committed / name).with_suffix(".pickle").write_bytes(pickle.dumps(_Payload(marker)))
    before = sorted(str(p) for p in failing.rglob("*"))

    result = cli("validate", "--as-of", AS_OF)

    assert result.exit_code == 1, result.stdout + result.stderr
    assert not marker.exists()
    assert sorted(str(p) for p in failing.rglob("*")) == before  # nothing written there
    assert _is_fresh_entry(home / ".cache" / "aimsctl" / name, failing)


# --- who may write the cache --------------------------------------------------------


def test_a_forged_entry_in_a_private_folder_is_used(failing: Path, cache: Path) -> None:
    """The premise of the tests below: whoever can write the folder decides the answer,
    so only the user may write it."""
    _plant(cache, failing, _forged_clean(failing))
    assert check(failing, DAY, use_cache=True).errors == 0


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777, 0o702], ids=oct)
def test_a_folder_others_can_write_is_not_used(failing: Path, cache: Path, mode: int) -> None:
    entry = _plant(cache, failing, _forged_clean(failing))
    cache.chmod(mode)
    planted = entry.read_bytes()
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert entry.read_bytes() == planted  # neither read nor rewritten
    assert os.listdir(cache) == [entry.name]


def test_an_empty_folder_others_can_write_gets_nothing(failing: Path, cache: Path) -> None:
    cache.chmod(0o777)
    check(failing, DAY, use_cache=True)
    assert os.listdir(cache) == []


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602], ids=oct)
def test_an_entry_others_can_write_is_a_miss_and_replaced(
    failing: Path, cache: Path, mode: int
) -> None:
    entry = _plant(cache, failing, _forged_clean(failing), mode=mode)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert _is_fresh_entry(entry, failing)


def test_ownership_is_checked_against_the_effective_user(
    failing: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs as any user: pretend to be someone else, so the folder and the entry
    (owned by the real user) belong to another user."""
    entry = _plant(cache, failing, _forged_clean(failing))
    planted = entry.read_bytes()
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert entry.read_bytes() == planted
    monkeypatch.setattr(os, "geteuid", lambda: real)
    assert check(failing, DAY, use_cache=True).errors == 0  # the same entry, now trusted


def _needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")


def test_an_entry_owned_by_another_user_is_a_miss_and_replaced(failing: Path, cache: Path) -> None:
    _needs_root()
    entry = _plant(cache, failing, _forged_clean(failing))
    os.chown(entry, 65534, 65534)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert _is_fresh_entry(entry, failing)


def test_a_folder_owned_by_another_user_is_not_used(failing: Path, cache: Path) -> None:
    _needs_root()
    entry = _plant(cache, failing, _forged_clean(failing))
    os.chown(cache, 65534, 65534)
    planted = entry.read_bytes()
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert entry.read_bytes() == planted


def test_a_cache_folder_inside_the_repository_is_not_used(
    failing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = failing / ".aimsctl-cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(folder))
    entry = _plant(folder, failing, _forged_clean(failing))
    planted = entry.read_bytes()
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert entry.read_bytes() == planted and os.listdir(folder) == [entry.name]


def test_a_cache_folder_in_the_git_work_tree_above_the_repository_is_not_used(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aims.yaml in gov/ of a git work tree whose top also holds the cache folder (a
    container whose HOME is the checkout): validate must leave `git status` empty,
    and an entry committed there must not be read."""
    repo = GitRepo(tmp_path / "top", governance="gov")
    repo.write(one_system())
    folder = repo.top / ".cache" / "aimsctl"
    folder.mkdir(parents=True, mode=0o700)
    (folder / ".keep").write_text("")
    repo.commit("records and a cache folder")
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(folder))

    assert ResultCache(repo.root).path is None
    for _ in range(2):
        result = cli("validate", repo.root, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stdout + result.stderr
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    assert os.listdir(folder) == [".keep"]


def test_a_new_cache_folder_is_private_whatever_the_umask(
    failing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new" / "aimsctl"
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(folder))
    old = os.umask(0o002)
    try:
        check(failing, DAY, use_cache=True)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert _is_fresh_entry(_entry(folder, failing), failing)


# --- damaged, foreign and strange entries ---------------------------------------------


def _tampered(kind: str, root: Path, genuine: bytes) -> bytes:
    header_line, _, payload = genuine.partition(b"\n")
    header = json.loads(header_line)
    if kind == "payload-edited":
        body = json.loads(payload)
        body["result"]["diagnostics"] = []
        return header_line + b"\n" + json.dumps(body).encode()
    if kind == "key-rewritten":  # a clean entry of another key, relabelled
        other = encode("0" * 64, ValidationResult(str(root), 1, 1))
        other_header, _, other_payload = other.partition(b"\n")
        return other_header.replace(b"0" * 64, header["key"].encode()) + b"\n" + other_payload
    if kind == "truncated":
        return genuine[: len(genuine) // 2]
    if kind == "well-signed-nonsense":
        junk = json.dumps({"repository": 1, "records": "x"}).encode()
        header["digest"] = _digest(header["key"], junk)
        return json.dumps(header).encode() + b"\n" + junk
    if kind == "digest-not-ascii":  # hmac.compare_digest raises on such text
        header["digest"] = "\u00e9" * 64
        return json.dumps(header).encode() + b"\n" + payload
    if kind == "old-version":
        header["version"] = 1
        return json.dumps(header, separators=(",", ":")).encode() + b"\n" + payload
    if kind == "not-json":
        return b"\x80\x04\x95 not json at all"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "payload-edited",
        "key-rewritten",
        "truncated",
        "well-signed-nonsense",
        "digest-not-ascii",
        "old-version",
        "not-json",
    ],
)
def test_a_tampered_entry_is_a_miss(failing: Path, cache: Path, kind: str) -> None:
    expected = check(failing, DAY, use_cache=True)
    entry = _entry(cache, failing)
    _plant(cache, failing, _tampered(kind, failing, entry.read_bytes()))
    assert check(failing, DAY, use_cache=True) == expected
    assert _is_fresh_entry(entry, failing)


def test_an_entry_for_another_state_is_a_miss(failing: Path, cache: Path) -> None:
    """A genuine clean entry, taken when the repository was clean, put back later."""
    (failing / "controls" / "bad.yaml").unlink()
    clean = check(failing, DAY, use_cache=True)
    assert clean.errors == 0
    entry = _entry(cache, failing)
    genuine_clean = entry.read_bytes()
    write_files(failing, BROKEN)
    expected = check(failing, DAY, use_cache=False)
    _plant(cache, failing, genuine_clean)
    assert check(failing, DAY, use_cache=True) == expected
    assert expected.errors > 0


def test_a_named_pipe_as_the_entry_does_not_hang(failing: Path, cache: Path) -> None:
    entry = _entry(cache, failing)
    os.mkfifo(entry, 0o600)
    done = subprocess.run(
        [sys.executable, "-m", "aimsctl", "validate", str(failing), "--as-of", AS_OF],
        env={**os.environ, "AIMSCTL_CACHE_DIR": str(cache), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,  # a blocking open of the pipe would wait for ever
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert _is_fresh_entry(entry, failing)


def test_a_linked_entry_is_not_followed(failing: Path, cache: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    forged = elsewhere / "entry.json"
    forged.write_bytes(_forged_clean(failing))
    forged.chmod(0o600)
    entry = _entry(cache, failing)
    entry.symlink_to(forged)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    assert not entry.is_symlink() and _is_fresh_entry(entry, failing)
    assert forged.read_bytes() == _forged_clean(failing)  # the link's target untouched


@pytest.mark.parametrize("what", ["folder", "oversized"])
def test_an_entry_that_is_a_folder_or_too_large_is_a_miss(
    failing: Path, cache: Path, what: str
) -> None:
    entry = _entry(cache, failing)
    if what == "folder":
        entry.mkdir()
    else:
        with entry.open("wb") as handle:  # sparse: costs no disk
            handle.truncate(MAX_ENTRY_BYTES + 1)
        entry.chmod(0o600)
    assert check(failing, DAY, use_cache=True) == check(failing, DAY, use_cache=False)
    if what == "oversized":
        assert _is_fresh_entry(entry, failing)


# --- no home folder -------------------------------------------------------------------


def test_no_home_folder_means_no_cache_not_a_crash(
    failing: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = cli("validate", failing, "--as-of", AS_OF, "--no-cache")
    monkeypatch.delenv("AIMSCTL_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_home(cls: type[Path]) -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert cache_dir() is None
    result = cli("validate", failing, "--as-of", AS_OF)
    assert (result.exit_code, result.stdout, result.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


# --- never stale: random edit sequences ---------------------------------------------

# Cited paths, present at the start: plain, hidden, in a hidden folder, through a link
# to a folder inside, inside .github, and through a link out of the repository and `..`
# (out -> outside/dir; outside/evidence may lead back into the repository).
EVIDENCE = [
    "evidence/a.pdf",
    "evidence/.h.pdf",
    ".hidden/b.pdf",
    "linked/a.pdf",
    "evidence/sub/c.pdf",
    "docs/d.pdf",
    ".github/e.txt",
]
CLIMBING = ["out/../evidence/a.pdf", "linked/../evidence/a.pdf"]
# Paths whose kind the edits change: evidence, folders, links, record files.
SHAPED = [*EVIDENCE, "evidence/sub", "linked", "out", "evidence", "risks/r.yaml"]
RECORD_FILES = [
    "systems/s.yaml",
    "controls/c.yaml",
    "controls/d.yaml",
    "risks/r.yaml",
    "drafts/x.yaml",
    ".hidden/r.yaml",
]
EVERYTHING = sorted({*SHAPED, *RECORD_FILES, "aims.yaml"})
RECORDS = {
    "control-all-evidence": yaml_of(
        control("ORG-1", status="implemented", evidence=[{"path": p} for p in EVIDENCE + CLIMBING])
    ),
    "control-some-evidence": yaml_of(
        control("ORG-1", status="implemented", evidence=[{"path": p} for p in EVIDENCE[::2]])
    ),
    "control-through-links": yaml_of(
        control(
            "ORG-3",
            evidence=[{"path": "evidence/sub/../a.pdf"}, {"path": "here/../repo/docs/d.pdf"}],
        )
    ),
    "system-documentation": yaml_of(system("SYS-1", documentation=["docs/d.pdf", "linked/a.pdf"])),
    "system-documentation-folders": yaml_of(
        system("SYS-1", documentation=["linked", "evidence/sub", ".hidden"])
    ),
    "risk": yaml_of(risk("R-1")),
    "risk-unknown-system": yaml_of(risk("R-2", systems=["SYS-9"])),
    "duplicate-id": yaml_of(control("ORG-1")),
    "broken-yaml": "kind: [\n",
    "not-a-record": "- a list\n",
}
CONFIGS = {
    "minimal": MINIMAL_CONFIG,
    "exclude-drafts": MINIMAL_CONFIG + "exclude:\n  - drafts/**\n",
    "exclude-controls": MINIMAL_CONFIG + "exclude:\n  - controls/d.yaml\n",
    "other-organization": "version: 1\norganization: Other Org\n",
    "invalid": "version: 2\norganization: Test Org\n",
}
SHAPES = [
    "absent",
    "file",
    "folder",
    "pipe",
    "link-to-file-inside",
    "link-to-folder-inside",
    "link-to-nothing-inside",
    "link-to-itself",
    "link-to-file-outside",
    "link-to-folder-outside",
    "link-to-etc-passwd",
]

EDITS = st.one_of(
    st.tuples(st.just("record"), st.sampled_from(RECORD_FILES), st.sampled_from(sorted(RECORDS))),
    st.tuples(st.just("shape"), st.sampled_from(SHAPED), st.sampled_from(SHAPES)),
    st.tuples(st.just("delete"), st.sampled_from(EVERYTHING)),
    st.tuples(st.just("rename"), st.sampled_from(EVERYTHING), st.sampled_from(EVERYTHING)),
    st.tuples(st.just("config"), st.sampled_from(sorted(CONFIGS))),
    st.tuples(
        st.just("outside"),
        st.sampled_from(["add", "remove", "link-back", "unlink-back", "evidence-back"]),
    ),
)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _shape(root: Path, outside: Path, rel: str, shape: str) -> None:
    path = root / rel
    _remove(path)
    if shape == "absent":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape == "file":
        path.write_text("evidence\n")
    elif shape == "folder":
        path.mkdir()
    elif shape == "pipe":
        os.mkfifo(path)
    else:
        target = {
            "link-to-file-inside": root / "aims.yaml",
            "link-to-folder-inside": root / "evidence",
            "link-to-nothing-inside": root / "missing.pdf",
            "link-to-itself": path,
            "link-to-file-outside": outside / "file.pdf",
            "link-to-folder-outside": outside / "dir",
            "link-to-etc-passwd": Path("/etc/passwd"),
        }[shape]
        path.symlink_to(os.path.relpath(target, path.parent))


def _apply(root: Path, outside: Path, edit: tuple[str, ...]) -> None:
    action, *args = edit
    try:
        if action == "record":
            (root / args[0]).parent.mkdir(parents=True, exist_ok=True)
            _remove(root / args[0])
            (root / args[0]).write_text(RECORDS[args[1]])
        elif action == "shape":
            _shape(root, outside, args[0], args[1])
        elif action == "delete":
            _remove(root / args[0])
        elif action == "rename":
            if os.path.lexists(root / args[0]) and args[0] != args[1]:
                (root / args[1]).parent.mkdir(parents=True, exist_ok=True)
                os.rename(root / args[0], root / args[1])
        elif action == "config":
            (root / "aims.yaml").write_text(CONFIGS[args[0]])
        elif args[0] == "add":
            (outside / "dir" / "a.pdf").write_text("outside\n")
        elif args[0] == "remove":
            (outside / "dir" / "a.pdf").unlink(missing_ok=True)
        elif args[0] == "link-back":
            (outside / "dir" / "back").symlink_to(root / "evidence")
        elif args[0] == "unlink-back":
            (outside / "dir" / "back").unlink(missing_ok=True)
        elif os.path.lexists(outside / "evidence"):  # `linked/../evidence/a.pdf` with
            (outside / "evidence").unlink()  # linked -> outside/dir comes back in here
        else:
            (outside / "evidence").symlink_to(root / "evidence")
    except OSError:  # a parent is a file, a folder is in the way: the edit does nothing
        pass


def _answer(root: Path, use_cache: bool) -> object:
    try:
        return check(root, DAY, use_cache)
    except AimsctlError as error:  # an unusable aims.yaml: exit 2
        return (type(error).__name__, str(error))


@pytest.fixture
def counted_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often the rules actually ran (a cached answer does not run them)."""
    runs: Counter[str] = Counter()
    real = engine.run

    def counting(repo: Any) -> ValidationResult:
        runs["rules"] += 1
        return real(repo)

    monkeypatch.setattr(aimsctl.engine, "run", counting)
    yield runs


@pytest.mark.slow
def test_cached_answer_always_equals_no_cache(
    tmp_path_factory: pytest.TempPathFactory, counted_runs: Counter[str]
) -> None:
    stats: Counter[str] = Counter()

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(EDITS, min_size=1, max_size=12))
    # The base cites paths through `out`, a link out of the repository, so it is never
    # clean; this sequence reaches clean trees on every hypothesis version, one with a
    # `..` out of a real folder, then refuses the `..` once that folder is gone.
    @example(
        [
            ("delete", "out"),
            ("record", "controls/c.yaml", "control-some-evidence"),
            ("shape", "out", "folder"),
            ("record", "controls/c.yaml", "control-all-evidence"),
            ("delete", "out"),
        ]
    )
    def sequence(edits: list[tuple[str, ...]]) -> None:
        base = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())).resolve()
        root, outside = base / "repo", base / "outside"
        try:
            (outside / "dir").mkdir(parents=True)
            (outside / "file.pdf").write_text("outside\n")
            write_files(
                root,
                {
                    "aims.yaml": MINIMAL_CONFIG,
                    "controls/annex-a.yaml": EXCLUDED_SOA,
                    "controls/c.yaml": RECORDS["control-all-evidence"],
                    "systems/s.yaml": RECORDS["system-documentation"],
                    **{rel: "evidence\n" for rel in EVIDENCE if not rel.startswith("linked/")},
                },
            )
            (root / "linked").symlink_to("docs")
            (root / "out").symlink_to(outside / "dir")
            (root / "here").symlink_to(".")
            (root / "docs" / "a.pdf").write_text("evidence\n")
            for edit in [("none",), *edits]:
                if edit != ("none",):
                    _apply(root, outside, edit)
                fresh = _answer(root, use_cache=False)
                before = counted_runs["rules"]
                assert _answer(root, use_cache=True) == fresh, edit
                stats["hit" if counted_runs["rules"] == before else "miss"] += 1
                before = counted_runs["rules"]
                assert _answer(root, use_cache=True) == fresh, edit
                if isinstance(fresh, ValidationResult):  # an unusable aims.yaml: no answer
                    assert counted_runs["rules"] == before, "an unchanged tree is not cached"
                    stats["errors" if fresh.errors else "clean"] += 1
        finally:
            shutil.rmtree(base)

    sequence()
    # Edits the key or the cited paths saw (a miss) and edits that change nothing
    # validation looks at (a hit after an edit), and both answers, were covered.
    assert stats["hit"] > 0 and stats["miss"] > 0, stats
    assert stats["errors"] > 0 and stats["clean"] > 0, stats
