"""Imports run one way, from the YAML layer up to the command line, with no cycle.

Each module of the package belongs to one layer; a module may import modules of
its own layer or a lower one (imports for type checking only do not count). A new
module needs a place in LAYERS: CONTRIBUTING.md explains the layers.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

from conftest import PROJECT

SOURCE = PROJECT / "src"

# Lowest first. A module takes the first layer with a pattern matching its name.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "aimsctl",
            "aimsctl.codes",
            "aimsctl.errors",
            "aimsctl.vocabulary",
            "aimsctl.progress",
            "aimsctl.notices",
            "aimsctl.text",
            "aimsctl.days",
            "aimsctl.globs",
            "aimsctl.links",
            "aimsctl.formats",
            "aimsctl.diagnostics",
            "aimsctl.fileio",
            "aimsctl.collector",
            "aimsctl.workers",
            "aimsctl.validation_messages",
            "aimsctl.catalog",
            "aimsctl.catalog.*",
        ),
    ),
    ("yaml", ("aimsctl.yamlsafe", "aimsctl.yamlsafe.*")),
    ("files", ("aimsctl.loader", "aimsctl.loader.*", "aimsctl.gitio", "aimsctl.gitio.*")),
    ("config", ("aimsctl.config", "aimsctl.config.*", "aimsctl.scoring")),
    (
        "records",
        (
            "aimsctl.records",
            "aimsctl.records.base",
            "aimsctl.records.check",
            "aimsctl.records.[!d]*",
        ),
    ),
    ("repository", ("aimsctl.repository", "aimsctl.soa", "aimsctl.record_dates")),
    ("rules", ("aimsctl.rules", "aimsctl.rules.[!d]*")),
    (
        "core",
        (
            "aimsctl.engine",
            "aimsctl.cache",
            "aimsctl.cache.*",
            "aimsctl.validation",
            "aimsctl.changed",
            "aimsctl.schemas",
            "aimsctl.revision",
            "aimsctl.fielddiff",
            "aimsctl.changes",
            "aimsctl.changes.*",
            "aimsctl.compare",
            "aimsctl.compare.*",
            "aimsctl.record_log",
            "aimsctl.risk_register",
            "aimsctl.scaffold",
            "aimsctl.monitor_check",
            "aimsctl.bias_audit",
            "aimsctl.bias_audit.*",
            "aimsctl.eval_import",
            "aimsctl.eval_import.*",
            "aimsctl.writing",
            "aimsctl.writing.*",
            "aimsctl.authoring*",
            "aimsctl.authoring.new.*",
            "aimsctl.authoring.canonical.*",
            "aimsctl.crosswalk",
            "aimsctl.oscal",
            "aimsctl.obligations",
            "aimsctl.due",
            "aimsctl.readiness",
            "aimsctl.status",
        ),
    ),
    (
        "outputs",
        ("aimsctl.outputs*", "aimsctl.reports*", "aimsctl.records.docs", "aimsctl.rules.docs"),
    ),
    ("cli", ("aimsctl.cli*", "aimsctl.__main__")),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SOURCE / "aimsctl").rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    for rank, (_, patterns) in enumerate(LAYERS):
        if any(fnmatchcase(module, pattern) for pattern in patterns):
            return rank
    raise AssertionError(f"{module} has no layer in tests/test_layers.py")


def _imports(path: Path) -> set[str]:
    """The aimsctl modules a file imports at run time (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # `from aimsctl.x import y` imports aimsctl.x.y when that is a module.
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name in MODULES)
    return found


GRAPH = {module: _imports(path) - {module} for module, path in MODULES.items()}


def test_every_import_goes_to_the_same_or_a_lower_layer() -> None:
    upward = [
        f"{module} ({LAYERS[_layer(module)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
        for module, targets in GRAPH.items()
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_only_gitio_imports_git_and_only_outputs_and_cli_import_rich_or_typer() -> None:
    allowed = {
        "git": ("aimsctl.gitio", "aimsctl.gitio.*"),
        "typer": ("aimsctl.cli*",),
        "rich": ("aimsctl.cli*", "aimsctl.outputs*"),
    }
    wrong = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in allowed and not any(fnmatchcase(module, p) for p in allowed[top]):
                    wrong.append(f"{module} imports {top}")
    assert wrong == []


def test_contributing_names_every_module_in_its_layer() -> None:
    """CONTRIBUTING.md's table of layers names each module and package at the top of
    the package (`text.py`, `gitio/`), so a contributor finds where one belongs; the
    table fell behind as modules were added or split into packages."""
    rows = [
        line
        for line in (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    named = {row.split(" | ")[0].removeprefix("| "): row.split(" | ")[1] for row in rows}
    missing = []
    for path in sorted((SOURCE / "aimsctl").iterdir()):
        if path.name.startswith("__") or not (
            path.suffix == ".py" or (path / "__init__.py").exists()
        ):
            continue
        module = f"aimsctl.{path.stem}"
        shown = f"`{path.name}`" if path.suffix == ".py" else f"`{path.name}/`"
        layer = LAYERS[_layer(module)][0]
        cells = [cell for title, cell in named.items() if layer in title.split(", ")]
        if not any(shown in cell for cell in cells):
            missing.append(f"{shown} ({layer})")
    assert missing == []


def test_no_module_imports_another_modules_private_name() -> None:
    """A leading underscore keeps a name to its module: a helper two modules share is
    public in its one home. The modules split into packages (gitio/, compare/,
    cache/, ...) first shared such names across their parts."""
    shared = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aimsctl"):
                shared += [
                    f"{module} imports {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert shared == []


def _writes_to_a_terminal(node: ast.AST) -> bool:
    """A call of print, or a use of sys.stdout or sys.stderr."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "print"
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("stdout", "stderr")
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def test_only_outputs_and_the_command_line_print() -> None:
    # Core code gives warnings to aimsctl.notices and progress to aimsctl.progress:
    # what a command shows, and where, is the command line's to decide.
    printing = {"outputs", "cli"}
    wrong = sorted(
        f"{module}:{node.lineno}"
        for module, path in MODULES.items()
        if LAYERS[_layer(module)][0] not in printing
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _writes_to_a_terminal(node)
    )
    assert wrong == []
