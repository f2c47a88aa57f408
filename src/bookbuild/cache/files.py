"""The user's cache directory, the one way a file is put there, and the
fingerprint of the tools that made an entry: for the chapter cache, the AZW3
cache and the scoped check's records alike.

Entries live in the user's cache directory (``$XDG_CACHE_HOME/bookbuild``,
else ``~/.cache/bookbuild``), never in the book, so a manuscript from outside
cannot bring its own; each is found by a hash of everything that shaped it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

from .. import pandoc
from ..errors import BookbuildError


def user_cache_dir() -> Path:
    """Where this user's cache lives (the XDG base directory convention)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bookbuild"


def store(path: Path, data: bytes) -> None:
    """Put a file of the user's cache in place whole: written under a temporary
    name and renamed, so two builds running at once never see half of one. A
    cache folder that is not one (a file in its place), or full, is the user's
    to fix: set-up, not a bug."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise BookbuildError(f"cannot write bookbuild's cache: {exc.strerror}; mend it, set "
                             "XDG_CACHE_HOME to another folder, or build with --no-cache",
                             path, code="write-failed") from None


@functools.cache
def tools_fingerprint() -> str:
    """Pandoc's version and bookbuild's own code: any change to either is a miss."""
    digest = hashlib.sha256(pandoc.version().encode())
    package = resources.files("bookbuild")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.suffix in (".py", ".lua", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(Path(str(package))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
