"""The pipeline in one function: config -> manuscript -> notes -> conversion ->
package -> artifacts -> checks -> report. Each stage returns a new frozen value."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import calibre, endnotes, notes
from .artifacts import write_formats
from .cache import ChapterCache, chapter_key
from .check import checker
from .config import FORMATS, BookConfig, format_names, load_config, parse_formats
from .convert import ConvertedChapter, convert_chapter
from .cover import cover_for
from .errors import ConfigError
from .manuscript import Manuscript, load_manuscript
from .package import build_package
from .report import BuildReport


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: BOOK_DIR/dist
    check: bool = True
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH, read by the caller
    formats: tuple[str, ...] | None = None  # None: book.yaml's formats
    jobs: int = os.cpu_count() or 1  # chapters converted at once
    cache: bool = True  # reuse conversions from BOOK_DIR/.bookbuild-cache


def build_book(book_dir: Path, options: BuildOptions = BuildOptions()) -> BuildReport:
    config = load_config(book_dir)
    formats, notices = choose_formats(config, options.formats)
    if options.check:
        checker()  # fail before writing anything when EPUBCheck cannot run; start its JVM here
    manuscript = load_manuscript(config)
    cover = cover_for(config)
    source_notes = [notes.scan(c.text, c.source) for c in manuscript.chapters]
    notes.check_all(source_notes)
    plans = endnotes.plan([f"{c.name}.xhtml" for c in manuscript.chapters], source_notes,
                          config.notes, config.notes_numbering)
    converted = convert_all(manuscript, source_notes, plans, options)
    modified = source_date(manuscript, converted, options.source_date_epoch)
    package = build_package(config, converted, cover, modified)
    artifacts = write_formats(package, cover, formats, options.out_dir or config.root / "dist",
                              modified, options.check)
    if options.check and checker().notice:
        notices += (checker().notice,)
    return BuildReport(
        book=config.root, title=config.title, chapters=len(converted),
        notes=sum(len(c.notes) for c in converted), artifacts=artifacts,
        warnings=notices + cover.warnings
        + tuple(f"{c.chapter.source.name}: {w}" for c in converted for w in c.warnings),
    )


def choose_formats(config: BookConfig, requested: tuple[str, ...] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The formats to write and any notice about skipped ones. AZW3 needs Calibre:
    asked for by name on the command line it is required, otherwise skipped."""
    if requested is None:
        formats, explicit = config.formats, False
    else:
        formats, unknown = parse_formats(list(requested))
        if unknown or not formats:
            raise ConfigError(f"unknown format {', '.join(unknown) or '(none)'}: "
                              f"use {', '.join(FORMATS)} or all")
        explicit = "azw3" in format_names(list(requested))  # "all" is not asking by name
    if "azw3" in formats and not calibre.available():
        if explicit:
            calibre.require()
        return tuple(f for f in formats if f != "azw3"), (f"skipping azw3: {calibre.INSTALL}",)
    return formats, ()


def convert_all(manuscript: Manuscript, source_notes: list[notes.SourceNotes],
                plans: tuple[endnotes.NotePlan, ...],
                options: BuildOptions) -> tuple[ConvertedChapter, ...]:
    """Convert chapters in parallel (Pandoc runs as a subprocess, so threads
    suffice), taking unchanged ones from the cache. Same bytes as a cold build."""
    config = manuscript.config
    cache = ChapterCache(config.root) if options.cache else None

    def one(chapter, source, plan) -> ConvertedChapter:
        key = chapter_key(chapter, plan, config) if cache else ""
        hit = cache.get(key, chapter) if cache else None
        if hit is not None:
            return hit
        conv = convert_chapter(chapter, source, plan, config)
        if cache:
            cache.put(key, conv)
        return conv

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        return tuple(pool.map(one, manuscript.chapters, source_notes, plans))


def source_date(manuscript: Manuscript, converted: tuple[ConvertedChapter, ...],
                epoch: int | None) -> dt.datetime:
    """The book's modification date, from the sources and never from the clock:
    SOURCE_DATE_EPOCH, else the book directory's last git commit, else the
    newest input file."""
    if epoch is None:
        epoch = _git_date(manuscript.config.root)
    if epoch is None:
        epoch = max(int(p.stat().st_mtime) for p in _inputs(manuscript.config, converted))
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)


def _inputs(config: BookConfig, converted: tuple[ConvertedChapter, ...]) -> list[Path]:
    paths = [config.config_file, *(c.chapter.source for c in converted),
             *(i.source for c in converted for i in c.images)]
    return paths + ([config.cover] if config.cover else [])


def _git_date(root: Path) -> int | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "."],
                              capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    out = proc.stdout.strip()
    return int(out) if proc.returncode == 0 and out.isdigit() else None
