"""Text helpers: cuts that fall between visible characters."""

from __future__ import annotations

import itertools
import string
import unicodedata

import pytest

from aimsctl.text import (
    cluster_boundary,
    css_string,
    drawn_alike,
    plain_table,
    printable,
    quoted,
    shown_width,
)

# Each sample as its visible characters: a cut may fall only between two of them.
NFD_VIET = ["N", "g", "u", "y", "e\u0302\u0303", "n", " ", "V", "i", "e\u0323\u0302", "t"]
CODER = ["\U0001f469\U0001f3fd\u200d\U0001f4bb"]  # woman technologist, medium skin tone
FAMILY = ["\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"]
FLAGS = ["\U0001f1ef\U0001f1f5", "\U0001f1ef\U0001f1f5"]  # two flags of Japan
WARNING = ["\u26a0\ufe0f", "!"]
TAGGED = ["\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"]  # Scotland
SAMPLES = [NFD_VIET, CODER, FAMILY, FLAGS, WARNING, TAGGED]


def boundaries(clusters: list[str]) -> list[int]:
    return [0, *itertools.accumulate(len(cluster) for cluster in clusters)]


@pytest.mark.parametrize("clusters", SAMPLES)
def test_a_cut_moves_back_to_the_start_of_the_visible_character_it_falls_in(
    clusters: list[str],
) -> None:
    text = "".join(clusters)
    ends = boundaries(clusters)
    for at in range(len(text) + 1):
        assert cluster_boundary(text, at) == max(end for end in ends if end <= at), at


def test_regional_indicators_pair_up_from_the_start_of_their_run() -> None:
    flags = "".join(FLAGS * 3)
    assert [cluster_boundary(flags, at) for at in range(7)] == [0, 0, 2, 2, 4, 4, 6]
    assert cluster_boundary("x" + flags, 2) == 1 and cluster_boundary("x" + flags, 3) == 3


def test_a_cut_outside_the_text_is_its_nearest_end() -> None:
    assert cluster_boundary("abc", -2) == 0 and cluster_boundary("abc", 9) == 3


# Samples that messages show as they are (printable() and repr() escape no character).
SHOWN_AS_IS = [NFD_VIET, FLAGS, WARNING, ["\U0001f469\U0001f3fd"]]


@pytest.mark.parametrize("sample", SHOWN_AS_IS)
def test_messages_cut_a_long_value_between_visible_characters(sample: list[str]) -> None:
    from aimsctl.bias_audit.csv_input import quoted
    from aimsctl.validation_messages import describe_input
    from aimsctl.yamlsafe.core_schema import number_as_written

    for lead in range(4):  # a cut at each place in the sample
        clusters = ["x"] * lead + sample * 30
        text, ends = "".join(clusters), boundaries(clusters)
        for shown in (quoted(text)[1:-1], describe_input(text)[1:], number_as_written(text)):
            assert shown.endswith("...") and len(shown) - 3 in ends, shown


def test_a_name_that_differs_only_in_unicode_composition_says_so() -> None:
    nfc = "Vi\u1ec7t"
    nfd = "Vie\u0323\u0302t"
    assert (
        drawn_alike(nfd, nfc)
        == " (same text, Unicode composition differs: decomposed, not composed)"
    )
    assert drawn_alike(nfc, nfc) == ""


def test_plain_table_columns_line_up_by_display_width() -> None:
    # The columns each cell takes, as terminals draw them (and recent Rich counts them;
    # Rich 13.8 still counted an emoji selector's symbol as one): the widths are ours,
    # so no dependency's version decides them.
    widths = {
        "\u26a0\ufe0f x": 4,  # a symbol the selector draws as an emoji: two
        "\uff46\uff55\uff4c\uff4c": 8,  # full-width letters: two each
        "\u5f20\u4f1f": 4,
        "Vie\u0323\u0302t": 4,  # combining accents: none
        "Ann": 3,
        "\U0001f1ef\U0001f1f5": 2,
    }
    assert {cell: shown_width(cell) for cell in widths} == widths
    lines = plain_table(["name", "n"], [[cell, "0"] for cell in widths])
    starts = {shown_width(line[: len(line) - 1]) for line in lines[1:]}
    assert starts == {10} and lines[0] == "name      n"
    assert plain_table(["a", "b"], [["xyz", "1"]]) == ["a    b", "xyz  1"]


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # a skin tone before the joiner
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # a selector before the joiner
        "\U0001f3c3\u200d\u2640\ufe0f",
        "\u0915\u094d\u200d\u0937",  # Devanagari: a half form
    ],
)
def test_a_joiner_inside_an_emoji_or_a_script_that_needs_it_prints_as_is(text: str) -> None:
    assert printable(text) == text
    assert quoted(text) == f"'{text}'"
    assert quoted("it's " + text) == f'"it\'s {text}"'


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\u200d", "\\u200d"),
        ("SYS-\u200dA", "SYS-\\u200dA"),
        ("a\u200db", "a\\u200db"),
        ("\U0001f4bb\u200d", "\U0001f4bb\\u200d"),
        ("\U0001f4bb\u200dA", "\U0001f4bb\\u200dA"),
    ],
)
def test_a_lone_or_latin_adjacent_joiner_is_escaped(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert quoted(text) == repr(text)


def test_messages_keep_an_emoji_whole() -> None:
    from aimsctl.bias_audit.csv_input import quoted as csv_quoted
    from aimsctl.validation_messages import describe_input, did_you_mean

    coder = "\U0001f469\U0001f3fd\u200d\U0001f4bb"
    assert csv_quoted(coder) == f"'{coder}'" and describe_input(coder) == f"'{coder}'"
    assert did_you_mean(coder + "s", [coder]) == f"; did you mean '{coder}'?"


def test_a_joiner_is_kept_only_where_a_script_shapes_letters_with_it() -> None:
    # Between two Cyrillic or Chinese letters it shaped nothing and hid a change in
    # diff; after an Arabic or Malayalam letter at a word's end it was escaped.
    ivan, heh = "\u0418\u0432\u0430\u043d", "\u0647"  # Иван; Arabic heh
    assert printable(f"{ivan[:2]}\u200d{ivan[2:]}") == f"{ivan[:2]}\\u200d{ivan[2:]}"
    assert printable("王\u200d伟") == "王\\u200d伟"
    assert printable(f"{heh}\u200d {heh}") == f"{heh}\u200d {heh}"
    assert printable("അവന്\u200d") == "അവന്\u200d"
    assert printable("क्\u200dष") == "क्\u200dष"


def test_decomposed_korean_is_as_wide_as_composed() -> None:
    name = "김민수"
    assert shown_width(unicodedata.normalize("NFD", name)) == shown_width(name) == 6


def test_css_string_escapes_all_that_could_end_the_string_or_the_style_element() -> None:
    hostile = 'Acme </style><script>x</script> "a" \\ b\nc \U0001f600 \u00e9.,:-'
    escaped = css_string(hostile)
    assert escaped == (
        "Acme \\00003C \\00002F style\\00003E \\00003C script\\00003E x\\00003C \\00002F "
        "script\\00003E  \\000022 a\\000022  \\00005C  b\\00000A c \\01F600  \\0000E9 .,:-"
    )
    # Nothing but the safe characters and escapes: no quote, no <, no line break.
    assert set(escaped) <= set(string.ascii_letters + string.digits + " .,:-\\")
    assert css_string("Northwind Analytics Ltd.") == "Northwind Analytics Ltd."


def test_css_string_shows_what_would_not_show_as_the_report_body_does() -> None:
    # A line separator was written as itself: the printed header showed nothing where
    # the body shows its escape.
    assert css_string("A\u2028B") == css_string(printable("A\u2028B"))
    assert "\\002028 " not in css_string("A\u2028B")
    assert css_string("A\u2028B").startswith("A\\00005C u2028")
