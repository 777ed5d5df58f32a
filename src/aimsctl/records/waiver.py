"""`Waiver`: an approved, time-boxed exception to a rule."""

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from aimsctl import codes
from aimsctl.records.base import IsoDate, Record, RecordId, Text, about, kind_field
from aimsctl.validation_messages import describe_input, did_you_mean


def _text(value: object) -> object:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "rule_code",
            f"must be a rule code such as {codes.IMPLEMENTED_WITHOUT_EVIDENCE}, not {{input}}",
            {"input": describe_input(value)},
        )
    return value


def _known(value: str) -> str:
    if value not in codes.ALL:
        hint = did_you_mean(value, sorted(codes.ALL))
        raise PydanticCustomError(
            "rule_code",
            "must be the code of a rule aimsctl has (`aimsctl rules` lists them), not "
            "{input}{hint}",
            {"input": repr(value), "hint": hint},
        )
    if value in codes.UNSILENCEABLE:
        raise PydanticCustomError(
            "rule_code",
            "must not be {code}: {why}",
            {"code": value, "why": codes.unsilenceable_why(value)},
        )
    return value


# A rule code aimsctl knows: a waiver of any other could never apply, so it is an error
# (AIMS102), not an unused waiver; nor one whose findings leave a record out, or keep
# it read with the first of a key given twice (see codes.UNSILENCEABLE). The JSON
# Schema lists the codes a waiver may name.
RuleCode = Annotated[
    str,
    BeforeValidator(_text),
    AfterValidator(_known),
    WithJsonSchema({"type": "string", "enum": sorted(codes.ALL - codes.UNSILENCEABLE)}),
]


class Waiver(Record):
    """An approved, time-boxed exception to one rule for named records; its findings
    stay on record as waived."""

    KIND: ClassVar[str] = "Waiver"
    FOLDER: ClassVar[str] = "waivers"
    REPORTS: ClassVar[tuple[str, ...]] = ("soa",)

    kind: Literal["Waiver"] = kind_field()

    rule: RuleCode = about(
        "Rule",
        f"The code of the rule waived, e.g. `{codes.IMPLEMENTED_WITHOUT_EVIDENCE}`; "
        "`aimsctl rules` lists the codes.",
    )
    records: list[RecordId] = about(
        "Records",
        "The ids of the records whose findings of that rule are waived; at least one.",
        min_length=1,
    )
    justification: Text = about(
        "Justification", "Why the exception is acceptable for now.", clause="7.5.3"
    )
    approved_by: Text = about(
        "Approved by", "Who approved the exception: a person or a Role id.", clause="7.5.3"
    )
    expires: IsoDate = about(
        "Expires",
        "The last day the waiver applies, YYYY-MM-DD; after it the findings are reported "
        "again, and so is the expired waiver.",
    )
