"""Synthetic applicant data for `aimsctl bias-audit`, from a fixed seed.

One row per applicant ranked by a hiring tool: sex, race/ethnicity (the EEO-1
categories), the tool's score (0-100, whole numbers, so many ties) and whether the
applicant was advanced to interview (1/0). Proportions are those of a large
applicant pool in New York City: about 5 in 100 give no sex, about 6 in 100 no
race/ethnicity (empty cells), and two categories (Native Hawaiian or Other Pacific
Islander, American Indian or Alaska Native) are under 2 % of the sample. Scores
differ a little between some groups, so a few intersectional categories come out
under the four-fifths line. The same seed and size give the same bytes.

    python benchmarks/bias_audit_data.py        # rewrites the bundled sample
    python benchmarks/bias_audit_data.py OUT.csv --rows 1000000

The benchmark (`benchmarks/run.py`) uses :func:`write_applicants` for its
million-row file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "examples/northwind/evidence/bias-audit/hire-2026-q3-applicants.csv"
SAMPLE_ROWS = 3_000
SEED = 42

SEX = (("Female", 47.0), ("Male", 48.0), ("", 5.0))
RACE = (
    ("Hispanic or Latino", 21.0),
    ("White", 33.0),
    ("Black or African American", 18.0),
    ("Asian", 16.0),
    ("Native Hawaiian or Other Pacific Islander", 0.6),
    ("American Indian or Alaska Native", 1.2),
    ("Two or More Races", 4.2),
    ("", 6.0),
)
# Score shifts by group (points on the 0-100 scale): small, and largest where the
# tool was found to rank a combination lower.
SHIFT = {"Female": -0.5, "Hispanic or Latino": -1.5, "Black or African American": -1.0}
SHIFT_BOTH = {("Female", "Black or African American"): -4.0}


def rows(count: int, seed: int = SEED) -> list[tuple[str, str, int, int]]:
    """(sex, race/ethnicity, score, advanced) for ``count`` applicants."""
    draw = random.Random(seed)
    sexes, sex_weights = [name for name, _ in SEX], [weight for _, weight in SEX]
    races, race_weights = [name for name, _ in RACE], [weight for _, weight in RACE]
    out = []
    for _ in range(count):
        sex = draw.choices(sexes, sex_weights)[0]
        race = draw.choices(races, race_weights)[0]
        mean = 60 + SHIFT.get(sex, 0) + SHIFT.get(race, 0) + SHIFT_BOTH.get((sex, race), 0)
        score = min(100, max(0, round(draw.gauss(mean, 15))))
        # Recruiters advance most of the top of the ranking and a few others.
        advanced = int(draw.random() < (0.55 if score >= 72 else 0.08))
        out.append((sex, race, score, advanced))
    return out


def write_applicants(path: Path, count: int, seed: int = SEED, decimals: bool = False) -> Path:
    """Write ``count`` applicants to ``path`` as CSV (header: sex, race_ethnicity,
    score, advanced), a block at a time. With ``decimals``, each score gets a random
    fraction (four decimals), so nearly every score is distinct."""
    jitter = random.Random(seed + 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("sex,race_ethnicity,score,advanced\n")
        done = 0
        while done < count:
            block = min(100_000, count - done)
            for sex, race, score, advanced in rows(block, seed + done):
                shown = f"{score + jitter.random():.4f}" if decimals else str(score)
                out.write(f"{sex},{race},{shown},{advanced}\n")
            done += block
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--rows", type=int, default=SAMPLE_ROWS)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    write_applicants(options.out, options.rows, options.seed)
    print(f"wrote {options.rows:,} applicants to {options.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
