"""docs/risk.md shows real output: every `$ aimsctl risk …` example there is re-run here."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable

import pytest

from conftest import EXAMPLE, PROJECT, CliResult

DOC = PROJECT / "docs" / "risk.md"
BLOCK = re.compile(r"```console\n\$ (aimsctl [^\n]*)\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str]]:
    if not DOC.is_file():
        return []
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


@pytest.mark.skipif(
    not (EXAMPLE / "aims.yaml").is_file(), reason=f"the bundled example {EXAMPLE} does not exist"
)
@pytest.mark.parametrize(("command", "shown"), examples())
def test_documented_output_is_real(cli: Callable[..., CliResult], command: str, shown: str) -> None:
    args = [str(EXAMPLE) if a == "examples/northwind" else a for a in shlex.split(command)[1:]]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    stale = f"docs/risk.md is stale: regenerate the output of `{command}`"
    if "--format json" in command:
        assert json.loads(shown) == json.loads(result.stdout), stale
    else:
        assert shown == result.stdout, stale


def test_the_doc_has_examples_of_every_risk_command() -> None:
    commands = {shlex.split(command)[2] for command, _ in examples()}
    assert commands == {"score", "matrix", "show"}
