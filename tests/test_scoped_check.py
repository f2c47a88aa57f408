"""A scoped check says exactly what a whole-book check says: many edits of a
checked book, each checked both ways, must give the same verdict and messages.
The default run tries 12 series of edits; CI tries 200
(``BOOKBUILD_SCOPED_SEEDS=200``, see .ci/run)."""

from __future__ import annotations

import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book, scoped_check
from bookbuild.check import checker

from conftest import write_book

CHAPTERS = {
    "01-one.md": """\
        # One {#one}

        Some math $x^2$ and a [link to the method](02-two.md#method).[^1]
        Page []{page=7} marker.

        ## Early

        Text.

        [^1]: A note with a [link](03-three.md#late).
        """,
    "02-two.md": """\
        # Two

        ## Method

        The method.[^a] Back to [one](01-one.md#early).

        ## Results

        [^a]: Note a.
        """,
    "03-three.md": """\
        # Three

        ## Late {#late}

        See [the results](02-two.md#results) and ![a figure](../assets/fig.png).
        """,
    "04-four.md": """\
        # Four

        ## Far {#far}

        Quiet text.[^f]

        [^f]: A note of four.
        """,
    "05-five.md": """\
        # Five

        Only a [link to the far section](04-four.md#far).
        """,
    "06-six.md": """\
        # Six

        Plain text.
        """,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scoped")
    book = write_book(root / "book", CHAPTERS, "title: Scoped\nlanguage: en\nauthor: A\n")
    (book / "assets").mkdir()
    shutil.copy(Path(__file__).parents[1] / "assets" / "page-diagram.png",
                book / "assets" / "fig.png")
    report = build_book(book, BuildOptions(out_dir=root / "out", check=True,
                                           source_date_epoch=1700000000, formats=("epub",)))
    assert report.artifact("epub").check.passed
    return report.artifact("epub").path


def _edit(epub: Path, out: Path, name: str, change) -> None:
    with zipfile.ZipFile(epub) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)


def _ids(text: str) -> list[str]:
    return re.findall(r' id="([^"]+)"', text)


def _mutation(kind: str, rng: random.Random):
    """A change to one document's text, by kind; some valid, most not."""
    def drop_id(text: str) -> str:
        ident = rng.choice([i for i in _ids(text) if not i.startswith("c0")])
        return text.replace(f' id="{ident}"', "", 1)

    def duplicate_id(text: str) -> str:
        ident = rng.choice(_ids(text))
        return text.replace("</section></body>", f'<p id="{ident}">again</p></section></body>', 1)

    def append(markup: str):
        return lambda text: text.replace("</section></body>", markup + "</section></body>", 1)

    def swap_heading_ids(text: str) -> str:
        found = re.findall(r'<h2 id="([^"]+)"', text)
        if len(found) < 2:
            return text.replace("</p>", " Edited.</p>", 1)
        a, b = found[:2]
        return text.replace(f'id="{a}"', "id=\0", 1).replace(f'id="{b}"', f'id="{a}"', 1) \
            .replace("id=\0", f'id="{b}"', 1)

    return {
        "text": lambda text: text.replace("</p>", " Edited.</p>", 1),
        "drop-id": drop_id,
        "invalid-element": append("<center>old</center>"),
        "duplicate-id": duplicate_id,
        "add-math": append('<p><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>y</mi>'
                           "</math></p>"),
        "remove-math": lambda text: re.sub(r"<math .*?</math>", "x", text, flags=re.S),
        "broken-fragment": append('<p><a href="c02-02-two.xhtml#nope">to nowhere</a></p>'),
        "broken-far": append('<p><a href="c06-06-six.xhtml#nope">to nowhere</a></p>'),
        "link-far": append('<p><a href="c04-04-four.xhtml#far">far</a></p>'),
        "missing-image": append('<p><img src="../images/none.png" alt="none"/></p>'),
        "script": append("<script>var x = 1;</script>"),
        "swap-headings": swap_heading_ids,
        "nav-label": lambda text: text.replace(">Two<", ">Two, renamed<", 1),
        "opf-date": lambda text: text.replace("2023-11-14T22:13:20Z", "2024-01-01T00:00:00Z"),
        "opf-no-mathml": lambda text: text.replace(' properties="mathml"', "", 1),
        "opf-no-spine-item": lambda text: text.replace('<itemref idref="c03-03-three"/>', "", 1),
    }[kind]


KINDS = {  # per document, the edits that make sense there
    "EPUB/text/c01-01-one.xhtml": ["text", "drop-id", "invalid-element", "duplicate-id",
                                   "remove-math", "broken-fragment", "missing-image", "script",
                                   "swap-headings"],
    "EPUB/text/c02-02-two.xhtml": ["text", "drop-id", "duplicate-id", "add-math",
                                   "broken-fragment", "swap-headings"],
    "EPUB/text/c03-03-three.xhtml": ["text", "drop-id", "add-math", "missing-image"],
    "EPUB/text/c04-04-four.xhtml": ["text", "drop-id", "drop-id", "duplicate-id"],
    "EPUB/text/c05-05-five.xhtml": ["text", "drop-id", "broken-far", "link-far"],
    "EPUB/text/c06-06-six.xhtml": ["text", "link-far", "broken-far", "add-math", "script"],
    "EPUB/text/nav.xhtml": ["nav-label", "drop-id", "broken-fragment"],
    "EPUB/content.opf": ["opf-date", "opf-no-mathml", "opf-no-spine-item"],
}
DOCUMENTS = list(KINDS)


@pytest.mark.parametrize("seed", range(int(os.environ.get("BOOKBUILD_SCOPED_SEEDS", "12"))))
def test_a_scoped_check_says_what_the_whole_book_check_says(base, tmp_path, monkeypatch, seed):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rng = random.Random(seed)
    using = checker()
    key = f"test-{seed}"
    assert scoped_check.check(base, using, key).scope == "whole book"  # the recorded pass
    for step in range(4):
        edited = tmp_path / f"edit-{step}.epub"
        documents = rng.sample(DOCUMENTS, rng.choice([1, 1, 2]))
        current = base
        for n, name in enumerate(documents):
            kind = rng.choice(KINDS[name])
            target = tmp_path / f"edit-{step}-{n}.epub"
            _edit(current, target, name, _mutation(kind, rng))
            current = target
        shutil.copy(current, edited)
        whole = using.check(edited)
        scoped_check.check(base, using, key)  # back to the base's recorded pass
        scoped = scoped_check.check(edited, using, key)
        assert (scoped.passed, scoped.messages) == (whole.passed, whole.messages), documents
        if whole.passed:
            assert scoped.scope != "whole book"  # the edit was checked scoped, and it agreed
        scoped_check.check(base, using, key)


def test_every_so_often_the_whole_book_is_checked_again(base, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(scoped_check, "SCOPED_IN_A_ROW", 2)
    using = checker()
    edits = []
    for n in range(3):
        edited = tmp_path / f"e{n}.epub"
        _edit(base, edited, "EPUB/text/c02-02-two.xhtml",
              lambda text, n=n: text.replace("</p>", f" Edit {n}.</p>", 1))
        edits.append(edited)
    scopes = [scoped_check.check(p, using, "k").scope for p in [base, *edits]]
    assert scopes == ["whole book", "1 changed document and the package",
                      "1 changed document and the package", "whole book"]


def test_the_probe_holds_only_what_the_changed_document_reaches(base, tmp_path, monkeypatch):
    """An edit of a chapter no other links to, linking to none, is checked
    against the package and the navigation lists' first documents only."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    using = checker()
    seen = []

    class Spy:
        notice = None

        def check(self, path):
            with zipfile.ZipFile(path) as zf:
                seen.append(sorted(n for n in zf.namelist() if n.startswith("EPUB/text/")))
            return using.check(path)

    assert scoped_check.check(base, Spy(), "k").passed
    edits = {"EPUB/text/c06-06-six.xhtml": lambda t: t.replace("</p>", " Edited.</p>", 1),
             "EPUB/text/c04-04-four.xhtml": lambda t: t.replace("</p>", " Edited.</p>", 1)}
    for n, (name, change) in enumerate(edits.items()):
        edited = tmp_path / f"e{n}.epub"
        _edit(base, edited, name, change)
        result = scoped_check.check(edited, Spy(), "k")
        assert (result.passed, result.scope) == (True, "1 changed document and the package")
        scoped_check.check(base, using, "k")  # back to the base's recorded pass
    whole, six, four = seen
    assert len(whole) == 7 and len(six) < len(whole) and len(four) < len(whole)
    assert "EPUB/text/c06-06-six.xhtml" in six and "EPUB/text/c02-02-two.xhtml" not in six
    assert "EPUB/text/c05-05-five.xhtml" in four  # it links to four
    assert "EPUB/text/c06-06-six.xhtml" not in four
