"""One exception family for everything a user can fix, and the exit statuses.

The library raises these and knows nothing of click. Anything else raised is a
bug in bookbuild (see :mod:`bookbuild.bugs`). The statuses live here because
the CLI, catalog outcomes and their JSON must agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .codes import WARNING, code as registered

CHECK_FAILED = 1  # built, but EPUBCheck or the note links found something
BAD_INPUT = 2  # a BookbuildError: the user can fix it
BUG = 3  # any other exception
INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


#: Problems (or check messages) printed one per line before the rest are counted.
SHOWN = 100


def shown(lines: list[str]) -> list[str]:
    """The first :data:`SHOWN` of ``lines`` and a count of the rest: 200,000
    lines are a list nobody reads (``--json`` keeps every one)."""
    if len(lines) <= SHOWN:
        return lines
    return lines[:SHOWN] + [f"... and {len(lines) - SHOWN:,} more (--json lists them all)"]


def warning_lines(warnings: tuple[Problem, ...], accepted: int) -> list[str]:
    """The warnings as printed, whether the build ended or stopped, and how
    many book.yaml accepts (those are counted, not shown)."""
    return [f"warning: {w}" for w in shown([str(w) for w in warnings])] + (
        [f"{accepted} warning{'s' if accepted != 1 else ''} accepted (accept: in book.yaml)"]
        if accepted else [])


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input (an error or a warning, as its code says),
    located as precisely as we know."""

    message: str
    file: Path | None = None
    line: int | None = None
    code: str = field(kw_only=True)  # a name in bookbuild.codes: stable, unlike the message

    def __post_init__(self) -> None:
        registered(self.code)

    @property
    def is_warning(self) -> bool:
        return registered(self.code).severity == WARNING

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message} [{self.code}]"

    def to_dict(self) -> dict:
        return {"code": self.code, "file": str(self.file) if self.file else None,
                "line": self.line, "message": self.message}


class BookbuildError(Exception):
    """A problem with the user's input or environment, never a bug. Its code is
    given where it is raised, or is the class's own when the class is one kind."""

    code: str | None = None
    #: What the build warned of before this error stopped it (``with_warnings``),
    #: reported with the error; those book.yaml accepts apart, as a report keeps them.
    warnings: tuple[Problem, ...] = ()
    accepted: tuple[Problem, ...] = ()

    def __init__(self, message: str, file: Path | None = None, line: int | None = None, *,
                 code: str | None = None):
        code = code or self.code
        if code is None:
            raise TypeError(f"{type(self).__name__} needs a code")
        self.problems: tuple[Problem, ...] = (Problem(message, file, line, code=code),)
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> BookbuildError:
        """Report every problem at once, so users fix a file in one pass."""
        err = cls(problems[0].message, problems[0].file, problems[0].line, code=problems[0].code)
        err.problems = tuple(problems)
        err.args = ("\n".join(str(p) for p in problems),)
        return err

    def with_warnings(self, warnings: tuple[Problem, ...],
                      accepted: tuple[Problem, ...]) -> BookbuildError:
        """This error, carrying the warnings found before it, so that a failed
        build reports every problem it knows of, not only its errors."""
        self.warnings, self.accepted = warnings, accepted
        return self


class ConfigError(BookbuildError):
    """book.yaml is missing, malformed or names something that is not there."""


class ManuscriptError(BookbuildError):
    """A chapter file cannot be read or its content cannot be converted."""


class NoteError(BookbuildError):
    """A note reference or definition is broken in the source."""


class LinkError(BookbuildError):
    """A link leads to a place in the book that does not exist."""


class ToolMissingError(BookbuildError):
    """A program bookbuild needs (Java, Calibre) is not installed."""

    code = "tool-missing"
