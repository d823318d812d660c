"""Declarative rules: schema (pydantic), loader (YAML with line numbers), matchers, engine."""

from ndalint.rules.engine import Assume, RuleSet

__all__ = ["Assume", "RuleSet"]
