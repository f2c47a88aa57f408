"""One run reports every error of every stage that can still run on what the
earlier stages left (the cover, reading, references, conversion, images,
links), each with its code, file and line, and writes nothing; it says nothing
of what an earlier error leaves unknown (links into a chapter that could not
convert)."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.errors import BAD_INPUT, BookbuildError, ManuscriptError

from conftest import write_book

#: One error of each kind, in a cover and three chapters: 01 cannot convert
#: (its notes and tags are broken), so links into it are not judged; 02 and 03 convert.
CONFIG = "title: T\nlanguage: en\nauthor: A\ncover: cover.png\n"
BOOK = {
    "01-one.md": "# One\n\nText[^a] here.\n\nSee <font>this</font>.\n",
    "02-two.md": ("# Two {#two}\n\n## Again {#two}\n\nAs @fig-nope shows.\n\n![](pic.png)\n\n"
                  "<script>run()</script>\n\n"
                  "[Gone](/url), [one](01-one.md#x), [anywhere](#x), [three](03-three.md#nope).\n"),
    "03-three.md": "# Three\n\n![A picture](missing.png)\n",
}
EXPECTED = [
    ("cover.png", None, "image-unreadable"),
    ("01-one.md", 3, "note-undefined"), ("01-one.md", 5, "raw-html-invalid"),
    ("02-two.md", 3, "id-duplicate"), ("02-two.md", 5, "crossref-unknown"),
    ("02-two.md", 7, "image-alt-missing"), ("02-two.md", 7, "image-missing"),
    ("02-two.md", 9, "active-content"),
    ("02-two.md", 11, "link-nowhere"), ("02-two.md", 11, "link-nowhere"),
    ("03-three.md", 3, "image-missing"),
]


def _book(tmp_path: Path) -> Path:
    book = write_book(tmp_path / "book", BOOK, CONFIG)
    (book / "cover.png").write_bytes(b"this is not an image")
    return book


@pytest.mark.parametrize("runs", [1, 2])  # the second from the cache of the first
def test_one_error_of_each_stage_all_in_one_run(tmp_path, runs):
    _book(tmp_path)
    for _ in range(runs):
        with pytest.raises(BookbuildError) as info:
            build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False,
                                                       formats=("epub",)))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == EXPECTED
    assert [p.message for p in info.value.problems if p.code == "link-nowhere"] == [
        "link to /url: /url is not a chapter of this book (links can lead to chapters and "
        "to web addresses)",
        "link to 03-three.md#nope: 03-three.md has no element with the identifier #nope"]
    assert not (tmp_path / "out").exists()


def test_the_command_line_reports_them_all_as_text_and_json(tmp_path):
    book = _book(tmp_path)
    runner = CliRunner()
    args = ["build", "--no-check", "--format", "epub", "-o", str(tmp_path / "out"), str(book)]
    text = runner.invoke(main, args)
    assert text.exit_code == BAD_INPUT
    errors = [re.fullmatch(r"bookbuild: error: (.+?)(?::(\d+))?: .* \[([a-z-]+)\]", line)
              for line in text.output.splitlines()]
    assert [(Path(m[1]).name, m[2] and int(m[2]), m[3]) for m in errors] == EXPECTED
    result = runner.invoke(main, [*args, "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == report["exit_code"] == BAD_INPUT
    assert [(Path(p["file"]).name, p["line"], p["code"]) for p in report["problems"]] == EXPECTED
    assert not (tmp_path / "out").exists()


def test_a_chapter_pandoc_cannot_read_leaves_the_others_judged(tmp_path):
    deep = "*_" * 600 + "a" + "_*" * 600  # nests deeper than the limit
    write_book(tmp_path / "book", {
        "01-one.md": f"# One\n\n{deep}\n",
        "02-two.md": "# Two\n\n[one](01-one.md#x), [gone](/url).\n\n![A](missing.png)\n"})
    with pytest.raises(BookbuildError) as info:
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False,
                                                   formats=("epub",)))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("01-one.md", None, "limit-exceeded"),
        ("02-two.md", 3, "link-nowhere"), ("02-two.md", 5, "image-missing")]
    assert not (tmp_path / "out").exists()


def test_a_chapter_s_problems_come_with_one_that_stops_its_conversion(tmp_path):
    write_book(tmp_path / "book", {"01.md": "# One\n\n<script>run()</script>\n\n"
                                            "[text]{page=3}\n\n![](pic.png)\n"})
    with pytest.raises(ManuscriptError) as info:
        build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False,
                                                   formats=("epub",)))
    assert [(p.line, p.code) for p in info.value.problems] == [
        (3, "active-content"), (5, "page-marker-invalid"),
        (7, "image-alt-missing"), (7, "image-missing")]


#: A warning (raw TeX), one book.yaml accepts (a skipped heading level) and an error.
WARNED = {"01-one.md": "# One\n\nA \\index{x} here.\n\n### Deep\n",
          "02-two.md": "# Two\n\nText[^a] here.\n"}
ACCEPTING = "title: T\nlanguage: en\nauthor: A\naccept:\n  - code: heading-skipped\n"


def test_a_failed_build_reports_the_warnings_found_before_it_stopped(tmp_path):
    book = write_book(tmp_path / "book", WARNED, ACCEPTING)
    runner = CliRunner()
    args = ["build", "--no-check", "--format", "epub", "-o", str(tmp_path / "out"), str(book)]
    text = runner.invoke(main, args)
    assert text.exit_code == BAD_INPUT
    assert [re.sub(r"^(bookbuild: (?:warning|error)): .* (\[[a-z-]+\])$", r"\1 \2", line)
            for line in text.output.splitlines()] == [
        "bookbuild: warning [raw-tex]",
        "bookbuild: 1 warning accepted (accept: in book.yaml)",
        "bookbuild: error [note-undefined]"]
    result = runner.invoke(main, [*args, "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == report["exit_code"] == BAD_INPUT
    assert [(Path(p["file"]).name, p["line"], p["code"]) for p in report["problems"]] == [
        ("02-two.md", 3, "note-undefined")]
    assert [(Path(w["file"]).name, w["line"], w["code"]) for w in report["warnings"]] == [
        ("01-one.md", 3, "raw-tex")]
    assert [w["code"] for w in report["accepted"]] == ["heading-skipped"]
    assert not (tmp_path / "out").exists()


def test_a_failed_build_s_warnings_are_those_of_the_build_once_fixed_in_its_order(tmp_path):
    chapters = {"00-zero.md": "# Zero\n\n\\newpage\n", **WARNED}
    book = write_book(tmp_path / "book", chapters, ACCEPTING)
    options = BuildOptions(out_dir=tmp_path / "out", check=False, formats=("epub",))
    with pytest.raises(ManuscriptError) as info:
        build_book(book, options)
    (book / "manuscript" / "02-two.md").write_text(WARNED["02-two.md"] + "\n[^a]: The note.\n")
    report = build_book(book, options)
    assert [w.code for w in report.warnings] == ["raw-tex", "raw-tex"]
    assert (info.value.warnings, info.value.accepted) == (report.warnings, report.accepted)


@pytest.mark.parametrize("two", [None, b"# Two\n\n\xff bad\n"])  # missing; not UTF-8
def test_a_project_s_own_warnings_come_with_an_error_in_its_files(tmp_path, two):
    """An mdBook's preprocessor, which bookbuild does not run, says why its
    chapters may fail: the warning is reported with an error in its reading
    order (book.toml's, from the config) or in a chapter's text (the manuscript's)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "book.toml").write_text('[book]\ntitle = "R"\nauthors = ["A"]\nlanguage = "en"\n'
                                        "[preprocessor.listing]\n")
    (tmp_path / "src" / "SUMMARY.md").write_text("# Summary\n\n- [One](one.md)\n- [Two](two.md)\n")
    (tmp_path / "src" / "one.md").write_text("# One\n\nHi.\n")
    if two is not None:
        (tmp_path / "src" / "two.md").write_bytes(two)
    result = CliRunner().invoke(main, ["build", "--no-check", "--format", "epub", "--json",
                                       "-o", str(tmp_path / "out"), str(tmp_path)])
    report = json.loads(result.stdout)
    assert result.exit_code == report["exit_code"] == BAD_INPUT
    assert [(Path(w["file"]).name, w["line"], w["code"]) for w in report["warnings"]] == [
        ("book.toml", 5, "mdbook-preprocessor")]
    assert [p["code"] for p in report["problems"]] == [
        "file-not-found" if two is None else "text-not-utf8"]


def test_an_error_writing_the_book_comes_with_the_warnings_too(tmp_path):
    book = write_book(tmp_path / "book", {"01.md": "# One\n\nA \\index{x} here.\n"})
    (tmp_path / "out").write_text("a file where the books would go")
    with pytest.raises(BookbuildError) as info:
        build_book(book, BuildOptions(out_dir=tmp_path / "out", check=False, formats=("epub",)))
    assert [p.code for p in info.value.problems] == ["write-failed"]
    assert [(w.file.name, w.line, w.code) for w in info.value.warnings] == [
        ("01.md", 3, "raw-tex")]
