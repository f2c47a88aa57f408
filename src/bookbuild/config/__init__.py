"""Load and validate ``book.yaml`` into a frozen :class:`BookConfig`.

ruamel.yaml reads the file and keeps every key's line (``yamlfile``); one strict
pydantic schema checks every key (``schema``); each error becomes a problem with
its line (``problems``), and all are raised at once, so a publisher fixes a
broken config in one pass. Only a valid file becomes a :class:`BookConfig`.
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap
from slugify import slugify

from ..errors import ConfigError
from ..projects import find as find_project
from ..safety.yamlfile import line_of, plain, read_yaml
from .problems import problems
from .schema import Book, Print, points
from .values import (
    Accepted,
    Accessibility,
    BookConfig,
    ChapterEntry,
    Contributor,
    Epigraph,
    FontSettings,
    PrintSettings,
    Series,
    Subject,
)
from .vocabulary import (
    BACK_MATTER_TYPES,
    CHAPTER_TYPES,
    DEFAULT_FORMATS,
    EXEMPTIONS,
    FORMATS,
    FRONT_MATTER_TYPES,
    HAZARDS,
    HEADINGLESS_TYPES,
    LANDMARK_TYPES,
    ROLE_CODES,
    TRIM_SIZES,
    format_names,
    parse_formats,
)

__all__ = [
    "BACK_MATTER_TYPES", "CHAPTER_TYPES", "CONFIG_NAME", "DEFAULT_FORMATS", "EXEMPTIONS", "FORMATS",
    "FRONT_MATTER_TYPES", "HAZARDS", "HEADINGLESS_TYPES", "LANDMARK_TYPES", "ROLE_CODES",
    "Accepted", "Accessibility", "BookConfig", "ChapterEntry", "Contributor", "Epigraph",
    "FontSettings",
    "PrintSettings", "Series", "Subject",
    "format_names", "load_config", "parse_formats"]

CONFIG_NAME = "book.yaml"


def load_config(book_dir: Path) -> BookConfig:
    """Read ``book_dir/book.yaml`` (``book_dir`` may name the file itself);
    raise :class:`ConfigError` listing every problem."""
    if book_dir.name == CONFIG_NAME and book_dir.is_file():
        book_dir = book_dir.parent
    root = book_dir.resolve()
    file = root / CONFIG_NAME
    if not root.is_dir():
        raise ConfigError(f"book directory not found: {book_dir}", code="book-not-found")
    if not file.is_file():
        project = find_project(root)
        if project is None:
            raise ConfigError(f"no {CONFIG_NAME} in {book_dir} (nor a bookdown, Quarto, mdBook or "
                              "GitBook project)", file, code="book-not-found")
        try:
            config = _validated(project.data, CommentedMap(), root, project.file)
        except ConfigError as exc:  # a project accepts no warning: all may say why
            raise exc.with_warnings(project.warnings, ()) from None
        return dataclasses.replace(config, project=project.kind, execute=project.execute,
                                   freeze=project.freeze, knitted=project.knitted,
                                   labels=project.labels,
                                   notices=project.warnings,
                                   bibliography_incomplete=project.bibliography_incomplete)
    return _validated(read_yaml(file, root), None, root, file)


def _validated(data: dict, lines: CommentedMap | None, root: Path, file: Path) -> BookConfig:
    """book.yaml's keys (``lines`` holds their lines when they were read from a file)."""
    lines = data if lines is None else lines
    try:
        book = Book.model_validate(plain(data), context={"root": root})
    except ValidationError as exc:
        raise ConfigError.from_problems(problems(exc, lines, file)) from None
    return _book_config(book, root, file, lines)


def _book_config(book: Book, root: Path, file: Path, data: CommentedMap) -> BookConfig:
    if book.author is not None:
        contributors: tuple[Contributor, ...] = (Contributor(name=book.author, roles=("aut",)),)
    else:
        contributors = tuple(Contributor(name=c.name, roles=tuple(c.role), file_as=c.file_as)
                             for c in book.contributors or ())
    chapters = None if book.chapters is None else tuple(
        ChapterEntry(path=c.file, type=c.type, title=c.title, line=line_of(data, ("chapters", i)),
                     markdown=c.markdown or book.markdown)
        if c.part is None else
        ChapterEntry(path=file, type="part", title=c.part, line=line_of(data, ("chapters", i)),
                     text="")
        for i, c in enumerate(book.chapters))
    a11y = book.accessibility
    return BookConfig(
        root=root,
        config_file=file,
        title=book.title,
        subtitle=book.subtitle,
        language=book.language,
        contributors=contributors,
        identifier=_identifier(book, contributors),
        slug=_slug(book),
        chapters=chapters,
        markdown=book.markdown,
        publisher=book.publisher,
        publisher_logo=book.publisher_logo,
        date=book.date,
        isbn=book.isbn,
        rights=book.rights,
        dedication=book.dedication,
        epigraph=book.epigraph and Epigraph(book.epigraph.text, book.epigraph.source),
        colophon=book.colophon,
        description=book.description,
        subjects=tuple(Subject(s.name or s.code, s.scheme, s.code)
                       for s in book.subjects if s.name or s.code),
        short_title=book.short_title,
        expanded_title=book.expanded_title,
        languages=tuple(dict.fromkeys(lang for lang in book.languages if lang != book.language)),
        series=book.series and Series(book.series.name, book.series.position),
        edition=book.edition,
        version=book.version,
        cover=book.cover,
        notes=book.notes,
        notes_numbering=book.notes_numbering,
        notes_heading=book.notes_heading,
        toc_depth=book.toc_depth,
        cover_palette=book.cover_palette,
        formats=tuple(book.formats),
        source_isbn=book.source_isbn,
        accessibility=Accessibility(
            summary=a11y.summary, hazards=tuple(a11y.hazards) or ("none",), conforms=a11y.conforms,
            certified_by=a11y.certified_by, exemption=a11y.exemption),
        print=_print_settings(book.print),
        theme=book.theme,
        css=book.css,
        fonts=FontSettings(text=tuple(book.fonts.text), headings=tuple(book.fonts.headings),
                           obfuscate=book.fonts.obfuscate),
        bibliography=tuple(book.bibliography),
        csl=book.csl,
        accept=tuple(Accepted(a.code, None if a.files is None else tuple(a.files))
                     for a in book.accept),
    )


def _slug(book: Book) -> str:
    """The output files' name: ``slug:``, else from the title; with the version when asked."""
    slug = book.slug or slugify(book.title) or "book"
    return f"{slug}-{book.version}" if book.version_in_file_names else slug


def _print_settings(settings: Print) -> PrintSettings:
    if settings.trim in TRIM_SIZES:
        width, height = (72 * side for side in TRIM_SIZES[settings.trim])
    else:
        w, h = settings.trim[:-2].split("x")
        unit = settings.trim[-2:]
        width, height = points(w + unit), points(h + unit)
    margins = {side: points(value) for side, value in settings.margins.model_dump().items()
               if value is not None}
    return PrintSettings(trim=settings.trim, width=width, height=height, isbn=settings.isbn,
                         colour=settings.colour, paper=points(settings.paper_thickness),
                         bleed=points(settings.bleed) if settings.bleed else 0.0, **margins)


def _identifier(book: Book, contributors: tuple[Contributor, ...]) -> str:
    """The URN for dc:identifier. With neither ISBN nor identifier, one derived from the
    title, language and names, so rebuilds keep the book's identity in readers' libraries."""
    if book.isbn:
        return f"urn:isbn:{book.isbn}"
    if book.identifier:
        return book.identifier
    seed = "\n".join([book.title, book.language, *(p.name for p in contributors)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'bookbuild:' + seed)}"
