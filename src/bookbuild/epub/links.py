"""The book is one document to its author: identifiers unique across the book,
and every link to a place in the book resolved to its file and element.

Chapters are read and converted alone, so each has Pandoc's identifiers for its
own headings and a link can only say where it goes as the author wrote it: to
another chapter's file (``02-two.md#method``, or bookdown's ``02-two.html``), to
an identifier anywhere (``#method``), or by a heading's text (``[Method][]``).
Here, with every chapter converted, identifiers are made unique through the
book the way Pandoc makes them unique in one document (the first keeps its
name, later ones get ``-1``, ``-2``), links made inside a chapter stay in that
chapter, and every link to the book lands on the XHTML file and element it
means, or stops the build with the Markdown file and line.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..chapters.convert import ConvertedChapter, Heading
from ..chapters.reading import Reading, reference_key
from ..errors import LinkError, Problem
from ..pandoc import locate
from ..xhtml import h

#: A web address (or any with a scheme: ``javascript:`` is the policy's to refuse),
#: after the spaces around it that a URL's reader drops.
_SCHEME = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
#: A web address of the WHATWG URL standard's special schemes, with its host
#: (after the slashes, to the path, query or fragment): EPUBCheck refuses one
#: whose host is empty (RSC-020, "Invalid host: empty host"), as ``http://``.
_SPECIAL = re.compile(r"^\s*(?:https?|ftp|wss?):[/\\]*([^/?#\\]*)", re.I)
#: Extensions under which authors name a chapter in a link: the Markdown file,
#: or the page a Pandoc, bookdown or Quarto website would have made of it.
CHAPTER_SUFFIXES = frozenset({".md", ".markdown", ".qmd", ".rmd", ".html", ".htm", ".xhtml"})
#: Links and ids bookbuild made itself (notes, page markers): never renamed.
_OWN_CLASSES = frozenset({"noteref", "note-number", "note-backlink"})


def heading_references(readings: list[Reading]) -> list[tuple[tuple[str, str], ...]]:
    """Per chapter, link definitions that let Pandoc resolve ``[Heading][]`` to
    a heading of another chapter (the first in the book with that text); a
    chapter's own headings keep priority, as in one Pandoc document."""
    first: dict[str, tuple[Reading, str, str]] = {}
    for r in readings:
        for hd in r.headings:
            first.setdefault(reference_key(hd.text), (r, hd.text, hd.id))
    result = []
    for r in readings:
        definitions = []
        for key in sorted((r.unresolved & first.keys()) - r.own_keys):
            other, text, anchor = first[key]
            if text.startswith("^") or "\\" in text:
                continue  # would read as a note definition or an escape
            rel = Path(os.path.relpath(other.chapter.source, r.chapter.source.parent)).as_posix()
            definitions.append((text, f"{rel}#{anchor}"))
        result.append(tuple(definitions))
    return result


class _Chapter:
    """One chapter's trees while the book's identifiers are settled."""

    def __init__(self, conv: ConvertedChapter):
        self.conv = conv
        self.body = conv.tree()
        self.notes = conv.notes_tree()
        self.renamed: dict[str, str] = {}  # the author's identifier -> its name in the book
        self.own: set[str] = set()  # identifiers bookbuild made

    def parts(self) -> Iterator[tuple[etree._Element, str]]:
        """The chapter's trees, each with the file it will be in."""
        yield self.body, self.conv.file
        for note, li in zip(self.conv.notes, self.notes if self.notes is not None else ()):
            yield li, note.document or self.conv.file

    def is_own(self, el: etree._Element) -> bool:
        return (el is self.body or el.get("class") in _OWN_CLASSES or el.get("class") == "note"
                or el.get("role") == "doc-pagebreak")


def resolve(chapters: tuple[ConvertedChapter, ...],
            absent: frozenset[Path] = frozenset()) -> tuple[ConvertedChapter, ...]:
    """Identifiers unique through the book, every internal link resolved;
    :class:`LinkError` lists every link to a place that does not exist. With
    chapters ``absent`` (their sources; the build stops for their errors), a
    link that may lead into one of them is left as it is: nothing false is said."""
    docs = [_Chapter(c) for c in chapters]
    taken: set[str] = set()
    for d in docs:
        for part, _ in d.parts():
            for el in part.iter():
                if el.get("id") and d.is_own(el):
                    d.own.add(el.get("id"))
        taken |= d.own
    first: dict[str, tuple[_Chapter, str]] = {}  # the author's identifier -> its first owner
    problems: list[Problem] = []
    for d in docs:
        for part, _ in d.parts():
            for el in part.iter():
                old = el.get("id")
                if not old or d.is_own(el):
                    continue
                if old in d.renamed:
                    problems.append(_problem(d, f"identifier #{old} is used twice in this chapter",
                                             "id-duplicate", old, locate.repeated_identifier(old)))
                    continue
                new, k = old, 0
                while new in taken:
                    k += 1
                    new = f"{old}-{k}"
                taken.add(new)
                d.renamed[old] = new
                el.set("id", new)
                first.setdefault(old, (d, new))
    by_stem = {d.conv.chapter.source.with_suffix(""): d for d in docs}
    absent_stems = frozenset(source.with_suffix("") for source in absent)
    for d in docs:
        seen: Counter[str] = Counter()  # links to each address so far: each at its own line
        for part, file in d.parts():
            for a in list(part.iter(h("a"))):
                href = a.get("href")
                if href is None or a.get("class") in _OWN_CLASSES:
                    continue
                if _SCHEME.match(href):
                    if _hostless(href):
                        seen[href] += 1
                        if a.get("class") == "uri" and "".join(a.itertext()) == href:
                            _unlink(a)  # Pandoc's autolink of words that only look like one
                        else:
                            problems.append(_problem(d, f"link to {href}: a web address needs a "
                                                     "host", "link-nowhere", href,
                                                     locate.link(href, seen[href])))
                    continue
                seen[href] += 1
                try:
                    a.set("href", _resolve(href, d, file, first, by_stem, absent_stems))
                except _Unknown:
                    continue
                except _Broken as broken:
                    problems.append(_problem(d, f"link to {href}: {broken}", "link-nowhere", href,
                                             locate.link(href, seen[href])))
    if problems:
        raise LinkError.from_problems(problems)
    return tuple(_finished(d) for d in docs)


def _hostless(href: str) -> bool:
    found = _SPECIAL.match(href)
    return found is not None and not found.group(1)


def _unlink(a: etree._Element) -> None:
    """``a`` replaced by its text: ``autolink_bare_uris`` (bookdown's reading)
    links "http://" in "http://.../data.csv", an address no reader can follow."""
    text = "".join(a.itertext()) + (a.tail or "")
    before, parent = a.getprevious(), a.getparent()
    if before is not None:
        before.tail = (before.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(a)


class _Broken(Exception):
    pass


class _Unknown(Exception):
    """A link that may lead into an absent chapter."""


def _resolve(href: str, d: _Chapter, file: str, first: dict[str, tuple[_Chapter, str]],
             by_stem: dict[Path, _Chapter], absent: frozenset[Path]) -> str:
    path, _, fragment = href.partition("#")
    path, fragment = unquote(path), unquote(fragment)
    if not path:
        if not fragment:
            return href
        if fragment in d.renamed or fragment in d.own:
            target = d
        elif fragment in first:
            target = first[fragment][0]
        elif absent:
            raise _Unknown()
        else:
            raise _Broken(f"no element has the identifier #{fragment} in this book")
    else:
        # realpath, unlike Path.resolve in Python 3.11, leaves a loop of links unresolved
        source = Path(os.path.realpath(d.conv.chapter.source.parent / path))
        stem = source.with_suffix("") if source.suffix.lower() in CHAPTER_SUFFIXES else None
        if stem in absent:
            raise _Unknown()
        target = by_stem.get(stem)
        if target is None:
            raise _Broken(f"{path} is not a chapter of this book "
                          "(links can lead to chapters and to web addresses)")
        if fragment and fragment not in target.renamed and fragment not in target.own:
            raise _Broken(f"{path} has no element with the identifier #{fragment}")
    anchor = target.renamed.get(fragment, fragment)
    place = "" if target.conv.file == file and anchor else target.conv.file
    return place + (f"#{anchor}" if anchor else "")


def _problem(d: _Chapter, message: str, code: str, needle: str, shows=None) -> Problem:
    return Problem(message, d.conv.chapter.source, d.conv.chapter.line_of(needle, shows),
                   code=code)


def _finished(d: _Chapter) -> ConvertedChapter:
    headings = tuple(Heading(hd.level, d.renamed.get(hd.id, hd.id), hd.text)
                     for hd in d.conv.headings)
    return dataclasses.replace(
        d.conv, body=etree.tostring(d.body, encoding="utf-8"), headings=headings,
        notes_list=None if d.notes is None else etree.tostring(d.notes, encoding="utf-8"))
