"""Citations through Pandoc's citeproc: ``bibliography:`` and ``csl:`` in book.yaml.

Each chapter goes through citeproc on its own, after its reading: Chicago's
notes style gives each chapter's first citation of a work in full, as the
Chicago Manual asks of a book. With a note style citeproc puts each citation
in the text into a ``Note`` of its own (inside the ``Cite``), and renders a
citation inside an author's note in that note; those notes then join the
author's, numbered in order with them (:func:`merge_notes`). With an
author-date style citations are text. Every chapter is given the book's cited
keys as ``nocite``, so citeproc disambiguates ("2001a") the same way in every
chapter and in the bibliography, which is its own back-matter document
(:func:`bibliography_reading`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from .. import pandoc
from ..config import BookConfig
from ..config.styles import style_file
from ..errors import ManuscriptError, Problem
from ..lang.words import word
from ..notes.source import ChapterNotes, NoteMismatch, notes_survey
from ..pandoc import CiteSettings, Parsed
from ..pandoc.ast import elements, is_element, sequences
from ..pandoc.locate import locate
from ..source.manuscript import Chapter
from .crossrefs import cited, is_crossref
from .styles import for_citeproc

_PANDOC_SAYS = re.compile(r"^Pandoc failed: (Error reading bibliography file \S+: )?")

_EMPTY = {"t": "Str", "c": ""}  # citeproc's leftover where it moved punctuation


def book_keys(chapter_cites: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The bibliography keys the book cites, in order of first citation."""
    return tuple(dict.fromkeys(k for keys in chapter_cites for k in keys if not is_crossref(k)))


def settings(config: BookConfig, keys: tuple[str, ...]) -> CiteSettings | None:
    """What citeproc is given for this book, or None without a bibliography."""
    if not config.bibliography:
        return None
    return CiteSettings(config.bibliography, for_citeproc(config.csl, config.root),
                        config.language, keys)


def fingerprint(cite: CiteSettings | None) -> str:
    """The settings and the files' contents, for the conversion cache."""
    if cite is None:
        return ""
    digest = hashlib.sha256(repr(cite).encode())  # an inline style is its own content
    for path in (*cite.bibliography, *([] if cite.csl.startswith("data:") else [Path(cite.csl)])):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def known_keys(config: BookConfig) -> frozenset[str]:
    """Every key of the bibliography files, each file read by Pandoc on its own so
    a bad one is named, with the line its parser gives; the style is tried too."""
    keys: set[str] = set()
    for path in config.bibliography:
        try:
            keys.update(pandoc.references((path,)))
        except ManuscriptError as exc:
            problem = exc.problems[0]
            raise ManuscriptError("bibliography file cannot be read: "
                                  + _PANDOC_SAYS.sub("", problem.message), path,
                                  problem.line, code="bibliography-unreadable") from None
    try:
        pandoc.cite(None, CiteSettings(config.bibliography, for_citeproc(config.csl, config.root),
                                       config.language))
    except ManuscriptError as exc:
        raise ManuscriptError("citation style cannot be read: "
                              + _PANDOC_SAYS.sub("", exc.problems[0].message),
                              style_file(config.csl), code="csl-invalid") from None
    return frozenset(keys)


def problems(chapters: Sequence[Chapter], chapter_cites: Sequence[tuple[str, ...]],
             known: frozenset[str], incomplete: bool = False) -> list[Problem]:
    """A cited key the bibliography lacks, with its line: an error, unless a
    bibliography file the project names is missing (``incomplete``), which
    may hold it; then a warning, and Pandoc shows the key."""
    code = "citation-key-missing" if incomplete else "citation-unknown-key"
    where = "in the bibliography files the project holds" if incomplete else "in the bibliography"
    return [Problem(f"citation @{key} is not {where}", chapter.source,
                    locate(chapter.text, lambda p, k=key: k in cited(p.doc["blocks"]), "@" + key),
                    code=code)
            for chapter, keys in zip(chapters, chapter_cites)
            for key in keys if not is_crossref(key) and key not in known]


def cite_chapter(doc: dict, notes: ChapterNotes, cite: CiteSettings,
                 chapter: Chapter) -> tuple[dict, ChapterNotes]:
    """The chapter after citeproc, with its notes: the author's and those citeproc made.
    The empty Str citeproc leaves where it moved a full stop from after a
    citation to before it ("trained [@w].[^a]") is taken out: it would stand
    between two notes side by side (``notes.markup.side_by_side``)."""
    parsed = pandoc.cite(doc, cite, chapter.source)
    for node in sequences(parsed.doc["blocks"]):
        node[:] = [el for el in node if el != _EMPTY]
    return parsed.doc, merge_notes(parsed, notes)


def merge_notes(parsed: Parsed, notes: ChapterNotes) -> ChapterNotes:
    """The references of the cited chapter: a note citeproc made (a ``Note``
    directly in a ``Cite``) is a note of its own; the others are the author's,
    in their order, a label referenced twice still one note."""
    made = {id(n) for el in elements(parsed.doc["blocks"]) if el["t"] == "Cite"
            for n in el["c"][1] if is_element(n) and n["t"] == "Note"}
    references = notes_survey(parsed).notes
    authors = iter(notes.refs)
    if len(references) - sum(id(n) in made for n in references) != len(notes.refs):
        raise NoteMismatch(f"{notes.file}: citeproc changed the author's notes")
    numbered: dict[int, int] = {}  # the author's note -> its number now
    refs, count = [], 0
    for note in references:
        if id(note) not in made:
            k = next(authors)
            if k in numbered:
                refs.append(numbered[k])
                continue
            numbered[k] = count
        refs.append(count)
        count += 1
    return ChapterNotes(notes.file, tuple(refs), notes.problems)


def bibliography_doc(cite: CiteSettings, language: str) -> dict:
    """Every cited work, as citeproc lists them, under a heading."""
    doc = pandoc.cite(None, dataclasses.replace(cite, suppress_bibliography=False)).doc
    heading = {"t": "Header", "c": [1, ["bibliography", [], []],
                                     [{"t": "Str", "c": word(language, "bibliography")}]]}
    doc["blocks"].insert(0, heading)
    return doc
