"""`diff` and `log` values: windows cut between visible characters."""

from __future__ import annotations

import json
import unicodedata

import pytest

from aimsctl.fielddiff import pair_line, pair_text, value_text
from test_text import SAMPLES, boundaries


def _cut_between_visible_characters(shown: str, clusters: list[str]) -> bool:
    """Whether ``shown`` (a window of ``clusters``, an ellipsis where it was cut) starts
    and ends between two of them."""
    text, ends = "".join(clusters), boundaries(clusters)
    inner = shown.removeprefix("…").removesuffix("…")
    at = text.find(inner)
    assert at >= 0, shown
    return at in ends and at + len(inner) in ends


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_long_value_is_cut_between_visible_characters(sample: list[str]) -> None:
    clusters = ['"', *sample * 12, '"']
    value = "".join(clusters[1:-1])
    assert json.dumps(value, ensure_ascii=False) == "".join(clusters)
    for width in range(2, 40):
        assert _cut_between_visible_characters(value_text(value, width), clusters), width


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_window_on_where_two_values_differ_is_cut_between_visible_characters(
    sample: list[str],
) -> None:
    common = sample * 15
    for width in range(8, 40):
        for tail in (["A", "B"], ["a"] * 30, sample * 5):
            before, after = ['"', *common, *tail, '"'], ['"', *common, "x", *tail, '"']
            shown = pair_text("".join(before[1:-1]), "".join(after[1:-1]), width)
            assert shown[0].startswith("…"), (width, shown)
            assert _cut_between_visible_characters(shown[0], before), (width, shown)
            assert _cut_between_visible_characters(shown[1], after), (width, shown)


def test_a_character_alike_on_both_sides_is_not_escaped() -> None:
    # Only the non-breaking hyphen differs; the em dash is on both sides.
    before, after = "Ranking \u2014 past\u2011imbalances", "Ranking \u2014 past-imbalances"
    assert pair_text(before, after, 80) == (
        '"Ranking \u2014 past\\u2011imbalances"',
        '"Ranking \u2014 past-imbalances"',
    )


def test_a_change_of_unicode_composition_alone_is_said_in_words() -> None:
    nfc = "Nguy\u1ec5n V\u0103n A"
    nfd = unicodedata.normalize("NFD", nfc)
    said = "(same text, Unicode composition changed: decomposed -> composed)"
    assert pair_line(nfd, nfc, 80) == f'"{nfc}" {said}'
    assert pair_line("a", "b", 80) == '"a" -> "b"'
    assert pair_line(["x", nfc], ["x", nfd], 80).endswith("composed -> decomposed)")
