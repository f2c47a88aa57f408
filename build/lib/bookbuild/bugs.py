"""Bugs: any exception that is not a BookbuildError.

The user gets one line; the traceback goes to a crash report for the bug
report. The report is written in the system temp directory: in the book
directory or the working directory it would be debris (and could end up
committed or packaged).
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import __version__


@dataclass(frozen=True)
class Bug:
    message: str  # the exception's type and first line, e.g. "RuntimeError: boom"
    details: Path | None  # the crash report; None when the temp directory refused it

    def __str__(self) -> str:
        where = f"details in {self.details}" if self.details else \
            f"no details: cannot write to {tempfile.gettempdir()}"
        return f"{self.message} ({where}); please report it"

    def to_dict(self) -> dict:
        return {"message": self.message, "details": str(self.details) if self.details else None}


def record(exc: BaseException) -> Bug:
    """Write the crash report for ``exc`` (traceback, versions, command line)."""
    first = str(exc).strip().splitlines()
    message = type(exc).__name__ + (f": {first[0]}" if first else "")
    report = (f"bookbuild {__version__}\nPython {sys.version} on {platform.platform()}\n"
              f"command: {shlex.join(sys.argv)}\n\n" + "".join(traceback.format_exception(exc)))
    try:
        fd, name = tempfile.mkstemp(prefix=time.strftime("bookbuild-bug-%Y%m%d-%H%M%S-"),
                                    suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(report)
    except OSError:
        return Bug(message, None)
    return Bug(message, Path(name))
