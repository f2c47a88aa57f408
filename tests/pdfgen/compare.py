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
import re
from collections import Counter
from collections.abc import Callable
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
    flags: int = 0  # places import-report.md flags in the chapters
    flags_right: int = 0  # of them, places where the import is wrong
    wrong: int = 0  # places in the chapters where the import is wrong
    wrong_flagged: int = 0  # of them, flagged
    examples: list[str] = field(default_factory=list)

    def add(self, other: "Errors") -> None:
        for name in ("paragraphs", "notes", "headings", "paragraph_errors", "note_errors",
                     "heading_errors", "flags", "flags_right", "wrong", "wrong_flagged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples[:3]

    @property
    def per_100_paragraphs(self) -> float:
        return 100 * self.paragraph_errors / max(1, self.paragraphs)

    @property
    def per_100_notes(self) -> float:
        return 100 * self.note_errors / max(1, self.notes)

    @property
    def precision(self) -> float | None:
        """Of the places the report flags, the share where the import is wrong."""
        return self.flags_right / self.flags if self.flags else None

    @property
    def recall(self) -> float | None:
        """Of the places where the import is wrong, the share the report flags."""
        return self.wrong_flagged / self.wrong if self.wrong else None


def inline_text(nodes: list, note: Callable[[list], str],
                emph: Callable[[str], str] = str, quoted: Callable[[str], str] = str) -> str:
    """The text of Pandoc inlines, a note replaced by what ``note`` makes of
    its blocks; emphasis and quotations marked by ``emph`` and ``quoted``
    (the scorers that want them compared), other styling dropped."""
    def walk(inlines: list) -> str:
        out = []
        for node in inlines:
            t, c = node["t"], node.get("c")
            if t == "Str":
                out.append(c)
            elif t in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif t == "Emph":
                out.append(emph(walk(c)))
            elif t == "Note":
                out.append(note(c))
            elif t == "Quoted":
                out.append(quoted(walk(c[1])))
            elif t in ("Strong", "Superscript", "Subscript", "SmallCaps", "Strikeout",
                       "Underline"):
                out.append(walk(c))
            elif t in ("Span", "Link", "Image", "Cite"):
                out.append(walk(c[1]))
            elif t in ("Code", "Math", "RawInline"):
                out.append(c[1])
        return "".join(out)
    return walk(nodes)


def _inlines(inlines: list) -> str:
    return " ".join(inline_text(inlines, lambda blocks: "[^" + " ".join(
        _inlines(b["c"]) for b in blocks if b["t"] in ("Para", "Plain")) + "]",
        emph=lambda text: f"_{text}_", quoted=lambda text: f"“{text}”").split())


def body_files(book_dir: Path) -> list[tuple[str, bool]]:
    """The files book.yaml lists for the body, in order, each with whether it
    opens a part (a part's page: its title starts a file of the body); the
    title page, copyright page and back matter are typed and left out."""
    config = YAML(typ="safe").load((book_dir / "book.yaml").read_text(encoding="utf-8"))
    return [(entry, False) if isinstance(entry, str) else (entry["file"], True)
            for entry in config["chapters"]
            if isinstance(entry, str) or entry.get("type") == "part"]


def imported(book_dir: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each body chapter of the imported book: its file, and [(kind, comparable text)].
    The generated books have no parts: a file imported as one is missing here."""
    chapters = []
    for entry, part in body_files(book_dir):
        if part:
            continue
        doc = read_markdown((book_dir / entry).read_text(encoding="utf-8")).doc
        blocks = []
        for block in doc["blocks"]:
            if block["t"] == "Header":
                blocks.append(("h", _inlines(block["c"][2])))
            elif block["t"] in ("Para", "Plain"):
                blocks.append(("p", _inlines(block["c"])))
            else:
                blocks.append(("p", f"<{block['t']}>"))
        chapters.append((entry, blocks))
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


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def fingerprint(chapters: list[list[tuple[str, str]]]) -> dict:
    """The comparable form with every text replaced by a short hash: a truth
    that can be kept for a book whose words must not be copied."""
    return {"chapters": [{"blocks": [[kind, _hash(_key(kind, text)[1])] for kind, text in blocks],
                          "notes": sorted(_hash(f"{place}|{note}") for (place, note), n
                                          in _notes(blocks).items() for _ in range(n))}
                         for blocks in chapters]}


def _flagged(book_dir: Path) -> set[tuple[str, int]]:
    """The (file, block) of each place import-report.md flags in a chapter; a
    note's place is the paragraph that refers to it."""
    report = (book_dir / "import-report.md").read_text(encoding="utf-8")
    return {(file, _block_at(book_dir / file, int(line)))
            for file, line in re.findall(r"→ (manuscript/\S+\.md):(\d+):", report)}


def _block_at(path: Path, line: int) -> int:
    """Which of the blocks Pandoc reads from an imported chapter holds ``line``
    (a note's definition belongs to the block that refers to it)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[tuple[int, str]] = []  # (first line, text) of each blank-line block
    for number, text in enumerate(lines, start=1):
        if text.strip() and (number == 1 or not lines[number - 2].strip()) \
                and not text.startswith("    "):
            blocks.append((number, text))
    body = [(start, text) for start, text in blocks if not text.startswith("[^")]
    at = max((b for b in blocks if b[0] <= line), default=blocks[0])
    if m := re.match(r"\[\^(\d+)\]:", at[1]):
        at = next((b for b in body if f"[^{m.group(1)}]" in b[1]), body[-1])
    return body.index(at) if at in body else len(body) - 1


def _score(errors: Errors, want: list[tuple[str, str]], have: list[tuple[str, str]],
           want_notes: Counter, have_notes: Counter, file: str, flagged: set,
           texts: list[tuple[str, str]] | None) -> None:
    """Count the errors of one chapter and where they stand in its file."""
    matcher = difflib.SequenceMatcher(None, want, have, autojunk=False)
    matched = {i for a, _, size in matcher.get_matching_blocks() for i in range(a, a + size)}
    kept = {j for _, b, size in matcher.get_matching_blocks() for j in range(b, b + size)}
    for i, (kind, _) in enumerate(want):
        if kind == "p":
            errors.paragraphs += 1
            errors.paragraph_errors += i not in matched
        else:
            errors.headings += 1
            errors.heading_errors += i not in matched
        if i not in matched and texts is not None and len(errors.examples) < 5:
            close = difflib.get_close_matches(texts[i][1], [t for _, t in have], n=1, cutoff=0.3)
            errors.examples.append(f"{file}, block {i + 1}: "
                                   + _difference(texts[i][1], close[0] if close else ""))
    errors.notes += sum(want_notes.values())
    errors.note_errors += sum((want_notes - have_notes).values())
    wrong = {(file, j) for j in range(len(have)) if j not in kept}
    if not wrong and len(have) < len(want):  # a block lost: the place where it went missing
        wrong = {(file, len(have) - 1)}
    mine = {place for place in flagged if place[0] == file}
    errors.flags += len(mine)
    errors.flags_right += len(mine & wrong)
    errors.wrong += len(wrong)
    errors.wrong_flagged += len(wrong & mine)


def compare_fingerprints(want: dict, book_dir: Path) -> Errors:
    """Errors of an import against a hashed truth (see ``fingerprint``)."""
    errors = Errors()
    got = imported(book_dir)
    have = fingerprint([blocks for _, blocks in got])
    flagged = _flagged(book_dir)
    for n, chapter in enumerate(want["chapters"]):
        file = got[n][0] if n < len(got) else "(missing)"
        mine = have["chapters"][n] if n < len(got) else {"blocks": [], "notes": []}
        _score(errors, [tuple(b) for b in chapter["blocks"]], [tuple(b) for b in mine["blocks"]],
               Counter(chapter["notes"]), Counter(mine["notes"]), file, flagged, None)
    return errors


def compare(book: Book, book_dir: Path) -> Errors:
    """Errors of an import of a generated book against the book itself."""
    errors = Errors()
    expected, got = truth(book), imported(book_dir)
    if len(got) != len(expected):
        errors.examples.append(f"{len(got)} chapters imported, {len(expected)} printed")
    flagged = _flagged(book_dir)
    for n, want in enumerate(expected):
        file, have = got[n] if n < len(got) else ("(missing)", [])
        _score(errors, [_key(*b) for b in want], [_key(*b) for b in have], _notes(want),
               _notes(have), file, flagged, want)
    return errors
