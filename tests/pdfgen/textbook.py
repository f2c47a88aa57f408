"""A generated book as a text extraction of its print pages, in any layout.

The pages are made here, independently of the Typst PDF: lines wrapped at a
width with hyphenation (pyphen, as a typesetter breaks words), notes at the
foot of the page where their reference fell (a long note runs over to the
next page), numbered per chapter, per page or through the book, running
heads and page numbers. Then the pages are written as an extraction would:
``wrapped`` keeps the printed lines and marks pages with form feeds (as
pdftotext does); ``paragraphs`` puts each paragraph's piece of a page on one
line, as the seed extraction does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyphen

from .layout import Layout
from .model import Book, Heading, Paragraph

SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SYMBOLS = "*†‡§"
SOFT = "\u00ad"  # the typesetter's hyphen, until the page is written out
INDENT = "\x01"  # a paragraph's first-line indent, until the page is written out
WIDTH = 64
PAGE_LINES = 34


@dataclass
class _Page:
    body: list[tuple[str, str]] = field(default_factory=list)  # (kind, line); kind p/h/end
    notes: list[list[str]] = field(default_factory=list)  # each note's lines, label included
    chapter: str = ""
    first: bool = False  # a chapter starts here


def _marker(n: int) -> str:
    return SYMBOLS[(n - 1) % 4] * ((n - 1) // 4 + 1)


class _Setter:
    def __init__(self, book: Book, layout: Layout) -> None:
        self.layout = layout
        self.hyphen = pyphen.Pyphen(lang={"en": "en_GB", "de": "de_DE", "fr": "fr_FR"}[book.language])
        self.pages: list[_Page] = []
        self.carry: list[list[str]] = []  # notes (or a note's rest) held over to the next page
        self.after_heading = False  # a paragraph right after a heading is not indented
        self.count = 0  # notes numbered so far (chapter, page or book)

    # words -------------------------------------------------------------
    def _wrap(self, words: list[str], width: int = WIDTH) -> list[str]:
        lines, line = [], ""
        for word in words:
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                room = width - len(line) - 2
                split = None
                if "-" in word[:room + 1] and word.index("-") < room:
                    k = word.rindex("-", 0, room + 1)
                    split = (word[:k + 1], word[k + 1:])
                elif word.isalpha() or word[:-1].isalpha():
                    cuts = [p for p in self.hyphen.positions(word) if p <= room and p >= 2
                            and len(word) - p >= 2]
                    if cuts:
                        split = (word[:max(cuts)] + SOFT, word[max(cuts):])
                if split:
                    lines.append(f"{line} {split[0]}")
                    line = split[1]
                else:
                    lines.append(line)
                    line = word
        if line:
            lines.append(line)
        return lines

    # pages -------------------------------------------------------------
    def _page(self) -> _Page:
        return self.pages[-1]

    def _used(self) -> int:
        page = self._page()
        notes = sum(len(n) for n in page.notes)
        return len(page.body) + notes + (1 if page.notes else 0)

    def _new_page(self, chapter: str, first: bool = False) -> None:
        self.pages.append(_Page(chapter=chapter, first=first))
        if self.layout.numbering == "page":
            self.count = 0
        held, self.carry = self.carry, []
        for note in held:
            self._add_note(note)

    def _add_note(self, note_lines: list[str]) -> None:
        """Under the page's text, as much as fits (at least a line); the rest,
        and every note after it, goes over to the next page."""
        room = PAGE_LINES - self._used() - 1
        if self.carry:
            self.carry.append(note_lines)
        elif len(note_lines) <= room:
            self._page().notes.append(note_lines)
        else:
            cut = max(1, room)
            self._page().notes.append(note_lines[:cut])
            self.carry = [note_lines[cut:]]

    def chapter(self, title: str) -> None:
        while self.carry:  # a chapter's notes end before the next chapter begins
            self._new_page(self._page().chapter)
        if self.layout.numbering == "chapter":
            self.count = 0
        self._new_page(title, first=True)
        self._page().body.append(("h1", title))
        self.after_heading = True

    def heading(self, text: str) -> None:
        if self._used() + 3 > PAGE_LINES:
            self._new_page(self._page().chapter)
        self._page().body.append(("h", text.upper()))
        self.after_heading = True

    def paragraph(self, paragraph: Paragraph, render) -> None:
        # Words with note placeholders; a placeholder becomes its marker once
        # the page (and so the number) is known. Notes side by side are
        # parted by a comma, as Chicago's style sets them ("²,³").
        notes: dict[str, tuple] = {}
        text = ""
        for kind, value in paragraph.segments:
            if kind == "n":
                key = f"\0{len(notes)}\0"
                text += ("," if text.endswith(tuple(notes)) else "") + key
                notes[key] = value
            else:
                text += render(kind, value)
        lines = self._wrap(text.split())
        for k, line in enumerate(lines):
            keys = [key for key in notes if key in line]
            if self._used() + 1 + sum(2 for _ in keys) > PAGE_LINES:
                self._new_page(self._page().chapter)
            for key in keys:
                self.count += 1
                label = self.count
                marker = {"superscript": str(label).translate(SUPER), "bracket": f"[{label}]",
                          "symbol": _marker(label)}[self.layout.marker]
                line = line.replace(key, marker)
                body = "".join(render(kind, value) for kind, value in notes[key]).split()
                text = {"raised": str(label).translate(SUPER), "plain": str(label),
                        "dot": f"{label}.", "bracket": f"[{label}]"}[self.layout.label]
                if self.layout.marker == "symbol":
                    text = _marker(label)
                self._add_note(self._wrap([text] + body))
            if k == 0 and not self.after_heading:
                line = INDENT + line
            self._page().body.append(("p" if k < len(lines) - 1 else "end", line))
        self.after_heading = False


def _render(kind: str, value: str) -> str:
    if kind == "i":
        lead = " " if value.startswith(" ") else ""
        tail = " " if value.endswith(" ") else ""
        return f"{lead}*{value.strip()}*{tail}"
    return value


def _set(book: Book, layout: Layout) -> _Setter:
    setter = _Setter(book, layout)
    for chapter in book.chapters:
        setter.chapter(chapter.title)
        for block in chapter.blocks:
            if isinstance(block, Heading):
                setter.heading(block.text)
            else:
                setter.paragraph(block, _render)
    return setter


def _front(book: Book) -> list[str]:
    f = book.front
    out = [f.title.upper(), "", *f.lines_title, "", f.publisher, "", "", *f.lines_copyright, "", "",
           f.contents, ""]
    return out


def text_extraction(book: Book, layout: Layout, style: str = "wrapped") -> str:
    """The book as an extraction: ``wrapped`` (printed lines, form feeds) or
    ``paragraphs`` (a paragraph's piece of a page on one line)."""
    setter = _set(book, layout)
    first_page = 5
    contents = []
    page_of: dict[str, int] = {}
    for n, page in enumerate(setter.pages, start=first_page):
        if page.first:
            page_of.setdefault(page.chapter, n)
    for chapter in book.chapters:
        contents.append(f"{chapter.title}\t{page_of[chapter.title]}")
    front = _front(book) + contents + [""]
    out_pages = []
    for n, page in enumerate(setter.pages, start=first_page):
        lines: list[str] = []
        if layout.running_heads and not page.first:
            head = book.front.title if style == "paragraphs" or n % 2 == 0 else page.chapter
            lines += [head, ""]
        if style == "wrapped":
            for kind, line in page.body:
                lines.append(line.replace(SOFT, "-").replace(INDENT, "   "))
                if kind in ("h1", "h", "end"):
                    lines.append("")
            if page.notes:
                lines += ["", "____", ""]
                for note in page.notes:
                    lines += [line.replace(SOFT, "-") for line in note]
        else:
            piece: list[str] = []
            for kind, line in page.body:
                if kind in ("h1", "h"):
                    lines += [line, ""]
                    continue
                piece.append(line.replace(INDENT, ""))
                if kind == "end":
                    lines += [_unwrap(piece), ""]
                    piece = []
            if piece:
                lines += [_unwrap(piece), ""]
            for note in page.notes:
                lines += [_unwrap(note), ""]
        if layout.page_numbers:
            lines += ["", str(n)]
        out_pages.append("\n".join(lines).strip("\n") + "\n")
    f = book.front
    back = ["", *f.colophon, "", f.title.upper(), ""]
    sep = "\f" if style == "wrapped" else "\n"
    return "\n".join(front) + sep + sep.join(out_pages) + sep + "\n".join(back)


def _unwrap(lines: list[str]) -> str:
    """The lines of one page's piece of a paragraph as one line: a word the
    typesetter broke at a line end is whole again, a compound keeps its own
    hyphen; a break at the piece's end (the page end) stays as printed."""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith(SOFT):
            out = out[:-1] + line
        elif out.endswith("-"):
            out += line
        else:
            out = f"{out} {line}"
    return out.replace(SOFT, "-")
