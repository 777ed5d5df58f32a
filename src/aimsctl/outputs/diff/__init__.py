"""The formats of `aimsctl diff`: plain text, a pull-request comment in Markdown, JSON.

Each function takes the :class:`~aimsctl.changes.Changes` of one comparison and
returns the whole output as a string; nothing here reads the clock or prints.
The comment is built with the Markdown toolkit of :mod:`aimsctl.text`, so every
value that comes from the records (ids, titles, paths, kinds, bands, field
values) shows as that text: never as markup, raw HTML or an @-mention.

The groups that every format lists are in ``groups.py``; what text and the comment
both say, in ``words.py``; one module per format.
"""

from __future__ import annotations

from aimsctl.outputs.diff.groups import GROUPS
from aimsctl.outputs.diff.json import render_json
from aimsctl.outputs.diff.markdown import MARKER, MAX_COMMENT, render_markdown
from aimsctl.outputs.diff.text import render_text

__all__ = ["GROUPS", "MARKER", "MAX_COMMENT", "render_json", "render_markdown", "render_text"]
