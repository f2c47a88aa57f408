"""Compare an imported book with the truth it was made from.

The imported Markdown is read by Pandoc (the one reader of Markdown), and
every paragraph, heading and note is turned into the same comparable string
as the truth: words, _italics_, and [^note text] where the reference stands.
So a note in the wrong place, a lost italic, a paragraph split or joined, a
running head left in the text: each is an error, counted per 100 paragraphs
and per 100 notes.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from bookbuild.pandoc import read_markdown

from .model import Book, Heading, Paragraph, canon


@dataclass
class Errors:
    paragraphs: int = 0  # truth paragraphs
    notes: int = 0  # truth notes
    headings: int = 0  # truth headings (chapter titles included)
    paragraph_errors: int = 0
    note_errors: int = 0
    heading_errors: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: "Errors") -> None:
        for name in ("paragraphs", "notes", "headings", "paragraph_errors", "note_errors",
                     "heading_errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples[:3]

    @property
    def per_100_paragraphs(self) -> float:
        return 100 * self.paragraph_errors / max(1, self.paragraphs)

    @property
    def per_100_notes(self) -> float:
        return 100 * self.note_errors / max(1, self.notes)


def _inlines(inlines: list) -> str:
    out = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Emph":
            out.append(f"_{_inlines(c)}_")
        elif t == "Note":
            out.append("[^" + " ".join(_inlines(b["c"]) for b in c if b["t"] in ("Para", "Plain"))
                       + "]")
        elif t == "Quoted":
            out.append(f"“{_inlines(c[1])}”")
        elif t in ("Strong", "Superscript", "Subscript", "SmallCaps", "Strikeout", "Underline"):
            out.append(_inlines(c))
        elif t in ("Span", "Link"):
            out.append(_inlines(c[1]))
        elif t in ("Code", "Math", "RawInline"):
            out.append(c[1])
    return " ".join("".join(out).split())


def imported(book_dir: Path) -> list[list[tuple[str, str]]]:
    """Each body chapter of the imported book as [(kind, comparable text)]."""
    config = YAML(typ="safe").load((book_dir / "book.yaml").read_text(encoding="utf-8"))
    chapters = []
    for entry in config["chapters"]:
        if not isinstance(entry, str):
            continue  # title page, copyright page, back matter
        doc = read_markdown((book_dir / entry).read_text(encoding="utf-8")).doc
        blocks = []
        for block in doc["blocks"]:
            if block["t"] == "Header":
                blocks.append(("h", _inlines(block["c"][2])))
            elif block["t"] in ("Para", "Plain"):
                blocks.append(("p", _inlines(block["c"])))
            else:
                blocks.append(("p", f"<{block['t']}>"))
        chapters.append(blocks)
    return chapters


def truth(book: Book) -> list[list[tuple[str, str]]]:
    out = []
    for chapter in book.chapters:
        blocks = [("h", chapter.title)]
        for block in chapter.blocks:
            if isinstance(block, Heading):
                blocks.append(("h", block.text))
            else:
                assert isinstance(block, Paragraph)
                blocks.append(("p", canon(block.segments)))
        out.append(blocks)
    return out


def _notes(blocks: list[tuple[str, str]]) -> Counter:
    """Each note with the words just before its reference: its text and its place."""
    found = Counter()
    for kind, text in blocks:
        depth, start, before = 0, 0, []
        i = 0
        while i < len(text):
            if text.startswith("[^", i) and depth == 0:
                depth, start = 1, i + 2
                i += 2
                continue
            if depth and text[i] == "[":
                depth += 1
            elif depth and text[i] == "]":
                depth -= 1
                if depth == 0:
                    place = " ".join("".join(before).split()[-4:])
                    found[(place, text[start:i])] += 1
            elif not depth:
                before.append(text[i])
            i += 1
    return found


def _difference(want: str, got: str) -> str:
    at = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"want …{want[max(0, at - 60):at + 60]!r}\n    got …{got[max(0, at - 60):at + 60]!r}"


def _key(kind: str, text: str) -> tuple[str, str]:
    return (kind, text.casefold() if kind == "h" else text)


def fingerprint(chapters: list[list[tuple[str, str]]]) -> dict:
    """The comparable form with every text replaced by a short hash: a truth
    that can be kept for a book whose words must not be copied."""
    def h(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return {"chapters": [{"blocks": [[kind, h(_key(kind, text)[1])] for kind, text in blocks],
                          "notes": sorted(h(f"{place}|{note}") for (place, note), n
                                          in _notes(blocks).items() for _ in range(n))}
                         for blocks in chapters]}


def compare_fingerprints(want: dict, have: dict) -> Errors:
    """Errors of an import against a hashed truth (see ``fingerprint``)."""
    errors = Errors()
    for n, chapter in enumerate(want["chapters"]):
        got = have["chapters"][n] if n < len(have["chapters"]) else {"blocks": [], "notes": []}
        wanted = [tuple(b) for b in chapter["blocks"]]
        matcher = difflib.SequenceMatcher(None, wanted, [tuple(b) for b in got["blocks"]],
                                          autojunk=False)
        matched = {i for a, _, size in matcher.get_matching_blocks() for i in range(a, a + size)}
        for i, (kind, _) in enumerate(wanted):
            if kind == "p":
                errors.paragraphs += 1
                errors.paragraph_errors += i not in matched
            else:
                errors.headings += 1
                errors.heading_errors += i not in matched
            if i not in matched:
                errors.examples.append(f"chapter {n + 1}, block {i + 1} differs")
        errors.notes += len(chapter["notes"])
        errors.note_errors += sum((Counter(chapter["notes"]) - Counter(got["notes"])).values())
    return errors


def compare(book: Book, book_dir: Path) -> Errors:
    errors = Errors()
    expected, got = truth(book), imported(book_dir)
    if len(got) != len(expected):
        errors.examples.append(f"{len(got)} chapters imported, {len(expected)} printed")
    for n, want in enumerate(expected):
        have = got[n] if n < len(got) else []
        errors.paragraphs += sum(1 for k, _ in want if k == "p")
        errors.headings += sum(1 for k, _ in want if k == "h")
        wanted_keys = [_key(*b) for b in want]
        have_keys = [_key(*b) for b in have]
        matcher = difflib.SequenceMatcher(None, wanted_keys, have_keys, autojunk=False)
        matched = {i for a, b, size in matcher.get_matching_blocks() for i in range(a, a + size)}
        for i, (kind, text) in enumerate(want):
            if i in matched:
                continue
            if kind == "p":
                errors.paragraph_errors += 1
            else:
                errors.heading_errors += 1
            if len(errors.examples) < 5:
                close = difflib.get_close_matches(text, [t for _, t in have], n=1, cutoff=0.3)
                errors.examples.append(f"chapter {n + 1}, block {i + 1}: " + _difference(
                    text, close[0] if close else ""))
        want_notes, have_notes = _notes(want), _notes(have)
        errors.notes += sum(want_notes.values())
        errors.note_errors += sum((want_notes - have_notes).values())
    return errors
