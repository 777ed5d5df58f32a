"""`templates:`: the folder of report templates that replace the built-in ones."""

from __future__ import annotations

from pathlib import PurePosixPath

from aimsctl.text import NAME_CONTROLS

# `templates:` as templates_folder takes it: once stripped, folder
# names separated by '/' ('.' names aside), at least one, none starting with '.', no '\\'
# and no control character.
_TEMPLATE_NAME = "[^./\\\\\\x00-\\x1f\\x7f][^/\\\\\\x00-\\x1f\\x7f]*"
TEMPLATES_PATTERN = f"^\\s*(?!\\s)(?:\\./+)*{_TEMPLATE_NAME}(?:/+(?:\\.|{_TEMPLATE_NAME}))*/*\\s*$"


def templates_folder(folder: str) -> str:
    """The `templates:` folder of aims.yaml as a POSIX path, checked to be a visible
    folder below the root; ValueError saying why it is not (validate and report both
    refuse such a setting)."""
    text = folder.strip()
    pure = PurePosixPath(text)
    if not text or pure.is_absolute() or ".." in pure.parts or "\\" in folder:
        raise ValueError(
            f"{folder!r} must be a folder inside the repository, "
            "given relative to its root (e.g. report-templates)"
        )
    if not pure.parts:
        raise ValueError(
            f"{folder!r} names the repository root; templates must "
            "have a folder of their own (e.g. report-templates), so that they cannot "
            "include the repository's other files"
        )
    if NAME_CONTROLS.search(text):
        raise ValueError(f"{folder!r} holds a control character; write the plain folder name")
    hidden = next((part for part in pure.parts if part.startswith(".")), None)
    if hidden is not None:
        raise ValueError(
            f"{folder!r} is a hidden folder ({hidden!r} starts with "
            "'.'); templates are never read from hidden folders such as .git, so use a "
            "visible one (e.g. report-templates)"
        )
    return pure.as_posix()
