"""Temporary files and folders that a kill cannot strand.

Each temporary's name carries the id of the process that made it
(``.NAME.PID.XXXX.tmp`` beside an output, ``bookbuild-KIND-PID-XXXX`` in the
system temp directory). A killed process runs no clean-up, so the next run
removes the temporaries of processes that are gone, and only those: a build
running at the same time keeps its own. A name is not enough to be removed:
the entry must also be what this user's bookbuild makes, a regular file or a
real folder of this user's (never a link, a device or a stranger's file in a
shared folder such as /tmp).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import BookbuildError


def beside(final: Path, directory: bool = False) -> Path:
    """A new temporary beside ``final``, ending as ``final`` does (tools such as
    Calibre and EPUBCheck go by the extension)."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{final.name}.{os.getpid()}."
        if directory:
            return Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=final.parent))
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp" + final.suffix, dir=final.parent)
    except OSError as exc:
        raise BookbuildError(f"cannot write the file: {exc.strerror}", final, code="write-failed") from None
    os.close(fd)
    return Path(tmp)


#: A place that cannot take a file: full, over quota, or over the file-size
#: limit of the process (RLIMIT_FSIZE; Python ignores its SIGXFSZ, so a write fails).
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextlib.contextmanager
def writing(final: Path) -> Iterator[None]:
    """Around the writing of ``final`` (or of its temporary): a place that cannot
    take it is the user's to fix, named, not a bug."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _FULL:
            raise
        raise BookbuildError(f"cannot write the file: {exc.strerror}", final,
                             code="write-failed") from None


def in_system_temp(kind: str) -> tempfile.TemporaryDirectory:
    """A folder in the system temp directory (for bookbuild's or a tool's own
    scratch files), after sweeping those of dead processes."""
    assert kind in KINDS
    sweep_system()
    return tempfile.TemporaryDirectory(prefix=f"bookbuild-{kind}-{os.getpid()}-")


#: The kinds of scratch folder above (crash reports, bookbuild-bug-*, are kept).
KINDS = ("pandoc", "azw3", "typst", "preview")
_SYSTEM = re.compile(rf"bookbuild-(?:{'|'.join(KINDS)})-(\d+)-.*")


def sweep_system() -> None:
    """Remove the system temp folders of bookbuild processes that are gone."""
    sweep(Path(tempfile.gettempdir()), _SYSTEM)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep(directory: Path, pattern: re.Pattern) -> list[str]:
    """Remove the entries of ``directory`` whose names match ``pattern`` (its
    group 1 the process id) and whose process is gone; the names removed."""
    removed = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or alive(int(match.group(1))):
            continue
        kind = _made_by_us(entry)
        if kind == "folder":
            shutil.rmtree(entry, ignore_errors=True)  # links inside are removed, not followed
        elif kind == "file":
            entry.unlink(missing_ok=True)
        else:
            continue
        removed.append(entry.name)
    return removed


def _made_by_us(entry: Path) -> str | None:
    """"file" or "folder" if ``entry`` (not followed) is one this user owns."""
    try:
        st = entry.lstat()
    except OSError:
        return None
    if st.st_uid != os.geteuid():
        return None
    return "file" if stat.S_ISREG(st.st_mode) else "folder" if stat.S_ISDIR(st.st_mode) else None
