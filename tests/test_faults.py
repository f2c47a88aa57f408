"""Fault injection: ``kill -9`` a build at a random moment, again and again.

After each kill the previous edition in ``dist/`` is whole (every file exactly
the old bytes, or for a kill while files were being renamed into place, each
file old or new and the next build says the output was mixed); after the
next, unkilled build, no temporary file or folder is left anywhere in the
book, its output or the system temp directory. Rounds: 1 by default,
``BOOKBUILD_FAULT_ROUNDS`` for more (CI runs 12, about 3 minutes).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from bookbuild.output import calibre

from conftest import write_book

ROUNDS = int(os.environ.get("BOOKBUILD_FAULT_ROUNDS", "1"))
CHAPTER = "# Chapter {n}\n\nEdition {edition}: a claim.[^1]\n\n[^1]: Its support.\n"


def _hashes(dist: Path) -> dict[str, str]:
    """The finished files (temporaries of a killed build aside)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dist.iterdir()
            if not p.name.startswith(".")}


def _build(book: Path, env: dict[str, str], formats: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bookbuild.cli", "build", str(book),
                             "--no-check", "-f", formats], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_kill_9_at_random_points_leaves_the_previous_edition_whole(tmp_path):
    formats = "epub,kobo,cover-jpg" + (",azw3" if calibre.available() else "")
    book = write_book(tmp_path / "book", {f"{n:02d}.md": CHAPTER.format(n=n, edition=0)
                                          for n in range(1, 4)})
    systmp = tmp_path / "systmp"
    systmp.mkdir()
    env = {**os.environ, "TMPDIR": str(systmp), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "SOURCE_DATE_EPOCH": "1700000000"}
    first = _build(book, env, formats)
    start = time.monotonic()
    assert first.wait(300) == 0, first.stderr.read()
    duration = time.monotonic() - start
    dist = book / "dist"
    rng = random.Random(int(os.environ.get("BOOKBUILD_FAULT_SEED", "17")))
    for edition in range(1, ROUNDS + 1):
        before = _hashes(dist)
        for n in range(1, 4):
            (book / "manuscript" / f"{n:02d}.md").write_text(CHAPTER.format(n=n, edition=edition))
        victim = _build(book, env, formats)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        os.killpg(victim.pid, signal.SIGKILL)  # bookbuild, Pandoc, Calibre: all at once
        victim.wait()
        after = _hashes(dist)
        renaming = any(".renaming." in p.name for p in dist.iterdir())
        finished = _build(book, env, formats)
        assert finished.wait(300) == 0, finished.stderr.read()
        new = _hashes(dist)  # reproducible: what the killed build would have written
        assert after.keys() == before.keys() == new.keys()
        if renaming:  # killed while renaming: each file whole, old or new, and it is said
            assert all(after[name] in (before[name], new[name]) for name in after)
        else:  # the previous edition, or (killed on its way out) the new one
            assert after in (before, new), f"round {edition}: editions mixed silently"
        assert ("killed while putting its files in place" in finished.stderr.read()) == renaming
        assert not [p.name for p in dist.iterdir() if p.name.startswith(".")]
        assert not list(systmp.iterdir()), list(systmp.iterdir())
        assert not [p for p in book.rglob("*") if p.name.startswith(".")]
