"""What a build produced and what the checks said, as data for the CLI and for JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.epubcheck import CheckResult
from ..checks.notelinks import NotesReport
from ..errors import CHECK_FAILED, Problem


@dataclass(frozen=True)
class Artifact:
    format: str  # epub, later kindle-epub, azw3, ...
    path: Path
    size: int
    sha256: str
    check: CheckResult | None  # EPUBCheck; None when checks were not asked for
    notes: NotesReport | None  # note links; None for formats that are not EPUB
    pages: int | None = None  # printed pages, for the PDF
    spine: float | None = None  # the spine's width in mm, for the PDF's cover designer

    @property
    def written(self) -> bool:
        """False for a PDF that failed its print check: it is left out of the output."""
        return self.check is None or self.check.passed or self.check.checker != "pdf"

    @property
    def passed(self) -> bool:
        return (self.check is None or self.check.passed) and (self.notes is None or self.notes.passed)

    def to_dict(self) -> dict:
        return {"format": self.format, "path": str(self.path), "size": self.size,
                "sha256": self.sha256, "check": self.check.to_dict() if self.check else None,
                "notes": self.notes.to_dict() if self.notes else None,
                **({"pages": self.pages, "spine_mm": self.spine, "written": self.written}
                   if self.pages is not None else {})}


@dataclass(frozen=True)
class BuildReport:
    book: Path
    title: str
    chapters: int
    notes: int
    artifacts: tuple[Artifact, ...]
    warnings: tuple[Problem, ...] = ()  # what the build warns of
    accepted: tuple[Problem, ...] = ()  # warnings book.yaml accepts (``accept:``): not shown

    def artifact(self, fmt: str) -> Artifact:
        return next(a for a in self.artifacts if a.format == fmt)

    @property
    def exit_code(self) -> int:
        """0 built and every check passed; 1 built but a check failed."""
        return 0 if all(a.passed for a in self.artifacts) else CHECK_FAILED

    def to_dict(self) -> dict:
        return {"book": str(self.book), "title": self.title, "chapters": self.chapters,
                "notes": self.notes, "ok": self.exit_code == 0,
                "artifacts": [a.to_dict() for a in self.artifacts],
                "warnings": [w.to_dict() for w in self.warnings],
                "accepted": [w.to_dict() for w in self.accepted]}
