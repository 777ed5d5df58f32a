"""History: the commits that change files below a governance root, and their blobs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from aimsctl.errors import GitError
from aimsctl.fileio import lfs_pointer
from aimsctl.gitio.blobs import REGULAR_MODES, blob_id, cat_blobs, lfs_content
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import pathspec, root_prefix
from aimsctl.gitio.revisions import head_commit_and_path, resolve
from aimsctl.gitio.running import damaged_error, reading_objects, run_git, split_z
from aimsctl.gitio.submodule_stores import STORES
from aimsctl.gitio.submodules import (
    GITLINK_MODE,
    NotPinned,
    add_submodules,
    gitmodules_paths,
    paths_named,
)
from aimsctl.gitio.trees import tree_entries
from aimsctl.gitio.worktree_changes import HeadChanges, changes_from

if TYPE_CHECKING:
    import git


# From this many objects on, one `git cat-file --batch` process (about 3 ms to start)
# is cheaper than a round trip per object through GitPython's (about 0.1 ms each).
_ONE_PROCESS_FROM = 32
_HISTORY_CHUNK = 4096  # blobs of one commit read at a time (see CommitLog.blobs)


_NULL_SHA = "0" * 40
_COMMIT_MARK = "aimsctl-commit"
# The fields of one commit, NUL-separated (a NUL cannot occur in any of them).
_COMMIT_FORMAT = f"{_COMMIT_MARK}%x00%H%x00%P%x00%an%x00%ae%x00%cI%x00%s"


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file that differs between two commits, by blob: None where it is absent.

    ``path`` is relative to the governance root. A symbolic link or submodule
    counts as absent (its blob is not a file of the repository).
    """

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class WorkChange:
    """A file that differs between HEAD and the working tree, by content."""

    path: str
    head: bytes | None
    worktree: bytes | None


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit and the files below the governance root that it changes.

    ``changes`` compare the commit with its first parent (with the empty tree for a
    root commit, or for the oldest commit of a shallow clone, whose parents were
    not fetched: ``grafted``). A submodule whose commit pinned by the first parent
    is not in its repository (a shallow submodule fetch) is in ``unread``, by path
    below the governance root: its files at the commit count as added (``old``
    None), or, when the commit's own pinned commit is missing too, are not there.
    Those whose commit pinned by the commit itself is missing (the submodule was not
    updated after a pull, or this is an older move of one fetched shallow) are also
    in ``unpinned``.
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    date: str  # the commit date, ISO 8601 with the committer's offset
    subject: str
    changes: tuple[FileChange, ...]
    grafted: bool = False
    unread: tuple[str, ...] = ()
    unpinned: tuple[str, ...] = ()


def _blob(mode: str, sha: str) -> str | None:
    return sha if mode in REGULAR_MODES and sha != _NULL_SHA else None


def _raw_changes(tokens: list[str], prefix: str) -> list[FileChange]:
    """``--raw -z`` entries (``:mode mode sha sha status``, path) as FileChanges."""
    changes: list[FileChange] = []
    start = len(prefix) + 1 if prefix else 0
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=True):
        old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip("\n:").split(" ")
        old, new = _blob(old_mode, old_sha), _blob(new_mode, new_sha)
        if old is not None or new is not None:
            changes.append(FileChange(path[start:], old, new))
    return changes


class CommitLog:
    """The commits that touch files below a governance root, read with one ``git log``.

    Use as a context manager (it holds the repository open, so reading many blobs
    goes through one git process)::

        with CommitLog(root, (".yaml", ".yml")) as log:
            for commit in log.commits():
                ...
    """

    CHUNK = _HISTORY_CHUNK  # blobs :meth:`blobs` reads with one git process

    def __init__(self, root: Path, suffixes: tuple[str, ...], start: str = "HEAD") -> None:
        self.root = root
        self.suffixes = suffixes
        self.start = start  # the commit whose history is walked
        self._repo: git.Repo | None = None
        self._prefix = ""
        self._gitlinks: tuple[str, ...] = ()  # submodule paths, from the top of the work tree
        # The files of a submodule at a pinned commit, by (path, commit); None: its
        # repository lacks the commit. A few only: a commit's new side is the old side
        # of the next older one.
        self._pinned: dict[tuple[str, str], dict[str, tuple[str, str]] | None] = {}
        # The blobs read that are Git LFS pointers whose content the LFS store lacks
        # (read as their pointer text, which names no record), by id.
        self.unfetched: set[str] = set()
        # The commit HEAD names (None: none yet), once asked (see _head_commit).
        self._head: tuple[str | None] | None = None
        # Where git keeps a shallow clone's list of cut-off commits, asked with HEAD.
        self._shallow_file: str | None = None
        # Once worktree_changes compared the bytes the run read with HEAD: HEAD's commit,
        # and the paths of its files whose bytes read are not its blob (the others are).
        self.read_at_head: tuple[str, frozenset[str]] | None = None
        # That comparison itself, for the run's later questions about HEAD (readiness's
        # 7.5.1): None before it, before the first commit, or without the bytes read.
        self.compared: HeadChanges | None = None

    def __enter__(self) -> CommitLog:
        self._repo = open_repo(self.root)
        self._head = None
        self._shallow_file = None
        try:
            self._prefix = root_prefix(self._repo, self.root)
        except GitError:
            self._repo.close()
            raise
        self._gitlinks = gitmodules_paths(Path(self._repo.working_tree_dir or "."), self._prefix)
        if self._gitlinks:
            self._gitlinks = tuple(sorted({*self._gitlinks, *self._past_gitlinks()}))
        return self

    def _past_gitlinks(self) -> tuple[str, ...]:
        """The submodule paths that past versions of .gitmodules gave (a submodule
        moved with `git mv` was pinned at another path before), read from the changes
        of .gitmodules along the history walked; none before the first commit."""
        try:
            output = run_git(
                self.repo,
                "log",
                "-p",
                "--format=",
                "--full-history",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                self.start,
                "--",
                ":(literal).gitmodules",
            )
        except GitError:
            return ()
        lines = (
            line[1:]
            for line in output.splitlines()
            if line[:1] in (" ", "+", "-") and not line.startswith(("+++", "---"))
        )
        return paths_named(lines, self._prefix, named=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    @property
    def repo(self) -> git.Repo:
        if self._repo is None:
            raise RuntimeError("CommitLog is used outside its `with` block")
        return self._repo

    def _pathspecs(self) -> list[str]:
        folder = f"{self._prefix}/" if self._prefix else ""
        files = [f":(glob){folder}**/*{suffix}" for suffix in self.suffixes]
        return [*files, *(f":(literal){path}" for path in self._gitlinks)]

    def _diff(
        self, tokens: list[str]
    ) -> tuple[tuple[FileChange, ...], tuple[str, ...], tuple[str, ...], bool]:
        """``--raw -z`` entries as FileChanges, a moved gitlink as the files of its
        submodule that differ between the two commits it pins; the submodules whose
        files at either side cannot be read (:attr:`Commit.unread`), and those of them
        whose files at the new side cannot (:attr:`Commit.unpinned`); and whether the
        entries change a matching file or may (a move that changes none of the
        submodule's matching files does not; a submodule path also matches what was a
        folder of other files before it)."""
        if not self._gitlinks:
            return tuple(_raw_changes(tokens, self._prefix)), (), (), True
        changes: list[FileChange] = []
        unread: list[str] = []
        unpinned: list[str] = []
        matched = False
        start = len(self._prefix) + 1 if self._prefix else 0
        for meta, path in zip(tokens[0::2], tokens[1::2], strict=True):
            old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip("\n:").split(" ")
            rel = path[start:]
            if GITLINK_MODE not in (old_mode, new_mode):
                if rel.endswith(self.suffixes):
                    matched = True
                    changes.extend(_raw_changes([meta, path], self._prefix))
                continue
            before = self._files_pinned(rel, old_sha) if old_mode == GITLINK_MODE else {}
            after = self._files_pinned(rel, new_sha) if new_mode == GITLINK_MODE else {}
            if before is None or after is None:
                unread.append(rel)
                matched = True
            if after is None:  # what the commit holds there cannot be told
                unpinned.append(rel)
                continue
            before = before or {}
            for inner in sorted(before.keys() | after.keys()):
                if not inner.endswith(self.suffixes):
                    continue
                old = _blob(*before.get(inner, ("", _NULL_SHA)))
                new = _blob(*after.get(inner, ("", _NULL_SHA)))
                if old != new:
                    matched = True
                    changes.append(FileChange(inner, old, new))
            other = old_mode if new_mode == GITLINK_MODE else new_mode  # a file in its place
            if other != GITLINK_MODE and rel.endswith(self.suffixes):
                matched = True
                changes.extend(_raw_changes([meta, path], self._prefix))
        return tuple(changes), tuple(unread), tuple(unpinned), matched

    def _files_pinned(self, rel: str, commit: str) -> dict[str, tuple[str, str]] | None:
        """The files of the submodule at ``rel`` (below the governance root) at
        ``commit``, by path below the governance root, its own submodules' too; None
        when its repository lacks the commit, empty when it was never initialised."""
        key = (rel, commit)
        if key not in self._pinned:
            top = Path(self.repo.working_tree_dir or ".")
            checkout = top / self._prefix if self._prefix else top
            entries = {rel: (GITLINK_MODE, commit)}
            try:
                add_submodules(self.repo, entries, "", checkout, None, 0, False, True, [0])
            except NotPinned:
                self._pinned[key] = None
            else:
                del entries[rel]
                self._pinned[key] = entries
            while len(self._pinned) > 4:
                del self._pinned[next(iter(self._pinned))]
        return self._pinned[key]

    def _head_commit(self) -> str | None:
        """The commit HEAD names, None before the branch's first: asked of git once
        per log, as the working tree's changes and the walk both start from it (each
        asked again: three git processes where one answers). The same process says where
        a shallow clone's cut-off commits are listed (:meth:`_grafted`)."""
        if self._head is None:
            sha, self._shallow_file = head_commit_and_path(self.repo, "shallow")
            self._head = (sha,)
        return self._head[0]

    @property
    def has_commits(self) -> bool:
        """Whether there is a commit to walk from: a given one always (`report --at`
        from a branch with no commits yet, such as a new orphan branch), HEAD once the
        branch has its first."""
        return self.start != "HEAD" or self._head_commit() is not None

    @property
    def shallow(self) -> bool:
        return run_git(self.repo, "rev-parse", "--is-shallow-repository").strip() == "true"

    def _grafted(self) -> frozenset[str]:
        """The commits of a shallow clone whose parents were not fetched."""
        if self._shallow_file is None:  # HEAD was not asked here (or the walk is not HEAD's)
            self._shallow_file = run_git(self.repo, "rev-parse", "--git-path", "shallow")
        location = Path(self._shallow_file.strip())
        if not location.is_absolute():
            location = Path(self.repo.working_tree_dir or self.repo.git_dir) / location
        try:
            return frozenset(location.read_text("ascii").split())
        except OSError:
            return frozenset()

    def commits(self) -> Iterator[Commit]:
        """Every commit reachable from ``start`` that changes a matching file, newest first.

        Side branches that were merged are walked too (``--full-history``). A merge
        commit comes with its changes against the first parent; ``changes`` gives
        them against any other parent. No commit comes before one of its children
        (``--date-order``): by date alone, one commit of a side branch dated before
        its parent (a clock set wrong) put the branch's older commits first, and a
        record's creation was dated by a later edit of it.
        """
        if not self.has_commits:
            return
        grafted = self._grafted()
        output = run_git(
            self.repo,
            "log",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--full-history",
            "--date-order",
            "--root",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-show-signature",
            f"--format={_COMMIT_FORMAT}",
            self.start,
            "--",
            *self._pathspecs(),
        )
        tokens = output.split("\0")
        index = 0
        while index < len(tokens):
            if tokens[index].lstrip("\n") != _COMMIT_MARK:
                index += 1
                continue
            sha, parents, name, email, date, subject = tokens[index + 1 : index + 7]
            index += 7
            raw: list[str] = []
            while index < len(tokens) and tokens[index].lstrip("\n").startswith(":"):
                raw.extend(tokens[index : index + 2])
                index += 2
            parent_list = tuple(parents.split())
            if len(parent_list) > 1:  # git log shows no diff for a merge: ask for one
                diff = self._diff(self._diff_tree(parent_list[0], sha))
            else:
                diff = self._diff(raw)
                if not diff[3]:  # only other files below a submodule's path changed
                    continue
            changes, unread, unpinned, _matched = diff
            yield Commit(
                sha,
                parent_list,
                name,
                email,
                date,
                subject,
                changes,
                sha in grafted,
                unread,
                unpinned,
            )

    def graph(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every commit reachable from ``start`` with its parents, whatever files it
        changes; no commit comes before one of its children (``--date-order``)."""
        if not self.has_commits:
            return
        output = run_git(self.repo, "rev-list", "--parents", "--date-order", self.start, "--")
        for line in output.splitlines():
            sha, *parents = line.split()
            yield sha, tuple(parents)

    def changes(self, old: str, new: str) -> tuple[FileChange, ...]:
        """The matching files that differ between two commits."""
        return self._diff(self._diff_tree(old, new))[0]

    def _diff_tree(self, old: str, new: str) -> list[str]:
        output = run_git(
            self.repo,
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            old,
            new,
            "--",
            *self._pathspecs(),
        )
        return split_z(output)

    def walk_state(self) -> str | None:
        """What :meth:`commits` lists depends on besides the objects the commits name:
        the commit the walk starts from, what is walked (the governance root's place,
        the suffixes, the submodule paths, past ones too) and a shallow clone's
        cut-off commits; None when there is no commit to walk from. Replace refs,
        grafts and git's environment are not in it (the history cache keys them)."""
        if not self.has_commits:
            return None
        return "\0".join([self.head(), *self._pathspecs(), "grafted", *sorted(self._grafted())])

    def head(self) -> str:
        """The commit the walk starts from."""
        if self.start == "HEAD" and (head := self._head_commit()) is not None:
            return head
        return resolve(self.repo, self.start)  # or its error: HEAD has no commit yet

    def files(self, commit: str) -> tuple[FileChange, ...]:
        """Every matching regular file below the governance root at ``commit``, each
        as added (``old`` None): the files a commit holds, not the ones it changes. A
        submodule whose repository lacks the commit pinned there is left out, as
        :meth:`commits` leaves it (:attr:`Commit.unread`)."""
        entries = tree_entries(self.repo, commit, self._prefix, strict=False)
        return tuple(
            FileChange(rel, None, oid)
            for rel, (mode, oid) in sorted(entries.items())
            if mode in REGULAR_MODES and rel.endswith(self.suffixes)
        )

    def unpinned(self, commit: str) -> tuple[str, ...]:
        """The submodules (by path below the governance root) whose repository lacks
        the commit that ``commit`` pins them at, which :meth:`files` leaves out."""
        if not self._gitlinks:
            return ()
        output = run_git(
            self.repo, "ls-tree", "-r", "-z", "--full-tree", commit, *pathspec(self._prefix)
        )
        start = len(self._prefix) + 1 if self._prefix else 0
        found: list[str] = []
        for line in split_z(output):
            meta, _tab, path = line.partition("\t")
            mode, _kind, oid = meta.split(" ")
            if mode == GITLINK_MODE and self._files_pinned(path[start:], oid) is None:
                found.append(path[start:])
        return tuple(found)

    def blob_at(self, commit: str, rel: str) -> str | None:
        """The blob of the regular file ``rel`` (relative to the governance root) at
        ``commit``; None when there is no such file there."""
        import git

        path = f"{self._prefix}/{rel}" if self._prefix else rel
        with reading_objects(self.repo):
            try:
                item = self.repo.commit(commit).tree / path
            except KeyError:
                return None
            except git.BadName:
                raise damaged_error(self.repo, commit) from None
        if item.type != "blob" or f"{item.mode:o}" not in REGULAR_MODES:
            return None
        return str(item.hexsha)

    def blob(self, sha: str) -> bytes:
        """The content of one blob, as a checkout holds it: a Git LFS pointer is read
        as the content the LFS store holds for it (as :func:`read_tree` reads a data
        file), or, not there, as the pointer, its id then in :attr:`unfetched`."""
        if STORES.get(self.repo):  # a submodule's blob is not in the superproject's objects
            return self._content(sha, cat_blobs(self.repo, [sha])[sha])
        with reading_objects(self.repo):
            data: bytes = self.repo.odb.stream(bytes.fromhex(sha)).read()
        return self._content(sha, data)

    def blobs(self, shas: list[str]) -> Iterator[bytes]:
        """The contents of several blobs, in order, as :meth:`blob` reads each. Many
        are read by one git process per :data:`_HISTORY_CHUNK` (a repository's first
        commit may add every record file), a chunk at a time, so memory holds one
        chunk, not a whole commit."""
        if len(shas) < _ONE_PROCESS_FROM:
            yield from (self.blob(sha) for sha in shas)
            return
        for start in range(0, len(shas), _HISTORY_CHUNK):
            chunk = shas[start : start + _HISTORY_CHUNK]
            found = cat_blobs(self.repo, sorted(set(chunk)))
            yield from (self._content(sha, found[sha]) for sha in chunk)

    def _content(self, sha: str, blob: bytes) -> bytes:
        """A data file's content for its blob ``blob`` (see :meth:`blob`); every file a
        CommitLog reads is a data file (records and aims.yaml)."""
        data = lfs_content(self.repo, blob)
        if data is blob and lfs_pointer(blob) is not None:
            self.unfetched.add(sha)
        return data

    def worktree_changes(
        self,
        paths: Iterable[str] | None = None,
        known: Mapping[str, bytes] | None = None,
        compared: HeadChanges | None = None,
    ) -> list[WorkChange]:
        """Matching files that differ between HEAD and the working tree, by content.

        Staged, unstaged and untracked (not ignored) files count, as with
        :func:`changed_paths`; before the first commit every file is new. ``paths``
        narrows the answer to those paths (relative to the governance root);
        ``known`` holds the bytes of files the run has read (see :class:`_WorkTree`).
        ``compared``: the same comparison, made earlier in the run with the same
        ``known`` (report provenance): taken as it is where it still holds
        (:meth:`HeadChanges.holds_for`), so the files are not hashed twice. Made
        with submodules strictly, it holds here too: where no submodule lacks its
        pinned commit, leaving such a submodule out changes nothing.
        """
        if compared is not None and known is not None and compared.holds_for(known, self.suffixes):
            sha, changed, unmatched = compared.sha, compared.changed, compared.unmatched
            if self._head is None:
                self._head = (sha,)
        else:
            sha, found = self._head_commit(), set[str]()
            changed = changes_from(self.repo, self._prefix, sha, known, False, found)
            unmatched = frozenset(found)
        if sha is not None and known is not None:
            self.read_at_head = (sha, unmatched)
            if compared is None or compared.sha != sha:  # made here, not taken
                compared = HeadChanges(sha, changed, frozenset(known), unmatched)
            self.compared = compared
        read = known if known is not None else {}
        wanted = None if paths is None else set(paths)
        result: list[WorkChange] = []
        for rel in sorted(changed):
            if not rel.endswith(self.suffixes) or (wanted is not None and rel not in wanted):
                continue
            mode, oid = changed[rel] or ("", "")
            head = self.blob(oid) if mode in REGULAR_MODES else None
            result.append(WorkChange(rel, head, self._disk_bytes(rel, read)))
        return [change for change in result if change.head != change.worktree]

    def changes_to(
        self, files: Mapping[str, bytes], ids: Mapping[str, str] | None = None
    ) -> list[WorkChange]:
        """Matching files that differ between HEAD and ``files`` (by path below the
        governance root): the tree a run checks when it is not the working tree, such
        as git's index for ``validate --staged``. A path only on one side is added or
        deleted. ``ids``: the blob id of each file's bytes where it is known (git's
        index names it: :func:`aimsctl.gitio.read_index`), compared with HEAD's
        instead of hashing the bytes."""
        repo = self.repo
        commit = self._head_commit()
        entries = (
            tree_entries(repo, commit, self._prefix, strict=False) if commit is not None else {}
        )
        result: list[WorkChange] = []
        for rel in sorted(entries.keys() | files.keys()):
            if not rel.endswith(self.suffixes):
                continue
            mode, oid = entries.get(rel, ("", ""))
            regular = mode in REGULAR_MODES
            now = files.get(rel)
            if regular and now is not None:
                known_id = ids.get(rel) if ids is not None else None
                if known_id is not None:
                    same = known_id == oid  # else its bytes are compared below
                else:
                    same = blob_id(now, "sha1" if len(oid) == 40 else "sha256") == oid
                if same:
                    continue
            head = self.blob(oid) if regular else None
            if head != now:
                result.append(WorkChange(rel, head, now))
        return result

    def _disk_bytes(self, rel: str, known: Mapping[str, bytes]) -> bytes | None:
        path = self.root / rel
        try:
            if path.is_symlink() or not path.is_file():
                return None
            raw = known.get(rel)
            return raw if raw is not None else path.read_bytes()
        except OSError:
            return None
