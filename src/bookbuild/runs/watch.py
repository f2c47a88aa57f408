"""Rebuild on save: one line per build, and an error in the sources (or a bug
in bookbuild) is reported without stopping the watcher."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from ..build import BuildOptions
from ..errors import BookbuildError, display_path
from ..output.names import is_output
from ..runtime import Runtime
from .outcome import BookOutcome, attempt


def describe(outcome: BookOutcome) -> str:
    """One build's outcome in one line (and up to six lines of failed checks)."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    if outcome.failure:
        return f"{stamp} " + "; ".join(outcome.failure.lines())
    report = outcome.report
    verdict = "ok" if report.exit_code == 0 else "CHECK FAILED"
    files = ", ".join(display_path(a.path) for a in report.artifacts
                      if a.format != "cover-thumbnail" and a.written)
    failed = [f"{a.format}: {m}" for a in report.artifacts if a.check and not a.check.passed
              for m in a.check.messages if m.severity in ("FATAL", "ERROR", "WARNING")][:3]
    failed += [f"{a.format}: {p}" for a in report.artifacts if a.notes
               for p in a.notes.problems][:3]
    return (f"{stamp} {verdict} {files} ({outcome.seconds:.1f} s)"
            + ("".join(f"\n    {f}" for f in failed)))


class _SourcesOnly(watchfiles.DefaultFilter):
    """Ignore what the build itself writes and editor droppings. An output
    directory apart from the book is ignored whole; one that holds the book
    (``-o BOOK_DIR``) only for the files a build writes there, and whatever
    is inside its temporary folders."""

    def __init__(self, book_dir: Path, out_dir: Path):
        super().__init__()
        self.out_dir = out_dir.resolve()
        self.apart = not book_dir.resolve().is_relative_to(self.out_dir)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if self.apart:
            output = resolved.is_relative_to(self.out_dir)
        else:
            entry = _entry(resolved, self.out_dir)
            output = entry is not None and is_output(entry)
        return super().__call__(change, path) and not output


def _entry(path: Path, folder: Path) -> str | None:
    """The name of the entry of ``folder`` that is or holds ``path``."""
    return path.relative_to(folder).parts[0] if path.is_relative_to(folder) and path != folder else None


def watch(book_dir: Path, options: BuildOptions, echo: Callable[[str], None],
          stop: threading.Event | None = None,
          built: Callable[[BookOutcome], None] | None = None, first: bool = True) -> None:
    """Build (unless ``first`` is false), then rebuild on every change to the
    sources; ``built`` hears each outcome (``bookbuild preview`` reloads on it)."""
    if not book_dir.is_dir():  # watchfiles would raise a bare FileNotFoundError
        raise BookbuildError("no such book directory to watch", book_dir, code="book-not-found")
    out_dir = options.out_dir or book_dir / "dist"
    runtime = Runtime.from_environment()  # one for the session: Pandoc's workers stay warm

    def once() -> None:
        outcome = attempt(book_dir, options, runtime)
        echo(describe(outcome))
        if built:
            built(outcome)

    try:
        if first:
            once()
        while True:
            folders = _folders(book_dir, out_dir)
            for _changes in watchfiles.watch(*folders, recursive=False, stop_event=stop,
                                             watch_filter=_SourcesOnly(book_dir, out_dir),
                                             debounce=300, rust_timeout=500):
                once()
                if _folders(book_dir, out_dir) != folders:
                    break  # a folder came or went: watch the new set
            else:
                return  # stopped
    finally:
        runtime.close()


def _folders(book_dir: Path, out_dir: Path) -> list[Path]:
    """The book's own folders, each watched alone and none reached through a
    link: watchfiles follows links when it watches a folder recursively, so a
    link to /usr in the book put a watch on each of its sixteen thousand folders."""
    keep = _SourcesOnly(book_dir, out_dir)
    found = []
    for root, dirs, _files in os.walk(book_dir):  # never into a linked folder
        found.append(Path(root))
        dirs[:] = sorted(d for d in dirs if keep(watchfiles.Change.modified, os.path.join(root, d)))
    return found

