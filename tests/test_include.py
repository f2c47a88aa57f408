"""Quarto's ``{{< include >}}`` resolved before Pandoc, inside the book only, and
every problem of the merged text reported at the file and line it was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.projects.include import DEPTH, includes

from conftest import write_book

CONFIG = "title: T\nlanguage: en\nauthor: A\nchapters: [manuscript/ch.qmd]\n"


def build(book: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["build", str(book), "--no-check", "-f", "epub"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr.splitlines()


def test_includes_nest_and_keep_each_lines_origin(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "b.qmd").write_text("B one.\n\n{{< include c.qmd >}}\n")
    (tmp_path / "parts" / "c.qmd").write_text("C one.\nC two.\n")
    (tmp_path / "a.qmd").write_text("A one.\n\n{{< include \"/parts/b.qmd\" >}}\n\nA five.\n")
    merged = includes((tmp_path / "a.qmd").read_text(), tmp_path / "a.qmd", tmp_path, "markdown")
    assert merged.text == "A one.\n\nB one.\n\nC one.\nC two.\n\nA five.\n"
    a, b, c = tmp_path / "a.qmd", tmp_path / "parts" / "b.qmd", tmp_path / "parts" / "c.qmd"
    assert merged.origins == ((a, 1), (a, 2), (b, 1), (b, 2), (c, 1), (c, 2), (a, 4), (a, 5),
                              (a, 6))


def test_a_shortcode_shown_in_code_is_text(tmp_path):
    text = "```markdown\n{{< include nowhere.qmd >}}\n```\n\n    {{< include nowhere.qmd >}}\n"
    assert includes(text, tmp_path / "a.qmd", tmp_path, "markdown").text == text


def test_problems_in_included_files_are_reported_where_they_were_written(tmp_path):
    (tmp_path / "manuscript" / "inc").mkdir(parents=True)
    book = write_book(tmp_path, {
        "ch.qmd": "# One\n\nText.\n\n{{< include inc/first.qmd >}}\n\nEnd[^x].\n",
        "inc/first.qmd": "First.\n\n{{< include second.qmd >}}\n\n![A map](nowhere.png)\n\n"
                         "\\newpage\n",
        "inc/second.qmd": "Second.\n\nA note[^gone].\n"}, CONFIG)
    manuscript = book / "manuscript"

    def places(lines: list[str]) -> list[str]:
        return [line.split(": ", 3)[2] for line in lines]

    code, lines = build(book)  # the warning of the raw TeX first, as a failed build gives it
    assert code == 2 and places(lines) == [f"{manuscript / 'inc' / 'first.qmd'}:7",
                                           f"{manuscript / 'inc' / 'second.qmd'}:3",
                                           f"{manuscript / 'ch.qmd'}:7"], lines
    (manuscript / "inc" / "second.qmd").write_text("Second.\n")
    (manuscript / "ch.qmd").write_text("# One\n\nText.\n\n{{< include inc/first.qmd >}}\n")
    code, lines = build(book)
    assert code == 2 and places(lines) == [f"{manuscript / 'inc' / 'first.qmd'}:7",
                                           f"{manuscript / 'inc' / 'first.qmd'}:5"], lines
    (manuscript / "inc" / "first.qmd").write_text("First.\n\n{{< include second.qmd >}}\n\n"
                                                  "\\newpage\n")
    code, lines = build(book)
    assert code == 0 and places(lines) == [f"{manuscript / 'inc' / 'first.qmd'}:5"], lines
    assert lines[0].endswith("[raw-tex]")


@pytest.mark.parametrize("name, code", [
    ("../../outside.qmd", "file-outside-book"),
    ("link.qmd", "file-outside-book"),
    ("/../outside.qmd", "file-outside-book"),
    ("/etc/passwd", "file-not-found"),  # "/" is the book's root, as Quarto's project root
    ("missing.qmd", "file-not-found"),
])
def test_an_include_out_of_the_book_is_refused_at_its_line(tmp_path, name, code):
    book = tmp_path / "book"
    write_book(book, {"ch.qmd": f"# One\n\nText.\n\n{{{{< include {name} >}}}}\n"}, CONFIG)
    (tmp_path / "outside.qmd").write_text("Secret.\n")
    (book / "manuscript" / "link.qmd").symlink_to(tmp_path / "outside.qmd")
    code_, lines = build(book)
    assert code_ == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"bookbuild: error: {book / 'manuscript' / 'ch.qmd'}:5: "
                               f"{{{{< include {name} >}}}}: ")
    assert lines[0].endswith(f"[{code}]") and "Secret" not in lines[0]


def test_a_cycle_and_deep_nesting_are_errors(tmp_path):
    book = write_book(tmp_path, {"ch.qmd": "# One\n\n{{< include a.qmd >}}\n",
                                 "a.qmd": "A.\n\n{{< include ch.qmd >}}\n"}, CONFIG)
    code, lines = build(book)
    assert code == 2 and lines == [
        f"bookbuild: error: {book / 'manuscript' / 'a.qmd'}:3: {{{{< include ch.qmd >}}}} "
        "includes itself (ch.qmd -> a.qmd -> ch.qmd) [include-invalid]"]
    chain = {f"n{i}.qmd": f"{{{{< include n{i + 1}.qmd >}}}}\n" for i in range(DEPTH + 1)}
    book = write_book(tmp_path / "deep", {"ch.qmd": "# One\n\n{{< include n0.qmd >}}\n",
                                          **chain, f"n{DEPTH + 1}.qmd": "Bottom.\n"}, CONFIG)
    code, lines = build(book)
    assert code == 2 and len(lines) == 1 and lines[0].endswith(
        f"includes nest more than {DEPTH} deep [include-invalid]"), lines


def test_an_included_file_is_held_to_a_chapters_limits(tmp_path):
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)) + "---\n"
    book = write_book(tmp_path, {"ch.qmd": "# One\n\n{{< include bomb.qmd >}}\n",
                                 "bomb.qmd": bomb}, CONFIG)
    code, lines = build(book)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"bookbuild: error: {book / 'manuscript' / 'bomb.qmd'}:1: ")
    assert lines[0].endswith("[limit-exceeded]")
