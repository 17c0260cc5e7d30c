"""Errors a user can act on. Front ends show `str(error)` as one line, never a traceback."""


class CoachError(Exception):
    """Base class for errors with a message meant for the user."""


class InputError(CoachError, ValueError):
    """The text (or file) given cannot be analysed; the message says why and what to do."""


class DataFileError(CoachError):
    """A data file (glossary, rules, scenarios, templates) is malformed.

    The message names the file and the field, e.g. `glossary/networking.yaml: terms[3].plain: missing`.
    """

    def __init__(self, path: object, where: str, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        super().__init__(f"{self.path}: {where}: {problem}" if where else f"{self.path}: {problem}")
