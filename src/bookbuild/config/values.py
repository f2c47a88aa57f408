"""The frozen values every later stage reads, built once book.yaml is valid."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

from ..errors import Problem
from ..pandoc import READER
from .vocabulary import DEFAULT_FORMATS


@dataclass(frozen=True)
class Contributor:
    name: str
    roles: tuple[str, ...]  # MARC relator codes: "translated and introduced by" is two
    file_as: str | None = None


@dataclass(frozen=True)
class Accessibility:
    """What book.yaml says under ``accessibility:``; the rest is derived from the content."""

    summary: str | None = None  # None: written from what the book holds
    hazards: tuple[str, ...] = ("none",)
    conforms: bool = False  # claim EPUB Accessibility 1.1 / WCAG 2.1 AA
    certified_by: str | None = None
    exemption: str | None = None  # e.g. eaa-microenterprise


@dataclass(frozen=True)
class Epigraph:
    text: str  # paragraphs apart by blank lines
    source: str | None = None


@dataclass(frozen=True)
class PrintSettings:
    """The print edition's page, in points (1/72 in), from ``print:`` in book.yaml."""

    trim: str = "5.5x8.5in"  # as written (or named)
    width: float = 5.5 * 72
    height: float = 8.5 * 72
    inside: float = 0.8 * 72  # margins: the binding side
    outside: float = 0.6 * 72
    top: float = 0.8 * 72  # the running head sits inside the top margin
    bottom: float = 0.8 * 72  # and the folio of chapter openings inside the bottom one
    isbn: str | None = None  # ISBN-13 of the print edition
    colour: bool = False  # a colour interior (else black and white)
    paper: float = 0.0572 * 72 / 25.4  # one page's thickness, for the spine
    bleed: float = 0.0  # beyond the trim on the outer sides: fore-edge, head and foot

    def sheet(self) -> PrintSettings:
        """The page as typeset: the trim grown by the bleed on its outer sides,
        and the outer margins with it, so that the text block stays where the
        trim puts it (the spine's side is bound, and has none)."""
        b = self.bleed
        return replace(self, width=self.width + b, height=self.height + 2 * b,
                                   outside=self.outside + b, top=self.top + b,
                                   bottom=self.bottom + b, bleed=0.0)


@dataclass(frozen=True)
class Subject:
    name: str  # what readers see (the code when book.yaml gives no name)
    scheme: str | None = None  # BISAC, THEMA: the OPF's authority
    code: str | None = None  # the OPF's term


@dataclass(frozen=True)
class Series:
    name: str
    position: str | None = None  # as written: 2, 2.5


@dataclass(frozen=True)
class FontSettings:
    """``fonts:`` in book.yaml: absolute paths of the text's and the headings' faces."""

    text: tuple[Path, ...] = ()
    headings: tuple[Path, ...] = ()
    obfuscate: bool = True


@dataclass(frozen=True)
class ChapterEntry:
    """One line of the reading order as the user wrote it."""

    path: Path  # absolute
    type: str = "chapter"
    title: str | None = None
    line: int | None = None  # where book.yaml names it, for error messages
    text: str | None = None  # None: the file's; a part made from its title alone has ""
    markdown: str = READER  # the dialect Pandoc reads it in: a reader name with its extensions


@dataclass(frozen=True)
class Accepted:
    """One entry of ``accept:``: a warning code, in the files its globs (relative
    to the book) match, or in every file (and where no file is named) without globs."""

    code: str
    files: tuple[str, ...] | None = None

    def covers(self, warning: Problem, root: Path) -> bool:
        if warning.code != self.code:
            return False
        if self.files is None:
            return True
        if warning.file is None or not warning.file.is_relative_to(root):
            return False
        rel = warning.file.relative_to(root).as_posix()
        return any(fnmatchcase(rel, glob.removeprefix("./")) for glob in self.files)


@dataclass(frozen=True)
class BookConfig:
    root: Path
    config_file: Path
    title: str
    language: str
    contributors: tuple[Contributor, ...]
    identifier: str  # full URN written to dc:identifier
    slug: str
    chapters: tuple[ChapterEntry, ...] | None  # None: manuscript/*.md in name order
    markdown: str = READER  # the chapters' dialect (each entry says its own)
    project: str | None = None  # "bookdown" or "quarto": the toolchain whose project this is
    #: Quarto's project-level ``execute:`` options (``eval``, ``echo``, ``include``), the
    #: defaults of every chunk.
    execute: tuple[tuple[str, bool], ...] = ()
    #: Quarto's ``execute: freeze: true``: frozen results are used however old (projects.freeze).
    freeze: bool = False
    #: bookdown's output folder, where it keeps each chapter knitted (projects.knitted).
    knitted: str | None = None
    #: The book's own labels for numbered things, by word key (``figure``,
    #: ``theorem``, ``chapter``...), ``{n}`` the number: bookdown's ``language:``.
    labels: tuple[tuple[str, str], ...] = ()
    subtitle: str | None = None
    publisher: str | None = None
    publisher_logo: Path | None = None  # absolute: the title page's image of the publisher
    date: str | None = None
    isbn: str | None = None  # ISBN-13, digits only
    rights: str | None = None
    dedication: str | None = None  # paragraphs apart by blank lines
    epigraph: Epigraph | None = None
    colophon: str | None = None
    description: str | None = None
    subjects: tuple[Subject, ...] = ()
    short_title: str | None = None
    expanded_title: str | None = None
    languages: tuple[str, ...] = ()  # the text's other languages, after ``language``
    series: Series | None = None
    edition: str | None = None
    version: str | None = None
    cover: Path | None = None
    notes: str = "chapter"  # where notes go: "chapter" or "book"
    notes_numbering: str = "chapter"  # "chapter" (restart at 1) or "continuous"
    notes_heading: str | None = None  # None: "Notes" in the book's language
    toc_depth: int = 2  # levels in the contents, a chapter's entry being 1 (a part's above it)
    cover_palette: str | None = None  # a designed cover's colours; None: from the title
    formats: tuple[str, ...] = DEFAULT_FORMATS
    source_isbn: str | None = None  # the print edition this e-book reproduces, ISBN-13
    accessibility: Accessibility = Accessibility()
    # What the person who builds grants (``--trust``, see active.GRANTS); never read from book.yaml.
    trust: frozenset[str] = frozenset()
    print: PrintSettings = PrintSettings()
    theme: str = "classic"  # data/themes/NAME.css
    css: Path | None = None  # the book's own stylesheet, after the theme's
    fonts: FontSettings = FontSettings()
    bibliography: tuple[Path, ...] = ()  # absolute; citations are processed when given
    csl: Path | None = None  # the citation style file; None: citestyles.DEFAULT
    accept: tuple[Accepted, ...] = ()  # warnings the book accepts (``accept:``)
    #: What the configuration leaves out, said by the build (a project's missing bibliography).
    notices: tuple[Problem, ...] = ()
    #: A bibliography file the project names is missing: a key not found may be in it.
    bibliography_incomplete: bool = False

    def accepts(self, warning: Problem) -> bool:
        """Whether ``accept:`` names this warning (in its file): it is then not shown."""
        return any(a.covers(warning, self.root) for a in self.accept)

    @property
    def page_source(self) -> str | None:
        """The print edition whose page numbers the EPUB's page list gives."""
        return self.print.isbn or self.source_isbn
