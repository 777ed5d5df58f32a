"""Only declared distributions are imported: a fresh install has nothing else.

The package may import what `[project].dependencies` declares; tests and the
benchmark may also import the `dev` extra. A distribution that some other
package happens to pull in (click through an old Typer, for instance) is not
enough: it can vanish with that package's next release.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
# pydantic pins its own pydantic-core exactly, so importing pydantic_core is
# importing a part of pydantic.
PART_OF = {"pydantic-core": "pydantic"}


def _names(requirements: list[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0]) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_modules(folder: Path) -> dict[str, set[str]]:
    """Top-level module name -> the files that import it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.split(".")[0], set()).add(path.name)
    return found


def _undeclared(folder: Path, declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    # The package itself, and helper modules that sit beside the files importing them.
    local = {"aimsctl"} | {path.stem for path in folder.rglob("*.py")}
    problems = []
    for module, files in sorted(_imported_modules(folder).items()):
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        providers = {_normal(d) for d in distributions.get(module, [module])}
        providers |= {PART_OF[p] for p in providers if p in PART_OF}
        if not providers & declared:
            problems.append(f"{module} ({', '.join(sorted(providers))}) in {sorted(files)}")
    return problems


RUNTIME = _names(PYPROJECT["project"]["dependencies"])
DEV = RUNTIME | _names(PYPROJECT["project"]["optional-dependencies"]["dev"])


def test_the_package_imports_only_its_declared_dependencies() -> None:
    assert _undeclared(PROJECT / "src", RUNTIME) == []


@pytest.mark.parametrize("folder", ["tests", "benchmarks"])
def test_tests_and_benchmarks_import_only_declared_dependencies(folder: str) -> None:
    assert _undeclared(PROJECT / folder, DEV) == []


def test_the_check_catches_an_undeclared_import(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import click\nimport yaml\nfrom . import sibling\n")
    assert [p.split(" ")[0] for p in _undeclared(tmp_path, {"pyyaml"})] == ["click"]


# Advisories against our runtime dependencies, audited by hand (pip-audit cannot reach
# an advisory database from this project's CI machines): the first release that fixes
# each. A lower bound in pyproject.toml must never admit a release before it.
FIXED_IN = {
    "jinja2": ("3.1.6", "CVE-2024-56201, CVE-2024-56326, CVE-2025-27516: sandbox escapes"),
    "gitpython": ("3.1.41", "CVE-2024-22190: untrusted search path for git on Windows"),
    "pydantic": ("2.4.0", "CVE-2024-3772: regular-expression denial of service"),
    "pyyaml": ("5.4", "CVE-2020-14343: arbitrary code through full_load"),
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def test_no_lower_bound_admits_a_release_with_a_known_advisory() -> None:
    bounds = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        match = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", requirement)
        assert match, f"{requirement}: every dependency needs a lower bound (>=)"
        bounds[_normal(match.group(1))] = match.group(2)
    for name, (fixed, advisory) in FIXED_IN.items():
        assert _version(bounds[name]) >= _version(fixed), f"{name}>={bounds[name]}: {advisory}"
