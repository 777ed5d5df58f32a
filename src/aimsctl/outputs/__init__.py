"""What commands print: one module per command's output, one function per format.

Each function takes the core's result (a ValidationResult, a Changes, a risk
register ...) and returns the whole output as text; nothing here reads files or
the clock. The formats and their functions are listed in :mod:`aimsctl.formats`.
Reports written to files are in :mod:`aimsctl.reports`.
"""
