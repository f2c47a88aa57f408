"""What a run of bookbuild holds for its builds: the limits in force, the Pandoc
workers, the cache directory and the client of the EPUB checker.

Made once by the command line or the library's entry (``build_book`` makes
one when given none) and handed to the builds it runs, so two runs in one
process (tests, a catalog with other limits) never share them by accident;
the lower stages reach the limits and the workers through ``active()``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import pandoc
from .cache.files import user_cache_dir
from .checks.service import Client
from .safety import limits


@dataclass
class Runtime:
    limits: limits.Limits
    cache_dir: Path
    pandoc: pandoc.Pool = field(default_factory=pandoc.Pool)
    _client: Client | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def from_environment(cls) -> Runtime:
        """``BOOKBUILD_LIMITS`` and the user's cache directory, as they are now."""
        return cls(limits.from_environment(), user_cache_dir())

    def checker(self, keep: bool = False) -> Client:
        """The run's client of the user's checker (made on first use; Java
        starts then, while the book converts). The checker is shared by every
        run of this user: one this run starts is stopped when the process
        exits, unless a caller asked to ``keep`` it for later commands."""
        with self._lock:
            if self._client is None:
                self._client = Client(keep)
            self._client.keep |= keep
            return self._client

    @contextlib.contextmanager
    def active(self) -> Iterator[Runtime]:
        """The limits and Pandoc workers of this runtime for the work done inside
        (and in threads given a copy of this context)."""
        with limits.in_force(self.limits), pandoc.using(self.pandoc):
            yield self

    def close(self) -> None:
        """End the runtime's Pandoc workers (and their scratch folders)."""
        self.pandoc.close()
