"""Security: no YAML executes code or reads files, templates run sandboxed, read-only
commands write nothing, report writes only inside --out, and nothing opens a network
connection.

Every test in this module runs under ``no_network``, which makes any socket
connection or name lookup fail and records the attempt; the test fails if one
was made.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_records import plain_words_problem

from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult
from gitrepo import GitRepo, northwind_pull_request

Cli = Callable[..., CliResult]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail every connection and name lookup, and fail the test if one was tried."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.connect') else args}")
            raise OSError(f"aimsctl tests: network access ({name}) is not allowed")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    yield attempts
    assert attempts == [], f"network access attempted: {attempts}"


# --- YAML never executes code or reads files -----------------------------------------

SECRET = "TOP-SECRET-CONTENT-7f3a"


def _payloads(marker: Path, secret: Path) -> dict[str, str]:
    """YAML that would run a command or read a file under an unsafe loader."""
    touch = f'["touch", "{marker}"]'
    return {
        "object-apply": f"owner: !!python/object/apply:os.system ['touch {marker}']\n",
        "subprocess": f"owner: !!python/object/apply:subprocess.check_call [{touch}]\n",
        "object-new": f"owner: !!python/object/new:subprocess.Popen [{touch}]\n",
        "object": "owner: !!python/object:os._wrap_close {}\n",
        "name": "owner: !!python/name:os.system\n",
        "module": "owner: !!python/module:os\n",
        "tag-directive": (
            "%TAG !x! tag:yaml.org,2002:python/object/apply:\n---\n"
            f"owner: !x!os.system ['touch {marker}']\n"
        ),
        "document-tag": f"--- !!python/object/apply:os.system ['touch {marker}']\n",
        "include": f"owner: !include {secret}\n",
        "merge-key": "base: &b {owner: a}\n<<: *b\n",
        "key-tag": f"? !!python/object/apply:os.system ['touch {marker}']\n: x\n",
    }


@pytest.fixture
def traps(tmp_path: Path) -> tuple[Path, Path]:
    """A marker path that a command would create, and a secret file it would read."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    return tmp_path / "pwned", secret


@pytest.mark.parametrize("payload", sorted(_payloads(Path("m"), Path("s"))))
def test_yaml_in_a_record_never_runs_code_or_reads_files(
    payload: str, traps: tuple[Path, Path], make_repo: Callable[..., Path], cli: Cli
) -> None:
    marker, secret = traps
    text = _payloads(marker, secret)[payload]
    body = text if text.startswith(("%", "---")) else "kind: Waiver\nid: W-1\n" + text
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "waivers/w.yaml": body})
    outputs = [
        cli("validate", root, "--format", "json", "--as-of", AS_OF),
        cli("risk", "score", root, "--as-of", AS_OF),
        cli("risk", "matrix", root, "--as-of", AS_OF),
        cli("report", "all", root, "--out", root.parent / "out", "--force", "--as-of", AS_OF),
    ]
    assert not marker.exists()
    for result in outputs:
        assert result.exit_code in (0, 1), result.stderr
        assert SECRET not in result.stdout + result.stderr
    codes = {
        d["code"]
        for d in json.loads(outputs[0].stdout)["diagnostics"]
        if d["path"] == "waivers/w.yaml"
    }
    assert "AIMS004" in codes
    for path in (root.parent / "out").iterdir():
        assert SECRET not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("payload", sorted(_payloads(Path("m"), Path("s"))))
def test_yaml_in_aims_yaml_never_runs_code_or_reads_files(
    payload: str, traps: tuple[Path, Path], make_repo: Callable[..., Path], cli: Cli
) -> None:
    marker, secret = traps
    text = _payloads(marker, secret)[payload]
    config = text if text.startswith(("%", "---")) else MINIMAL_CONFIG + text
    root = make_repo(config=config)
    result = cli("validate", root, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert not marker.exists()
    assert SECRET not in result.stderr
    assert result.stderr.startswith("aimsctl: error: aims.yaml:")
    assert plain_words_problem(result.stderr) is None


def test_yaml_committed_to_git_never_runs_code(
    traps: tuple[Path, Path], tmp_path: Path, cli: Cli
) -> None:
    marker, secret = traps
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": MINIMAL_CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    repo.commit("Start")
    payloads = _payloads(marker, secret)
    repo.write(
        {
            f"waivers/{name}.yaml": "kind: Waiver\nid: W-1\n" + text
            for name, text in payloads.items()
            if not text.startswith(("%", "---"))
        }
    )
    repo.commit("Hostile records")
    results = [
        cli("diff", "HEAD~1", "HEAD", repo.root, "--as-of", AS_OF),
        cli("diff", "HEAD~1", repo.root, "--format", "json", "--as-of", AS_OF),
        cli("log", "W-1", repo.root),
        cli(
            "report",
            "soa",
            repo.root,
            "--at",
            "HEAD",
            "--force",
            "--out",
            tmp_path / "o",
            "--as-of",
            AS_OF,
        ),
    ]
    assert not marker.exists()
    for result in results:
        assert SECRET not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


# --- templates run sandboxed ----------------------------------------------------------

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "attr-filter": "{{ (''|attr('__class__')|attr('__mro__'))[1] }}",
    "template-context": "{{ self._TemplateReference__context }}",
    "format-string": "{{ '{0.__class__.__mro__}'.format('') }}",
    "namespace": "{{ namespace.__init__.__globals__ }}",
    "builtins": "{{ range.__self__ }}",
    "include-file": "{% include '/etc/passwd' %}",
    "import-os": "{% import 'os' as os %}{{ os.system('touch MARKER') }}",
}


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_override_template_cannot_escape_the_sandbox(
    escape: str, tmp_path: Path, make_repo: Callable[..., Path], cli: Cli
) -> None:
    marker = tmp_path / "pwned"
    template = ESCAPES[escape].replace("MARKER", str(marker))
    root = make_repo(
        {"controls/annex-a.yaml": EXCLUDED_SOA, "report-templates/md/soa.md.j2": template},
        config=MINIMAL_CONFIG + "templates: report-templates\n",
    )
    out = tmp_path / "out"
    result = cli("report", "soa", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stdout
    assert "report-templates/md/soa.md.j2" in result.stderr or "'/etc/passwd'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert plain_words_problem(result.stderr) is None, result.stderr
    assert "root:" not in result.stderr  # nothing of /etc/passwd
    assert not marker.exists()
    assert not out.exists()


# --- nothing is written outside --out -------------------------------------------------


def snapshot(*folders: Path) -> dict[str, tuple[Any, ...]]:
    """Every path below the folders: kind, mode, size, modification time and content."""
    found: dict[str, tuple[Any, ...]] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in [*dirnames, *filenames]:
                path = Path(dirpath, name)
                info = path.lstat()
                if path.is_symlink():
                    content: str = os.readlink(path)
                elif path.is_file():
                    content = hashlib.sha256(path.read_bytes()).hexdigest()
                else:
                    content = "folder"
                found[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return found


@pytest.fixture
def northwind_git(tmp_path: Path) -> GitRepo:
    return northwind_pull_request(tmp_path / "work", EXAMPLE)


READ_ONLY: dict[str, tuple[str, ...]] = {
    "validate-text": ("validate", "{repo}", "--as-of", AS_OF),
    "validate-json": ("validate", "{repo}", "--format", "json", "--as-of", AS_OF),
    "validate-sarif": ("validate", "{repo}", "--format", "sarif", "--as-of", AS_OF),
    "validate-junit": ("validate", "{repo}", "--format", "junit", "--as-of", AS_OF),
    "validate-github": ("validate", "{repo}", "--format", "github", "--as-of", AS_OF),
    "validate-changed-since": ("validate", "{repo}", "--changed-since", "main", "--as-of", AS_OF),
    "risk-score": ("risk", "score", "{repo}", "--as-of", AS_OF),
    "risk-score-csv": ("risk", "score", "{repo}", "--format", "csv", "--as-of", AS_OF),
    "risk-matrix": ("risk", "matrix", "{repo}", "--as-of", AS_OF),
    "risk-show": ("risk", "show", "R-016", "{repo}", "--as-of", AS_OF),
    "diff-worktree": ("diff", "main", "{repo}", "--as-of", AS_OF),
    "diff-revisions": ("diff", "main", "HEAD", "{repo}", "--format", "md", "--as-of", AS_OF),
    "log": ("log", "R-016", "{repo}"),
    "rules": ("rules",),
    "rules-explain": ("rules", "explain", "AIMS206"),
    "controls": ("controls", "{repo}", "--as-of", AS_OF),
    "controls-annex": ("controls", "--annex"),
    "report-check": (
        "report",
        "all",
        "{repo}",
        "--check",
        "--out",
        "{tmp}/never-written",
        "--as-of",
        AS_OF,
    ),
}


@pytest.mark.parametrize("command", sorted(READ_ONLY))
def test_read_only_commands_write_nothing(
    command: str, northwind_git: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    # An uncommitted edit, so the working tree and git differ.
    risk = northwind_git.root / "risks" / "R-001.yaml"
    risk.write_text(risk.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cache = Path(os.environ["AIMSCTL_CACHE_DIR"])
    args = [
        a.replace("{repo}", str(northwind_git.root)).replace("{tmp}", str(tmp_path))
        for a in READ_ONLY[command]
    ]
    before = snapshot(tmp_path)
    cached_before = snapshot(cache)
    result = cli(*args)
    assert result.exit_code in (0, 1), result.stderr
    assert snapshot(tmp_path) == before
    written = set(snapshot(cache)) - set(cached_before)
    if command.startswith("validate"):
        # The validation cache, which lives in the user's cache folder, never the repository.
        assert all(Path(p).name.startswith("validate-") for p in written), written
    else:
        assert written == set()


def test_validate_without_cache_writes_nothing_at_all(
    northwind_git: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    cache = Path(os.environ["AIMSCTL_CACHE_DIR"])
    before = snapshot(tmp_path, cache)
    result = cli("validate", northwind_git.root, "--no-cache", "--as-of", AS_OF)
    assert result.exit_code == 1, result.stdout  # the branch's edits break two rules
    assert snapshot(tmp_path, cache) == before


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_writes_only_inside_out(
    fmt: str, northwind_git: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    out = tmp_path / "reports"
    before = snapshot(tmp_path)
    result = cli(
        "report",
        "all",
        northwind_git.root,
        "--format",
        fmt,
        "--out",
        out,
        "--force",
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    after = snapshot(tmp_path)
    changed = {path for path in set(after) | set(before) if after.get(path) != before.get(path)}
    assert changed, "the report wrote nothing"
    assert all(Path(path).is_relative_to(out) for path in changed), sorted(changed)
    result = cli(
        "report",
        "all",
        northwind_git.root,
        "--format",
        fmt,
        "--out",
        out,
        "--at",
        "main",
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    again = snapshot(tmp_path)
    assert all(Path(path).is_relative_to(out) for path in set(again) ^ set(after))


def test_a_report_in_place_of_a_link_takes_nothing_from_where_it_leads(
    tmp_path: Path, cli: Cli
) -> None:
    """A report whose name in --out is a symbolic link replaces the link with a new
    file (the link is never written through). That file took the mode and owner of
    whatever the link led to: a link to a shared folder of mode 1777 made a report
    anyone could rewrite, one to a private file a report no one else could read.
    Now it is a new file, with the mode of one."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    private = tmp_path / "private.md"
    private.write_text("mine\n", encoding="utf-8")
    private.chmod(0o600)
    out = tmp_path / "reports"
    out.mkdir()
    (out / "risks.md").symlink_to(shared)
    (out / "systems.md").symlink_to(private)
    old = os.umask(0o022)
    try:
        result = cli("report", "all", EXAMPLE, "--format", "md", "--out", out, "--force")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    for name in ("risks.md", "systems.md"):
        assert not (out / name).is_symlink()
        assert (out / name).stat().st_mode & 0o7777 == 0o644, name
    assert private.read_text(encoding="utf-8") == "mine\n"
    assert private.stat().st_mode & 0o777 == 0o600


def test_a_link_committed_in_the_repository_never_takes_an_output_elsewhere(
    example_copy: Path, tmp_path: Path, cli: Cli
) -> None:
    """A pull request commits `reports -> /somewhere/else` (and excludes it in aims.yaml,
    so validate is clean): `report all --out reports`, as CI runs it, wrote the reports
    where the link led, over what was there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("ORIGINAL\n", encoding="utf-8")
    (example_copy / "reports").symlink_to(outside)
    (example_copy / "site").mkdir()
    (example_copy / "site" / "oscal").symlink_to(outside)
    cwd = os.getcwd()
    os.chdir(example_copy)
    try:
        runs = {
            "report": cli("report", "all", ".", "--out", "reports", "--as-of", AS_OF),
            "export": cli("export", "oscal", ".", "--out", "site/oscal/x", "--as-of", AS_OF),
            "validate": cli("validate", ".", "--output", "reports/v.txt", "--as-of", AS_OF),
            "git": cli("validate", ".", "--output", ".git/config", "--as-of", AS_OF),
        }
    finally:
        os.chdir(cwd)
    for name, result in runs.items():
        assert result.exit_code == 2, (name, result.stderr)
        assert "nothing was written" in result.stderr.lower(), (name, result.stderr)
    assert "reports is a symbolic link in the repository" in runs["report"].stderr
    assert "site/oscal is a symbolic link in the repository" in runs["export"].stderr
    assert "is in the repository's .git folder" in runs["git"].stderr
    assert sorted(p.name for p in outside.iterdir()) == ["index.md"]
    assert (outside / "index.md").read_text(encoding="utf-8") == "ORIGINAL\n"
    # A real folder in the repository, or a place outside it, is written as asked.
    (example_copy / "reports").unlink()
    (example_copy / "site" / "oscal").unlink()
    ok = cli("report", "soa", example_copy, "--out", example_copy / "real", "--as-of", AS_OF)
    assert ok.exit_code == 0, ok.stderr
    elsewhere = cli("report", "soa", example_copy, "--out", outside / "new", "--as-of", AS_OF)
    assert elsewhere.exit_code == 0, elsewhere.stderr


# --- no network, end to end -----------------------------------------------------------


def test_every_command_runs_without_network(
    no_network: list[str],
    northwind_git: GitRepo,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import git

    git_commands: list[list[str]] = []
    execute = git.cmd.Git.execute

    def recording(self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        git_commands.append([str(part) for part in command])
        return execute(self, command, *args, **kwargs)

    monkeypatch.setattr(git.cmd.Git, "execute", recording)
    repo = northwind_git.root
    commands: list[tuple[str | Path, ...]] = [
        *[
            ("validate", repo, "--format", f, "--as-of", AS_OF)
            for f in ("text", "json", "sarif", "junit", "github")
        ],
        ("validate", repo, "--changed-since", "main", "--as-of", AS_OF),
        ("rules",),
        ("rules", "--format", "json"),
        ("rules", "explain", "AIMS001"),
        ("controls", repo, "--as-of", AS_OF),
        ("controls", "--annex"),
        ("schema", "--out", tmp_path / "schemas"),
        *[
            ("risk", "score", repo, "--format", f, "--as-of", AS_OF)
            for f in ("table", "json", "csv", "md")
        ],
        ("risk", "matrix", repo, "--as-of", AS_OF),
        ("risk", "show", "R-016", repo, "--as-of", AS_OF),
        ("report", "all", repo, "--out", tmp_path / "md", "--as-of", AS_OF),
        ("report", "all", repo, "--format", "html", "--out", tmp_path / "html", "--as-of", AS_OF),
        ("report", "soa", repo, "--at", "main", "--out", tmp_path / "at", "--as-of", AS_OF),
        ("diff", "main", repo, "--as-of", AS_OF),
        ("diff", "main", "HEAD", repo, "--format", "json", "--as-of", AS_OF),
        ("diff", "main", "HEAD", repo, "--format", "md", "--as-of", AS_OF),
        ("log", "R-016", repo),
        ("log", "R-016", repo, "--format", "json"),
        ("init", tmp_path / "starter", "--as-of", AS_OF),
        ("init", tmp_path / "example", "--example", "--as-of", AS_OF),
    ]
    for command in commands:
        result = cli(*command)
        assert result.exit_code in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert no_network == []
    remote = {"fetch", "pull", "push", "clone", "ls-remote", "remote", "submodule"}
    assert git_commands, "no git command was recorded"
    assert not [c for c in git_commands if remote & set(c)], git_commands


def test_the_no_network_guard_itself_catches_a_connection(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("example.org", 443), timeout=1)
    assert no_network == ["create_connection(('example.org', 443),)"]
    no_network.clear()  # the guard's own check at teardown must pass


def test_override_templates_behind_a_link_out_of_the_repository_are_not_read(
    tmp_path: Path, make_repo: Callable[..., Path], cli: Cli
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "md").mkdir(parents=True)
    (outside / "md" / "soa.md.j2").write_text("OUTSIDE-TEMPLATE {{ report }}\n")
    root = make_repo(
        {"controls/annex-a.yaml": EXCLUDED_SOA},
        config=MINIMAL_CONFIG + "templates: report-templates\n",
    )
    (root / "report-templates").symlink_to(outside)
    out = tmp_path / "out"
    result = cli("report", "soa", root, "--out", out, "--force", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: aims.yaml: templates: 'report-templates' refused: report-templates "
        "is a symbolic link; templates are read only from real files and folders inside the "
        "templates folder, so that a link cannot bring in a file from elsewhere\n"
    )
    assert "OUTSIDE-TEMPLATE" not in result.stdout + result.stderr
    assert not out.exists()


# --- templates cannot read the secrets a CI job leaves in the checkout ----------------

TOKEN = "ghp_CI-TOKEN-THAT-MUST-STAY-SECRET-5b1e"

# (templates folder, {path below the repository root: text}, {link: target}, the why)
TEMPLATE_ATTACKS: dict[str, tuple[str, dict[str, str], dict[str, str], str]] = {
    "root-git-config": (
        ".",
        {"md/soa.md.j2": '{% include ".git/config" %}'},
        {},
        "templates: '.' names the repository root",
    ),
    "root-env": (
        ".",
        {"md/soa.md.j2": '{% include ".env" %}'},
        {},
        "templates: '.' names the repository root",
    ),
    "root-dot-slash": (
        "./",
        {"md/soa.md.j2": '{% include ".env" %}'},
        {},
        "templates: './' names the repository root",
    ),
    "root-climbed": (
        "md/..",
        {"md/soa.md.j2": '{% include ".env" %}'},
        {},
        "templates: 'md/..' must be a folder inside the repository",
    ),
    "inside-git": (
        ".git",
        {".git/md/soa.md.j2": '{% include "config" %}'},
        {},
        "templates: '.git' is a hidden folder",
    ),
    "hidden-name": (
        "t",
        {"t/md/soa.md.j2": '{% include ".env" %}', "t/.env": TOKEN},
        {},
        "report template '.env' refused: '.env' starts with '.'",
    ),
    "hidden-folder": (
        "t",
        {"t/md/soa.md.j2": '{% include "ci/.x/token" %}', "t/ci/.x/token": TOKEN},
        {},
        "report template 'ci/.x/token' refused: '.x' starts with '.'",
    ),
    "climbing-name": (
        "t",
        {"t/md/soa.md.j2": '{% include "../.env" %}'},
        {},
        "report template '../.env' refused: '..' would leave the templates folder",
    ),
    "linked-template": (
        "t",
        {},
        {"t/md/soa.md.j2": "../../.git/config"},
        "t/md/soa.md.j2 is a symbolic link",
    ),
    "linked-include": (
        "t",
        {"t/md/soa.md.j2": '{% include "md/cfg.j2" %}'},
        {"t/md/cfg.j2": "../../.env"},
        "t/md/cfg.j2 is a symbolic link",
    ),
    "linked-folder": ("t", {}, {"t/md": "../.git"}, "t/md is a symbolic link"),
    "linked-outside": (
        "t",
        {},
        {"t/md/soa.md.j2": "/proc/self/environ"},
        "t/md/soa.md.j2 is a symbolic link",
    ),
}


@pytest.mark.parametrize("attack", sorted(TEMPLATE_ATTACKS))
def test_override_templates_cannot_read_ci_secrets(
    attack: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The red team's finding: `templates: .` with `{% include ".git/config" %}` (or
    `.env`, or a link) copied tokens into reports that CI uploads as artifacts."""
    folder, templates, links, why = TEMPLATE_ATTACKS[attack]
    monkeypatch.setenv("AIMSCTL_TEST_TOKEN", TOKEN)  # for /proc/self/environ
    repo = GitRepo(tmp_path / "repo")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG + f"templates: {folder}\n",
            "controls/annex-a.yaml": EXCLUDED_SOA,
            ".env": f"GITHUB_TOKEN={TOKEN}\n",
            **templates,
        }
    )
    repo.git("config", "http.extraheader", f"AUTHORIZATION: basic {TOKEN}")
    (repo.root / ".git" / "md").mkdir(exist_ok=True)
    (repo.root / ".git" / "md" / "soa.md.j2").write_text(TOKEN)
    for rel, target in links.items():
        (repo.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / rel).symlink_to(target)
    out = tmp_path / "out"
    result = cli("report", "all", repo.root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stdout
    assert TOKEN not in result.stdout + result.stderr
    assert why in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert plain_words_problem(result.stderr) is None, result.stderr
    assert not out.exists()


def test_report_at_a_revision_never_follows_committed_links(tmp_path: Path, cli: Cli) -> None:
    """With --at, templates come from git's objects: a committed symbolic link (a
    mode 120000 blob holding its target) is neither followed on disk nor read as a
    template. It is refused, naming the link, as the working tree refuses it: never a
    silent fall back to the built-in template (which once made the revision's report
    differ from the checkout's, which stops)."""
    secret = tmp_path / "runner-secret.txt"
    secret.write_text(TOKEN)
    repo = GitRepo(tmp_path / "repo")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG + "templates: t\n",
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "secrets/token.txt": TOKEN,
            "t/md/soa.md.j2": '# Own SoA\n{% include "md/part.md.j2" %}\n',
        }
    )
    (repo.root / "t" / "md" / "part.md.j2").symlink_to(secret)
    (repo.root / "t" / "md" / "risks.md.j2").symlink_to("../../secrets/token.txt")
    (repo.root / "t" / "html").symlink_to("../secrets")
    repo.commit("templates with links")
    assert repo.git("ls-files", "-s", "t/md/part.md.j2").startswith("120000 ")
    out = tmp_path / "out"
    why = "; templates are read only from real files and folders inside the templates folder"
    for name, fmt, expected in (
        (
            "soa",
            "md",
            "t/md/soa.md.j2, line 2: report template 'md/part.md.j2' refused: "
            "t/md/part.md.j2 is a symbolic link",
        ),
        (
            "risks",
            "md",
            "report template 'md/risks.md.j2' refused: t/md/risks.md.j2 is a symbolic link",
        ),
        (
            "inventory",
            "html",
            "report template 'html/inventory.html.j2' refused: t/html is a symbolic link",
        ),
    ):
        for at in (("--at", "HEAD"), ()):
            result = cli("report", name, repo.root, *at, "-f", fmt, "--out", out, "--as-of", AS_OF)
            assert result.exit_code == 2, (at, result.stderr)
            assert expected + why in result.stderr, (at, result.stderr)
            assert TOKEN not in result.stdout + result.stderr
    assert not out.exists()


def test_report_at_a_revision_refuses_a_templates_folder_that_is_a_committed_link(
    tmp_path: Path, cli: Cli
) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG + "templates: t\n",
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "real/md/soa.md.j2": "# Own SoA\n",
        }
    )
    (repo.root / "t").symlink_to("real")
    repo.commit("a templates folder that is a link")
    out = tmp_path / "out"
    for at in (("--at", "HEAD"), ()):
        result = cli("report", "soa", repo.root, *at, "--out", out, "--as-of", AS_OF)
        assert result.exit_code == 2, (at, result.stderr)
        assert "aims.yaml: templates: 't' refused: t is a symbolic link" in result.stderr
    assert not out.exists()


def test_report_at_a_revision_refuses_hidden_and_climbing_names(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG + "templates: t\n",
            "controls/annex-a.yaml": EXCLUDED_SOA,
            ".env": TOKEN,
            "t/.env": TOKEN,
            "t/md/soa.md.j2": '{% include ".env" %}',
            "t/md/risks.md.j2": '{% include "../.env" %}',
        }
    )
    repo.commit("templates reading secrets")
    out = tmp_path / "out"
    for name, why in (
        ("soa", "'.env' starts with '.'"),
        ("risks", "'..' would leave the templates folder"),
    ):
        result = cli("report", name, repo.root, "--at", "HEAD", "--out", out, "--as-of", AS_OF)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"aimsctl: error: t/md/{name}.md.j2, line 1: report ")
        assert why in result.stderr
        assert TOKEN not in result.stdout + result.stderr
    assert not out.exists()


def test_csv_outputs_never_hand_a_spreadsheet_a_formula(example_copy: Path, cli: Cli) -> None:
    # Record text opening with =, +, - or @ is what a spreadsheet runs as a formula
    # (CSV injection): it gets a leading apostrophe, and shows as the text it is.
    import csv
    import io

    risk = example_copy / "risks" / "R-001.yaml"
    text = risk.read_text(encoding="utf-8")
    text = text.replace(
        "title: Ranking repeats past imbalances in who was hired",
        'title: \'=HYPERLINK("http://evil.example","click")\'',
    ).replace("owner: hr-analytics-lead@northwind.example", "owner: '@SUM(1+1)'")
    risk.write_text(text, encoding="utf-8")
    scored = cli("risk", "score", example_copy, "--format", "csv", "--as-of", AS_OF)
    assert scored.exit_code == 0, scored.stderr
    row = next(r for r in csv.DictReader(io.StringIO(scored.stdout)) if r["id"] == "R-001")
    assert (row["title"], row["owner"]) == (
        '\'=HYPERLINK("http://evil.example","click")',
        "'@SUM(1+1)",
    )
    due = cli("due", example_copy, "--format", "csv", "--within", "3650", "--as-of", AS_OF)
    cells = [cell for row in csv.reader(io.StringIO(due.stdout)) for cell in row]
    assert "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_a_carriage_return_in_record_text_never_ends_a_csv_row(
    example_copy: Path, cli: Cli
) -> None:
    # csv.writer with "\n" line endings quotes a cell holding "\n" but not one holding
    # a lone "\r", which spreadsheets and csv readers take for the end of the row: the
    # rest of the cell would open a row of its own, a formula first.
    import csv
    import io

    risk = example_copy / "risks" / "R-001.yaml"
    text = risk.read_text(encoding="utf-8")
    risk.write_text(
        text.replace(
            "title: Ranking repeats past imbalances in who was hired",
            'title: "Ranking repeats\\r=1+2"',
        ),
        encoding="utf-8",
    )
    action = example_copy / "nonconformities" / "NC-2026-02.yaml"
    text = action.read_text(encoding="utf-8")
    action.write_text(
        text.replace(
            "description: Run the underwriter and conversation reviewer courses for everyone "
            "still untrained.",
            'description: "Run the courses\\r\\r@SUM(1+1)\\r\\nthen"',
        ),
        encoding="utf-8",
    )
    scored = cli("risk", "score", example_copy, "--format", "csv", "--as-of", AS_OF)
    assert scored.exit_code == 0, scored.stderr
    rows = list(csv.DictReader(io.StringIO(scored.stdout, newline="")))
    assert [row["id"] for row in rows if row["id"] == "R-001"] == ["R-001"]
    assert all(row["id"].startswith("R-") for row in rows)
    [title] = [row["title"] for row in rows if row["id"] == "R-001"]
    assert title == "Ranking repeats\n=1+2"
    due = cli("due", example_copy, "--format", "csv", "--within", "3650", "--as-of", AS_OF)
    assert due.exit_code == 0, due.stderr
    table = list(csv.reader(io.StringIO(due.stdout, newline="")))
    assert {len(row) for row in table} == {len(table[0])}
    assert "Run the courses\n\n@SUM(1+1)\nthen" in "".join(cell for row in table for cell in row)
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row)
