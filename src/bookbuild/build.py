"""The pipeline in one function: config -> manuscript -> reading (Pandoc) ->
conversion -> notes placed -> links resolved -> package -> artifacts -> checks ->
report. Each stage returns a new frozen value."""

from __future__ import annotations

import contextvars
import dataclasses
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import gcpause
from .cache.chapters import ChapterCache, chapter_key, reading_key
from .chapters import foreign, rawmarkup
from .chapters.accessibility import book_image_warnings
from .chapters.bibliography import bibliography_chapter
from .chapters.convert import ConvertedChapter, conversion
from .chapters.reading import Reading, read_chapter
from .checks.service import Client
from .config import FORMATS, BookConfig, format_names, load_config, parse_formats
from .config.vocabulary import CLOSING_TYPES
from .epub import links
from .epub.package import build_package
from .errors import (BookbuildError, ConfigError, LinkError, ManuscriptError, Problem,
                     display_path)
from .look.cover import Cover, cover_for
from .look.theme import load_look
from .notes import markup
from .notes.plan import NotePlan, plan
from .output import calibre
from .output.artifacts import output_dir, write_formats
from .output.report import BuildReport
from .print.edition import print_edition
from .refs.book import ChapterReferences, settle
from .runtime import Runtime
from .safety.limits import LimitError
from .source.date import source_date
from .source.manuscript import Manuscript, load_manuscript
from .source.matter import with_matter


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: BOOK_DIR/dist
    check: bool = True
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH, read by the caller
    formats: tuple[str, ...] | None = None  # None: book.yaml's formats
    jobs: int = os.cpu_count() or 1  # chapters converted at once
    cache: bool = True  # reuse conversions from the user's cache directory
    service: bool = False  # leave the EPUBCheck checker this build starts running (checks.service)
    theme: str | None = None  # None: book.yaml's theme
    trust: frozenset[str] = frozenset()  # what the builder lets in (active.GRANTS); never the book


def build_book(book_dir: Path, options: BuildOptions = BuildOptions(),
               runtime: Runtime | None = None) -> BuildReport:
    """Build the book in ``runtime`` (a caller building several books passes
    one; without, the build makes its own from the environment and ends it)."""
    own = runtime is None
    runtime = runtime or Runtime.from_environment()
    try:
        with gcpause.paused(), runtime.active():
            return _build(book_dir, options, runtime)
    finally:
        if own:
            runtime.close()


def _build(book_dir: Path, options: BuildOptions, runtime: Runtime) -> BuildReport:
    config = load_config(book_dir)
    if options.theme:
        config = dataclasses.replace(config, theme=options.theme)
    config = dataclasses.replace(config, trust=options.trust)
    formats, notices = choose_formats(config, options.formats)
    notices += config.notices
    out_dir = output_dir(config.root, options.out_dir, book_dir)
    # Fail before writing anything when EPUBCheck cannot run; start Java now.
    epub_checker = runtime.checker(keep=options.service) if options.check else None
    try:
        manuscript = with_matter(load_manuscript(config))  # the author's files, then ours
    except BookbuildError as exc:  # the project's warnings may say why (mdBook's preprocessors)
        raise exc.with_warnings(*_warnings(config, notices)) from None
    try:
        return _build_manuscript(manuscript, config, options, runtime, formats, notices,
                                 out_dir, epub_checker)
    except BookbuildError as exc:  # each problem where its author wrote it (includes)
        placed = [manuscript.place(p) for p in exc.problems]
        if placed == list(exc.problems):
            raise
        raise type(exc).from_problems(placed).with_warnings(exc.warnings, exc.accepted) from None


def _build_manuscript(manuscript: Manuscript, config: BookConfig, options: BuildOptions,
                      runtime: Runtime, formats: tuple[str, ...], notices: tuple[Problem, ...],
                      out_dir: Path, epub_checker: Client | None) -> BuildReport:
    """The build from the chapters on: the problems it raises are at lines of
    the chapters' merged text, its warnings placed (``Manuscript.place``)."""
    errors = Errors()  # every stage's, reported at once before anything is written
    try:
        look = load_look(config)  # the theme, the book's stylesheet and fonts, checked
        cover = cover_for(config, faces=look.faces)
    except BookbuildError as exc:  # the chapters are checked all the same
        errors.add(type(exc), exc.problems)
        cover = None
    cache = ChapterCache(config.root, runtime.cache_dir) if options.cache else None
    readings = read_all(manuscript, cache, options.jobs, errors)
    for r in readings:
        errors.add(ManuscriptError, r.problems)
    notices += manuscript.notices
    readings = foreign_placed(readings, cache, manuscript.config.root)
    notices += foreign.warnings((r.chapter.source, r.foreign) for r in readings)
    notices += rawmarkup.tex_warnings((r.chapter.source, r.raw_tex) for r in readings)
    references = None
    if len(readings) == len(manuscript.chapters):  # else a label may be in the unread chapter
        try:
            references = settle([r.chapter for r in readings], [r.labels for r in readings],
                                [r.cites for r in readings], config)
        except BookbuildError as exc:  # the bibliography or its style cannot be read
            errors.add(type(exc), exc.problems)
    if references is not None:
        notices += references.warnings
        errors.add(ManuscriptError, references.problems)
    convertible = [n for n, r in enumerate(readings) if r.convertible]
    readings = tuple(readings[n] for n in convertible)
    typeset = "pdf" in formats
    converted = convert_all(readings, links.heading_references(readings), config, cache,
                            options.jobs, typeset,
                            None if references is None
                            else [references.chapters[n] for n in convertible], errors)
    notices += book_image_warnings((c.chapter.source, c.remote_images, c.undescribed_images)
                                   for c in converted)
    if references is not None and references.cite is not None and references.cite.nocite:
        at = len(converted)  # before the index and the colophon that close the book
        while at and converted[at - 1].chapter.type in CLOSING_TYPES:
            at -= 1
        converted = (converted[:at]
                     + (bibliography_chapter(config, references.cite, len(converted) + 1, typeset),)
                     + converted[at:])
    plans = plan([c.file for c in converted], [c.note_count for c in converted],
                 config.notes, config.notes_numbering)
    try:
        linked = links.resolve(tuple(place_notes(c, p, config.language)
                                     for c, p in zip(converted, plans)),
                               frozenset(c.source for c in manuscript.chapters)
                               - {c.chapter.source for c in converted})
    except LinkError as exc:
        errors.add(LinkError, exc.problems)
    errors.stop(manuscript, _warnings(config, _found(manuscript, notices, cover, converted)))
    try:  # what stops the build from here on (the print edition, a full disk) too
        modified = source_date(config.root, _inputs(config, linked), options.source_date_epoch)
        edition = None
        if typeset:  # the EPUB's page list then comes from the PDF, and names its ISBN
            edition = print_edition(config, linked, plans, modified, look.faces)
            linked = edition.chapters
            notices += edition.warnings
        package = build_package(
            dataclasses.replace(config, source_isbn=config.page_source) if edition else config,
            linked, cover, modified, look)
        artifacts, interrupted = write_formats(package, cover, formats, out_dir, modified,
                                               epub_checker, edition, options.check,
                                               runtime.cache_dir if options.cache else None)
    except BookbuildError as exc:
        raise exc.with_warnings(*_warnings(config, _found(manuscript, notices, cover, linked)))
    if interrupted:
        notices += (Problem(f"an earlier build of {config.slug} was killed while putting its "
                            f"files in place; {display_path(out_dir)} held files of two editions "
                            "until now", code="output-interrupted"),)
    if epub_checker and epub_checker.notice:
        notices += (Problem(epub_checker.notice, code="check-fallback"),)
    warnings, accepted = _warnings(config, _found(manuscript, notices, cover, linked))
    return BuildReport(
        book=config.root, title=config.title, chapters=len(linked),
        notes=sum(len(c.notes) for c in linked), artifacts=artifacts,
        warnings=warnings, accepted=accepted,
    )


def _found(manuscript: Manuscript, notices: tuple[Problem, ...], cover: Cover | None,
           chapters: Iterable[ConvertedChapter]) -> tuple[Problem, ...]:
    """The build's warnings at their authors' lines, in one order whether the
    build ends or stops (``cover`` None: it could not be made)."""
    found = notices + (cover.warnings if cover else ()) + tuple(w for c in chapters
                                                                 for w in c.warnings)
    return tuple(map(manuscript.place, found))


def _warnings(config: BookConfig, found: tuple[Problem, ...]
              ) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """``found`` as a report gives it: those shown, then those book.yaml accepts."""
    accepted = tuple(w for w in found if config.accepts(w))
    return tuple(w for w in found if w not in accepted), accepted


def choose_formats(config: BookConfig, requested: tuple[str, ...] | None) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """The formats to write and any notice about skipped ones. AZW3 needs Calibre:
    asked for by name on the command line it is required, otherwise skipped."""
    if requested is None:
        formats, explicit = config.formats, False
    else:
        formats, unknown = parse_formats(list(requested))
        if unknown or not formats:
            raise ConfigError(f"unknown format {', '.join(unknown) or '(none)'}: "
                              f"use {', '.join(FORMATS)} or all", code="format-unknown")
        explicit = "azw3" in format_names(list(requested))  # "all" is not asking by name
    if "azw3" in formats and not calibre.available():
        if explicit:
            calibre.require()
        return tuple(f for f in formats if f != "azw3"), (
            Problem(f"skipping azw3: {calibre.INSTALL}", code="format-skipped"),)
    return formats, ()


class Errors:
    """The errors of every stage of one build, so that an author fixes them in
    one pass: each stage goes on with what the earlier ones left sound (a
    chapter Pandoc could not read is not converted, nor are links into it
    judged), and the build stops once, before anything is written."""

    def __init__(self) -> None:
        self.kind: type[BookbuildError] | None = None  # the first stage's, raised
        self.problems: list[Problem] = []

    def add(self, kind: type[BookbuildError], problems: Iterable[Problem]) -> None:
        before = len(self.problems)
        self.problems += problems
        if len(self.problems) > before:
            self.kind = self.kind or kind

    def stop(self, manuscript: Manuscript,
             warnings: tuple[tuple[Problem, ...], tuple[Problem, ...]]) -> None:
        """Raise every problem, the book's own files' (its stylesheet, fonts,
        cover) first, then the chapters' in their order, each by line; one two
        stages found (an identifier used twice) once; with the ``warnings``
        (shown, accepted) found so far."""
        if self.kind is None:
            return
        order = {c.source: n for n, c in enumerate(manuscript.chapters)}
        problems = sorted(dict.fromkeys(self.problems),
                          key=lambda p: (order.get(p.file, -1), p.line or 0))
        raise self.kind.from_problems(problems).with_warnings(*warnings)


def _pool_map(jobs: int, fn, items):
    """Pandoc runs as a subprocess, so threads suffice; results in input order."""
    # Each task in its own copy of the caller's context: the runtime holds in every thread.
    tasks = [(contextvars.copy_context(), item) for item in items]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return tuple(pool.map(lambda task: task[0].run(fn, task[1]), tasks))


def _each(jobs: int, fn, items, errors: Errors | None) -> tuple:
    """``fn`` of every item; the errors of all go to ``errors`` and the others'
    results are returned, or without ``errors`` all are raised at once."""
    def one(item):
        try:
            return fn(item)
        except (ManuscriptError, LimitError) as exc:  # the chapter's; others stop the build
            return exc

    results = _pool_map(jobs, one, items)
    failed = [r for r in results if isinstance(r, BookbuildError)]
    if failed and errors is None:
        raise type(failed[0]).from_problems([p for exc in failed for p in exc.problems])
    for exc in failed:
        errors.add(type(exc), exc.problems)
    return tuple(r for r in results if not isinstance(r, BookbuildError))


def read_all(manuscript: Manuscript, cache: ChapterCache | None, jobs: int,
             errors: Errors | None = None) -> tuple[Reading, ...]:
    """Pandoc's reading of every chapter, unchanged ones from the cache."""
    def one(chapter) -> Reading:
        key = reading_key(chapter, manuscript.config.root) if cache else ""
        hit = cache.get_reading(key, chapter) if cache else None
        if hit is not None:
            return hit
        reading = read_chapter(chapter)
        if cache:
            cache.put_reading(key, reading)
        return reading

    return _each(jobs, one, manuscript.chapters, errors)


def foreign_placed(readings: tuple[Reading, ...], cache: ChapterCache | None,
                   root: Path) -> tuple[Reading, ...]:
    """The readings with the line of each kind of other tools' syntax placed
    where the book holds it first (``foreign.first_placed``), a reading newly
    placed put in the cache again: the next build reads no chapter for it."""
    placed = []
    for reading, found in zip(readings, foreign.first_placed(
            (r.chapter, r.foreign) for r in readings)):
        if found != reading.foreign:
            reading = dataclasses.replace(reading, foreign=found)
            if cache:
                cache.put_reading(reading_key(reading.chapter, root), reading)
        placed.append(reading)
    return tuple(placed)


def convert_all(readings: tuple[Reading, ...], definitions: list[tuple[tuple[str, str], ...]],
                config: BookConfig, cache: ChapterCache | None,
                jobs: int, typeset: bool = False,
                references: list[ChapterReferences] | None = None,
                errors: Errors | None = None) -> tuple[ConvertedChapter, ...]:
    """Convert chapters in parallel (with their Typst to ``typeset`` them),
    unchanged ones from the cache: the same bytes as a cold build. A chapter
    with problems whose conversion stands is returned, its problems in ``errors``
    (without ``errors``, raised with the others')."""
    def one(args) -> ConvertedChapter:
        reading, defs, refs = args
        key = chapter_key(reading.chapter, config, defs, typeset, refs) if cache else ""
        hit = cache.get(key, reading.chapter) if cache else None
        if hit is not None:
            return hit
        conv = conversion(reading, config, defs, typeset, refs)
        if cache and not conv.problems:
            cache.put(key, conv)
        return conv

    refs = references or (ChapterReferences(),) * len(readings)
    found = errors if errors is not None else Errors()
    converted = _each(jobs, one, list(zip(readings, definitions, refs)), found)
    found.add(ManuscriptError, [p for c in converted for p in c.problems])
    if errors is None and found.kind is not None:
        raise found.kind.from_problems(found.problems)
    return converted


def place_notes(conv: ConvertedChapter, note_plan: NotePlan, language: str) -> ConvertedChapter:
    """The chapter with its notes numbered and linked as the plan says."""
    body = conv.tree()
    notes, notes_list = markup.place(body, conv.notes_tree(), conv.note_count, note_plan, language)
    return dataclasses.replace(
        conv, body=etree.tostring(body, encoding="utf-8"), notes=notes,
        notes_list=None if notes_list is None else etree.tostring(notes_list, encoding="utf-8"))


def _inputs(config: BookConfig, converted: tuple[ConvertedChapter, ...]) -> list[Path]:
    paths = [config.config_file, *(c.chapter.source for c in converted),
             *dict.fromkeys(f for c in converted for f, _ in c.chapter.origins),  # included
             *(c.chapter.computed for c in converted if c.chapter.computed),  # results
             *(i.source for c in converted for i in c.images)]
    return paths + [p for p in (config.cover, config.css) if p] + [*config.fonts.text,
                                                                    *config.fonts.headings]
