"""The error of a write that was checked and refused: nothing was written."""

from __future__ import annotations

from aimsctl.errors import AimsctlError


class WriteRefused(AimsctlError):
    """A write that would break a record, or a sign-off the rules do not allow.

    Nothing was written; the message says why, one problem per line. Exit 1: the
    input is usable, what it holds is not acceptable.
    """

    exit_code = 1
