"""Rebuild on save: one line per build, and an error in the sources (or a bug
in bookbuild) is reported without stopping the watcher."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from .build import BuildOptions
from .errors import BookbuildError, display_path
from .outcome import attempt


def build_line(book_dir: Path, options: BuildOptions) -> str:
    """Build once and say how it went in one line."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    outcome = attempt(book_dir, options)
    if outcome.failure:
        return f"{stamp} " + "; ".join(outcome.failure.lines())
    report = outcome.report
    verdict = "ok" if report.exit_code == 0 else "CHECK FAILED"
    files = ", ".join(display_path(a.path) for a in report.artifacts
                      if a.format != "cover-thumbnail")
    failed = [f"{a.format}: {m}" for a in report.artifacts if a.check and not a.check.passed
              for m in a.check.messages if m.severity in ("FATAL", "ERROR", "WARNING")][:3]
    failed += [f"{a.format}: {p}" for a in report.artifacts if a.notes
               for p in a.notes.problems][:3]
    return (f"{stamp} {verdict} {files} ({outcome.seconds:.1f} s)"
            + ("".join(f"\n    {f}" for f in failed)))


class _SourcesOnly(watchfiles.DefaultFilter):
    """Ignore what the build itself writes (dist/, the cache) and editor droppings."""

    def __init__(self, ignored: list[Path]):
        super().__init__()
        self.ignored = [p.resolve() for p in ignored]

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        return super().__call__(change, path) and not any(
            resolved == p or p in resolved.parents for p in self.ignored)


def watch(book_dir: Path, options: BuildOptions, echo: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    if not book_dir.is_dir():  # watchfiles would raise a bare FileNotFoundError
        raise BookbuildError("no such book directory to watch", book_dir)
    out_dir = options.out_dir or book_dir / "dist"
    echo(build_line(book_dir, options))
    for _changes in watchfiles.watch(book_dir, watch_filter=_SourcesOnly([out_dir]),
                                     stop_event=stop, debounce=300, rust_timeout=500):
        echo(build_line(book_dir, options))
