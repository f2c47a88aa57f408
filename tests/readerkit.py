"""What the reader tests know of a book file (the oracle, read with lxml from the
file itself) and a driver for bookbuild's reader page in headless Chromium."""

from __future__ import annotations

import io
import posixpath
import random
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag

from lxml import etree
from PIL import Image

from bookbuild.preview.page import ReaderPage
from bookbuild.checks.notelinks import note_of, spine_and_documents, is_reference
from bookbuild.epub.reader import EpubPackage, read_package

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _target(doc: str, href: str) -> tuple[str, str]:
    path, fragment = urldefrag(href)
    return (posixpath.normpath(posixpath.join(posixpath.dirname(doc), unquote(path)))
            if path else doc), unquote(fragment)


@dataclass(frozen=True)
class NoteRef:
    """A note reference and what a reader must show for it."""

    doc: str
    id: str
    number: str
    note_doc: str
    note_id: str
    note_text: str


@dataclass(frozen=True)
class Entry:
    label: str
    doc: str
    id: str  # "" for a whole document


@dataclass
class Book:
    """A book file as the reader tests see it."""

    path: Path
    spine: list[str]
    docs: dict[str, etree._Element]
    package: EpubPackage

    @classmethod
    def open(cls, path: Path) -> Book:
        with zipfile.ZipFile(path) as zf:
            spine, docs = spine_and_documents(zf)
            book = cls(path, spine, docs, read_package(zf))
            book._files = {n: zf.read(n) for n in zf.namelist()}
        return book

    def note_refs(self) -> list[NoteRef]:
        ids = {(d, el.get("id")): el for d, root in self.docs.items() for el in root.iter()
               if isinstance(el.tag, str) and el.get("id")}
        refs = []
        for doc in self.spine:
            for a in self.docs[doc].iter(f"{XHTML}a"):
                if not is_reference(a):
                    continue
                note_doc, note_id = _target(doc, a.get("href"))
                note = note_of(ids[(note_doc, note_id)])
                refs.append(NoteRef(doc, a.get("id"), _text(a), note_doc, note.get("id"), _text(note)))
        return refs

    def note_refs_by_kind(self) -> dict[str, NoteRef]:
        """One note reference of each structural kind this file has, read from
        its markup: a reader that shows these shows the rest, which differ from
        them only in their words and place (the kind's first, or for "last"
        the book's last reference)."""
        refs = self.note_refs()
        ids = {(d, el.get("id")): el for d, root in self.docs.items() for el in root.iter()
               if isinstance(el.tag, str) and el.get("id")}
        per_doc: dict[str, list[NoteRef]] = {}
        for ref in refs:
            per_doc.setdefault(ref.doc, []).append(ref)
        kinds: dict[str, NoteRef] = {}
        seen: set[tuple[str, str]] = set()
        for ref in refs:
            a = ids[(ref.doc, ref.id)]
            tags = {el.tag.removeprefix(XHTML) for el in a.iterancestors() if isinstance(el.tag, str)}
            note = ids[(ref.note_doc, ref.note_id)]
            found = {
                "first in its document": ref is per_doc[ref.doc][0],
                "last in its document": ref is per_doc[ref.doc][-1],
                "middle of its document": ref is per_doc[ref.doc][len(per_doc[ref.doc]) // 2],
                "in a list": "li" in tags,
                "in a block quote": "blockquote" in tags,
                "in a table": "td" in tags or "th" in tags,
                "a note referenced again": (ref.note_doc, ref.note_id) in seen,
                "a note of several paragraphs": len(note.findall(f".//{XHTML}p")) > 1,
            }
            for kind, yes in found.items():
                if yes:
                    kinds.setdefault(kind, ref)
            seen.add((ref.note_doc, ref.note_id))
        if refs:
            kinds["last"] = refs[-1]
        return kinds

    def nav(self, kind: str) -> list[Entry]:
        """Entries of the nav document's ``toc`` or ``page-list``, else the NCX's."""
        nav = self.package.nav and self.package.nav.path
        entries = []
        if nav:
            root = etree.fromstring(self._files[nav])
            for el in root.iter(f"{XHTML}nav"):
                if kind in (el.get(OPS_TYPE) or "").split():
                    for a in el.iter(f"{XHTML}a"):
                        entries.append(Entry(_text(a), *_target(nav, a.get("href"))))
            return entries
        ncx = self.package.ncx.path
        root = etree.fromstring(self._files[ncx])
        tag = "navPoint" if kind == "toc" else "pageTarget"
        for point in root.iter(f"{{*}}{tag}"):
            label = _text(point.find("{*}navLabel"))
            entries.append(Entry(label, *_target(ncx, point.find("{*}content").get("src"))))
        return entries

    def cover_size(self) -> tuple[int, int]:
        """The pixel size of the cover image the OPF declares."""
        with Image.open(io.BytesIO(self._files[self.package.cover_image.path])) as image:
            return image.size


class Reader(ReaderPage):
    """The reader page with what only the tests ask of it."""

    def focused(self) -> dict | None:
        return self.js("() => bb.focused()")

    def wait_focus(self, id: str) -> None:
        """Wait until the element with ``id`` holds the keyboard focus."""
        try:
            self.page.wait_for_function("([i]) => bb.focused()?.id === i", arg=[id],
                                        timeout=self.timeout, polling=50)
        except Exception:
            raise AssertionError(f"focus is on {self.focused()}, not #{id}") from None


def write_big_book(root: Path, chapters: int = 30, seed: int = 12) -> int:
    """A generated book of ``chapters`` chapters with several hundred notes:
    sub-headings, print page markers, multi-paragraph notes, a note referenced
    twice, notes in lists, quotations and tables. Returns the number of notes."""
    rng = random.Random(seed)
    words = ("margin gloss reader scribe page ink note column printer text comment "
             "binding folio quire rubric index line letter edition copy").split()

    def sentence() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))).capitalize() + "."

    (root / "manuscript").mkdir(parents=True)
    total = page = 0
    for c in range(1, chapters + 1):
        notes = rng.randint(8, 14)
        total += notes
        parts = [f"# Chapter {c}: the {rng.choice(words)}\n"]
        for n in range(1, notes + 1):
            if n in (notes // 2, notes - 1):
                parts.append(f"## Part {n} of chapter {c}\n")
            if n % 4 == 0:
                page += 1
                parts.append(f"[]{{page={page}}}{sentence()}")
            body = " ".join(sentence() for _ in range(rng.randint(1, 4)))
            ref = f"[^n{n}]"
            if n == 3 and c % 5 == 0:
                parts.append(f"| Leaf | Gloss |\n|------|-------|\n| {c}r | {body}{ref} |\n")
            else:
                parts.append(f"> {body}{ref}\n" if n % 7 == 0 else f"- {body}{ref}\n" if n % 9 == 0
                             else f"{body}{ref} {sentence()}\n")
        parts.append("Again the first note.[^n1]\n")
        for n in range(1, notes + 1):
            text = f"[^n{n}]: Note {n} of chapter {c}. {sentence()}"
            if n % 5 == 0:
                text += f"\n\n    A second paragraph of note {n}. {sentence()}"
            parts.append(text + "\n")
        (root / "manuscript" / f"{c:02d}-chapter.md").write_text("\n".join(parts), encoding="utf-8")
    (root / "book.yaml").write_text(textwrap.dedent("""\
        title: A Long Book of Notes
        language: en
        author: A. Generator
        source-isbn: 978-0-306-40615-7
        formats: [all]
        """), encoding="utf-8")
    return total
