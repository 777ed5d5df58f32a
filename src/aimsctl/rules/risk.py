"""AIMS301-AIMS303: risk treatment, residual risk and the risk appetite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import Risk
from aimsctl.rules.registry import Finding, rule

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR


@rule(
    codes.TREATMENT_WITHOUT_RESIDUAL,
    E,
    summary="A risk has a `treatment` but no `residual` levels.",
    why="Clause 6.1.3 asks that risk owners approve the treatment plan and accept the "
    "residual risk; 8.3 asks that the results of treatment are retained. Without the "
    "expected residual likelihood and severity nobody can tell whether the treatment "
    "brings the risk within appetite, and the system's tier falls back to the untreated "
    "level.",
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
        if risk.residual is None:
            continue
        for axis in ("likelihood", "severity"):
            residual = int(getattr(risk.residual, axis))
            inherent = int(getattr(risk.inherent, axis))
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
    summary="An open risk's current band (residual where given, else inherent) is above "
    "`risk.appetite`, and no formal acceptance is in force: none was recorded, or it has "
    "expired.",
    why="Clause 6.1.3 requires the risk owner to accept residual AI risk formally; risk "
    "criteria (6.1.1) set what is acceptable. A risk beyond the appetite with no current "
    "acceptance means the organization is carrying risk that nobody has agreed to carry.",
    fix="Treat the risk further until the residual band is within the appetite, or record "
    "`acceptance: {by, on, rationale, expires}` signed by someone with the authority to "
    "accept it. Renew an expired acceptance, or close the risk if it no longer applies.",
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
        current = score.current
        which = "residual" if score.residual is not None else "inherent"
        above = (
            f"{which} risk is {current.band} (score {current.score}), above the appetite "
            f"{appetite!r}"
        )
        if risk.acceptance is not None and score.acceptance_expired:
            yield Finding(
                f"{above}, and its acceptance expired on {risk.acceptance.expires}; "
                "renew it or treat the risk further",
                record=risk.id,
                parts=("acceptance", "expires"),
            )
        else:
            yield Finding(
                f"{above}, with no formal acceptance; treat it further or record an acceptance",
                record=risk.id,
            )
