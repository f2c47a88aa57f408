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

from ..errors import BookbuildError, ManuscriptError
from .xmlchars import NOT_XML


class OutsideBookError(BookbuildError):
    """A path that leads out of the book directory, or to something not a file."""


def resolve(path: Path, what: str = "file") -> Path:
    """``path`` with its links followed. A loop of links (``Path.resolve``
    raises RuntimeError for it) or a path the system refuses is the user's to fix."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:
        reason = "is a loop of symbolic links" if isinstance(exc, RuntimeError) \
            else f"cannot be read: {exc.strerror}"
        raise OutsideBookError(f"{what} {reason}", path, code="file-unreadable") from None


def inside(path: Path, root: Path, what: str = "file") -> Path:
    """``path`` resolved, if it stays inside ``root``; links are followed only then."""
    resolved = resolve(path, what)
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
        raise OutsideBookError(f"cannot read the {what}: {exc.strerror}", path,
                               code="file-unreadable") from None
    try:  # asked before reading: a folder cannot even be opened as a file object
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutsideBookError(f"{what} is not a regular file (a folder, FIFO or device); "
                                   "only regular files are read", path, code="file-not-regular")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def is_regular(path: Path) -> bool:
    """A regular file, links followed (``Path.is_file`` without a FIFO's surprises)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def read_text(path: Path, root: Path | None = None) -> str:
    """A chapter's text (or a project's index.Rmd): UTF-8 with or without BOM,
    CRLF/CR made LF, no character XML cannot carry. With ``root``, the file must
    be a regular file inside it."""
    data = read_bytes(path, root, "chapter") if root else path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line,
            code="text-not-utf8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = NOT_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise ManuscriptError(f"control character U+{ord(bad.group()):04X} at column {column}: "
                              "no e-book can show it; remove it", path, line,
                              code="control-character")
    return text
