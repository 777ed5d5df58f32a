"""`aimsctl rules` and `aimsctl rules explain CODE`, and the documentation every rule carries."""

from __future__ import annotations

import json
import re

import pytest
from rule_support import Cli

from aimsctl.diagnostics import Severity
from aimsctl.rules import Rule, all_rules

GOVERNANCE_CODES = [
    "AIMS201",
    "AIMS202",
    "AIMS203",
    "AIMS204",
    "AIMS205",
    "AIMS206",
    "AIMS207",
    "AIMS208",
    "AIMS209",
    "AIMS210",
    "AIMS211",
    "AIMS301",
    "AIMS302",
    "AIMS303",
    "AIMS304",
    "AIMS305",
    "AIMS306",
    "AIMS307",
    "AIMS308",
    "AIMS309",
    "AIMS401",
    "AIMS402",
    "AIMS403",
    "AIMS404",
    "AIMS405",
    "AIMS406",
    "AIMS407",
    "AIMS408",
    "AIMS409",
    "AIMS501",
    "AIMS502",
    "AIMS503",
    "AIMS504",
    "AIMS505",
    "AIMS506",
    "AIMS507",
    "AIMS508",
    "AIMS509",
    # The management system
    "AIMS601",
    "AIMS602",
    "AIMS603",
    "AIMS604",
    "AIMS605",
    "AIMS606",
    "AIMS607",
    "AIMS608",
    "AIMS609",
    "AIMS610",
    "AIMS611",
    "AIMS612",
    "AIMS613",
    "AIMS614",
    "AIMS615",
    "AIMS616",
    "AIMS617",
    "AIMS618",
    "AIMS619",
    "AIMS620",
    "AIMS621",
    "AIMS622",
    "AIMS623",
    "AIMS624",
    "AIMS625",
]
WARNINGS = {"AIMS501", "AIMS502", "AIMS503", "AIMS504", "AIMS505", "AIMS506", "AIMS507"}
WARNINGS |= {"AIMS602", "AIMS606", "AIMS607", "AIMS609", "AIMS610", "AIMS612", "AIMS614"}
WARNINGS |= {
    "AIMS207",
    "AIMS208",
    "AIMS209",
    "AIMS210",
    "AIMS211",
    "AIMS306",
    "AIMS307",
    "AIMS308",
    "AIMS509",
}
WARNINGS |= {"AIMS617", "AIMS618"}
WARNINGS |= {"AIMS408", "AIMS409", "AIMS622", "AIMS623", "AIMS624"}
# A clause (6.1.3, 8.4 ...) or an Annex A control (A.5.2 ...).
CITATION = re.compile(r"\b(?:[4-9]|10)\.\d+(?:\.\d+)?\b|\bA\.\d+\.\d+")


def test_every_governance_rule_is_registered_with_its_severity() -> None:
    registered = {rule.code: rule for rule in all_rules()}
    assert [code for code in registered if "AIMS200" <= code < "AIMS700"] == GOVERNANCE_CODES
    for code in GOVERNANCE_CODES:
        expected = Severity.WARNING if code in WARNINGS else Severity.ERROR
        assert registered[code].severity is expected, code
    names = [rule.name for rule in registered.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("code", GOVERNANCE_CODES)
def test_every_governance_rule_is_documented(code: str) -> None:
    rule = next(r for r in all_rules() if r.code == code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)
    for text in (rule.summary, rule.why, rule.fix, rule.example):
        assert len(text.strip()) >= 20, (code, text)
    assert CITATION.search(rule.why), f"{code}: `why` cites no clause or Annex A control"


# Testing and monitoring: Evaluation, Monitor and Incident records.
MONITORING_CODES = {
    "AIMS701": Severity.ERROR,
    "AIMS702": Severity.ERROR,
    "AIMS703": Severity.ERROR,
    "AIMS704": Severity.WARNING,
    "AIMS705": Severity.ERROR,
    "AIMS706": Severity.ERROR,
    "AIMS707": Severity.WARNING,
    "AIMS708": Severity.ERROR,
    "AIMS709": Severity.WARNING,
    "AIMS710": Severity.WARNING,
    "AIMS711": Severity.WARNING,
}


@pytest.mark.parametrize("code", MONITORING_CODES)
def test_every_monitoring_rule_is_registered_and_documented(code: str) -> None:
    registered = {rule.code: rule for rule in all_rules()}
    assert [c for c in registered if c.startswith("AIMS7")] == list(MONITORING_CODES)
    rule = registered[code]
    assert rule.severity is MONITORING_CODES[code]
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)
    for text in (rule.summary, rule.why, rule.fix, rule.example):
        assert len(text.strip()) >= 20, (code, text)
    assert CITATION.search(rule.why), f"{code}: `why` cites no clause or Annex A control"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_says_why_with_the_clause_it_serves(rule: Rule) -> None:
    """README: every rule says what it checks, why it matters with the clause it
    serves, how to fix it, and gives an example: the reading and schema codes too."""
    for text in (rule.summary, rule.why, rule.fix, rule.example):
        assert text.strip(), rule.code
    assert CITATION.search(rule.why), f"{rule.code}: `why` cites no clause or Annex A control"


def test_rules_lists_every_rule_as_a_plain_table(cli: Cli) -> None:
    result = cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "SUMMARY"]
    assert len(lines) == len(all_rules()) + 1
    assert "\033[" not in result.stdout
    row = next(line for line in lines if line.startswith("AIMS303 "))
    assert row.split()[:3] == ["AIMS303", "risk-above-appetite", "error"]
    assert row.endswith(next(r.summary for r in all_rules() if r.code == "AIMS303"))


def test_rules_as_json(cli: Cli) -> None:
    result = cli("rules", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert [r["code"] for r in document["rules"]] == [r.code for r in all_rules()]
    first = document["rules"][0]
    assert set(first) == {"code", "name", "severity", "summary", "why", "fix", "example"}


def test_explain_prints_every_field(cli: Cli) -> None:
    rule = next(r for r in all_rules() if r.code == "AIMS205")
    result = cli("rules", "explain", "AIMS205")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("AIMS205 treatment-control-not-applicable (error)\n")
    for heading in ("What it checks:", "Why it matters:", "How to fix it:", "Example:"):
        assert heading in text
    flat = " ".join(text.split())
    for field in (rule.summary, rule.why, rule.fix):
        assert " ".join(field.split()) in flat
    for line in rule.example.splitlines():
        assert "    " + line in text


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_explain_keeps_hyphenated_values_whole(rule: Rule, cli: Cli) -> None:
    """A value a record takes (`continual-improvement`, human-in-the-loop) is never
    split at its hyphen across two lines: people type it as printed."""
    result = cli("rules", "explain", rule.code)
    # An explanation that failed would leave no line to check.
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{rule.code} {rule.name} ({rule.severity})\n")
    text = result.stdout.split("\nExample:\n")[0]
    words = {word for field in (rule.summary, rule.why, rule.fix) for word in field.split()}
    for line in text.splitlines():
        for word in line.split():
            assert not word.endswith("-") or word in words, (rule.code, line)


def test_explain_accepts_lower_case_codes_and_names(cli: Cli) -> None:
    by_code = cli("rules", "explain", "aims503")
    by_name = cli("rules", "explain", "implemented-without-evidence")
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout
    assert by_code.stdout.startswith("AIMS503 implemented-without-evidence (warning)")


def test_explain_as_json(cli: Cli) -> None:
    result = cli("rules", "explain", "AIMS506", "--format", "json")
    assert result.exit_code == 0
    rule = json.loads(result.stdout)["rule"]
    assert (rule["code"], rule["name"], rule["severity"]) == (
        "AIMS506",
        "waiver-expired",
        "warning",
    )


def test_explain_unknown_code_is_a_usage_error(cli: Cli) -> None:
    result = cli("rules", "explain", "AIMS999")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no rule 'AIMS999'" in result.stderr
    assert "Traceback" not in result.stderr
    near = cli("rules", "explain", "evidence-pth")
    assert near.exit_code == 2
    assert "did you mean 'evidence-path'?" in near.stderr
    # the letter O for a zero: the code meant, not the nearest spelling ('AIMS621')
    zero = cli("rules", "explain", "AIMS2O1")
    assert zero.exit_code == 2
    assert zero.stderr == "aimsctl: error: no rule 'AIMS2O1'; did you mean 'AIMS201'?\n"


def test_unknown_format_is_a_usage_error(cli: Cli) -> None:
    for args in (("rules",), ("rules", "explain", "AIMS201")):
        result = cli(*args, "--format", "xml")
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == "aimsctl: error: --format 'xml' is not one of text, json\n", args


def test_a_format_given_before_explain_is_explain_s(cli: Cli) -> None:
    """`aimsctl rules --format json explain CODE` prints JSON (it printed text), a
    format explain names itself wins, and an unknown one is a usage error there too
    (it was ignored)."""
    before = cli("rules", "--format", "json", "explain", "AIMS201")
    assert before.exit_code == 0
    assert before.stdout == cli("rules", "explain", "AIMS201", "--format", "json").stdout
    assert json.loads(before.stdout)["rule"]["code"] == "AIMS201"
    own = cli("rules", "--format", "json", "explain", "AIMS201", "--format", "text")
    assert own.stdout.startswith("AIMS201 broken-reference (error)\n")
    wrong = cli("rules", "--format", "xml", "explain", "AIMS201")
    assert wrong.exit_code == 2
    assert wrong.stdout == ""
    assert "--format 'xml' is not one of text, json" in wrong.stderr


def test_a_missed_art_73_report_cites_the_controls_on_telling_others() -> None:
    """AIMS706 is about the organization reporting to an authority: A.8.4 (how
    incidents are communicated) and A.8.5 (what interested parties, authorities among
    them, must be told). It cited A.8.3 as 'reporting outside the organization', but
    A.8.3 is the other way round: interested parties reporting adverse impacts to the
    organization, as the catalogue's own summary says."""
    from aimsctl.catalog import annex_a

    rule = next(r for r in all_rules() if r.code == "AIMS706")
    assert "A.8.4" in rule.why and "A.8.5" in rule.why
    assert "A.8.3" not in rule.why
    assert annex_a()["A.8.3"].summary.startswith("Let interested parties report")


# A clause number or an Annex A id, as a text cites it.
CITED = re.compile(r"(?<![\w.])((?:[4-9]|10)\.\d+(?:\.\d+)?|A\.\d+(?:\.\d+)*)(?![\w(])")


def test_every_clause_and_control_cited_exists() -> None:
    """What a rule, a record kind or a report cites is a clause of 4 to 10 or an Annex
    A id of the catalogue (an area, an objective or a control), never a number the
    standard does not have. The examples may show a wrong id: that is what they are for."""
    from aimsctl.records import KINDS
    from aimsctl.records.clauses import is_requirement
    from aimsctl.reports import REPORTS

    cited = [
        (f"{rule.code}.{part}", found.rstrip("."))
        for rule in all_rules()
        for part in ("summary", "why", "fix")
        for found in CITED.findall(getattr(rule, part))
    ]
    assert len({c for _, c in cited}) > 25
    cited += [(f"{kind}.CLAUSES", c) for kind, m in KINDS.items() for c in m.CLAUSES]
    cited += [(f"report {name}", c) for name, info in REPORTS.items() for c in info.clauses]
    wrong = [(where, c) for where, c in cited if c != "Annex A" and not is_requirement(c)]
    assert wrong == []


def test_the_guides_cite_for_each_rule_what_the_rule_itself_cites() -> None:
    """A row of a rule table in a guide (docs/monitoring.md's `serves`, the clauses in
    brackets in docs/management.md) cites only what the rule's own text cites: the same
    id, or one covering it. docs/monitoring.md gave AIMS706 A.8.3 (External reporting:
    interested parties reporting adverse impacts to the organization) after the rule had
    moved to A.8.5."""
    from aimsctl.records.clauses import covers
    from conftest import PROJECT

    rules = {rule.code: rule for rule in all_rules()}
    rows = 0
    wrong: list[tuple[str, str, str]] = []
    for guide in sorted((PROJECT / "docs").glob("*.md")):
        if guide.name == "rules.md":  # generated from the rules themselves
            continue
        for line in guide.read_text(encoding="utf-8").splitlines():
            found = re.match(r"\| (AIMS\d{3}) \|", line)
            if found is None:
                continue
            rows += 1
            rule = rules[found.group(1)]
            own = {c.rstrip(".") for part in (rule.summary, rule.why) for c in CITED.findall(part)}
            for cited in CITED.findall(line.rstrip(" |").rsplit("|", 1)[-1]):
                cited = cited.rstrip(".")
                if not any(covers(cited, o) or covers(o, cited) for o in own):
                    wrong.append((guide.name, rule.code, cited))
    assert rows >= 29
    assert wrong == []
