"""`aimsctl report` end to end: options, refusal on errors, --force, --check, --at, writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import AS_OF, Page, git, repository_files, write_repository

from aimsctl import __version__
from aimsctl.catalog import annex_a
from aimsctl.reports import NAMES, Provenance, render_reports
from aimsctl.repository import load_repository
from conftest import EXAMPLE, CliResult, run_with_reader_gone
from gitrepo import GitRepo

Cli = Callable[..., CliResult]
ALL_MD = {f"{name}.md" for name in (*NAMES, "index")}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_repository(tmp_path / "repo")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


# --- writing -------------------------------------------------------------------------


def test_all_writes_the_fixed_file_names_only(repo: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out" / "nested"
    result = cli("report", "all", repo, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in out.iterdir()} == ALL_MD
    assert f"{len(NAMES) + 1} reports written, 0 unchanged" in result.stdout
    again = cli("report", "all", repo, "--out", out, "--as-of", AS_OF)
    assert again.exit_code == 0
    assert f"0 reports written, {len(NAMES) + 1} unchanged" in again.stdout


def test_out_folder_is_shown_escaped_in_every_line(repo: Path, tmp_path: Path, cli: Cli) -> None:
    """A control character in --out's name is shown as an escape, never sent to the
    terminal: the summary line named the folder as it was, unlike the 'wrote' lines."""
    out = tmp_path / "out\x1b[2J\u202e"
    shown = f"{tmp_path}/out\\x1b[2J\\u202e"
    result = cli("report", "risks", repo, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"wrote {shown}/risks.md\n1 report written, 0 unchanged, in {shown}\n")
    checked = cli("report", "risks", repo, "--out", out, "--as-of", AS_OF, "--check")
    assert checked.stdout == f"1 report up to date in {shown}\n"


def test_single_report_writes_one_file_and_no_index(repo: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    result = cli("report", "risks", repo, "--format", "html", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["risks.html"]
    assert "<nav" not in (out / "risks.html").read_text(encoding="utf-8")


def test_reports_are_deterministic(repo: Path, tmp_path: Path, cli: Cli) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for fmt in ("md", "html"):
        assert cli("report", "all", repo, "-f", fmt, "-o", first, "--as-of", AS_OF).exit_code == 0
        assert cli("report", "all", repo, "-f", fmt, "-o", second, "--as-of", AS_OF).exit_code == 0
    assert _snapshot(first) == _snapshot(second)
    assert len(_snapshot(first)) == 2 * (len(NAMES) + 1)
    # In-process too, from two separately loaded repositories.
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("Golden Test Org", "", day, "abc")
    renders = [
        render_reports(load_repository(repo, day), list(NAMES), "html", provenance, index=True)
        for _ in range(2)
    ]
    assert renders[0] == renders[1]


def test_reports_parse_through_the_per_file_cache_and_match_no_cache(
    repo: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report reads validate's per-file cache and never writes it; after each edit,
    and with a damaged cache entry, it renders what --no-cache renders, byte for byte."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(cache))
    risks = repo / "risks" / "risks.yaml"
    for step in range(4):
        cli("validate", repo, "--as-of", AS_OF)  # fills the cache
        [entry] = cache.glob("*.files.json")
        if step == 1:
            risks.write_text(risks.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        elif step == 2:
            text = risks.read_text(encoding="utf-8")
            risks.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
        elif step == 3:
            entry.write_bytes(entry.read_bytes()[:-40])  # damaged: a miss, not a crash
        kept = _snapshot(cache)
        cached, fresh = tmp_path / f"cached-{step}", tmp_path / f"fresh-{step}"
        for out, extra in ((cached, ()), (fresh, ("--no-cache",))):
            result = cli("report", "all", repo, "-f", "html", "-o", out, "--as-of", AS_OF, *extra)
            assert result.exit_code == 0, result.stderr
        assert _snapshot(cached) == _snapshot(fresh)
        assert _snapshot(cache) == kept  # read, never written
    assert b"Renamed" in (tmp_path / "cached-3" / "risks.html").read_bytes()


def test_report_files_are_readable_by_others(repo: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert cli("report", "soa", repo, "-o", out, "--as-of", AS_OF).exit_code == 0
    finally:
        os.umask(old)
    assert (out / "soa.md").stat().st_mode & 0o777 == 0o644


# --- usage errors: exit 2 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "soaa"), "is not one of soa, inventory"),
        (("report", "soa", "--format", "pdf"), "--format 'pdf' is not one of md, html"),
        # one report can go to standard output, which the message did not say
        (
            ("report", "soa"),
            "--out DIR is required: the folder the reports are written to (or --out - to "
            "print the report)\n",
        ),
        (("report", "all"), "--out DIR is required: the folder the reports are written to\n"),
    ],
)
def test_usage_errors(
    repo: Path, tmp_path: Path, cli: Cli, args: tuple[str, ...], message: str
) -> None:
    extra = () if "--out DIR" in message else ("--out", str(tmp_path / "out"))
    result = cli(*args, repo, *extra, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_exit_2(repo: Path, tmp_path: Path, cli: Cli) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = cli("report", "soa", repo, "--out", blocker, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr


def test_unwritable_out_is_exit_2(repo: Path, tmp_path: Path, cli: Cli) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = cli("report", "soa", repo, "--out", blocker / "sub", "--as-of", AS_OF)
    assert result.exit_code == 2
    # The file in the way is named, not only the folder asked for.
    assert result.stderr == (
        f"aimsctl: error: --out {blocker / 'sub'}: {blocker} is a file, not a folder\n"
    )


def test_a_folder_in_a_reports_place_writes_no_report(repo: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    (out / "risks.md").mkdir(parents=True)
    result = cli("report", "all", repo, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "risks.md: it is a folder, not a file; nothing was written" in result.stderr
    assert "wrote" not in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["risks.md"]  # no partial set of reports


def test_check_refuses_a_folder_in_a_reports_place_as_the_write_does(
    repo: Path, tmp_path: Path, cli: Cli
) -> None:
    """--check listed such a folder as a stale report (exit 1, "run the same command
    without --check to write them"), while that command refuses it (exit 2)."""
    out = tmp_path / "out"
    assert cli("report", "all", repo, "--out", out, "--as-of", AS_OF).exit_code == 0
    (out / "risks.md").unlink()
    (out / "risks.md").mkdir()
    before = _snapshot(out)
    check = cli("report", "all", repo, "--out", out, "--as-of", AS_OF, "--check")
    write = cli("report", "all", repo, "--out", out, "--as-of", AS_OF)
    assert (check.exit_code, write.exit_code) == (2, 2)
    assert check.stdout == "" and "wrote" not in write.stdout
    assert f"{out / 'risks.md'}: is a folder, not a file" in check.stderr
    assert f"{out / 'risks.md'}: it is a folder, not a file" in write.stderr
    assert _snapshot(out) == before


def test_check_finds_a_link_round_a_loop_stale_as_the_write_replaces_it(
    repo: Path, tmp_path: Path, cli: Cli
) -> None:
    """--check ended in 'cannot read out/risks.md: Too many levels of symbolic links'
    (exit 2), while the write replaces the link as any other and succeeds."""
    out = tmp_path / "out"
    assert cli("report", "all", repo, "--out", out, "--as-of", AS_OF).exit_code == 0
    (out / "risks.md").unlink()
    (out / "risks.md").symlink_to("loop")
    (out / "loop").symlink_to("risks.md")
    check = cli("report", "all", repo, "--out", out, "--as-of", AS_OF, "--check")
    assert (check.exit_code, check.stderr) == (1, "")
    assert check.stdout.splitlines()[0] == f"{out / 'risks.md'}: differs (not a regular file)"
    assert cli("report", "all", repo, "--out", out, "--as-of", AS_OF).exit_code == 0
    assert (out / "risks.md").is_file() and not (out / "risks.md").is_symlink()
    again = cli("report", "all", repo, "--out", out, "--as-of", AS_OF, "--check")
    assert again.exit_code == 0, again.stdout


# --- validation errors: refuse, or --force with a warning ------------------------------


def _broken(tmp_path: Path) -> Path:
    files = repository_files(omit=("A.9.2",))
    files["risks/bad.yaml"] = "kind: Risk\nid: R-9\ntitle: Broken\nstatus: open\n"
    return write_repository(tmp_path / "broken", files)


def test_refuses_while_validation_has_errors(tmp_path: Path, cli: Cli) -> None:
    root = _broken(tmp_path)
    out = tmp_path / "out"
    result = cli("report", "all", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    findings = [line for line in lines if ": error AIMS" in line]
    assert any("AIMS202" in line and "A.9.2" in line for line in findings)
    assert any(line.startswith("risks/bad.yaml:") for line in findings)
    assert lines[-1].startswith("aimsctl: error: ") and "--force" in lines[-1]
    assert len(lines) == len(findings) + 1  # one line per error, then the summary
    assert not out.exists()


def test_the_refusal_names_the_validate_command_that_runs_where_the_user_is(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Fix them (`aimsctl validate`)" from the top of a monorepo found no aims.yaml
    # there (exit 2), or checked another day than the report did.
    _broken(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("report", "all", "broken", "--out", "out", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"Fix them (`aimsctl validate broken --as-of {AS_OF}`)" in result.stderr
    # Each error is named as that command names it, from the current folder.
    assert "\nbroken/risks/bad.yaml:" in result.stderr
    monkeypatch.chdir(tmp_path / "broken")
    result = cli("report", "soa", "--out", "../out", "--as-of", AS_OF)
    assert f"Fix them (`aimsctl validate --as-of {AS_OF}`)" in result.stderr
    assert "\nrisks/bad.yaml:" in result.stderr


def test_the_refusal_at_a_revision_names_no_validate_of_the_working_tree(
    tmp_path: Path, cli: Cli
) -> None:
    # The errors are the revision's: `validate` of the working tree (fixed since) would
    # list none of them.
    root = _broken(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "broken")
    (root / "risks" / "bad.yaml").unlink()
    result = cli("report", "soa", root, "--out", tmp_path / "out", "--as-of", AS_OF, "--at", "HEAD")
    assert result.exit_code == 1
    assert "Fix them (they are the records at HEAD; `validate` lists them in a checkout" in (
        result.stderr
    )
    assert "aimsctl validate" not in result.stderr


def test_force_renders_with_a_warning_on_the_first_lines(tmp_path: Path, cli: Cli) -> None:
    root = _broken(tmp_path)
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        result = cli("report", "all", root, "-f", fmt, "-o", out, "--as-of", AS_OF, "--force")
        assert result.exit_code == 0, result.stderr
    for name in ALL_MD:
        text = (out / name).read_text(encoding="utf-8")
        assert text.startswith("> **Warning: this report was produced with `--force`"), name
        assert "AIMS202" in text.split("\n# ", 1)[0], name
    for name in ALL_MD:
        page = Page((out / name.replace(".md", ".html")).read_text(encoding="utf-8"))
        body = [tag for tag, _ in page.tags]
        first = page.tags[body.index("body") + 1]
        assert first[0] == "div" and first[1].get("class") == "warning", name
        assert "while validation finds errors" in page.text


def test_force_names_every_file_left_out_beyond_the_errors_shown(tmp_path: Path, cli: Cli) -> None:
    # 25 missing Annex A controls fill the 20 errors a report shows; the system whose
    # record fails validation, and is in no report, is named all the same.
    files = repository_files(omit=tuple(list(annex_a())[:25]))
    chat = files["systems/chat.yaml"]
    assert isinstance(chat, str) and "\nstage: development\n" in chat
    files["systems/chat.yaml"] = chat.replace("\nstage: development\n", "\nstage: bogus\n")
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        result = cli("report", "all", root, "-f", fmt, "-o", out, "--as-of", AS_OF, "--force")
        assert result.exit_code == 0, result.stderr
        assert "1 file with records that failed validation" in result.stderr
        assert "systems/chat.yaml" in result.stderr
    for name in ALL_MD:
        text = (out / name).read_text(encoding="utf-8")
        assert "> - and 9 more\n" in text, name
        assert "SYS-CHAT" not in text, name
        assert "> Left out: the records that failed validation in systems/chat.yaml.\n" in text
        assert "the records that failed validation are left out (named below)." in text
        page = (out / name.replace(".md", ".html")).read_text(encoding="utf-8")
        assert "failed validation in <code>systems/chat.yaml</code>." in page, name


def test_force_with_errors_that_keep_every_record_says_none_is_left_out(
    tmp_path: Path, cli: Cli
) -> None:
    # A placeholder (AIMS107) keeps its record in every report; the warning said
    # "invalid records are left out" all the same, and the reader looked for a gap.
    files = repository_files()
    chat = files["systems/chat.yaml"]
    assert isinstance(chat, str) and "\ntitle: " in chat
    files["systems/chat.yaml"] = re.sub(r"\ntitle: [^\n]*", "\ntitle: 'TODO: name it'", chat)
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        result = cli("report", "inventory", root, "-f", fmt, "-o", out, "--as-of", AS_OF, "--force")
        assert result.exit_code == 0, result.stderr
    text = (out / "inventory.md").read_text(encoding="utf-8")
    warning = text.split("\n# ", 1)[0]
    assert "AIMS107" in warning
    assert "no record is left out for its errors (none failed to load)." in warning
    assert "left out (named below)" not in warning and "Left out:" not in warning
    assert "SYS-CHAT" in text.split("\n# ", 1)[1]
    page = (out / "inventory.html").read_text(encoding="utf-8")
    assert "no record is left out for its errors (none failed to load)." in page


# --- --check ------------------------------------------------------------------------------


def test_check_fresh_stale_and_missing(repo: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    missing = cli("report", "all", repo, "-o", out, "--as-of", AS_OF, "--check")
    assert missing.exit_code == 1
    assert not out.exists()  # --check writes nothing
    assert f"{out / 'soa.md'}: missing" in missing.stdout
    assert cli("report", "all", repo, "-o", out, "--as-of", AS_OF).exit_code == 0
    before = _snapshot(out)
    fresh = cli("report", "all", repo, "-o", out, "--as-of", AS_OF, "--check")
    assert fresh.exit_code == 0, fresh.stdout
    assert f"{len(NAMES) + 1} reports up to date" in fresh.stdout
    hire = repo / "systems" / "hire.yaml"
    hire.write_text(
        hire.read_text(encoding="utf-8").replace(
            "title: Applicant ranking\n", "title: Applicant ranking v2\n"
        ),
        encoding="utf-8",
    )
    stale = cli("report", "all", repo, "-o", out, "--as-of", AS_OF, "--check")
    assert stale.exit_code == 1
    listed = {line.split(":")[0] for line in stale.stdout.splitlines() if "differs" in line}
    # The risk register names systems by id only, so it stays current.
    assert listed == {
        str(out / f"{n}.md") for n in ("inventory", "impact", "systems", "monitoring", "management")
    }
    assert _snapshot(out) == before
    other_date = cli("report", "all", repo, "-o", out, "--as-of", "2026-11-27", "--check")
    assert other_date.exit_code == 1


def test_check_ignores_only_the_commit(tmp_path: Path, cli: Cli) -> None:
    root = write_repository(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    out = root / "reports"
    assert cli("report", "all", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    first_head = git(root, "rev-parse", "HEAD").strip()
    assert f"- **Git commit:** {first_head} (commit dated " in (out / "soa.md").read_text("utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "reports")
    # HEAD moved (a report cannot name the commit that holds it): still up to date.
    assert cli("report", "all", root, "-o", out, "--as-of", AS_OF, "--check").exit_code == 0
    soa = out / "soa.md"
    soa.write_text(
        soa.read_text(encoding="utf-8").replace("Golden Test Org", "Other Org"), encoding="utf-8"
    )
    assert cli("report", "all", root, "-o", out, "--as-of", AS_OF, "--check").exit_code == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_checked_out_with_crlf_line_ends_are_up_to_date(
    repo: Path, tmp_path: Path, cli: Cli, fmt: str
) -> None:
    # Committed reports come out of a checkout with core.autocrlf=true (Windows, and
    # actions/checkout there) with CRLF line ends: --check called every one stale
    # (exit 1) though git sees no change, and a render rewrote them all.
    out = tmp_path / "out"
    assert cli("report", "all", repo, "-o", out, "-f", fmt, "--as-of", AS_OF).exit_code == 0
    for path in out.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = _snapshot(out)
    check = cli("report", "all", repo, "-o", out, "-f", fmt, "--as-of", AS_OF, "--check")
    assert check.exit_code == 0, check.stdout
    again = cli("report", "all", repo, "-o", out, "-f", fmt, "--as-of", AS_OF)
    assert again.exit_code == 0 and "0 reports written" in again.stdout, again.stdout
    assert _snapshot(out) == before
    soa = out / f"soa.{fmt}"
    soa.write_bytes(soa.read_bytes().replace(b"Golden Test Org", b"Other Org"))
    stale = cli("report", "all", repo, "-o", out, "-f", fmt, "--as-of", AS_OF, "--check")
    assert stale.exit_code == 1 and f"{soa}: differs" in stale.stdout


# --- provenance and --at ------------------------------------------------------------------


def test_provenance_where_git_cannot_be_used_is_unknown_not_outside_git(
    tmp_path: Path, cli: Cli
) -> None:
    """A repository committed in git, rendered where git cannot tell its commit: with
    no git program, or with a damaged .git/HEAD. The reports were stamped "not a git
    repository", which is false; the commit is unknown, and the report says why."""
    root = write_repository(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["PATH"] = str(tmp_path / "no-programs")
    args = [sys.executable, "-m", "aimsctl", "report", "soa", str(root), "-o", "-"]
    # Without git, whether SYS-HIRE changed after its approved assessment cannot be told
    # (AIMS407, an error, as in a partial clone): rendered anyway, with that warning.
    refused = subprocess.run([*args, "--as-of", AS_OF], capture_output=True, text=True, env=env)
    assert refused.returncode == 1, refused.stderr
    assert "AIMS407" in refused.stderr and "install git" in refused.stderr
    forced = [*args, "--as-of", AS_OF, "--force"]
    ran = subprocess.run(forced, capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr
    assert (
        "- **Git commit:** unknown: the git program is not installed or not on PATH; install git\n"
    ) in ran.stdout
    # A damaged HEAD: git cannot read the history either, which AIMS407 says with git's
    # reason (it was silent, as outside git, and the report rendered as if all was told).
    (root / ".git" / "HEAD").write_text("")
    refused_too = cli("report", "soa", root, "-o", "-", "--as-of", AS_OF)
    assert refused_too.exit_code == 1, refused_too.stderr
    assert "AIMS407" in refused_too.stderr and "git cannot read the history" in refused_too.stderr
    shown = cli("report", "soa", root, "-o", "-", "--as-of", AS_OF, "--force")
    assert shown.exit_code == 0, shown.stderr
    [line] = [line for line in shown.stdout.splitlines() if "Git commit" in line]
    assert line.startswith("- **Git commit:** unknown: "), line  # the path, Markdown-escaped
    assert line.endswith(
        "is not a usable git repository: it is damaged or incomplete (for "
        "example an empty or invalid .git/HEAD file); \\`git fsck\\` lists what is damaged; "
        "restore the repository from another clone"
    ), line


def test_provenance_names_the_commit_and_dirty_state(tmp_path: Path, cli: Cli) -> None:
    root = write_repository(tmp_path / "repo")
    out = tmp_path / "out"
    assert cli("report", "soa", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert "- **Git commit:** not a git repository\n" in (out / "soa.md").read_text("utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    head = git(root, "rev-parse", "HEAD").strip()
    assert cli("report", "soa", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert f"- **Git commit:** {head} (commit dated " in (out / "soa.md").read_text("utf-8")
    (root / "evidence" / "new.md").write_text("new\n", encoding="utf-8")
    assert cli("report", "soa", root, "-o", out, "--as-of", AS_OF).exit_code == 0
    text = (out / "soa.md").read_text("utf-8")
    assert f"- **Git commit:** {head} with uncommitted changes (commit dated " in text


def test_provenance_dates_the_commit_and_says_when_it_is_later_than_the_as_of_date(
    tmp_path: Path, cli: Cli
) -> None:
    # HEAD committed 2026-12-07 and reports as of 2026-11-26 named the commit without a
    # word: records added after the as-of date read as if they were there on it.
    repo = GitRepo(tmp_path / "repo")
    write_repository(repo.root)
    before = repo.commit("records", on="2026-11-20")
    out = tmp_path / "out"
    assert cli("report", "soa", repo.root, "-o", out, "--as-of", AS_OF).exit_code == 0
    text = (out / "soa.md").read_text("utf-8")
    assert f"- **Git commit:** {before} (commit dated 2026-11-20)\n" in text
    (repo.root / "evidence" / "late.md").write_text("late\n", encoding="utf-8")
    later = repo.commit("a later record", on="2026-12-07")
    late = (
        "(commit dated 2026-12-07, **after the as-of date**: the records are those of a "
        f"later day than {AS_OF})"
    )
    assert cli("report", "soa", repo.root, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert f"- **Git commit:** {later} {late}\n" in (out / "soa.md").read_text("utf-8")
    html = cli("report", "soa", repo.root, "-o", out, "--as-of", AS_OF, "-f", "html")
    assert html.exit_code == 0, html.stderr
    assert (
        f'<dd class="commit">{later} <span class="committed">(commit dated 2026-12-07, '
        '<strong class="verdict-above">after the as-of date</strong>: the records are those '
        f"of a later day than {AS_OF})</span></dd>"
    ) in (out / "soa.html").read_text("utf-8")
    # --at dates the commit it reads; as of its own day, no note.
    at = cli("report", "soa", repo.root, "-o", out, "--as-of", AS_OF, "--at", "HEAD~1")
    assert at.exit_code == 0, at.stderr
    assert f"- **Git commit:** {before} (commit dated 2026-11-20)\n" in (out / "soa.md").read_text(
        "utf-8"
    )
    at = cli("report", "soa", repo.root, "-o", out, "--as-of", "2026-12-07", "--at", later)
    assert at.exit_code == 0, at.stderr
    assert f"- **Git commit:** {later} (commit dated 2026-12-07)\n" in (out / "soa.md").read_text(
        "utf-8"
    )
    # A commit made in Auckland on the morning of the 27th is the 26th in UTC: dated as
    # its committer dates it, and no note, since it is not later everywhere.
    (repo.root / "evidence" / "east.md").write_text("east\n", encoding="utf-8")
    stamp = {"GIT_COMMITTER_DATE": "2026-11-27T01:00:00+14:00"}
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "from Auckland", env=stamp)
    east = cli("report", "soa", repo.root, "-o", out, "--as-of", AS_OF)
    assert east.exit_code == 0, east.stderr
    assert "(commit dated 2026-11-27)\n" in (out / "soa.md").read_text("utf-8")
    # The date goes with the commit: a later commit alone never makes a report stale.
    inside = repo.root / "reports"
    assert cli("report", "all", repo.root, "-o", inside, "--as-of", AS_OF).exit_code == 0
    repo.commit("the reports", on="2027-01-04")
    check = cli("report", "all", repo.root, "-o", inside, "--as-of", AS_OF, "--check")
    assert check.exit_code == 0, check.stdout + check.stderr


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_report_names_the_aimsctl_version_that_made_it(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    root = write_repository(tmp_path / "repo")
    out = tmp_path / "out"
    assert cli("report", "all", root, "-o", out, "--as-of", AS_OF, "-f", fmt).exit_code == 0
    for name in (*NAMES, "index"):
        text = (out / f"{name}.{fmt}").read_text("utf-8")
        if fmt == "md":
            assert f"- **Produced by:** aimsctl {__version__}\n" in text, name
        else:
            assert f'<meta name="generator" content="aimsctl {__version__}">' in text, name
            assert f"<dt>Produced by</dt><dd>aimsctl {__version__}</dd>" in text, name
        assert f"Produced by aimsctl {__version__} from the governance records" in text, name


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_written_into_the_repository_do_not_make_the_next_run_dirty(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    # The second of two identical runs named "<sha> with uncommitted changes" (the
    # first run's reports were untracked files) and rewrote every report; a run in
    # the other format, or of one report, did the same to the next.
    root = write_repository(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    head = git(root, "rev-parse", "HEAD").strip()
    out = root / "audit" / "reports"
    other = "html" if fmt == "md" else "md"
    assert cli("report", "all", root, "-o", out, "--as-of", AS_OF, "-f", other).exit_code == 0
    first = cli("report", "all", root, "-o", out, "--as-of", AS_OF, "-f", fmt)
    assert first.exit_code == 0
    written = {path.name: path.read_bytes() for path in out.glob(f"*.{fmt}")}
    clean = f"- **Git commit:** {head} (" if fmt == "md" else f'<dd class="commit">{head} <span'
    assert clean in written[f"soa.{fmt}"].decode()
    again = cli("report", "all", root, "-o", out, "--as-of", AS_OF, "-f", fmt)
    assert again.exit_code == 0
    unchanged = len(NAMES) + 1  # every report and the index
    assert again.stdout.endswith(f"0 reports written, {unchanged} unchanged, in {out}\n")
    assert {path.name: path.read_bytes() for path in out.glob(f"*.{fmt}")} == written
    # Anything else that changes below the root still counts.
    (root / "evidence" / "new.md").write_text("new\n", encoding="utf-8")
    assert cli("report", "soa", root, "-o", out, "--as-of", AS_OF, "-f", fmt).exit_code == 0
    assert f"{head} with uncommitted changes" in (out / f"soa.{fmt}").read_text("utf-8")


def test_at_renders_a_past_revision_without_touching_the_working_tree(
    tmp_path: Path,
    cli: Cli,
) -> None:
    top = tmp_path / "work"
    root = write_repository(top / "governance")  # the governance root is a subfolder
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "v1")
    v1 = git(top, "rev-parse", "HEAD").strip()
    hire = root / "systems" / "hire.yaml"
    hire.write_text(
        hire.read_text("utf-8").replace(
            "title: Applicant ranking\n", "title: Applicant ranking v2\n"
        ),
        encoding="utf-8",
    )
    git(top, "commit", "-q", "-am", "v2")
    hire.write_text(hire.read_text("utf-8").replace("v2\n", "v3 (uncommitted)\n"), encoding="utf-8")
    before, status = _snapshot(top), git(top, "status", "--porcelain")
    out = tmp_path / "out"
    result = cli("report", "inventory", root, "-o", out, "--as-of", AS_OF, "--at", "HEAD~1")
    assert result.exit_code == 0, result.stderr
    text = (out / "inventory.md").read_text("utf-8")
    assert "SYS-HIRE Applicant ranking (talent" in text
    assert "v2" not in text and "v3" not in text
    assert f"- **Git commit:** {v1} (commit dated " in text
    assert _snapshot(top) == before
    assert git(top, "status", "--porcelain") == status
    now = cli("report", "inventory", root, "-o", out, "--as-of", AS_OF)
    assert now.exit_code == 0
    assert "Applicant ranking v3 (uncommitted)" in (out / "inventory.md").read_text("utf-8")


def test_at_takes_the_records_dates_from_that_commits_history(tmp_path: Path, cli: Cli) -> None:
    """The rules a report runs (AIMS407 here) date a system's material change from the
    history of the commit reported on, as validate does for the working tree: `--at`
    once read no history, and rendered a report the same checked-out commit refuses."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(EXAMPLE, repo.root, dirs_exist_ok=True)
    repo.commit("the example", on="2026-01-15")
    hire = repo.root / "systems" / "SYS-HIRE.yaml"
    text = hire.read_text("utf-8")
    assert "purpose: >-\n" in text
    hire.write_text(text.replace("purpose: >-\n", "purpose: >-\n  Changed materially.\n", 1))
    repo.commit("SYS-HIRE's purpose changes after its assessment was approved", on="2026-11-20")
    out = tmp_path / "out"
    checked_out = cli("report", "inventory", repo.root, "-o", out, "--as-of", AS_OF)
    at_head = cli("report", "inventory", repo.root, "-o", out, "--as-of", AS_OF, "--at", "HEAD")
    assert checked_out.exit_code == at_head.exit_code == 1
    assert "AIMS407" in checked_out.stderr and "AIMS407" in at_head.stderr
    before = cli("report", "inventory", repo.root, "-o", out, "--as-of", AS_OF, "--at", "HEAD~1")
    assert before.exit_code == 0, before.stderr
    # From a branch with no commits yet (an orphan branch for published reports), the
    # commit reported on still has its history.
    main = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "--orphan", "pages")
    orphan = cli("report", "inventory", repo.root, "-o", out, "--as-of", AS_OF, "--at", main)
    assert orphan.exit_code == 1 and "AIMS407" in orphan.stderr


def test_at_reads_override_templates_from_that_revision(tmp_path: Path, cli: Cli) -> None:
    files = repository_files()
    files["aims.yaml"] = f"{files['aims.yaml']!s}templates: report-templates\n"
    files["report-templates/md/_provenance.md.j2"] = "Old provenance {{ provenance.commit }}\n"
    root = write_repository(tmp_path / "repo", files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "report-templates" / "md" / "_provenance.md.j2").write_text("New provenance\n")
    out = tmp_path / "out"
    assert cli("report", "soa", root, "-o", out, "--as-of", AS_OF, "--at", "HEAD").exit_code == 0
    assert "Old provenance " in (out / "soa.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("none", "not inside a git repository"),
        ("empty", "no commits yet"),
        ("unknown", "unknown revision 'no-such-branch'"),
    ],
)
def test_at_git_problems_are_exit_2(tmp_path: Path, cli: Cli, setup: str, message: str) -> None:
    root = write_repository(tmp_path / "repo")
    if setup != "none":
        git(root, "init", "-q")
    if setup == "unknown":
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "v1")
    rev = "no-such-branch" if setup == "unknown" else "HEAD"
    result = cli("report", "soa", root, "-o", tmp_path / "out", "--at", rev, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_at_a_revision_without_aims_yaml_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("x\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before aimsctl")
    write_repository(root)
    result = cli("report", "soa", root, "-o", tmp_path / "out", "--at", "HEAD", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "has no aims.yaml in commit" in result.stderr


# --- the command stays light ----------------------------------------------------------------


def test_help_does_not_import_jinja_or_git() -> None:
    code = (
        "import sys\n"
        "from aimsctl.cli.app import app\n"
        "assert 'jinja2' not in sys.modules, 'jinja2'\n"
        "assert 'git' not in sys.modules, 'git'\n"
        "assert 'aimsctl.reports' not in sys.modules, 'reports'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_git_is_available_for_these_tests() -> None:
    assert shutil.which("git"), "the --at and provenance tests need git on PATH"


def test_same_report_ignores_the_commit_and_nothing_else() -> None:
    from aimsctl.reports import COMMIT_PLACEHOLDER, same_report

    rendered = f"# SoA\n- **Git commit:** {COMMIT_PLACEHOLDER}\n- **As of:** 2026-11-26\n"
    assert same_report(
        "# SoA\n- **Git commit:** abc with uncommitted changes\n- **As of:** 2026-11-26\n", rendered
    )
    assert same_report(
        "# SoA\n- **Git commit:** not a git repository\n- **As of:** 2026-11-26\n", rendered
    )
    assert not same_report("# SoA\n- **Git commit:** abc\n- **As of:** 2026-11-27\n", rendered)
    assert not same_report("# SoA\n- **Git link:** abc\n- **As of:** 2026-11-26\n", rendered)
    assert not same_report(
        "# SoA\n- **Git commit:** abc\nextra\n- **As of:** 2026-11-26\n", rendered
    )
    assert same_report("same\n", "same\n") and not same_report("same\n", "other\n")


def test_same_report_with_many_commits_on_a_line_is_matched_without_backtracking() -> None:
    """Any text may stand where the commit does, and one line may name it many times:
    the line is matched part by part (a regular expression of 40 wildcards once
    backtracked without end over a line built to fail at its end)."""
    from aimsctl.reports import COMMIT_PLACEHOLDER, same_report

    rendered = "x".join([COMMIT_PLACEHOLDER] * 40) + "!\n"
    assert same_report("x" * 39 + "!\n", rendered)  # every commit empty
    assert same_report("abxcdx" + "x" * 37 + "tail!\n", rendered)
    assert not same_report("x" * 5000 + "?\n", rendered)  # the last part missing
    assert not same_report("x" * 38 + "!\n", rendered)  # one separator short


def test_a_record_cannot_hold_the_commit_placeholder(repo: Path, tmp_path: Path, cli: Cli) -> None:
    """The placeholder `--check` renders the commit as is drawn by each run: a title
    holding the one an earlier version used is text like any other, so a report
    edited there is stale (it was taken for the commit, and passed)."""
    hire = repo / "systems" / "hire.yaml"
    text = hire.read_text(encoding="utf-8")
    hire.write_text(text.replace("title: Applicant ranking\n", "title: AIMSCTLCOMMITPLACEHOLDER\n"))
    out = tmp_path / "out"
    assert cli("report", "inventory", repo, "-o", out, "--as-of", AS_OF).exit_code == 0
    inventory = out / "inventory.md"
    assert "AIMSCTLCOMMITPLACEHOLDER" in inventory.read_text(encoding="utf-8")
    inventory.write_text(
        inventory.read_text(encoding="utf-8").replace("AIMSCTLCOMMITPLACEHOLDER", "tampered")
    )
    assert cli("report", "inventory", repo, "-o", out, "--as-of", AS_OF, "--check").exit_code == 1


def test_report_all_writes_every_file_when_nobody_reads_what_it_prints(tmp_path: Path) -> None:
    """`aimsctl report all --out DIR | head -1`: the run ends (141) once the reader has
    gone, and it named each report after writing it, so it stopped after the first
    and left a partial set; every report is written before any is named."""
    out = tmp_path / "out"
    assert run_with_reader_gone(
        "report", "all", str(EXAMPLE), "--as-of", AS_OF, "--out", str(out), "--no-cache"
    ) == (141, b"")
    assert sorted(p.stem for p in out.iterdir()) == sorted([*NAMES, "index"])


def test_the_records_are_kept_from_collections_while_the_reports_are_made(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loaded records stay alive until the reports are written, so a collection
    walking them frees nothing: one ran between the load and the rules (comparing the
    working tree with HEAD for the provenance), walking every record (10,000 records:
    `report all` 3.6 s, 3.2 s without). They are now built with the collector off and
    frozen before anything else runs; the reports are the same bytes."""
    import gc

    import aimsctl.reports
    import aimsctl.repository

    repo = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, repo.root, dirs_exist_ok=True)
    repo.commit("records")
    common = ("report", "all", str(repo.root), "--as-of", AS_OF, "--no-cache", "-f", "html")
    plain = cli(*common, "--out", str(tmp_path / "plain"))
    seen: dict[str, tuple[bool, int]] = {}
    load, render = aimsctl.repository.load_repository, aimsctl.reports.render_reports

    def loading(*args: Any, **kwargs: Any) -> Any:
        seen["load"] = gc.isenabled(), gc.get_freeze_count()
        return load(*args, **kwargs)

    def rendering(*args: Any, **kwargs: Any) -> Any:
        seen["render"] = gc.isenabled(), gc.get_freeze_count()
        return render(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(aimsctl.repository, "load_repository", loading)
        patch.setattr(aimsctl.reports, "render_reports", rendering)
        watched = cli(*common, "--out", str(tmp_path / "watched"))
    assert seen["load"] == (False, 0)
    assert seen["render"][0] and seen["render"][1] > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0  # as before, once written
    assert (watched.exit_code, plain.exit_code) == (0, 0)
    assert _snapshot(tmp_path / "watched") == _snapshot(tmp_path / "plain")


def test_the_inventory_says_an_assessment_decided_against_the_system(cli: Cli) -> None:
    """IA-ROSTER-2026 decided do-not-proceed; the inventory showed it "approved" alone,
    which a reader could take for the system approved."""
    for fmt in ("md", "html"):
        shown = cli("report", "inventory", EXAMPLE, "--out", "-", "--as-of", AS_OF, "-f", fmt)
        assert shown.exit_code == 0, shown.stderr
        text = re.sub(r"<[^>]+>", " ", shown.stdout)
        assert re.search(r"IA-ROSTER-2026\s+approved \(do-not-proceed\)", text), fmt
