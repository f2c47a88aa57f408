"""End-to-end: build real books, open the EPUB, assert on what a reader gets."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.chapters import rawmarkup
from bookbuild.output import artifacts as artifacts_module

from conftest import NS, PROJECT, Epub, write_book

EPOCH = 1700000000  # 2023-11-14T22:13:20Z


def assert_notes_linked_both_ways(epub: Epub) -> int:
    """Every noteref reaches an endnote (in its chapter or a notes document), and
    the note links back to that very reference. Returns how many were followed.
    Written independently of bookbuild's own inspector, to check it too."""
    docs = [n for n in epub.names if n.startswith("EPUB/text/") and n.endswith(".xhtml")]
    ids = {(d, el.get("id")): el for d in docs for el in epub.xml(d).iter() if el.get("id")}

    def resolve(doc: str, href: str):
        target, _, frag = href.partition("#")
        return ids[(f"EPUB/text/{target}" if target else doc, frag)]

    followed = 0
    for doc in epub.chapters():
        for ref in epub.xml(doc).iterfind(".//h:a[@epub:type='noteref']", NS):
            note = resolve(doc, ref.get("href"))
            assert note.get("{http://www.idpf.org/2007/ops}type") == "endnote", doc
            note_doc = next(d for (d, i), el in ids.items() if el is note)
            backs = [resolve(note_doc, a.get("href"))
                     for a in note.iterfind(".//h:a[@role='doc-backlink']", NS)]
            assert any(b is ids[(doc, ref.get("id"))] for b in backs), (doc, ref.get("id"))
            followed += 1
    return followed


def test_sample_book_passes_epubcheck_clean(sample_build):
    report, _ = sample_build
    artifact = report.artifact("epub")
    assert artifact.format == "epub" and artifact.path.name == "notes-from-the-margin.epub"
    assert (artifact.check.fatal, artifact.check.error, artifact.check.warning) == (0, 0, 0), \
        [str(m) for m in artifact.check.messages]
    assert report.exit_code == 0


def test_sample_book_spine_and_nav(sample_build):
    _, epub = sample_build
    assert epub.spine() == [
        "text/cover.xhtml", "text/titlepage.xhtml", "text/copyright.xhtml", "nav.xhtml",
        "text/c01-01-the-first-margin.xhtml", "text/c02-02-ibid-and-its-cousins.xhtml",
        "text/c03-03-notes-in-translation.xhtml", "text/c04-04-notes-on-a-screen.xhtml",
        "text/c08-references.xhtml", "text/c05-05-colophon.xhtml"]
    nav = epub.xml("EPUB/nav.xhtml")
    toc = nav.find(".//h:nav[@epub:type='toc']", NS)
    top = [a.text for a in toc.iterfind("h:ol/h:li/h:a", NS)]
    # The title and copyright pages bookbuild wrote are landmarks, not contents.
    assert top == ["The First Margin", "Ibid. and Its Cousins",
                   "Notes in Translation", "Notes on a Screen", "Bibliography", "Colophon"]
    subs = [a.text for a in toc.iterfind("h:ol/h:li/h:ol/h:li/h:a", NS)]
    assert "Why the side became the foot" in subs and "Notes" not in subs
    landmarks = {a.get("{http://www.idpf.org/2007/ops}type"): a.get("href")
                 for a in nav.iterfind(".//h:nav[@epub:type='landmarks']//h:a", NS)}
    # Hrefs from the nav beside the OPF (epub.js resolves them against the OPF).
    assert landmarks == {"cover": "text/cover.xhtml", "toc": "nav.xhtml#toc",
                         "titlepage": "text/titlepage.xhtml",
                         "copyright-page": "text/copyright.xhtml",
                         "bodymatter": "text/c01-01-the-first-margin.xhtml",
                         "bibliography": "text/c08-references.xhtml",
                         "colophon": "text/c05-05-colophon.xhtml"}


def test_sample_book_metadata(sample_build):
    _, epub = sample_build
    md = epub.opf.find("opf:metadata", NS)
    assert md.findtext("dc:identifier", namespaces=NS) == "urn:isbn:9780306406157"
    assert [t.text for t in md.iterfind("dc:title", NS)] == [
        "Notes from the Margin", "A Short History of the Footnote"]
    assert md.findtext("dc:language", namespaces=NS) == "en-GB"
    refines = {(m.get("refines"), m.get("property")): m.text for m in md.iterfind("opf:meta", NS)}
    creator = md.find("dc:creator", NS)
    assert creator.text == "Ada Quill"
    assert refines[(f"#{creator.get('id')}", "role")] == "aut"
    assert refines[(f"#{creator.get('id')}", "file-as")] == "Quill, Ada"
    translator = md.find("dc:contributor", NS)
    assert refines[(f"#{translator.get('id')}", "role")] == "trl"
    assert refines[(None, "dcterms:modified")] == "2023-11-14T22:13:20Z"
    assert md.findtext("dc:publisher", namespaces=NS) == "Bookbuild Sample Press"
    assert md.findtext("dc:rights", namespaces=NS).startswith("Copyright ©")
    assert [s.text for s in md.iterfind("dc:subject", NS)] == [
        "Books and reading", "Typography", "Publishing"]
    assert md.findtext("dc:description", namespaces=NS).startswith("A brief, invented history")
    cover = epub.opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "images/cover.jpg"
    assert md.find("opf:meta[@name='cover']", NS).get("content") == cover.get("id")
    for doc in epub.chapters():
        html = epub.xml(doc)
        assert html.get("lang") == "en-GB"
        assert html.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_sample_book_each_chapter_keeps_its_own_notes(sample_build):
    _, epub = sample_build
    chapters = epub.chapters()[:-2]  # the bibliography and the colophon have no notes
    firsts = [epub.note_text(doc, 1) for doc in chapters]
    assert firsts[0].startswith("1. The practice is older than any surviving manuscript")
    assert firsts[1].startswith("1. The three that every student meets first")
    assert firsts[2].startswith("1. In this book, the translator’s notes end with")
    assert firsts[3].startswith("1. Some readers show the note in a pop-up")
    assert assert_notes_linked_both_ways(epub) == 16  # four of them citations
    image = epub.xml(chapters[0]).find(".//h:img", NS)
    assert image.get("alt").startswith("A page with a block of text")
    assert "EPUB/images/assets/page-diagram.png" in epub.names


REUSED_LABELS = {
    "01-one.md": "# One\n\nFirst chapter[^1] and[^2].\n\n[^1]: Note one of chapter one.\n"
                 "[^2]: Note two of chapter one.\n",
    "02-two.md": "# Two\n\nSecond chapter[^1].\n\n[^1]: Note one of chapter two.\n",
}


def test_pandoc_alone_would_swap_notes_defined_in_two_files(tmp_path):
    """The bug class this design rules out: Pandoc given several files resolves
    a label to the last definition, so chapter one shows chapter two's note."""
    write_book(tmp_path, REUSED_LABELS)
    files = [str(tmp_path / "manuscript" / n) for n in sorted(REUSED_LABELS)]
    html = pypandoc.convert_file(files, "html5")
    assert html.count("Note one of chapter two") == 2 and "Note one of chapter one" not in html


def test_labels_reused_across_chapters_reach_their_own_notes(tmp_path):
    write_book(tmp_path / "book", REUSED_LABELS)
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out", check=True))
    assert report.artifact("epub").check.passed, [str(m) for m in report.artifact("epub").check.messages]
    epub = Epub(report.artifact("epub").path)
    one, two = epub.chapters()
    assert epub.note_text(one, 1) == "1. Note one of chapter one."
    assert epub.note_text(one, 2) == "2. Note two of chapter one."
    assert epub.note_text(two, 1) == "1. Note one of chapter two."
    assert assert_notes_linked_both_ways(epub) == 3
    assert report.notes == 3
    # No cover in book.yaml: a designed one, marked for every kind of reader.
    item = epub.opf.find(".//opf:item[@properties='cover-image']", NS)
    assert item.get("href") == "images/cover.jpg" and item.get("media-type") == "image/jpeg"
    assert epub.opf.find(".//opf:meta[@name='cover']", NS).get("content") == item.get("id")
    assert epub.spine()[0] == "text/cover.xhtml"
    page = epub.xml("EPUB/text/cover.xhtml")
    img = page.find(".//h:section[@epub:type='cover']/h:img", NS)
    assert img.get("alt") == "Cover of Test Book"
    assert epub.files["EPUB/images/cover.jpg"] == report.artifact("cover-jpg").path.read_bytes()


def test_builds_are_byte_identical(tmp_path):
    write_book(tmp_path / "book", REUSED_LABELS)
    paths = []
    for run in ("a", "b"):
        report = build_book(tmp_path / "book", BuildOptions(
            out_dir=tmp_path / run, check=False, source_date_epoch=EPOCH))
        paths.append(report.artifact("epub").path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    epub = Epub(paths[0])
    assert epub.names[0] == "mimetype"
    assert epub.infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in epub.infos} == {(2023, 11, 14, 22, 13, 20)}


def test_without_source_date_epoch_the_date_comes_from_the_sources(tmp_path):
    write_book(tmp_path / "book", REUSED_LABELS)
    builds = [build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / r, check=False))
              for r in ("a", "b")]
    first, second = (b.artifact("epub").path.read_bytes() for b in builds)
    assert first == second
    newest = max(p.stat().st_mtime for p in (tmp_path / "book").rglob("*")
                 if p.is_file())
    modified = Epub(builds[0].artifact("epub").path).opf.find(
        ".//opf:meta[@property='dcterms:modified']", NS).text
    import datetime as dt
    assert modified == dt.datetime.fromtimestamp(int(newest), dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def test_interrupted_write_leaves_previous_artifact(tmp_path, monkeypatch):
    write_book(tmp_path / "book", REUSED_LABELS)
    options = BuildOptions(out_dir=tmp_path / "out", check=False, source_date_epoch=EPOCH)
    first = build_book(tmp_path / "book", options)
    good = first.artifact("epub").path
    before = good.read_bytes()

    def explode(package, path, modified, deflate):
        Path(path).write_bytes(b"half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(artifacts_module, "write_epub", explode)
    (tmp_path / "book" / "manuscript" / "01-one.md").write_text("# Changed\n")
    with pytest.raises(KeyboardInterrupt):
        build_book(tmp_path / "book", options)
    assert good.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        a.path.name for a in first.artifacts)  # no temporary file left behind


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    import os
    import sys
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bookbuild.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=full_env)


def test_cli_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path):
    write_book(tmp_path, REUSED_LABELS, "title: T\nlanguage: en\n")
    proc = run_cli("build", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"bookbuild: error: {tmp_path / 'book.yaml'}: 'contributors' (or 'author') is required: "
        "at least one name [config-missing]"]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "dist").exists()


def test_cli_bad_cover_exits_2_and_writes_nothing(tmp_path):
    write_book(tmp_path, REUSED_LABELS, "title: T\nlanguage: en\nauthor: A\ncover: cover.png\n")
    (tmp_path / "cover.png").write_text("not really a picture")
    proc = run_cli("build", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("bookbuild: error: cover.png: cover is not an image Pillow can "
                                   "read [image-unreadable]")
    assert not (tmp_path / "dist").exists()


def test_cli_note_errors_name_file_and_line(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n\nText[^missing].\n"})
    proc = run_cli("build", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "bookbuild: error: manuscript/a.md:3: note reference [^missing] has no definition "
        "in this file [note-undefined]")
    assert not (tmp_path / "dist").exists()


def test_cli_json_report(tmp_path):
    write_book(tmp_path, REUSED_LABELS)
    proc = run_cli("build", str(tmp_path), "--json", "--no-check", "-o", str(tmp_path / "o"),
                   env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [a["format"] for a in data["artifacts"]] == ["epub", "cover-jpg", "cover-thumbnail"]
    artifact = data["artifacts"][0]
    assert artifact["path"] == str(tmp_path / "o" / "test-book.epub")
    assert artifact["check"] is None
    assert data["notes"] == 3 and data["ok"] is True


def test_cli_rejects_a_bad_source_date_epoch(tmp_path):
    write_book(tmp_path, REUSED_LABELS)
    proc = run_cli("build", str(tmp_path), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert proc.returncode == 2
    assert "SOURCE_DATE_EPOCH must be a whole number" in proc.stderr


def test_readme_opens_with_the_two_setup_commands():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")
    assert blocks[1].strip().splitlines()[-2:] == ["make        # build the sample book into dist/",
                                                   "make test   # run the tests"]
    commands = [line for line in (PROJECT / ".ci" / "run").read_text().splitlines()
                if line and not line.startswith("#")]
    then = commands[commands.index("make") + 1]
    assert then == "make test", then


def test_epubcheck_messages_name_the_chapter_source(tmp_path, monkeypatch):
    """bookbuild maps <center> before EPUBCheck sees it; unmapped, EPUBCheck's
    error about it names the chapter's Markdown."""
    monkeypatch.delitem(rawmarkup.MAPPED, "center")
    monkeypatch.setattr(rawmarkup, "ELEMENTS", rawmarkup.ELEMENTS | {"center"})
    write_book(tmp_path / "book", {"01-one.md": "# One\n\n<center>obsolete markup</center>\n"})
    report = build_book(tmp_path / "book", BuildOptions(out_dir=tmp_path / "out"))
    check = report.artifact("epub").check
    assert not check.passed and report.exit_code == 1
    message = next(m for m in check.messages if m.severity == "ERROR")
    assert message.path == "EPUB/text/c01-01-one.xhtml"
    assert message.source.endswith("manuscript/01-one.md")
    assert f"EPUB/text/c01-01-one.xhtml:{message.line}" in str(message) \
        and f"({message.source})" in str(message)
