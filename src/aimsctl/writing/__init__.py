"""Every YAML file aimsctl writes goes through here: round trip, edit, check, replace.

Reading stays on the fast safe loader (:mod:`aimsctl.yamlsafe`); writing uses
ruamel.yaml's round-trip mode, so the comments, key order, quoting and blank lines
a person wrote survive an edit. One path for every write:

1. the file is read and must already be readable YAML (:func:`text_problems`);
2. its documents are loaded in round-trip mode and the edit is applied to them;
3. they are dumped, and only the lines the edit changed replace lines of the
   original (:func:`splice`), so a file aimsctl would lay out differently keeps
   its own layout everywhere the edit did not reach;
4. the new text is checked: read back by yamlsafe and every record through the
   record checker (and, where a command's contract asks for it, the whole
   repository with the new text in place: :func:`new_errors`);
5. the file is replaced atomically (a temporary file in the same folder, fsync,
   ``os.replace``), or created without ever overwriting one (a hard link, which
   fails when the name exists).

Any check that fails raises :class:`WriteRefused` before anything is written, so
the file stays byte-identical, and the message says why. ruamel.yaml reads plain
scalars here with the same YAML 1.2 core schema as yamlsafe (no timestamps, no
merge keys), so both agree on what every value is, and a date is written plain.

The modules, in the order of that path:

- yaml_round_trip.py: ruamel.yaml configured to agree with yamlsafe; load and dump
- comments.py: edits that keep a person's comments in place (set_field, insert_first)
- splicing.py: only the changed lines into the text as written
- anchors.py: an edit that would move an anchor to its alias (refused before the splice)
- checking.py: what is wrong with a text; whether two texts hold the same data
- planning.py: Change, reading a file, planning an edit or a new file
- committing.py: writing planned changes (one, or a set: all of them or none)
- planned_repository.py: the whole repository validated with the changes in place
- refused.py: WriteRefused
"""

from aimsctl.writing.checking import same_data, text_problems
from aimsctl.writing.comments import DATE_LIKE, insert_first, set_field
from aimsctl.writing.committing import commit, commit_all
from aimsctl.writing.planned_repository import new_errors, refuse_new_errors, validate
from aimsctl.writing.planning import (
    Change,
    edit_text,
    plan_create,
    plan_edit,
    read_text,
    refuse_excluded,
    refuse_links,
    split_lines,
)
from aimsctl.writing.refused import WriteRefused
from aimsctl.writing.splicing import splice
from aimsctl.writing.yaml_round_trip import (
    MAPPING_INDENT,
    SEQUENCE_DASH_OFFSET,
    SEQUENCE_INDENT,
    WIDTH,
    PlainKey,
    dump_all,
    is_flow,
    load_all,
    plain,
    round_trip,
    to_round_trip,
)

__all__ = [
    "DATE_LIKE",
    "MAPPING_INDENT",
    "SEQUENCE_DASH_OFFSET",
    "SEQUENCE_INDENT",
    "WIDTH",
    "Change",
    "PlainKey",
    "WriteRefused",
    "commit",
    "commit_all",
    "dump_all",
    "edit_text",
    "insert_first",
    "is_flow",
    "load_all",
    "new_errors",
    "plain",
    "plan_create",
    "plan_edit",
    "read_text",
    "refuse_excluded",
    "refuse_links",
    "refuse_new_errors",
    "round_trip",
    "same_data",
    "set_field",
    "splice",
    "split_lines",
    "text_problems",
    "to_round_trip",
    "validate",
]
