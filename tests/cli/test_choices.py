"""Option choices written in CLI modules (so `aimsctl --help` loads nothing heavy)
stay equal to the registries they stand for."""

from __future__ import annotations

from aimsctl.cli.report import REPORT_CHOICES
from aimsctl.reports import NAMES


def test_report_names_are_the_registered_reports_and_all() -> None:
    assert REPORT_CHOICES.names == (*NAMES, "all")
