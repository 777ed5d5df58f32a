"""`aimsctl schema`: JSON Schemas of every record kind and of aims.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def schema(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the schemas into.")],
) -> None:
    """Write one JSON Schema per record kind, plus aims.yaml and a combined record schema."""
    from aimsctl.fileio import write_atomic
    from aimsctl.schemas import generate

    for name, text in generate().items():
        write_atomic(out / name, text)
        print(out / name)
