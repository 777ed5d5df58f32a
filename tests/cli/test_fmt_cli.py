"""`aimsctl fmt`: canonical form, --check with a diff, and the files it leaves alone."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl.scaffold import starter_files
from conftest import EXAMPLE, CliResult

Cli = Callable[..., CliResult]


def test_check_lists_and_diffs_what_would_change_and_writes_nothing(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    root = make_repo({"risks/r.yaml": "id: R-1  # the id\nkind: Risk\n"})
    before = (root / "risks/r.yaml").read_bytes()
    result = cli("fmt", "--check", "--repo", root)
    assert result.exit_code == 1
    assert "+kind: Risk" in result.stdout and "would reformat" in result.stdout
    assert (root / "risks/r.yaml").read_bytes() == before
    written = cli("fmt", "--repo", root)
    assert written.exit_code == 0, written.stderr
    assert (root / "risks/r.yaml").read_text() == "kind: Risk\nid: R-1  # the id\n"
    assert cli("fmt", "--check", "--repo", root).exit_code == 0


def test_the_check_diff_of_a_file_without_a_final_line_end_applies_with_git(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # The last line's `-` and the `+` line that follows it were one line, so the diff
    # was not one `git apply` or `patch` could read.
    root = make_repo({"risks/r.yaml": 'kind: Risk\nid: R-1\ntitle: "quoted"'})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = cli("fmt", "--check", "--repo", root)
    assert result.exit_code == 1
    assert '-title: "quoted"\n\\ No newline at end of file\n+title: quoted\n' in result.stdout
    diff = result.stdout[result.stdout.index("--- ") : result.stdout.index("would reformat")]
    # The file as named from the repository's root, where git applies the diff.
    patch = re.sub(r"(?m)^(---|\+\+\+) \S*?(risks/r\.yaml)$", r"\1 \2", diff)
    subprocess.run(["git", "apply", "-p0", "-"], cwd=root, input=patch, text=True, check=True)
    assert (root / "risks/r.yaml").read_text() == "kind: Risk\nid: R-1\ntitle: quoted\n"


@pytest.mark.parametrize(
    ("written", "formatted"),
    (
        (b"id: R-1\r\nkind: Risk\r\n", b"kind: Risk\r\nid: R-1\r\n"),
        (b"id: R-1  #\ta tab\nkind: Risk\n", b"kind: Risk\nid: R-1  #\ta tab\n"),
    ),
)
def test_the_check_diff_of_a_crlf_or_tab_file_applies_with_git(
    cli: Cli, make_repo: Callable[..., Path], written: bytes, formatted: bytes
) -> None:
    """The diff escaped every tab and dropped every CR: `git apply` refused it for a
    file with CRLF line ends or a tab in a comment. Both stay as the file has them
    (YAML allows no other control character; LS and NEL stay escaped, as tested above)."""
    root = make_repo({"risks/r.yaml": written})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = cli("fmt", "--check", "--repo", root)
    assert result.exit_code == 1
    diff = result.stdout[result.stdout.index("--- ") : result.stdout.index("would reformat")]
    patch = re.sub(r"(?m)^(---|\+\+\+) \S*?(risks/r\.yaml)\r?$", r"\1 \2", diff)
    subprocess.run(["git", "apply", "-p0", "-"], cwd=root, input=patch.encode(), check=True)
    assert (root / "risks/r.yaml").read_bytes() == formatted


def test_comments_where_ruamel_drops_them_are_kept_not_refused(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # Valid YAML: fmt stopped with exit 2, "formatting would lose or change a comment
    # ... please report this", and `fmt --check` failed in CI on a valid record.
    root = make_repo(
        {
            "risks/a.yaml": "kind: Risk\nid: R-1\ntitle:\n  # why\n  t\n",
            "risks/b.yaml": "kind: Risk\nid: R-2\n... # end of document\n",
            "risks/c.yaml": "kind: Risk\nid: R-3\n---\n# a document of comments\n",
        }
    )
    assert cli("fmt", "--check", "--repo", root).exit_code == 1
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 0, result.stderr
    assert (root / "risks/a.yaml").read_text() == "kind: Risk\nid: R-1\n# why\ntitle: t\n"
    assert (root / "risks/b.yaml").read_text() == "kind: Risk\nid: R-2\n# end of document\n"
    assert (root / "risks/c.yaml").read_text() == "kind: Risk\nid: R-3\n# a document of comments\n"
    assert cli("fmt", "--check", "--repo", root).exit_code == 0


def test_a_str_tag_is_written_as_the_text_it_is(cli: Cli, make_repo: Callable[..., Path]) -> None:
    # ruamel.yaml wrote `!!str 2026` back as `!!%20str 2026`: fmt refused the file
    # ('formatting would change a value ... please report this').
    root = make_repo({"risks/r.yaml": "kind: Risk\nid: R-1\ntitle: !!str 2026 # year\n"})
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 0, result.stderr
    assert (root / "risks/r.yaml").read_text() == 'kind: Risk\nid: R-1\ntitle: "2026"     # year\n'
    assert cli("fmt", "--check", "--repo", root).exit_code == 0


def test_text_that_looks_like_a_date_stays_text_to_a_yaml_1_1_reader(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # fmt dropped the quotes of version: "2026-01-01" and tags: ["2026-02-01"], so
    # PyYAML's safe_load (YAML 1.1) read dates where the record holds text; a date
    # field's quotes still go.
    import yaml

    text = (
        "kind: Policy\nid: POL-1\nversion: '2026-01-01'\ntags: ['2026-02-01']\n"
        'next_review: "2027-01-05"\n'
    )
    root = make_repo({"policies/p.yaml": text})
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 0, result.stderr
    after = (root / "policies/p.yaml").read_text()
    assert 'version: "2026-01-01"\n' in after and "next_review: 2027-01-05\n" in after
    before_data, after_data = yaml.safe_load(text), yaml.safe_load(after)
    assert after_data["version"] == "2026-01-01" and after_data["tags"] == ["2026-02-01"]
    assert after_data == before_data | {"next_review": date(2027, 1, 5)}
    assert cli("fmt", "--check", "--repo", root).exit_code == 0


def test_named_files_outside_the_records_are_left_alone(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_repo({".github/workflows/x.yml": "on:   push\n"})
    outside = tmp_path / "compose.yaml"
    outside.write_text("b:   1\n")
    result = cli("fmt", "--check", root / ".github/workflows/x.yml", outside)
    assert result.exit_code == 0, result.stdout


def test_a_symbolic_link_is_refused_not_replaced_with_a_copy(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # fmt replaced a link with a copy of what it led to: a record from outside the
    # repository (which validate does not read) became one of its files.
    root = make_repo({"risks/b.yaml": "id: R-8\nkind: Risk\n"})
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: R-9\nkind: Risk\n")
    (root / "risks/out.yaml").symlink_to(outside)
    (root / "risks/a.yaml").symlink_to("b.yaml")
    for args in (["--check"], [], ["--check", root / "risks/a.yaml"]):
        result = cli("fmt", *args, "--repo", root)
        assert result.exit_code == 2
        assert "risks/a.yaml is a symbolic link" in result.stderr
    assert (root / "risks/out.yaml").is_symlink() and (root / "risks/a.yaml").is_symlink()
    assert outside.read_text() == "id: R-9\nkind: Risk\n"
    assert (root / "risks/b.yaml").read_text() == "kind: Risk\nid: R-8\n"  # formatted


def test_a_file_that_cannot_be_written_is_not_counted_as_reformatted(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    (root / "risks/r.yaml").chmod(0o444)
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert "0 files reformatted" in result.stdout  # it said 1
    assert (root / "risks/r.yaml").read_text() == "id: R-1\nkind: Risk\n"


def test_a_formatted_file_keeps_its_owner_group_and_mode(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # The rewritten record was the writer's: `sudo aimsctl fmt` left root's files in a
    # user's repository, and a group member's run moved a record to their own group.
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    record = root / "risks/r.yaml"
    record.chmod(0o640)
    owner = (os.geteuid() + 4321, os.getegid() + 4321)
    try:
        os.chown(record, *owner)
    except PermissionError:
        pytest.skip("this user cannot give a file another owner")
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 0, result.stderr
    assert record.read_text() == "kind: Risk\nid: R-1\n"
    info = record.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (*owner, 0o640)


def test_a_hard_linked_file_is_refused_not_split_from_its_other_names(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # The atomic replace gave the record's name a new file and left the other name
    # (a copy kept elsewhere, linked) with the old text, silently: two files now.
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    record = root / "risks/r.yaml"
    other = tmp_path / "linked.yaml"
    os.link(record, other)
    assert cli("fmt", "--check", "--repo", root).exit_code == 1  # reading is fine
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 2
    assert "r.yaml is a hard link (2 names for one file)" in result.stderr
    assert "0 files reformatted" in result.stdout
    assert record.read_text() == "id: R-1\nkind: Risk\n"
    assert os.path.samefile(record, other)
    other.unlink()
    assert cli("fmt", "--repo", root).exit_code == 0  # a file of its own is formatted
    assert record.read_text() == "kind: Risk\nid: R-1\n"


def test_a_file_that_is_not_yaml_is_an_error(cli: Cli, make_repo: Callable[..., Path]) -> None:
    root = make_repo({"r.yaml": "a: [1\n"})
    result = cli("fmt", "--check", root)
    assert result.exit_code == 2
    assert "aimsctl: error: r.yaml" in result.stderr or "r.yaml:" in result.stderr


def test_a_file_that_is_not_utf8_is_named_once(cli: Cli, make_repo: Callable[..., Path]) -> None:
    root = make_repo({"risks/r.yaml": b"kind: Risk\nid: R-1\ntitle: caf\xe9\n"})
    result = cli("fmt", "--check", root / "risks/r.yaml")
    assert result.exit_code == 2
    assert f"aimsctl: error: {root / 'risks/r.yaml'}:3:11: the file is not" in result.stderr


def test_the_example_is_in_canonical_form(cli: Cli) -> None:
    result = cli("fmt", "--check", EXAMPLE)
    assert result.exit_code == 0, result.stdout


def test_the_starter_is_in_canonical_form(cli: Cli, tmp_path: Path) -> None:
    from aimsctl.scaffold import create

    create(tmp_path / "starter", starter_files(date(2026, 1, 5)))
    result = cli("fmt", "--check", tmp_path / "starter")
    assert result.exit_code == 0, result.stdout


def test_check_shows_a_line_holding_ls_or_nel_as_one_line(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # The diff broke lines where Python does (at LS, PS and NEL too): a line `b'`
    # the file does not have was shown removed.
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\ntitle: 'a\u2028b'  # x\u0085y\n"})
    result = cli("fmt", "--check", "--repo", root)
    assert result.exit_code == 1
    assert "-title: 'a\u2028b'  # x\u0085y\n" in result.stdout
    assert '+title: "a\\Lb" # x\u0085y\n' in result.stdout


def _check_diff(cli: Cli, root: Path, name: str) -> bytes:
    """`aimsctl fmt --check NAME > NAME.diff`, run from the repository's root: the
    whole of standard output, as bytes."""
    import os

    here = Path.cwd()
    os.chdir(root)
    try:
        result = cli("fmt", "--check", name)
    finally:
        os.chdir(here)
    assert result.exit_code == 1, result.stderr
    return result.stdout.encode("utf-8")


@pytest.mark.parametrize(
    "written",
    (
        pytest.param(b"\xef\xbb\xbfkind: Risk\nid: R-P1\nstatus: open\ntitle: t\n", id="bom"),
        pytest.param("kind: Risk\nid: R-P1\nstatus: open\ntitle: a\u200bb\n".encode(), id="zwsp"),
        pytest.param("kind: Risk\nid: R-P1\nstatus: open\ntitle: 'a\u2028b'\n".encode(), id="ls"),
        pytest.param(
            "\ufeffkind: Risk\r\nid: R-P1\r\nstatus: open\r\ntitle: a\u200bb\u2029\r\n".encode(),
            id="bom-crlf-ps",
        ),
    ),
)
def test_the_check_diff_of_a_file_with_invisible_characters_applies(
    cli: Cli, make_repo: Callable[..., Path], written: bytes
) -> None:
    """The diff showed a byte-order mark, a zero-width space, LS and PS as escapes
    (` \\ufeffkind: Risk`), lines the file does not have: neither `git apply` nor
    `patch` took it, though README promises a diff they read. The whole output of
    `fmt --check` (as `> p1.diff` keeps it) applies now, with both, to the file's bytes."""
    root = make_repo({"risks/p1.yaml": written})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    diff = _check_diff(cli, root, "risks/p1.yaml")
    (root / "p1.diff").write_bytes(diff)
    subprocess.run(["git", "apply", "--check", "p1.diff"], cwd=root, check=True)
    subprocess.run(
        ["patch", "--dry-run", "-p1", "-i", "p1.diff"], cwd=root, check=True, capture_output=True
    )
    subprocess.run(["git", "apply", "p1.diff"], cwd=root, check=True)
    assert cli("fmt", "--check", root / "risks/p1.yaml").exit_code == 0
    text = (root / "risks/p1.yaml").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") == written.startswith(b"\xef\xbb\xbf")
    assert text.count(b"\r\n") == (text.count(b"\n") if b"\r\n" in written else 0)


def test_the_check_diff_in_a_terminal_still_shows_invisible_characters(
    make_repo: Callable[..., Path],
) -> None:
    """Read by a person, the diff escapes what shows as nothing, as before; only what
    goes to a file or a pipe holds the file's own text."""
    from conftest import in_a_terminal

    root = make_repo(
        {"risks/p1.yaml": "\ufeffkind: Risk\nid: R-P1\nstatus: open\ntitle: a\u200bb\n"}
    )
    code, shown = in_a_terminal(["fmt", "--check", root / "risks/p1.yaml"])
    assert code == 1
    assert " \\ufeffkind: Risk" in shown and "title: a\\u200bb" in shown
    assert "\u200b" not in shown and "\ufeff" not in shown


def test_a_checkout_with_crlf_line_ends_is_in_canonical_form(
    cli: Cli, example_copy: Path, make_repo: Callable[..., Path]
) -> None:
    # git with core.autocrlf=true (Windows, and actions/checkout there) checks every
    # file out with CRLF line ends: fmt --check failed on every file of a repository
    # whose commits are canonical, with a diff of lines that look the same, and fmt
    # rewrote them all with LF. A file's line ends are its own, as for every edit.
    files = sorted(example_copy.rglob("*.yaml"))
    for path in files:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = {path: path.read_bytes() for path in files}
    check = cli("fmt", "--check", example_copy)
    assert check.exit_code == 0, check.stdout[:2000]
    assert cli("fmt", example_copy).exit_code == 0
    assert {path: path.read_bytes() for path in files} == before
    root = make_repo({"risks/r.yaml": b"id: R-1  # the id\r\nkind: Risk\r\n"})
    assert cli("fmt", root).exit_code == 0
    assert (root / "risks/r.yaml").read_bytes() == b"kind: Risk\r\nid: R-1  # the id\r\n"


def test_a_byte_order_mark_is_the_files_own(
    cli: Cli, example_copy: Path, make_repo: Callable[..., Path]
) -> None:
    # Some Windows editors start a UTF-8 file with a byte-order mark. fmt dropped it:
    # fmt --check failed on every such file with a diff of a line that looks the same
    # ("-kind: Risk" / "+kind: Risk"), and the next save in that editor put it back.
    files = sorted(example_copy.rglob("*.yaml"))
    for path in files:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = {path: path.read_bytes() for path in files}
    check = cli("fmt", "--check", example_copy)
    assert check.exit_code == 0, check.stdout[:2000]
    assert {path: path.read_bytes() for path in files} == before
    root = make_repo({"risks/r.yaml": b"\xef\xbb\xbfid: R-1  # the id\r\nkind: Risk\r\n"})
    assert cli("fmt", root).exit_code == 0
    assert (root / "risks/r.yaml").read_bytes() == (
        b"\xef\xbb\xbfkind: Risk\r\nid: R-1  # the id\r\n"
    )


# Runs aimsctl in a child that kills itself with SIGKILL (no handler, no clean-up)
# at a chosen point of its writes: before the Nth rename (the Nth temporary file is
# whole), or half way through writing the Nth temporary file.
_KILLED_AT = """
import os, signal, sys
from aimsctl.cli import main
step, where = int(sys.argv[1]), sys.argv[2]
count = [0]
def kill():
    count[0] += 1
    if count[0] == step:
        os.kill(os.getpid(), signal.SIGKILL)
if where == "rename":
    replace = os.replace
    def killing_replace(source, target):
        kill()
        return replace(source, target)
    os.replace = killing_replace
else:
    fdopen = os.fdopen
    class Half:
        def __init__(self, handle):
            self.handle = handle
        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            kill()
            return self.handle.write(data[len(data) // 2 :])
        def __getattr__(self, name):
            return getattr(self.handle, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.handle.close()
    os.fdopen = lambda fd, *a, **k: Half(fdopen(fd, *a, **k))
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("where", ["rename", "write"])
def test_sigkill_part_way_leaves_each_file_old_or_new_and_the_next_run_finishes(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, where: str
) -> None:
    # A run killed outright cannot clean up: each file is still the old or the new one,
    # whole; at most the one temporary file being written stays, under a name aimsctl
    # never reads (`.NAME.<random>.tmp`); the next run formats the rest and leaves it be.
    files = {f"risks/R-{n}.yaml": f"id: R-{n}  # risk {n}\nkind: Risk\n" for n in range(12)}
    root = make_repo(files)
    formatted = {rel: f"kind: Risk\nid: R-{n}  # risk {n}\n" for n, rel in enumerate(files)}
    command = [sys.executable, "-c", _KILLED_AT, "5", where, "fmt", "--repo", str(root)]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    texts = {rel: (root / rel).read_text() for rel in files}
    assert all(texts[rel] in (files[rel], formatted[rel]) for rel in files), texts
    assert sum(texts[rel] == formatted[rel] for rel in files) == 4  # the first four renamed
    left = sorted(p.name for p in (root / "risks").iterdir() if not p.name.endswith(".yaml"))
    assert len(left) == 1 and re.fullmatch(r"\.R-\d+\.yaml\.\w+\.tmp", left[0]), left
    checked = json.loads(cli("validate", root, "--format", "json").stdout)
    assert checked["summary"]["records"] == 12  # the temporary file is read as nothing
    assert not [d for d in checked["diagnostics"] if d["path"].endswith(".tmp")]
    again = cli("fmt", "--repo", root)
    assert again.exit_code == 0, again.stderr
    assert "8 files reformatted" in again.stdout
    assert {rel: (root / rel).read_text() for rel in files} == formatted
    assert sorted(p.name for p in (root / "risks").iterdir() if p.name.endswith(".tmp")) == left


def test_a_record_file_with_a_document_that_is_no_record_is_left_and_said(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # A stray list after a record made fmt pass over the whole file unsaid, and count it
    # "already formatted" though the record was not in canonical form.
    written = 'id: R-1\nkind: Risk\ntitle:    "t"\n---\n- stray list\n'
    root = make_repo({"risks/r.yaml": written})
    for args in (["--check"], []):
        result = cli("fmt", *args, "--repo", root)
        assert result.exit_code == 2
        assert result.stderr.endswith(
            "risks/r.yaml:5:1: this document is a list, not a record (a mapping of fields), "
            "so the file was left as it is; `aimsctl validate` says what it holds\n"
        )
        assert (root / "risks/r.yaml").read_text(encoding="utf-8") == written


def test_a_number_beyond_the_float_range_is_left_as_written(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # fmt wrote `value: 1e400` back as `value: .inf` (YAML reads it as infinity): a value
    # the person did not write. The file is left as it is, and fmt says why.
    written = "id: R-1\nkind: Risk\nscore: 1e400\nother: !!float 1e999\nkept: .inf\n"
    root = make_repo({"risks/r.yaml": written, "risks/s.yaml": "id: R-2\nkind: Risk\n"})
    for args in (["--check"], []):
        result = cli("fmt", *args, "--repo", root)
        assert result.exit_code == 2
        assert result.stderr.endswith(
            "risks/r.yaml:3:8: 1e400 is beyond the largest number YAML "
            "holds, so it reads as infinity and would be written back as .inf, which is "
            "not what it says; the file was left as it is (write the number you mean)\n"
        )
        assert (root / "risks/r.yaml").read_text(encoding="utf-8") == written
    assert (root / "risks/s.yaml").read_text(encoding="utf-8") == "kind: Risk\nid: R-2\n"
    # Infinity written as YAML writes it is formatted as any value.
    (root / "risks/r.yaml").write_text("id: R-1\nkind: Risk\nscore: -.inf\n", encoding="utf-8")
    assert cli("fmt", "--repo", root).exit_code == 0
    assert (root / "risks/r.yaml").read_text(encoding="utf-8") == (
        "kind: Risk\nid: R-1\nscore: -.inf\n"
    )


def test_a_value_on_one_very_long_line_stays_on_that_line(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # fmt broke a value longer than 4096 characters (a pasted description) over
    # three lines: it read the same, but the file no longer held the lines written.
    long = " ".join(["word"] * 3000)
    written = f'kind: Risk\nid: R-1\ntitle: {long}\ndescription: "{long}:"\ntags:\n  - {long}\n'
    root = make_repo({"risks/r.yaml": written})
    result = cli("fmt", "--check", "--repo", root)
    assert result.exit_code == 0, result.stdout[-500:]
    assert cli("fmt", "--repo", root).exit_code == 0
    assert (root / "risks/r.yaml").read_text(encoding="utf-8") == written


def test_a_named_symbolic_link_is_refused_wherever_it_leads(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # Named on the command line (as pre-commit names staged files), a record file that
    # was a link was judged by where it led: one leading out of the repository, or to
    # a file without a .yaml name, was skipped without a word ("0 files reformatted",
    # exit 0), though validate reads the second as a record.
    root = make_repo({"risks/real/r.txt": "id: R-8\nkind: Risk\n"})
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: R-9\nkind: Risk\n")
    (root / "risks/out.yaml").symlink_to(outside)
    (root / "risks/in.yaml").symlink_to("real/r.txt")
    for name in ("out.yaml", "in.yaml"):
        for check in (["--check"], []):
            result = cli("fmt", *check, root / "risks" / name)
            assert result.exit_code == 2, result.stdout
            assert f"risks/{name} is a symbolic link" in result.stderr
        assert (root / "risks" / name).is_symlink()
    assert outside.read_text() == "id: R-9\nkind: Risk\n"
    assert (root / "risks/real/r.txt").read_text() == "id: R-8\nkind: Risk\n"


def test_a_named_pipe_with_a_yaml_name_is_named_not_waited_on(
    make_repo: Callable[..., Path],
) -> None:
    # fmt opened a named pipe with a record's name (risks/pipe.yaml) and waited for a
    # writer that never came, named or found in the repository (validate reports it).
    root = make_repo({"risks/b.yaml": "id: R-8\nkind: Risk\n"})
    os.mkfifo(root / "risks/pipe.yaml")
    for args in (
        ["--repo", str(root)],
        ["--check", str(root / "risks")],
        [str(root / "risks/pipe.yaml")],
    ):
        command = [sys.executable, "-m", "aimsctl", "fmt", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=root)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "aimsctl: error: risks/pipe.yaml: not a regular file (a named pipe, socket or "
            "device); nothing was written\n"
        )
    assert (root / "risks/b.yaml").read_text() == "kind: Risk\nid: R-8\n"


def test_the_suggested_command_formats_what_was_checked_from_where_it_ran(
    cli: Cli, make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `fmt --check` at the top of a monorepo said "run `aimsctl fmt`", which there
    # finds no aims.yaml (exit 2); after a check of named files it would have
    # rewritten every record of the repository, not the files checked.
    root = make_repo(
        {"risks/r.yaml": "id: R-1\nkind: Risk\n", "risks/s.yaml": "id: R-2\nkind: Risk\n"}
    )
    (root / "risks/my t.yaml").write_text("id: R-3\nkind: Risk\n")
    monkeypatch.chdir(root.parent)
    checked = cli("fmt", "--check", "repo/risks/r.yaml", "repo/risks/my t.yaml")
    assert checked.exit_code == 1
    assert "run `aimsctl fmt 'repo/risks/my t.yaml' repo/risks/r.yaml` to format them" in (
        checked.stdout
    )
    whole = cli("fmt", "--check", "--repo", "repo")
    assert "run `aimsctl fmt --repo repo` to format them" in whole.stdout
    assert cli("fmt", "repo/risks/my t.yaml", "repo/risks/r.yaml").exit_code == 0
    assert (root / "risks/s.yaml").read_text() == "id: R-2\nkind: Risk\n"  # not checked
    assert cli("fmt", "--repo", "repo").exit_code == 0
    assert cli("fmt", "--check", "--repo", "repo").exit_code == 0


def test_a_folder_above_the_repository_is_refused_not_passed_with_nothing_checked(
    cli: Cli, make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `aimsctl fmt --check .` at the top of a monorepo checked no file and passed.
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    (root.parent / "app").mkdir()
    monkeypatch.chdir(root.parent)
    for args in (["--check", "."], ["."], ["--check", "app"]):
        result = cli("fmt", *args)
        assert result.exit_code == 2, result.stdout
        assert "no aims.yaml found" in result.stderr
    said = cli("fmt", "--check", ".").stderr
    # The advice works as pasted: fmt takes the repository's folder as a path (with
    # `--repo repo`, the `.` named would still be outside it).
    assert "below it, repo holds one: name the repository folders instead (repo)" in said
    checked = cli("fmt", "--check", "repo")
    assert checked.exit_code == 1 and "+++ b/repo/risks/r.yaml" in checked.stdout
    assert (root / "risks/r.yaml").read_text() == "id: R-1\nkind: Risk\n"


def test_a_number_in_a_text_field_keeps_the_form_it_was_written_in(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    """Validate refuses `version: 2.10` (YAML reads the number 2.1) and says to quote it
    to keep it as written; formatting wrote it `2.1`, and what was written was lost. A
    number in a field that holds a number is still written in decimal."""
    system = "kind: AISystem\nid: SYS-1\ntitle: t\nversion: 2.10\ntags: [a, 0o12, 1e3]\n"
    risk = "kind: Risk\nid: R-1\ninherent: {likelihood: 0o3, severity: 04}\n"
    root = make_repo({"systems/s.yaml": system, "risks/r.yaml": risk})
    result = cli("fmt", "--repo", root)
    assert result.exit_code == 0, result.stderr
    formatted = (root / "systems/s.yaml").read_text()
    assert "version: 2.10\n" in formatted
    assert "tags: [a, 0o12, 1e3]\n" in formatted
    assert "inherent: {likelihood: 3, severity: 4}\n" in (root / "risks/r.yaml").read_text()
    assert cli("fmt", "--check", "--repo", root).exit_code == 0
