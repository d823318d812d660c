"""ndalint: a rule-based risk linter for Japanese NDAs and participant agreements."""

# The package version (pyproject.toml reads it from here).
__version__ = "0.1.0"
