"""One exception family for everything a user can fix, and the exit statuses.

The library raises these and knows nothing of click. Anything else raised is a
bug in bookbuild (see :mod:`bookbuild.bugs`). The statuses live here because
the CLI, catalog outcomes and their JSON must agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message

    def to_dict(self) -> dict:
        return {"file": str(self.file) if self.file else None, "line": self.line,
                "message": self.message}


class BookbuildError(Exception):
    """A problem with the user's input or environment, never a bug."""

    def __init__(self, message: str, file: Path | None = None, line: int | None = None):
        self.problems: tuple[Problem, ...] = (Problem(message, file, line),)
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> BookbuildError:
        """Report every problem at once, so users fix a file in one pass."""
        err = cls(problems[0].message, problems[0].file, problems[0].line)
        err.problems = tuple(problems)
        err.args = ("\n".join(str(p) for p in problems),)
        return err


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
