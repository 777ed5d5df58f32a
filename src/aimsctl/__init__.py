"""aimsctl: an ISO/IEC 42001 AI management system kept as code."""

__version__ = "0.1.0"
