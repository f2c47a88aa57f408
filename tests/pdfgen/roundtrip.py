"""One round trip: a generated book set in print (its PDF, or a text
extraction of its pages), imported by ``bookbuild import``."""

from __future__ import annotations

from pathlib import Path

from bookbuild.importer import import_book

from .layout import Layout
from .model import Book
from .textbook import text_extraction
from .typstbook import make_pdf

#: "pdf", or a text extraction: "wrapped" (printed lines, form feeds) or
#: "paragraphs" (a paragraph a line, nothing of the page).
STYLES = ("pdf", "wrapped", "paragraphs")


def import_printed(book: Book, layout: Layout, style: str, tmp: Path) -> Path:
    """The book directory ``bookbuild import`` makes of the printed book."""
    tmp.mkdir(parents=True, exist_ok=True)
    if style == "pdf":
        source = make_pdf(book, layout, tmp / "book.pdf")
    else:
        source = tmp / "book.txt"
        source.write_text(text_extraction(book, layout, style), encoding="utf-8")
    import_book(source, tmp / "out")
    return tmp / "out"
