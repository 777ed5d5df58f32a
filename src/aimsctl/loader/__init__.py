"""Find the record files of a repository and read them into raw documents.

The loader knows files, bytes and YAML; it knows nothing of record kinds. Every
problem it meets becomes a diagnostic at a position, never an exception.

The modules, in the order a run goes through them:
- names.py: aims.yaml, the YAML extensions, a path as printable text
- root_folder.py: find_root(), the folder holding aims.yaml
- walking.py, selection.py: a working tree's files listed (what is skipped and why),
  and the record files among them
- sources.py, working_tree.py: where the files come from (FileSource): a git
  revision's files in memory (FileTree) or the files on disk (WorkingTree)
- reading.py: a file's bytes read safely (links, sizes, special files)
- checkout_encoding.py: the advice for a file git checks out in another encoding
- documents.py: a file's documents as plain data
- parsing.py: a file's bytes parsed, or taken from a per-file cache (ParsedFiles)
- two_cores.py: files parsed ahead by two workers
- memo.py, loading.py: load_files(), with what loads in one run share (ParseMemo)
- locating.py: positions inside documents (Locator)
"""

from __future__ import annotations

from aimsctl.loader.checkout_encoding import (
    checkout_encoding_advice,
    config_encoding_error,
    explain_checkout_encodings,
)
from aimsctl.loader.documents import Document
from aimsctl.loader.loading import load_files
from aimsctl.loader.locating import Locator
from aimsctl.loader.memo import ParseMemo
from aimsctl.loader.names import CONFIG_FILE, YAML_SUFFIXES, printable_path
from aimsctl.loader.parsing import ParsedFile, ParsedFiles, parse_file
from aimsctl.loader.reading import path_exists, read_bytes
from aimsctl.loader.root_folder import find_root
from aimsctl.loader.selection import is_excluded, miscased_problems, select_record_paths
from aimsctl.loader.sources import FileSource, FileTree
from aimsctl.loader.walking import FOLDER_LINK_OUT, record_paths, walk_files
from aimsctl.loader.working_tree import SUBMODULE_NOT_CHECKED_OUT, WorkingTree

__all__ = [
    "CONFIG_FILE",
    "FOLDER_LINK_OUT",
    "SUBMODULE_NOT_CHECKED_OUT",
    "YAML_SUFFIXES",
    "Document",
    "FileSource",
    "FileTree",
    "Locator",
    "ParseMemo",
    "ParsedFile",
    "ParsedFiles",
    "WorkingTree",
    "checkout_encoding_advice",
    "config_encoding_error",
    "explain_checkout_encodings",
    "find_root",
    "is_excluded",
    "load_files",
    "miscased_problems",
    "parse_file",
    "path_exists",
    "printable_path",
    "read_bytes",
    "record_paths",
    "select_record_paths",
    "walk_files",
]
