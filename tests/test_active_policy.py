"""The active-content and remote-resource policy (issue 27): one case per bypass
the second audit found, each judged by the build's outcome (exit 2, one line
with the Markdown file and line), and trust as the builder's, never the book's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.safety import active
from bookbuild.cli import main
from bookbuild.config import load_config
from bookbuild.chapters.convert import convert_chapter
from bookbuild.errors import ManuscriptError
from bookbuild.source.manuscript import load_manuscript
from bookbuild.print.document import TypstDocument
from bookbuild.print.engine import TypesetError, typeset
from bookbuild.chapters.reading import check_all, read_chapter

from conftest import write_book

CONFIG = "title: T\nlanguage: en\nauthor: A\n"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def build(book: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["build", str(book), "--no-check", "-f", "epub", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr.splitlines()


def refused(book: Path, problem: str, *words: str, args: tuple[str, ...] = ()) -> str:
    """The one error line of the build, of code ``problem``, saying ``words``."""
    code, lines = build(book, *args)
    assert code == 2 and len(lines) == 1, (code, lines)
    assert lines[0].endswith(f" [{problem}]") and all(w in lines[0] for w in words), lines[0]
    assert not (book / "dist").exists()
    return lines[0]


# --- markup: SVG animations, links on every element, srcset, data: ----------

@pytest.mark.parametrize("html, what", [
    (f'{SVG}<a id="l"><text>t</text><animate attributeName="href" to="javascript:x()"/></a></svg>',
     "<animate> setting href="),
    (f'{SVG}<a><set attributeName="xlink:href" to="javascript:x()"/><text>t</text></a></svg>',
     "<set> setting href="),
    (f'{SVG}<a><animate attributeName="x" values="0;javascript:x()"/><text>t</text></a></svg>',
     "script URL (values=)"),
    (f'{SVG}<rect><set attributeName="onclick" to="x()"/></rect></svg>', "<set> setting onclick="),
    (f'{SVG}<animateTransform attributeName="href" to="#x"/></svg>',
     "<animatetransform> setting href="),
])
def test_smil_animations_that_set_a_link_or_handler_are_active(tmp_path, html, what):
    book = write_book(tmp_path, {"01.md": f"# One\n\nText.\n\n{html}\n"}, CONFIG)
    refused(book, "active-content", "01.md:5", "active content", what, "--trust scripts")


@pytest.mark.parametrize("html, where", [
    (f'{SVG}<image href="https://evil.example/p.png" width="1" height="1"/></svg>',
     "<image href=>"),
    (f'{SVG}<use xlink:href="https://evil.example/s.svg#x"/></svg>', "<use href=>"),
    (f'{SVG}<filter id="f"><feImage href="//evil.example/p.png"/></filter></svg>',
     "<feimage href=>"),
    ('<img alt="x" src="p.png" srcset="p.png 1x, https://evil.example/p.png 2x"/>',
     "<img srcset=>"),
    ('<p style="background: u\\72l(https://evil.example/p.png)">x</p>', "the style= of <p>"),
    ('<p style="background: image-set(&quot;https://evil.example/p.png&quot; 1x)">x</p>',
     "image-set()"),
    (f'{SVG}<style>@import "https://evil.example/x.css";</style></svg>', "@import"),
    ('<link rel="stylesheet" href="https://evil.example/x.css"/>', "<link href=>"),
])
def test_remote_resources_are_refused_with_their_line(tmp_path, html, where):
    book = write_book(tmp_path, {"01.md": f"# One\n\nText.\n\n{html}\n"}, CONFIG)
    # No grant lets one in: trusting scripts changes nothing.
    refused(book, "active-content", "01.md:5", where, "remote resource", args=("--trust", "scripts"))


def test_a_remote_image_is_its_alt_text_with_one_warning_for_the_book(tmp_path):
    badge = ('<a href="https://creativecommons.org/"><img alt="CC BY" '
             'src="https://i.creativecommons.org/88x31.png" /></a>')
    book = write_book(tmp_path, {"01.md": f"# One\n\nText.\n\n{badge}\n",
                                 "02.md": "# Two\n\n![A chart](//example.org/c.png)\n"}, CONFIG)
    code, lines = build(book)
    assert code == 0, lines
    assert [line for line in lines if "warning" in line] == [
        f"bookbuild: warning: {book / 'manuscript' / '01.md'}:5: 2 remote images (the first here) "
        "shown as their alt text: an e-book loads nothing from the web (put the file in the "
        "book to show it) [image-remote]"]
    epub = next((book / "dist").glob("*.epub")).read_bytes()
    assert b"creativecommons.org/88x31" not in epub and b"example.org/c.png" not in epub


@pytest.mark.parametrize("html, what", [
    ('<img alt="x" src="https://evil.example/p.png" onerror="steal()"/>', "<img src=>"),
    ('<img alt="x" src="https://evil.example/p.png" srcset="https://evil.example/q.png 2x"/>',
     "<img src=>"),
    ('<img alt="x" src="data:image/png;base64,iVBORw0KGgo="/>', "data: URL"),
])
def test_a_remote_image_with_anything_more_is_still_refused(tmp_path, html, what):
    book = write_book(tmp_path, {"01.md": f"# One\n\nText.\n\n{html}\n"}, CONFIG)
    refused(book, "active-content", "01.md:5", what)


def test_a_data_url_is_refused_as_it_would_skip_the_image_checks(tmp_path):
    book = write_book(tmp_path, {"01.md": "# One\n\n![A dot](data:image/png;base64,iVBORw0KGgo=)\n"},
                      CONFIG)
    refused(book, "active-content", "01.md:3", "data: URL", "<img src=>")


def test_links_to_the_web_are_navigation_not_resources(tmp_path):
    book = write_book(tmp_path, {"01.md": "# One\n\n[A site](https://example.org/)\n\n"
                                          f'{SVG}<a href="https://example.org/"><text>t</text>'
                                          '<animate attributeName="x" from="0" to="5" dur="1s"/>'
                                          "</a></svg>\n"}, CONFIG)
    code, lines = build(book)
    assert code == 0, lines


def test_a_trusted_build_keeps_an_animated_link_as_scripted_content(tmp_path):
    html = f'{SVG}<a><set attributeName="href" to="javascript:x()"/><text>t</text></a></svg>'
    book = write_book(tmp_path, {"01.md": f"# One\n\n{html}\n"}, CONFIG)
    code, lines = build(book, "--trust", "scripts")
    assert code == 0, lines


# --- CSS: the book's stylesheet and the policy's tokenizer -----------------

@pytest.mark.parametrize("css, line, what", [
    ("p { color: red; }\nh1 { background: u\\72l(https://evil.example/x.png); }\n", 2,
     "remote resource"),
    ("p { color: red; }\n\nh1 { background: image-set('https://evil.example/x.png' 1x); }\n", 3,
     "image-set()"),
    ("@\\69mport 'https://evil.example/x.css';\n", 1, "@import"),
    ("h1 { background: URL(  \"x.png\"  ) }\n", 1, "loads a file"),
    ("@font-face { font-family: X; src: url(data:font/woff2;base64,AAAA); }\n", 1, "data: URL"),
])
def test_the_books_stylesheet_loads_nothing_in_any_spelling(tmp_path, css, line, what):
    book = write_book(tmp_path, {"01.md": "# One\n\nText.\n"}, CONFIG + "css: book.css\n")
    (book / "book.css").write_text(css)
    refused(book, "stylesheet-external", f"book.css:{line}", "may not load other files", what)


def test_css_without_loads_passes_the_policy():
    assert active.css("p { color: red; content: 'url(x)'; }\n/* url(y) */\n", "x") == []


# --- trust belongs to the builder -------------------------------------------

def test_a_book_cannot_grant_itself_trust(tmp_path):
    book = write_book(tmp_path, {"01.md": "# One\n\n<script>x()</script>\n"},
                      CONFIG + "raw-html: allow\n")
    refused(book, "config-value", "book.yaml:4", "raw-html: allow", "--trust scripts")
    (book / "book.yaml").write_text(CONFIG + "raw-html: refuse\n")
    refused(book, "active-content", "01.md:3", "<script>")
    code, lines = build(book, "--trust", "scripts")
    assert code == 0, lines


def test_trust_from_the_builders_environment(tmp_path, monkeypatch):
    book = write_book(tmp_path, {"01.md": "# One\n\n<script>x()</script>\n"}, CONFIG)
    monkeypatch.setenv("BOOKBUILD_TRUST", "scripts")
    code, lines = build(book)
    assert code == 0, lines


# --- the print edition's Typst ------------------------------------------------

def typst_of(tmp_path: Path, text: str, trust: frozenset[str] = frozenset()) -> str:
    write_book(tmp_path, {"ch.md": text}, CONFIG + "chapters: [manuscript/ch.md]\n")
    config = dataclasses.replace(load_config(tmp_path), trust=trust)
    (chapter,) = load_manuscript(config).chapters
    reading = read_chapter(chapter)
    check_all([reading])
    return convert_chapter(reading, config, typeset=True).typst


@pytest.mark.parametrize("markdown", [
    "[Red]{typst:text:fill=red}",
    "::: {typst:inset=\"1em\"}\nBoxed.\n:::",
    "| a |\n|---|\n| b |\n\n: Table {typst:fill=\"read(\\\"/x\\\")\"}",
])
def test_typst_attributes_are_no_code_unless_trusted(tmp_path, markdown):
    untrusted = typst_of(tmp_path, f"# One\n\n{markdown}\n")
    trusted = typst_of(tmp_path, f"# One\n\n{markdown}\n", frozenset({"typst"}))
    assert "typst:" not in untrusted
    assert untrusted != trusted  # the grant is what lets the attribute's code in
    assert not any(word in untrusted for word in ("fill:", "inset:"))


@pytest.mark.parametrize("markdown, line", [
    ('`#import "@preview/cetz:0.2.0"`{=typst}', 5),
    ('```{=typst}\n#import "\\u{40}preview/cetz:0.2.0": *\n```', 6),
    ('[x]{typst:text:fill="{import \\"@preview/c:1.0.0\\": *; red}"}', 5),
    # a spec built by an expression, which no pattern on a string can see
    ('```{=typst}\n#import ("@pre" + "view/cetz:0.2.0"): canvas\n```', 6),
    ('```{=typst}\n#let at = "@"\n#import "" + at + "preview/cetz:0.2.0": *\n```', 6),
    ('```{=typst}\n#include "@preview/cetz:0.2.0"\n```', 6),
    ('```{=typst}\n#eval("imp" + "ort \\"@pre" + "view/cetz:0.2.0\\": *")\n```', 6),
    ('[x]{typst:text:fill="{let s = \\"@pre\\"; import s + \\"view/c:1.0.0\\": *; red}"}', 5),
])
def test_a_package_import_is_refused_even_when_typst_is_trusted(tmp_path, markdown, line):
    assert "preview" not in typst_of(tmp_path, f"# One\n\nText.\n\n{markdown}\n")
    with pytest.raises(ManuscriptError) as info:
        typst_of(tmp_path, f"# One\n\nText.\n\n{markdown}\n", frozenset({"typst"}))
    assert [(p.line, p.code) for p in info.value.problems] == [(line, "typst-package")]


@pytest.mark.parametrize("code", [
    '#import "lib.typ": a, b', '#import "lib.typ" as lib', '#include "part.typ"',
    '#{ import "lib.typ": a; a }', "#let my-import = [Import of goods]",
])
def test_a_file_named_by_a_plain_string_may_be_imported_when_typst_is_trusted(tmp_path, code):
    typst = typst_of(tmp_path, f"# One\n\n```{{=typst}}\n{code}\n```\n", frozenset({"typst"}))
    assert code in typst


def test_the_typesetter_has_no_way_to_download_a_package(tmp_path):
    """An import spelt past the check fails at the dead proxy, not at a lookup of
    packages.typst.org (the error says which)."""
    source = '#let at = "@"\n#import at + "preview/cetz:0.2.0": *\nText.\n'
    document = TypstDocument(source, '{"fallback-fonts": []}')
    with pytest.raises(TypesetError) as info:
        typeset(document, {}, 0)
    assert "Connection" in str(info.value) and "Dns" not in str(info.value)
