"""Resolve the reading order and read each chapter's text.

This is the only stage that touches chapter files on disk: later stages work on
the decoded, normalised text held in :class:`Chapter`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from ..config import BACK_MATTER_TYPES, FRONT_MATTER_TYPES, BookConfig, ChapterEntry
from ..errors import ManuscriptError, Problem, display_path
from ..pandoc import READER, Parsed, read_markdown
from ..pandoc.locate import locate
from ..projects.computed import Computed
from ..projects.freeze import frozen
from ..projects import mdlinks
from ..projects.include import includes
from ..projects.knitr import chunks
from ..projects.knitted import already_knitted, kept_by_quarto
from ..safety import files as bookfiles
from ..safety import limits

MANUSCRIPT_DIR = "manuscript"


@dataclass(frozen=True)
class Chapter:
    index: int  # 1-based position in the reading order
    source: Path
    type: str
    title: str | None  # from book.yaml; None means "take the first heading"
    text: str  # BOM stripped, line endings normalised to \n
    ordinal: int = 1  # its place among the chapters of its type: "Chapter 3" when untitled
    markdown: str = READER  # the dialect: Pandoc's reader name, with its extensions
    #: Per engine, the knitr/Quarto chunks whose results are missing (see projects.knitr).
    never_ran: tuple[tuple[str, int, int], ...] = ()
    unrun: tuple[str, ...] = ()  # the labels of those chunks
    knitr: bool = False  # knitr's step found a chunk in it: R Markdown (or Quarto's)
    #: A page bookbuild wrote from book.yaml (source/matter.py): its file name, "titlepage".
    written: str | None = None
    number: int | None = None  # its place among the author's files; None: its index
    #: Per line of ``text``, the file and line it was written at, when Quarto's
    #: includes brought other files' lines in (see projects.include); else empty.
    origins: tuple[tuple[Path, int], ...] = ()
    #: The file knitr or Quarto wrote that ``text`` is (projects.computed): an input of the book.
    computed: Path | None = None

    def parse(self, text: str | None = None) -> Parsed:
        """Pandoc's reading of the chapter (or of ``text`` standing for it) in its dialect."""
        return read_markdown(self.text if text is None else text, self.source, self.markdown)

    def origin(self, line: int | None) -> tuple[Path, int | None]:
        """The file and line the author wrote line ``line`` of ``text`` at: a
        line of the file included there, else the chapter's own."""
        if line is not None and 0 < line <= len(self.origins):
            return self.origins[line - 1]
        return self.source, line

    @property
    def name(self) -> str:
        """File stem inside the EPUB: stable, ASCII, and unique by its number
        among the author's files (the pages bookbuild writes shift none)."""
        if self.written:
            return self.written
        stem = _slug(self.source.stem)
        return f"c{self.number or self.index:02d}-{stem}"

    def line_of(self, needle: str, shows: Callable[[Parsed], bool] | None = None) -> int | None:
        """The source line of something found in the converted output: the first
        line at which Pandoc's reading shows it (see :mod:`bookbuild.pandoc.locate`),
        or without ``shows`` the first line holding ``needle``."""
        if shows is not None:
            return locate(self.text, shows, needle, self.parse)
        at = self.text.find(needle) if needle else -1
        return self.text.count("\n", 0, at) + 1 if at >= 0 else None

    @property
    def matter(self) -> str:
        if self.type in FRONT_MATTER_TYPES:
            return "frontmatter"
        if self.type in BACK_MATTER_TYPES:
            return "backmatter"
        return "bodymatter"


@dataclass(frozen=True)
class Manuscript:
    config: BookConfig
    chapters: tuple[Chapter, ...]
    #: What reading the chapters found to say: results Quarto froze for an older text.
    notices: tuple[Problem, ...] = ()

    def place(self, problem: Problem) -> Problem:
        """``problem`` at the file and line its author wrote: a line of a
        chapter's merged text is a line of the file included there."""
        chapter = next((c for c in self.chapters if c.origins and c.source == problem.file),
                       None)
        if chapter is None:
            return problem
        file, line = chapter.origin(problem.line)
        return dataclasses.replace(problem, file=file, line=line)


@functools.lru_cache(maxsize=4096)
def _slug(stem: str) -> str:
    """A file stem as an EPUB file name's: asked for thousands of times a build
    (every link, note and nav entry names its document), computed once."""
    return slugify(stem, max_length=40) or "chapter"


def _count(seen: Counter[str], kind: str) -> int:
    seen[kind] += 1
    return seen[kind]


def load_manuscript(config: BookConfig) -> Manuscript:
    entries = config.chapters
    if entries is None:
        folder = config.root / MANUSCRIPT_DIR
        entries = tuple(ChapterEntry(path=bookfiles.inside(p, config.root, "chapter"),
                                     markdown=config.markdown)
                        for p in sorted(folder.glob("*.md")))
        if not entries:
            raise ManuscriptError(
                f"no chapters: {display_path(folder)} has no .md files and "
                "book.yaml has no 'chapters' list", config.config_file, code="chapters-missing")
    seen: Counter[str] = Counter()
    made = [_chapter(i, e, config, _count(seen, e.type)) for i, e in enumerate(entries, start=1)]
    return Manuscript(config=config, chapters=tuple(c for c, _ in made),
                      notices=tuple(n for _, said in made for n in said))


#: Files knitr or Quarto would run, wherever they are, and the projects whose files they run.
KNITTED = (".rmd", ".qmd")
KNITTING = ("bookdown", "quarto")


def _knitted(entry: ChapterEntry, config: BookConfig) -> bool:
    """Whether knitr's chunk step reads the file first: a bookdown or Quarto
    project's, an .Rmd or .qmd, and any chapter in Pandoc Markdown, which has
    no reading of a knitr header at all (```` ```{r} ```` is no fence there:
    it becomes inline code, or its closing fence opens a block that eats the
    text after it), so a header there is knitr's (an .Rmd renamed .md). In
    gfm or CommonMark it is a fence of class ``{r}``, code as the author's
    toolchain shows it, left to Pandoc."""
    return (config.project in KNITTING or entry.path.suffix.lower() in KNITTED
            or entry.markdown.split("+")[0].split("-")[0] == READER)


def _computed(entry: ChapterEntry, text: str,
              config: BookConfig) -> tuple[Computed | None, tuple[Problem, ...]]:
    """What the author's toolchain computed of the chapter, when it is there
    and its own rules would use it: Quarto's frozen results, else the Markdown
    it kept (a chapter changed since its results were frozen and with none
    kept is said once, the notice returned with it), or the Markdown knitr
    wrote of an R Markdown chapter."""
    if entry.text is not None:
        return None, ()
    if config.project == "quarto":
        thawed = frozen(entry.path, text, config.root, config.freeze)
        kept = None if thawed.results else kept_by_quarto(entry.path, text, config.root)
        if kept is not None:
            return kept, ()
        stale = (Problem(
            "the chapter changed since Quarto froze its results (_freeze/), which Quarto "
            "would run again: the book shows its code, not their results; render it with "
            "Quarto to freeze them anew", entry.path, code="freeze-stale"),) if thawed.stale else ()
        return thawed.results, stale
    return already_knitted(entry.path, text, config.root, config.knitted), ()


def _chapter(index: int, entry: ChapterEntry, config: BookConfig,
             ordinal: int) -> tuple[Chapter, tuple[Problem, ...]]:
    """One chapter, its text within the limits; what its toolchain computed
    of it when that is there; else a Quarto project's chapter, or any .qmd,
    with its includes pasted in; a bookdown or Quarto project's chapter, or
    any .Rmd or .qmd, with its code chunks as knitr finds them."""
    text = bookfiles.read_text(entry.path, config.root) if entry.text is None else entry.text
    limits.check_text(text, entry.path)
    limits.check_yaml_blocks(text, entry.path)
    never_ran: tuple[tuple[str, int, int], ...] = ()
    unrun: tuple[str, ...] = ()
    knitr = False
    origins: tuple[tuple[Path, int], ...] = ()
    done, notices = _computed(entry, text, config)
    if done is not None:  # what knitr or Quarto's engine wrote when the author rendered it
        limits.check_text(done.text, entry.path)
        return Chapter(index=index, source=entry.path, type=entry.type, title=entry.title,
                       text=done.text, ordinal=ordinal, markdown=entry.markdown,
                       origins=done.origins, computed=done.file), notices
    if entry.text is None and (config.project == "quarto" or entry.path.suffix.lower() == ".qmd"):
        included = includes(text, entry.path, config.root, entry.markdown)
        text, origins = included.text, included.origins
    elif entry.text is None and config.project == "mdbook":
        included = mdlinks.includes(text, entry.path, config.root)
        text, origins = included.text, included.origins
    if entry.text is None and _knitted(entry, config):
        chunked = chunks(text, dict(config.execute), entry.path.parent)
        text, never_ran, unrun, knitr = (chunked.text, chunked.never_ran, chunked.unrun,
                                         chunked.knitr)
    return Chapter(index=index, source=entry.path, type=entry.type, title=entry.title, text=text,
                   ordinal=ordinal, markdown=entry.markdown, never_ran=never_ran, unrun=unrun,
                   knitr=knitr, origins=origins), notices
