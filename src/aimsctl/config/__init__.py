"""`aims.yaml`: the repository's configuration and AIMS scope.

An invalid configuration makes the repository unusable (exit 2), so every
problem here is raised as :class:`ConfigError` naming the file and line.

The modules:
- fields.py: what every section's model is built from (strict models, words, dates,
  CLAUSE_KEY)
- risk_scoring.py (`risk:`), governance.py (`governance:`, the policy of each tier),
  cadence.py (`cadence:`), document_control.py (`documents:`), templates.py
  (`templates:`): one section each
- settings.py: AimsConfig, the whole file
- semantic_checks.py: the checks that span fields
- reading.py: parse_config() and load_config()
"""

from __future__ import annotations

from aimsctl.config.document_control import DocumentControl
from aimsctl.config.fields import CLAUSE_KEY, iso_date
from aimsctl.config.governance import GovernancePolicy
from aimsctl.config.reading import load_config, parse_config
from aimsctl.config.risk_scoring import (
    DEFAULT_LIKELIHOOD,
    DEFAULT_SEVERITY,
    MAX_LEVELS,
    RiskConfig,
    SeverityFloor,
    level_as_written,
)
from aimsctl.config.settings import AimsConfig
from aimsctl.config.templates import templates_folder

__all__ = [
    "CLAUSE_KEY",
    "DEFAULT_LIKELIHOOD",
    "DEFAULT_SEVERITY",
    "MAX_LEVELS",
    "AimsConfig",
    "DocumentControl",
    "GovernancePolicy",
    "RiskConfig",
    "SeverityFloor",
    "iso_date",
    "level_as_written",
    "load_config",
    "parse_config",
    "templates_folder",
]
