"""Reading and checking aims.yaml: every problem raised at once as ConfigError, in
file order."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from aimsctl import yamlsafe
from aimsctl.config.semantic_checks import semantic_problems
from aimsctl.config.settings import AimsConfig
from aimsctl.errors import ConfigError
from aimsctl.loader import CONFIG_FILE
from aimsctl.validation_messages import describe_error


def parse_config(raw: bytes, path: str = CONFIG_FILE) -> AimsConfig:
    """Validate the bytes of aims.yaml, raising ConfigError at the first problem."""
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        raise ConfigError(problem.message, path, problem.line, problem.column)
    parsed = yamlsafe.parse(text)
    if parsed.problems:
        first = min(parsed.problems, key=lambda p: (p.line, p.column))
        raise ConfigError(first.message, path, first.line, first.column)
    if len(parsed.documents) > 1:
        extra = parsed.documents[1]
        raise ConfigError(
            f"aims.yaml must hold one document, but it holds {len(parsed.documents)}; "
            "remove the '---' and everything after it, or merge the settings into the first",
            path,
            extra.line,
            extra.column,
        )
    if not parsed.documents or not isinstance(parsed.documents[0].data, dict):
        only = parsed.documents[0] if parsed.documents else None
        raise ConfigError(
            "aims.yaml must hold one mapping of settings (version: 1, organization: ...); "
            "`aimsctl init` writes a complete one",
            path,
            only.line if only else 1,
            only.column if only else 1,
        )
    data = parsed.documents[0].data
    root = yamlsafe.document_nodes(text)[0]

    def at(
        message: str, parts: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[str, int, int]:
        line, column, _ = yamlsafe.locate(root, parts, at_key)
        return message, line, column

    def described(detail: ErrorDetails) -> tuple[str, int, int]:
        message, parts, at_key = describe_error(
            detail, AimsConfig, written=lambda parts: yamlsafe.written_unheld_number(root, parts)
        )
        # A key that is not allowed (a report name under documents:) is shown at the key.
        return at(message, parts, at_key or detail["loc"][-1:] == ("[key]",))

    try:
        config = AimsConfig.model_validate(data)
    except ValidationError as error:
        problems = [described(detail) for detail in error.errors()]
    else:
        problems = [at(message, parts) for message, parts in semantic_problems(config)]
    if problems:
        # Every problem at once, in file order.
        (message, line, column), *also = sorted(problems, key=lambda p: (p[1], p[2], p[0]))
        raise ConfigError(message, path, line, column, also)
    return config


def load_config(root: Path) -> AimsConfig:
    try:
        raw = (root / CONFIG_FILE).read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no {CONFIG_FILE} in {root}; run `aimsctl init` to create one", line=None
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot read it: {error.strerror or error}", line=None) from None
    return parse_config(raw)
