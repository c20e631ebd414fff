"""One family of errors: everything a user can cause is a ``SitegenError``.

``ContentError`` carries the file and line; ``ContentErrors`` carries all the
problems found in one pass so that an editor sees every one of them at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import click


class SitegenError(click.ClickException):
    """An error the user can fix; the CLI prints it and exits 1, no traceback."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content: an error or a warning, at ``path:line``."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class ContentError(SitegenError):
    """A single problem in one content file."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.problem = Problem(str(path), line, message)
        super().__init__(str(self.problem))

    def __reduce__(self) -> tuple:
        """Picklable, so an error raised in a worker process reaches the user intact."""
        return (ContentError, (self.problem.path, self.problem.line, self.problem.message))


class ContentErrors(SitegenError):
    """Every error found in one pass over the site."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} error{'s' if count != 1 else ''}: the site was not built")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple:
        return (ContentErrors, (self.problems,))
