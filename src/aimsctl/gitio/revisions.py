"""Revisions: naming a commit, and saying why a name names none."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import FETCH_HISTORY, GitError
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.running import FSCK_HINT, GitMissing, run_git
from aimsctl.text import plural

if TYPE_CHECKING:
    import git


_SHALLOW_HINT = f"; this clone is shallow, so {FETCH_HISTORY}"


def head_commit(repo: git.Repo) -> str | None:
    """The full sha of the commit HEAD names; None before the branch's first commit.
    Raises GitError for a damaged HEAD. One git process answers both questions (is
    there a commit, which), so a caller that needs the sha asks here, not
    :func:`head_has_commits` and then :func:`resolve`."""
    try:
        output = run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitMissing:
        raise
    except GitError:
        _check_unborn_head(repo)
        return None
    return output.strip()


def head_commit_dated(repo: git.Repo) -> tuple[str, str] | None:
    """:func:`head_commit` and the commit's date (ISO 8601 with the committer's own
    offset), both from one git process, as :func:`head_commit` starts one; None before
    the branch's first commit. Raises GitError for a damaged HEAD."""
    try:
        output = run_git(repo, "log", "-1", "--no-show-signature", "--format=%H %cI", "HEAD", "--")
    except GitMissing:
        raise
    except GitError:
        _check_unborn_head(repo)
        return None
    sha, _space, stamp = output.strip().partition(" ")
    return sha, stamp


def commit_date(repo: git.Repo, sha: str) -> str:
    """The date of commit ``sha`` (a full id): ISO 8601 with the committer's own offset."""
    output = run_git(
        repo, "log", "-1", "--no-walk", "--no-show-signature", "--format=%cI", sha, "--"
    )
    return output.strip()


def head_commit_and_path(repo: git.Repo, name: str) -> tuple[str | None, str | None]:
    """:func:`head_commit`, and where the file ``name`` of the git folder is (what `git
    rev-parse --git-path` says), both asked of one git process. The path is None where
    the commit is (before the branch's first commit: a caller then asks no more)."""
    try:
        output = run_git(
            repo, "rev-parse", "--git-path", name, "--verify", "--quiet", "HEAD^{commit}"
        )
    except GitMissing:
        raise
    except GitError:
        _check_unborn_head(repo)
        return None, None
    # The path comes first, whole (a folder's name may hold a line break); the sha last.
    path, _, sha = output.rstrip("\n").rpartition("\n")
    return sha.strip(), path


def head_has_commits(repo: git.Repo) -> bool:
    """Whether HEAD names a commit; raises GitError for a damaged HEAD."""
    return head_commit(repo) is not None


def _check_unborn_head(repo: git.Repo) -> None:
    """Raise GitError unless HEAD is a branch yet to get its first commit.

    A HEAD file cut short (``ref: refs/heads/ma``) still looks like a branch to
    git, one with no commits; it is told apart from a new branch by naming
    something that is not a branch, or the start of an existing branch's name in a
    file that lost its last line break (git ends the line it writes with one, so a
    new branch ``mast`` beside ``master`` is a branch yet to be born).
    """
    head = Path(repo.git_dir) / "HEAD"
    try:
        target = run_git(repo, "symbolic-ref", "-q", "HEAD").strip()
    except GitMissing:
        raise
    except GitError:
        raise GitError(
            f"{head} names no commit that exists: the repository is damaged or "
            f"incomplete{FSCK_HINT}"
        ) from None
    # A branch that exists names a commit: one that cannot be read (its object gone,
    # a sha made up or all zeros) is damage, not a branch yet to be born.
    try:
        named = run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD").strip()
    except GitMissing:
        raise
    except GitError:
        named = ""
    if named:
        raise GitError(
            f"{head} names the branch {target!r}, which points at {named}, no commit git "
            f"can read: the repository is damaged or incomplete{FSCK_HINT}"
        )
    refs = run_git(repo, "for-each-ref", "--format=%(refname)").split()
    longer = sorted(ref for ref in refs if ref.startswith(target) and ref != target)
    if target.startswith("refs/heads/") and (not longer or _written_whole(head)):
        return
    repair = longer[0] if longer else "refs/heads/main"
    if target.startswith("refs/heads/"):
        what = f"names the branch {target!r}, which does not exist, while {repair!r} does"
    else:
        what = f"names {target!r}, which is not a branch"
    raise GitError(
        f"{head} {what}: the file looks damaged or cut short. Repair it with "
        f"`git symbolic-ref HEAD {shlex.quote(repair)}` (naming the branch to check "
        "out); if you meant to start a new branch of that name, commit to it first"
    )


def _written_whole(head: Path) -> bool:
    """Whether the HEAD file ends its line as git writes it: a file cut short lost that
    line break. Unreadable is not whole."""
    try:
        return head.read_bytes().endswith(b"\n")
    except OSError:
        return False


def resolve(repo: git.Repo, rev: str) -> str:
    """The full commit sha that ``rev`` names (a sha, branch, tag, ``HEAD~2``...).

    Raises GitError for an unknown revision and for a repository with no commits.
    """
    try:
        # --end-of-options: a revision that starts with "-" is never read as an option.
        named = rev
        if rev.startswith(":/"):
            # `:/text` (the youngest commit whose message matches) reads all that follows
            # as its pattern, a `^{commit}` too: the object is found first, then peeled.
            named = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
            named = named.strip()
        output = run_git(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{named}^{{commit}}"
        )
    except GitMissing:
        raise
    except GitError:
        where = repo.working_tree_dir or repo.git_dir
        if not head_has_commits(repo):
            any_commit = bool(run_git(repo, "rev-list", "-n", "1", "--all").strip())
            if any_commit and _ON_HEAD.match(rev):
                # Other branches have commits: the current one is new (an orphan branch).
                raise GitError(
                    f"the current branch of the git repository at {where} has no commits "
                    f"yet (a new orphan branch), so there is no revision {rev!r} on it to "
                    "compare with; commit the records to it first, or name a revision of "
                    "another branch"
                ) from None
            if not any_commit:
                raise GitError(
                    f"the git repository at {where} has no commits yet, so there is no "
                    f"revision {rev!r} to compare with; commit the records once first"
                ) from None
        other = _other_object(repo, rev)
        if other is not None:
            raise GitError(
                f"revision {rev!r} names {other} in the git repository at {where}, not a "
                "commit; give a commit, branch or tag (a folder of the repository is "
                "given as the repository path)"
            ) from None
        shallow = run_git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
        hint = _SHALLOW_HINT if shallow else ""
        past = _past_the_first_commit(repo, rev)
        if past is not None:
            raise GitError(f"unknown revision {rev!r}: {past}{hint}") from None
        found = _RANGE.fullmatch(rev)  # `main...feature`, as a compare page writes it
        if found is not None:
            base, dots, head = found.group(1) or "HEAD", found.group(2), found.group(3) or "HEAD"
            parted = f" (for `...`, the base is where they part: `$(git merge-base {base} {head})`)"
            raise GitError(
                f"{rev!r} is a range of revisions; aimsctl takes revisions one by one: "
                f"`{base}` and `{head}` here{parted if dots == '...' else ''}"
            ) from None
        if rev.startswith(":/"):
            raise GitError(
                f"unknown revision {rev!r}: no commit message in the git repository at "
                f"{where} matches {rev[2:]!r}{hint}"
            ) from None
        raise GitError(
            f"unknown revision {rev!r}: no commit, branch or tag of that name in the git "
            f"repository at {where}{hint}"
        ) from None
    return output.strip()


_BACK = re.compile(r"(.+?)~([0-9]*)")
# A revision of the current branch: HEAD, `@`, and what counts back from them.
_ON_HEAD = re.compile(r"(HEAD|@)($|[~^@])")
# Two revisions joined by `..` or `...`, neither a path (`../x`) nor a revision syntax
# that may hold dots (`:/text`, `HEAD^{/re}`, `rev:path`).
_RANGE = re.compile(r"([^./:{}][^:{}]*?)?(\.\.\.?)([^./:{}][^:{}]*)?")


def _past_the_first_commit(repo: git.Repo, rev: str) -> str | None:
    """Why ``rev`` (``HEAD~5``) names no commit when it counts back from a commit that
    exists further than that commit's history goes; None for anything else."""
    found = _BACK.fullmatch(rev)
    if found is None:
        return None
    base, steps = found.group(1), int(found.group(2) or "1")
    try:
        run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
        count = run_git(repo, "rev-list", "--count", "--first-parent", "--end-of-options", base)
        before = int(count.strip()) - 1
    except (GitError, ValueError):
        return None
    if before >= steps:
        return None
    return f"{base} has {plural(before, 'commit')} before it, so there is no commit {steps} back"


_OBJECT_WORDS = {"tree": "a folder (a git tree)", "blob": "a file (a git blob)"}


def _other_object(repo: git.Repo, rev: str) -> str | None:
    """What ``rev`` names when it is a git object but no commit (``HEAD:risks``, a
    folder; ``HEAD:aims.yaml``, a file), in words; None for anything else."""
    try:
        sha = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", rev).strip()
        kind = run_git(repo, "cat-file", "-t", sha).strip()
    except GitMissing:
        raise
    except GitError:
        return None
    return _OBJECT_WORDS.get(kind)


def resolve_revision(root: Path, rev: str) -> str:
    """The full commit sha that ``rev`` names in the git repository holding ``root``."""
    with open_repo(root) as repo:
        return resolve(repo, rev)


def is_revision(path: Path, rev: str) -> bool:
    """Whether ``rev`` names a commit in the git repository holding ``path``.

    False, never an error, when ``path`` is not in a git repository at all; a
    repository git refuses as another user's raises UntrustedRepository.
    """
    try:
        with open_repo(path) as repo:
            resolve(repo, rev)
    except GitError:
        return False
    return True
