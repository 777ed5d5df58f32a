"""The canonical form of a record file, which `aimsctl fmt` writes and checks.

A file in canonical form:

- has its keys in the contract's order: `kind`, `id`, `title`, `description`,
  `owner`, `tags`, then the kind's own fields as its model declares them, and
  `reviewed` last; nested mappings (a treatment, an approval, each metric) in the
  order of their own model; `aims.yaml` in the order of its settings. Keys the
  contract does not know keep their order, after the known ones;
- is indented two spaces per level, a list's dash two spaces in from its key;
- quotes a value only where it would otherwise read back as something else (a
  number, `true`, `null`), in double quotes unless the text holds a double quote
  or a backslash; block scalars (`>-`, `|`) stay as written; dates are unquoted
  in the fields that hold dates, and text that looks like a date is quoted in every
  other field of a record (a YAML 1.1 reader takes it for a date);
- writes NEL, LS and PS in a value escaped in double quotes (`\\L`), a block
  scalar holding one too: a YAML 1.1 reader breaks the line at them;
- writes numbers in decimal, a float's exponent after a point (`1.0e-05`);
- writes `null` for an empty value;
- keeps a flow collection (`[a, b]`, `{likelihood: 2, severity: 3}`) on one line
  when it fits in 100 columns, and writes it as a block otherwise;
- separates documents with a single `---` line, with no blank line around it,
  allows no two blank lines in a row, and none at the start or end of the file.
- ends its lines at LF, or at CR LF where the file ends every line so (a checkout
  with `core.autocrlf=true`); a file that mixes line ends gets LF;
- keeps a UTF-8 byte-order mark where the file starts with one (as some Windows
  editors save): it means nothing to a reader, and dropping it made `fmt --check`
  show a line whose change cannot be seen.

Every comment is kept: one on the line of a key or value stays there (but one on
the `|` line of a list item's block text goes above the item, and one between an
explicit key's `?` and its `:` above the key: ruamel.yaml drops them there);
comment lines above a key move with the key when keys are put in order.
Formatting never changes what the file means: the result is read back and compared,
value for value and comment for comment, before anything is written, and
formatting a formatted file changes no byte.

The modules, in the order a text goes through them:
- comment_moves.py: comments moved to where ruamel.yaml, which edits the file,
  keeps them
- spacing.py: lines broken as YAML breaks them; tabs that separate made spaces;
  blank lines and trailing spaces as the canonical form has them
- key_order.py: the contract's key order (Shape, model_shape)
- scalars.py, flow_layout.py: step 1, on the round-trip tree: quoting and number
  forms dropped; flow collections in key order, or a block when too wide
- reordering.py, node_lines.py: step 2, on the dumped text: block mappings put in
  key order, each key's lines moved whole
- comment_check.py: every comment counted, for the check that none is lost
- formatting.py: canonical(), the whole, and FormatError
"""

from __future__ import annotations

from aimsctl.authoring.canonical.comment_check import comments
from aimsctl.authoring.canonical.flow_layout import LINE_WIDTH
from aimsctl.authoring.canonical.formatting import FormatError, canonical
from aimsctl.authoring.canonical.key_order import (
    COMMON_FIRST,
    COMMON_LAST,
    Shape,
    document_shape,
    model_shape,
    ordered,
)
from aimsctl.authoring.canonical.node_lines import protected_lines
from aimsctl.authoring.canonical.spacing import YAML_WHITE

__all__ = [
    "COMMON_FIRST",
    "COMMON_LAST",
    "LINE_WIDTH",
    "YAML_WHITE",
    "FormatError",
    "Shape",
    "canonical",
    "comments",
    "document_shape",
    "model_shape",
    "ordered",
    "protected_lines",
]
