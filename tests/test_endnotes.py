"""Notes end to end: numbering, placement, the inspector, and random books."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbuild import BuildOptions, build_book
from bookbuild.checks.notelinks import inspect_epub
from bookbuild.notes import plan as endnotes

from conftest import NS, Epub, write_book
from test_build import assert_notes_linked_both_ways, run_cli

CHAPTERS = {
    "01-one.md": """\
        # One

        First[^a] and second[^b], first again[^a].

        [^a]: One-A text.
        [^b]: One-B text.
        """,
    "02-two.md": """\
        # Two

        Only[^a] here.

        [^a]: Two-A text.
        """,
    "03-three.md": """\
        # Three

        No notes at all.
        """,
    "04-four.md": """\
        # Four

        Back[^x] again.

        [^x]: Four-X text.
        """,
}


def test_plan_restarts_or_continues_numbering():
    srcs = [2, 0, 1]  # notes per chapter
    files = ["a.xhtml", "b.xhtml", "c.xhtml"]
    per_chapter = endnotes.plan(files, srcs, "chapter", "chapter")
    assert [p.start for p in per_chapter] == [1, 1, 1]
    continuous = endnotes.plan(files, srcs, "chapter", "continuous")
    assert [p.start for p in continuous] == [1, 3, 3]
    assert continuous[2].note_href(0) == "#note-3"
    assert continuous[2].back_href(0, "noteref-3") == "#noteref-3"


def test_plan_for_book_end_notes_splits_long_lists(monkeypatch):
    monkeypatch.setattr(endnotes, "NOTES_PER_DOCUMENT", 2)
    srcs = [3, 1]
    plans = endnotes.plan(["a.xhtml", "b.xhtml"], srcs, "book", "chapter")
    assert plans[0].documents == ("notes-01.xhtml", "notes-01.xhtml", "notes-02.xhtml")
    assert plans[1].documents == ("notes-02.xhtml",)
    assert plans[1].note_href(0) == "notes-02.xhtml#b-note-1"
    assert plans[1].back_href(0, "noteref-1") == "b.xhtml#noteref-1"


def _note_texts(epub: Epub) -> dict[str, str]:
    """Every note's text by the text of the reference that leads to it, per document."""
    found = {}
    for doc in epub.chapters():
        for ref in epub.xml(doc).iterfind(".//h:a[@epub:type='noteref']", NS):
            target, frag = (ref.get("href").split("#") + [""])[:2]
            target_doc = doc if not target else f"EPUB/text/{target}"
            note = epub.xml(target_doc).find(f".//*[@id='{frag}']", NS)
            text = " ".join("".join(note.itertext()).split())
            found[f"{Path(doc).stem}:{ref.get('id')}"] = text
    return found


@pytest.mark.parametrize("placement, numbering, split", [
    ("chapter", "chapter", False), ("chapter", "continuous", False),
    ("book", "chapter", False), ("book", "continuous", True),
])
def test_placements_and_numberings_build_clean(tmp_path, monkeypatch, placement, numbering, split):
    if split:
        monkeypatch.setattr(endnotes, "NOTES_PER_DOCUMENT", 2)
    config = (f"title: Notes Test\nlanguage: en\nauthor: A\nnotes: {placement}\n"
              f"notes-numbering: {numbering}\nchapters: [manuscript/01-one.md, manuscript/02-two.md,"
              " manuscript/03-three.md, {file: manuscript/04-four.md, type: appendix}]\n")
    write_book(tmp_path / "book", CHAPTERS, config)
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out"))
    artifact = report.artifact("epub")
    assert artifact.check.passed, [str(m) for m in artifact.check.messages]
    assert artifact.notes.passed and artifact.notes.references == 5
    epub = Epub(artifact.path)
    assert assert_notes_linked_both_ways(epub) == 5
    continuous = numbering == "continuous"
    texts = _note_texts(epub)
    assert texts == {
        "c01-01-one:noteref-1": "1. One-A text. ↩︎",
        "c01-01-one:noteref-2": "2. One-B text.",
        "c01-01-one:noteref-1-2": "1. One-A text. ↩︎",
        f"c02-02-two:noteref-{3 if continuous else 1}": f"{3 if continuous else 1}. Two-A text.",
        f"c04-04-four:noteref-{4 if continuous else 1}": f"{4 if continuous else 1}. Four-X text.",
    }
    notes_docs = sorted(n for n in epub.names if re.search(r"/notes-\d+\.xhtml$", n))
    if placement == "chapter":
        assert notes_docs == []
        heading = epub.xml(epub.chapters()[0]).find(".//h:section[@epub:type='endnotes']/h:h2", NS)
        assert heading.text == "Notes"
        return
    # Four notes, two per document when split.
    assert notes_docs == (["EPUB/text/notes-01.xhtml", "EPUB/text/notes-02.xhtml"] if split
                          else ["EPUB/text/notes-01.xhtml"])
    # After the body, before the appendix, in the spine and in the nav.
    spine = epub.spine()
    assert spine.index("text/notes-01.xhtml") == spine.index("text/c04-04-four.xhtml") - len(notes_docs)
    nav = epub.xml("EPUB/nav.xhtml")
    toc = [a.text for a in nav.iterfind(".//h:nav[@epub:type='toc']/h:ol/h:li/h:a", NS)]
    assert toc == ["One", "Two", "Three", "Notes", "Four"]
    sub = [a.text for a in nav.iterfind(".//h:nav[@epub:type='toc']/h:ol/h:li[4]/h:ol/h:li/h:a", NS)]
    assert sub == ["One", "Two", "Four"]
    landmark = nav.find(".//h:nav[@epub:type='landmarks']//h:a[@epub:type='endnotes']", NS)
    assert landmark.get("href") == "text/notes-01.xhtml"
    first = epub.xml("EPUB/text/notes-01.xhtml")
    assert first.find(".//h:section[@role='doc-endnotes']/h:h1", NS).text == "Notes"


def test_notes_heading_follows_language_or_config(tmp_path):
    write_book(tmp_path / "ru", {"a.md": "Текст[^1].\n\n[^1]: Примечание.\n"},
               "title: Т\nlanguage: ru\nauthor: А\n")
    write_book(tmp_path / "custom", {"a.md": "Text[^1].\n\n[^1]: Note.\n"},
               "title: T\nlanguage: en\nauthor: A\nnotes-heading: Translator’s notes\n")
    for name, expected in (("ru", "Примечания"), ("custom", "Translator’s notes")):
        report = build_book(tmp_path / name, BuildOptions(out_dir=tmp_path / f"{name}-out",
                                                          check=False))
        epub = Epub(report.artifact("epub").path)
        h2 = epub.xml(epub.chapters()[0]).find(".//h:section[@epub:type='endnotes']/h:h2", NS)
        assert h2.text == expected


def test_inspector_finds_pandocs_missing_back_links(tmp_path):
    source = tmp_path / "p.md"
    source.write_text("# A\n\nx[^1] y[^2]\n\n[^1]: one\n[^2]: two\n")
    out = tmp_path / "pandoc.epub"
    pypandoc.convert_file(str(source), "epub3", outputfile=str(out),
                          extra_args=["--metadata=title:T", "--metadata=lang:en"])
    report = inspect_epub(out)
    assert (report.references, report.notes) == (2, 2)
    assert [(p.code, p.message.split(":")[0]) for p in report.problems] == [
        ("note-no-backlink", "reference fnref1"), ("note-no-backlink", "reference fnref2")]
    proc = run_cli("notes", str(out))
    assert proc.returncode == 1 and "BROKEN" in proc.stdout


def _rewrite(epub: Path, name: str, old: str, new: str) -> None:
    with zipfile.ZipFile(epub) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files[name] = files[name].replace(old.encode(), new.encode())
    with zipfile.ZipFile(epub, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)


def test_inspector_reports_references_to_nowhere_and_to_non_notes(tmp_path):
    write_book(tmp_path / "book", {"a.md": "# A\n\nOne[^1] two[^2] three[^3].\n\n"
                                            "[^1]: N1.\n[^2]: N2.\n[^3]: N3.\n"})
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    epub = report.artifact("epub").path
    doc = "EPUB/text/c01-a.xhtml"
    _rewrite(epub, doc, 'href="#note-1"', 'href="#gone"')
    _rewrite(epub, doc, 'href="#note-2"', 'href="#a"')  # the chapter heading
    _rewrite(epub, doc, 'href="#noteref-3"', 'href="#a"')
    problems = [(p.code, p.message) for p in inspect_epub(epub).problems]
    assert [code for code, _ in problems] == ["noteref-nowhere", "noteref-not-note",
                                              "note-no-backlink"]
    # each names the reference it is about, and where that leads
    assert [message.split()[1].rstrip(":") for _, message in problems] == \
        ["noteref-1", "noteref-2", "noteref-3"]
    assert "'#gone'" in problems[0][1] and "'#a'" in problems[1][1] and "'note-3'" in problems[2][1]
    # A note nothing leads to, with no link back to any reference either.
    _rewrite(epub, doc, 'href="#noteref-1" class="note-number"', 'href="#a" class="note-number"')
    last = inspect_epub(epub).problems[-1]
    assert (last.code, last.message.split()[1]) == ("note-unreached", "'note-1'")


def test_build_fails_with_exit_1_on_a_broken_note_link(tmp_path, monkeypatch):
    monkeypatch.setattr(endnotes.NotePlan, "back_href", lambda self, i, ref_id: "#nowhere")
    write_book(tmp_path / "book", {"a.md": "# A\n\nOne[^1].\n\n[^1]: N1.\n"})
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=False))
    assert report.exit_code == 1
    assert [(p.code, p.message.split(":")[0]) for p in report.artifact("epub").notes.problems] \
        == [("note-no-backlink", "reference noteref-1")]


# --- property: random chapters, reused labels, rich bodies ---------------------

LABELS = st.sampled_from(["1", "2", "3", "a", "note", "x-1", "fn"])
BODIES = st.sampled_from([
    "Plain {t}.",
    "*Emphasis* and a [link](https://example.org) in {t}.",
    "First paragraph {t}.\n\n    Second paragraph.",
    "Quote follows {t}.\n\n    > quoted words",
    "A list {t}:\n\n    - one\n    - two",
])
PLACES = st.sampled_from(["para", "quote", "item", "heading"])


@st.composite
def chapter_text(draw, chapter: int):
    refs = draw(st.lists(st.tuples(LABELS, PLACES), min_size=0, max_size=8))
    lines = [f"# Chapter {chapter}", ""]
    for k, (label, place) in enumerate(refs):
        ref = f"[^{label}]"
        lines += {"para": [f"Sentence {k}{ref} goes on.", ""],
                  "quote": [f"> Quoted {k}{ref} words.", ""],
                  "item": [f"- item {k}{ref}", ""],
                  "heading": [f"## Part {k}{ref}", ""]}[place]
    for label in dict.fromkeys(label for label, _ in refs):
        body = draw(BODIES).format(t=f"TOKEN-{chapter}-{label}")
        lines += [f"[^{label}]: {body}", ""]
    return "\n".join(lines), [label for label, _ in refs]


@st.composite
def books(draw):
    count = draw(st.integers(1, 3))
    return [draw(chapter_text(i + 1)) for i in range(count)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(book=books(), placement=st.sampled_from(["chapter", "book"]),
       numbering=st.sampled_from(["chapter", "continuous"]))
def test_every_reference_reaches_its_own_note_and_back(tmp_path_factory, book, placement, numbering):
    root = tmp_path_factory.mktemp("prop")
    chapters = {f"{i + 1:02d}.md": text for i, (text, _) in enumerate(book)}
    write_book(root / "book", {}, f"title: P\nlanguage: en\nauthor: A\nnotes: {placement}\n"
                                  f"notes-numbering: {numbering}\n")
    for name, text in chapters.items():  # not dedented: the bodies carry their own indents
        (root / "book" / "manuscript" / name).write_text(text, encoding="utf-8")
    report = build_book(root / "book", BuildOptions(out_dir=root / "out", check=False))
    assert report.artifact("epub").notes.passed, report.artifact("epub").notes.problems
    epub = Epub(report.artifact("epub").path)
    assert assert_notes_linked_both_ways(epub) == sum(len(labels) for _, labels in book)
    for doc, (_, labels) in zip(epub.chapters(), book):
        refs = list(epub.xml(doc).iterfind(".//h:a[@epub:type='noteref']", NS))
        assert len(refs) == len(labels)
        chapter = int(re.search(r"c(\d+)-", doc).group(1))
        for ref, label in zip(refs, labels):
            target, frag = ref.get("href").split("#")
            note = epub.xml(f"EPUB/text/{target}" if target else doc).find(f".//*[@id='{frag}']", NS)
            text = "".join(note.itertext())
            assert f"TOKEN-{chapter}-{label}" in text
            assert text.strip().startswith(f"{ref.text}.")  # the number shown is the number linked


def test_references_side_by_side_get_a_raised_comma_in_the_epub_and_in_print(tmp_path):
    """An author's note beside another, or beside a citation's note, or ending a
    span or a link with another next, reads "¹,²", not "¹²" (twelve), in both
    media; references apart get none. One reading of the AST decides it for
    both (notes.markup.side_by_side), the EPUB's after its references left
    the links they were in. (Two
    references apart by a space alone read as one number in the PDF's check,
    so a word stands between them here.)"""
    from test_print import Pdf

    book = write_book(tmp_path / "book", {"01.md": """\
        # One

        Two.[^a][^b] Cited.[^a][@knuth] Apart[^b] and[^a].
        Spanned [x[^a]]{.y}[^b]. Linked [y[^a]](https://example.org)[^b].

        Both [z[^a] w[^b]](https://example.org).

        Raw <a href="https://example.org">u[^a] v[^b]</a>.

        Moved [@knuth, 3].[^b]

        [^a]: A.
        [^b]: B.
        """}, "title: Side\nlanguage: en\nauthor: A. W.\nbibliography: refs.bib\n")
    (book / "refs.bib").write_text("@book{knuth, author = {Donald Knuth}, title = {Book}, "
                                   "publisher = {P}, year = {1984}}\n")
    report = build_book(book, BuildOptions(out_dir=tmp_path / "out", formats=("epub", "pdf")))
    assert report.exit_code == 0, [str(m) for a in report.artifacts if a.check
                                   for m in a.check.messages]
    epub = Epub(report.artifact("epub").path)
    para = epub.xml(epub.chapters()[0]).find(".//h:p", NS)
    assert " ".join("".join(para.itertext()).split()) == \
        "Two.1,2 Cited.1,3 Apart2 and1. Spanned x1,2. Linked y1,2."
    assert [sup.text for sup in para.iterfind(".//h:sup", NS)] == [None] * 10
    assert [sup[0].tail for sup in para.iterfind(".//h:sup", NS)] == \
        [",", None, ",", None, None, None, ",", None, ",", None]
    printed = "".join("".join(Pdf(report.artifact("pdf").path).texts).split())
    assert "Two.1,2Cited.1,3Apart2and1.Spannedx1,2.Linkedy1,2." in printed
    # The EPUB takes references out of a link, in order, side by side; print keeps them in it.
    both = epub.xml(epub.chapters()[0]).findall(".//h:p", NS)[1]
    assert " ".join("".join(both.itertext()).split()) == "Both z w1,2."
    assert "Bothz1w2." in printed
    # The book's own <a>, which the AST does not hold as a link: in order, after it.
    raw = epub.xml(epub.chapters()[0]).findall(".//h:p", NS)[2]
    assert [a.text for a in raw.iterfind(".//h:a[@class='noteref']", NS)] == ["1", "2"]
    # citeproc moves the full stop before a citation's note: an author's note after it still
    # stands apart from it.
    moved = epub.xml(epub.chapters()[0]).findall(".//h:p", NS)[3]
    assert " ".join("".join(moved.itertext()).split()) == "Moved.4,2"
    assert "Moved.4,2" in printed
