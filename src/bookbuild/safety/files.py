"""Reading the files of a book, and only those.

Every file a build reads from the book (chapters, found by name or by
globbing, images, the cover) comes through here: its path is resolved, links
included, and must stay inside the book directory, and it must be a regular
file. So a chapter that is a link to ``/etc/passwd`` cannot ship that file, and
a FIFO named ``01.md`` cannot hang the build (it is opened without blocking and
refused).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import BookbuildError


class OutsideBookError(BookbuildError):
    """A path that leads out of the book directory, or to something not a file."""


def inside(path: Path, root: Path, what: str = "file") -> Path:
    """``path`` resolved, if it stays inside ``root``; links are followed only then."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise OutsideBookError(f"{what} leads outside the book directory (to {resolved}); "
                               "only files inside the book are read", path, code="file-outside-book")
    return resolved


def read_bytes(path: Path, root: Path, what: str = "file") -> bytes:
    """The bytes of a regular file inside ``root``."""
    resolved = inside(path, root, what)
    try:
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise OutsideBookError(f"{what} not found", path, code="file-not-found") from None
    except OSError as exc:
        raise OutsideBookError(f"cannot read the {what}: {exc.strerror}", path, code="file-unreadable") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OutsideBookError(f"{what} is not a regular file (a folder, FIFO or device); "
                                   "only regular files are read", path, code="file-not-regular")
        return f.read()


def is_regular(path: Path) -> bool:
    """A regular file, links followed (``Path.is_file`` without a FIFO's surprises)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
