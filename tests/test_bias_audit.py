"""The bias-audit computation: hand-computed cases, agreement with fairlearn, the exact
median in bounded memory, and every kind of bad CSV as a one-line error at its line."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import math
import random
import statistics
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimsctl.bias_audit import Audit, DataError, audit, csv_input, evaluation_record, exact_median
from aimsctl.errors import UsageError


def _csv(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def _groups(result: Audit) -> dict[tuple[str, str], tuple[int, int, float | None, bool]]:
    return {
        (g.dimension, g.category): (g.count, g.selected, g.impact_ratio, g.excluded)
        for g in result.groups
    }


# Eight applicants: one without a sex, one without a race.
HIRED = """\
sex,race,hired
Female,Asian,1
Female,Asian,0
Female,White,TRUE
Male,White, true
Male,White,1
Male,Asian,False
,White,1
Male,,0
"""


def test_selection_rates_and_impact_ratios_by_hand(tmp_path: Path) -> None:
    result = audit(_csv(tmp_path, HIRED), outcome="hired", categories=["sex", "race"])
    assert (result.mode, result.rows, result.selected, result.median) == ("selection", 8, 5, None)
    assert result.unknown == {"sex": 1, "race": 1, "sex x race": 2}
    assert _groups(result) == {
        # sex: Female 2 of 3, Male 2 of 4; the highest rate is Female's.
        ("sex", "Female"): (3, 2, 1.0, False),
        ("sex", "Male"): (4, 2, pytest.approx(0.5 / (2 / 3), abs=1e-15), False),
        # race: Asian 1 of 3, White 4 of 4.
        ("race", "Asian"): (3, 1, pytest.approx(1 / 3, abs=1e-15), False),
        ("race", "White"): (4, 4, 1.0, False),
        # sex x race: only the six rows with both values.
        ("sex x race", "Female x Asian"): (2, 1, 0.5, False),
        ("sex x race", "Female x White"): (1, 1, 1.0, False),
        ("sex x race", "Male x Asian"): (1, 0, 0.0, False),
        ("sex x race", "Male x White"): (2, 2, 1.0, False),
    }
    [sex, race, both] = result.dimensions
    assert (sex.classified, race.classified, both.classified) == (7, 7, 6)
    assert both.columns == ("sex", "race")
    assert [g.rate for g in sex.groups] == [2 / 3, 0.5]  # not rounded


def test_a_small_category_is_excluded_but_keeps_its_counts(tmp_path: Path) -> None:
    # With --min-share 0.2, Female x White and Male x Asian (1 of 6 each, 16.7 %) are
    # excluded; the reference is the highest rate of the rest (Male x White, 1.0).
    result = audit(
        _csv(tmp_path, HIRED), outcome="hired", categories=["sex", "race"], min_share=0.2
    )
    groups = _groups(result)
    assert groups[("sex x race", "Female x White")] == (1, 1, None, True)
    assert groups[("sex x race", "Male x Asian")] == (1, 0, None, True)
    assert groups[("sex x race", "Female x Asian")] == (2, 1, 0.5, False)
    flagged = [(g.dimension, g.category) for g in result.flagged]
    assert flagged == [("sex", "Male"), ("race", "Asian"), ("sex x race", "Female x Asian")]
    excluded = [g for g in result.groups if g.excluded]
    assert all(g.below_threshold is None for g in excluded)


def test_a_share_exactly_at_the_minimum_is_kept(tmp_path: Path) -> None:
    rows = ["g,ok"] + ["a,1"] * 49 + ["b,0"] * 49 + ["c,1", "c,0"]  # c: 2 of 100 = 2 %
    result = audit(_csv(tmp_path, "\n".join(rows) + "\n"), outcome="ok", categories=["g"])
    assert {g.category: g.excluded for g in result.groups} == {"a": False, "b": False, "c": False}
    below = audit(
        _csv(tmp_path, "\n".join(rows) + "\n"), outcome="ok", categories=["g"], min_share=0.021
    )
    assert {g.category: g.excluded for g in below.groups} == {"a": False, "b": False, "c": True}


def test_the_record_names_the_minimum_share_as_given(tmp_path: Path) -> None:
    # c holds 1 of 400 (0.25 %), excluded at each of these minimums. The record's
    # description rounded the minimum to a whole percent: "under 0%" for 0.4 %, "under
    # 2%" for 1.5 % and 2.5 %, where the table said 0.4%, 1.5% and 2.5%.
    rows = ["g,ok"] + ["a,1"] * 200 + ["b,1"] * 199 + ["c,0"]
    data = _csv(tmp_path, "\n".join(rows) + "\n")
    for min_share, shown in ((0.004, "0.4%"), (0.015, "1.5%"), (0.025, "2.5%")):
        result = audit(data, outcome="ok", categories=["g"], min_share=min_share)
        description = evaluation_record(result, "SYS-1", date(2026, 11, 26))["description"]
        assert f"Excluded from impact ratios as under {shown} of the classified rows" in (
            description
        )


def test_a_ratio_exactly_at_the_threshold_is_not_below_it(tmp_path: Path) -> None:
    # A: 3 of 4 (0.75), B: 3 of 5 (0.6): B's ratio is exactly 4/5. Floating point
    # makes it 0.7999999999999999, which flagged B and failed the record's metric.
    rows = ["g,ok", *["A,1"] * 3, "A,0", *["B,1"] * 3, "B,0", "B,0"]
    result = audit(_csv(tmp_path, "\n".join(rows) + "\n"), outcome="ok", categories=["g"])
    ratios = {g.category: (g.impact_ratio, g.below_threshold) for g in result.groups}
    assert ratios == {"A": (1.0, False), "B": (0.8, False)}
    metrics = evaluation_record(result, "SYS-1", date(2026, 11, 26))["metrics"]
    assert [(m["group"], m["value"], m["threshold"]) for m in metrics] == [
        ("g: A", 1.0, {"min": 0.8}),
        ("g: B", 0.8, {"min": 0.8}),
    ]
    # 0.75 against 3/4 too, the threshold read as written.
    rows = ["g,ok", *["A,1"] * 4, *["B,1"] * 3, "B,0"]
    at_three_quarters = audit(
        _csv(tmp_path, "\n".join(rows) + "\n"), outcome="ok", categories=["g"], threshold=0.75
    )
    assert [g.below_threshold for g in at_three_quarters.groups] == [False, False]


def test_intersections_that_would_read_alike_are_refused(tmp_path: Path) -> None:
    # ('A x B', 'C') and ('A', 'B x C') would both be 'A x B x C', in the output and
    # in the Evaluation record; values holding " x " that stay apart are fine.
    clash = "sex,race,ok\nA x B,C,1\nA,B x C,0\nA,C,1\n"
    with pytest.raises(DataError, match="two categories of sex x race read alike as 'A x B x C'"):
        audit(_csv(tmp_path, clash), outcome="ok", categories=["sex", "race"])
    apart = "sex,race,ok\nA x B,C,1\nA,C,0\n"
    result = audit(_csv(tmp_path, apart), outcome="ok", categories=["sex", "race"])
    assert {g.category for g in result.groups if g.dimension == "sex x race"} == {
        "A x B x C",
        "A x C",
    }


def test_a_score_just_above_an_unrepresentable_median_is_above_it(tmp_path: Path) -> None:
    # The mean of two neighbouring floats lies between them and rounds to one of them;
    # the higher score is above the exact median whichever way the rounding goes.
    import math

    for low in (1.0, math.nextafter(1.0, 2.0)):
        high = math.nextafter(low, 2.0)
        rows = f"g,score\nA,{low!r}\nB,{high!r}\n"
        result = audit(_csv(tmp_path, rows), score="score", categories=["g"])
        assert {g.category: g.selected for g in result.groups} == {"A": 0, "B": 1}, low


def test_scoring_rate_is_the_share_strictly_above_the_median_of_all_rows(tmp_path: Path) -> None:
    # Scores 1..6: median 3.5; above it 4, 5, 6. The row with no group still counts
    # toward the median.
    text = "group,score\na,1\na,4\nb,2\nb,5\nb,6\n,3\n"
    result = audit(_csv(tmp_path, text), score="score", categories=["group"])
    assert (result.mode, result.median, result.selected) == ("scoring", 3.5, 3)
    assert _groups(result) == {
        ("group", "a"): (2, 1, 0.75, False),
        ("group", "b"): (3, 2, 1.0, False),
    }
    assert result.unknown == {"group": 1}


def test_scores_equal_to_the_median_are_not_above_it(tmp_path: Path) -> None:
    # Median 2 (odd count); three rows tie at it and none of them is above.
    text = "g,s\na,1\na,2\nb,2\nb,2\nb,3\n"
    result = audit(_csv(tmp_path, text), score="s", categories=["g"])
    assert (result.median, result.selected) == (2.0, 1)
    assert _groups(result)[("g", "a")] == (2, 0, 0.0, False)
    # Even count: the median is the mean of the two middle scores, here 2 and 2.
    even = audit(_csv(tmp_path, "g,s\na,2\na,2\nb,1\nb,3\n"), score="s", categories=["g"])
    assert (even.median, even.selected) == (2.0, 1)


def test_scores_are_decimal_numbers(tmp_path: Path) -> None:
    text = "g,s\na, 1e2 \na,-0.5\nb,.25\nb,+3\nb,-0\n"
    result = audit(_csv(tmp_path, text), score="s", categories=["g"])
    assert result.median == 0.25
    assert result.selected == 2


def test_empty_or_blank_category_values_are_unknown_and_values_are_trimmed(
    tmp_path: Path,
) -> None:
    text = 'sex,ok\n" Female ",1\nFemale,0\n   ,1\n"",0\n'
    result = audit(_csv(tmp_path, text), outcome="ok", categories=["sex"])
    assert _groups(result) == {("sex", "Female"): (2, 1, 1.0, False)}
    assert result.unknown == {"sex": 2}
    assert result.rows == 4 and result.selected == 2


def test_a_category_written_in_two_unicode_forms_is_one_group_shown_composed(
    tmp_path: Path,
) -> None:
    composed, decomposed = "Vi\u1ec7t", "Vie\u0323\u0302t"  # NFC and NFD: both read Việt
    text = f"grp,sel\n{composed},1\n{decomposed},1\n{decomposed},0\nOther,1\nOther,1\n"
    result = audit(_csv(tmp_path, text), outcome="sel", categories=["grp"])
    assert _groups(result) == {
        ("grp", composed): (3, 2, pytest.approx(2 / 3), False),
        ("grp", "Other"): (2, 2, 1.0, False),
    }


def test_three_columns_give_every_intersection_in_the_order_given(tmp_path: Path) -> None:
    text = "c,b,a,ok\nx,y,z,1\n"
    result = audit(_csv(tmp_path, text), outcome="ok", categories=["c", "a", "b"])
    assert [d.name for d in result.dimensions] == [
        "c",
        "a",
        "b",
        "c x a",
        "c x b",
        "a x b",
        "c x a x b",
    ]
    assert result.groups[-1].category == "x x z x y"


def test_no_category_selected_gives_no_ratio_rather_than_a_division_by_zero(
    tmp_path: Path,
) -> None:
    result = audit(_csv(tmp_path, "g,ok\na,0\nb,0\n"), outcome="ok", categories=["g"])
    assert [(g.impact_ratio, g.below_threshold) for g in result.groups] == [(None, None)] * 2
    with pytest.raises(UsageError, match=r"nothing was compared in g \(no category with"):
        evaluation_record(result, "SYS-A", date(2026, 4, 15))


def test_the_json_shape_follows_the_cli_contract(tmp_path: Path) -> None:
    data = audit(_csv(tmp_path, HIRED), outcome="hired", categories=["sex", "race"]).as_json()
    # Binding keys of cli-v2.md, with their types; more keys may follow.
    assert data["version"] == 1
    assert data["rows"] == 8
    assert data["unknown"] == {"sex": 1, "race": 1, "sex x race": 2}
    assert data["mode"] == "selection"
    binding = ["dimension", "category", "count", "selected", "rate", "impact_ratio", "excluded"]
    for group in data["groups"]:
        assert list(group)[: len(binding)] == binding
        assert isinstance(group["count"], int) and isinstance(group["selected"], int)
        assert group["rate"] == group["selected"] / group["count"]
        assert group["impact_ratio"] is None or isinstance(group["impact_ratio"], float)
        assert isinstance(group["excluded"], bool)
    female_asian = next(g for g in data["groups"] if g["category"] == "Female x Asian")
    assert female_asian["dimension"] == "sex x race"
    male = next(g for g in data["groups"] if g["category"] == "Male")
    assert male["impact_ratio"] == 0.5 / (2 / 3)  # not rounded
    assert data["threshold"] == 0.8 and data["min_share"] == 0.02 and data["median"] is None


# --- agreement with fairlearn ---------------------------------------------------------


def _population(tmp_path: Path, rows: int, seed: int) -> Path:
    """Three category columns with unknowns and small categories, an outcome whose
    rate differs by group, and a score with ties."""
    draw = random.Random(seed)
    sexes = (("F", 48), ("M", 48), ("X", 1.5), ("", 2.5))
    races = (("A", 30), ("B", 25), ("C", 25), ("D", 12), ("E", 1.0), ("F", 1.5), ("", 5.5))
    ages = (("<40", 55), ("40+", 44), ("", 1))
    lines = ["sex,race,age,selected,score"]
    for _ in range(rows):
        sex = draw.choices(*zip(*sexes, strict=True))[0]
        race = draw.choices(*zip(*races, strict=True))[0]
        age = draw.choices(*zip(*ages, strict=True))[0]
        chance = 0.3 + 0.05 * (sex == "F") - 0.04 * (race in "BD") - 0.05 * (age == "40+")
        chosen = draw.random() < chance
        score = round(draw.gauss(50 + 10 * chosen, 12), 1)
        lines.append(f"{sex},{race},{age},{'true' if chosen else 'false'},{score}")
    return _csv(tmp_path, "\n".join(lines) + "\n")


@pytest.mark.parametrize("mode", ["selection", "scoring"])
def test_rates_and_ratios_agree_with_fairlearn(tmp_path: Path, mode: str) -> None:
    """Every dimension and intersection: counts, rates and ratios as fairlearn's
    MetricFrame computes them on the rows classified in that dimension, to 1e-9."""
    from fairlearn.metrics import MetricFrame, count, selection_rate

    path = _population(tmp_path, 10_000, seed=7)
    columns = ["sex", "race", "age"]
    kind = {"outcome": "selected"} if mode == "selection" else {"score": "score"}
    result = audit(path, categories=columns, min_share=0.02, **kind)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    if mode == "selection":
        y_pred = [int(row["selected"] == "true") for row in rows]
    else:
        scores = [float(row["score"]) for row in rows]
        median = statistics.median(scores)
        assert result.median == median
        y_pred = [int(score > median) for score in scores]
    ours = {(g.dimension, g.category): g for g in result.groups}
    compared = 0
    for size in range(1, 4):
        for subset in itertools.combinations(columns, size):
            known = [i for i, row in enumerate(rows) if all(row[c] for c in subset)]
            by_group = MetricFrame(
                metrics={"rate": selection_rate, "count": count},
                y_true=[y_pred[i] for i in known],  # selection_rate reads y_pred only
                y_pred=[y_pred[i] for i in known],
                sensitive_features={c: [rows[i][c] for i in known] for c in subset},
            ).by_group
            dimension = " x ".join(subset)
            assert result.unknown[dimension] == len(rows) - len(known)
            # fairlearn lists every combination of the values, seen or not (count NaN).
            seen = {
                " x ".join(values if isinstance(values, tuple) else (values,)): (
                    int(row["count"]),
                    float(row["rate"]),
                )
                for values, row in by_group.iterrows()
                if row["count"] > 0
            }
            kept = [rate for number, rate in seen.values() if number / len(known) >= 0.02]
            for label, (number, rate) in seen.items():
                group = ours.pop((dimension, label))
                assert group.count == number
                assert group.rate == pytest.approx(rate, abs=1e-9)
                assert group.excluded == (number / len(known) < 0.02)
                if group.excluded:
                    assert group.impact_ratio is None
                else:
                    assert group.impact_ratio == pytest.approx(rate / max(kept), abs=1e-9)
                compared += 1
    assert ours == {}  # fairlearn found every group we report, and no other
    assert compared > 60
    assert any(g.excluded for g in result.groups)


# --- the median -----------------------------------------------------------------------


def _median_and_above(
    numbers: list[float], combos: list[str], pairs: int, collect: int
) -> tuple[float, dict[exact_median.Combination, int]]:
    scores = exact_median.Scores()
    saved = exact_median._PAIRS, exact_median._COLLECT
    exact_median._PAIRS, exact_median._COLLECT = pairs, collect
    try:
        for number, combo in zip(numbers, combos, strict=True):
            scores.add(number, combo)
        return scores.finish(lambda: iter(list(zip(numbers, combos, strict=True))))
    finally:
        exact_median._PAIRS, exact_median._COLLECT = saved


FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64).map(lambda x: x + 0.0)
TIES = st.sampled_from([0.0, -5e-324, 5e-324, -1e-300, 1.0, 2.0, 2.0000000000000004, -3.5])


@settings(max_examples=300, deadline=None)
@given(
    numbers=st.lists(st.one_of(FLOATS, TIES), min_size=1, max_size=80),
    limits=st.sampled_from([(1 << 16, 1 << 17), (0, 1 << 17), (0, 4), (0, 0), (3, 1)]),
)
def test_the_median_and_the_rows_above_it_are_exact_on_every_path(
    numbers: list[float], limits: tuple[int, int]
) -> None:
    """Counting pairs, collecting a bucket, narrowing by 16 bits, ties: the same median
    as statistics.median and the same rows strictly above the exact median (the mean of
    the two middle scores as a fraction, which the float median may round)."""
    from fractions import Fraction

    combos = ["ab"[i % 2] for i in range(len(numbers))]
    median, above = _median_and_above(numbers, combos, *limits)
    ordered = sorted(numbers)
    middle = len(numbers) // 2
    if len(numbers) % 2:
        assert median == ordered[middle]
        exact = Fraction(median)
    else:
        low, high = ordered[middle - 1], ordered[middle]
        assert median == statistics.median(numbers) or median == low / 2 + high / 2
        exact = (Fraction(low) + Fraction(high)) / 2
    expected: dict[str, int] = {}
    for number, combo in zip(numbers, combos, strict=True):
        if Fraction(number) > exact:
            expected[combo] = expected.get(combo, 0) + 1
    assert above == expected


def test_distinct_scores_need_one_more_pass_in_bounded_memory() -> None:
    """Past 65,536 (score, combination) pairs, the first pass keeps 65,536 counters and
    the next one a bucket of candidates (at most 131,072): uniform scores need one."""
    draw = random.Random(3)
    numbers = [draw.random() for _ in range(200_000)]
    passes = 0

    def again() -> list[tuple[float, exact_median.Combination]]:
        nonlocal passes
        passes += 1
        return [(n, "a") for n in numbers]

    scores = exact_median.Scores()
    for number in numbers:
        scores.add(number, "a")
    assert scores.pairs is None
    median, above = scores.finish(lambda: iter(again()))
    assert median == statistics.median(numbers)
    assert above == {"a": sum(n > median for n in numbers)}
    assert passes == 1


def test_integer_scores_need_no_second_pass() -> None:
    scores = exact_median.Scores()
    for number in [float(n % 101) for n in range(50_000)]:
        scores.add(number, "a" if number < 30 else "b")
    median, above = scores.finish(lambda: pytest.fail("read again"))  # type: ignore[arg-type,return-value]
    assert median == 50.0
    assert above == {"b": sum(1 for n in range(50_000) if n % 101 > 50)}


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("sex,ok\nF,1\nF,maybe\n", {}, "data.csv:3: ok is 'maybe'; an outcome is 1 or 0"),
        ("sex,ok\nF,1\nF,\n", {}, "data.csv:3: ok is ''; an outcome is 1 or 0"),
        ("sex,s\nF,1\nF,abc\n", {"score": "s"}, "data.csv:3: s is 'abc', not a number"),
        ("sex,s\nF,nan\n", {"score": "s"}, "data.csv:2: s is 'nan', not a number"),
        ("sex,s\nF,1e999\n", {"score": "s"}, "data.csv:2: s is '1e999', not a number"),
        ("sex,s\nF,1_000\n", {"score": "s"}, "data.csv:2: s is '1_000', not a number"),
        # Read as 0.1, it would tie with 0.1 at the median; read as 0, with 0.
        (
            "sex,s\nF,0.10000000000000001\nM,0.1\n",
            {"score": "s"},
            "data.csv:2: s: '0.10000000000000001' has more digits than can be held: it would "
            "be read as 0.1",
        ),
        (
            "sex,s\nF,1e-400\nM,0\n",
            {"score": "s"},
            "data.csv:2: s is '1e-400', too close to zero to be held: it would be read as 0",
        ),
        ("sex,s\nF,\u0661\n", {"score": "s"}, "data.csv:2: s is '\u0661', not a number"),
        ("sex,ok\nF,1\nF,1,x\n", {}, "data.csv:3: has 3 fields, the header has 2"),
        # A line of spaces at the end said "has 1 fields, the header has 2".
        ("sex,ok\nF,1\n   \n", {}, "data.csv:3: holds only spaces, not the 2 fields of the"),
        ("sex,b,ok\nF,x,1\nF\n", {}, "data.csv:3: has 1 field, the header has 3"),
        ("sex,ok\n", {}, "data.csv: has a header but no data rows"),
        ("", {}, "data.csv: is empty: no header row, no data"),
        ("sexe,ok\nF,1\n", {}, "data.csv:1: no column 'sex'; did you mean 'sexe'?"),
        ("sex;ok\nF;1\n", {}, "data.csv:1: the header 'sex;ok' is one column; its columns"),
        # Not 'did you mean 'sex;outcome'?', a column whose values would hold ';' too.
        (
            "sex;outcome\nF;1\n",
            {"outcome": "outcome"},
            "data.csv:1: the header 'sex;outcome' is one column; its columns are separated",
        ),
        # Before any row: a decimal comma splits a row in two, the header it matched not.
        (
            "sex;ok\nF;0,5\n",
            {"score": "ok"},
            "data.csv:1: the header 'sex;ok' is one column; its columns are separated by ';'",
        ),
        ("sex,ok,sex\nF,1,M\n", {}, "data.csv:1: column 'sex' appears 2 times"),
        ('sex,ok\n"F\nG",1\nF,x\n', {}, "data.csv:4: ok is 'x'"),  # after a two-line field
        ('sex,ok\nF,1\n"F,1\n', {}, "data.csv:3: the file ends inside a quoted field"),
        ('sex,ok\n"F"x,1\n', {}, "data.csv:2: text after a quoted field's closing quote"),
        ("\n\nsex,ok\n\nF,2\n", {}, "data.csv:5: ok is '2'"),  # blank lines count
    ],
)
def test_bad_csv_is_one_line_naming_the_line(
    tmp_path: Path, content: str, options: dict[str, str], message: str
) -> None:
    kind = options or {"outcome": "ok"}
    with pytest.raises(DataError) as caught:
        audit(_csv(tmp_path, content), categories=["sex"], shown="data.csv", **kind)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sex,ok\nF,1\nF\xe9,1\n", "data.csv:3: is not UTF-8 text (byte 2 of the line)"),
        (b"sex,ok\nF,1\nF,1\x00\n", "data.csv:3: holds a NUL byte"),
        ("sex,ok\n".encode("utf-16"), "data.csv:1: holds a NUL byte"),
        (b"sex,ok\nF," + b"x" * (1 << 20) + b"\n", "data.csv:2: line is longer than"),
        (b"sex,ok\n" + b"F" * ((1 << 20) + 10), "data.csv:2: line is longer than"),
        (b'sex,ok\n"' + b"x\n" * 70_000, "a field is longer than 131,072 characters"),
    ],
)
def test_bytes_that_are_not_csv_text_are_errors_at_their_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(DataError) as caught:
        audit(_csv(tmp_path, content), outcome="ok", categories=["sex"], shown="data.csv")
    assert message in str(caught.value)


def test_an_error_far_into_a_large_file_names_its_line(tmp_path: Path) -> None:
    body = b"F,1\n" * 100_000 + b"F,\xff\n" + b"F,1\n" * 10
    with pytest.raises(DataError, match=r"^data\.csv:100002: is not UTF-8"):
        audit(
            _csv(tmp_path, b"sex,ok\n" + body), outcome="ok", categories=["sex"], shown="data.csv"
        )


def test_a_byte_order_mark_and_crlf_line_ends_are_fine(tmp_path: Path) -> None:
    content = "\ufeffsex,ok\r\nF,1\r\nM,0\r\n".encode()
    result = audit(_csv(tmp_path, content), outcome="ok", categories=["sex"])
    assert result.rows == 2 and [g.category for g in result.groups] == ["F", "M"]


def test_a_column_of_ids_is_not_taken_for_a_category(tmp_path: Path) -> None:
    text = "id,ok\n" + "".join(f"{n},1\n" for n in range(1_500))
    with pytest.raises(DataError, match=r":1002: column 'id' has more than 1,000 distinct values"):
        audit(_csv(tmp_path, text), outcome="ok", categories=["id"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"outcome": "ok", "score": "s", "categories": ["sex"]}, "either --outcome"),
        ({"categories": ["sex"]}, "either --outcome"),
        ({"outcome": "ok", "categories": []}, "at least one --category"),
        ({"outcome": "ok", "categories": ["ok"]}, "column 'ok' is named more than once"),
        ({"outcome": "ok", "categories": list("abcdefg")}, "at most 6 --category"),
        ({"outcome": "ok", "categories": ["sex"], "min_share": 1.0}, "--min-share"),
        ({"outcome": "ok", "categories": ["sex"], "threshold": 0.0}, "--threshold"),
        ({"outcome": "ok", "categories": ["sex"], "threshold": float("nan")}, "--threshold"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        audit(_csv(tmp_path, "sex,ok\nF,1\n"), **options)  # type: ignore[arg-type]


def test_a_folder_or_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a file"):
        audit(tmp_path, outcome="ok", categories=["sex"])
    with pytest.raises(UsageError, match=r"cannot read .*: No such file"):
        audit(tmp_path / "none.csv", outcome="ok", categories=["sex"])


def test_a_file_that_changes_between_passes_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(tmp_path, "g,s\n" + "".join(f"a,{n / 7}\n" for n in range(300)))
    monkeypatch.setattr(exact_median, "_PAIRS", 0)
    real = csv_input.CsvFile.rows
    calls = 0

    def rows(self: csv_input.CsvFile) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            path.write_text("g,s\n" + "".join(f"a,{n}\n" for n in range(200)), encoding="utf-8")
        return real(self)

    monkeypatch.setattr(csv_input.CsvFile, "rows", rows)
    with pytest.raises(DataError, match="the file changed while it was read"):
        audit(path, score="s", categories=["g"])


# --- the record's YAML ----------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=200)


# What a record's metric holds: a rate or an impact ratio, never a number past 2**53,
# which aimsctl's reader refuses (a whole number it could not hold exactly).
MEASURED = st.floats(min_value=-(2.0**53), max_value=2.0**53).map(lambda x: x + 0.0)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(TEXT, min_size=4, max_size=4), number=MEASURED)
def test_the_record_yaml_reads_back_as_the_same_data(texts: list[str], number: float) -> None:
    """Whatever the CSV held (category names go into `group`, `note`, `description`,
    `data`), the YAML written is read back by aimsctl's YAML reader as the same data."""
    from aimsctl.outputs.bias_audit import record_yaml
    from aimsctl.yamlsafe import parse

    record = {
        "kind": "Evaluation",
        "description": texts[0],
        "performed": {"on": date(2026, 4, 15), "by": texts[1]},
        "data": texts[2],
        "metrics": [
            {"name": "x", "value": number, "threshold": {"min": 0.8}, "group": texts[3]},
            {"name": texts[3] + " " * 90 + texts[0], "value": 1.0},
        ],
    }
    parsed = parse(record_yaml(record))
    assert parsed.problems == []
    expected = {**record, "performed": {"on": "2026-04-15", "by": texts[1]}}
    assert parsed.documents[0].data == expected


def test_a_record_that_would_not_be_valid_names_the_metric_as_validate_does(
    tmp_path: Path,
) -> None:
    # Every input that reaches the record is checked first; should a value slip
    # through (here a ratio that is not a number, which no CSV yields), the refusal
    # named it by pydantic's raw path, "metrics.1.value", not as every other message
    # of aimsctl names an entry of a list.
    rows = ["g,ok", *["A,1"] * 3, "A,0", *["B,1"] * 3, "B,0", "B,0"]
    result = audit(_csv(tmp_path, "\n".join(rows) + "\n"), outcome="ok", categories=["g"])
    dimension = result.dimensions[0]
    broken = dataclasses.replace(dimension.groups[1], impact_ratio=math.nan)
    groups = (dimension.groups[0], broken, *dimension.groups[2:])
    result = dataclasses.replace(
        result, dimensions=(dataclasses.replace(dimension, groups=groups),)
    )
    with pytest.raises(UsageError) as refused:
        evaluation_record(result, "SYS-1", date(2026, 11, 26))
    assert str(refused.value) == (
        "the Evaluation record would not be valid: value of entry 2 of metrics must be a "
        "finite number, not nan"
    )
