"""AIMS010: record files a checkout on Windows or macOS cannot hold as they are."""

from __future__ import annotations

import unicodedata

import pytest
from rule_support import Cli, Make, of, validate

from conftest import EXCLUDED_SOA


def _system(record_id: str) -> str:
    return (
        f"kind: AISystem\nid: {record_id}\ntitle: A system\nowner: owner@acme.example\n"
        "purpose: A system under test.\ntype: predictive\nstage: development\n"
        "human_oversight: {mode: human-in-the-loop}\n"
    )


def test_two_record_files_that_differ_only_in_letter_case(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": _system("SYS-1"),
        "systems/sys-1.yaml": _system("SYS-2"),
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS010")
    assert [(d["path"], d["severity"], d["line"]) for d in found] == [
        ("systems/sys-1.yaml", "warning", 1)
    ]
    assert found[0]["message"].startswith(
        "systems/sys-1.yaml and systems/SYS-1.yaml differ only in letter case: Windows and "
        "macOS keep one file for both names, so a checkout there loses one of the records"
    )


def test_an_accent_written_two_ways_is_one_name_on_macos(make_repo: Make, cli: Cli) -> None:
    composed = "systems/café.yaml"
    decomposed = unicodedata.normalize("NFD", composed)
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        composed: _system("SYS-1"),
        decomposed: _system("SYS-2"),
    }
    (message,) = [
        d["message"] for d in of(validate(cli, make_repo(files), schema_ok=False), "AIMS010")
    ]
    # The two names look alike: the message shows their code points.
    assert "'systems/caf\\xe9.yaml'" in message and "'systems/cafe\\u0301.yaml'" in message
    assert "accented letter is encoded (composed or decomposed): macOS keeps" in message
    assert "Windows" not in message  # NTFS holds both names apart


@pytest.mark.parametrize(
    ("rel", "words"),
    [
        ("systems/con.yaml", "'con.yaml' is the device name CON, which Windows reserves"),
        ("systems/Aux.1.yaml", "'Aux.1.yaml' is the device name AUX, which Windows reserves"),
        ("nul/SYS-1.yaml", "'nul' is the device name NUL, which Windows reserves"),
        ("systems/a:b.yaml", "'a:b.yaml' holds ':', which Windows does not allow in a name"),
        ("systems/draft./SYS-1.yaml", "'draft.' ends in '.', which Windows drops from a name"),
    ],
)
def test_a_name_windows_cannot_create(rel: str, words: str, make_repo: Make, cli: Cli) -> None:
    files = {"controls/annex-a.yaml": EXCLUDED_SOA, rel: _system("SYS-1")}
    (finding,) = of(validate(cli, make_repo(files), schema_ok=False), "AIMS010")
    assert finding["path"] == rel
    assert finding["message"] == f"{words}: no Windows checkout can hold {rel}; rename it"


def test_portable_names_pass(make_repo: Make, cli: Cli) -> None:
    # Different names, and a folder whose name only contains a device name.
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": _system("SYS-1"),
        "systems/SYS-10.yaml": _system("SYS-10"),
        "console/SYS-2.yaml": _system("SYS-2"),
        "systems/café.yaml": _system("SYS-3"),
    }
    assert of(validate(cli, make_repo(files), schema_ok=False), "AIMS010") == []


def test_a_folder_windows_cannot_create_is_named_for_every_file_in_it(
    make_repo: Make, cli: Cli
) -> None:
    """The rule judges each folder once for all its files: every file below it is still
    reported, and a file's own name is judged after its folders."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "aux/SYS-1.yaml": _system("SYS-1"),
        "aux/con.yaml": _system("SYS-2"),
        "systems/a|b.yaml": _system("SYS-3"),
        "systems/SYS-4.yaml": _system("SYS-4"),
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS010")
    assert [(d["path"], d["message"].split(":")[0]) for d in found] == [
        ("aux/SYS-1.yaml", "'aux' is the device name AUX, which Windows reserves"),
        ("aux/con.yaml", "'aux' is the device name AUX, which Windows reserves"),
        ("systems/a|b.yaml", "'a|b.yaml' holds '|', which Windows does not allow in a name"),
    ]
