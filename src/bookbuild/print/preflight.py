"""What a printer's preflight checks, on the PDF as PDFium reads it (``layout``):
pages, every chapter title and note where it belongs, nothing outside the
text block, every font embedded. Reported like EPUBCheck's messages, so
``--json`` and the exit status treat both alike; images under print resolution
are warnings of the build, not failures."""

from __future__ import annotations

from collections import Counter

from ..chapters.convert import ConvertedChapter
from ..checks.epubcheck import CheckMessage, CheckResult
from ..errors import Problem
from .layout import PRINT_DPI, Layout, normal

CHECKER = "pdf"


def preflight(layout: Layout, chapters: tuple[ConvertedChapter, ...], parts: list[dict],
              footnotes: bool) -> CheckResult:
    messages = []

    def error(code: str, message: str, page: str | None = None) -> None:
        messages.append(CheckMessage(code, "ERROR", message, f"page {page}" if page else None))

    if not layout.pages:
        error("PDF-001", "the PDF has no pages")
    for name, embedded in layout.fonts:
        if not embedded:
            error("PDF-002", f"font {name} is not embedded")
    for page in layout.pages:
        if page.strays:
            error("PDF-003", f"{page.strays} characters outside the text block", page.label)
    opening = {p["index"]: p["page"] - 1 for p in parts if p["kind"] == "chapter"}
    for index, conv in enumerate(chapters):
        if not conv.headings:
            continue  # nothing to print as its title (the conversion warned)
        title = [normal(w) for w in conv.headings[0].text.split() if normal(w)]
        printed = [normal(w.text) for w in layout.words if w.page == opening.get(index)]
        if not _contains(printed, title):
            error("PDF-004", f"the title of {conv.chapter.source.name} ({conv.headings[0].text}) "
                             "is not on its opening page")
    references = sum(len(n.ref_ids) for c in chapters for n in c.notes)
    printed_refs = sum(len(p.references) for p in layout.pages)
    if printed_refs != references:
        error("PDF-005", f"{printed_refs} note references printed, {references} in the book")
    if footnotes:
        notes = sum(len(c.notes) for c in chapters)
        entries = sum(len(p.notes) for p in layout.pages)
        if entries != notes:
            error("PDF-006", f"{entries} footnotes printed, {notes} in the book")
        for page in layout.pages:
            missing = sorted(set(page.references) - set(page.notes), key=int)
            if missing:
                error("PDF-007", f"note {', '.join(missing)} is not at the foot of the page "
                                 "of its reference", page.label)
    return CheckResult(fatal=0, error=len(messages), warning=0, messages=tuple(messages),
                       checker=CHECKER, scope="whole book")


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def low_resolution(layout: Layout) -> tuple[Problem, ...]:
    """A warning for each image printed under the resolution printers ask for."""
    found = Counter((page.label, dpi) for page in layout.pages for dpi in page.images_dpi
                    if dpi < PRINT_DPI)
    return tuple(Problem(f"print edition, page {label}: an image prints at {dpi} dpi, under "
                         f"{PRINT_DPI} (give a larger image or print it smaller)",
                         code="image-low-resolution")
                 for (label, dpi) in found)
