"""The pipeline in one function: config -> manuscript -> notes -> conversion ->
package -> artifacts -> checks -> report. Each stage returns a new frozen value."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import endnotes, notes
from .check import epubcheck, java_command
from .config import BookConfig, load_config
from .cover import cover_for
from .convert import ConvertedChapter, convert_chapter
from .notelinks import inspect_epub
from .manuscript import Manuscript, load_manuscript
from .package import Package, build_package, write_epub
from .report import Artifact, BuildReport


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: BOOK_DIR/dist
    check: bool = True
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH, read by the caller


def build_book(book_dir: Path, options: BuildOptions = BuildOptions()) -> BuildReport:
    config = load_config(book_dir)
    if options.check:
        java_command()  # fail before writing anything when EPUBCheck cannot run
    manuscript = load_manuscript(config)
    cover = cover_for(config)
    source_notes = [notes.scan(c.text, c.source) for c in manuscript.chapters]
    notes.check_all(source_notes)
    plans = endnotes.plan([f"{c.name}.xhtml" for c in manuscript.chapters], source_notes,
                          config.notes, config.notes_numbering)
    converted = tuple(convert_chapter(c, n, p, config)
                      for c, n, p in zip(manuscript.chapters, source_notes, plans))
    modified = source_date(manuscript, converted, options.source_date_epoch)
    package = build_package(config, converted, cover, modified)
    out_dir = options.out_dir or config.root / "dist"
    epub = write_atomic(out_dir / f"{package.slug}.epub",
                        lambda tmp: write_epub(package, tmp, modified))
    artifacts = (
        artifact("epub", epub, options.check),
        artifact("cover-jpg", write_atomic(out_dir / f"{package.slug}-cover.jpg",
                                           lambda tmp: tmp.write_bytes(cover.jpeg))),
        artifact("cover-thumbnail", write_atomic(out_dir / f"{package.slug}-cover-thumbnail.jpg",
                                                 lambda tmp: tmp.write_bytes(cover.thumbnail()))),
    )
    return BuildReport(
        book=config.root, title=config.title, chapters=len(converted),
        notes=sum(len(c.notes) for c in converted), artifacts=artifacts,
        warnings=cover.warnings
        + tuple(f"{c.chapter.source.name}: {w}" for c in converted for w in c.warnings),
    )


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


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write`` to a temporary file beside ``path``, then rename it
    into place: a failed or interrupted build leaves the previous file untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def artifact(fmt: str, path: Path, check: bool = False) -> Artifact:
    """Record a written file; EPUBs get their note links inspected and, when asked, EPUBCheck."""
    data = path.read_bytes()
    is_epub = path.suffix == ".epub"
    return Artifact(format=fmt, path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                    check=epubcheck(path) if check and is_epub else None,
                    notes=inspect_epub(path) if is_epub else None)
