"""Every diagnostic code, named once.

The constant's name is the rule's name in upper case (`yaml-syntax` is
YAML_SYNTAX); the rule registry documents each code, and a test checks that the
two agree. Code elsewhere names a code through these constants; only a few command
docstrings (their `--help`) and report templates cite one by its number.

Codes group by layer: AIMS0xx reading files, AIMS1xx record schema, AIMS2xx
references and the Statement of Applicability, AIMS3xx risk, AIMS4xx
proportional governance and impact assessments, AIMS5xx reviews, evidence and
waivers, AIMS6xx the management system, AIMS7xx testing and monitoring, AIMS8xx
regulatory obligations.
"""

from __future__ import annotations

# Reading files (the loader and the YAML layer)
YAML_SYNTAX = "AIMS001"
ENCODING = "AIMS002"
NOT_A_RECORD = "AIMS003"
YAML_TAG = "AIMS004"
DUPLICATE_KEY = "AIMS005"
YAML_LIMITS = "AIMS006"
FILE_TOO_LARGE = "AIMS007"
UNREADABLE_FILE = "AIMS008"
BIDI_CONTROL = "AIMS009"
UNPORTABLE_FILE_NAME = "AIMS010"
INVISIBLE_CHARACTER = "AIMS011"
MIXED_SCRIPT = "AIMS012"

# Record schema (the record checker and the index)
RECORD_IDENTITY = "AIMS101"
INVALID_VALUE = "AIMS102"
MISSING_FIELD = "AIMS103"
UNKNOWN_FIELD = "AIMS104"
DUPLICATE_ID = "AIMS105"
UNKNOWN_ANNEX_A_ID = "AIMS106"
PLACEHOLDER = "AIMS107"

# References and the Statement of Applicability
BROKEN_REFERENCE = "AIMS201"
SOA_INCOMPLETE = "AIMS202"
CONTROL_UNJUSTIFIED = "AIMS203"
APPLICABLE_CONTROL_INCOMPLETE = "AIMS204"
TREATMENT_CONTROL_NOT_APPLICABLE = "AIMS205"
EVIDENCE_PATH = "AIMS206"
DUPLICATE_REFERENCE = "AIMS207"
ANNEX_A_TITLE_MISMATCH = "AIMS208"
DUPLICATE_ENTRY = "AIMS209"
EXCLUSION_CONTRADICTED = "AIMS210"
ID_READS_AS_ANOTHER = "AIMS211"

# Risk
TREATMENT_WITHOUT_RESIDUAL = "AIMS301"
RESIDUAL_ABOVE_INHERENT = "AIMS302"
RISK_ABOVE_APPETITE = "AIMS303"
TREATMENT_OVERDUE = "AIMS304"
ACCEPTANCE_NOT_DESIGNATED = "AIMS305"
MATRIX_NOT_MONOTONE = "AIMS306"
COMPLETED_TREATMENT_NOT_IN_PLACE = "AIMS307"
CLOSED_ABOVE_APPETITE = "AIMS308"
ACCEPTED_RISK_LOWERED = "AIMS309"

# Proportional governance and impact assessments
IMPACT_ASSESSMENT_REQUIRED = "AIMS401"
OVERSIGHT_BELOW_TIER = "AIMS402"
APPROVAL_INCOMPLETE = "AIMS403"
APPROVAL_BEFORE_ASSESSMENT = "AIMS404"
ASSESSMENT_SAYS_DO_NOT_PROCEED = "AIMS405"
IMPACT_ABOVE_APPETITE_UNMITIGATED = "AIMS406"
ASSESSMENT_OLDER_THAN_CHANGE = "AIMS407"
ASSESSMENT_WITHOUT_IMPACTS = "AIMS408"
GOVERNANCE_BELOW_DEFAULT = "AIMS409"

# Reviews, evidence and waivers
REVIEW_OVERDUE = "AIMS501"
ASSESSMENT_REVIEW_DUE = "AIMS502"
IMPLEMENTED_WITHOUT_EVIDENCE = "AIMS503"
PRODUCTION_SYSTEM_UNASSESSED = "AIMS504"
PRODUCTION_SYSTEM_WITHOUT_ASSESSMENT = "AIMS505"
WAIVER_EXPIRED = "AIMS506"
WAIVER_UNUSED = "AIMS507"
DATE_IN_FUTURE = "AIMS508"
NEXT_REVIEW_BEYOND_PERIOD = "AIMS509"

# The management system (policy, roles, objectives, audits, reviews, nonconformities)
AI_POLICY_MISSING = "AIMS601"
AI_POLICY_REVIEW_OVERDUE = "AIMS602"
AI_POLICY_COMMITMENT_MISSING = "AIMS603"
STATUS_INCOMPLETE = "AIMS604"
NO_TOP_MANAGEMENT_ROLE = "AIMS605"
NOT_TOP_MANAGEMENT = "AIMS606"
OWNER_NOT_A_ROLE = "AIMS607"
REPORTING_CYCLE = "AIMS608"
OBJECTIVE_OVERDUE = "AIMS609"
OBJECTIVE_PROGRESS_STALE = "AIMS610"
INTERNAL_AUDIT_OVERDUE = "AIMS611"
INTERNAL_AUDIT_UNPLANNED = "AIMS612"
AUDITOR_NOT_INDEPENDENT = "AIMS613"
AUDIT_PROGRAMME_INCOMPLETE = "AIMS614"
AUDIT_FINDING_WITHOUT_NONCONFORMITY = "AIMS615"
MANAGEMENT_REVIEW_OVERDUE = "AIMS616"
MANAGEMENT_REVIEW_PENDING = "AIMS617"
MANAGEMENT_REVIEW_INPUTS_MISSING = "AIMS618"
NONCONFORMITY_WITHOUT_ROOT_CAUSE = "AIMS619"
ACTION_OVERDUE = "AIMS620"
NONCONFORMITY_CLOSED_UNVERIFIED = "AIMS621"
ESTABLISHED_AFTER_RECORDS = "AIMS622"
OBJECTIVE_ACHIEVED_UNMEASURED = "AIMS623"
AIMS_BEING_SET_UP = "AIMS624"
NONCONFORMITY_STATUS_UNSUPPORTED = "AIMS625"

# Testing and monitoring (Evaluation, Monitor and Incident records)
EVALUATION_OVERDUE = "AIMS701"
FAILING_METRIC_UNTRACKED = "AIMS702"
PRODUCTION_SYSTEM_UNMONITORED = "AIMS703"
MONITOR_STALE = "AIMS704"
BREACH_WITHOUT_FOLLOW_UP = "AIMS705"
SERIOUS_INCIDENT_NOT_REPORTED = "AIMS706"
INCIDENT_RISKS_NOT_REVIEWED = "AIMS707"
MONITORING_FILE_UNUSABLE = "AIMS708"
VERSION_NOT_EVALUATED = "AIMS709"
REPORTED_BEFORE_DETECTED = "AIMS710"
VERSION_IN_USE_FAILED = "AIMS711"

# Regulatory obligations (EU AI Act, NYC Local Law 144)
PROHIBITED_PRACTICE_IN_USE = "AIMS801"
BIAS_AUDIT_OVERDUE = "AIMS802"

_NAMES: dict[str, str] = {
    value: constant.lower().replace("_", "-")
    for constant, value in dict(globals()).items()
    if constant.isupper() and isinstance(value, str) and value.startswith("AIMS")
}
ALL: frozenset[str] = frozenset(_NAMES)


def name(code: str) -> str:
    """The rule name of a code: AIMS001 is `yaml-syntax`."""
    return _NAMES[code]


# Problems after which records of a file may be missing: a syntax error (the
# documents after it), a document that cannot be read (a tag, too deep), a file
# that cannot be decoded, is too large or cannot be read at all.
UNREADABLE: frozenset[str] = frozenset(
    {YAML_SYNTAX, ENCODING, YAML_TAG, YAML_LIMITS, FILE_TOO_LARGE, UNREADABLE_FILE}
)

# Problems that leave a record (or a file's records) out of every rule, report and
# register. Neither `rules:` in aims.yaml nor a Waiver may silence them: the run
# would pass while the record vanished from the Statement of Applicability or the
# risk register without a word. They are corrected, or the file excluded.
LEAVES_RECORD_OUT: frozenset[str] = UNREADABLE | {
    NOT_A_RECORD,
    RECORD_IDENTITY,
    INVALID_VALUE,
    MISSING_FIELD,
    UNKNOWN_FIELD,
    DUPLICATE_ID,
    UNKNOWN_ANNEX_A_ID,
}
# What a setting or waiver that tries says, after the code.
LEAVES_RECORD_OUT_WHY = (
    "a record it finds is left out of every rule, report and register, so it cannot be "
    "silenced; correct the record, or exclude its file"
)
# Nor may they silence a key given twice: its record is kept, read with the first value,
# and a later line may say the risk is worse (no catastrophic harm hidden by a lower
# line above it).
UNSILENCEABLE: frozenset[str] = LEAVES_RECORD_OUT | {DUPLICATE_KEY}
DUPLICATE_KEY_WHY = (
    "a key given twice is read with its first value while a later line may say otherwise, "
    "so it cannot be silenced; delete one of the two"
)


def unsilenceable_why(code: str) -> str:
    """Why ``code`` (one of UNSILENCEABLE) may not be lowered, turned off or waived."""
    return DUPLICATE_KEY_WHY if code == DUPLICATE_KEY else LEAVES_RECORD_OUT_WHY
