"""book.yaml described once, as strict pydantic models.

Each key is a typed field: the type says what YAML may hold there (text,
true/false, a list, a mapping) and nothing is coerced, so ``conforms: no`` is
the text "no" and an error rather than a claim. The validators beside the types
check meaning (BCP 47, ISBN check digits, MARC roles, calendar dates, files
inside the book directory). A record's ``rules`` check several keys together
and run beside the field checks, so one pass finds every problem. Messages are
written for the person editing book.yaml; ``problems.py`` adds where they are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, ClassVar

import langcodes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, PydanticKnownError
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError as IsbnError

from ..codes import CODES, WARNING
from ..pandoc import READER, READERS, extensions
from ..safety.files import OutsideBookError, is_regular, resolve
from .palettes import PALETTES
from .styles import shipped_style
from .vocabulary import (
    CHAPTER_TYPES,
    DEFAULT_FORMATS,
    DEFAULT_THEME,
    DEFAULT_TRIM,
    EXEMPTIONS,
    FONT_SUFFIXES,
    FORMATS,
    HAZARDS,
    MARC_CODE,
    ROLE_CODES,
    SUBJECT_SCHEMES,
    THEMES,
    TOC_DEPTHS,
    TRIM_SIZES,
    TYPE_ALIASES,
    parse_formats,
)


def _yaml_key(name: str) -> str:
    """book.yaml spells the field ``notes_numbering`` as ``notes-numbering``."""
    return name.replace("_", "-")


def _invalid(message: str, code: str = "config-value") -> PydanticCustomError:
    """A problem in bookbuild's own words, reported as written; its type is its code."""
    return PydanticCustomError(code, message)


def _key(info: ValidationInfo) -> str:
    return repr(_yaml_key(info.field_name or ""))


# --- Text --------------------------------------------------------------------

def _filled(text: str, info: ValidationInfo) -> str:
    if not text.strip():
        raise _invalid(f"{_key(info)} must not be empty")
    return text.strip()


def _blank_is_none(text: str) -> str | None:
    return text.strip() or None


def _at_most(characters: int) -> Any:
    """No longer than ``characters``: a title is set on the cover and the title
    page, and a megabyte of it would cost minutes and gigabytes there."""
    def check(text: str, info: ValidationInfo) -> str:
        if len(text) > characters:
            raise _invalid(f"{_key(info)} has {len(text):,} characters, more than the "
                           f"{characters:,} any book needs")
        return text

    return AfterValidator(check)


# Names something, so it cannot be blank.
Text = Annotated[str, _at_most(1_000), AfterValidator(_filled)]
# A short line of prose; blank is as if not given.
FreeText = Annotated[str, _at_most(1_000), AfterValidator(_blank_is_none)]
# Paragraphs (a description, the rights): longer, and read by no typesetter.
Prose = Annotated[str, _at_most(100_000), AfterValidator(_blank_is_none)]


def _listed(value: Any) -> Any:
    """One value may stand for a list of one: ``role: translator``."""
    return [value] if isinstance(value, str) else value


def _one_or_many(item: Any) -> Any:
    return Annotated[list[item], BeforeValidator(_listed)]


def _one_of(choices: Iterable[str], noun: str | None = None) -> Any:
    """Text from a closed list; the message names the ``noun`` when there is one."""
    options = tuple(choices)

    def check(value: str, info: ValidationInfo) -> str:
        if value in options:
            return value
        if noun:
            raise _invalid(f"unknown {noun} {value!r} (one of {', '.join(sorted(options))})")
        allowed = " or ".join(options) if len(options) == 2 else "one of " + ", ".join(options)
        raise _invalid(f"{_key(info)} must be {allowed}, not {value!r}")

    return Annotated[str, AfterValidator(_filled), AfterValidator(check)]


# --- Values with a meaning ---------------------------------------------------

_BCP47_SHAPE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def _language(tag: str, info: ValidationInfo) -> str:
    if not _BCP47_SHAPE.fullmatch(tag) or not langcodes.tag_is_valid(tag):
        raise _invalid(f"{_key(info)} is not a valid BCP 47 tag: {tag!r} (for example en-GB, ru, fr-CA)")
    return tag


def _isbn(raw: str, info: ValidationInfo) -> str:
    """An ISBN-10 or -13 with its check digit verified, as ISBN-13 digits."""
    try:
        return stdnum_isbn.validate(raw, convert=True)
    except IsbnError as exc:
        reason = exc.message[0].lower() + exc.message[1:].rstrip(".")
        raise _invalid(f"{_key(info)} is not a valid ISBN: {raw!r} ({reason})") from None


# dc:date takes YYYY, YYYY-MM or YYYY-MM-DD; a YAML timestamp gives its date.
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?"
                   r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?)?)?")


def _date(text: str) -> str:
    match = _DATE.fullmatch(text)
    if match is None:
        raise _invalid(f"'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise _invalid(f"'date' is not a calendar date: {text!r} ({exc})") from None
    return "-".join(part for part in (year, month, day) if part)


def _shaped(pattern: str, shape: str) -> Any:
    """Text that matches ``pattern`` in full; the message says the ``shape`` wanted."""
    compiled = re.compile(pattern)

    def check(text: str, info: ValidationInfo) -> str:
        if not compiled.fullmatch(text):
            raise _invalid(f"{_key(info)} must be {shape}, not {text!r}")
        return text

    return AfterValidator(check)


# A file-name stem: the output files are named after it, so no path can hide in it.
_SLUG = re.compile(r"[\w-][\w.-]*")


def _slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug):
        raise _invalid("'slug' must be a plain file name (letters, digits, '.', '-' and '_', "
                       f"not starting with '.'), not {slug!r}")
    return slug


_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(in|mm|pt)")
_POINTS = {"in": 72.0, "mm": 72 / 25.4, "pt": 1.0}


def points(length: str) -> float:
    """A length as written in book.yaml (``0.75in``, ``18mm``, ``54pt``) in points."""
    number, unit = _LENGTH.fullmatch(length).groups()
    return float(number) * _POINTS[unit]


def _length(text: str, info: ValidationInfo) -> str:
    if not _LENGTH.fullmatch(text) or points(text) <= 0:
        raise _invalid(f"{_key(info)} must be a length such as 0.75in, 18mm or 54pt, not {text!r}")
    return text


def _trim(text: str) -> str:
    """A named trim size, or WIDTHxHEIGHT with a unit (``6x9in``, ``148x210mm``)."""
    if text.lower() in TRIM_SIZES:
        return text.lower()
    found = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|mm)", text.lower())
    if found is None or not all(2 <= points(found[n] + found[3]) / 72 <= 20 for n in (1, 2)):
        raise _invalid(f"'trim' must be a size such as 6x9in or 148x210mm (2 to 20 inches a "
                       f"side) or one of {', '.join(TRIM_SIZES)}, not {text!r}")
    return text.lower()


def _whole_number(value: Any) -> Any:
    """yamlfile keeps numbers as the text written; a count is read from it here."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value


def _toc_depth(depth: int) -> int:
    if depth not in TOC_DEPTHS:
        raise _invalid(f"'toc-depth' must be {', '.join(map(str, TOC_DEPTHS[:-1]))} or "
                       f"{TOC_DEPTHS[-1]} (levels of the contents, a chapter being 1), not {depth}")
    return depth


def _role_code(role: str) -> str:
    code = ROLE_CODES.get(role, role if MARC_CODE.fullmatch(role) else None)
    if code is None:
        raise _invalid(f"unknown role {role!r} (use one of {', '.join(sorted(ROLE_CODES))}, "
                       "or a three-letter MARC relator code)")
    return code


def _formats(names: list[str]) -> list[str]:
    chosen, unknown = parse_formats(names)
    if unknown or not chosen:
        raise _invalid(f"'formats' must list some of {', '.join(FORMATS)} (or all); "
                       f"unknown: {', '.join(unknown) or 'none given'}")
    return list(chosen)


def _as_path(value: Any, info: ValidationInfo) -> Path:
    if not isinstance(value, str):
        raise PydanticKnownError("string_type")
    return Path(_filled(value, info))


def _inside(what: str, rel: Path, info: ValidationInfo) -> Path:
    """A file inside the book directory (``context['root']``), resolved; ``what`` names it."""
    root: Path = info.context["root"]
    try:
        path = resolve(root / rel, what)
    except OutsideBookError as exc:
        raise _invalid(f"{exc.problems[0].message}: {rel}") from None
    if not path.is_relative_to(root):
        raise _invalid(f"{what} is outside the book directory: {rel}", "file-outside-book")
    if not path.exists():
        raise _invalid(f"{what} not found: {rel}", "file-not-found")
    if not is_regular(path):
        raise _invalid(f"{what} is not a regular file (a folder, FIFO or device): {rel}",
                       "file-not-regular")
    return path


def _book_file(what: str) -> Any:
    return Annotated[Path, BeforeValidator(_as_path),
                     AfterValidator(lambda rel, info: _inside(what, rel, info))]


def _csl(value: Any, info: ValidationInfo) -> Path:
    """A .csl file in the book, or the name of a style bookbuild ships."""
    name = _as_path(value, info).as_posix()
    if name.endswith(".csl"):
        return _inside("'csl' file", Path(name), info)
    style = shipped_style(name)
    if style is None:
        raise _invalid(f"'csl' {name!r} is neither a .csl file in the book nor a style "
                       "bookbuild ships (a name from the CSL styles repository, such as "
                       "chicago-author-date)")
    return style


_DIALECT = re.compile(r"([a-z_]+)((?:[+-][a-z0-9_]+)*)")


def _dialect(value: str) -> str:
    """A Pandoc reader of Markdown and its ``+ext``/``-ext``, each known to Pandoc."""
    found = _DIALECT.fullmatch(value.strip())
    if not found or found.group(1) not in READERS:
        raise _invalid(f"'markdown' must be one of {', '.join(READERS)} (with +extension or "
                       f"-extension after it, as Pandoc takes them), not {value!r}")
    reader, changes = found.groups()
    unknown = [name for name in re.findall(r"[+-]([a-z0-9_]+)", changes)
               if name not in extensions(reader)]
    if unknown:
        raise _invalid(f"'markdown': Pandoc's {reader} reader has no extension "
                       f"{', '.join(map(repr, unknown))} (pandoc --list-extensions={reader})")
    return value.strip()


def _suffix(what: str, suffixes: tuple[str, ...]) -> Any:
    def check(path: Path) -> Path:
        if path.suffix.lower() not in suffixes:
            raise _invalid(f"{what} must be a {', '.join(s[1:].upper() for s in suffixes)} file, "
                           f"not {path.name}")
        return path

    return AfterValidator(check)


Language = Annotated[str, AfterValidator(_filled), AfterValidator(_language)]
Isbn = Annotated[str, AfterValidator(_filled), AfterValidator(_isbn)]
Date = Annotated[str, AfterValidator(_filled), AfterValidator(_date)]
Slug = Annotated[str, AfterValidator(_filled), AfterValidator(_slug)]
Roles = Annotated[_one_or_many(Annotated[str, AfterValidator(_filled), AfterValidator(_role_code)]),
                  Field(min_length=1)]
ChapterFile = _book_file("file")
CoverFile = _book_file("'cover' file")


def _linkable(path: Path) -> Path:
    """A path the title page can name as an image (Pandoc's ``<...>`` destination)."""
    if set("<>\\\n") & set(path.as_posix()):
        raise _invalid(f"'publisher-logo' may not hold '<', '>' or '\\': {str(path)!r}")
    return path


LogoFile = Annotated[_book_file("'publisher-logo' file"), AfterValidator(_linkable)]
CssFile = Annotated[_book_file("'css' file"), _suffix("'css'", (".css",))]
FontFile = Annotated[_book_file("font file"), _suffix("a font", FONT_SUFFIXES)]
FontFiles = _one_or_many(FontFile)
Theme = _one_of(THEMES, "theme")
Dialect = Annotated[str, AfterValidator(_dialect)]
Bibliography = _one_or_many(_book_file("'bibliography' file"))
Csl = Annotated[Path, BeforeValidator(_csl)]
Formats = Annotated[_one_or_many(Text), AfterValidator(_formats)]
Hazards = _one_or_many(_one_of(HAZARDS, "hazard"))
Exemption = _one_of(EXEMPTIONS, "exemption")
ChapterType = Annotated[_one_of(CHAPTER_TYPES, "type"),
                        BeforeValidator(lambda value: TYPE_ALIASES.get(value, value))]
NotePlacement = _one_of(("chapter", "book"))
NoteNumbering = _one_of(("chapter", "continuous"))
Palette = _one_of(sorted(PALETTES))


def _not_the_books(value: str) -> str:
    """A book may say what is its default, never grant itself trust: that is
    the builder's (``--trust``), or any book could let its own scripts in."""
    if value == "allow":
        raise _invalid("raw-html: allow is not the book's to say: whoever builds grants it "
                       "with `bookbuild build --trust scripts` (and --trust typst for raw Typst)")
    return value


RawHtml = Annotated[_one_of(("refuse", "allow")), AfterValidator(_not_the_books)]
Length = Annotated[str, AfterValidator(_filled), AfterValidator(_length)]
# A version as publishers write one (1.2, 2026.1, 3.0.1-rc1): it may go into file names.
Version = Annotated[str, AfterValidator(_filled), _shaped(
    r"[0-9A-Za-z][0-9A-Za-z.+-]*", "letters, digits, '.', '+' and '-' (such as 1.2 or 2026.1)")]
Position = Annotated[str, AfterValidator(_filled), _shaped(r"\d+(\.\d+)?",
                                                          "a number such as 2 or 2.5")]
SubjectScheme = _one_of(SUBJECT_SCHEMES, "subject scheme")
Languages = _one_or_many(Language)
TocDepth = Annotated[int, BeforeValidator(_whole_number), AfterValidator(_toc_depth)]
Trim = Annotated[str, AfterValidator(_filled), AfterValidator(_trim)]


# --- Records -----------------------------------------------------------------

class Record(BaseModel):
    """A mapping in book.yaml: strict types, no unknown keys, keys spelt with hyphens."""

    model_config = ConfigDict(strict=True, extra="forbid", alias_generator=_yaml_key)

    label: ClassVar[str] = ""  # how messages name one: "contributor {n}"
    shape: ClassVar[str | None] = None  # what may stand for one; None: a mapping of its keys

    @classmethod
    def rules(cls, data: dict[str, Any]) -> Iterator[tuple[str, ...]]:
        """(key, message) for each check across keys that the mapping as written fails;
        (key, message, code) when its code is not config-value."""
        return iter(())

    @model_validator(mode="wrap")
    @classmethod
    def _fields_and_rules(cls, data: Any, handler: Any) -> Any:
        broken = [InitErrorDetails(type=_invalid(message, *code), loc=(key,), input=data.get(key))
                  for key, message, *code in cls.rules(data)] if isinstance(data, dict) else []
        try:
            record = handler(data)
        except ValidationError as exc:
            if not broken:
                raise
            raise ValidationError.from_exception_data(cls.__name__, [*_details(exc), *broken]) from None
        if broken:
            raise ValidationError.from_exception_data(cls.__name__, broken)
        return record


def _details(exc: ValidationError) -> Iterator[InitErrorDetails]:
    """The errors of ``exc`` in the form a new ValidationError is made from."""
    for error in exc.errors(include_url=False):
        kind = _invalid(error["msg"], error["type"]) if error["type"] in CODES else error["type"]
        yield InitErrorDetails(type=kind, loc=error["loc"], input=error["input"],
                               ctx=error.get("ctx", {}))


def _mapping_for(key: str) -> Any:
    """A record may be written as its one required value: ``- manuscript/01.md``."""
    return lambda value: {key: value} if isinstance(value, str) else value


class Contributor(Record):
    """One person in ``contributors``."""

    label: ClassVar[str] = "contributor {n}"
    shape: ClassVar[str | None] = "a name, or a mapping with 'name'"

    name: Text
    role: Roles = ["aut"]  # MARC relator codes once valid
    file_as: FreeText | None = None  # how the name sorts: "Quill, Ada"


class Chapter(Record):
    """One entry of the reading order, ``chapters``."""

    label: ClassVar[str] = "chapter {n}"
    shape: ClassVar[str | None] = "a path, or a mapping with 'file' (or 'part')"

    file: ChapterFile | None = None
    part: Text | None = None  # a part page made from this title alone (Quarto's parts)
    title: FreeText | None = None  # None: the chapter's first heading
    type: ChapterType = "chapter"  # EPUB structural semantics
    markdown: Dialect | None = None  # None: the book's

    @classmethod
    def rules(cls, data: dict[str, Any]) -> Iterator[tuple[str, ...]]:
        if "file" not in data and "part" not in data:
            yield "file", "'file' is required", "config-missing"
        elif "part" in data and ({"file", "title", "type", "markdown"} & data.keys()):
            yield "part", ("a 'part' entry is its title alone: no 'file', 'title', 'type' "
                           "or 'markdown'")


def _reading_order(chapters: list[Chapter]) -> list[Chapter]:
    """At least one chapter, none twice (reported on the second listing)."""
    if not chapters:
        raise _invalid("'chapters' must list at least one chapter file")
    first: dict[Path, int] = {}
    twice = []
    for i, chapter in enumerate(chapters):
        if chapter.file is None:
            continue
        if chapter.file in first:
            twice.append(InitErrorDetails(type=_invalid(
                f"chapter {i + 1} is listed twice (first as chapter {first[chapter.file] + 1})"),
                loc=(i,), input=str(chapter.file)))
        first.setdefault(chapter.file, i)
    if twice:
        raise ValidationError.from_exception_data("chapters", twice)
    return chapters


Contributors = list[Annotated[Contributor, BeforeValidator(_mapping_for("name"))]]
ReadingOrder = Annotated[list[Annotated[Chapter, BeforeValidator(_mapping_for("file"))]],
                         AfterValidator(_reading_order)]


class Series(Record):
    """``series:``, the series the book belongs to (``belongs-to-collection``)."""

    label: ClassVar[str] = "series"
    shape: ClassVar[str | None] = "a name, or a mapping with 'name' and 'position'"

    name: Text
    position: Position | None = None  # the book's number in the series: 2, or 2.5


class Subject(Record):
    """One entry of ``subjects``: a free subject, or a code in a scheme (BISAC, THEMA)."""

    label: ClassVar[str] = "subject {n}"
    shape: ClassVar[str | None] = "a name, or a mapping with 'name', 'scheme' and 'code'"

    name: FreeText | None = None  # what readers see; None: the code
    scheme: SubjectScheme | None = None
    code: Text | None = None

    @classmethod
    def rules(cls, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
        scheme, code = data.get("scheme"), data.get("code")
        if (scheme is None) != (code is None):
            yield ("code" if code is None else "scheme"), "give 'scheme' and 'code' together"
        elif isinstance(code, str) and scheme in SUBJECT_SCHEMES:
            pattern, example = SUBJECT_SCHEMES[scheme]
            if not re.fullmatch(pattern, code):
                yield "code", f"{code!r} is not a {scheme} code (such as {example})"


Subjects = list[Annotated[Subject, BeforeValidator(_mapping_for("name"))]]


def _warning_code(name: str) -> str:
    """A warning's code: an error stops the build because content would be lost
    or wrong, so it cannot be accepted."""
    if name not in CODES:
        close = difflib.get_close_matches(name, CODES, n=1)
        raise _invalid(f"unknown problem code {name!r}"
                       + (f" (did you mean {close[0]!r}?)" if close else " (the README lists them)"))
    if CODES[name].severity != WARNING:
        raise _invalid(f"{name!r} is an error, not a warning: errors cannot be accepted")
    return name


class Accept(Record):
    """One entry of ``accept``: a warning the book accepts, in the files named or in all."""

    label: ClassVar[str] = "accept {n}"
    shape: ClassVar[str | None] = "a mapping with 'code' and, optionally, 'files'"

    code: Annotated[Text, AfterValidator(_warning_code)]
    files: _one_or_many(Text) | None = None  # globs relative to the book; None: every file


class Accessibility(Record):
    """What ``accessibility`` claims; the rest of the metadata comes from the content."""

    label: ClassVar[str] = "accessibility"

    summary: Prose | None = None  # None: written from what the book holds
    hazards: Hazards = ["none"]
    conforms: bool = False  # claim EPUB Accessibility 1.1 / WCAG 2.1 AA: a legal statement
    certified_by: FreeText | None = None
    exemption: Exemption | None = None

    @classmethod
    def rules(cls, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
        if data.get("conforms") is True and "exemption" in data:
            yield "exemption", "claim conformance or an exemption, not both"


class Epigraph(Record):
    """``epigraph:``, a quotation the book opens with, and where it comes from."""

    label: ClassVar[str] = "epigraph"
    shape: ClassVar[str | None] = "the quotation, or a mapping with 'text' and 'source'"

    text: Annotated[Prose, AfterValidator(lambda text, info: _filled(text or "", info))]
    source: FreeText | None = None  # the attribution: "Laurence Sterne, Tristram Shandy"


class Margins(Record):
    """``print: {margins: ...}``: each side of the text block; unset sides keep the defaults."""

    label: ClassVar[str] = "margins"

    inside: Length | None = None  # the binding side: wider, so text does not vanish in the gutter
    outside: Length | None = None
    top: Length | None = None
    bottom: Length | None = None


class Print(Record):
    """``print:``, the print edition (``--format pdf``)."""

    label: ClassVar[str] = "print"

    trim: Trim = DEFAULT_TRIM
    margins: Margins = Margins()
    isbn: Isbn | None = None  # the print edition's ISBN: the EPUB's pageBreakSource
    colour: bool = False  # a colour interior; else black and white, and colour is a warning
    # One page's paper, for the spine's width (50 lb white offset: 444 pages an inch)
    paper_thickness: Length = "0.0572mm"
    # Printed beyond the trim on the outer sides (fore-edge, head, foot), cut off after
    bleed: Length | None = None


class Fonts(Record):
    """``fonts:``, the book's own typefaces: each a list of files (regular,
    italic, bold...), read for family, weight and style from the files."""

    label: ClassVar[str] = "fonts"

    text: FontFiles = []  # the body text
    headings: FontFiles = []  # headings and the title; none: the text's
    obfuscate: bool = True  # IDPF font obfuscation in the EPUB (its licence may ask for it)


class Book(Record):
    """The whole of book.yaml. A key given no value is as if it were not there."""

    title: Text
    language: Language
    subtitle: FreeText | None = None
    short_title: FreeText | None = None  # what a store shows where the full title does not fit
    expanded_title: FreeText | None = None  # title and subtitle in one, as catalogues want it
    languages: Languages = []  # further languages of the text, after 'language'
    series: Annotated[Series, BeforeValidator(_mapping_for("name"))] | None = None
    edition: FreeText | None = None  # "2", or "Second edition"
    version: Version | None = None  # this file's version, for the publisher's records
    version_in_file_names: bool = False  # <slug>-<version>.epub
    author: Text | None = None  # short for contributors: [{name: ..., role: author}]
    contributors: Contributors | None = None
    publisher: FreeText | None = None
    publisher_logo: LogoFile | None = None  # an image set above the publisher's name
    date: Date | None = None
    isbn: Isbn | None = None
    identifier: Text | None = None  # any other identifier, written as given
    source_isbn: Isbn | None = None  # the print edition this e-book reproduces
    rights: Prose | None = None
    # Front and back matter bookbuild writes unless a chapter of that type is the author's own.
    dedication: Prose | None = None
    epigraph: Annotated[Epigraph, BeforeValidator(_mapping_for("text"))] | None = None
    colophon: Prose | None = None  # a closing note on the making of the book
    description: Prose | None = None
    subjects: Subjects = []
    cover: CoverFile | None = None
    chapters: ReadingOrder | None = None  # None: manuscript/*.md in name order
    markdown: Dialect = READER  # the chapters' dialect, as Pandoc names its reader
    slug: Slug | None = None  # None: from the title
    notes: NotePlacement = "chapter"
    notes_numbering: NoteNumbering = "chapter"
    notes_heading: FreeText | None = None  # None: "Notes" in the book's language
    toc_depth: TocDepth = 2  # levels in the contents: chapters and their sections (parts above)
    cover_palette: Palette | None = None  # None: chosen by the title
    formats: Formats = list(DEFAULT_FORMATS)
    accessibility: Accessibility = Accessibility()
    raw_html: RawHtml = "refuse"  # only "refuse": trust is the builder's (--trust)
    print: Print = Print()
    theme: Theme = DEFAULT_THEME
    css: CssFile | None = None  # the book's stylesheet, after the theme's
    fonts: Fonts = Fonts()
    bibliography: Bibliography = []  # BibTeX, CSL JSON or CSL YAML files, for citeproc
    csl: Csl | None = None  # None: Chicago notes and bibliography
    accept: list[Accept] = []  # warnings the book accepts, by code and file

    @classmethod
    def rules(cls, data: dict[str, Any]) -> Iterator[tuple[str, ...]]:
        if "author" in data and "contributors" in data:
            yield "author", "give either 'author' or 'contributors', not both"
        elif "author" not in data and not data.get("contributors"):
            yield ("contributors", "'contributors' (or 'author') is required: at least one name",
                   "config-missing")
        if "isbn" in data and "identifier" in data:
            yield "identifier", "give either 'isbn' or 'identifier', not both"
        if data.get("version-in-file-names") is True and "version" not in data:
            yield "version-in-file-names", "'version-in-file-names' needs a 'version'"
