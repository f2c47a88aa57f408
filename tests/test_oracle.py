"""Pandoc is the oracle: generated chapters full of decoys, and the built book's
endnotes must be exactly the notes Pandoc finds, in count, order and text,
each linked both ways; or, where the Markdown is really wrong, a clean error.

The default run tries 10 books (and 5 with citations, against
``pandoc --citeproc``); CI runs thousands
(``BOOKBUILD_ORACLE_EXAMPLES=2000``, see .ci/run), drawn in
``BOOKBUILD_ORACLE_SHARDS`` independent shards so that pytest-xdist spreads
them over the cores (each shard a test of its own, with its own random seed).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from bookbuild import BuildOptions, build_book, pandoc
from bookbuild.errors import BookbuildError
from bookbuild.runtime import Runtime

from bookbuild.config.styles import shipped_style, style_file

from conftest import NS, PROJECT, Epub
from test_build import assert_notes_linked_both_ways
from test_citations import BIBTEX, CSL_JSON, CSL_YAML

EXAMPLES = int(os.environ.get("BOOKBUILD_ORACLE_EXAMPLES", "10"))
SHARDS = range(int(os.environ.get("BOOKBUILD_ORACLE_SHARDS", "1")))
LABELS = ["1", "2", "3", "a", "note", "x-1", "fn", "Ω"]
WORDS = st.sampled_from(["alpha", "beta", "gamma", "*emphasis*", "`code`", "a [link](#chapter-1)",
                         '"quoted"', "it's", "x -- y", "$x^2$"])


@dataclass
class Chapter:
    """Markdown being written, with what the generator knows it holds."""

    blocks: list[str] = field(default_factory=list)
    defined: list[str] = field(default_factory=list)  # labels given a definition
    mistakes: list[tuple[int, str]] = field(default_factory=list)  # (line, kind)

    def line(self) -> int:
        """The line the next block starts on."""
        return sum(b.count("\n") + 2 for b in self.blocks) + 1

    def add(self, block: str) -> None:
        self.blocks.append(block.rstrip("\n"))

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


@st.composite
def note_body(draw, token: str) -> str:
    """A note's body, indented as Pandoc wants continuation blocks."""
    first = f"Note {token} {draw(WORDS)}."
    extra = draw(st.sampled_from([
        "", "\n\n    Second paragraph {w}.", "\n\n    > a quotation {w}",
        "\n\n    - one {w}\n    - two", "\n\n    ```\n    code [^1] in a note\n    ```",
        "\n\n    1. first\n    2. second {w}", " Escaped \\[^zz] in a note.",
    ]))
    return first + extra.replace("{w}", draw(WORDS))


@st.composite
def reference(draw, chapter: Chapter, token: str) -> str:
    """A labelled reference (defined, maybe later) or an inline note."""
    if draw(st.booleans()):
        return f"^[inline {token} {draw(WORDS)}]"
    label = draw(st.sampled_from(LABELS))
    if label not in chapter.defined:
        chapter.defined.append(label)
    return f"[^{label}]"


DECOYS = [
    "Use `[^{l}]` in code.", "```\n[^{l}]: not a definition\n```", "~~~ {{.python}}\nx[^{l}]\n~~~",
    "    indented code [^{l}]", "Math $a[^{l}]$ here.", "$$\nb[^{l}]\n$$",
    '<span title="[^{l}]">raw attribute</span>', "<pre>\n[^{l}]\n</pre>", "<!-- [^{l}] -->",
    "A code span across lines `c\n[^{l}]` ends.", "Escaped \\[^{l}] is text.",
    "<div class=\"raw\">\n\nmarkdown in raw HTML\n\n</div>", "---\nsubtitle: \"x\"\n---",
]


@st.composite
def chapters(draw, number: int) -> Chapter:
    chapter = Chapter()
    chapter.add(f"# Chapter {number}")
    if draw(st.booleans()):
        chapter.add("[^before]: A definition before its use.")
        chapter.defined.append("before")
        chapter.add("Uses the early note[^before].")
    for k in range(draw(st.integers(1, 8))):
        token = f"T{number}-{k}"
        kind = draw(st.sampled_from(["para", "heading", "quote", "item", "table", "deflist", "div",
                                     "linktext", "decoy", "listdef", "quotedef"]))
        if kind == "decoy":
            # The decoy's label is also referenced for real, so a decoy that Pandoc
            # does read as a reference in its context (indented "code" after a
            # list item is a paragraph of the item) is a second reference, not a
            # mistake: the oracle then expects it as Pandoc does.
            label = draw(st.sampled_from(LABELS))
            chapter.add(f"Real {token}[^{label}].")
            if label not in chapter.defined:
                chapter.defined.append(label)
            chapter.add(draw(st.sampled_from(DECOYS)).format(l=label))
            continue
        if kind in ("listdef", "quotedef"):  # a note defined where it is used
            own = f"{kind[0]}{k}"
            chapter.add(f"- item {token}[^{own}]\n\n  [^{own}]: Defined in the item {token}."
                        if kind == "listdef" else
                        f"> Quoted {token}[^{own}].\n>\n> [^{own}]: Defined in the quote {token}.")
            continue
        ref = draw(reference(chapter, token))
        chapter.add({
            "para": f"Sentence {token}{ref} {draw(WORDS)}.",
            "heading": f"## Part {token}{ref}",
            "quote": f"> Quoted {token}{ref} words.\n>\n> More.",
            "item": f"- item {token}{ref}\n- other",
            "table": f"| a | b |\n|---|---|\n| cell {token}{ref} | x |",
            "deflist": f"Term {token}\n\n:   Definition{ref}.",
            "div": f"::: {{.box}}\nInside {token}{ref}.\n:::",
            "linktext": f"A [link {token}{ref}](https://example.org) here.",
        }[kind])
    mistake = draw(st.sampled_from([None] * 6 + ["undefined", "unused", "twice"]))
    if mistake == "undefined":
        chapter.mistakes.append((chapter.line(), "has no definition"))
        chapter.add("A reference to nothing[^nowhere].")
    for label in chapter.defined:
        if label == "before":
            continue
        place = draw(st.sampled_from(["end", "quote"]))
        body = draw(note_body(f"{number}-{label}"))
        if place == "quote" and "\n" not in body:
            chapter.add(f"> [^{label}]: {body}")
        else:
            chapter.add(f"[^{label}]: {body}")
    if mistake == "unused":
        chapter.mistakes.append((chapter.line(), "defined but never referenced"))
        chapter.add("[^spare]: Never referenced.")
    if mistake == "twice" and [d for d in chapter.defined if d != "before"]:
        chapter.mistakes.append((chapter.line(), "defined twice"))
        chapter.add(f"[^{next(d for d in chapter.defined if d != 'before')}]: Again.")
    return chapter


def pandoc_notes(text: str, *options: str) -> list[str]:
    """The text of the note each reference shows, in reading order, as Pandoc's
    own HTML writer renders the chapter (given these command-line options)."""
    proc = subprocess.run([pandoc.executable(), "-f", "markdown", "-t", "html5", "--wrap=none",
                           "--mathml", *options],
                          input=text.encode(), capture_output=True, check=True)
    root = lxml_html.fromstring(f"<div>{proc.stdout.decode()}</div>")
    notes = []
    for ref in root.iterfind(".//a[@class='footnote-ref']"):
        li = root.find(f".//li[@id='{ref.get('href')[1:]}']")
        for back in li.iterfind(".//a[@class='footnote-back']"):
            back.text = ""
        notes.append(_fold(li.text_content()))
    return notes


def _fold(text: str) -> str:
    return " ".join(text.split())


def built_notes(epub: Epub, doc: str) -> list[tuple[str, str]]:
    """Per reference in reading order: the number it shows, and its note's text."""
    found = []
    for ref in epub.xml(doc).iterfind(".//h:a[@epub:type='noteref']", NS):
        target, _, frag = ref.get("href").partition("#")
        note = epub.xml(f"EPUB/text/{target}" if target else doc).find(f".//*[@id='{frag}']", NS)
        number = note.find(".//h:a[@class='note-number']", NS)
        text = _fold("".join(note.itertext()).replace("\u21a9\ufe0e", ""))
        assert number is not None and text.startswith(f"{ref.text}. "), (ref.text, text)
        found.append((ref.text, text[len(ref.text) + 2:]))
    return found


def _build(root: Path, texts: list[str], crlf: bool, placement: str, numbering: str,
           extra: str = ""):
    book = root / "book"
    (book / "manuscript").mkdir(parents=True)
    (book / "assets").mkdir()
    shutil.copy(PROJECT / "assets" / "cover.jpg", book / "assets" / "cover.jpg")
    (book / "book.yaml").write_text(
        f"title: Oracle\nlanguage: en\nauthor: A\ncover: assets/cover.jpg\nformats: [epub]\n"
        f"notes: {placement}\nnotes-numbering: {numbering}\n{extra}")
    for i, text in enumerate(texts, start=1):
        data = text.replace("\n", "\r\n") if crlf else text
        (book / "manuscript" / f"{i:02d}.md").write_bytes(data.encode())
    return build_book(book, BuildOptions(out_dir=root / "out", check=False, cache=False, jobs=1),
                      _runtime())


@functools.cache
def _runtime() -> Runtime:
    """One runtime for the thousands of books of a run, as a catalog holds one: a
    build given none starts and ends Pandoc workers of its own."""
    return Runtime.from_environment()


@pytest.mark.parametrize("shard", SHARDS)
@settings(max_examples=max(EXAMPLES // len(SHARDS), 1), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(1, 3), crlf=st.booleans(),
       placement=st.sampled_from(["chapter", "book"]),
       numbering=st.sampled_from(["chapter", "continuous"]))
def test_built_notes_are_pandocs_notes(tmp_path_factory, shard, data, count, crlf, placement,
                                       numbering):
    book = [data.draw(chapters(i + 1)) for i in range(count)]
    texts = [c.text() for c in book]
    mistakes = [(i + 1, line, kind) for i, c in enumerate(book) for line, kind in c.mistakes]
    root = tmp_path_factory.mktemp("oracle")
    try:
        report = _build(root, texts, crlf, placement, numbering)
    except BookbuildError as err:
        got = [(p.file.name, p.line, p.message) for p in err.problems]
        assert mistakes, f"refused a good book: {got}\n\n" + "\n----\n".join(texts)
        for chapter, line, kind in mistakes:
            assert any(f == f"{chapter:02d}.md" and ln == line and kind in m
                       for f, ln, m in got), (chapter, line, kind, got)
        assert not (root / "out").exists()
        return
    assert not mistakes, f"built a wrong book: {mistakes}\n\n" + "\n----\n".join(texts)
    epub = Epub(report.artifact("epub").path)
    assert report.artifact("epub").notes.passed, report.artifact("epub").notes.problems
    expected_total = 0
    for doc, text in zip(epub.chapters(), texts):
        expected = pandoc_notes(text)
        got = [note for _, note in built_notes(epub, doc)]
        assert got == expected, f"{doc}\n{text}"
        expected_total += len(expected)
    assert assert_notes_linked_both_ways(epub) == expected_total


def test_the_oracle_sees_decoys_as_pandoc_does():
    """The generator's decoys are not notes to Pandoc; if this ever fails, Pandoc
    changed and the generator must follow it, not bookbuild."""
    for decoy in DECOYS:
        text = "Real[^a].\n\n" + decoy.format(l="a") + "\n\n[^a]: Note a.\n"
        assert pandoc_notes(text) == ["Note a."], decoy


# --- Citations: citeproc's notes among the author's -----------------------------

KEYS = ["knuth84", "lamport94", "tufte83", "bringhurst92"]
CITATIONS = ["[@{k}]", "[@{k}, p. 3]", "@{k}", "[see @{k}; @{j}]", "[-@{k}, 12]",
             "[@{k}, chap. 2]"]


@st.composite
def cited_chapters(draw, number: int) -> str:
    """A chapter mixing citations (in the text, in the author's notes, in lists
    and quotes) with the author's notes, labelled and inline. Each label is
    referenced once: a label referenced twice is one note in bookbuild (its
    first body) where Pandoc renders each copy, the second as a later citation."""
    blocks, definitions = [f"# Chapter {number}"], []

    def citation() -> str:
        k, j = draw(st.sampled_from(KEYS)), draw(st.sampled_from(KEYS))
        return draw(st.sampled_from(CITATIONS)).format(k=k, j=j)

    for k in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["cite", "labelled", "inline", "item", "quote", "plain"]))
        words = draw(WORDS)
        if kind == "labelled":
            label = f"n{k}"
            inside = citation() if draw(st.booleans()) else words
            definitions.append(f"[^{label}]: A note {number}-{k} with {inside}.")
            blocks.append(f"Sentence {number}-{k}[^{label}] and {citation()} {words}.")
        elif kind == "inline":
            blocks.append(f"Inline {number}-{k}^[Inline note citing {citation()}.] {words}.")
        elif kind == "item":
            blocks.append(f"- item {citation()}\n- other {words}")
        elif kind == "quote":
            blocks.append(f"> Quoted {citation()} words.")
        elif kind == "plain":
            blocks.append(f"Plain {number}-{k}^[Just a note, {words}.] text.")
        else:
            blocks.append(f"Text {number}-{k} {citation()} {words}.")
    return "\n\n".join(blocks + definitions) + "\n"


@pytest.mark.parametrize("shard", SHARDS)
@settings(max_examples=max(EXAMPLES // 8 // len(SHARDS), 5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), count=st.integers(1, 3),
       placement=st.sampled_from(["chapter", "book"]),
       numbering=st.sampled_from(["chapter", "continuous"]),
       style=st.sampled_from([None, "chicago-author-date"]))
def test_cited_notes_are_citeprocs_notes(tmp_path_factory, shard, data, count, placement,
                                         numbering, style):
    """Each chapter's notes, citations included, are exactly those
    ``pandoc --citeproc`` makes of it with the same bibliography and style, in
    order, each linked both ways."""
    texts = [data.draw(cited_chapters(i + 1)) for i in range(count)]
    root = tmp_path_factory.mktemp("cited")
    (root / "book").mkdir()
    (root / "book" / "refs.bib").write_text(BIBTEX)
    (root / "book" / "more.json").write_text(CSL_JSON)
    (root / "book" / "extra.yaml").write_text(CSL_YAML)
    csl = style_file(shipped_style(style) if style else None)
    report = _build(root, texts, False, placement, numbering,
                    "bibliography: [refs.bib, more.json, extra.yaml]\n"
                    + (f"csl: {style}\n" if style else ""))
    epub = Epub(report.artifact("epub").path)
    assert report.artifact("epub").notes.passed, report.artifact("epub").notes.problems
    cited = [k for k in KEYS if any(k in t for t in texts)]
    (root / "nocite.yaml").write_text(f"nocite: '{', '.join('@' + k for k in cited)}'\n")
    options = ["--citeproc", f"--csl={csl}", "-M", "suppress-bibliography=true",
               f"--metadata-file={root / 'nocite.yaml'}",
               *(f"--bibliography={root / 'book' / b}" for b in
                 ("refs.bib", "more.json", "extra.yaml"))]
    expected_total = 0
    docs = epub.chapters()
    assert len(docs) == count + bool(cited)  # and the bibliography, when a work is cited
    for doc, text in zip(docs, texts):
        expected = pandoc_notes(text, *options)
        got = [note for _, note in built_notes(epub, doc)]
        assert got == expected, f"{doc}\n{text}"
        expected_total += len(expected)
    assert assert_notes_linked_both_ways(epub) == expected_total
