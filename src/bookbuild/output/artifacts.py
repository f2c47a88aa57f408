"""Write the requested formats into the output directory, atomically, and check them.

Every file is written and checked under a temporary name in the output
directory (``.NAME.PID.XXXX.tmp``); only when all are done are they renamed
into place, one after another, so an interrupted build leaves the previous
edition whole. A kill cannot run any clean-up, so the next build of the book
removes the temporaries of processes that are gone; and it says so if the
killed build had already begun renaming (then the output briefly held files
of two editions, until this build replaced them all).

The output directory is the builder's to choose (``-o``); one inside the book
(``dist/`` by default) is the book's to shape, so it may not lead out of the
book through a link (see :func:`output_dir`).
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import hashlib
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..checks.checker import epubcheck
from ..checks.epubcheck import Checker, with_sources
from ..checks.notelinks import inspect_azw3, inspect_epub
from ..checks.scoped import Scope
from ..epub.ocf import Deflater
from ..epub.package import Package, sources, write_epub
from ..errors import BookbuildError
from ..look.cover import Cover
from ..print.edition import PrintEdition
from ..profiles import epub_profiles
from ..safety import temporaries
from ..safety.files import OutsideBookError
from . import calibre
from .names import every_name, file_name
from .report import Artifact


def output_dir(root: Path, chosen: Path | None = None, book_dir: Path | None = None) -> Path:
    """Where a build of the book at ``root`` (named ``book_dir`` by the user)
    writes: ``chosen`` (``-o``, trusted) or ``root/dist``. A path inside the
    book may not lead out of it through a link the book holds: a ``dist``
    linked to ~/Documents would have the build overwrite files there and sweep
    that folder."""
    out = root / "dist" if chosen is None else chosen
    absolute = Path(os.path.abspath(out))
    books = {Path(os.path.abspath(b)) for b in (root, book_dir) if b is not None}
    if any(absolute.is_relative_to(b) for b in books):
        resolved = Path(os.path.realpath(out))  # a loop stays unresolved: writing it fails
        if not resolved.is_relative_to(root.resolve()):
            raise OutsideBookError(f"the output directory leads outside the book (to {resolved}) "
                                   "through a link in the book; a build never follows one out: "
                                   "remove the link, or name the folder itself with -o", out, code="file-outside-book")
    return out


def sweep(out_dir: Path, names: list[str]) -> bool:
    """Remove temporaries of ``names`` left by processes that were killed; True
    if one of them had begun renaming its files into place (``names[0]``)."""
    pattern = re.compile(r"\.(?:%s)\.(\d+)\..*\.tmp(\.\w+)?" % "|".join(map(re.escape, names)))
    return any(name.startswith(f".{names[0]}.") for name in temporaries.sweep(out_dir, pattern))


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file beside ``path``. An output place that
    cannot take the file (-o on a file, a read-only directory) is the user's
    to fix: a BookbuildError, not a bug."""
    tmp = temporaries.beside(path)
    try:
        with temporaries.writing(path):
            write(tmp)
        _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _publish(tmp: Path, path: Path) -> None:
    os.chmod(tmp, 0o644)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise BookbuildError(f"cannot write the file: {exc.strerror}", path, code="write-failed") from None


def artifact(fmt: str, path: Path, checker: Checker | None = None,
             package: Package | None = None, final: Path | None = None,
             cache: Path | None = None) -> Artifact:
    """Record a written file (at ``final`` once in place): EPUBs and AZW3s get
    their note links inspected, EPUBs EPUBCheck too when asked, its messages
    naming the chapter's Markdown; with a ``cache``, scoped to what changed
    since the same book and format last passed."""
    data = path.read_bytes()
    is_epub = (final or path).suffix == ".epub"
    scope = Scope(f"{(final or path).resolve()}|{fmt}", cache / "checks") if cache else None
    with ThreadPoolExecutor(1) as pool:  # the note links are read while EPUBCheck works
        context = contextvars.copy_context()  # the run's limits hold in the thread too
        notes = pool.submit(context.run, inspect_epub if is_epub else inspect_azw3, path) \
            if is_epub or fmt == "azw3" else None
        result = epubcheck(path, checker, scope) if checker and is_epub else None
        notes = notes.result() if notes is not None else None
    if result is not None and package is not None:
        result = with_sources(result, sources(package))
    return Artifact(format=fmt, path=final or path, size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), check=result, notes=notes)


def write_formats(package: Package, cover: Cover, formats: tuple[str, ...], out_dir: Path,
                  modified: dt.datetime, checker: Checker | None,
                  edition: PrintEdition | None = None, check: bool = True,
                  cache: Path | None = None) -> tuple[tuple[Artifact, ...], bool]:
    """The artifacts, and whether a killed build had left the output mixed."""
    profiles = epub_profiles()
    interrupted = sweep(out_dir, every_name(package.slug))
    temporaries.sweep_system()
    staged: list[tuple[Path, Path]] = []  # (temporary, final)
    # the formats share most documents, and a rebuild most of its streams
    deflate = Deflater(cache / "deflated" if cache else None)
    withdrawn: list[Path] = []  # files of an earlier build this one must not leave in place

    def stage(fmt: str, write: Callable[[Path], object]) -> tuple[Path, Path]:
        final = out_dir / file_name(package.slug, fmt)
        tmp = temporaries.beside(final)
        staged.append((tmp, final))
        with temporaries.writing(final):
            write(tmp)
        return tmp, final

    results = []
    try:
        for fmt in formats:
            if fmt in profiles:
                profile = profiles[fmt]
                variant = profile.transform(package)
                tmp, final = stage(fmt, lambda t, p=variant: write_epub(p, t, modified, deflate))
                results.append(artifact(fmt, tmp, checker, variant, final, cache))
            elif fmt == "azw3":
                kindle_name = file_name(package.slug, "kindle-epub")
                kindle = next((t for t, f in staged if f.name == kindle_name), None)
                tmp, final = stage(fmt, lambda t: _azw3(package, kindle, t, modified, cache, deflate))
                results.append(artifact(fmt, tmp, final=final))
            elif fmt == "cover-jpg":
                tmp, final = stage(fmt, lambda t: t.write_bytes(cover.jpeg))
                results.append(artifact(fmt, tmp, final=final))
                tmp, final = stage("cover-thumbnail", lambda t: t.write_bytes(cover.thumbnail()))
                results.append(artifact("cover-thumbnail", tmp, final=final))
            elif fmt == "pdf" and edition is not None:
                pdf = _print_edition(edition, check, stage, out_dir / file_name(package.slug, fmt))
                results.append(pdf)
                if not pdf.written:
                    withdrawn.append(pdf.path)
        marker = temporaries.beside(out_dir / every_name(package.slug)[0])
        try:
            for tmp, final in staged:
                _publish(tmp, final)
            for final in withdrawn:
                final.unlink(missing_ok=True)
        finally:
            marker.unlink()
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return tuple(results), interrupted


def _print_edition(edition: PrintEdition, check: bool,
                   stage: Callable[[str, Callable[[Path], object]], tuple[Path, Path]],
                   final: Path) -> Artifact:
    """The PDF, staged unless its print check failed: then it is not written, and
    the caller takes an earlier build's out of the output, so that none stands
    there as if good."""
    facts = {"check": edition.check if check else None, "pages": len(edition.layout.pages),
             "spine": edition.spine}
    if check and not edition.check.passed:
        return Artifact(format="pdf", path=final, size=len(edition.pdf),
                        sha256=hashlib.sha256(edition.pdf).hexdigest(), notes=None, **facts)
    tmp, final = stage("pdf", lambda t: t.write_bytes(edition.pdf))
    return dataclasses.replace(artifact("pdf", tmp, final=final), **facts)


def _azw3(package: Package, kindle_epub: Path | None, out: Path, modified: dt.datetime,
          cache: Path | None, deflate: Deflater) -> None:
    """AZW3 from the Kindle profile: the file already written, or a temporary one."""
    work = temporaries.beside(out.parent / file_name(package.slug, "azw3"), directory=True)
    try:
        if kindle_epub is None:
            kindle_epub = work / "kindle.epub"
            write_epub(epub_profiles()["kindle-epub"].transform(package), kindle_epub, modified,
                       deflate)
        # Calibre picks the output format from the name: give it one ending in .azw3.
        target = work / "book.azw3"
        calibre.cached_azw3(kindle_epub, target, modified, work, cache)
        out.write_bytes(target.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)
