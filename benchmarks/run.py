"""Benchmark aimsctl against the YAML parse floor and check-jsonschema, in one run.

    python benchmarks/run.py                       # 1k, 10k and 50k records, 3 repetitions
    python benchmarks/run.py --sizes 300 --repeat 1 --no-write   # the quick CI run
    python benchmarks/run.py --only bias-audit     # only bias-audit on 1,000,000 rows;
                                                   # rewrites only its section of the doc

Every figure is measured in this run on this machine, so the ratios compare like
with like. Results go to stdout and (unless --no-write) to docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from bias_audit_data import write_applicants  # noqa: E402
from generate import generate  # noqa: E402

AS_OF = "2026-11-26"
MEMORY_PROBE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


@dataclass
class Timing:
    name: str
    size: int
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        return max(self.runs) - min(self.runs)


def _aimsctl() -> list[str]:
    found = shutil.which("aimsctl")
    return [found] if found else [sys.executable, "-m", "aimsctl"]


def _compile_aimsctl() -> None:
    """Write the bytecode of every aimsctl module first, as installing a wheel does:
    a module edited since its last run (or run with PYTHONDONTWRITEBYTECODE set)
    would otherwise be compiled again in every timed run."""
    spec = importlib.util.find_spec("aimsctl")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)
    # The built-in report templates too, as the first report run keeps them where
    # Python writes bytecode (aimsctl.reports.compiled).
    from aimsctl.reports.render import Renderer

    writes = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        environment = Renderer().environment
        for name in environment.list_templates(filter_func=lambda name: name.endswith(".j2")):
            environment.get_template(name)
    finally:
        sys.dont_write_bytecode = writes


def _time(action: Callable[[], object], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return runs


def _command(args: list[str], ok: tuple[int, ...] = (0, 1)) -> Callable[[], None]:
    env = {**os.environ, "NO_COLOR": "1"}

    def run() -> None:
        done = subprocess.run(args, capture_output=True, env=env, check=False)
        if done.returncode not in ok:
            raise SystemExit(
                f"benchmark command failed ({done.returncode}): {' '.join(args)}\n"
                f"{done.stderr.decode(errors='replace')[-2000:]}"
            )

    return run


def _parse_floor(root: Path) -> Callable[[], None]:
    """libyaml's C loader over every YAML file: the least any YAML tool can do."""
    import yaml

    files = sorted(p for p in root.rglob("*.yaml") if ".git" not in p.parts)

    def run() -> None:
        for path in files:
            list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))

    return run


# Commits are dated before AS_OF, as a real repository's are: validation then reads
# the history (when records were created, when systems changed), whatever the day
# the benchmark runs.
COMMIT_DATE = "2026-06-01T12:00:00+00:00"


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _commit_all(root: Path) -> None:
    """Make ``root`` a git repository with everything in one commit."""
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "bench@example.invalid")
    _git(root, "config", "user.name", "bench")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")


def _prepare_diff(root: Path) -> None:
    """Commit the repository, change 1% of the risks, commit again."""
    _commit_all(root)
    risks = sorted((root / "risks").glob("*.yaml"))
    for path in risks[::100]:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("status: open", "status: monitoring").replace(
                "likelihood: Almost certain", "likelihood: Likely"
            )
        )
    _git(root, "commit", "-qam", "change 1%")


def _after_one_file_edit(
    root: Path, validate: Callable[[], None], repeat: int, stage: bool = False
) -> list[float]:
    """Validate after editing one risk file each time (a new title, so the whole-
    repository cache misses), staged with ``stage``; the edit itself is not timed.
    The file is put back (and staged back)."""
    risks = sorted((root / "risks").glob("*.yaml"))
    path = risks[len(risks) // 2]
    original = path.read_text(encoding="utf-8")
    runs: list[float] = []
    try:
        for n in range(repeat):
            path.write_text(original.replace("title: ", f"title: Edit {n} ", 1), encoding="utf-8")
            if stage:
                _git(root, "add", str(path.relative_to(root)))
            runs += _time(validate, 1)
    finally:
        path.write_text(original, encoding="utf-8")
        if stage:
            _git(root, "add", str(path.relative_to(root)))
    return runs


def _peak_mb(args: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *args], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip()) / 1024


def measure(size: int, repeat: int, work: Path) -> tuple[list[Timing], float]:
    root = generate(work / f"repo-{size}", size)
    _prepare_diff(root)
    cli = _aimsctl()
    cache = work / f"cache-{size}"
    env_cache = ["env", f"AIMSCTL_CACHE_DIR={cache}"]
    risk_files = sorted(str(p) for p in (root / "risks").glob("*.yaml"))
    schema = PROJECT / "schemas" / "record.schema.json"
    validate = [*cli, "validate", str(root), "--as-of", AS_OF, "--format", "json"]
    timings = [
        Timing("parse floor (PyYAML CSafeLoader)", size, _time(_parse_floor(root), repeat)),
        Timing(
            "aimsctl validate (cold, --no-cache)",
            size,
            _time(_command([*validate, "--no-cache"]), repeat),
        ),
    ]
    _command([*env_cache, *validate])()  # fill the cache
    timings.append(
        Timing("aimsctl validate (cached)", size, _time(_command([*env_cache, *validate]), repeat))
    )
    timings.append(
        Timing(
            "aimsctl validate after a one-file edit",
            size,
            _after_one_file_edit(root, _command([*env_cache, *validate]), repeat),
        )
    )
    timings.append(
        Timing(
            "aimsctl validate --staged (the pre-commit hook) after a one-file edit",
            size,
            _after_one_file_edit(
                root, _command([*env_cache, *validate, "--staged"]), repeat, stage=True
            ),
        )
    )
    timings.append(
        Timing(
            "aimsctl risk score --format json",
            size,
            _time(
                _command([*cli, "risk", "score", str(root), "--as-of", AS_OF, "--format", "json"]),
                repeat,
            ),
        )
    )
    report = [
        *cli,
        *("report", "all", str(root), "--as-of", AS_OF, "--format", "html"),
        *("--out", str(work / f"reports-{size}"), "--force"),
    ]
    # The target compares a cold report with a cold validate; the second row is what a
    # report right after a validate costs (the per-file cache filled by it).
    timings.append(
        Timing(
            "aimsctl report all --format html (--no-cache)",
            size,
            _time(_command([*report, "--no-cache"]), repeat),
        )
    )
    timings.append(
        Timing(
            "aimsctl report all --format html, after a validate (cache)",
            size,
            _time(_command([*env_cache, *report]), repeat),
        )
    )
    timings.append(
        Timing(
            "aimsctl diff HEAD~1 HEAD (1% changed)",
            size,
            _time(
                _command(
                    [
                        *cli,
                        "diff",
                        "HEAD~1",
                        "HEAD",
                        str(root),
                        "--format",
                        "json",
                        "--as-of",
                        AS_OF,
                    ]
                ),
                repeat,
            ),
        )
    )
    # check-jsonschema takes minutes per run at 50k files; the target compares at 10k.
    if shutil.which("check-jsonschema") and size <= 10_000:
        timings.append(
            Timing(
                "check-jsonschema, risk files only",
                size,
                _time(
                    # Exit 0 only: a schema it cannot load is exit 1 too, and fast.
                    _command(
                        ["check-jsonschema", "--schemafile", str(schema), *risk_files], ok=(0,)
                    ),
                    repeat,
                ),
            )
        )
    timings.append(Timing("aimsctl --version", size, _time(_command([*cli, "--version"]), repeat)))
    timings.append(Timing("aimsctl --help", size, _time(_command([*cli, "--help"]), repeat)))
    peak = _peak_mb([*validate, "--no-cache"])
    return timings, peak


@dataclass
class BiasAudit:
    """`aimsctl bias-audit` on generated CSVs (benchmarks/bias_audit_data.py): the time
    of each mode, and peak memory at the full size and at a tenth of it (flat memory
    means about the same)."""

    rows: int
    megabytes: float  # size of the CSV
    timings: list[Timing]
    peak: float  # MB, scoring distinct scores, all rows
    peak_tenth: float  # MB, the same at a tenth of the rows
    load: float  # the highest 1-minute load average seen, before and after


def measure_bias_audit(rows: int, repeat: int, work: Path) -> BiasAudit:
    cli = _aimsctl()
    whole = write_applicants(work / "applicants.csv", rows)
    distinct = write_applicants(work / "applicants-decimal.csv", rows, decimals=True)
    tenth = write_applicants(work / "applicants-tenth.csv", max(rows // 10, 1), decimals=True)
    categories = ["--category", "sex", "--category", "race_ethnicity", "--format", "json"]

    def command(path: Path, *mode: str) -> list[str]:
        return [*cli, "bias-audit", str(path), *mode, *categories]

    runs = [
        ("aimsctl bias-audit --outcome (one pass)", command(whole, "--outcome", "advanced")),
        (
            "aimsctl bias-audit --score, whole-number scores (one pass)",
            command(whole, "--score", "score"),
        ),
        (
            "aimsctl bias-audit --score, distinct decimal scores (two passes)",
            command(distinct, "--score", "score"),
        ),
    ]
    load = os.getloadavg()[0]
    timings = [Timing(name, rows, _time(_command(args, ok=(0,)), repeat)) for name, args in runs]
    return BiasAudit(
        rows=rows,
        megabytes=distinct.stat().st_size / 1e6,
        timings=timings,
        peak=_peak_mb(runs[-1][1]),
        peak_tenth=_peak_mb(command(tenth, "--score", "score")),
        load=max(load, os.getloadavg()[0]),
    )


BIAS_AUDIT_HEADING = "## bias-audit"


def render_bias_audit(result: BiasAudit, repeat: int) -> str:
    """Its own section, so `--only bias-audit` can replace it alone."""
    lines = [
        f"{BIAS_AUDIT_HEADING}: {result.rows:,} rows",
        "",
        f"CSVs of {result.rows:,} applicants (up to {result.megabytes:.0f} MB: sex, "
        "race/ethnicity, a score, an outcome) from `benchmarks/bias_audit_data.py`; two "
        "category columns, so three dimensions; JSON output. "
        f"{repeat} repetitions, median and spread in seconds. Machine: {_machine()}; "
        f"1-minute load average up to {result.load:.1f} while measuring (times grow with "
        "other work on the machine).",
        "",
        "| what | median (s) | spread (s) |",
        "|---|---:|---:|",
        *(f"| {t.name} | {t.median:.3f} | {t.spread:.3f} |" for t in result.timings),
        "",
        f"Peak memory (the whole process, distinct decimal scores): {result.peak:.0f} MB at "
        f"{result.rows:,} rows, {result.peak_tenth:.0f} MB at {max(result.rows // 10, 1):,} "
        "rows.",
        "",
        "| target | measured | verdict |",
        "|---|---:|---|",
    ]
    slowest = max(t.median for t in result.timings)
    growth = result.peak / result.peak_tenth
    for target, value, limit, unit in (
        (f"bias-audit, slowest mode, {result.rows:,} rows (<= 10 s)", slowest, 10, " s"),
        (f"peak memory, {result.rows:,} rows (< 100 MB)", result.peak, 100, " MB"),
        ("peak memory, 10x the rows (<= 1.2x)", growth, 1.2, "x"),
    ):
        verdict = "met" if value <= limit else "MISSED"
        lines.append(f"| {target} | {value:.2f}{unit} | {verdict} |")
    return "\n".join(lines) + "\n"


EXAMPLE_HEADING = "## The bundled example"
STACK = "pydantic and PyYAML, one model, one document"
FLOOR = f"the stack alone: {STACK} (no aimsctl)"
# What any validator built on the stack aimsctl keeps (pydantic, PyYAML's C loader)
# pays before its own code runs: start Python, import both, build one model, load
# and validate one document.
STACK_FLOOR = (
    "import pydantic, yaml\n"
    "class Record(pydantic.BaseModel):\n"
    "    id: str\n"
    "Record.model_validate(yaml.load('id: R-1', Loader=yaml.CSafeLoader))\n"
)


def measure_example(repeat: int, work: Path) -> list[Timing]:
    """What a pre-commit hook feels on a small repository: a copy of the bundled
    example, validated cold and cached, against the start-up of `--version`; and
    its reports, as CI makes them."""
    root = work / "example"
    shutil.copytree(PROJECT / "examples" / "northwind", root)
    os.environ["AIMSCTL_CACHE_DIR"] = str(work / "example-cache")  # our own, empty
    cli = _aimsctl()
    validate = [*cli, "validate", str(root), "--as-of", AS_OF]
    _command(validate)()  # fills the cache
    # What the pre-commit hook runs: the index of a git checkout, which has no
    # whole-repository cache (only the per-file one) and reads the records' history.
    checkout = work / "example-checkout"
    shutil.copytree(PROJECT / "examples" / "northwind", checkout)
    _commit_all(checkout)
    reports = ["--out", str(work / "example-reports"), "--no-cache"]
    runs = [
        ("aimsctl --version", [*cli, "--version"]),
        ("aimsctl --help", [*cli, "--help"]),
        (FLOOR, [sys.executable, "-c", STACK_FLOOR]),
        ("aimsctl validate (cold, --no-cache)", [*validate, "--no-cache"]),
        ("aimsctl validate (cached)", validate),
        (
            "aimsctl validate --staged (the pre-commit hook, in a git checkout)",
            [*cli, "validate", str(checkout), "--staged", "--as-of", AS_OF],
        ),
        # No target: what CI's `report all --check` costs on a small repository.
        (
            "aimsctl report all --format html (--no-cache)",
            [*cli, "report", "all", str(root), "--as-of", AS_OF, "--format", "html", *reports],
        ),
    ]
    return [Timing(name, 0, _time(_command(args), repeat)) for name, args in runs]


def render_example(timings: list[Timing], repeat: int) -> str:
    """Its own section, so `--only example` can replace it alone."""
    by_name = {t.name: t.median for t in timings}
    version = by_name["aimsctl --version"]
    lines = [
        EXAMPLE_HEADING,
        "",
        f"`examples/northwind` (its records, evidence and observation files), copied; "
        f"{repeat} repetitions, median and spread in seconds. Machine: {_machine()}.",
        "",
        "| what | median (s) | spread (s) |",
        "|---|---:|---:|",
        *(f"| {t.name} | {t.median:.3f} | {t.spread:.3f} |" for t in timings),
        "",
        "| target | measured | verdict |",
        "|---|---:|---|",
    ]
    for target, value, limit, unit in (
        ("--version (<= 0.15 s)", version, 0.15, " s"),
        ("--help (<= 0.15 s)", by_name["aimsctl --help"], 0.15, " s"),
        (
            "validate cached / --version (<= 2x)",
            by_name["aimsctl validate (cached)"] / version,
            2,
            "x",
        ),
        (
            "validate cold / --version (<= 2x)",
            by_name["aimsctl validate (cold, --no-cache)"] / version,
            2,
            "x",
        ),
    ):
        verdict = "met" if value <= limit else "MISSED"
        lines.append(f"| {target} | {value:.2f}{unit} | {verdict} |")
    floor = by_name[FLOOR]
    lines += [
        "",
        f"The stack alone ({STACK}) takes {floor / version:.2f}x "
        f"`--version`: of the 2x a cold validate may take, {max(0.0, 2 - floor / version):.2f}x "
        "is left for everything of aimsctl's own (its modules, its record models and "
        "rules, and the records).",
    ]
    return "\n".join(lines) + "\n"


def write_bias_audit_section(section: str) -> None:
    write_section(BIAS_AUDIT_HEADING, section)


def write_section(heading: str, section: str) -> None:
    """Replace one section of docs/performance.md (or add it before the targets),
    leaving every other figure as it was measured."""
    path = PROJECT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    start = text.find(heading)
    if start < 0:
        start = end = text.index("## Targets")
    else:
        end = text.find("\n## ", start + 1) + 1 or len(text)
    path.write_text(text[:start] + section + "\n" + text[end:], encoding="utf-8")


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _find(timings: list[Timing], prefix: str) -> Timing | None:
    return next((t for t in timings if t.name.startswith(prefix)), None)


def ratios(by_size: dict[int, list[Timing]], peaks: dict[int, float]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target of the performance issue."""
    rows: list[tuple[str, str, str]] = []

    def add(target: str, value: float | None, limit: float, unit: str = "x") -> None:
        if value is None:
            rows.append((target, "not measured", "-"))
            return
        rows.append((target, f"{value:.2f}{unit}", "met" if value <= limit else "MISSED"))

    for size, timings in sorted(by_size.items()):
        floor, cold = _find(timings, "parse floor"), _find(timings, "aimsctl validate (cold")
        cached, jsonschema = _find(timings, "aimsctl validate (cached"), _find(timings, "check-")
        report = _find(timings, "aimsctl report all --format html (--no-cache)")
        diff = _find(timings, "aimsctl diff")
        assert floor and cold and cached
        label = f"{size:,} records"
        add(f"validate / parse floor, {label} (<= 3)", cold.median / floor.median, 3)
        if jsonschema:
            add(
                f"validate / check-jsonschema, {label} (<= 0.25)",
                cold.median / jsonschema.median,
                0.25,
            )
        add(f"cached / cold validate, {label} (<= 0.3)", cached.median / cold.median, 0.3)
        edited = _find(timings, "aimsctl validate after a one-file edit")
        if edited:
            add(
                f"one-file edit / cold validate, {label} (<= 0.15)",
                edited.median / cold.median,
                0.15,
            )
        if report:
            add(
                f"report all --format html / validate, both cold, {label} (<= 1.5)",
                report.median / cold.median,
                1.5,
            )
        if diff:
            add(f"diff of a 1% change / validate, {label} (<= 1.2)", diff.median / cold.median, 1.2)
        for name in ("aimsctl --version", "aimsctl --help"):
            timing = _find(timings, name)
            add(f"{name}, {label} (<= 0.15 s)", timing.median if timing else None, 0.15, " s")
    sizes = sorted(by_size)
    if 10_000 in by_size and 50_000 in by_size:
        ten, fifty = (
            _find(by_size[10_000], "aimsctl validate (cold"),
            _find(by_size[50_000], "aimsctl validate (cold"),
        )
        assert ten and fifty
        add("validate 50k / 10k (<= 5.5)", fifty.median / ten.median, 5.5)
    if sizes:
        add(
            f"peak memory of validate, {sizes[-1]:,} records (<= 300 MB)",
            peaks[sizes[-1]],
            300,
            " MB",
        )
    return rows


NOTES = """
## Notes

- The cache target is about re-validating a large repository: at 1,000 records a
  run takes well under a second and the fixed start-up of the interpreter (about
  0.1 s) dominates both the cold and the cached run, so that ratio says little.
- check-jsonschema is timed at 1,000 and 10,000 records only; at 50,000 files one
  run takes minutes and no target compares against it there.
- Rerun: `python benchmarks/run.py` (writes this file); the quick check CI runs:
  `python benchmarks/run.py --sizes 300 --repeat 1 --no-write`.
- `python benchmarks/run.py --only bias-audit` measures bias-audit alone and
  rewrites only its section; the peak memory there is the whole process, Python
  included. `python benchmarks/run.py --only example` does the same for the
  bundled example.
- **Bytecode**: the run first compiles aimsctl's modules (`compileall`), as
  installing a wheel does. Runs before this did not, and this machine sets
  `PYTHONDONTWRITEBYTECODE`, so every module edited since its bytecode was last
  written was compiled again in every timed run: those earlier figures were up to
  0.8 s too high (cold validate at 10,000 records: 2.6 s then, 1.8 s compiled).
- **History**: the repositories' commits are dated before the as-of date, as a
  real repository's are, so validation reads git history for the records' dates
  (runs before this one dated them on the day they ran, after the as-of date, and
  skipped it). A commit's blobs are read by one `git cat-file` process per 4,096
  (10,000 records, history alone: 1.61 s one object at a time, 0.89 s batched).
  Which files differ from HEAD is judged from the bytes the run read, not by
  opening every file again (history, report provenance, `--changed-since`; at
  10,000 records 0.25-0.30 s before, 0.10-0.14 s after, measured under load).
- **The pre-commit hook** runs `validate --staged`: it reads git's index, so the
  whole-repository cache does not apply, but a staged file whose bytes a run
  parsed before is taken from the per-file cache, and the rest are parsed on two
  cores. The hook rows edit and stage one risk file before each run.
- This machine is a shared virtual machine: the same command varied by up to 20%
  within minutes while these figures were taken, so a ratio close to its limit can
  flip between runs (at 1,000 records the parse floor took 0.21-0.27 s in two runs
  an hour apart).
- **A second core** (Linux, two usable cores, no other thread running, such as a
  progress bar's on a terminal). Validation, reports and diff parse the files a
  cache (or, in diff, the other revision) does not hold in two forked workers from
  2,000 files (`python
  benchmarks/second_core.py REPO`: 10,000 files parsed in 1.27 s by one process,
  0.80 s by two, pickling the results back included), their parses taken exactly
  as the per-file cache's are, so the answer is the same (a test compares them
  after random edits). `report all` makes its reports in two workers from 500
  records, the longest first (the nine HTML reports at 10,000 records: 2.7 s in one
  process, 1.6-1.75 s on two), the systems' documentation and the register one
  after the other in one worker, which makes the risk rows both show once. Records
  and rules stay in one process: they need every model, which would cost more to
  send than to build.
- **Memory** fell by half (50,000 records: 654 MB before this round of work):
  field names and short values are interned as they are parsed, frozen models share
  their sets of given fields, a file's bytes are kept once, and validation lets a
  valid record's parsed data go once its model is built.
- **diff** reads the blobs of a revision with one `git cat-file --batch` per
  4,096 objects, every object asked for at once (one request and answer at a time
  through GitPython cost 0.7 s at 10,000 files), a git object shared by both
  revisions once, and a record both revisions share (one object: its file did not
  change) is neither dumped nor compared field by field.
- **The one-file edit is not at its target**, and cannot be on this design: 0.15x
  the cold run is less than what a whole-repository cache hit costs here (the
  cached row: start-up, then reading and hashing every file for the key). A
  re-validation also rebuilds every record's model and runs every rule over them
  (the per-file cache spares parsing, and the history cache reading committed files
  for the records' dates: at 10,000 records those dates took 0.86 s after an edit,
  now 0.33-0.40 s, and 2.4 s when no record was ever reviewed, now 0.4 s); caching
  models and single-record findings per file, as the issue proposes, would still
  pay start-up, the key, importing the models and the cross-record rules, about
  half the cold run at 10,000 records. Only a process that stays alive between
  runs (a watch mode or a server) could get there.
- **report all sits near its limit** (1.42x at 10,000 records and 1.49x at 50,000 in
  this run; 1.56x and 1.66x at 50,000 in the last round's two runs): it loads the
  repository as validate does, runs the rules (to refuse to render an invalid
  repository), then renders 32 MB of HTML at 10,000 records (systems 13 MB, risks
  12 MB: over a million escaped values) on two cores; the rendering alone takes
  most of what 1.5x leaves. Jinja with markupsafe's escaping is the cost; a
  hand-written renderer or escaper is not worth the risk to correct escaping. A
  report right after a validate (the second report row: CI running `validate` then
  `report all --check`) parses nothing again, through validate's per-file cache; the
  target compares cold with cold.
- **Compiled templates**: the built-in report templates' compiled code is kept
  beside them, as Python keeps bytecode (docs/reports.md): compiling the sixteen HTML
  templates took about 0.2 s of every report run. Measured interleaved against the
  commit before (8 runs on the bundled example, 5 at 1,000 records, on a quiet
  machine): `report all --format html` on the example 0.66 s before, 0.45 s after; at
  1,000 records 1.17 s before, 0.95 s after, against a validate of 0.57 s (2.0x, then
  1.65x). The benchmark keeps the templates compiled before it times anything, as
  the first report run does where Python writes bytecode.
- **The example's cold start is not at its target either**: most of it is fixed
  cost, not work: importing pydantic and building the record models (about 0.18 s
  here) and the rules, against 0.08-0.12 s for `--version`; a cold run must
  validate every kind, so no model can be left unbuilt. The hook row, in a git
  checkout, also imports GitPython (about 0.04 s) and runs git to read the index
  and the records' dates. The cached run meets its target since `validate` skips
  building the Typer app (`cli/plain.py`, which `report` and `diff` use too):
  Typer 0.29 coerces every option through a pydantic TypeAdapter, so a cached run
  imported pydantic and built eight adapters (0.20 s before, 0.07-0.13 s after);
  cold runs gained the adapters' share too (0.345 s, 4.3x `--version`, in the run
  before; 0.31-0.39 s, 2.6-3.4x, in runs since). A folder outside git (the cold
  row's copy) no longer imports GitPython to learn that it is not in a repository:
  `open_repo` looks for a `.git` above it first (0.45 s before, 0.38 s after,
  median of 12 interleaved runs on a loaded machine). The example's table has a
  row for that floor, the stack alone: Python importing pydantic and PyYAML,
  building one model and validating one document, with no aimsctl code. In this
  round's four runs it took 1.42x to 1.72x `--version` (0.134-0.153 s), which
  leaves 0.28x to 0.58x of the 2x for aimsctl's own modules, 50 record models and
  17 validators built on first use, the rules and the records; measured in-process
  on this machine, our modules take about 0.06 s to import and the models about
  0.02 s to build.
- **Readiness** (the readiness report and `status`) matched every due item against
  every one of the 76 requirements, clause by clause: at 10,000 records (about
  20,000 items) building it took 1.59 s, in one of the two workers of `report all`.
  Items cite a few distinct sets of clauses; each set is now matched once (0.31 s,
  the same bytes out). `report all` at 10,000 records: 3.47 s in this run, 3.63-3.69 s
  in the two runs before (one of them earlier this day, with the rest of this stop's
  changes); the ratio moved from 1.92-2.09x to 1.64x, part of it the noise of this
  machine (the cold validate it is divided by took 1.77 s then, 2.12 s now).
- **Skewed repositories** (not this generator's shape: one kind of record in bulk,
  or long lists inside one record) were timed at 1,000 and 4,000 of each for every
  command, looking for times that grow faster than the records. Three did, and now
  grow with them, the same bytes out (wall seconds at 4,000, on a loaded machine):
  4,000 Control records in one file, scanned whole once per record for placeholders
  and hidden characters (validate 12.1 s before, 4.8 s after); 4,000 evaluations of
  one system, each finding its predecessor by a scan of all of them (`report all`
  12.2 s before, 2.7 s after); two evaluations of 4,000 metrics, each metric finding
  its earlier value by a scan (`report all` 12.6 s before, 2.3 s after).
- **Monitors' observations** (not in this generator's repositories, which hold no
  CSV file): 200 monitors of 1,000 daily rows each (200,000 observations in 200
  files) were parsed once by each of the three monitoring rules that read them, by
  the reports and by diff, as a cache of 32 parsed files could not hold them. Each
  load of a repository now reads a monitor's observations once, and diff reads none
  for a monitor whose record and file are the same at both revisions (wall seconds,
  two runs each, the same bytes out): validate 6.2-7.3 s before, 2.0-2.8 s after;
  `report all` 16-20 s before, 3.4-5.0 s after; `diff HEAD~1 HEAD` (one risk edited)
  2.8-3.0 s before, 0.65-0.69 s after. What is left is reading the rows (about 5
  microseconds each).
- **Measured and dropped**: running the rules in the parent while two workers render
  the reports (`report all`) saved 0.1 s of 4 s at 10,000 records: the rules took
  0.92 s instead of 0.65 s beside the workers, and the renders 2.0 s instead of 1.5 s,
  as both cores were already busy.
- **This round (after the tables above were taken)**, measured on this machine with
  `python benchmarks/run.py --sizes 1000,10000 --repeat 3 --no-write` on a quiet
  machine, against the same command on the commit before the round, run that morning:
  cold validate at 1,000 records 0.558 s before, 0.464 s after (3.60x the parse floor
  before, 3.20x after; the target is 3x); at 10,000 records 1.683 s (2.116 s in the
  table above), 1.10x the parse floor; `report all` at 1,000 records 0.945 s before,
  0.798 s after. What did it:
  - the records' creation dates no longer read from git a blob whose bytes the run
    has already read (a first commit adds every file): history at 1,000 records
    100 ms before, 53 ms after; at 10,000 records 415 ms before, 255 ms after;
  - the loaded records are frozen out of the cycle collector once built (validate,
    `--staged` and `report`): one full collection walked every record and freed
    nothing (at 10,000 records 0.15 s after an edit, 45-50 ms on every run; `report
    all` at 10,000 records 3.66 s before, 3.23 s after, medians of 5 interleaved
    runs; at 1,000 records, in a later run, 0.837 s against a validate of 0.503 s,
    1.66x);
  - modules import with the collector off (the bundled example's cold validate 314 ms
    before, 304 ms after, 21 interleaved runs; `due` 464 ms before, 419 ms after);
    `difflib` is imported only when a name is misspelt (`multiprocessing` was too, at
    the fork, but that raised the peak memory at 50,000 records by 5.5 MB, past its
    target: 301.0 MB, now 295.3 MB, measured with /usr/bin/time, bytecode compiled);
  - each file is hashed once for the cache's key and its per-file cache;
  - the HTML reports write list separators as template text and settle plain ASCII
    values without a second check (`risks.html` at 10,000 records rendered in
    0.446 s before, 0.390 s after).
  The ratios that compare `report all` and the one-file edit with a cold validate
  grew (1,000 records: 1.72x and 0.89x; 10,000 records: 2.04x before the collector
  change above, and 0.75x), since the cold validate they are divided by fell more
  than they did: rendering and a whole-repository run are the same work as before.
- **The round after that**, on a different machine (an Intel Xeon, 2 cores; the
  figures above are from an AMD EPYC, and the parse floor alone is 25-30% slower
  here), `python benchmarks/run.py --sizes 1000,10000 --repeat 3 --no-write` on a
  quiet machine: cold validate 0.550 s at 1,000 records (3.04x the parse floor of
  0.181 s) and 2.201 s at 10,000 (1.08x); `report all` 0.885 s and 4.211 s (1.61x
  and 1.91x validate); the one-file edit 0.81x and 0.80x; the bundled example's
  cold validate 3.01x `--version`. Against the commit before the round on this
  machine (interleaved, 11 runs each): the example's cold validate 346 ms before,
  301 ms after, `--version` 117 ms before, 103 ms after. Peak memory of validate at
  50,000 records 296.1 MB before and after (`/usr/bin/time`, bytecode compiled), its
  time 10.1 s before, 9.2 s after (two runs each). What did it:
  - a run from the console freezes what is alive just before the interpreter
    ends (`collector.before_exit`): its shutdown had walked and taken apart every
    module, model and record, 50-80 ms after the answer was out;
  - git is asked which commit HEAD is once per run, not three times, and the
    working tree is compared with HEAD once: report provenance, the records'
    history and readiness's 7.5.1 share one comparison (git processes for `report
    all` at 1,000 records: 19 before, 13 after; the third comparison cost
    0.25-0.39 s of a 10,000-record report, measured under load);
  - a file HEAD's own commit adds is hashed once, and `validate --staged` takes
    the blob ids git's index names instead of reading those blobs from git again
    (at 10,000 records, 9,967 blobs read before, none after);
  - each value an HTML template writes is finalized and escaped in one call, and
    the risk and system rows write the built-in score and status cells out
    (`risks.html` at 10,000 records 0.40-0.42 s of CPU before, 0.29-0.31 s after;
    `systems.html` 0.59-0.60 s before, 0.40-0.42 s after); a repository with its own
    templates still gets its own macros.
  Measured and left: pausing the collector while the reports render saved about
  0.2 s of 2.4 s of render CPU at 10,000 records, inside the noise of a loaded
  machine; a second core for parsing from 250 files instead of 2,000 was slower at
  300, 500 and 1,000 records.
- **The round after that**, back on an AMD EPYC (2 cores), `python benchmarks/run.py --sizes
  1000,10000 --repeat 3 --no-write` on a quiet machine, the commit before the round
  and the round's last commit measured the same day: at 1,000 records cold validate
  0.477 s and 0.463 s (3.02x and 2.84x the parse floor), `report all` 0.777 s and
  0.644 s (1.63x and 1.39x validate), `diff` of a 1% change 0.623 s and 0.510 s
  (1.30x and 1.10x); at 10,000 records `report all` 3.103 s and 3.088 s against
  a validate of 1.833 s and 2.013 s (1.69x and 1.53x: the ratio moved with the
  validate it is divided by more than with the report), `diff` 0.99x and 0.86x;
  the bundled example's `report all` 0.457 s and 0.339 s, its cold validate 2.75x
  and 3.05x `--version` (0.265 s and 0.280 s, within the spread between runs).
  What did it:
  - `report` and `diff` skip building the Typer app, as `validate` did
    (`cli/plain.py`, one strict reader for the three; anything unusual is left to
    Typer): 45-50 ms a run, about 60-80 ms of CPU measured under load;
  - `diff` opens the git repository once for both revisions and resolves each
    once (git processes at 1,000 records: 14 before, 9 after), and the history
    asks for HEAD and a shallow clone's cut-off file in one process;
  - a report's context is built with the collector off and frozen until it is
    rendered (`collector.kept`), the system documentation works out each control's
    own columns once rather than once per system, and `row.key` on a plain dict
    in an HTML template is read in place instead of through the environment's
    `getattr` (render CPU at 10,000 records, both workers: 2.16-2.33 s before,
    1.88-1.94 s after, medians of interleaved runs under load);
  - the modules that define pydantic models no longer postpone their annotations,
    so building the models compiles and evaluates no annotation text (`import
    aimsctl.records` 37.9 ms before, 33.6 ms after, fastest of 21 runs).
  Measured and left: pydantic's `defer_build` gains nothing on a cold run (the
  example uses every kind and every section of `aims.yaml`, and nearly all of a
  model's cost is its schema's generation, which a parent repeats for a deferred
  child); pydantic's plugin loader imports `importlib.metadata` when the first
  model is built (20-30 ms of every cold run), which only a patch to its private
  loader could avoid; letting the first git question of a run also check the
  repository as it opens saves one process (about 3 ms) for a branch that is hard
  to test, so it was not taken; rendering on two cores at 1,000 records was no
  faster than one.
- **The round after that**, the same AMD EPYC, `python benchmarks/run.py --sizes 1000,10000
  --repeat 3 --no-write` on a quiet machine, the commit before the round and the
  round's last commit one after the other: at 10,000 records `report all` 2.971 s
  and 2.775 s against a validate of 1.726 s and 1.740 s (1.72x and 1.59x; 2.90 s and
  2.69 s, medians of 9 interleaved runs); at 1,000 records `report all` 1.47x both
  times, `diff` 1.08x and 1.21x (0.544 s and 0.537 s, medians of 15 interleaved runs:
  one run's noise); the bundled example's cold validate 2.88x and 2.87x `--version`.
  What did it:
  - a finding's position is found by composing its file again, and the locator kept
    every file it composed: a repository with a finding on most records held all
    their nodes, and collections walked them. It keeps the last 64 (10,000 records
    with every review overdue, `--as-of 2028-06-30`: validate 6.26 s and 321 MB
    before, 2.76 s and 99 MB after, the same bytes out);
  - `due` and `status` skip an item due after their window before writing it, make
    each item name's sort key once, and judge the tier of each list of systems once
    (the due list at 10,000 records, in-process: 306 ms before, 85 ms after);
  - `status`, `due`, `risk score` and the other commands that load the working tree
    parse on two cores where that pays, as validate and report do (10,000 records,
    7 interleaved runs: `status` 2.45 s before, 1.94 s after; `risk score` 2.17 s
    and 1.77 s);
  - readiness judges each record once per kind: the judgements that depend on the
    requirement (a risk's treatment, top management for 5.1, a review's inputs for
    9.3.2, an audit conducted) are one table, which both the judging and what is
    kept for reuse follow (the readiness report's context at 10,000 records: about
    450 ms of CPU before, 267 ms after);
  - the workers of `report all` send each report as the UTF-8 bytes to write, not as
    text to be decoded and encoded again (the command's CPU after the last report
    came back at 10,000 records: 46-53 ms before, 16-25 ms after).
  Measured and left: `validate --as-of` a date before the records' reviews parses
  every file of the first commit again to learn which records it holds (10,000
  records: 3.7 s against 2.0 s); taking them from the run's own parse was shown
  right only by reasoning about the record models' settings, too clever for dates an
  auditor reads.
- **The round after that**, the same AMD EPYC, `python benchmarks/run.py --sizes 1000,10000
  --repeat 3 --no-write` on a quiet machine, the commit before the round and the
  round's last code one after the other: at 10,000 records `report all` 2.537 s and
  2.408 s against a validate of 1.640 s and 1.632 s (1.55x before, 1.48x after: the
  target met in this run; 2.62 s and 2.42 s, medians of 9 interleaved runs); at
  1,000 records `report all` 1.43x and 1.49x, `diff` 1.09x and 1.12x; the one-file
  edit 0.79x both times at 10,000 records; the bundled example's cold validate
  0.250 s and 0.255 s (2.66x and 2.99x a `--version` of 0.094 s and 0.085 s: the
  same validate, the ratio moved by `--version`'s own noise). Peak memory of
  validate at 50,000 records, 4 runs each, interleaved: 302.2 MB before, 278.7-279.0
  MB after (7.8-7.9 s before, 7.5-8.5 s after; 50,000 / 10,000 records about 4.7x).
  What did it:
  - validate builds each file's records as the two workers' parses of it arrive
    (at most 4 tasks of 64 files received ahead of the load), so parsed documents
    and built records no longer coexist for every file: before, every parse was
    held before the first record was built (at 50,000 records about 210 MB over the
    imports); a printable path is no second copy of every path (about 3.5 MB);
  - `report all` renders the reports while the rules run, in the two workers (the
    rules first in one, then readiness, which reads the same git history): a
    built-in report's bytes depend on the rules only through the `--force` warning
    at its top, which is rendered in a place held for it and put in afterwards,
    with the same bytes (a repository's own templates, a progress bar on a
    terminal and repositories under 2,000 records keep the old order);
  - `status`, `due`, `risk`, `controls` and the other commands that load the working
    tree, and `report`, read validate's per-file and history caches (never write
    them): at 10,000 records right after a validate, `status` parsed nothing again
    (3.33 s and 2.05 s, 9 interleaved runs on a loaded machine);
  - small: git's blob ids hashed through the hash's own constructor, a working-tree
    file compared with HEAD in the usual case first, and a file's cached parse read
    without a generator per document (together about 25 ms of the one-file edit at
    10,000 records, measured in-process); record models built when they first
    validate (pydantic's `defer_build`: a kind with no records is never built,
    about 5 ms on `aimsctl init`'s starter), and the YAML syntax-error module and
    the error-only patterns of the text toolkit loaded or compiled on first use.
  Measured and left: the one-file edit at 10,000 records (1.30 s) is start-up and
  imports, the key (0.14 s), building every record's model (0.22 s), the cache's
  8.9 MB entry (0.09 s) and the rules (0.5 s, the git history's dates 0.2 s of it);
  the bundled example's validate needs at least 0.155-0.165 s for Python, PyYAML,
  pydantic, the models of the kinds present and the rules, against a 2x limit of
  about 0.18 s.
- **The round after that**, the same AMD EPYC, `python benchmarks/run.py --sizes 1000,10000
  --repeat 3 --no-write` on a quiet machine, the commit before the round and the
  round's last code one after the other: the bundled example's cold validate
  0.252 s and 0.244 s (2.94x and 2.78x a `--version` of 0.086 s and 0.088 s; 254.8
  ms and 239.9 ms, medians of 31 interleaved runs); at 10,000 records the one-file
  edit 1.320 s and 1.270 s (0.80x both times), validate 1.659 s and 1.582 s, `report
  all` 1.50x and 1.46x; at 1,000 records `report all` 1.57x and 1.52x (over its 1.5x
  limit in both runs, at 1.49x in the last round's: at this size the reports render
  after the rules, on one core, and the ratio sits at the limit within the noise).
  What did it:
  - `report all` renders on two cores from 500 records, not 2,000: with the reports
    made while the rules run, the second core pays well below 2,000 (medians of
    interleaved runs of `report all --format html`: 500 records 567 ms and 519 ms,
    1,000 records 703-729 ms and 618-640 ms; Markdown at 1,000 records 975 ms and
    789 ms); taken after the table above was measured, so its 1,000-record ratio
    does not show it;
  - a validate outside git learns there is no repository (a `.git` above, a bare
    repository, `GIT_DIR`: the check opening a repository makes first) before it
    imports the modules that read git, which now load on first use; `--no-cache`
    imports no cache module; the workers' pipes are imported only where workers
    start (together about 15 ms of the example's cold validate);
  - after an edit, a file the cache key's scan listed as a regular file is opened
    at once, never following a link and checked regular once open, instead of an
    `lstat` first (10,000 calls fewer at 10,000 records; what is found instead is
    read the old way); a cached parse is taken before the bytes are decoded again;
    and a cache entry is read in one request the size of the file, not of the
    128 MiB limit (the 8.9 MB per-file entry 5-8 ms and 0.45 ms). Together about
    35-45 ms of the one-file edit at 10,000 records, measured in-process.
  Measured and left: `git log` read as a stream lowered validate's peak at 50,000
  records by 8 MB only (279 MB and 271 MB): the peak is set by the comparison of the
  working tree with HEAD, so the second way of running git it needed was not taken;
  reusing the history when HEAD has not moved (about 80 ms of the one-file edit) and
  the per-file entry in `marshal` rather than JSON (about 20 ms) are left for a
  design that proves them equal to a cold run.
- **The round after that**, the same AMD EPYC, `python benchmarks/run.py --sizes 1000,10000
  --repeat 3 --no-write`, the commit before the round (70e3190) and the round's last
  code (8c20961) one after the other on a quiet machine (the second run the noisier:
  `--version` 0.096 s and 0.107 s): at 10,000 records the one-file edit 1.273 s and
  1.244 s (0.80x and 0.77x), cold validate 1.587 s and 1.616 s (interleaved
  afterwards, 7 runs each: medians 1.763 s and 1.706 s), `report all` 1.48x and
  1.54x (2.352 s and 2.494 s; interleaved afterwards, 9 runs each: 2.480 s and
  2.490 s, the same: at 10,000 records this ratio sits at its limit, within the
  noise); at 1,000 records the one-file edit 0.397 s and 0.356 s (0.92x and 0.79x),
  `report all` 1.48x and 1.31x (with the last round's two cores from 500 records);
  the bundled example's cold validate 2.52x and 2.72x `--version` (interleaved, 21
  runs each, twice: 249.6 ms and 257.8 ms, then 265.9 ms and 266.8 ms: unchanged).
  What did it:
  - the history cache keeps the walk over the commits: a run whose HEAD and git
    state did not move, asking about the same records, takes what `git log` and the
    committed files gave and compares only the working tree with HEAD again (the
    one-file edit at 10,000 records 1.226 s and 1.186 s, medians of 21 interleaved
    runs; the dates alone 135-211 ms walking, 87-96 ms taking the walk);
  - `Repository.history` asks whether git could find a repository before it imports
    the modules that read git, so every command outside git skips them, not
    validate alone (that step on the example: 7.9 ms, then 1.0 ms);
  - the rules judge once what thousands of records share: each kind's records listed
    once, each reference question answered once, a control judged once per list of
    systems, a folder's name once for all its files, the appetite's rank once per
    scorer (`engine.run` at 10,000 records 300-340 ms, then 255-275 ms, in-process,
    with the id lists below kept);
  - the example's table gained the stack-alone row (the note on the example's cold
    start above).
  Measured and left: keeping the id lists AIMS201 and AIMS207 both read, rather than
  gathering them for each rule, saved about 12 ms at 10,000 records and raised
  validate's peak at 50,000 records from 280.1 MB to 288.7 MB, so each rule gathers
  its own. The working tree compared with HEAD after an edit (about 90 ms
  at 10,000 records) is near its floor: the `lstat` of each file (about 25 ms) and
  its sha1 (about 12 ms) stay, since a file whose size changed after it was read must
  count as changed; listing untracked files in a thread beside it, finding the index
  without a git process and pausing the collector saved 4-5 ms together, not worth a
  thread. At import, building `Review`, `Approval` and `Action` once for every kind,
  the unlisted-band policy on first use and `DocumentControl` built once saved 8 ms
  of model building but cost nearly as much at import (about 1 ms net), so not
  taken. Pydantic's search for plugins (a scan of every installed package's entry
  points, 4-8 ms here, about 1 ms in an environment as small as pre-commit's) can be
  switched off only by setting `PYDANTIC_DISABLE_PLUGINS` for the process, which
  would hide aimsctl's models from a tracing plugin a user installed; not taken.
- **The round after that**, the same AMD EPYC: a full `python benchmarks/run.py` on
  the round's last code (abb5cf8) gave the tables then; before and after below are
  medians of interleaved runs of the commit before the round (77a5cc2) and the
  round's code.
  At 10,000 records cold validate 1,609 ms and 1,523 ms (9 runs each), the one-file
  edit 1,241 ms and 1,200 ms (11 runs), `report all --format html` 2,428 ms and
  2,372 ms for the first change below (7 runs), then 2,468 ms and 2,386 ms for the
  second (15 runs, a noisy machine); at 50,000 records cold validate 7.42 s and
  7.02 s, `report all` 11.52 s and 10.78 s (3 runs each: 1.55x and 1.54x, over the
  1.5x limit both times). What did it:
  - the command line's own run leaves its repository to the system when the process
    ends instead of freeing it record by record after the answer is out
    (`collector.keep_to_exit`; at 10,000 records 30-45 ms after validate, about 60
    ms after `report all`; at 50,000 records 0.2-0.3 s); `diff` keeps both sides,
    which took 81 ms at 10,000 records and 0.38 s at 50,000 to free after the
    comparison (single runs, before and after: 4 ms and 7 ms); a test or a program
    calling aimsctl frees as before;
  - `report` compares the working tree with HEAD (the commit the reports name) in a
    worker while the command makes the tiers, which the rules and every report read
    (`workers.beside`): both took a core while the other was idle; at 10,000 records
    the step from the records loaded to the render workers forked went from
    0.19-0.21 s to 0.15-0.17 s, at 50,000 records from 0.91 s to 0.60 s.
  Measured and left: at 50,000 records the last report to start (the register, about
  1.9 s) starts when the other worker has only the small reports left, so one core
  idles for the last 0.6-0.7 s; only a large report split across the workers would
  fill it. A report's bytes come back through a pipe (systems.html at 50,000 records
  is 60 MB, 0.15-0.19 s) and the --force warning is put in its place with one copy of
  each report. `report all` at 10,000 records makes about 180,000 minor page faults
  (about 3 us each on this machine, 0.5 s of CPU time), most of them copy-on-write in
  the forked workers, which touch the records they inherited; raising glibc's malloc
  thresholds (environment variables, read only at start) removed 25,000 of them
  without a change in the run's time that stood out of the noise, so nothing was
  taken. Finding the commit in the rules' worker instead, and putting it in its
  place in every report as the warning is, was tried first and dropped for the
  simpler way above: it needs a second held place in every report, and its
  measurement was spoiled (the built-in templates compiled again in every run, their
  kept code stale after an edit on a machine that writes no bytecode).
- **The round after that**, the same AMD EPYC: a full `python benchmarks/run.py` on
  the round's last code (the example's table measured again with `--only example
  --repeat 15`), on a noisy machine (cold validate at 50,000 records 7.63 s, standard
  deviation 0.81 s): the one-file edit 0.68x at 10,000 and
  50,000 records (0.75x and 0.77x in the last round's tables), `report all` 1.42x at
  10,000 records and 1.49x at 50,000 (1.66x before), the bundled example's cold
  validate 2.69x `--version` with the stack alone at 1.61x. Before and after below
  are interleaved runs of the commit before the round (2e4e746) and the round's
  code, or in-process timings where a whole run's noise (100-200 ms at 50,000
  records on this machine now) would hide the change. What did it:
  - `collector` tells a freeze of its own from its own count: Python's
    `gc.get_freeze_count()` walks every frozen object, and the rules' imports asked
    it twice while the records were frozen (37 ms a call at 50,000 records, 10-11 ms
    at 10,000; `report all` asked once, 29 ms at 50,000);
  - the workers send long bytes (a report, a task's parsed documents) as they are,
    after the rest of the result, instead of inside its pickle (a 62 MB report
    between two processes: 152-155 ms pickled, 79-89 ms so);
  - `report all` renders the systems' documentation and then the register in one
    worker (`workers.made`'s `then`), which makes the risk rows both show once: on
    two cores each worker made them all (0.6-0.9 s of a core at 50,000 records).
    Rendering beside the rules at 50,000 records took 5.56 s before, 5.27 s after
    (single timelines); interleaved, 5 runs each, 5.87 s and 5.66 s (medians),
    5.45 s and 5.32 s (least). At 10,000 records no change stood out (1.056 s and
    1.070 s, 15 runs each);
  - a record that leaves out a list field gets an empty list made for it instead of
    pydantic's deep copy of the default (0.91 us instead of 1.84 us a model, about
    60,000 models at 50,000 records).
  Measured and left: the --force warning is still put in its place with one copy of
  each report once the last one is in (about 0.1 s at 50,000 records, most of it the
  two largest); writing each report in pieces instead would change the path that
  writes every report whole or none, for 1% of the run. The per-file cache's index
  is JSON (63 ms to read at 10,000 records); `marshal` reads faster but is not safe
  on a damaged file, and a damaged cache must be a miss, not a crash.
- **This round**: the tables above are a full `python benchmarks/run.py` on an Intel
  Xeon machine of the same size (2 cores; the rounds before ran on AMD EPYC), the
  example's table measured again with `--only example --repeat 15`. The round changed
  what governance asks (a tier's defaults, key by key) and no code on a timed path,
  so the figures say how the same work fares on another processor: every target met
  on AMD EPYC is met here (`report all` 1.43x, 1.40x and 1.43x at 1,000, 10,000 and
  50,000 records; validate 50,000 / 10,000 4.79x; peak memory 281 MB), and the two
  missed on AMD EPYC are missed here by about as much: the one-file edit 0.80x,
  0.66x and 0.73x, the example's cold validate 2.70x `--version`, with the stack
  alone at 1.54x. Cold validate at 10,000 records took 1.81 s (5,511 records per
  second) against a parse floor of 1.94 s, where AMD EPYC's floor was 1.63 s: this
  processor parses YAML more slowly, and aimsctl with it.
"""


def render(
    by_size: dict[int, list[Timing]],
    peaks: dict[int, float],
    repeat: int,
    bias_audit: BiasAudit | None = None,
) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `python benchmarks/run.py` (synthetic repositories from",
        "`benchmarks/generate.py`, fixed seed; about 9 in 10 records are risks, one file",
        f"each). Machine: {_machine()}. {repeat} repetitions per figure; median and spread",
        "(max - min) in seconds. Every ratio below compares figures from this one run.",
        "",
    ]
    for size, timings in sorted(by_size.items()):
        lines += [
            f"## {size:,} records",
            "",
            "| what | median (s) | spread (s) |",
            "|---|---:|---:|",
        ]
        lines += [f"| {t.name} | {t.median:.3f} | {t.spread:.3f} |" for t in timings]
        cold = _find(timings, "aimsctl validate (cold")
        if cold:
            lines += [
                "",
                f"Cold validate throughput: {size / cold.median:,.0f} records per second;"
                f" peak memory {peaks[size]:.0f} MB.",
                "",
            ]
    if bias_audit is not None:
        lines += [render_bias_audit(bias_audit, repeat)]
    lines += ["## Targets", "", "| target | measured | verdict |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in ratios(by_size, peaks)]
    return "\n".join(lines) + "\n" + NOTES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    parser.add_argument(
        "--bias-audit-rows", type=int, default=1_000_000, help="rows of the bias-audit CSV"
    )
    parser.add_argument(
        "--only",
        choices=["bias-audit", "example"],
        help="measure only this; its section of docs/performance.md is replaced alone",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    by_size: dict[int, list[Timing]] = {}
    peaks: dict[int, float] = {}
    _compile_aimsctl()
    with tempfile.TemporaryDirectory(prefix="aimsctl-bench-") as work:
        print("measuring the bundled example ...", file=sys.stderr, flush=True)
        example = render_example(measure_example(options.repeat, Path(work)), options.repeat)
        if options.only == "example":
            print(example)
            if not options.no_write:
                write_section(EXAMPLE_HEADING, example)
            return 0
        if options.only is None:
            for size in sizes:
                print(f"measuring {size:,} records ...", file=sys.stderr, flush=True)
                by_size[size], peaks[size] = measure(size, options.repeat, Path(work))
        rows = options.bias_audit_rows
        print(f"measuring bias-audit, {rows:,} rows ...", file=sys.stderr, flush=True)
        bias_audit = measure_bias_audit(rows, options.repeat, Path(work))
    if options.only == "bias-audit":
        section = render_bias_audit(bias_audit, options.repeat)
        print(section)
        if not options.no_write:
            write_bias_audit_section(section)
        return 0
    text = render(by_size, peaks, options.repeat, bias_audit)
    print(text)
    print(example)
    if not options.no_write:
        (PROJECT / "docs" / "performance.md").write_text(text, encoding="utf-8")
        write_section(EXAMPLE_HEADING, example)
    return 0


if __name__ == "__main__":
    sys.exit(main())
