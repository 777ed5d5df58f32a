"""AIMS301-AIMS309: risk treatment, residual risk, the risk appetite, treatment on time,
acceptance by designated management, a risk matrix that never rates worse as lower, a
treatment recorded as completed only once the controls it names are in place, no risk
closed above the appetite while its systems are in use, and no lower residual for a
risk that is only accepted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import AISystem, Control, Risk, Role
from aimsctl.records.role import acceptance_refused
from aimsctl.rules.registry import Finding, rule
from aimsctl.soa import control_states

if TYPE_CHECKING:
    from aimsctl.repository import Repository
    from aimsctl.scoring import RiskScore

E = Severity.ERROR
W = Severity.WARNING


@rule(
    codes.TREATMENT_WITHOUT_RESIDUAL,
    E,
    summary="A risk has a `treatment` but no `residual` levels.",
    why="Clause 6.1.3 asks for a risk treatment plan whose residual risk is approved and "
    "accepted by designated management, and 8.3 for the results of treatment to be "
    "retained. Without the expected residual likelihood and severity nobody can tell "
    "whether the treatment will bring the risk within the appetite.",
    fix="Add `residual: {likelihood: ..., severity: ...}` with the levels expected once the "
    "treatment is in place.",
    example="kind: Risk\nid: R-4\n...\ninherent: {likelihood: 4, severity: 4}\n"
    "treatment: {option: mitigate, controls: [A.6.2.4]}\nstatus: treating",
)
def treatment_without_residual(repo: Repository) -> Iterator[Finding]:
    for risk in repo.of_kind(Risk):
        if risk.treatment is not None and risk.residual is None:
            yield Finding(
                "risk has a treatment but no residual levels; add residual likelihood and "
                "severity expected after treatment",
                record=risk.id,
                parts=("treatment",),
                at_key=True,
            )


@rule(
    codes.RESIDUAL_ABOVE_INHERENT,
    E,
    summary="A residual likelihood or severity is higher than the inherent one.",
    why="Residual risk is what remains after treatment (6.1.3, 8.3); treatment does not make "
    "a risk more likely or more severe. A higher residual level is almost always a swapped "
    "or mistyped value, and it distorts the risk register and the system tier.",
    fix="Check both levels: the residual likelihood and severity must each be at most the "
    "inherent ones. If the risk really grew, reassess it and raise the inherent levels.",
    example="inherent: {likelihood: 2, severity: 4}\nresidual: {likelihood: 3, severity: 4}",
)
def residual_above_inherent(repo: Repository) -> Iterator[Finding]:
    for risk in repo.of_kind(Risk):
        for axis, residual, inherent in _levels(risk):
            if residual > inherent:
                yield Finding(
                    f"residual {axis} {residual} is above the inherent {axis} {inherent}; "
                    "treatment cannot raise a risk",
                    record=risk.id,
                    parts=("residual", axis),
                )


@rule(
    codes.RISK_ABOVE_APPETITE,
    E,
    summary="An open risk's current band is above `risk.appetite`, and no formal "
    "acceptance is in force: none was recorded, it has expired, it starts later, or it "
    f"was given by someone who may not accept the risk (see {codes.ACCEPTANCE_NOT_DESIGNATED}). "
    "The current band is the residual's once the treatment is in place (completed, or all its "
    "controls implemented), else the inherent band.",
    why="Risk criteria (6.1.1) say which risks are acceptable; clause 6.1.3 asks that "
    "residual AI risk is approved and accepted by designated management. A risk beyond "
    "the appetite with no acceptance in force means the organization carries risk that "
    "nobody with the authority has agreed to carry. A treatment that is only planned "
    "has not reduced anything yet.",
    fix="Carry out the treatment (record `treatment.completed`, or implement its "
    "controls) so the residual counts, treat the risk further, or record "
    "`acceptance: {by, on, rationale, expires}` approved by someone with the authority "
    "to accept it, covering the time until the treatment is in place. Renew an expired "
    "acceptance. Closing the risk is no way out: a closed risk above the appetite is "
    f"reported too ({codes.CLOSED_ABOVE_APPETITE}), accepted or not, unless every system it "
    "concerns is retired.",
    example="kind: Risk\nid: R-9\n...\ninherent: {likelihood: 4, severity: 5}\n"
    "residual: {likelihood: 3, severity: 5}   # high, appetite is medium\nstatus: open",
)
def risk_above_appetite(repo: Repository) -> Iterator[Finding]:
    appetite = repo.config.risk.appetite
    for risk in repo.of_kind(Risk):
        if risk.status == "closed":
            continue
        score = repo.risk_scores[risk.id]
        if score.within_appetite or score.accepted:
            continue
        yield _above_appetite(risk, score, appetite)


def _above_appetite(risk: Risk, score: RiskScore, appetite: str) -> Finding:
    current = score.current
    where = score.basis  # point at the position that counts: "residual" or "inherent"
    above = (
        f"current risk is {current.band} (score {current.score}, {where}), above the "
        f"appetite {appetite!r}"
    )
    if score.planned and score.residual is not None:
        above += (
            f"; the planned residual ({score.residual.band}) counts once the treatment is "
            "completed or its controls are implemented"
        )
    acceptance = risk.acceptance
    if acceptance is not None and score.acceptance_expired:
        return Finding(
            f"{above}; its acceptance expired on {acceptance.expires}: renew it or treat "
            "the risk further",
            record=risk.id,
            parts=("acceptance", "expires"),
        )
    if acceptance is not None and not score.acceptance_designated:
        return Finding(
            f"{above}; its acceptance by {acceptance.by!r} does not count, as "
            f"{codes.ACCEPTANCE_NOT_DESIGNATED} says: have designated management accept it",
            record=risk.id,
            parts=("acceptance", "by"),
        )
    if acceptance is not None:
        return Finding(
            f"{above}; its acceptance starts only on {acceptance.on}",
            record=risk.id,
            parts=("acceptance", "on"),
        )
    return Finding(
        f"{above}, with no formal acceptance; treat it further or record an acceptance",
        record=risk.id,
        parts=(where,),
        at_key=True,
    )


@rule(
    codes.TREATMENT_OVERDUE,
    E,
    summary="A risk's treatment is past its `due` date and not in place: no `completed` "
    "date on or before today, and not every control it names is implemented.",
    why="Clause 6.1.3 asks for a risk treatment plan, and 8.3 for it to be carried out; "
    "a plan that has slipped leaves the risk at its inherent level while the register "
    "still promises the residual. An overdue plan nobody looks at is how a treated risk "
    "quietly stays untreated.",
    fix="Record `treatment.completed` with the date the plan was carried out, mark its "
    "controls implemented, or agree a new `due` date (and, where the risk is above the "
    "appetite meanwhile, an acceptance that covers the delay).",
    example="treatment:\n  option: mitigate\n  controls: [A.7.4]   # status: planned\n"
    "  due: 2026-06-30\nstatus: treating",
)
def treatment_overdue(repo: Repository) -> Iterator[Finding]:
    for risk in repo.of_kind(Risk):
        treatment = risk.treatment
        if risk.status == "closed" or treatment is None or treatment.due is None:
            continue
        if treatment.due < repo.as_of and not repo.risk_scores[risk.id].in_place:
            yield Finding(
                f"treatment was due on {treatment.due} and is not in place: record "
                "`completed` when it was carried out, or agree a new due date",
                record=risk.id,
                parts=("treatment", "due"),
            )


@rule(
    codes.COMPLETED_TREATMENT_NOT_IN_PLACE,
    W,
    summary="A risk's treatment is recorded as completed (`treatment.completed` on or "
    "before today), yet a control it names is not in place: not implemented, excluded, "
    "scoped to other systems than the risk's, undecided, or with no Control record; or it "
    "mitigates the risk (`option: mitigate`) to lower residual levels and names no "
    "control at all, so nothing on "
    "record shows what reduces it. The residual is credited on the completion date "
    "alone, as the scoring rules say, so the risk reads as treated "
    f"({codes.TREATMENT_CONTROL_NOT_APPLICABLE} also reports a control excluded or "
    "scoped to other systems, whatever the date). A closed risk is "
    "checked too (closing it on that credit takes it out of sight), unless every system "
    "it concerns is retired.",
    why="Clause 8.3 asks that the risk treatment plan is carried out, and 6.1.3 that "
    "the controls it relies on are those the Statement of Applicability has in place. A "
    "treatment marked done while one of its controls is still planned claims a residual "
    "level the organization has not reached: the risk reads as treated, within the "
    "appetite and out of sight.",
    fix="Implement the control for the risk's systems (and record its evidence; a "
    "control scoped by `systems` must name them), take it out of "
    "`treatment.controls` if the treatment no longer relies on it, or remove "
    "`completed` until the treatment is carried out. Name the controls a mitigation "
    "relies on (an Annex A control or one of the organization's own).",
    example="treatment:\n  option: mitigate\n  controls: [A.7.4]   # status: planned\n"
    "  completed: 2026-06-30",
)
def completed_treatment_not_in_place(repo: Repository) -> Iterator[Finding]:
    states = control_states(repo)
    scoped = {control.id: control for control in repo.of_kind(Control) if control.systems}
    stages = {system.id: system.stage for system in repo.of_kind(AISystem)}
    for risk in repo.of_kind(Risk):
        treatment = risk.treatment
        if treatment is None or treatment.completed is None:
            continue
        retired = risk.systems and all(stages.get(s) == "retired" for s in risk.systems)
        if risk.status == "closed" and retired:
            continue  # what it concerned is out of use (as AIMS308 leaves it)
        if treatment.completed > repo.as_of:
            continue  # not yet completed: no credit taken (AIMS508 reports the date)
        missing = [
            f"{control_id} ({_not_in_place(control_id, states, scoped, risk)})"
            for control_id in treatment.controls
            if _not_in_place(control_id, states, scoped, risk)
        ]
        if not treatment.controls and treatment.option == "mitigate" and _lowered(risk):
            yield Finding(
                f"treatment is recorded as completed on {treatment.completed} and lowers "
                "the residual, but names no control: the residual is credited on that "
                "date alone, with no control on record behind it; name the controls the "
                "mitigation put in place (Annex A or the organization's own)",
                record=risk.id,
                parts=("treatment", "completed"),
            )
        if missing:
            yield Finding(
                f"treatment is recorded as completed on {treatment.completed}, but "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in place; "
                "the residual is credited on that date alone: implement "
                f"{'it' if len(missing) == 1 else 'them'} for the risk's systems, or take "
                f"{'it' if len(missing) == 1 else 'them'} out of the treatment",
                record=risk.id,
                parts=("treatment", "completed"),
            )


def _not_in_place(
    control_id: str, states: dict[str, str], scoped: dict[str, Control], risk: Risk
) -> str | None:
    """Why a control a completed treatment names is not in place for the risk (None:
    it is): its state, or a scope that leaves out a system the risk is about (AIMS205
    reports that as an error; the residual is still credited on the date)."""
    state = states.get(control_id, "no Control record")
    if state != "implemented":
        return state
    control = scoped.get(control_id)
    if control is not None and (left_out := control.left_out(risk.systems)):
        return f"implemented for {', '.join(control.systems)} only, not {', '.join(left_out)}"
    return None


def _levels(risk: Risk) -> Iterator[tuple[str, int, int]]:
    """Each axis with the residual and the inherent level on it; none without a
    residual."""
    if risk.residual is not None:
        for axis in ("likelihood", "severity"):
            yield axis, int(getattr(risk.residual, axis)), int(getattr(risk.inherent, axis))


def _lowered(risk: Risk) -> bool:
    """Whether the residual levels are below the inherent ones on either axis."""
    return any(residual < inherent for _, residual, inherent in _levels(risk))


@rule(
    codes.CLOSED_ABOVE_APPETITE,
    W,
    summary="A risk is closed while its current band is above `risk.appetite`: its "
    "treatment is not in place (no `completed` date on or before today, not every "
    "control implemented) or leaves it above the appetite, and not every system it "
    "concerns is retired. An acceptance in force does not make up for it: accepting a "
    "risk keeps it, and closing takes it out of its systems' tiers.",
    why="Clause 6.1.3 asks that residual risk is treated or accepted by designated "
    "management, and 8.2/8.3 that risks are assessed and treated as the AI systems "
    f"change. A closed risk leaves the appetite check ({codes.RISK_ABOVE_APPETITE}) and its "
    "systems' tiers, so closing one nobody treated takes it out of sight without reducing it; an "
    "accepted risk is one the organization still carries, so closing it is no way to "
    "take it out of the tiers.",
    fix="Keep the risk open (accepted, where it is) until its treatment is in place "
    "(`treatment.completed`, or its controls implemented) and brings it within the "
    "appetite. A risk whose systems are all retired may close.",
    example="treatment:\n  option: avoid\n  controls: [A.6.2.2]   # status: partial\n"
    "  due: 2026-07-15          # no completed date\nstatus: closed",
)
def closed_above_appetite(repo: Repository) -> Iterator[Finding]:
    appetite = repo.config.risk.appetite
    stages = {system.id: system.stage for system in repo.of_kind(AISystem)}
    for risk in repo.of_kind(Risk):
        if risk.status != "closed":
            continue
        score = repo.risk_scores[risk.id]
        if score.within_appetite:
            continue
        if risk.systems and all(stages.get(s) == "retired" for s in risk.systems):
            continue  # what it concerned is out of use
        current = score.current
        if score.accepted:
            # An acceptance keeps the risk: closed, its systems' tiers drop with
            # nothing reduced (a high-risk hiring system fell to medium).
            yield Finding(
                f"risk is closed, but its current risk is {current.band} (score "
                f"{current.score}, {score.basis}), above the appetite {appetite!r}; its "
                "acceptance keeps the risk, it does not end it, and closing takes it out "
                "of its systems' tiers: keep it open while it is accepted",
                record=risk.id,
                parts=("status",),
            )
            continue
        yield Finding(
            f"risk is closed, but its current risk is {current.band} (score "
            f"{current.score}, {score.basis}), above the appetite {appetite!r}, with its "
            "treatment not in place and no acceptance in force; closing takes it out of "
            "the appetite check and its systems' tiers: record the treatment's "
            "completion, an acceptance, or keep it open",
            record=risk.id,
            parts=("status",),
        )


@rule(
    codes.ACCEPTED_RISK_LOWERED,
    E,
    summary="A risk's treatment accepts it (`option: accept`) and names no control, yet "
    "its residual likelihood or severity is lower than the inherent one. Accepting a "
    "risk keeps it as it is, so nothing stands behind the lower levels; once the "
    "treatment counts as in place (a `completed` date), they would lower the risk's "
    "band and its systems' tiers. (Controls named, and implemented, are what a lower "
    "residual is credited to, whatever the option.)",
    why="Clause 6.1.3 lets an organization retain a risk by an informed decision, and "
    "asks that the treatment chosen is what brings the residual risk about; 8.3 asks "
    "that the treatment is carried out. A reduction written on a risk that is only "
    "accepted is credit for treatment that does not exist.",
    fix="Give the residual the inherent levels, so the risk is accepted as it is (with "
    "an `acceptance` when it is above the appetite), or, where something does reduce "
    "it, record that as a `mitigate` (or `avoid`, `transfer`) treatment with its "
    "controls and plan.",
    example="inherent: {likelihood: 4, severity: 4}\ntreatment:\n  option: accept\n"
    "  completed: 2026-11-01\nresidual: {likelihood: 1, severity: 1}",
)
def accepted_risk_lowered(repo: Repository) -> Iterator[Finding]:
    for risk in repo.of_kind(Risk):
        treatment = risk.treatment
        if treatment is None or treatment.option != "accept" or treatment.controls:
            continue
        for axis, residual, inherent in _levels(risk):
            if residual < inherent:
                yield Finding(
                    f"the treatment accepts the risk, which leaves it as it is, yet the "
                    f"residual {axis} {residual} is below the inherent {inherent}: no "
                    "treatment stands behind the reduction; give the residual the "
                    "inherent level, or record what reduces it as a mitigate treatment",
                    record=risk.id,
                    parts=("residual", axis),
                )


@rule(
    codes.ACCEPTANCE_NOT_DESIGNATED,
    E,
    summary="Where Roles are recorded, a risk's `acceptance.by` holds no Role; where some "
    "Roles are top management, it is neither top management nor a role accountable for "
    "the risk, one of its systems, or risks as a whole. One that names only a vacant Role "
    "(its holder a `TODO:` placeholder or a word for nobody: `vacant`, `TBD`, ...) names "
    "nobody who accepted the risk. An `acceptance.by` that is still a "
    "`TODO:` placeholder is nobody's, Roles or not. `aimsctl risk accept` refuses such an "
    "acceptance; this rule catches one written by hand.",
    why="Clause 6.1.3 asks that the risk owners approve the treatment plan and accept the "
    "residual risk, and 5.3 that responsibility and authority are assigned through roles. "
    "An acceptance signed by someone the management system gives no such authority is "
    "not a formal acceptance: the risk it lets stand above the appetite is unowned.",
    fix="Have the acceptance given by top management or by a role accountable for the "
    "risk (`aimsctl risk accept R-x --by ROLE`), or record the role that holds that "
    "authority (`accountable_for`).",
    example="acceptance:\n  by: intern@acme.example   # holds no Role\n  on: 2026-10-01\n"
    "  rationale: ...\n  expires: 2027-03-31",
)
def acceptance_not_designated(repo: Repository) -> Iterator[Finding]:
    for risk in repo.of_kind(Risk):
        if risk.acceptance is None:
            continue
        refused = acceptance_refused(repo.of_kind(Role), risk, risk.acceptance.by)
        if refused is not None:
            yield Finding(refused, record=risk.id, parts=("acceptance", "by"))


@rule(
    codes.MATRIX_NOT_MONOTONE,
    W,
    summary="With `method: matrix`, a cell of `risk.matrix` in aims.yaml names a lower band "
    "than the cell one likelihood level below it (same severity) or one severity level "
    "below it (same likelihood).",
    why="Risk criteria (6.1.1) and the risk assessment (6.1.2) must give consistent, "
    "comparable results: a risk that is more likely, or would do more harm, is never less "
    "serious. Where the matrix says otherwise, rating a risk worse can drop it below the "
    "appetite, and with it the system's tier and the oversight and reviews the tier asks "
    "for. It is almost always a typo in one cell.",
    fix="Correct the cell so that bands never fall as likelihood rises (down the rows) or "
    "as severity rises (along a row). If your criteria really mean it, turn the rule off "
    f"(`rules: {{{codes.MATRIX_NOT_MONOTONE}: off}}` in aims.yaml) and record why in the risk "
    "methodology.",
    example="risk:\n  method: matrix\n  matrix:   # rows: likelihood 1-3; columns: severity "
    "1-3\n    - [low, low, medium]\n    - [low, medium, high]\n"
    "    - [medium, low, high]   # likelihood 3, severity 2: low, below medium above it",
)
def matrix_not_monotone(repo: Repository) -> Iterator[Finding]:
    scale = repo.config.risk
    matrix = scale.matrix
    if scale.method != "matrix" or matrix is None:
        return
    rank = {band.name: n for n, band in enumerate(scale.bands)}

    def level(axis: list[str], n: int) -> str:
        return f"{n + 1} ({axis[n]})"

    for row, cells in enumerate(matrix):
        for column, band in enumerate(cells):
            # The cell one level less likely, then the one one level less severe.
            for before_row, before_column in ((row - 1, column), (row, column - 1)):
                if before_row < 0 or before_column < 0:
                    continue
                before = matrix[before_row][before_column]
                if rank[band] >= rank[before]:
                    continue
                yield Finding(
                    f"risk.matrix: likelihood {level(scale.likelihood, row)} x severity "
                    f"{level(scale.severity, column)} is {band!r}, a lower band than "
                    f"{before!r} at likelihood {level(scale.likelihood, before_row)} x "
                    f"severity {level(scale.severity, before_column)}; a more likely or more "
                    "severe risk must not fall in a lower band",
                    parts=("risk", "matrix", row, column),
                )
                break
