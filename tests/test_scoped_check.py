"""A scoped check says exactly what a whole-book check says: many edits of a
checked book, each checked both ways, must give the same verdict and messages.
The default run tries 4 series of edits (2 with decoys); CI tries 200
(``BOOKBUILD_SCOPED_SEEDS=200``, see .ci/run)."""

from __future__ import annotations

import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.checks import scoped as scoped_check

from conftest import checker, write_book

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


@pytest.fixture(scope="module")
def decorated(base, tmp_path_factory) -> Path:
    """The base with decoys a reviewer used against the probe: a reference
    that is no link (cite), an identifier whose kind matters to a link (an SVG
    gradient). Stubs cannot stand for the documents holding them."""
    decorated = tmp_path_factory.mktemp("decorated") / "decorated.epub"
    _edit(base, decorated, DECOYS)
    assert checker().check(decorated).passed
    return decorated


DECOYS = {
    "EPUB/text/c06-06-six.xhtml": lambda text: text.replace(
        "</section></body>", '<blockquote cite="c04-04-four.xhtml#far"><p>Quoted.</p>'
                             "</blockquote></section></body>", 1),
    "EPUB/text/c05-05-five.xhtml": lambda text: text.replace(
        "</section></body>", '<p><svg xmlns="http://www.w3.org/2000/svg" width="10" '
        'height="10"><defs><linearGradient id="grad"><stop offset="0" stop-color="red"/>'
        '</linearGradient></defs><rect width="10" height="10" fill="url(#grad)"/></svg></p>'
        "</section></body>", 1),
    "EPUB/content.opf": lambda text: text.replace(
        'href="text/c05-05-five.xhtml" media-type="application/xhtml+xml"',
        'href="text/c05-05-five.xhtml" media-type="application/xhtml+xml" properties="svg"', 1),
}


def _edit(epub: Path, out: Path, changes: dict) -> None:
    """A copy of ``epub`` with each named file's text changed."""
    with zipfile.ZipFile(epub) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in changes:
                data = changes[info.filename](data.decode("utf-8")).encode("utf-8")
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
        "link-gradient": append('<p><a href="c05-05-five.xhtml#grad">a gradient</a></p>'),
        "bad-url": append('<p><a href="http://[oops/">not a URL</a></p>'),
        "opf-layout": lambda text: text.replace(
            "</metadata>", '<meta property="rendition:layout">pre-paginated</meta></metadata>', 1),
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
    "EPUB/text/c03-03-three.xhtml": ["text", "drop-id", "add-math", "missing-image",
                                     "link-gradient"],
    "EPUB/text/c04-04-four.xhtml": ["text", "drop-id", "drop-id", "duplicate-id"],
    "EPUB/text/c05-05-five.xhtml": ["text", "drop-id", "broken-far", "link-far"],
    "EPUB/text/c06-06-six.xhtml": ["text", "link-far", "broken-far", "add-math", "script",
                                   "link-gradient", "bad-url"],
    "EPUB/text/nav.xhtml": ["nav-label", "drop-id", "broken-fragment"],
    "EPUB/content.opf": ["opf-date", "opf-date", "opf-no-mathml", "opf-no-spine-item",
                         "opf-layout"],
}
DOCUMENTS = list(KINDS)


@pytest.mark.parametrize("seed", range(int(os.environ.get("BOOKBUILD_SCOPED_SEEDS", "4"))))
def test_a_scoped_check_says_what_the_whole_book_check_says(base, decorated, tmp_path, seed):
    """Odd seeds edit the book with decoys, where more edits need the whole book."""
    base = decorated if seed % 2 else base
    rng = random.Random(seed)
    using = checker()
    scope = scoped_check.Scope(f"test-{seed}", tmp_path / "checks")
    assert scoped_check.check(base, using, scope).scope == "whole book"  # the recorded pass
    for step in range(4):
        edited = tmp_path / f"edit-{step}.epub"
        documents = rng.sample(DOCUMENTS, rng.choice([1, 1, 2]))
        _edit(base, edited, {name: _mutation(rng.choice(KINDS[name]), rng) for name in documents})
        whole = using.check(edited)
        scoped_check.check(base, using, scope)  # back to the base's recorded pass
        scoped = scoped_check.check(edited, using, scope)
        assert (scoped.passed, scoped.messages) == (whole.passed, whole.messages), documents
        if whole.passed and not seed % 2:
            assert scoped.scope != "whole book"  # the edit was checked scoped, and it agreed
        scoped_check.check(base, using, scope)


def test_every_so_often_the_whole_book_is_checked_again(base, tmp_path, monkeypatch):
    monkeypatch.setattr(scoped_check, "SCOPED_IN_A_ROW", 2)
    using = checker()
    scope = scoped_check.Scope("k", tmp_path / "checks")
    edits = []
    for n in range(3):
        edited = tmp_path / f"e{n}.epub"
        _edit(base, edited, {"EPUB/text/c02-02-two.xhtml":
                             lambda text, n=n: text.replace("</p>", f" Edit {n}.</p>", 1)})
        edits.append(edited)
    scopes = [scoped_check.check(p, using, scope).scope for p in [base, *edits]]
    assert scopes == ["whole book", "1 changed document and the package",
                      "1 changed document and the package", "whole book"]


def test_the_probe_holds_only_what_the_changed_document_reaches(decorated, tmp_path):
    """An edit of a chapter is checked against the package, the chapters it
    refers to or is referred from, and the navigation lists' first documents;
    one whose neighbour a stub cannot stand for, against the whole book."""
    using = checker()
    scope = scoped_check.Scope("k", tmp_path / "checks")
    seen = []

    class Spy:
        notice = None

        def check(self, path):
            with zipfile.ZipFile(path) as zf:
                seen.append(sorted(n for n in zf.namelist() if n.startswith("EPUB/text/")))
            return using.check(path)

    assert scoped_check.check(decorated, Spy(), scope).passed
    scopes = []
    for n, name in enumerate(["c06-06-six", "c03-03-three", "c04-04-four"]):
        edited = tmp_path / f"e{n}.epub"
        _edit(decorated, edited,
              {f"EPUB/text/{name}.xhtml": lambda t: t.replace("</p>", " Edited.</p>", 1)})
        result = scoped_check.check(edited, Spy(), scope)
        scopes.append((result.passed, result.scope))
        scoped_check.check(decorated, using, scope)  # back to its recorded pass
    assert scopes == [(True, "1 changed document and the package")] * 2 + [(True, "whole book")]
    whole, six, three, four = [{n.removeprefix("EPUB/text/")[:3] for n in s} for s in seen]
    assert whole == {"c01", "c02", "c03", "c04", "c05", "c06", "cov", "tit"}  # tit: the title page
    assert six == {"c06", "c04", "c01", "cov"}  # four: cited; one and cover: where lists start
    assert three == {"c03", "c02", "c01", "cov"}  # two: linked to; one: links here
    assert four == whole  # five and six refer to four: six's cite, five's SVG, no stub for them


@pytest.mark.parametrize("layout", ["mimetype-last", "duplicate-entry"])
def test_a_change_to_the_container_alone_is_checked_whole(base, tmp_path, layout):
    """Same files, other zip: EPUBCheck's rules on the container see it."""
    using = checker()
    scope = scoped_check.Scope("k", tmp_path / "checks")
    assert scoped_check.check(base, using, scope).passed
    edited = tmp_path / "edited.epub"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(edited, "w") as zout:
        infos = zin.infolist()
        if layout == "mimetype-last":
            infos = infos[1:] + infos[:1]
        for info in infos:
            zout.writestr(info, zin.read(info))
        if layout == "duplicate-entry":
            with pytest.warns(UserWarning, match="Duplicate name"):
                zout.writestr(infos[-1], zin.read(infos[-1]))
    whole = using.check(edited)
    scoped = scoped_check.check(edited, using, scope)
    assert not whole.passed
    assert (scoped.passed, scoped.messages, scoped.scope) == (False, whole.messages, "whole book")
