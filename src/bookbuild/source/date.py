"""The book's modification date, from its sources and never from the clock.

SOURCE_DATE_EPOCH is the builder's word and comes first; else the last commit
that touched the book's directory; else the newest input file. The date must
lie where a zip entry can record it (1980 to 2107), or the book cannot be
packaged reproducibly: a date outside is bad input naming where it came from.

A book may arrive with its own ``.git`` (a zip of the author's working copy),
and the ``git`` program obeys that repository's config: ``log.showSignature``
with ``gpg.program=./tool`` runs the book's program, and hooks, pagers and
fsmonitor are the same kind of door. So no ``git`` runs: the repository is read
as data by dulwich, in a child process (``python -I -m bookbuild.source.date``,
away from the book's directory and any module planted there) held to a time
and memory limit. The child opens only regular files inside the repository it
found, and prints one number; nothing of the repository's content reaches a
message.
"""

from __future__ import annotations

import builtins
import datetime as dt
import io
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import BookbuildError
from ..safety import limits

#: What a zip entry's date can hold (MS-DOS date: 1980 to 2107, two-second steps).
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc)


def source_date(root: Path, inputs: Iterable[Path], epoch: int | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH, else the last commit touching ``root``, else the newest input."""
    if epoch is not None:
        return _within(epoch, "SOURCE_DATE_EPOCH", None)
    commit = last_commit(root)
    if commit is not None:
        return _within(commit, "the book's last git commit", root)
    newest = max(inputs, key=lambda p: p.stat().st_mtime)
    return _within(int(newest.stat().st_mtime), "this file's modification time", newest)


def _within(epoch: int, what: str, file: Path | None) -> dt.datetime:
    try:
        when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        when = None
    if when is None or not EARLIEST <= when <= LATEST:
        raise BookbuildError(f"{what} ({epoch} seconds since 1970) is not between 1980 and "
                             "2107, the dates an EPUB's zip can record; set SOURCE_DATE_EPOCH "
                             "to the book's date", file, code="source-date-invalid")
    return when


def last_commit(root: Path) -> int | None:
    """The commit time of the last commit that touched ``root``, or None without a
    repository (or one that cannot be read as one). No child is started where no
    folder from ``root`` up has a ``.git`` entry (looked at, never read): most
    books outside a repository, every build in a temporary folder."""
    if not any(os.path.lexists(top / ".git") for top in (root.resolve(), *root.resolve().parents)):
        return None
    bound = limits.current()
    proc = limits.run([sys.executable, "-I", "-m", "bookbuild.source.date", str(root.resolve())],
                      "reading the book's git history", bound.git_seconds, "git-seconds", root,
                      memory_mb=bound.git_memory_mb, cwd="/")
    out = proc.stdout.decode("ascii", "replace").strip()
    return int(out) if proc.returncode == 0 and out.lstrip("-").isdigit() else None


# --- the child process ---------------------------------------------------------

def _repository(root: Path) -> tuple[Path, Path] | None:
    """The working tree holding ``root`` and its git directory, found as git finds
    them (``.git`` a directory, or a file naming one)."""
    for top in (root, *root.parents):
        dot = top / ".git"
        if dot.is_dir():
            return top, dot.resolve()
        if dot.is_file():
            first = _pointer(dot)
            if first is not None and first.startswith("gitdir: "):
                return top, (top / first[len("gitdir: "):].strip()).resolve()
            return None
    return None


def _pointer(file: Path) -> str | None:
    """The first line of a small pointer file (``.git``, ``commondir``), read only
    when it is a regular file itself, never through a link."""
    try:
        info = file.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
        return None
    return file.read_text("utf-8", "replace").partition("\n")[0]


def _open_only_inside(allowed: tuple[Path, ...]) -> None:
    """From here on this process opens regular files inside ``allowed`` and
    nothing else: a symlink to /etc/passwd or a FIFO in the repository is refused."""
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, int):
            return real_open(file, *args, **kwargs)
        path = Path(os.fsdecode(file)).resolve()
        if not any(path.is_relative_to(a) for a in allowed):
            raise PermissionError(f"outside the repository: {file}")
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise PermissionError(f"not a regular file: {file}")
        return real_open(path, *args, **kwargs)

    builtins.open = io.open = guarded


def _child(root: Path) -> int | None:
    found = _repository(root)
    if found is None:
        return None
    top, gitdir = found
    if top == root and not gitdir.is_relative_to(root):
        return None  # the book's own .git names a folder outside the book
    common = gitdir
    if (gitdir / "commondir").exists():  # a worktree of another checkout
        pointer = _pointer(gitdir / "commondir")
        if pointer is None:
            return None
        common = (gitdir / pointer.strip()).resolve()
        if top == root and not common.is_relative_to(root):
            return None
    if (common / "objects" / "info" / "alternates").exists():
        return None  # objects borrowed from elsewhere: not this repository's alone
    _open_only_inside((gitdir, common))
    from dulwich.repo import Repo  # imported after the guard: it opens files as it loads

    repo = Repo(str(top))
    try:
        head = repo.head()
    except KeyError:  # no commit yet
        return None
    sub = root.relative_to(top)
    paths = None if sub == Path(".") else [sub.as_posix().encode()]
    for entry in repo.get_walker(include=[head], paths=paths, max_entries=1):
        return entry.commit.commit_time
    return None


if __name__ == "__main__":
    try:
        when = _child(Path(sys.argv[1]))
    except Exception:  # an unreadable repository is no repository: the files date the book
        when = None
    if when is None:
        sys.exit(1)
    print(when)
