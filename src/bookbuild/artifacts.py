"""Write the requested formats into the output directory, atomically, and check them.

Every file goes to a temporary name beside its target and is renamed into
place, so a failed or interrupted build leaves the previous file untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import calibre
from .check import Checker, epubcheck, with_sources
from .cover import Cover
from .errors import BookbuildError
from .notelinks import inspect_azw3, inspect_epub
from .package import Package, sources, write_epub
from .profiles import epub_profiles
from .report import Artifact


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file beside ``path``. An output place that
    cannot take the file (-o on a file, a read-only directory) is the user's
    to fix: a BookbuildError, not a bug."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BookbuildError(f"cannot write the file: {exc.strerror}", path) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise BookbuildError(f"cannot write the file: {exc.strerror}", path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def artifact(fmt: str, path: Path, checker: Checker | None = None,
             package: Package | None = None) -> Artifact:
    """Record a written file: EPUBs and AZW3s get their note links inspected,
    EPUBs EPUBCheck too when asked, its messages naming the chapter's Markdown."""
    data = path.read_bytes()
    is_epub = path.suffix == ".epub"
    notes = inspect_epub(path) if is_epub else inspect_azw3(path) if fmt == "azw3" else None
    result = epubcheck(path, checker) if checker and is_epub else None
    if result is not None and package is not None:
        result = with_sources(result, sources(package))
    return Artifact(format=fmt, path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                    check=result, notes=notes)


def write_formats(package: Package, cover: Cover, formats: tuple[str, ...], out_dir: Path,
                  modified: dt.datetime, checker: Checker | None) -> tuple[Artifact, ...]:
    profiles = epub_profiles()
    base = out_dir / package.slug
    written: dict[str, Path] = {}
    results = []
    for fmt in formats:
        if fmt in profiles:
            profile = profiles[fmt]
            variant = profile.transform(package)
            path = write_atomic(base.with_name(base.name + profile.suffix),
                                lambda tmp, p=variant: write_epub(p, tmp, modified))
            written[fmt] = path
            results.append(artifact(fmt, path, checker, variant))
        elif fmt == "azw3":
            path = base.with_name(base.name + ".azw3")
            write_atomic(path, lambda tmp: _azw3(package, written.get("kindle-epub"), tmp, modified))
            results.append(artifact(fmt, path))
        elif fmt == "cover-jpg":
            results.append(artifact(fmt, write_atomic(base.with_name(base.name + "-cover.jpg"),
                                                      lambda tmp: tmp.write_bytes(cover.jpeg))))
            results.append(artifact("cover-thumbnail", write_atomic(
                base.with_name(base.name + "-cover-thumbnail.jpg"),
                lambda tmp: tmp.write_bytes(cover.thumbnail()))))
    return tuple(results)


def _azw3(package: Package, kindle_epub: Path | None, out: Path, modified: dt.datetime) -> None:
    """AZW3 from the Kindle profile: the file already written, or a temporary one."""
    with tempfile.TemporaryDirectory() as tmp:
        if kindle_epub is None:
            kindle_epub = Path(tmp) / "kindle.epub"
            write_epub(epub_profiles()["kindle-epub"].transform(package), kindle_epub, modified)
        # Calibre picks the output format from the name: give it one ending in .azw3.
        target = Path(tmp) / "book.azw3"
        calibre.to_azw3(kindle_epub, target, modified)
        out.write_bytes(target.read_bytes())
