"""The book's date from its git history, with the repository read as data:
nothing a book's ``.git`` holds runs, and a date a zip cannot hold is bad input."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.source.date import last_commit, source_date

from conftest import NS, Epub, write_book

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git makes the test repositories")

SIGNER = """#!/bin/sh
cat >/dev/null
echo "[GNUPG:] SIG_CREATED D 1 8 00 1 X" >&2
printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nabc\\n-----END PGP SIGNATURE-----\\n'
"""


def _git(repo: Path, *args: str, when: int | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def _commit_all(repo: Path, when: int, *extra: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "edit", *extra, when=when)


def _book(root: Path, when: int = 1_600_000_000) -> Path:
    write_book(root, {"01.md": "# One\n\nText.\n"})
    _git(root, "init", "-q")
    _commit_all(root, when)
    return root


def _modified(out: Path) -> str:
    epub = Epub(next(out.glob("*.epub")))
    return epub.opf.find(".//opf:meta[@property='dcterms:modified']", NS).text


def _build(book: Path, monkeypatch, **env: str):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return CliRunner().invoke(main, ["build", str(book), "-f", "epub", "--no-check"])


def test_the_books_git_config_runs_no_program(tmp_path, monkeypatch):
    """log.showSignature with gpg.program would run the book's program under `git log`."""
    book = _book(tmp_path / "book")
    signer = tmp_path / "signer"
    signer.write_text(SIGNER)
    signer.chmod(0o755)
    (book / "tool").write_text(f"#!/bin/sh\ntouch {tmp_path / 'ran'}\n")
    (book / "tool").chmod(0o755)
    (book / "manuscript" / "01.md").write_text("# One\n\nText, signed.\n")
    _git(book, "config", "gpg.program", str(signer))
    _commit_all(book, 1_650_000_000, "-S", "--no-verify")
    _git(book, "config", "log.showSignature", "true")
    _git(book, "config", "gpg.program", "./tool")
    _git(book, "config", "core.fsmonitor", "./tool")
    # git itself would run it: the trap is real.
    subprocess.run(["git", "-C", str(book), "log", "-1", "--format=%ct", "--", "."],
                   capture_output=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    assert (tmp_path / "ran").exists()
    (tmp_path / "ran").unlink()

    result = _build(book, monkeypatch)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "ran").exists()
    assert _modified(book / "dist") == "2022-04-15T05:20:00Z"  # the signed commit's date


def test_a_book_in_a_folder_of_a_repository_takes_its_own_last_commit(tmp_path):
    repo = tmp_path / "catalog"
    write_book(repo / "books" / "one", {"01.md": "# One\n"})
    _git(repo, "init", "-q")
    _commit_all(repo, 1_500_000_000)
    (repo / "README").write_text("a later commit elsewhere\n")
    _commit_all(repo, 1_600_000_000)
    assert last_commit(repo / "books" / "one") == 1_500_000_000
    assert last_commit(repo) == 1_600_000_000


@pytest.mark.parametrize("when", [99_999_999_999, 100_000_000])  # the year 5138; 1973
def test_a_commit_date_a_zip_cannot_hold_is_bad_input(tmp_path, monkeypatch, when):
    book = _book(tmp_path / "book", when)
    result = _build(book, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "git commit" in result.output and "SOURCE_DATE_EPOCH" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (book / "dist").exists() or not list((book / "dist").glob("*.epub"))


def test_source_date_epoch_out_of_range_is_bad_input(tmp_path, monkeypatch):
    book = _book(tmp_path / "book")
    result = _build(book, monkeypatch, SOURCE_DATE_EPOCH="999999999999")
    assert result.exit_code == 2, result.output
    assert result.output.count("SOURCE_DATE_EPOCH") >= 1
    result = _build(book, monkeypatch, SOURCE_DATE_EPOCH="1700000000")
    assert result.exit_code == 0, result.output
    assert _modified(book / "dist") == "2023-11-14T22:13:20Z"


def _files_date(book: Path, when: int) -> dt.datetime:
    inputs = list((book / "manuscript").iterdir()) + [book / "book.yaml"]
    for path in inputs:
        os.utime(path, (when, when))
    return source_date(book, inputs, None)


def test_a_git_pointer_out_of_the_book_is_not_followed(tmp_path):
    """The book's own .git, as a link or a gitdir file, must stay inside the book."""
    outside = _book(tmp_path / "outside", 1_500_000_000)
    book = write_book(tmp_path / "book", {"01.md": "# One\n"})
    (book / ".git").symlink_to(outside / ".git")
    assert _files_date(book, 1_700_000_000).year == 2023
    (book / ".git").unlink()
    (book / ".git").write_text(f"gitdir: {outside / '.git'}\n")
    assert _files_date(book, 1_700_000_000).year == 2023


@pytest.mark.parametrize("plant", ["fifo", "symlink"])
def test_odd_files_in_the_repository_are_neither_waited_on_nor_followed(tmp_path, plant):
    book = _book(tmp_path / "book")
    ref = book / ".git" / "refs" / "heads" / "main"
    if not ref.exists():
        ref = book / ".git" / "refs" / "heads" / "master"
    head = ref.read_text()
    ref.unlink()
    if plant == "fifo":
        os.mkfifo(ref)
    else:  # the right commit, but in a file outside the repository
        (tmp_path / "elsewhere").write_text(head)
        ref.symlink_to(tmp_path / "elsewhere")
    assert last_commit(book) is None
