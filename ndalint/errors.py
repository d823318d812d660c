"""Errors that reach the user as one line (no traceback)."""


class NdalintError(Exception):
    """Base class: the message is shown to the user as is."""


class InputError(NdalintError):
    """A document cannot be read. The run goes on with the other documents; exit code 2."""


class ConfigError(NdalintError):
    """A rule pack, configuration file or option is invalid. Nothing runs; exit code 2."""


class OutputError(NdalintError):
    """A report cannot be written (no such directory, no permission, disk full); exit code 2."""
