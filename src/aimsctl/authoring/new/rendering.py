"""The draft as the text of a record file: canonical form, comments beside the
values to check, the optional fields listed at the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aimsctl import writing, yamlsafe
from aimsctl.authoring.canonical import canonical, model_shape
from aimsctl.authoring.new.model_fields import allowed_values
from aimsctl.authoring.new.skeleton import Draft
from aimsctl.records import Record
from aimsctl.text import wrap_words
from aimsctl.vocabulary import PLACEHOLDER


def _optional_lines(model: type[Record], data: Mapping[str, Any]) -> list[str]:
    order = model_shape(model).order
    fields = {(i.alias or n): i for n, i in model.model_fields.items()}
    rest = [k for k in order if k not in data and k not in ("kind", "id")]
    if not rest:
        return []
    lines = ["# Optional fields (see `aimsctl schema` and the record reference):"]
    plain = [k for k in rest if not allowed_values(fields[k].annotation)]
    lines += wrap_words(", ".join(plain), 96, "#   ")
    for key in rest:
        allowed = allowed_values(fields[key].annotation)
        if allowed:
            lines += wrap_words(f"{key}: {', '.join(allowed)}", 96, "#   ", "#     ")
    return lines


def render(draft_: Draft) -> str:
    """The draft as the text of a record file, in canonical form."""
    header = [
        f"# {draft_.model.KIND} {draft_.record_id}: made by `aimsctl new`. Replace every "
        f"`{PLACEHOLDER}`",
        "# (`aimsctl validate` lists them) and check each value the comments point at.",
    ]
    body = writing.dump_all([writing.to_round_trip(draft_.data)])
    shown = draft_.rel or "new record"
    lines = canonical("\n".join([*header, body]), shown).splitlines()
    nodes = yamlsafe.document_nodes("\n".join(lines) + "\n")
    above: dict[int, list[str]] = {}
    for path, note in sorted(draft_.notes.items()):
        parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in path.split("."))
        line, _column, found = yamlsafe.locate(nodes[0], parts, at_key=False)
        if not found:
            continue
        key_line, key_column, _ = yamlsafe.locate(nodes[0], parts, at_key=True)
        if line == key_line and "#" not in lines[line - 1]:
            lines[line - 1] += f"  # {note}"
        else:  # a block list or mapping: the note goes above its key
            above.setdefault(key_line, []).append(" " * (key_column - 1) + f"# {note}")
    out: list[str] = []
    for number, text_line in enumerate(lines, start=1):
        out += above.get(number, [])
        out.append(text_line)
    text = "\n".join([*out, *_optional_lines(draft_.model, draft_.data)]) + "\n"
    return canonical(text, shown)
