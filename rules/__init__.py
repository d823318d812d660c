"""The built-in rule pack of ndalint: data only (one YAML file per rule, shared definitions in
_definitions.yaml). Installed as the package ``ndalint_rules``, so that a wheel install (pre-commit, pipx) finds it."""
