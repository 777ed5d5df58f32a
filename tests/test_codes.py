"""Rule codes are named once, in aimsctl.codes, and every code is a documented rule."""

from __future__ import annotations

import re

from aimsctl import codes
from aimsctl.rules import RULES
from conftest import PROJECT


def test_every_code_is_a_registered_rule_and_back() -> None:
    assert set(RULES) == codes.ALL


def test_each_rule_takes_its_name_from_its_code() -> None:
    assert codes.name(codes.YAML_SYNTAX) == "yaml-syntax"
    for code, rule in RULES.items():
        assert getattr(codes, rule.name.upper().replace("-", "_")) == code


def test_no_code_is_written_as_a_literal_outside_the_codes_module() -> None:
    literal = re.compile(r"""["']AIMS[0-9]{3}["']""")
    found = [
        f"{path.relative_to(PROJECT)}:{number}"
        for path in sorted((PROJECT / "src" / "aimsctl").rglob("*.py"))
        if path.name != "codes.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
