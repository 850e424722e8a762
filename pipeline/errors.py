"""Errors a user can act on. The CLI prints their message as one line and exits with ``exit_code``."""


class DiptychError(Exception):
    exit_code = 1


class InputError(DiptychError):
    """An input file that cannot be read as text (missing, empty, binary, undecodable)."""


class ModelUnavailable(DiptychError):
    """No usable model for a language: offline and nothing local. Exit code 2, before any work."""

    exit_code = 2


class UsageError(DiptychError):
    exit_code = 2
