"""`Role`: a role in the AI management system (ISO/IEC 42001 5.1, 5.3, A.3.2)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from aimsctl.records.base import Record, RecordId, Text, about, kind_field
from aimsctl.text import name_key, person_key
from aimsctl.vocabulary import VACANT_HOLDERS, is_placeholder, placeholder_signer

if TYPE_CHECKING:
    from aimsctl.records.risk import Risk


class Role(Record):
    """A role in the AI management system: who holds it, whether it is top
    management, its responsibilities and authorities, whom it reports to and what
    it is accountable for."""

    KIND: ClassVar[str] = "Role"
    FOLDER: ClassVar[str] = "roles"
    CLAUSES: ClassVar[tuple[str, ...]] = ("5.1", "5.3", "A.3.2")
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Role"] = kind_field()

    holder: Text = about(
        "Holder",
        "The person who holds the role: an e-mail address or a name. Owners elsewhere may "
        "name the role's id or its holder.",
        clause="5.3",
    )
    top_management: bool = about(
        "Top management",
        "true when the role is part of top management, which approves the policy and "
        "chairs management reviews.",
        clause="5.1",
        default=False,
    )
    responsibilities: list[Text] = about(
        "Responsibilities",
        "What the role is responsible for; at least one.",
        clause="5.3",
        min_length=1,
    )
    authorities: list[Text] = about(
        "Authorities", "What the role may decide or approve.", clause="5.3", default=[]
    )
    reports_to: RecordId | None = about(
        "Reports to",
        "The id of the Role this one reports to; no cycles.",
        clause="A.3.2",
        default=None,
    )
    accountable_for: list[RecordId] = about(
        "Accountable for",
        "Record ids, or whole kinds (`AISystem`, `Risk`, ...), the role is accountable for.",
        clause="A.3.2",
        default=[],
    )

    def names(self, owner: str) -> bool:
        """Whether an owner written as ``owner`` means this role: its id or its holder
        (in any Unicode form, text.name_key)."""
        key = name_key(owner)
        return key == self.id or key == name_key(self.holder)

    @property
    def vacant(self) -> bool:
        """Whether nobody holds the role yet: its holder is a `TODO:` placeholder (init's
        roles share one) or a word for nobody (`vacant`, `TBD`, ...)."""
        return is_placeholder(self.holder) or person_key(self.holder) in VACANT_HOLDERS


def acceptance_refused(roles: Sequence[Role], risk: "Risk", by: str) -> str | None:
    """Why ``by`` may not accept ``risk``'s residual risk; None when they may. Where
    ``roles`` are recorded, an acceptance comes from someone holding one (its id or its
    holder); where some are top management, from top management or a role accountable
    for the risk, one of its systems, or risks as a whole. A `TODO:` name is nobody,
    Roles or not."""
    nobody = placeholder_signer(by)
    if nobody is not None or not roles:
        return nobody
    named = [role for role in roles if role.names(by)]
    if not named:
        return (
            f"{by!r} holds no Role (neither a Role id nor a holder); where Roles are "
            "recorded, residual risk is accepted by designated management (6.1.3)"
        )
    # A vacant role (a person left, nobody appointed yet) is held by nobody: naming it
    # names nobody who accepted the risk.
    holding = [role for role in named if not role.vacant]
    if not holding:
        ids = ", ".join(role.id for role in named[:8])
        return (
            f"{by!r} names only a vacant Role ({ids}: its holder is {named[0].holder!r}), "
            "so nobody holding it accepted the risk; name the person who holds the role"
        )
    top = [role for role in roles if role.top_management]
    scope = {risk.id, "Risk", *risk.systems}
    if not top or any(role.top_management or scope & set(role.accountable_for) for role in holding):
        return None
    names = ", ".join(role.id for role in top[:8])
    return (
        f"{by!r} is neither top management nor accountable for {risk.id}, its systems or "
        f"risks; an acceptance comes from designated management (e.g. {names})"
    )
