"""Per-chapter cache: a chapter is read (by Pandoc) and converted again only
when its text, the settings that shape it, or the tools change.

Entries live in the user's cache directory (``$XDG_CACHE_HOME/bookbuild``,
else ``~/.cache/bookbuild``), never in the book: a manuscript from outside
cannot bring its own "converted" chapters, since only bookbuild writes there
and every entry is found by a hash of everything that shaped it (the
chapter's text and settings, Pandoc's version, bookbuild's code), so an entry
can only ever be this chapter's own conversion. Readings (notes, headings,
problems) and conversions (XHTML) are one JSON file per hash, written to a
temporary name and renamed, so two builds running at once never see half an
entry. Every entry carries a checksum of its payload; an entry that does not
parse or does not match is converted again, never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..chapters.accessibility import PageBreak
from ..chapters.convert import ChapterReferences, ConvertedChapter, Heading, ImageRef
from ..chapters.reading import HeadingTarget, Reading
from ..config import BookConfig
from ..errors import Problem
from ..notes.source import ChapterNotes
from ..refs.crossrefs import Label
from ..source.manuscript import Chapter
from .files import store, tools_fingerprint

T = TypeVar("T")


def _key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps({"tools": tools_fingerprint(), **inputs},
                                     sort_keys=True).encode()).hexdigest()


def reading_key(chapter: Chapter, root: Path) -> str:
    return _key({"text": chapter.text, "source": chapter.source.relative_to(root).as_posix()})


def chapter_key(chapter: Chapter, config: BookConfig,
                definitions: tuple[tuple[str, str], ...], typeset: bool = False,
                references: ChapterReferences = ChapterReferences()) -> str:
    return _key({"typeset": typeset, "references": references.key(),
        "text": chapter.text, "name": chapter.name, "type": chapter.type,
        "title": chapter.title, "ordinal": chapter.ordinal, "language": config.language,
        "trust": sorted(config.trust),
        "source": chapter.source.relative_to(config.root).as_posix(),
        "definitions": [list(d) for d in definitions],
    })


def _reading_payload(r: Reading) -> dict:
    return {
        "refs": list(r.notes.refs),
        "problems": [_problem_payload(p) for p in r.problems],
        "headings": [[hd.text, hd.id] for hd in r.headings],
        "unresolved": sorted(r.unresolved),
        "warnings": [_problem_payload(w) for w in r.warnings],
        "foreign": [list(f) for f in r.foreign],
        "cites": list(r.cites), "labels": [dataclasses.astuple(label) for label in r.labels],
    }


def _problem_payload(p: Problem) -> list:
    """A chapter's problem or warning; its file is the chapter's."""
    return [p.code, p.message, p.line]


def _problems(chapter: Chapter, payload: list) -> tuple[Problem, ...]:
    return tuple(Problem(message, chapter.source, line, code=code)
                 for code, message, line in payload)


def _reading(chapter: Chapter, p: dict) -> Reading:
    problems = _problems(chapter, p["problems"])
    notes = ChapterNotes(chapter.source, tuple(p["refs"]))
    return Reading(chapter, notes, tuple(HeadingTarget(*hd) for hd in p["headings"]),
                   frozenset(p["unresolved"]), problems, _problems(chapter, p["warnings"]),
                   tuple(tuple(f) for f in p["foreign"]), None,
                   tuple(p["cites"]), tuple(Label(*label) for label in p["labels"]))


def _chapter_payload(conv: ConvertedChapter, root: Path) -> dict:
    return {
        "title": conv.title, "body": conv.body.decode("utf-8"),
        "headings": [[h.level, h.id, h.text] for h in conv.headings],
        "images": [i.source.relative_to(root).as_posix() for i in conv.images],
        "notes": conv.note_count,
        "notes_list": conv.notes_list.decode("utf-8") if conv.notes_list is not None else None,
        "properties": sorted(conv.properties),
        "warnings": [_problem_payload(w) for w in conv.warnings],
        "informative_images": conv.informative_images,
        "pages": [[p.id, p.label] for p in conv.pages], "typst": conv.typst,
    }


def _chapter(chapter: Chapter, root: Path, p: dict) -> ConvertedChapter:
    images = tuple(ImageRef((root / rel).resolve()) for rel in p["images"])
    if not all(i.source.is_file() for i in images):
        raise ValueError("an image is gone")  # convert again: that reports it
    return ConvertedChapter(
        chapter=chapter, title=p["title"], body=p["body"].encode("utf-8"),
        headings=tuple(Heading(*h) for h in p["headings"]), images=images,
        note_count=p["notes"],
        notes_list=None if p["notes_list"] is None else p["notes_list"].encode("utf-8"),
        properties=frozenset(p["properties"]), warnings=_problems(chapter, p["warnings"]),
        informative_images=p["informative_images"],
        pages=tuple(PageBreak(*page) for page in p["pages"]), typst=p["typst"])


def _checksum(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class ChapterCache:
    """Readings and conversions of chapters, each in its own folder by key."""

    def __init__(self, root: Path, directory: Path):
        self.root = root  # the book's directory: images are stored relative to it
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def _get(self, kind: str, key: str, decode: Callable[[dict], T]) -> T | None:
        try:
            entry = json.loads((self.directory / kind / f"{key}.json").read_text(encoding="utf-8"))
            payload = entry["payload"]
            if entry["checksum"] != _checksum(payload):
                raise ValueError("checksum mismatch")
            value = decode(payload)
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def _put(self, kind: str, key: str, payload: dict) -> None:
        store(self.directory / kind / f"{key}.json",
              json.dumps({"checksum": _checksum(payload), "payload": payload}).encode("utf-8"))

    def get_reading(self, key: str, chapter: Chapter) -> Reading | None:
        return self._get("readings", key, lambda p: _reading(chapter, p))

    def put_reading(self, key: str, reading: Reading) -> None:
        self._put("readings", key, _reading_payload(reading))

    def get(self, key: str, chapter: Chapter) -> ConvertedChapter | None:
        return self._get("chapters", key, lambda p: _chapter(chapter, self.root, p))

    def put(self, key: str, conv: ConvertedChapter) -> None:
        self._put("chapters", key, _chapter_payload(conv, self.root))
