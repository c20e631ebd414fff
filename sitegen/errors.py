"""One family of errors: everything a user can cause is a ``SitegenError``.

Every error prints the same way, whatever raised it: one ``where: error:
message`` line per problem (``where`` is a file and line, a folder, or the
option or argument at fault), then the count, ``N errors``, to which a command
adds what it did not do ("the site was not built"). ``ContentErrors`` carries
all the problems found in one pass so that an editor sees every one at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

import click

from .inert import shown


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content: an error or a warning, at ``path:line``."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        """``where: error: message`` on one line, made inert by ``shown``: a message
        quotes content (a key, an anchor, a value)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return shown(f"{where}: {self.severity}: {self.message}" if where else
                     f"{self.severity}: {self.message}")


def brief(value: Any, most: int = 60) -> str:
    """A value quoted in a message: a list or mapping by its kind, a long text cut
    (a value can be as large as a file, or an alias bomb's billion items)."""
    if isinstance(value, (list, tuple, dict)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= most else text[:most] + "…"


def counted(errors: int, outcome: str = "") -> str:
    """``3 errors``, or ``1 error: the site was not built`` with an ``outcome``."""
    return f"{errors} error{'s' * (errors != 1)}" + (f": {outcome}" if outcome else "")


class SitegenError(click.ClickException):
    """An error the user can fix; the CLI prints it and exits 1, no traceback.

    ``where`` names what is at fault: a file, a folder, an option (``--port``)."""

    exit_code = 1
    outcome = ""              # what did not happen; set by the command that failed

    def __init__(self, message: str, where: str = "") -> None:
        self.problems = [Problem(where, 0, message)]
        super().__init__(message)

    def format_message(self) -> str:
        """Every problem, one per line, then the count."""
        lines = [str(problem) for problem in self.problems]
        return "\n".join([*lines, counted(len(lines), self.outcome)])

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), file=file, err=file is None)

    def __reduce__(self) -> tuple:
        """Picklable, so an error raised in a worker process reaches the user intact."""
        first = self.problems[0]
        return (type(self), (first.message, first.path))


class ContentError(SitegenError):
    """A single problem in one content file."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(str(path), line, message)
        self.problems = [self.problem]

    def __reduce__(self) -> tuple:
        """Picklable, so an error raised in a worker process reaches the user intact."""
        return (ContentError, (self.problem.path, self.problem.line, self.problem.message))


class ContentErrors(SitegenError):
    """Every error found in one pass over the site."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(problems)

    def __reduce__(self) -> tuple:
        return (ContentErrors, (self.problems,))
