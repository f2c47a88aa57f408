"""The second audit's rerun: what an independent attacker still found, each case
as it was reproduced (book.yaml and project files linked out of the book, a
book's .git pointers linked out, SVG presentation attributes fetching)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from bookbuild.source import date as sourcedate

from test_hostile import CONFIG, bb, book, refused, sandbox  # noqa: F401 (fixtures)


@pytest.mark.parametrize("name, text", [
    ("book.yaml", CONFIG + "note: Authorization: Bearer SECRET-TOKEN\n"),
    ("_quarto.yml", "project:\n  type: book\nbook:\n  title: SECRET-TITLE\n"),
    ("_bookdown.yml", "book_filename: SECRET-NAME\n"),
])
def test_a_config_or_project_file_linked_out_of_the_book_is_never_read(sandbox, name, text,
                                                                       tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "settings.yaml"
    secret.write_text(text)
    b = book(sandbox)
    (b / "book.yaml").unlink()
    (b / name).symlink_to(secret)
    line = refused(bb("build", b, "--no-check"), name, "leads outside the book directory",
                   code="file-outside-book")
    assert "SECRET" not in line


@pytest.mark.skipif(shutil.which("git") is None, reason="git makes the repository")
def test_the_books_git_pointers_are_not_read_through_links(sandbox, monkeypatch,
                                                          tmp_path_factory):
    """``.git`` (a gitdir file) and ``commondir`` as links to files outside: the date
    reader opens neither, and the book takes its files' date."""
    read: list[str] = []
    real = type(sandbox).read_text

    def spy(self, *args, **kwargs):
        read.append(str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(sandbox), "read_text", spy)
    decoy = tmp_path_factory.mktemp("elsewhere") / "decoy"
    decoy.write_text("gitdir: /\n")
    b = book(sandbox)
    (b / ".git").symlink_to(decoy)
    assert sourcedate._child(b) is None
    (b / ".git").unlink()
    subprocess.run(["git", "init", "-q", str(b)], check=True)
    (b / ".git" / "commondir").symlink_to(decoy)
    assert sourcedate._child(b) is None
    assert str(decoy) not in read and not any(p.endswith((".git", "commondir")) for p in read)


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
       '<rect width="10" height="10" {attribute}/></svg>')


@pytest.mark.parametrize("attribute", [
    'mask="url(http://127.0.0.1:9/m.svg#m)"', 'clip-path="url(//127.0.0.1:9/c.svg#c)"',
    'marker-end="url(http://127.0.0.1:9/k.svg#k)"', 'cursor="url(http://127.0.0.1:9/c.png),auto"',
    'filter="u\\72l(http://127.0.0.1:9/f.svg#f)"', 'fill="url(data:image/png;base64,AA)"'])
def test_svg_presentation_attributes_fetch_nothing(sandbox, attribute):
    b = book(sandbox, {"01.md": "# One\n\n" + SVG.format(attribute=attribute) + "\n"})
    refused(bb("build", b, "--no-check"), "01.md:3", code="active-content")


@pytest.mark.parametrize("attribute", ['fill="url(#g)"', 'style="fill: url(#g)"',
                                       'clip-path="url( #g )"'])
def test_references_inside_the_svg_are_no_resources(sandbox, attribute):
    b = book(sandbox, {"01.md": "# One\n\n" + SVG.format(attribute=attribute) + "\n"})
    run = bb("build", b, "--no-check", "-f", "epub")
    assert run.code == 0, run.lines
    assert os.path.exists(b / "dist" / "t.epub")
