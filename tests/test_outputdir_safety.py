"""The output directory cannot be redirected by the book (issue 27).

A book that holds ``dist`` as a link to ~/Documents must not have the build
overwrite files there, nor sweep that folder for temporaries: an output
directory inside the book may not lead out of it through a link. ``-o DIR``
is the builder's own choice and is followed wherever it leads. The sweep of
dead temporaries removes only what bookbuild makes: this user's regular files
and folders of its naming pattern, never links or strangers' files.
"""

from __future__ import annotations

import os
import re

import pytest

from bookbuild.safety import temporaries
from test_hostile import bb, book, refused, sandbox  # noqa: F401  (sandbox: a fixture)

DEAD = 2 ** 22 + 4242  # above Linux's default pid_max: no such process


@pytest.fixture
def documents(tmp_path, request):
    """The sandbox, with a user's folder beside the book holding what a build
    through a redirected ``dist`` would overwrite (t.epub) or sweep (a dead
    build's temporary); the sandbox checks afterwards that it is untouched."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "t.epub").write_text("the user's own t.epub")
    (folder / f".t.epub.{DEAD}.abcd1234.tmp.epub").write_text("looks like a temporary")
    request.getfixturevalue("sandbox")
    return folder


def test_a_dist_linked_out_of_the_book_is_refused_before_anything_is_written(documents):
    b = book(documents.parent)
    (b / "dist").symlink_to(documents)
    line = refused(bb("build", b, "--no-check"), "book/dist", "outside the book", "-o")
    assert str(documents) in line


def test_a_dist_linked_to_a_folder_that_is_not_there_yet_is_refused(sandbox):
    b = book(sandbox)
    (b / "dist").symlink_to(sandbox / "outside" / "new")
    refused(bb("build", b, "--no-check"), "book/dist", "outside the book")
    assert not (sandbox / "outside" / "new").exists()


def test_a_link_deeper_in_a_named_output_inside_the_book_is_refused(sandbox):
    b = book(sandbox)
    (b / "dist").mkdir()
    (b / "dist" / "epub").symlink_to(sandbox / "outside")
    refused(bb("build", b, "--no-check", "-o", b / "dist" / "epub"), "book/dist/epub",
            "outside the book")


def test_the_cover_command_refuses_a_dist_linked_out_of_the_book(sandbox):
    b = book(sandbox)
    (b / "dist").symlink_to(sandbox / "outside")
    refused(bb("cover", b), "book/dist", "outside the book")
    refused(bb("cover", b, "-o", b / "dist" / "c.jpg"), "book/dist", "outside the book")


def test_a_dist_linked_within_the_book_is_written(sandbox):
    b = book(sandbox)
    (b / "editions").mkdir()
    (b / "dist").symlink_to(b / "editions")
    assert bb("build", b, "--no-check").code == 0
    assert (b / "editions" / "t.epub").is_file()


def test_an_output_link_the_builder_names_with_o_is_followed(tmp_path):
    b = book(tmp_path)
    (tmp_path / "shelf").mkdir()
    (tmp_path / "mine").symlink_to(tmp_path / "shelf")
    assert bb("build", b, "--no-check", "-o", tmp_path / "mine").code == 0
    assert (tmp_path / "shelf" / "t.epub").is_file()


def test_an_output_file_planted_as_a_link_is_replaced_not_written_through(sandbox):
    b = book(sandbox)
    (b / "dist").mkdir()
    (b / "dist" / "t.epub").symlink_to(sandbox / "outside" / "secret.txt")
    assert bb("build", b, "--no-check").code == 0
    assert not (b / "dist" / "t.epub").is_symlink()  # outside/secret.txt is checked by sandbox


def test_the_sweep_removes_no_link_however_it_is_named(sandbox):
    b = book(sandbox)
    (b / "dist").mkdir()
    for name in (f".t.epub.{DEAD}.abc.tmp.epub", f".t.azw3.{DEAD}.xyz.tmp"):
        (b / "dist" / name).symlink_to(sandbox / "outside")
    assert bb("build", b, "--no-check").code == 0
    assert all((b / "dist" / name).is_symlink() for name in
               (f".t.epub.{DEAD}.abc.tmp.epub", f".t.azw3.{DEAD}.xyz.tmp"))


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_the_sweep_leaves_a_strangers_entry_of_its_pattern_alone(tmp_path, monkeypatch, kind):
    """As in a shared /tmp, where anyone may create ``bookbuild-pandoc-PID-x``."""
    entry = tmp_path / f"bookbuild-pandoc-{DEAD}-x"
    entry.mkdir() if kind == "folder" else entry.write_text("")
    pattern = re.compile(r"bookbuild-pandoc-(\d+)-.*")
    monkeypatch.setattr(temporaries.os, "geteuid", lambda: os.stat(entry).st_uid + 1)
    assert temporaries.sweep(tmp_path, pattern) == [] and entry.exists()
    monkeypatch.undo()
    assert temporaries.sweep(tmp_path, pattern) == [entry.name] and not entry.exists()
