"""mdBook's {{#include}} helpers, resolved as its links preprocessor does."""

from __future__ import annotations

import pytest

from bookbuild.errors import ManuscriptError
from bookbuild.projects.mdlinks import includes

SOURCE = """\
use std::io;
// ANCHOR: open
fn open() {
    // ANCHOR: body
    read();
    // ANCHOR_END: body
}
// ANCHOR_END: open
"""


@pytest.fixture
def book(tmp_path):
    (tmp_path / "src" / "code").mkdir(parents=True)
    (tmp_path / "src" / "code" / "open.rs").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "src" / "code" / "more.md").write_text("See {{#include open.rs:2}}.\n",
                                                        encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("helper, shown", [
    ("{{#include code/open.rs:open}}", "fn open() {\n    read();\n}"),  # anchor lines left out
    ("{{ #include code/open.rs:3:4 }}", "fn open() {\n    // ANCHOR: body"),
    ("{{#include code/open.rs:7}}", "}"),
    ("{{#include code/open.rs::1}}", "use std::io;"),
    ("{{#include code/open.rs:8:}}", "// ANCHOR_END: open"),
    ("{{#rustdoc_include code/open.rs:body}}",
     "# use std::io;\n# fn open() {\n    read();\n# }"),
    ("{{#rustdoc_include code/open.rs:1:2}}",
     "use std::io;\n// ANCHOR: open\n# fn open() {\n#     // ANCHOR: body\n#     read();\n"
     "#     // ANCHOR_END: body\n# }\n# // ANCHOR_END: open"),
    ("{{#playground code/open.rs:1 editable}}", "```rust,editable\n" + SOURCE + "```"),
    ("{{#include code/more.md}}", "See // ANCHOR: open."),  # resolved from its own folder
    ("\\{{#include code/open.rs}}", "{{#include code/open.rs}}"),  # escaped
    ("{{#title A page}}", ""),
    ("{{#unknown code/open.rs}}", "{{#unknown code/open.rs}}"),  # not a helper
])
def test_each_helper_is_the_text_mdbook_puts_there(book, helper, shown):
    assert includes(helper + "\n", book / "src" / "ch.md", book).text == shown + "\n"


def test_lines_after_the_first_carry_the_text_before_it_and_the_helpers_line(book):
    chapter = book / "src" / "ch.md"
    text = "- Item:\n\n  ```rust\n  {{#include code/open.rs:body}}\n  ```\n\nAfter.\n"
    found = includes(text, chapter, book)
    assert found.text == "- Item:\n\n  ```rust\n      read();\n  ```\n\nAfter.\n"
    text = "```rust\n{{#include code/open.rs:open}}\n```\nAfter.\n"
    found = includes(text, chapter, book)
    assert [line for _, line in found.origins] == [1, 2, 2, 2, 3, 4, 5]
    assert len(found.origins) == found.text.count("\n") + 1


@pytest.mark.parametrize("helper, message", [
    ("{{#include code/gone.rs}}", "{{#include code/gone.rs}}: "),
    ("{{#include ../../outside.rs}}", "leads outside the book directory"),
])
def test_a_file_that_cannot_be_read_is_an_error_at_the_helpers_line(book, helper, message):
    (book.parent / "outside.rs").write_text("secret\n", encoding="utf-8")
    with pytest.raises(ManuscriptError) as info:
        includes(f"# One\n\nText.\n{helper}\n", book / "src" / "ch.md", book)
    (problem,) = info.value.problems
    assert (problem.file.name, problem.line) == ("ch.md", 4) and message in problem.message


def test_a_file_that_includes_itself_stops_at_mdbooks_depth(book):
    (book / "src" / "loop.md").write_text("{{#include loop.md}}\n", encoding="utf-8")
    with pytest.raises(ManuscriptError, match="nest more than 10 deep"):
        includes("{{#include loop.md}}\n", book / "src" / "ch.md", book)
