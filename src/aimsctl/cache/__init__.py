"""The validation cache: an unchanged repository is not checked twice, and a cached
answer is always the answer `--no-cache` would give.

**What an answer depends on.** The key (:meth:`KeyedTree.key`) covers the entry
format, the aimsctl version and code, the versions of the libraries that read the
YAML and build the records (PyYAML, libyaml, pydantic) and of Python, the as-of
date, the repository path and its real path, the bytes of aims.yaml, of every
YAML file (hidden ones too: git's comparison of the working tree reads them), of
every `.gitignore` and `.gitattributes` (in the folders above the repository up to
the top of the work tree too) and of the excludes and attributes files and git
config outside the repository that say what git ignores and how it converts files,
the submodules not checked out (each an AIMS008:
:meth:`aimsctl.loader.WorkingTree.unchecked_submodules`), and the shape of the whole tree below the
repository, hidden files and folders included (a `.git` folder counts as an entry,
its contents do not): every path with its type from `lstat` (file, folder,
symbolic link, other), every folder's mode and owner, every folder that cannot be
listed, and every symbolic link's target text, the real path it resolves to
(inside the repository or not) and what is there.
Other files are not hashed: validation only checks that they exist and what they
are. What the key cannot see is what a cited path meets outside the repository
or inside `.git` (a link out, `..` past the root through a link, a link back in):
so an entry also holds, for every path the records cite (evidence, systems'
documentation: :func:`cited_paths`), where it resolved and what it named (a file
with no bytes told apart), and each is checked again before the cached answer is
used. A run during which the
tree changed is not stored.

**Where** (:func:`cache_dir`): `$AIMSCTL_CACHE_DIR` (a relative one is taken from
the current folder), else `$XDG_CACHE_HOME/aimsctl` when that is an absolute path
(a relative one is ignored, as the XDG Base Directory specification says), else
`~/.cache/aimsctl`; with no home folder there is no cache. One entry per
repository, `validate-<hash of its real path>.json`, and beside it the per-file
cache, `validate-<hash>.files.json`: when the whole-repository entry misses (one
file edited), files whose bytes did not change are not parsed again
(:class:`FileCache`; what a parse depends on is listed above it); and the history
cache, `validate-<hash>.history.json`: committed files are not read from git and
parsed again for the dates taken from history, and where HEAD and git's state did
not move, the walk over the commits is not made again (:class:`HistoryCache`).

**Trust.** An entry is data (JSON), never code, and is used only when all of this
holds; otherwise there is silently no cache (nothing read, nothing written, the
repository is checked afresh: a cache is only an optimisation, and this layer
prints nothing):

- the folder lies outside the repository being validated and outside the git work
  tree holding it, is a folder (a symbolic link to one is followed), is owned by
  the current user, and neither its group nor others may write it;
- the entry is opened without following a symbolic link and without blocking (a
  named pipe cannot hang the run), and is a regular file owned by the current
  user, not writable by group or others, of at most :data:`MAX_ENTRY_BYTES`;
- its header names this format and exactly the key asked for, and its BLAKE2b
  digest, keyed with that key, matches the payload, which must decode to a
  well-formed result. An entry for another key, a truncated or tampered one is a
  miss, and the run replaces it. The digest is not a secret (anyone can compute
  it): it detects damage and misplaced entries; the folder's permissions keep
  others from writing entries at all.

**Writing.** A new cache folder gets mode 0o700 and an entry 0o600; entries are
written with :func:`aimsctl.fileio.write_atomic` (a temporary file, then a rename
that replaces whatever was there, a link or a pipe included, without following
it), so a concurrent run reads the old entry or the new one, never half of one.
**Size.** Three entries per repository folder validated; after each write the least
recently written entries are removed until all of them total at most
:data:`MAX_CACHE_BYTES` (the new entry always stays), so the folder cannot grow
without bound however many checkouts and temporary folders a machine validates;
only files named as entries are counted (never a user's validate-report.json), and a
killed write's temporary file goes once a day old.
Systems without POSIX ownership checks (no `os.geteuid`, `O_NOFOLLOW` or `dir_fd`)
have no cache.

**Modules.** `key` (the whole-repository key) with `git_state` (what it reads of
git) and `hashing`; `cited` (the cited paths probed again); `entries` (the whole
result's entry, and the base of the entries beside it); `file_cache` and
`history_cache` (those two); `storage` (the folder, safe reads and writes, eviction).
"""

from aimsctl.cache.cited import probes
from aimsctl.cache.entries import ResultCache, decode, encode
from aimsctl.cache.file_cache import FileCache
from aimsctl.cache.history_cache import HistoryCache
from aimsctl.cache.key import KeyedTree, fingerprint
from aimsctl.cache.storage import MAX_ENTRY_BYTES, cache_dir, evict

__all__ = [
    "MAX_ENTRY_BYTES",
    "FileCache",
    "HistoryCache",
    "KeyedTree",
    "ResultCache",
    "cache_dir",
    "decode",
    "encode",
    "evict",
    "fingerprint",
    "probes",
]
