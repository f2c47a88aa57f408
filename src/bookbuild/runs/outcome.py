"""Why a command or a book stopped, as data, and one book's build attempt.

The CLI, catalogs and watch all turn an exception into a ``Failure`` here, so a
book fails the same way everywhere: same lines, same exit status, same JSON.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import bugs
from ..build import BuildOptions, build_book
from ..errors import BAD_INPUT, BUG, BookbuildError, Problem, shown, warning_lines
from ..output.report import BuildReport
from ..runtime import Runtime


@dataclass(frozen=True)
class Failure:
    """Problems in the input (exit 2) or a bug (exit 3), with the warnings the
    build found before it stopped."""

    problems: tuple[Problem, ...] = ()
    bug: bugs.Bug | None = None
    warnings: tuple[Problem, ...] = ()
    accepted: tuple[Problem, ...] = ()  # warnings book.yaml accepts: counted, not shown

    @classmethod
    def of(cls, exc: Exception) -> Failure:
        """A BookbuildError's problems and warnings; anything else is a bug, recorded now."""
        if isinstance(exc, BookbuildError):
            return cls(problems=exc.problems, warnings=exc.warnings, accepted=exc.accepted)
        return cls(bug=bugs.record(exc))

    @property
    def exit_code(self) -> int:
        return BUG if self.bug else BAD_INPUT

    def lines(self) -> list[str]:
        """One line per problem (the first hundred, then their count), or the
        one line of the bug: what a catalog or watch shows of a failed book."""
        return shown([f"error: {p}" for p in self.problems]) + \
            ([f"bug: {self.bug}"] if self.bug else [])

    def lines_with_warnings(self) -> list[str]:
        """The warnings as a finished build prints them, then :meth:`lines`:
        what ``bookbuild build`` prints of its one book."""
        return warning_lines(self.warnings, len(self.accepted)) + self.lines()

    def to_dict(self) -> dict:
        return {"ok": False, "exit_code": self.exit_code,
                "problems": [p.to_dict() for p in self.problems],
                "warnings": [w.to_dict() for w in self.warnings],
                "accepted": [w.to_dict() for w in self.accepted],
                "bug": self.bug.to_dict() if self.bug else None}


@dataclass(frozen=True)
class BookOutcome:
    """One book: its report, or the failure that stopped its build."""

    book: Path
    report: BuildReport | None
    failure: Failure | None
    seconds: float

    @property
    def exit_code(self) -> int:
        return self.failure.exit_code if self.failure else self.report.exit_code

    def to_dict(self) -> dict:
        if self.failure:
            data = {"book": str(self.book), **self.failure.to_dict(), "artifacts": []}
        else:
            data = {**self.report.to_dict(), "exit_code": self.exit_code, "problems": [],
                    "bug": None}
        return {**data, "seconds": round(self.seconds, 3)}


def attempt(book: Path, options: BuildOptions, runtime: Runtime | None = None) -> BookOutcome:
    """Build one book without raising, so the caller goes on with the other
    books or with watching (KeyboardInterrupt still stops it)."""
    start = time.perf_counter()
    try:
        report = build_book(book, options, runtime)
    except Exception as exc:
        return BookOutcome(book, None, Failure.of(exc), time.perf_counter() - start)
    return BookOutcome(book, report, None, time.perf_counter() - start)
