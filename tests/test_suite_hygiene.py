"""The test suite's own checks can fail: every test asserts something, and no patch or
expected error is so loose that the test passes whatever the code does."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# pytest's calls that check by themselves: a test that makes one asserts.
CHECKING = {"raises", "fail", "warns", "deprecated_call"}
BROAD_ERRORS = {"Exception", "BaseException"}


@dataclass
class _Function:
    where: str
    name: str
    checks: bool = False  # an assert, a raise, or pytest.raises / fail / warns
    names: set[str] = field(default_factory=set)  # what it calls or hands to a helper


@dataclass
class _Suite:
    functions: list[_Function] = field(default_factory=list)
    loose_patches: list[str] = field(default_factory=list)
    broad_raises: list[str] = field(default_factory=list)


class _Reader(ast.NodeVisitor):
    """One pass over a module: each node counts for the innermost function holding it
    (a nested helper is its own function, which the outer one names)."""

    def __init__(self, rel: str, suite: _Suite) -> None:
        self.rel, self.suite = rel, suite
        self.within: list[_Function] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        function = _Function(f"tests/{self.rel}:{node.lineno}", node.name)
        self.suite.functions.append(function)
        self.within.append(function)
        self.generic_visit(node)
        self.within.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _note(self, checks: bool = False, name: str | None = None) -> None:
        if self.within:
            self.within[-1].checks |= checks
            if name is not None:
                self.within[-1].names.add(name)

    def visit_Assert(self, node: ast.Assert) -> None:
        self._note(checks=True)
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._note(checks=True)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._note(name=node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        pytest_check = (
            isinstance(node.value, ast.Name) and node.value.id == "pytest" and node.attr in CHECKING
        )
        self._note(checks=pytest_check, name=node.attr)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        where = f"tests/{self.rel}:{node.lineno}"
        if isinstance(node.func, ast.Attribute):
            raising = next((k.value for k in node.keywords if k.arg == "raising"), None)
            if (
                node.func.attr in ("setattr", "delattr")
                and isinstance(raising, ast.Constant)
                and raising.value is False
            ):
                self.suite.loose_patches.append(where)
            if node.func.attr == "raises" and node.args:
                named = {n.id for n in ast.walk(node.args[0]) if isinstance(n, ast.Name)}
                if named & BROAD_ERRORS:
                    self.suite.broad_raises.append(where)
        self.generic_visit(node)


@cache
def _suite() -> _Suite:
    suite = _Suite()
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS).as_posix()
        _Reader(rel, suite).visit(ast.parse(path.read_text(encoding="utf-8")))
    return suite


def test_every_test_asserts_something() -> None:
    """A test with no assert, no pytest.raises and no call into a helper that asserts
    passes whatever the code does. Helpers are matched by name across tests/: a helper
    that asserts vouches for every function of its name, a loose reading that can miss
    a silent test but never accuses one wrongly."""
    functions = _suite().functions
    checking = {f.name for f in functions if f.checks}
    while more := {f.name for f in functions if f.names & checking} - checking:
        checking |= more
    silent = [
        f"{f.where} {f.name}"
        for f in functions
        if f.name.startswith("test") and not f.checks and not f.names & checking
    ]
    assert len(functions) > 1000  # the scan read the suite
    assert silent == []


def test_no_attribute_patch_may_miss_its_target() -> None:
    """monkeypatch.setattr or delattr with raising=False on an attribute a rename took
    away patches nothing, silently (delenv may: a variable may well be unset)."""
    assert _suite().loose_patches == []


def test_no_expected_error_is_any_error() -> None:
    """pytest.raises(Exception) passes on a TypeError or a KeyError from a broken test
    as readily as on the refusal it means to see: name the error expected."""
    assert _suite().broad_raises == []
