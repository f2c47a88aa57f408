"""import-report.md: what the importer found, and the few places a person must check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import ImportResult


def report_markdown(result: ImportResult, source: Path, line_count: int) -> str:
    front = result.front
    out = [f"# Import report: {front.title}", "",
           f"Source: `{source.name}` ({line_count} lines). Line numbers below are the "
           "source's.", "", "## Book", ""]
    people = "; ".join(f"{p.name} ({', '.join(p.roles)})" for p in front.people) or "none found"
    for label, value in (("Title", front.title), ("Subtitle", front.subtitle),
                         ("Contributors", people), ("Publisher", front.publisher),
                         ("Print ISBN (source)", front.source_isbn), ("Rights", front.rights)):
        out.append(f"- {label}: {value or '—'}")
    out += ["", "## Chapters", "",
            "| # | chapter | line | references | notes | rejoined paragraphs | to check |",
            "|---|---|---|---|---|---|---|"]
    for n, c in enumerate(result.chapters, start=1):
        out.append(f"| {n} | {c.title.replace('|', '/')} | {c.line} | {len(c.references)} "
                   f"| {len(c.notes)} | {c.joins} | {len(c.doubts)} |")
    out += ["", "## To check", ""]
    if not result.doubts:
        out.append("Nothing: every reference found its note and every join was certain.")
    for line, why in front.doubts:
        out.append(f"- Front matter, line {line}: {why}")
    for entry in result.missing_chapters:
        out.append(f"- Contents, line {entry.line}: no heading found for {entry.title!r}; "
                   "its text stays in the chapter before")
    for c in result.chapters:
        if c.doubts:
            out += ["", f"### {c.title}", ""]
            out += [f"- line {line}: {why}" for line, why in c.doubts]
    return "\n".join(out) + "\n"
