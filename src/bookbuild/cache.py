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
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

from . import pandoc
from .accessibility import PageBreak
from .config import BookConfig
from .convert import ChapterReferences, ConvertedChapter, Heading, ImageRef
from .crossrefs import Label
from .errors import BookbuildError, Problem
from .manuscript import Chapter
from .notes.source import ChapterNotes
from .reading import HeadingTarget, Reading

T = TypeVar("T")


def user_cache_dir() -> Path:
    """Where this user's cache lives (the XDG base directory convention)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bookbuild"


def store(path: Path, data: bytes) -> None:
    """Put a file of the user's cache in place whole: written under a temporary
    name and renamed, so two builds running at once never see half of one. A
    cache folder that is not one (a file in its place), or full, is the user's
    to fix: set-up, not a bug."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise BookbuildError(f"cannot write bookbuild's cache: {exc.strerror}; mend it, set "
                             "XDG_CACHE_HOME to another folder, or build with --no-cache",
                             path) from None


@functools.cache
def tools_fingerprint() -> str:
    """Pandoc's version and bookbuild's own code: any change to either is a miss."""
    digest = hashlib.sha256(pandoc.version().encode())
    package = resources.files("bookbuild")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.suffix in (".py", ".lua", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(Path(str(package))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
        "title": chapter.title, "ordinal": chapter.ordinal, "language": config.language, "raw_html": config.raw_html,
        "source": chapter.source.relative_to(config.root).as_posix(),
        "definitions": [list(d) for d in definitions],
    })


def _reading_payload(r: Reading) -> dict:
    return {
        "refs": list(r.notes.refs),
        "problems": [[p.message, p.line] for p in r.problems],
        "headings": [[hd.text, hd.id] for hd in r.headings],
        "unresolved": sorted(r.unresolved), "warnings": list(r.warnings),
        "foreign": [list(f) for f in r.foreign],
        "cites": list(r.cites), "labels": [dataclasses.astuple(label) for label in r.labels],
    }


def _reading(chapter: Chapter, p: dict) -> Reading:
    problems = tuple(Problem(message, chapter.source, line) for message, line in p["problems"])
    notes = ChapterNotes(chapter.source, tuple(p["refs"]))
    return Reading(chapter, notes, tuple(HeadingTarget(*hd) for hd in p["headings"]),
                   frozenset(p["unresolved"]), problems, tuple(p["warnings"]),
                   tuple(tuple(f) for f in p["foreign"]), None,
                   tuple(p["cites"]), tuple(Label(*label) for label in p["labels"]))


def _chapter_payload(conv: ConvertedChapter, root: Path) -> dict:
    return {
        "title": conv.title, "body": conv.body.decode("utf-8"),
        "headings": [[h.level, h.id, h.text] for h in conv.headings],
        "images": [i.source.relative_to(root).as_posix() for i in conv.images],
        "notes": conv.note_count,
        "notes_list": conv.notes_list.decode("utf-8") if conv.notes_list is not None else None,
        "properties": sorted(conv.properties), "warnings": list(conv.warnings),
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
        properties=frozenset(p["properties"]), warnings=tuple(p["warnings"]),
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
