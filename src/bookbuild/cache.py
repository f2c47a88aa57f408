"""Per-chapter conversion cache: a chapter is converted again only when its
text, the settings that shape it, or the tools change.

Entries live in ``BOOK_DIR/.bookbuild-cache/``, one JSON file per content
hash, written to a temporary name and renamed, so two builds running at once
never see half an entry. Every entry carries a checksum of its payload; an
entry that does not parse or does not match is converted again, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

from .accessibility import PageBreak
from .config import BookConfig
from .convert import ConvertedChapter, Heading, ImageRef, pandoc_version
from .endnotes import Endnote, NotePlan
from .manuscript import Chapter

CACHE_DIR = ".bookbuild-cache"


@functools.cache
def tools_fingerprint() -> str:
    """Pandoc's version and bookbuild's own code: any change to either is a miss."""
    digest = hashlib.sha256(pandoc_version().encode())
    package = resources.files("bookbuild")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.suffix in (".py", ".lua", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(Path(str(package))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def chapter_key(chapter: Chapter, plan: NotePlan, config: BookConfig) -> str:
    inputs = {
        "tools": tools_fingerprint(), "text": chapter.text, "name": chapter.name,
        "type": chapter.type, "title": chapter.title, "language": config.language,
        "source": chapter.source.relative_to(config.root).as_posix(),
        "plan": [plan.chapter_file, plan.start, list(plan.documents)],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _payload(conv: ConvertedChapter, root: Path) -> dict:
    return {
        "title": conv.title, "body": conv.body.decode("utf-8"),
        "headings": [[h.level, h.id, h.text] for h in conv.headings],
        "images": [i.source.relative_to(root).as_posix() for i in conv.images],
        "notes": [[n.number, n.label, list(n.ref_ids), n.document] for n in conv.notes],
        "notes_list": conv.notes_list.decode("utf-8") if conv.notes_list is not None else None,
        "properties": sorted(conv.properties), "warnings": list(conv.warnings),
        "informative_images": conv.informative_images,
        "pages": [[p.id, p.label] for p in conv.pages],
    }


def _checksum(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class ChapterCache:
    def __init__(self, root: Path):
        self.root = root
        self.directory = root / CACHE_DIR / "chapters"
        self.hits = 0
        self.misses = 0

    def get(self, key: str, chapter: Chapter) -> ConvertedChapter | None:
        path = self.directory / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            payload = entry["payload"]
            if entry["checksum"] != _checksum(payload):
                raise ValueError("checksum mismatch")
            images = tuple(ImageRef((self.root / rel).resolve()) for rel in payload["images"])
            if not all(i.source.is_file() for i in images):
                raise ValueError("an image is gone")  # convert again: that reports it
            conv = ConvertedChapter(
                chapter=chapter, title=payload["title"], body=payload["body"].encode("utf-8"),
                headings=tuple(Heading(*h) for h in payload["headings"]), images=images,
                notes=tuple(Endnote(n, label, tuple(ids), doc)
                            for n, label, ids, doc in payload["notes"]),
                notes_list=None if payload["notes_list"] is None
                else payload["notes_list"].encode("utf-8"),
                properties=frozenset(payload["properties"]), warnings=tuple(payload["warnings"]),
                informative_images=payload["informative_images"],
                pages=tuple(PageBreak(*p) for p in payload["pages"]))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return conv

    def put(self, key: str, conv: ConvertedChapter) -> None:
        payload = _payload(conv, self.root)
        data = json.dumps({"checksum": _checksum(payload), "payload": payload})
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", dir=self.directory)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, self.directory / f"{key}.json")
