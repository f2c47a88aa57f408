"""The quick start: ``bookbuild new`` writes a minimal book that builds at
once, ``build book.yaml`` is ``build .``, ``cover -o`` writes JPEG or PNG."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from bookbuild.cli import main

from conftest import NS, Epub

EPOCH = "1700000000"


def invoke(*args, **env):
    return CliRunner().invoke(main, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": EPOCH, **env})


def test_new_then_build_works_at_once(tmp_path):
    book = tmp_path / "my-first-book"
    result = invoke("new", book)
    assert result.exit_code == 0, result.output
    data = YAML(typ="safe").load((book / "book.yaml").read_text(encoding="utf-8"))
    assert data == {"title": "My First Book", "language": "en", "author": "Your Name"}
    assert sorted(p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file()) == [
        "README.md", "book.yaml", "manuscript/01-beginning.md", "manuscript/02-going-on.md"]
    assert len((book / "README.md").read_text(encoding="utf-8").splitlines()) == 1
    built = invoke("build", book, "--json")
    assert built.exit_code == 0, built.output
    epub = Epub(book / "dist" / "my-first-book.epub")
    assert len(epub.chapters()) == 2
    notes = [len(epub.xml(c).findall(".//h:a[@epub:type='noteref']", NS)) for c in epub.chapters()]
    assert notes == [1, 1]
    assert '"error": 0' in built.output and '"warning": 0' in built.output


def test_new_refuses_a_directory_that_holds_something(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = invoke("new", tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"bookbuild: error: {tmp_path}: already exists and is not empty: name a new directory "
        "[target-exists]"]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_build_of_book_yaml_is_build_of_its_directory(tmp_path):
    book = tmp_path / "b"
    invoke("new", book, "--title", "Same Book")
    by_file = invoke("build", book / "book.yaml", "-o", tmp_path / "one", "--no-check")
    by_dir = invoke("build", book, "-o", tmp_path / "two", "--no-check")
    assert by_file.exit_code == by_dir.exit_code == 0, by_file.output
    one, two = (tmp_path / d / "same-book.epub" for d in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()


def test_cover_writes_png_or_jpeg_and_refuses_other_extensions(tmp_path):
    book = tmp_path / "b"
    invoke("new", book)
    png = invoke("cover", book, "-o", tmp_path / "x.png")
    assert png.exit_code == 0 and png.output.endswith("1600x2560 PNG, designed\n"), png.output
    assert (tmp_path / "x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    jpeg = invoke("cover", book, "-o", tmp_path / "x.JPEG")
    assert jpeg.exit_code == 0 and (tmp_path / "x.JPEG").read_bytes()[:3] == b"\xff\xd8\xff"
    gif = invoke("cover", book, "-o", tmp_path / "x.gif")
    assert gif.exit_code == 2
    assert gif.output == (f"bookbuild: error: {tmp_path / 'x.gif'}: cannot write a cover as "
                          ".gif: name a .jpg, .jpeg or .png file [cover-format]\n")
    assert not (tmp_path / "x.gif").exists()


def test_a_misspelt_key_gets_did_you_mean(tmp_path):
    book = tmp_path / "b"
    invoke("new", book)
    text = (book / "book.yaml").read_text(encoding="utf-8")
    (book / "book.yaml").write_text(text + "subtitel: Oops\ntoc-dept: 2\n", encoding="utf-8")
    result = invoke("build", book)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"bookbuild: error: {Path(book / 'book.yaml')}:5: unknown key 'subtitel' "
        "(did you mean 'subtitle'?) [config-unknown-key]",
        f"bookbuild: error: {Path(book / 'book.yaml')}:6: unknown key 'toc-dept' "
        "(did you mean 'toc-depth'?) [config-unknown-key]"]
    assert not (book / "dist").exists()
