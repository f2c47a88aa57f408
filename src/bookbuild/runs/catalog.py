"""Many books in one run: one warm EPUBCheck, a pool of workers, and one
broken book never stopping the others.

Publishers rebuild whole catalogs and CI matrices split them: ``shard`` takes
every n-th book so n machines share a catalog without talking to each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ..build import BuildOptions
from ..errors import BookbuildError, ConfigError
from ..runtime import Runtime
from .outcome import BookOutcome, attempt


def read_catalog(path: Path) -> list[Path]:
    """One book directory per line, relative to the catalog file; '#' starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the catalog: {exc.strerror}", path, code="file-unreadable") from None
    return [(path.parent / line.split("#", 1)[0].strip()) for line in lines
            if line.split("#", 1)[0].strip()]


def shard(books: list[Path], spec: str) -> list[Path]:
    """Books i, i+n, i+2n, … of the list (``spec`` is "i/n", 1 <= i <= n)."""
    try:
        i, n = (int(part) for part in spec.split("/"))
    except ValueError:
        raise ConfigError(f"--shard must look like 2/5, not {spec!r}", code="option-invalid") from None
    if not 1 <= i <= n:
        raise ConfigError(f"--shard {spec}: the first number must be from 1 to {n}", code="option-invalid")
    return books[i - 1::n]


def build_catalog(books: Iterable[Path], options: BuildOptions, workers: int,
                  on_done: Callable[[BookOutcome], None] = lambda outcome: None,
                  ) -> tuple[BookOutcome, ...]:
    """Build every book, ``workers`` at a time (chapters within a book one by
    one, so the pool does not oversubscribe the cores); outcomes in input order."""
    books = list(books)
    per_book = dataclasses.replace(options, jobs=1)
    runtime = Runtime.from_environment()  # the catalog's Pandoc workers and checker serve every book
    if options.check:
        try:  # its checker starting while the books convert
            runtime.checker(keep=options.service)
        except BookbuildError:
            pass  # each book reports it
    outcomes: dict[int, BookOutcome] = {}
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(attempt, book, per_book, runtime): i
                       for i, book in enumerate(books)}
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[futures[future]] = outcome
                on_done(outcome)
    finally:
        runtime.close()
    return tuple(outcomes[i] for i in range(len(books)))


def worst_exit(outcomes: Iterable[BookOutcome]) -> int:
    return max((o.exit_code for o in outcomes), default=0)
