"""What a run of bookbuild holds for its builds: the limits in force, the Pandoc
workers, the cache directory and the EPUB checker.

Made once by the command line or the library's entry (``build_book`` makes
one when given none) and handed to the builds it runs, so two runs in one
process (tests, a catalog with other limits) never share them by accident;
the lower stages reach the limits and the workers through ``active()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import pandoc
from .cache.files import user_cache_dir
from .safety import limits


@dataclass(frozen=True)
class Runtime:
    limits: limits.Limits
    cache_dir: Path
    pandoc: pandoc.Pool = field(default_factory=pandoc.Pool)
    checker: object | None = None  # what checks.checker.checker() chose, when chosen once

    @classmethod
    def from_environment(cls, checker: object | None = None) -> Runtime:
        """``BOOKBUILD_LIMITS`` and the user's cache directory, as they are now."""
        return cls(limits.from_environment(), user_cache_dir(), checker=checker)

    @contextlib.contextmanager
    def active(self) -> Iterator[Runtime]:
        """The limits and Pandoc workers of this runtime for the work done inside
        (and in threads given a copy of this context)."""
        with limits.in_force(self.limits), pandoc.using(self.pandoc):
            yield self

    def close(self) -> None:
        """End the runtime's Pandoc workers (and their scratch folders)."""
        self.pandoc.close()
