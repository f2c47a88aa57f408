"""Load and validate ``book.yaml`` into a frozen :class:`BookConfig`.

Every problem in the file is collected before anything is raised, each with the
YAML line it sits on, so a publisher fixes a broken config in one pass (mkdocs
reports all problems too, but without lines).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import langcodes
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from slugify import slugify
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError as IsbnError

from ..errors import ConfigError, Problem
from ..palettes import PALETTES
from .values import Accessibility, BookConfig, ChapterEntry, Contributor
from .vocabulary import (
    BACK_MATTER_TYPES, CHAPTER_TYPES, DEFAULT_FORMATS, EXEMPTIONS, FORMATS, FRONT_MATTER_TYPES,
    HAZARDS, MARC_CODE, ROLE_CODES, format_names, parse_formats)
from .yamlfile import read_yaml

__all__ = [
    "BACK_MATTER_TYPES", "CHAPTER_TYPES", "CONFIG_NAME", "DEFAULT_FORMATS", "EXEMPTIONS", "FORMATS",
    "FRONT_MATTER_TYPES", "HAZARDS", "ROLE_CODES", "Accessibility", "BookConfig", "ChapterEntry",
    "Contributor", "format_names", "load_config", "parse_formats"]

CONFIG_NAME = "book.yaml"

_BCP47_SHAPE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

KNOWN_KEYS = frozenset(
    {"title", "subtitle", "language", "contributors", "author", "publisher", "date",
     "isbn", "identifier", "rights", "description", "subjects", "cover", "chapters",
     "slug", "notes", "notes-numbering", "notes-heading", "cover-palette", "formats", "source-isbn", "accessibility"}
)


class _Collector:
    """Gathers problems with their YAML lines while the fields are read."""

    def __init__(self, file: Path, data: CommentedMap):
        self.file = file
        self.data = data
        self.problems: list[Problem] = []

    def line_of(self, container: Any, key: Any) -> int | None:
        try:
            if isinstance(container, CommentedMap):
                return container.lc.key(key)[0] + 1
            if isinstance(container, CommentedSeq):
                return container.lc.item(key)[0] + 1
        except (KeyError, IndexError, TypeError):
            return None
        return None

    def add(self, message: str, container: Any = None, key: Any = None) -> None:
        line = self.line_of(container, key) if container is not None else None
        self.problems.append(Problem(message, self.file, line))

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.add(f"'{key}' is required")
            return None
        if isinstance(value, (dict, list)):
            self.add(f"'{key}' must be text", self.data, key)
            return None
        text = str(value).strip()
        if not text:
            if required:
                self.add(f"'{key}' is required and must not be empty", self.data, key)
            return None
        return text


def load_config(book_dir: Path) -> BookConfig:
    """Read ``book_dir/book.yaml``; raise :class:`ConfigError` listing every problem."""
    root = book_dir.resolve()
    file = root / CONFIG_NAME
    if not root.is_dir():
        raise ConfigError(f"book directory not found: {book_dir}")
    if not file.is_file():
        raise ConfigError(f"no {CONFIG_NAME} in {book_dir}", file)
    data = read_yaml(file)

    c = _Collector(file, data)
    for key in data:
        if key not in KNOWN_KEYS:
            c.add(f"unknown key '{key}'", data, key)
    title = c.text("title", required=True)
    language = _language(c)
    contributors = _contributors(c)
    isbn, identifier = _identifier(c, title, language, contributors)
    date = _date(c)
    subjects = _subjects(c)
    cover = _cover(c, root)
    chapters = _chapters(c, root)
    slug = c.text("slug") or slugify(title or "") or "book"
    placement = _choice(c, "notes", ("chapter", "book"))
    numbering = _choice(c, "notes-numbering", ("chapter", "continuous"))
    palette = _choice(c, "cover-palette", tuple(sorted(PALETTES)), default=None)
    formats = _formats(c)
    source_isbn = _isbn(c, "source-isbn")
    accessibility = _accessibility(c)
    if c.problems:
        raise ConfigError.from_problems(c.problems)
    assert title is not None and language is not None and identifier is not None
    return BookConfig(
        root=root,
        config_file=file,
        title=title,
        subtitle=c.text("subtitle"),
        language=language,
        contributors=contributors,
        identifier=identifier,
        slug=slug,
        chapters=chapters,
        publisher=c.text("publisher"),
        date=date,
        isbn=isbn,
        rights=c.text("rights"),
        description=c.text("description"),
        subjects=subjects,
        cover=cover,
        notes=placement,
        notes_numbering=numbering,
        notes_heading=c.text("notes-heading"),
        cover_palette=palette,
        formats=formats,
        source_isbn=source_isbn,
        accessibility=accessibility,
    )


def _formats(c: _Collector) -> tuple[str, ...]:
    value = c.data.get("formats")
    if value is None:
        return DEFAULT_FORMATS
    names = value if isinstance(value, list) else [value]
    chosen, unknown = parse_formats(names)
    if unknown or not chosen:
        c.add(f"'formats' must list some of {', '.join(FORMATS)} (or all); "
              f"unknown: {', '.join(unknown) or 'none given'}", c.data, "formats")
        return DEFAULT_FORMATS
    return chosen


def _accessibility(c: _Collector) -> Accessibility:
    value = c.data.get("accessibility")
    if value is None:
        return Accessibility()
    if not isinstance(value, dict):
        c.add("'accessibility' must be a mapping (summary, hazards, conforms, certified-by, "
              "exemption)", c.data, "accessibility")
        return Accessibility()
    for key in value:
        if key not in ("summary", "hazards", "conforms", "certified-by", "exemption"):
            c.add(f"accessibility: unknown key '{key}'", value, key)
    hazards = value.get("hazards", ["none"])
    hazards = [hazards] if isinstance(hazards, str) else list(hazards or [])
    for hazard in hazards:
        if hazard not in HAZARDS:
            c.add(f"accessibility: unknown hazard '{hazard}' (one of {', '.join(sorted(HAZARDS))})",
                  value, "hazards")
    if value.get("exemption") and value["exemption"] not in EXEMPTIONS:
        c.add(f"accessibility: unknown exemption '{value['exemption']}' "
              f"(one of {', '.join(sorted(EXEMPTIONS))})", value, "exemption")
    if value.get("conforms") and value.get("exemption"):
        c.add("accessibility: claim conformance or an exemption, not both", value, "exemption")
    return Accessibility(
        summary=str(value["summary"]).strip() if value.get("summary") else None,
        hazards=tuple(str(h) for h in hazards) or ("none",),
        conforms=bool(value.get("conforms")),
        certified_by=str(value["certified-by"]).strip() if value.get("certified-by") else None,
        exemption=str(value["exemption"]).strip() if value.get("exemption") else None)


def _choice(c: _Collector, key: str, choices: tuple[str, ...], default: str | None = "") -> str | None:
    """One of ``choices``; ``default`` when absent or wrong (the first choice unless given)."""
    fallback = choices[0] if default == "" else default
    value = c.text(key)
    if value is None:
        return fallback
    if value not in choices:
        allowed = " or ".join(choices) if len(choices) == 2 else "one of " + ", ".join(choices)
        c.add(f"'{key}' must be {allowed}, not {value!r}", c.data, key)
        return fallback
    return value


def _language(c: _Collector) -> str | None:
    lang = c.text("language", required=True)
    if lang is None:
        return None
    if not _BCP47_SHAPE.match(lang) or not langcodes.tag_is_valid(lang):
        c.add(f"'language' is not a valid BCP 47 tag: {lang!r} (for example en-GB, ru, fr-CA)",
              c.data, "language")
        return None
    return lang


def _contributors(c: _Collector) -> tuple[Contributor, ...]:
    data = c.data
    if "contributors" in data and "author" in data:
        c.add("give either 'author' or 'contributors', not both", data, "author")
        return ()
    if "author" in data:
        name = c.text("author")
        if name is None:
            c.add("'author' must be a name", data, "author")
            return ()
        return (Contributor(name=name, roles=("aut",)),)
    items = data.get("contributors")
    if not isinstance(items, list) or not items:
        c.add("'contributors' (or 'author') is required: at least one name",
              data if "contributors" in data else None, "contributors")
        return ()
    result = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            c.add(f"contributor {i + 1} needs a 'name'", items, i)
            continue
        for key in item:
            if key not in ("name", "role", "file-as"):
                c.add(f"contributor {i + 1}: unknown key '{key}'", items, i)
        roles = item.get("role") or "author"
        codes = []
        for role in (roles if isinstance(roles, list) else [roles]):
            role = str(role).strip()
            code = ROLE_CODES.get(role, role if MARC_CODE.match(role) else None)
            if code is None:
                known = ", ".join(sorted(ROLE_CODES))
                c.add(f"contributor {i + 1}: unknown role '{role}' (use one of {known}, "
                      "or a three-letter MARC relator code)", items, i)
            else:
                codes.append(code)
        if not codes:
            continue
        file_as = str(item["file-as"]).strip() if item.get("file-as") else None
        result.append(Contributor(name=str(item["name"]).strip(), roles=tuple(codes),
                                  file_as=file_as))
    return tuple(result)


def _identifier(c: _Collector, title, language, contributors) -> tuple[str | None, str | None]:
    data = c.data
    if "isbn" in data and "identifier" in data:
        c.add("give either 'isbn' or 'identifier', not both", data, "identifier")
        return None, None
    if "isbn" in data:
        number = _isbn(c, "isbn")
        return number, f"urn:isbn:{number}" if number else None
    if "identifier" in data:
        return None, c.text("identifier")
    # No identifier given: derive a stable one so rebuilds keep the same book
    # identity in readers' libraries, instead of a new random UUID each time.
    seed = "\n".join([title or "", language or "", *(p.name for p in contributors)])
    return None, f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'bookbuild:' + seed)}"


def _isbn(c: _Collector, key: str) -> str | None:
    """An ISBN-10 or -13 with its check digit verified, as ISBN-13 digits."""
    raw = c.text(key)
    if raw is None:
        return None
    try:
        return stdnum_isbn.validate(raw, convert=True)
    except IsbnError as exc:
        c.add(f"'{key}' {raw!r} is not a valid ISBN: {exc.message}", c.data, key)
        return None


def _date(c: _Collector) -> str | None:
    value = c.data.get("date")
    if value is None:
        return None
    text = str(value).strip()
    if not _DATE.match(text):
        c.add(f"'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}", c.data, "date")
        return None
    return text


def _subjects(c: _Collector) -> tuple[str, ...]:
    value = c.data.get("subjects")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(s, (str, int)) for s in value):
        c.add("'subjects' must be a list of text", c.data, "subjects")
        return ()
    return tuple(str(s).strip() for s in value if str(s).strip())


def _inside(root: Path, rel: str) -> Path | None:
    path = (root / rel).resolve()
    return path if path.is_relative_to(root) else None


def _cover(c: _Collector, root: Path) -> Path | None:
    rel = c.text("cover")
    if rel is None:
        return None
    path = _inside(root, rel)
    if path is None:
        c.add(f"'cover' {rel!r} is outside the book directory", c.data, "cover")
    elif not path.is_file():
        c.add(f"'cover' file not found: {rel}", c.data, "cover")
    return path


def _chapters(c: _Collector, root: Path) -> tuple[ChapterEntry, ...] | None:
    data = c.data
    if "chapters" not in data:
        return None
    items = data["chapters"]
    if not isinstance(items, list) or not items:
        c.add("'chapters' must list at least one chapter file", data, "chapters")
        return ()
    result: list[ChapterEntry] = []
    seen: dict[Path, int] = {}
    for i, item in enumerate(items):
        line = c.line_of(items, i)
        if isinstance(item, str):
            item = {"file": item}
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            c.add(f"chapter {i + 1} must be a path or a mapping with 'file'", items, i)
            continue
        for key in item:
            if key not in ("file", "type", "title"):
                c.add(f"chapter {i + 1}: unknown key '{key}'", items, i)
        rel = item["file"]
        kind = str(item.get("type") or "chapter")
        if kind not in CHAPTER_TYPES:
            c.add(f"chapter {rel}: unknown type '{kind}' "
                  f"(one of {', '.join(sorted(CHAPTER_TYPES))})", items, i)
        path = _inside(root, rel)
        if path is None:
            c.add(f"chapter {rel} is outside the book directory", items, i)
            continue
        if not path.is_file():
            c.add(f"chapter file not found: {rel}", items, i)
            continue
        if path in seen:
            c.add(f"chapter {rel} is listed twice (first on line {seen[path]})", items, i)
            continue
        seen[path] = line or 0
        title = str(item["title"]).strip() if item.get("title") else None
        result.append(ChapterEntry(path=path, type=kind, title=title, line=line))
    return tuple(result)
