"""Atomic file writes: a temporary file in the same folder, then a rename (or, for a
file that must not exist yet, a hard link).

The temporary file is removed on any exception, KeyboardInterrupt included; the
command line turns SIGTERM into an exception too (``cli.Terminated``), so a run
that is terminated leaves no ``.tmp`` file behind either. A run killed outright
(SIGKILL, a power cut) can leave one, ``.NAME.<random>.tmp`` beside the file it was
for, but never a file half written: aimsctl reads no file of that name.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path


def _default_mode() -> int:
    """The mode a plain open() would give a new file under the current umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def first_folder(paths: Iterable[Path]) -> Path | None:
    """The first of ``paths`` that is a folder (a symbolic link is not: writing replaces
    it): asked of every file of a set before the first is written, so that a folder
    in one place leaves none written rather than some."""
    return next((path for path in paths if path.is_dir() and not path.is_symlink()), None)


def link_leads_nowhere(path: Path) -> str | None:
    """What ``path`` is when it is a symbolic link that leads nowhere, a broken one or
    a loop (``exists()`` is False for both), else None."""
    try:
        if not path.is_symlink():
            return None
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link that leads nowhere (round in a loop)"
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return "a symbolic link to nothing that exists"
        # A name too long, a folder that may not be searched: the write says why.
    return None


def read_only(path: Path) -> bool:
    """Whether the file at ``path`` is not to be written: no write permission for
    anyone (which the superuser also honours here), or none for this user. Replacing
    it would succeed wherever its folder is writable, so this is asked first.

    Not on a file system mounted read-only: no mode can make the file writable there,
    so the write itself is left to fail with the system's reason ("Read-only file
    system"), as a new file there fails; it was "make it writable" advice that chmod,
    refused there too, could not follow."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if _on_read_only_mount(path):
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _on_read_only_mount(path: Path) -> bool:
    """Whether ``path`` lies on a file system mounted read-only (where statvfs says)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows), or it failed
        return False


# The names Windows keeps for devices: a file so named, whatever its extension
# (`con.yaml`, `aux.1.yaml`), cannot be created or checked out there.
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))}
)


def windows_device(name: str) -> str | None:
    """The device name (``CON``) Windows reserves that the file name ``name`` is, in any
    letter case and with any extension, or None: no Windows checkout can hold it."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() if stem.casefold() in _WINDOWS_DEVICES else None


def case_twin(root: Path, rel: str) -> str | None:
    """The path below ``root`` that differs from the relative POSIX path ``rel`` only in
    letter case (``risks/r-1.yaml`` for ``risks/R-1.yaml``, ``Risks/`` for ``risks/``),
    when one exists and ``rel`` itself does not: a file system that ignores case
    (Windows, macOS) holds one file for the two names, so a checkout there loses one."""
    folder = root
    found: list[str] = []
    for part in rel.split("/"):
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        if part in names:
            found.append(part)
            folder = folder / part
            continue
        twin = next((n for n in sorted(names) if n.casefold() == part.casefold()), None)
        if twin is None:
            return None
        return "/".join([*found, twin])
    return None


# The reason a read-only file is not replaced, as an OSError's strerror.
READ_ONLY = "it is read-only; nothing was written (make it writable to replace it)"

# A Git LFS pointer: the small text git stores (and a checkout holds until `git lfs
# pull`) for a file whose content lives in the LFS store. The whole file, as Git LFS
# parses one: the version, extension lines (``ext-0-name ...``) only, the oid and
# the size, then nothing but white space. A file with anything else in it is no
# pointer: Git LFS checks it out as the text it is, and so does aimsctl (reading
# the LFS object named in its first lines instead showed a revision's record as a
# checkout never holds it).
LFS_POINTER = re.compile(
    rb"version https://(?:git-lfs\.github\.com/spec/v1|hawser\.github\.com/spec/v1)\n"
    rb"(?:ext-[0-9]-\w+ [^\n]*\n)*oid sha256:([0-9a-f]{64})\nsize ([0-9]+)\n\s*\Z",
)
LFS_POINTER_MAX = 1024


def lfs_pointer(data: bytes) -> re.Match[bytes] | None:
    """``data`` as a Git LFS pointer (its sha256 and size), or None when it is none."""
    return LFS_POINTER.match(data) if len(data) <= LFS_POINTER_MAX else None


# A regular file is opened without following a link swapped in after the check,
# without waiting on a pipe swapped in (O_NONBLOCK), and as bytes on every system.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: str, follow: bool, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the regular file at ``path``; None when what was
    opened is no regular file (a named pipe is not waited on; a device is not read;
    either may have been swapped in after a check). ``follow``: a symbolic link at
    ``path`` is followed (else opening it fails)."""
    flags = _OPEN_FLAGS if follow else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        # Sized to the file: a read of n bytes allocates n bytes before reading.
        # The byte past its size shows a file that grew since; a read cut short is
        # read on up to the size (no further call for the end of the file).
        want = min(info.st_size + 1, limit)
        data = os.read(fd, want)
        while len(data) < min(info.st_size, want) and (more := os.read(fd, want - len(data))):
            data += more
        return data
    finally:
        os.close(fd)


# The files this run wrote for the user (records, reports, schemas; not its cache),
# in order: a run that cannot print afterwards (standard output closed or full) says
# what it did write, rather than that nothing was.
_WRITTEN: list[str] = []


def written_files() -> list[str]:
    """The files this run has written for the user so far (see :data:`_WRITTEN`)."""
    return list(_WRITTEN)


def forget_written() -> None:
    """Start a run's list of files written afresh (one process may run several)."""
    _WRITTEN.clear()


LOCK_WAIT = 30.0  # seconds another aimsctl run may hold a record file it is writing


@contextmanager
def held_for_writing(path: Path) -> Iterator[None]:
    """Hold the record file at ``path`` against other aimsctl runs that write it, so
    that two edits of one file are made one after the other, each onto the bytes the
    other left, never one over the other (a lost update). An advisory lock
    (``flock``) on the file itself: no lock file is left in the repository. A run that
    replaced the file meanwhile leaves its lock on a file no longer named ``path``, so
    the new one is taken in turn. Where the system has no such locks (Windows), the
    caller's comparison of the bytes still stands. OSError when the file cannot be
    opened; TimeoutError past :data:`LOCK_WAIT`."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        fd = os.open(path, _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0))
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(errno.ETIMEDOUT, "held by another run") from None
                    time.sleep(0.01)
            held, named = os.fstat(fd), os.lstat(path)
            if (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
                yield
                return
        finally:
            os.close(fd)  # the lock goes with it


def write_atomic(
    path: Path,
    content: str | bytes,
    into_streams: bool = False,
    replace_read_only: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``content`` to ``path`` so readers see the old file or the new, never half.

    The file gets the mode an ordinary write would give (mkstemp's temporary file
    is private), or keeps the mode of the file it replaces, and its owner and group
    where the system lets this user give them (:func:`_keep_owner`; not aimsctl's own
    files, ``replace_read_only``, which are the runner's). A symbolic link is
    replaced, never followed: the new file has the mode of a new file, and nothing
    of the file the link leads to (:func:`_kept`). A read-only file
    (:func:`read_only`) is not replaced but refused with PermissionError, as an
    ordinary write would refuse it (the rename would succeed in a writable folder
    whatever the file's mode); only aimsctl's own files (``replace_read_only``: the
    cache's entries) are replaced regardless. With ``into_streams`` (for an output
    path the user names), a target that is not a regular file (a pipe, a terminal,
    `/dev/stdout`) is written into instead: there is nothing to swap atomically, and
    renaming over it would destroy it. ``before_replace`` runs once the new bytes are
    on disk, right before they take the name: what it raises leaves the file as it was.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    made = make_folders(path.parent)
    try:
        _write_atomic(path, data, into_streams, replace_read_only, before_replace)
    except BaseException:  # also KeyboardInterrupt, and the CLI's exception for SIGTERM
        remove_folders(made)
        raise
    if not replace_read_only:  # not aimsctl's own files (the cache)
        _WRITTEN.append(os.fspath(path))


def _write_atomic(
    path: Path,
    data: bytes,
    into_streams: bool,
    replace_read_only: bool,
    before_replace: Callable[[], None] | None,
) -> None:
    try:
        info: os.stat_result | None = path.stat()
    except OSError:
        info = None
    if (
        info is not None
        and into_streams
        and not stat.S_ISREG(info.st_mode)
        and not stat.S_ISDIR(info.st_mode)
    ):
        with path.open("wb") as stream:
            stream.write(data)
        return
    if not replace_read_only and info is not None:
        _refuse_read_only(path, info)
    mode, owner = _kept(path, info)
    if replace_read_only:
        # aimsctl's own files (the cache's entries) are the runner's: one owned by
        # another user is not trusted, and is replaced by the runner's own.
        owner = None
    temporary: str | None = None
    try:
        with _signals_held():  # no Ctrl-C or SIGTERM between creating the file and naming it
            fd, temporary = _temporary_beside(path)
        _fill(fd, data, mode, owner)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    except BaseException:  # also KeyboardInterrupt, and the CLI's exception for SIGTERM
        if temporary is not None:
            with _signals_held():  # a second Ctrl-C does not stop the clean-up half way
                Path(temporary).unlink(missing_ok=True)
        raise


def _kept(path: Path, info: os.stat_result | None) -> tuple[int, tuple[int, int] | None]:
    """The mode and the owner (:func:`_owner`) the file written at ``path`` is to have:
    those of the file it replaces (``info``, or None when there is none). A symbolic
    link is replaced by a new file, which takes nothing from where the link leads: a
    report's name linked to /tmp became a file anyone could rewrite (mode 1777), one
    linked to another user's private file a file of theirs, unreadable to others."""
    if info is None or path.is_symlink():
        return _default_mode(), None
    return info.st_mode & 0o7777, _owner(info)


def _refuse_read_only(path: Path, info: os.stat_result) -> None:
    """PermissionError for a regular file that is read-only (:func:`read_only`); a
    symbolic link is replaced, not the file it leads to, so it is never refused."""
    if stat.S_ISREG(info.st_mode) and not path.is_symlink() and read_only(path):
        raise PermissionError(errno.EACCES, READ_ONLY, str(path))


class NotAllWritten(OSError):
    """:func:`write_all` could not write ``filename``; ``written`` names the files it
    had replaced before (none, unless a rename failed part way)."""

    def __init__(self, error: OSError, path: Path, written: Sequence[Path]) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))
        self.written = tuple(written)

    def describe(self) -> str:
        """One sentence: the file, the reason, and what of the set was written."""
        said = f"cannot write {self.filename}: {self.strerror}"
        if self.written:
            return (
                f"{said}; written before it: {', '.join(str(p) for p in self.written)} "
                "(the others were not)"
            )
        return said if self.strerror == READ_ONLY else f"{said}; nothing was written"


def write_all(files: Mapping[Path, str | bytes]) -> None:
    """Write a set of files (a command's documents) whole, all of them or none.

    Every file is first written in full to a temporary file beside it; only once all
    of them are on disk are they renamed into place, in order. A failure before the
    renames (a full disk, a read-only file among them, Ctrl-C) leaves every file as
    it was, no temporary file, and no folder made for the set; it raises
    :class:`NotAllWritten` naming the file. A rename that fails part way (rare: no
    data moves, the folders were just written into) raises it naming the files
    already replaced. Each file is replaced as :func:`write_atomic` replaces it.
    """
    datas = {
        path: content.encode("utf-8") if isinstance(content, str) else content
        for path, content in files.items()
    }
    modes: dict[Path, int] = {}
    owners: dict[Path, tuple[int, int] | None] = {}
    for path in datas:  # every file is asked before any is written
        try:
            info: os.stat_result | None = path.stat()
        except OSError:
            info = None
        if info is not None:
            try:
                _refuse_read_only(path, info)
            except PermissionError as error:
                raise NotAllWritten(error, path, ()) from None
        modes[path], owners[path] = _kept(path, info)
    made: list[Path] = []
    temporaries: dict[Path, str] = {}
    done: list[Path] = []
    current: Path | None = None
    try:
        for path, data in datas.items():
            current = path
            made.extend(make_folders(path.parent))
            with _signals_held():
                fd, temporaries[path] = _temporary_beside(path)
            _fill(fd, data, modes[path], owners[path])
        for path, temporary in temporaries.items():
            current = path
            os.replace(temporary, path)
            done.append(path)
            _WRITTEN.append(os.fspath(path))
    except BaseException as error:  # also KeyboardInterrupt, and the CLI's SIGTERM
        with _signals_held():  # a second Ctrl-C does not stop the clean-up half way
            for path, temporary in temporaries.items():
                if path not in done:
                    Path(temporary).unlink(missing_ok=True)
            if not done:
                remove_folders(made)
        if isinstance(error, OSError) and current is not None:
            raise NotAllWritten(error, current, done) from None
        raise


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and the folders above it that are missing; the ones this call
    created, outermost first (nothing when ``folder`` is there), for
    :func:`remove_folders` to take away again should the write they are for fail.
    A folder made meanwhile by someone else is used, never counted as made."""
    missing: list[Path] = []
    current = folder
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    made: list[Path] = []
    try:
        for each in reversed(missing):
            try:
                each.mkdir()
            except FileExistsError:
                if not each.is_dir():
                    raise FolderNotMade(errno.ENOTDIR, _in_the_way(each), str(each)) from None
                continue
            except OSError as error:
                reason = error.strerror or str(error)
                raise FolderNotMade(
                    error.errno, f"cannot create the folder {each}: {reason}", str(each)
                ) from None
            made.append(each)
    except BaseException:
        remove_folders(made)
        raise
    return made


class FolderNotMade(OSError):
    """:func:`make_folders` could not make a folder of the path: its ``strerror`` names
    that folder and says why, since the path the caller names (a file to write below
    it) is not the one in the way. Not a FileExistsError: that means the file itself
    exists to :func:`create_exclusive`'s callers."""


def _in_the_way(path: Path) -> str:
    """What stands at ``path``, where a folder is to be made, in words."""
    if path.is_symlink():
        return f"{path} is a symbolic link that leads to no folder"
    return f"{path} is a file, not a folder"


def remove_folders(made: Sequence[Path]) -> None:
    """Remove the folders :func:`make_folders` made, innermost first, each only if it is
    empty (a folder someone has meanwhile put a file into stays, and so do those
    above it)."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


def create_exclusive(path: Path, content: str | bytes) -> None:
    """Create ``path`` holding ``content``, whole or not at all, never replacing a file.

    FileExistsError when the name exists (also when it appears meanwhile); any other
    OSError (a full disk) leaves neither the file nor a temporary one. The content is
    written to a temporary file first, which is then given the name with a hard link
    (which fails when the name exists). Where the file system has no hard links, the
    name is first taken by an empty file created exclusively, and the finished
    temporary file is renamed over it: the file never holds part of ``content``, and
    a write that fails removes the empty one again.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    made = make_folders(path.parent)
    try:
        _create_exclusive(path, data)
    except BaseException:  # also KeyboardInterrupt, and the CLI's exception for SIGTERM
        remove_folders(made)
        raise
    _WRITTEN.append(os.fspath(path))


def _create_exclusive(path: Path, data: bytes) -> None:
    temporary: str | None = None
    taken: os.stat_result | None = None  # the empty file holding the name, until renamed over
    try:
        with _signals_held():
            fd, temporary = _temporary_beside(path)
        _fill(fd, data, _default_mode())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            with _signals_held():
                taken = _take_name(path)
            os.replace(temporary, path)
            taken = None
    except BaseException:  # also KeyboardInterrupt, and the CLI's exception for SIGTERM
        if taken is not None:
            with _signals_held():
                _remove_if_same(path, taken)
        raise
    finally:
        if temporary is not None:
            with _signals_held():  # a Ctrl-C now does not stop the clean-up half way
                Path(temporary).unlink(missing_ok=True)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new private file in ``path``'s folder, named ``.NAME.<random>.tmp``."""
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def _owner(info: os.stat_result) -> tuple[int, int] | None:
    """The owner and group a replacement of the file ``info`` describes is to keep,
    where they are not the ones a new file of this process gets; None otherwise."""
    if not hasattr(os, "fchown"):
        return None
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return None
    return info.st_uid, info.st_gid


def _keep_owner(fd: int, owner: tuple[int, int] | None) -> None:
    """Give the new file ``fd`` the owner and group of the file it replaces, as far as
    the system lets this user: the owner takes the superuser (``sudo aimsctl fmt``
    left the records root's), the group a member of it (a record shared with a group
    through its mode went to the writer's own group, which the others are not in). A
    refusal leaves the file as this user's: a rename, as any editor's save, makes it so."""
    if owner is None:
        return
    uid, gid = owner
    for wanted in ((uid, gid), (-1, gid)):
        try:
            os.fchown(fd, *wanted)
        except OSError:
            continue
        return


def _fill(fd: int, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Give the open file ``fd`` its owner (:func:`_keep_owner`), ``mode`` and ``data``,
    on disk, and close it. The mode comes after the owner, whose change clears the
    set-user and set-group bits."""
    with os.fdopen(fd, "wb") as handle:
        _keep_owner(handle.fileno(), owner)
        os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _take_name(path: Path) -> os.stat_result:
    """Create ``path`` empty, failing when it exists (a link too); its identity."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        return os.fstat(fd)
    finally:
        os.close(fd)


def _remove_if_same(path: Path, taken: os.stat_result) -> None:
    """Remove ``path`` if it is still the file ``taken`` describes (nobody replaced it)."""
    try:
        if os.path.samestat(os.lstat(path), taken):
            path.unlink()
    except OSError:
        pass


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGPROF back (where the system can) while the body runs.

    A signal that arrives meanwhile is delivered, and its Python handler raises,
    right after the body: then ``write_atomic`` already knows the temporary file's
    name and can remove it. SIGPROF is the CPU-time limit of a report render
    (aimsctl.reports.render.run_limited), which may stop one while it writes the
    compiled code of a template (aimsctl.reports.compiled).
    """
    held = {signal.SIGINT, signal.SIGTERM}
    if hasattr(signal, "SIGPROF"):
        held.add(signal.SIGPROF)
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
