"""AIMS009: bidirectional control characters in record text (Trojan Source)."""

from __future__ import annotations

from rule_support import Cli, Make, at, of, validate

from conftest import EXCLUDED_SOA


def test_a_bidi_override_in_a_value_is_reported_where_it_is(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": (
            "kind: AISystem\n"
            "id: SYS-1\n"
            'title: "Hiring \\u202eloot"\n'
            "owner: owner@acme.example\n"
            "purpose: A system under test.\n"
            "type: predictive\n"
            "stage: development\n"
            "human_oversight: {mode: human-in-the-loop}\n"
            'tags: [ok, "x\\u2066y\\u2069"]\n'
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)  # AIMS009 is a reading code
    assert at(found, "AIMS009") == [("systems/SYS-1.yaml", 3, 8), ("systems/SYS-1.yaml", 9, 12)]
    first, second = of(found, "AIMS009")
    assert (first["pointer"], first["severity"]) == ("/title", "warning")
    assert "U+202E" in first["message"]
    assert second["pointer"] == "/tags/1" and "U+2066" in second["message"]


def test_right_to_left_text_without_control_characters_passes(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": (
            "kind: AISystem\nid: SYS-1\ntitle: نظام التوظيف\nowner: owner@acme.example\n"
            "purpose: A system under test.\ntype: predictive\nstage: development\n"
            "human_oversight: {mode: human-in-the-loop}\ndescription: מערכת גיוס\n"
        ),
    }
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS009") == []


def test_the_directional_marks_of_right_to_left_writing_pass(make_repo: Make, cli: Cli) -> None:
    """The left-to-right and right-to-left marks (U+200E, U+200F) and the Arabic letter
    mark (U+061C) that Arabic and Hebrew writers type reorder nothing: AIMS009 warned
    on them as Trojan Source. The embeddings, overrides and isolates still warn."""
    files = _system(
        'description: "\u05de\u05e2\u05e8\u05db\u05ea v2\u200f \u200eABC\u200e"\n',
        'tags: ["\u0646\u0638\u0627\u0645\u061c 2", "x\u202ay\u202c", "a\u2067b\u2069"]\n',
    )
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [finding["pointer"] for finding in of(found, "AIMS009")] == ["/tags/1", "/tags/2"]


def test_a_control_character_written_literally_is_found(make_repo: Make, cli: Cli) -> None:
    # No escape in the file: the character itself is in the text.
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": (
            "kind: AISystem\nid: SYS-1\ntitle: Hiring \u202eloot\nowner: owner@acme.example\n"
            "purpose: A system under test.\ntype: predictive\nstage: development\n"
            "human_oversight: {mode: human-in-the-loop}\n"
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS009") == [("systems/SYS-1.yaml", 3, 8)]


def _system(*lines: str) -> dict[str, str]:
    return {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": (
            "kind: AISystem\nid: SYS-1\ntitle: Hiring\nowner: owner@acme.example\n"
            "purpose: A system under test.\ntype: predictive\nstage: development\n"
            "human_oversight: {mode: human-in-the-loop}\n" + "".join(lines)
        ),
    }


def test_an_invisible_character_is_reported_where_it_is(make_repo: Make, cli: Cli) -> None:
    """`ciso\u00ad@acme.example` read as `ciso@acme.example`, and a tag character after a
    tag as the tag alone: nothing said the text held more than it showed."""
    files = _system(
        'contact: "ciso\\u00ad@acme.example"\n',
        'tags: [ok, "hr\\U000E0041"]\n',
        "description: Pasted\u2060text.\n",
    )
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS011") == [
        ("systems/SYS-1.yaml", 9, 10),
        ("systems/SYS-1.yaml", 10, 12),
        ("systems/SYS-1.yaml", 11, 14),
    ]
    first, second, third = of(found, "AIMS011")
    assert (first["pointer"], first["severity"]) == ("/contact", "warning")
    assert "U+00AD (soft hyphen)" in first["message"]
    assert (
        second["pointer"] == "/tags/1"
        and "U+E0041 (tag latin capital letter a)" in (second["message"])
    )
    assert "U+2060 (word joiner)" in third["message"]


def test_joiners_and_an_emoji_selector_after_a_symbol_pass(make_repo: Make, cli: Cli) -> None:
    # What printable() leaves as it is, the rule leaves too: Persian's ZWNJ, the ZWJ of
    # an emoji sequence, the selector that draws the warning sign as an emoji.
    files = _system('description: "\u0646\u200c\u0645 \U0001f469\u200d\U0001f4bb \u26a0\ufe0f"\n')
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS011") == []


def test_a_word_mixing_latin_with_look_alike_letters_is_reported(make_repo: Make, cli: Cli) -> None:
    """`ciso@acme.example` with a Cyrillic es for its c, and `Hiring` with a Greek capital
    eta for its H, read as the Latin words, and nothing said they were other text."""
    files = _system(
        'contact: "\\u0441iso@acme.example"\n',
        'tags: [ok, "\\u0397iring"]\n',
        "description: Drift is tested at the \u03b1-level of 0.05 "
        "(caf\u00e9, \u03a3\u03cd\u03c3\u03c4\u03b7\u03bc\u03b1, 10\u00b5s).\n",
    )
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS012") == [("systems/SYS-1.yaml", 9, 10), ("systems/SYS-1.yaml", 10, 12)]
    first, second = of(found, "AIMS012")
    assert (first["pointer"], first["severity"]) == ("/contact", "warning")
    assert (
        "Latin letters with a Cyrillic one, U+0441 (cyrillic small letter es)" in (first["message"])
    )
    assert (
        "Latin letters with a Greek one, U+0397 (greek capital letter eta)" in (second["message"])
    )


def test_words_in_one_script_and_words_apart_pass(make_repo: Make, cli: Cli) -> None:
    # Each word in one script (a Greek or Cyrillic id is an id), letters of two scripts
    # only in different words of a sentence, and signs that are no letters of a script
    # (the micro sign, digits, punctuation).
    files = _system(
        "description: Drift is tested at the \u03b1-level of 0.05, in \u03bcs.\n",
        "tags: [Σύστημα, система, café, 10µs, naïve, Ωmega-2]\n",
    )
    found = at(validate(cli, make_repo(files), schema_ok=False), "AIMS012")
    # `Ωmega-2` mixes a Greek capital omega into a Latin word: the one reported.
    assert found == [("systems/SYS-1.yaml", 10, 45)]
