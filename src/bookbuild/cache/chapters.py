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
entry. A payload is written and read through a pydantic model, field by
name; every entry carries the models' schema version and a checksum of its
payload, and an entry of another version, or one that does not parse, match
its checksum or fit its model, is converted again, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from ..chapters.accessibility import PageBreak, empty_alt_decorative
from ..chapters.convert import ConvertedChapter, Heading, ImageRef
from ..chapters.reading import HeadingTarget, Reading
from ..config import BookConfig
from ..errors import Problem
from ..notes.source import ChapterNotes
from ..refs.book import ChapterReferences
from ..refs.crossrefs import Label
from ..source.manuscript import Chapter
from .files import store, tools_fingerprint

T = TypeVar("T")
S = TypeVar("S", bound="_Stored")


def _key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps({"tools": tools_fingerprint(), **inputs},
                                     sort_keys=True).encode()).hexdigest()


def reading_key(chapter: Chapter, root: Path) -> str:
    return _key({"text": chapter.text, "source": chapter.source.relative_to(root).as_posix(),
                 "markdown": chapter.markdown, "never_ran": [list(n) for n in chapter.never_ran]})


def chapter_key(chapter: Chapter, config: BookConfig,
                definitions: tuple[tuple[str, str], ...], typeset: bool = False,
                references: ChapterReferences = ChapterReferences()) -> str:
    return _key({"typeset": typeset, "references": references.key(),
        "text": chapter.text, "markdown": chapter.markdown, "name": chapter.name,
        "type": chapter.type, "project": config.project,  # mdBook's code blocks are its own
        "title": chapter.title, "ordinal": chapter.ordinal, "language": config.language,
        "trust": sorted(config.trust),
        "empty_alt_decorative": empty_alt_decorative(config, chapter.markdown),
        "source": chapter.source.relative_to(config.root).as_posix(),
        "definitions": [list(d) for d in definitions],
    })


#: The layout of an entry's payload: an entry of another version is a miss,
#: never read by this code's fields (bump it when a model below changes).
SCHEMA = 9
#: A file changed this recently (nanoseconds) may change again within the same
#: timestamp tick, its stamp unchanged: its stamp is not kept (as Git's racy check).
RECENT_NS = 2_000_000_000


class _Stored(BaseModel):
    """A payload as stored: every field by name, its type exact (JSON's arrays
    read as tuples), nothing more, nothing missing."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _StoredProblem(_Stored):
    """A chapter's problem or warning; its file is the chapter's."""

    code: str
    message: str
    line: int | None

    @classmethod
    def of(cls, p: Problem) -> _StoredProblem:
        return cls(code=p.code, message=p.message, line=p.line)

    def value(self, chapter: Chapter) -> Problem:
        return Problem(self.message, chapter.source, self.line, code=self.code)


class StoredReading(_Stored):
    refs: tuple[int, ...]
    problems: tuple[_StoredProblem, ...]
    headings: tuple[HeadingTarget, ...]
    unresolved: tuple[str, ...]
    warnings: tuple[_StoredProblem, ...]
    foreign: tuple[tuple[str, str, int, int | None], ...]
    cites: tuple[str, ...]
    labels: tuple[Label, ...]
    raw_tex: tuple[tuple[str, int, int | None], ...]

    @classmethod
    def of(cls, r: Reading) -> StoredReading:
        return cls(refs=r.notes.refs,
                   problems=tuple(_StoredProblem.of(p) for p in r.problems),
                   headings=r.headings, unresolved=tuple(sorted(r.unresolved)),
                   warnings=tuple(_StoredProblem.of(w) for w in r.warnings),
                   foreign=r.foreign, cites=r.cites, labels=r.labels, raw_tex=r.raw_tex)

    def value(self, chapter: Chapter) -> Reading:
        return Reading(chapter=chapter, notes=ChapterNotes(chapter.source, self.refs),
                       headings=self.headings, unresolved=frozenset(self.unresolved),
                       problems=tuple(p.value(chapter) for p in self.problems),
                       warnings=tuple(w.value(chapter) for w in self.warnings),
                       foreign=self.foreign, cites=self.cites,
                       labels=self.labels, raw_tex=self.raw_tex)


class StoredChapter(_Stored):
    title: str
    body: str
    headings: tuple[Heading, ...]
    images: tuple[str, ...]  # relative to the book's directory
    #: Each image's SHA-256 when converted: the conversion judged its bytes (an
    #: SVG's active content, its alt text's need), which the key does not hold.
    image_digests: tuple[str, ...]
    #: Each image's file stamp then (``_stamp``), None where it was too recent to
    #: vouch for the bytes: while the file shows the same stamp, they are the digest's.
    image_stamps: tuple[tuple[int, ...] | None, ...]
    note_count: int
    notes_list: str | None
    properties: tuple[str, ...]
    warnings: tuple[_StoredProblem, ...]
    informative_images: int
    remote_images: tuple[int | None, ...]
    undescribed_images: tuple[int | None, ...]
    pages: tuple[PageBreak, ...]
    typst: str | None
    keep_marks: tuple[tuple[str, ...], ...]  # each mark's labels, sorted (JSON has no sets)

    @classmethod
    def of(cls, conv: ConvertedChapter, root: Path) -> StoredChapter:
        stamps = tuple(_stamp(i.source) for i in conv.images)  # before the bytes are read
        return cls(title=conv.title, body=conv.body.decode("utf-8"), headings=conv.headings,
                   images=tuple(i.source.relative_to(root).as_posix() for i in conv.images),
                   image_digests=tuple(_digest(i.source) for i in conv.images),
                   image_stamps=tuple(s if s and _settled(s) else None for s in stamps),
                   note_count=conv.note_count,
                   notes_list=None if conv.notes_list is None else conv.notes_list.decode("utf-8"),
                   properties=tuple(sorted(conv.properties)),
                   warnings=tuple(_StoredProblem.of(w) for w in conv.warnings),
                   informative_images=conv.informative_images,
                   remote_images=conv.remote_images, undescribed_images=conv.undescribed_images,
                   pages=conv.pages, typst=conv.typst,
                   keep_marks=tuple(tuple(sorted(mark)) for mark in conv.keep_marks))

    def value(self, chapter: Chapter, root: Path) -> ConvertedChapter:
        images = tuple(ImageRef((root / rel).resolve()) for rel in self.images)
        for image, digest, stamp in zip(images, self.image_digests, self.image_stamps):
            now = _stamp(image.source)
            if now is None:
                raise ValueError("an image is gone")  # convert again: that reports it
            if now != stamp and _digest(image.source) != digest:
                raise ValueError("an image changed")  # convert again: judge the new bytes
        return ConvertedChapter(
            chapter=chapter, title=self.title, body=self.body.encode("utf-8"),
            headings=self.headings, images=images, note_count=self.note_count,
            notes_list=None if self.notes_list is None else self.notes_list.encode("utf-8"),
            properties=frozenset(self.properties),
            warnings=tuple(w.value(chapter) for w in self.warnings),
            informative_images=self.informative_images, remote_images=self.remote_images,
            undescribed_images=self.undescribed_images, pages=self.pages, typst=self.typst,
            keep_marks=tuple(frozenset(mark) for mark in self.keep_marks))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What changes whenever a file's bytes do, short of the racy case
    (``RECENT_NS``), as Git's index keeps it: size, modification and change
    times (no one sets a change time back), device and inode; None for no file."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)


def _settled(stamp: tuple[int, ...]) -> bool:
    """Whether the file was last changed long enough ago for its stamp to vouch for it."""
    return max(stamp[1], stamp[2]) < time.time_ns() - RECENT_NS


def _checksum(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class ChapterCache:
    """Readings and conversions of chapters, each in its own folder by key."""

    def __init__(self, root: Path, directory: Path):
        self.root = root  # the book's directory: images are stored relative to it
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def _get(self, kind: str, key: str, model: type[S], value: Callable[[S], T]) -> T | None:
        """The entry's value, or None (a miss) for one that is absent, of
        another schema, does not parse, fails its checksum or its model."""
        try:
            entry = json.loads((self.directory / kind / f"{key}.json").read_text(encoding="utf-8"))
            if entry["schema"] != SCHEMA or entry["checksum"] != _checksum(entry["payload"]):
                raise ValueError("another schema, or a checksum mismatch")
            result = value(model.model_validate_json(json.dumps(entry["payload"])))
        except (OSError, ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
            self.misses += 1
            return None
        self.hits += 1
        return result

    def _put(self, kind: str, key: str, stored: _Stored) -> None:
        payload = stored.model_dump(mode="json")
        entry = {"schema": SCHEMA, "checksum": _checksum(payload), "payload": payload}
        store(self.directory / kind / f"{key}.json", json.dumps(entry).encode("utf-8"))

    def get_reading(self, key: str, chapter: Chapter) -> Reading | None:
        return self._get("readings", key, StoredReading, lambda s: s.value(chapter))

    def put_reading(self, key: str, reading: Reading) -> None:
        self._put("readings", key, StoredReading.of(reading))

    def get(self, key: str, chapter: Chapter) -> ConvertedChapter | None:
        return self._get("chapters", key, StoredChapter, lambda s: s.value(chapter, self.root))

    def put(self, key: str, conv: ConvertedChapter) -> None:
        self._put("chapters", key, StoredChapter.of(conv, self.root))
