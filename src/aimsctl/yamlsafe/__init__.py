"""Untrusted YAML in, plain data out, with positions available on demand.

libyaml's C parser composes the node tree (fast, and every node carries its
mark); our own walker turns nodes into plain Python values under the YAML 1.2
core schema. That keeps `on:` a string key (not the boolean of YAML 1.1), rejects
every tag outside the core schema, bounds nesting depth and alias expansion, and
reports duplicate keys. Positions are not stored per value: a finding asks for
one with :func:`locate`, which re-composes only the file it needs.

The modules, in the order a file is read:
- decoding.py: bytes to text (UTF-8 only), a plain problem for anything else
- file_checks.py: a declared YAML version other than 1.2, git's conflict markers
- line_breaks.py: YAML 1.1's extra line breaks stood in for while libyaml reads
- block_tabs.py: a block whose first line starts with a tab given its indentation,
  which libyaml otherwise refuses (for_libyaml: the text libyaml is given)
- composer.py: libyaml's C composer, resolving no tag itself (and PARSER)
- scanner.py: the event scan that bounds nesting and values before composing
- reading.py: a text's documents composed one at a time
- core_schema.py: YAML 1.2 core-schema scalars and the tags allowed
- walker.py: one document to plain data, within the limits
- parsing.py: a file's documents and problems, within a run's Budget
- syntax_problems.py: libyaml's syntax errors in plain words
- positions.py: positions on demand (locate and the nodes it works on)
- limits.py, problems.py: the limits; a problem and its position
"""

from __future__ import annotations

from aimsctl.yamlsafe.composer import PARSER
from aimsctl.yamlsafe.core_schema import number_as_written
from aimsctl.yamlsafe.decoding import decode, narrowed
from aimsctl.yamlsafe.limits import (
    MAX_ALIAS_VALUES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_FILE_VALUES,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    MAX_RUN_VALUES,
)
from aimsctl.yamlsafe.line_breaks import FROM_STAND_IN, YAML11_BREAKS, stand_in
from aimsctl.yamlsafe.parsing import Budget, parse
from aimsctl.yamlsafe.positions import (
    aliases_follow_anchors,
    anchor_lines,
    document_nodes,
    locate,
    overflows,
    positioned_nodes,
    written_unheld_number,
)
from aimsctl.yamlsafe.problems import Problem

__all__ = [
    "FROM_STAND_IN",
    "MAX_ALIAS_VALUES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_FILE_VALUES",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "MAX_RUN_VALUES",
    "PARSER",
    "YAML11_BREAKS",
    "Budget",
    "Problem",
    "aliases_follow_anchors",
    "anchor_lines",
    "decode",
    "document_nodes",
    "locate",
    "narrowed",
    "number_as_written",
    "overflows",
    "parse",
    "positioned_nodes",
    "stand_in",
    "written_unheld_number",
]
