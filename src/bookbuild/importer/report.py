"""import-report.md: what the importer found, and every place a person must check.

Each flag names the source line, the output file and line, what was decided
and how sure the importer is of it (a confidence from 0 to 1). A place the
evidence settles is not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .inline import plain
from .source import PAGE_LINES, Doubt, page_of

if TYPE_CHECKING:
    from . import ImportResult


@dataclass(frozen=True)
class Flag:
    source_line: int
    file: str | None  # in the book directory
    line: int | None  # in that file
    message: str
    confidence: float


def flags(result: ImportResult) -> list[Flag]:
    """Every doubt of the import, placed in the output."""
    out = [Flag(line, "book.yaml", None, why, 0.5) for line, why in result.front.doubts]
    out += [Flag(e.line, None, None, f"contents entry {e.title!r} has no heading in the text; "
                 "its text stays in the chapter before", 0.3) for e in result.missing_chapters]
    chapters = sorted(result.chapters, key=lambda c: c.line)
    for doubt in result.source.doubts:
        owner = next((c for c in reversed(chapters) if c.line <= doubt.line), None)
        if owner is not None:
            out.append(_placed(result, owner, doubt))
        else:
            out.append(Flag(doubt.line, None, None, doubt.message, doubt.confidence))
    for chapter in result.chapters:
        out += [_placed(result, chapter, d) for d in chapter.doubts]
    return sorted(out, key=lambda f: f.source_line)


def _placed(result: ImportResult, chapter, doubt: Doubt) -> Flag:
    path = result.file_of(chapter)
    written = result.files[path]
    target = doubt.target
    if target is None:  # the block that holds the source line
        candidates = [b for b in chapter.blocks + chapter.notes if b.line <= doubt.line]
        target = max(candidates, key=lambda b: b.line, default=None)
    return Flag(doubt.line, path, written.line_of(target) or 1, doubt.message, doubt.confidence)


def _place(number: int, paged: bool) -> str:
    return f"p. {page_of(number)} l. {number % PAGE_LINES}" if paged else str(number)


def report_markdown(result: ImportResult, source: Path) -> str:
    front = result.front
    out = [f"# Import report: {front.title}", "",
           f"Source: `{source.name}`. Source places below are its "
           + ("pages and lines" if result.source.paged else "lines")
           + "; output places are files and lines in this directory.", "",
           f"Running heads and page numbers taken out: {result.source.furniture}. "
           f"Note markers: {result.source.markers}.", ""]
    out += [*result.source.caveats, ""] if result.source.caveats else []
    out += [f"Parts and chapters from: {result.evidence}.", ""]
    out += ["## Book", ""]
    people = "; ".join(f"{p.name} ({', '.join(p.roles)})" for p in front.people) or "none found"
    for label, value in (("Title", front.title), ("Subtitle", front.subtitle),
                         ("Contributors", people), ("Publisher", front.publisher),
                         ("Print ISBN (source)", front.source_isbn), ("Rights", front.rights)):
        out.append(f"- {label}: {value or '—'}")
    if front.print_only:
        out.append(f"- Left out of the copyright page as print-only: source "
                   f"{', '.join(str(ln.number) for ln in front.print_only)}")
    out += ["", "## Chapters", "",
            "| # | chapter | file | source | references | notes | rejoined paragraphs |",
            "|---|---|---|---|---|---|---|"]
    for n, c in enumerate(result.chapters, start=1):
        out.append(f"| {n} | {plain(c.title).replace('|', '/')} | {result.file_of(c)} "
                   f"| {_place(c.line, result.source.paged)} "
                   f"| {len(c.references)} | {len(c.notes)} | {c.joins} |")
    found = flags(result)
    out += ["", "## To check", ""]
    if not found:
        out.append("Nothing: every reference found its note and every join was certain.")
    out += [f"- source {_place(f.source_line, result.source.paged)} → {f.file or '—'}"
            f"{f':{f.line}' if f.line else ''}: {f.message} (confidence {f.confidence:.1f})"
            for f in found]
    return "\n".join(out) + "\n"
