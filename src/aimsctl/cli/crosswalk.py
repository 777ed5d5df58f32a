"""`aimsctl crosswalk`: ISO/IEC 42001 Annex A to NIST AI RMF 1.0 and the EU AI Act, either way.

The command only parses options: :mod:`aimsctl.crosswalk` looks the shipped data
up, :mod:`aimsctl.outputs.crosswalk` renders (:data:`aimsctl.formats.CROSSWALK`).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimsctl.formats import CROSSWALK, CROSSWALK_FROM


def crosswalk(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="One id of the --from framework: A.6.2.4, 'GOVERN 1.1' (or GV-1.1), "
            "'Art. 10' (or 10). Default: every id.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="FRAMEWORK",
            help=f"The framework ID belongs to: {CROSSWALK_FROM.help}.",
        ),
    ] = "annex-a",
    format: Annotated[str, typer.Option("--format", "-f", help=f"{CROSSWALK.help}.")] = "table",
) -> None:
    """Show how Annex A controls map to NIST AI RMF subcategories and EU AI Act
    articles, or which controls map to a subcategory or article.

    Every link names its source and confidence: published (read from the crosswalk
    listed on the NIST AI Resource Center, of which only part could be read) or
    analytic (inferred by the aimsctl maintainers, unreviewed, official for no one).
    There is no official mapping to the EU AI Act. Reads no repository.

    \b
    Example:
      aimsctl crosswalk --from annex-a A.6.2.4
    """
    from aimsctl.crosswalk import view

    CROSSWALK_FROM.check(source)
    CROSSWALK.check(format)
    sys.stdout.write(CROSSWALK.renderer(format)(view(source, target)))
