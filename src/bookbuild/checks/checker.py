"""Which EPUBCheck checks a file, and the one call that checks it.

The checker is chosen once per process: the user's EPUBCheck service when
asked for and possible, else a warm JVM in this process, else the command
line. :func:`epubcheck` checks a readable file with it, within the time
limit, and with ``scope`` only what changed since the book last passed
(:mod:`bookbuild.checks.scoped`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import BookbuildError, ToolMissingError
from ..safety import limits
from . import scoped as scoped_check
from .epubcheck import Checker, CheckResult, CommandLineChecker, WarmChecker
from .service import ServiceChecker, ServiceUnavailable


@functools.cache
def checker(service: bool = False) -> Checker:
    """The process's checker: the user's EPUBCheck service when asked for and
    possible, else a warm JVM in this process, else the command line."""
    if service:
        try:
            return ServiceChecker()
        except ServiceUnavailable as exc:
            fallback = checker(False)
            fallback.notice = f"EPUBCheck runs in this process ({exc})"
            return fallback
    try:
        return WarmChecker()
    except ToolMissingError:
        raise
    except Exception as exc:  # JPype missing, JVM refused to start: fall back, loudly
        return CommandLineChecker(f"EPUBCheck runs from the command line, one JVM per file "
                                  f"(the in-process JVM could not start: {exc})")



def epubcheck(path: Path, using: Checker | None = None, scope: str | None = None) -> CheckResult:
    """Check a file we can read: EPUBCheck would call an unreadable one a broken
    EPUB (exit 1) when it is a wrong path (exit 2). With ``scope`` (a book and
    format built before), only what changed since it last passed is checked
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
    using = using or checker()
    if scope is not None:
        return limits.within(limits.current().epubcheck_seconds, "EPUBCheck",
                             "epubcheck-seconds", path,
                             lambda: scoped_check.check(path, using, scope))
    return limits.within(limits.current().epubcheck_seconds, "EPUBCheck", "epubcheck-seconds",
                         path, lambda: using.check(path))
