"""Realistic books written for the tests (tests/corpus/README.md): each builds
with EPUBCheck 0/0, and its notes are exactly the notes Pandoc finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book

from conftest import NS, Epub
from test_build import EPOCH, assert_notes_linked_both_ways
from test_oracle import built_notes, pandoc_notes

CORPUS = Path(__file__).parent / "corpus"


BUILDS: dict[str, tuple] = {}


def _build(name: str, tmp_path_factory) -> tuple:
    """Each book built once for the whole run."""
    if name not in BUILDS:
        report = build_book(CORPUS / name, BuildOptions(
            out_dir=tmp_path_factory.mktemp(name), source_date_epoch=EPOCH, cache=False,
            formats=("epub",)))
        BUILDS[name] = (name, report, Epub(report.artifact("epub").path))
    return BUILDS[name]


@pytest.fixture(params=["technical", "academic", "quarto-style"])
def corpus_build(request, tmp_path_factory):
    return _build(request.param, tmp_path_factory)


def test_corpus_book_passes_every_check(corpus_build):
    _, report, _ = corpus_build
    artifact = report.artifact("epub")
    assert artifact.check.passed, [str(m) for m in artifact.check.messages]
    assert artifact.notes.passed and report.exit_code == 0
    assert not [w for w in report.warnings if w.code == "link-text-missing"]


def test_corpus_notes_are_pandocs_notes(corpus_build):
    name, report, epub = corpus_build
    sources = sorted((CORPUS / name / "manuscript").glob("*.md"))
    total = 0
    for doc, source in zip(epub.chapters(), sources):
        expected = pandoc_notes(source.read_text(encoding="utf-8"))
        assert [text for _, text in built_notes(epub, doc)] == expected, source.name
        total += len(expected)
    assert assert_notes_linked_both_ways(epub) == total
    assert report.notes == {"technical": 15, "academic": 325, "quarto-style": 12}[name]


def test_technical_links_land_on_their_elements(tmp_path_factory):
    _, _, epub = _build("technical", tmp_path_factory)
    ids = {(doc, el.get("id")) for doc in epub.chapters() for el in epub.xml(doc).iter()
           if el.get("id")}
    followed = 0
    for doc in epub.chapters():
        for a in epub.xml(doc).iterfind(".//h:a[@href]", NS):
            href = a.get("href")
            if href.startswith(("http", "mailto:")) or a.get("class"):
                continue
            target, _, fragment = href.partition("#")
            target_doc = f"EPUB/text/{target}" if target else doc
            assert target_doc in epub.chapters(), href
            if fragment:
                assert (target_doc, fragment) in ids, (doc, href)
            followed += 1
    assert followed > 20
