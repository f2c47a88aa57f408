"""AZW3 through Calibre's ebook-convert (Debian package ``calibre``).

KindleGen is gone and KDP takes EPUB; AZW3 (KF8) remains the format for
putting a book on a Kindle over USB. Calibre is an optional system package:
the build detects it and says in one line what to install.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from importlib import resources
from pathlib import Path

from ..errors import BookbuildError, ToolMissingError
from ..safety import limits

INSTALL = ("Calibre's ebook-convert is needed for AZW3; install it "
           "(Debian/Ubuntu: apt-get install --no-install-recommends calibre)")


def available() -> bool:
    return shutil.which("ebook-convert") is not None and shutil.which("calibre-debug") is not None


def require() -> None:
    if not available():
        raise ToolMissingError(INSTALL)


def to_azw3(epub: Path, out: Path, modified: dt.datetime, work: Path) -> None:
    """Convert through the reproducibility shim (see data/calibre_convert.py),
    within the limits; Calibre's own temporary files go in ``work``, which the
    caller removes (Calibre leaves its folder behind when it is killed)."""
    require()
    shim = resources.files("bookbuild") / "data" / "calibre_convert.py"
    env = {**os.environ, "BOOKBUILD_EPOCH": str(int(modified.timestamp())),
           "PYTHONHASHSEED": "0", "TMPDIR": str(work), "CALIBRE_TEMP_DIR": str(work)}
    bound = limits.current()
    # --minimum-line-height 0: Calibre otherwise raises every line height to
    # 120% of the font size, and the note references' line-height 0 became 1.2,
    # so each line with a reference stood taller than its neighbours.
    proc = limits.run(
        ["calibre-debug", "-e", str(shim), "--", str(epub), str(out), "--no-inline-toc",
         "--minimum-line-height", "0"],
        "Calibre", bound.calibre_seconds, "calibre-seconds", epub, bound.calibre_memory_mb,
        env=env)
    if b"MemoryError" in proc.stderr:
        raise limits.LimitError(f"Calibre needed more than {bound.calibre_memory_mb} MB for this "
                                "book (calibre-memory-mb)", epub)
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise BookbuildError(f"Calibre could not make the AZW3: {detail[-1] if detail else proc.returncode}",
                             epub, code="tool-failed")


def _fingerprint() -> str:
    """This Calibre's build: its launcher is replaced, with a new time, by any
    install or upgrade (Debian's package or Calibre's own installer)."""
    found = [os.path.realpath(shutil.which(name) or name) for name in ("calibre-debug", "ebook-convert")]
    return "|".join(f"{path}:{os.stat(path).st_mtime_ns}:{os.stat(path).st_size}" for path in found)


def cached_azw3(epub: Path, out: Path, modified: dt.datetime, work: Path,
                cache: Path | None) -> None:
    """:func:`to_azw3`, taken from ``cache`` when this Calibre and this
    bookbuild converted the same Kindle EPUB before: the shim makes Calibre's
    output byte-reproducible, so a stored one is the conversion's own bytes."""
    if cache is None:
        return to_azw3(epub, out, modified, work)
    from ..cache.files import store, tools_fingerprint  # bookbuild's code, the shim included

    require()
    digest = hashlib.sha256(epub.read_bytes())
    digest.update(f"|{int(modified.timestamp())}|{_fingerprint()}|{tools_fingerprint()}".encode())
    stored = cache / "azw3" / f"{digest.hexdigest()}.azw3"
    if stored.is_file():
        out.write_bytes(stored.read_bytes())
        return
    to_azw3(epub, out, modified, work)
    store(stored, out.read_bytes())
