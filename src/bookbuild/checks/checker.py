"""The one call that checks an EPUB.

:func:`epubcheck` checks a readable file through the user's checker process
(:mod:`bookbuild.checks.service`; the run's client is ``Runtime.checker``),
within the time limit, and with ``scope`` only what changed since the book
last passed (:mod:`bookbuild.checks.scoped`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BookbuildError
from ..safety import limits
from . import scoped as scoped_check
from .epubcheck import Checker, CheckResult


def epubcheck(path: Path, using: Checker,
              scope: scoped_check.Scope | None = None) -> CheckResult:
    """Check a file we can read: EPUBCheck would call an unreadable one a broken
    EPUB (exit 1) when it is a wrong path (exit 2). With ``scope`` (a book and
    format built before, and where its passes are recorded), only what changed since it last passed is checked
    where that is sound (see scoped_check)."""
    if path.is_dir():
        raise BookbuildError("is a directory, not an EPUB file", path, code="file-not-regular")
    if not path.is_file():
        raise BookbuildError("no such file", path, code="file-not-found")
    try:
        path.open("rb").close()
    except OSError as exc:
        raise BookbuildError(f"cannot read the file: {exc.strerror}", path, code="file-unreadable") from None
    limits.check_epub(path)
    return using.check(path) if scope is None else scoped_check.check(path, using, scope)
