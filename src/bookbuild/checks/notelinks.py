"""Inspect the note links of any EPUB: every reference reaches a note, every note
links back to each of its references.

Works on books bookbuild did not make (Pandoc's, Calibre's, a publisher's), so
it reads only the standard semantics: ``epub:type`` noteref / footnote, endnote,
note, rearnote, and the matching DPUB-ARIA roles.
"""

from __future__ import annotations

import contextlib
import functools
import io
import posixpath
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag

from lxml import etree

from ..epub.reader import HTML_TYPES, LENIENT, read_package
from ..codes import code as registered
from ..errors import BookbuildError
from ..safety import files as bookfiles
from ..safety import limits, temporaries

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
NOTE_TYPES = frozenset({"footnote", "endnote", "note", "rearnote"})
NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote"})


def _parser() -> etree.XMLParser:
    """Forgiving of other tools' markup; one per inspection, as a parser is one
    thread's and its error log is read after each document."""
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class LinkProblem:
    """A broken note link in a finished book: its document inside the EPUB
    (not a source file, which an EPUB from elsewhere does not have)."""

    document: str
    message: str
    code: str  # a name in bookbuild.codes

    def __post_init__(self) -> None:
        registered(self.code)

    def __str__(self) -> str:
        return f"{self.document}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class DocumentNotes:
    document: str
    references: int
    notes: int


@dataclass(frozen=True)
class NotesReport:
    documents: tuple[DocumentNotes, ...]
    problems: tuple[LinkProblem, ...]

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def references(self) -> int:
        return sum(d.references for d in self.documents)

    @property
    def notes(self) -> int:
        return sum(d.notes for d in self.documents)

    def to_dict(self) -> dict:
        return {"passed": self.passed, "references": self.references, "notes": self.notes,
                "documents": [d.__dict__ for d in self.documents],
                "problems": [p.__dict__ for p in self.problems]}


def _tokens(el: etree._Element) -> set[str]:
    """epub:type tokens; Calibre's AZW3 output keeps them as a plain ``type``."""
    return set((el.get(EPUB_TYPE) or "").split()) | set((el.get("type") or "").split())


def is_reference(el: etree._Element) -> bool:
    return "noteref" in _tokens(el) or el.get("role") == "doc-noteref"


def is_note(el: etree._Element) -> bool:
    return bool(NOTE_TYPES & _tokens(el)) or el.get("role") in NOTE_ROLES


def _typed(root: etree._Element) -> list[etree._Element]:
    """Elements that carry semantics at all: the only ones that can be notes or references."""
    return root.xpath("//*[@epub:type or @type or @role]",
                      namespaces={"epub": "http://www.idpf.org/2007/ops"})


def note_of(el: etree._Element) -> etree._Element | None:
    """The note a link target belongs to: the target itself or an ancestor."""
    return next((e for e in [el, *el.iterancestors()] if is_note(e)), None)


def spine_and_documents(zf: zipfile.ZipFile) -> tuple[list[str], dict[str, etree._Element]]:
    """The spine's documents in reading order (zip paths) and every HTML document
    parsed. A document the parser stopped reading part way (nested deeper than
    libxml2 goes, even with huge_tree) is a LimitError: its notes would go unseen."""
    package = read_package(zf, LENIENT)
    names = set(zf.namelist())
    parser = _parser()
    docs = {}
    for item in package.manifest:
        if item.media_type in HTML_TYPES and item.path in names:
            docs[item.path] = etree.fromstring(zf.read(item.path), parser)
            cut = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
            if cut is not None:
                raise limits.LimitError(f"{item.path} cannot be read whole ({cut.message.strip()}); "
                                        "its notes cannot be inspected",
                                        Path(zf.filename) if zf.filename else None)
    return [i.path for i in package.spine if i.path in docs], docs


@functools.lru_cache(maxsize=65536)
def _target(doc: str, href: str) -> tuple[str, str]:
    path, fragment = urldefrag(href)
    target_doc = posixpath.normpath(posixpath.join(posixpath.dirname(doc), unquote(path))) \
        if path else doc
    return target_doc, unquote(fragment)


def inspect_azw3(path: Path) -> NotesReport:
    """The same inspection inside an AZW3: KindleUnpack (the ``mobi`` package)
    turns its KF8 part back into an EPUB, in a folder removed whatever happens,
    which is inspected like any other."""
    with warnings.catch_warnings():  # mobi imports the deprecated imghdr module
        warnings.simplefilter("ignore", DeprecationWarning)
        from mobi.kindleunpack import unpackBook  # imported here: only AZW3 needs it

    with temporaries.in_system_temp("azw3") as tmp:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # KindleUnpack talks
                unpackBook(str(path), tmp, epubver="A")
        except Exception as exc:  # KindleUnpack raises bare Exceptions on bad input
            raise BookbuildError(f"not a readable AZW3 ({exc})", path, code="epub-unreadable") from None
        epub = Path(tmp) / "mobi8" / (path.stem + ".epub")
        if not epub.is_file():
            raise BookbuildError("not a readable AZW3 (no KF8 part)", path, code="epub-unreadable")
        return inspect_epub(epub)


def inspect_epub(path: Path) -> NotesReport:
    limits.check_epub(path)
    try:
        with zipfile.ZipFile(path) as zf:
            spine, docs = spine_and_documents(zf)
    except (OSError, zipfile.BadZipFile, KeyError, AttributeError, etree.XMLSyntaxError) as exc:
        raise BookbuildError(f"not a readable EPUB ({exc})", path, code="epub-unreadable") from None
    ids = {(d, el.get("id")): el for d, root in docs.items() for el in root.iter()
           if isinstance(el.tag, str) and el.get("id")}
    where = {el: d for (d, _), el in ids.items()}

    def resolve(doc: str, href: str | None) -> etree._Element | None:
        return ids.get(_target(doc, href)) if href else None

    problems: list[LinkProblem] = []
    counts = []
    reached: set[etree._Element] = set()
    typed = {doc: _typed(docs[doc]) for doc in spine}
    for doc in spine:
        refs = [el for el in typed[doc] if el.tag.endswith("}a") and is_reference(el)]
        counts.append(DocumentNotes(doc, len(refs), sum(1 for el in typed[doc] if is_note(el))))
        for ref in refs:
            name = f"reference {ref.get('id') or repr(''.join(ref.itertext()))}"
            target = resolve(doc, ref.get("href"))
            if target is None:
                problems.append(LinkProblem(doc, f"{name} leads nowhere ({ref.get('href')!r})",
                                            "noteref-nowhere"))
                continue
            note = note_of(target)
            if note is None:
                problems.append(LinkProblem(doc, f"{name} leads to {ref.get('href')!r}, "
                                                 "which is not a note", "noteref-not-note"))
                continue
            reached.add(note)
            backs = [resolve(where[note], a.get("href")) for a in note.iter("{*}a")]
            if not any(b is not None and (b is ref or b in ref.iterancestors()
                                          or ref in b.iterancestors()) for b in backs):
                problems.append(LinkProblem(doc, f"{name}: its note {note.get('id')!r} "
                                                 "has no link back to it", "note-no-backlink"))
    for doc in spine:
        for note in typed[doc]:
            if not is_note(note) or note in reached:
                continue
            backs = [resolve(doc, a.get("href")) for a in note.iter("{*}a")]
            if not any(b is not None and any(is_reference(e) for e in b.iter()) for b in backs):
                problems.append(LinkProblem(doc, f"note {note.get('id')!r} has no reference "
                                                 "and no way back to one", "note-unreached"))
    return NotesReport(tuple(counts), tuple(problems))


def inspect_file(path: Path) -> NotesReport:
    """A FIFO or device would hang the zip reader: only a regular file is opened."""
    if not bookfiles.is_regular(path):
        raise BookbuildError("not found, or not a regular file (a folder, FIFO or device)", path,
                             code="file-not-regular")
    return inspect_azw3(path) if path.suffix.lower() == ".azw3" else inspect_epub(path)
