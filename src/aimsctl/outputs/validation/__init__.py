"""`aimsctl validate` output: a ValidationResult as text, JSON, SARIF, JUnit or GitHub
annotations. Each module has ``render(result, color) -> str``; :mod:`aimsctl.formats`
lists them."""
