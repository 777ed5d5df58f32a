"""Codes produced while reading files and validating records against the contract."""

from __future__ import annotations

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import KINDS
from aimsctl.rules.registry import Rule, register
from aimsctl.text import words
from aimsctl.yamlsafe import (
    MAX_ALIAS_VALUES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOCUMENTS,
    MAX_FILE_VALUES,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    MAX_RUN_VALUES,
)

E = Severity.ERROR

for _rule in (
    Rule(
        codes.YAML_SYNTAX,
        E,
        summary="The file is not well-formed YAML, or holds an unresolved merge conflict.",
        why="A record that cannot be parsed is not part of the governance record at all; "
        "ISO/IEC 42001 7.5.3 expects documented information to be available and usable.",
        fix="Correct the syntax at the reported line: indentation with ordinary spaces "
        "(never tabs, nor the no-break spaces that text pasted from a web page brings), "
        "no invisible character starting a line (a byte-order mark left where two files "
        "were joined), matching quotes and brackets, a space after each `:`, and a quote inside a "
        "quoted value doubled inside single quotes (`'it''s'`). After a merge, keep the "
        "version you want between git's `<<<<<<<`, `=======` and `>>>>>>>` lines and delete "
        "those lines (a conflict is refused even where its lines would parse as text).",
        example="title: 'Unclosed quote",
    ),
    Rule(
        codes.ENCODING,
        E,
        summary="The file is not UTF-8 text (bad bytes, NUL bytes or a binary file).",
        why="Records must be readable by every reviewer and tool; 7.5.3 asks that documented "
        "information is protected from loss of integrity.",
        fix="Save the file as UTF-8 (a byte-order mark is fine), or move a binary file out of "
        "the record folders or exclude it in aims.yaml.",
        example="A spreadsheet saved as risks/export.yaml",
    ),
    Rule(
        codes.NOT_A_RECORD,
        E,
        summary="A YAML file or document holds no record: the file is empty (or comments "
        "only), or a document is a list or a scalar. An empty document beside records (as "
        "after a leading or trailing `---`, or between two) holds nothing to check and is "
        "skipped: `aimsctl fmt` drops it.",
        why="Every YAML file in the repository is governance evidence; a stray file is "
        "ambiguous to an auditor, and 7.5.2 asks that documented information is identified "
        "and described.",
        fix="Write the record as a mapping with `kind` and `id`, or add the file to `exclude:` "
        "in aims.yaml.",
        example="- just\n- a list",
    ),
    Rule(
        codes.YAML_TAG,
        E,
        summary="A YAML tag outside the plain core schema (for example `!!python/object`), "
        "a merge key (`<<`), or a field name that is not plain text.",
        why="Records are untrusted input from many contributors; tags can make YAML loaders "
        "build objects or run code, so aimsctl accepts plain values only: 7.5.3 asks that "
        "documented information is protected from improper use and loss of integrity.",
        fix="Remove the tag and write the plain value; write merged fields out in full.",
        example="owner: !!python/object/apply:os.system ['id']",
    ),
    Rule(
        codes.DUPLICATE_KEY,
        E,
        summary="The same key appears twice in one mapping.",
        why="YAML tools disagree on which value wins, so the record would say different "
        "things to different readers; 7.5.3 asks that documented information is suitable "
        "for use and keeps its integrity.",
        fix="Keep one of the keys and delete the other. A second `kind` at the top level "
        "means two records run together: put a line `---` between them instead.",
        example="status: open\nstatus: closed",
    ),
    Rule(
        codes.YAML_LIMITS,
        E,
        summary=f"The document nests more than {MAX_DEPTH} levels deep or holds (or expands "
        f"through aliases to) more than {MAX_NODES} values; the file holds more than "
        f"{MAX_DOCUMENTS} documents or, all its documents together, more than "
        f"{MAX_FILE_VALUES} values; a number has more than {MAX_NUMBER_DIGITS} digits; or one "
        f"run reaches more than {MAX_ALIAS_VALUES} values through aliases or reads more than "
        f"{MAX_RUN_VALUES} values in all (values are counted with aliases expanded; the rest "
        "of the file is not read, nor, when the run's budget ran out, the files after it).",
        why="Alias bombs, extreme nesting and oversized files are denial-of-service attacks "
        "on every tool that reads the repository; budgets per document, file and run keep "
        "reading within seconds however the input is arranged, so the records stay "
        "available when needed (7.5.3).",
        fix="Write the values out plainly (records need only a few levels of nesting and "
        "rarely an alias), split very large files, and exclude generated files in aims.yaml.",
        example="a: &a [x, x]\nb: &b [*a, *a]\n# ... repeated",
    ),
    Rule(
        codes.FILE_TOO_LARGE,
        E,
        summary=f"A record file is larger than {MAX_BYTES // (1024 * 1024)} MiB.",
        why="Governance records are small; a huge file is almost always a mistake or an "
        "attack, and keeps the records from being available when needed (7.5.3).",
        fix="Split the file, or exclude it in aims.yaml if it is not a record.",
        example="A 50 MB log saved as logs.yaml",
    ),
    Rule(
        codes.UNREADABLE_FILE,
        E,
        summary="A record file or folder cannot be read: permissions, it vanished, it is not "
        "a regular file, its name is not UTF-8, its extension is `.yaml` or `.yml` in "
        "capitals (`R-9.YAML`, `R-9.Yml`: only the lower-case ones are read), it is a "
        "symbolic link that leads outside the repository, loops or points nowhere, it "
        "is a git submodule that is not checked out, or a sparse checkout left it off the "
        "disk.",
        why="A record no one can read cannot be reviewed; a link out of the repository would "
        "make the record depend on files outside version control. 7.5.3 asks that "
        "documented information is available and its changes controlled.",
        fix="Fix the permissions, replace the symbolic link with the file or folder itself, "
        "rename the file in UTF-8 or with a lower-case extension, check the submodule out "
        "(`git submodule update --init --recursive`), check the whole repository out "
        "(`git sparse-checkout disable`), or exclude the path in aims.yaml.",
        example="risks/R-1.yaml -> /etc/passwd",
    ),
    Rule(
        codes.RECORD_IDENTITY,
        E,
        summary="A record lacks `kind` or `id`, or names an unknown kind.",
        why="Kind and id are how every other record, report and audit trail refers to a "
        "record: the identification 7.5.2 asks documented information to have.",
        fix=f"Add `kind:` ({words(list(KINDS))}) and a unique `id:`.",
        example="kind: Risks   # should be Risk",
    ),
    Rule(
        codes.INVALID_VALUE,
        E,
        summary="A field has a value of the wrong type or outside its allowed values.",
        why="Risk criteria must be applied consistently (6.1.1, 6.1.2): a level of `true` or a "
        "date of `next week` cannot be scored or scheduled.",
        fix="Use the type the record contract gives: levels as numbers or scale labels, dates as "
        "YYYY-MM-DD, enum values in lower-case with hyphens.",
        example="inherent: {likelihood: 2.5, severity: Major}",
    ),
    Rule(
        codes.MISSING_FIELD,
        E,
        summary="A required field is missing.",
        why="The required fields are what an auditor needs to see for each record, e.g. an "
        "owner for every risk (5.3) and a purpose for every AI system (A.9.4).",
        fix="Add the field named in the message. Where the message says the field is "
        "inside the text of another (indented under a `>` or `|` value, it is read as "
        "more of that text) or indented under a mapping that has no such field, line it "
        "up with the other fields.",
        example="kind: Risk\nid: R-1\ntitle: Bias   # no systems, inherent, status, owner",
    ),
    Rule(
        codes.UNKNOWN_FIELD,
        E,
        summary="A field that the record contract does not define (often a typo).",
        why="A misspelt field is silently ignored by people and tools alike; the value the "
        "author meant to record is lost, and the record is not suitable for use (7.5.3).",
        fix="Correct the spelling (the message suggests the closest field) or remove the field.",
        example="owner: ml-lead@acme.example\nstauts: open",
    ),
    Rule(
        codes.DUPLICATE_ID,
        E,
        summary="Two records share one id.",
        why="References, diffs and the audit trail resolve records by id; a duplicate makes "
        "them ambiguous, where 7.5.2 asks each piece of documented information to be "
        "identified.",
        fix="Give one of the records a new, unique id and update references to it.",
        example="risks/a.yaml and risks/b.yaml both say id: R-7",
    ),
    Rule(
        codes.UNKNOWN_ANNEX_A_ID,
        E,
        summary="An id starting with `A.` that is not an ISO/IEC 42001 Annex A control, or "
        "any `A.` id on a record that is not a Control.",
        why="The Statement of Applicability (6.1.3) must refer to the real Annex A numbering; "
        "several public catalogues number it wrongly. `A.` ids are kept for the controls: a "
        "Risk called `A.6.2.4` would read as the control wherever it is named.",
        fix="Use the Annex A id from `aimsctl controls`, or give an organization control (or "
        "any other record) an id that does not start with `A.`.",
        example="kind: Control\nid: A.11.2\napplicable: true\njustification: Our own numbering.",
    ),
):
    register(_rule)
