"""Option choices written in CLI modules (so `aimsctl --help` loads nothing heavy)
stay equal to the registries they stand for."""

from __future__ import annotations

from aimsctl.cli.report import REPORT_CHOICES
from aimsctl.config import AimsConfig
from aimsctl.reports import NAMES, REPORTS
from aimsctl.vocabulary import REPORT_NAMES


def test_report_names_are_the_registered_reports_and_all() -> None:
    assert REPORT_CHOICES.names == (*REPORT_NAMES, "all")


def test_the_report_registry_covers_exactly_the_report_names_in_order() -> None:
    assert tuple(REPORTS) == REPORT_NAMES
    assert all(name == info.name for name, info in REPORTS.items())
    assert NAMES == REPORT_NAMES


def test_documents_in_aims_yaml_take_exactly_the_report_names() -> None:
    documents = AimsConfig.model_json_schema()["properties"]["documents"]
    assert tuple(documents["propertyNames"]["enum"]) == REPORT_NAMES
