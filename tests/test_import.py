"""The importer: one small invented extraction per rule, then the real seed book."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from bookbuild import BuildOptions, ace, build_book
from bookbuild.errors import BookbuildError
from bookbuild.importer import import_text
from bookbuild.importer.markdown import escape
from bookbuild.importer.source import ends_sentence, starts_list_item, starts_lowercase

from conftest import NS, PROJECT, Epub
from test_build import assert_notes_linked_both_ways, run_cli

SEED = PROJECT.parent / "shared" / "seed" / "000_565b5a36cf94700f.txt"

FRONT = """\
    THE LIGHTHOUSE LEDGERS

    Three Logbooks Translated and Edited by Mara Quint

    Cover design: Olek Brandt

    The Lighthouse Ledgers

    Copyright © 2019 Mara Quint

    ISBN 978-0-306-40615-7

    Harbour Books is an imprint of Example Publishing Ltd

    Contents

    Preface\t1
    1 The North Light\t9
    2 The Keeper's Diary\t20

"""


def extraction(tmp_path: Path, body: str, front: str = FRONT) -> Path:
    path = tmp_path / "book.txt"
    path.write_text(textwrap.dedent(front) + textwrap.dedent(body), encoding="utf-8")
    return path


def imported(tmp_path: Path, body: str):
    result = import_text(extraction(tmp_path, body), tmp_path / "out")
    files = {p.relative_to(tmp_path / "out").as_posix(): p.read_text(encoding="utf-8")
             for p in (tmp_path / "out").rglob("*") if p.is_file()}
    return result, files


MINIMAL = """\
    Preface

    A short preface with one note.¹

    1 The preface's only note.

    1. The North Light

    The light was lit at dusk.²

    2 A note in the first logbook.

    2. The Keeper's Diary

    Nothing of note.
"""


def test_front_matter_becomes_book_yaml(tmp_path):
    result, files = imported(tmp_path, MINIMAL)
    yaml = files["book.yaml"]
    assert "title: The Lighthouse Ledgers\n" in yaml
    assert "subtitle: Three Logbooks\n" in yaml
    assert "- name: Mara Quint\n  role:\n  - translator\n  - editor\n" in yaml
    assert "- name: Olek Brandt\n  role: cover-designer\n" in yaml
    assert "publisher: Harbour Books\n" in yaml
    assert "source-isbn: '9780306406157'\n" in yaml
    assert "rights: Copyright © 2019 Mara Quint\n" in yaml
    assert [c.title for c in result.chapters] == ["Preface", "1. The North Light",
                                                 "2. The Keeper's Diary"]
    assert "Copyright © 2019" in files["manuscript/00b-copyright.md"]
    assert "Contents" not in "".join(files.values()).split("chapters:")[0]
    # Notes restart in each chapter; each chapter's [^1] is its own.
    assert files["manuscript/01-preface.md"].endswith("[^1]: The preface's only note.\n")
    assert "[^2]: A note in the first logbook." in files["manuscript/02-the-north-light.md"]


def test_note_bodies_between_the_halves_of_a_split_paragraph(tmp_path):
    _, files = imported(tmp_path, """\
        Preface

        The keeper wrote every evening,¹ even when the storm had

        1 Storms are counted in the second ledger.

        broken the glass of the lantern room.² He kept on.

        2 The glass was replaced in spring.

        1. The North Light

        Nothing here.

        2. The Keeper's Diary

        Nothing here either.
        """)
    preface = files["manuscript/01-preface.md"]
    assert ("The keeper wrote every evening,[^1] even when the storm had broken the glass of "
            "the lantern room.[^2] He kept on.\n") in preface
    assert "[^1]: Storms are counted in the second ledger.\n" in preface


def test_a_note_continued_over_a_page_is_joined(tmp_path):
    result, files = imported(tmp_path, """\
        Preface

        First page text ends here.¹ And goes on.

        1 A long note that the page break cuts off in the middle,

        Second page text begins.² It ends too.

        and here the long note ends.

        2 The second note.

        1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """)
    preface = files["manuscript/01-preface.md"]
    assert ("[^1]: A long note that the page break cuts off in the middle, and here the long "
            "note ends.\n") in preface
    assert "Second page text begins.[^2] It ends too.\n" in preface
    assert any("joined to note 1" in why for _, why in result.chapters[0].doubts)


def test_a_dated_entry_is_not_a_note(tmp_path):
    _, files = imported(tmp_path, """\
        Preface

        Text.

        1. The North Light

        Text.

        2. The Keeper's Diary

        1 March. The fog came in early.¹

        1 The fog log is lost.

        12 March. Clear skies at last.

        2 April. Gulls on the gallery.
        """)
    diary = files["manuscript/03-the-keepers-diary.md"]
    assert "1 March. The fog came in early.[^1]\n" in diary
    assert "12 March. Clear skies at last.\n" in diary
    assert "2 April. Gulls on the gallery.\n" in diary
    assert "[^1]: The fog log is lost.\n" in diary
    assert "[^2]" not in diary


def test_two_references_on_one_line_and_both_kinds_of_note_number(tmp_path):
    _, files = imported(tmp_path, """\
        Preface

        Oil,¹ wicks² and mantles³ were ordered.⁴

        - 1 Whale oil, until 1870.
         - 2 Cotton.
        ³ Incandescent mantles came later.
        4 From the mainland.

        1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "Oil,[^1] wicks[^2] and mantles[^3] were ordered.[^4]\n" in preface
    for n, text in ((1, "Whale oil, until 1870."), (2, "Cotton."),
                    (3, "Incandescent mantles came later."), (4, "From the mainland.")):
        assert f"[^{n}]: {text}\n" in preface


def test_headings_editorial_marks_and_back_cover(tmp_path):
    _, files = imported(tmp_path, """\
        Preface

        Text.

        1. The North Light

        THE FIRST WINTER

        Cold.¹ [...] The stove [*] failed.

        1 See the second ledger.

        II.

        1. Again, a numbered line.

        2. The Keeper's Diary

        Text.

        THE LIGHTHOUSE LEDGERS

        "A fine book." @critic
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "## THE FIRST WINTER\n" in north and "## II\n" in north
    assert r"Cold.[^1] \[...\] The stove \[\*\] failed." in north
    assert "1\\. Again, a numbered line." in north
    back = files["manuscript/99-back-cover.md"]
    assert back.startswith("THE LIGHTHOUSE LEDGERS") and r"\@critic" in back
    assert "type: backmatter" in files["book.yaml"]


def test_hard_wrapped_extraction_is_unwrapped(tmp_path):
    _, files = imported(tmp_path, """\
        Preface

        The keeper wrote in the ledger every evening, whatever the
        weather, and he wrote the hours of the lamp in a careful, slow
        hand that the inspectors always praised.¹ On stormy nights he
        wrote twice.

        He kept a second, private book as well, with notes on the birds
        that struck the glass and on the ships that passed without a
        signal; it survives in a private collec-
        tion.²

        1 The inspectors visited twice a year and signed the ledger in
        red ink, which is why their visits are easy to find.
        2 It was sold in 1961.

        1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """)
    preface = files["manuscript/01-preface.md"]
    assert ("The keeper wrote in the ledger every evening, whatever the weather, and he wrote "
            "the hours of the lamp in a careful, slow hand that the inspectors always praised.[^1] "
            "On stormy nights he wrote twice.\n\nHe kept a second, private book") in preface
    assert "it survives in a private collection.[^2]\n" in preface
    assert ("[^1]: The inspectors visited twice a year and signed the ledger in red ink, which "
            "is why their visits are easy to find.\n") in preface
    assert "[^2]: It was sold in 1961.\n" in preface


def test_unsure_places_go_to_the_report(tmp_path):
    result, files = imported(tmp_path, """\
        Preface

        A reference with no note.⁷ And text.

        1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """)
    report = files["import-report.md"]
    assert "line 21: reference 7 has no note body: kept as a superscript" in report
    assert "A reference with no note.⁷ And text." in files["manuscript/01-preface.md"]
    assert result.doubts == 1


def test_import_errors_are_clear(tmp_path):
    with pytest.raises(BookbuildError, match="no contents list found"):
        import_text(extraction(tmp_path, "Just text.\n", front=""), tmp_path / "out")
    with pytest.raises(BookbuildError, match="no such file"):
        import_text(tmp_path / "missing.txt", tmp_path / "out")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.md").write_text("mine")
    with pytest.raises(BookbuildError, match="already exists and is not empty"):
        import_text(extraction(tmp_path, MINIMAL), tmp_path / "full")
    assert (tmp_path / "full" / "keep.md").read_text() == "mine"


def test_escape_keeps_italics_and_links():
    assert escape("*Pravda*, see <https://example.org> [1] #3 a_b $5") == \
        r"*Pravda*, see <https://example.org> \[1\] \#3 a\_b \$5"
    assert escape("- not a list") == r"\- not a list"


# --- the seed book ---------------------------------------------------------------

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"{SEED} is absent (CI has it)")


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seedbook"
    return import_text(SEED, out), out


@needs_seed
def test_seed_chapters_and_notes_pair_up(seed_import):
    result, _ = seed_import
    assert [c.title.split(". ", 1)[-1].rstrip("¹") for c in result.chapters] == [
        "Introduction", "Anton Vlasov's letter to the Central Committee",
        "Declaration of the Workers and Peasants Socialist Party", "‘We are collectivists’",
        "Appeal of the Workers Truth group", "From Iosif Litvinov's diary"]
    for chapter in result.chapters:
        assert chapter.missing_notes == [] and chapter.orphan_notes == [], chapter.title
        assert sorted(chapter.notes) == list(range(1, len(chapter.notes) + 1)), chapter.title
        assert sorted(set(chapter.references)) == sorted(chapter.notes)
    assert sum(len(c.notes) for c in result.chapters) == 84
    assert not result.missing_chapters


def _body_paragraphs(markdown: str) -> list[str]:
    return [p for p in markdown.split("\n\n") if p.strip() and not p.startswith(("[^", "    "))]


@needs_seed
def test_seed_text_has_no_note_bodies_and_no_cut_paragraphs(seed_import):
    result, out = seed_import
    for chapter, path in zip(result.chapters, sorted((out / "manuscript").glob("0[1-9]-*.md"))):
        paragraphs = _body_paragraphs(path.read_text(encoding="utf-8"))
        for p in paragraphs:  # a note body left in the text would start with its number
            m = re.match(r"^(\d+) ", p)
            if m and int(m.group(1)) in chapter.notes:
                body = chapter.notes[int(m.group(1))].paragraphs[0]
                assert not body.startswith(p[len(m.group(0)):][:30]), p
        for before, after in zip(paragraphs, paragraphs[1:]):
            if before.startswith("#") or after.startswith("#") or starts_list_item(after):
                continue
            cut = not ends_sentence(re.sub(r"(\[\^\d+\])+$", "", before))
            assert not (cut and starts_lowercase(after)), (path.name, after[:60])


@needs_seed
def test_seed_imports_and_builds_clean_with_every_note_linked(tmp_path):
    book = tmp_path / "seedbook"
    proc = run_cli("import", str(SEED), "-o", str(book))
    assert proc.returncode == 0, proc.stderr
    assert "6 chapters, 84 notes" in proc.stdout
    report = (book / "import-report.md").read_text(encoding="utf-8")
    assert "| 6 | 5. From Iosif Litvinov's diary | 710 | 35 | 35 |" in report
    built = build_book(book, BuildOptions(out_dir=tmp_path / "dist"))
    epub_artifact = built.artifact("epub")
    assert epub_artifact.check.passed, [str(m) for m in epub_artifact.check.messages]
    assert epub_artifact.notes.passed and epub_artifact.notes.references == 84
    epub = Epub(epub_artifact.path)
    assert assert_notes_linked_both_ways(epub) == 84
    md = epub.opf.find("{http://www.idpf.org/2007/opf}metadata")
    assert md.findtext("{http://purl.org/dc/elements/1.1/}source") == "urn:isbn:9781805141150"
    titles = [a.text for a in epub.xml("EPUB/nav.xhtml").iterfind(
        ".//h:nav[@epub:type='toc']/h:ol/h:li/h:a", NS)]
    assert titles[0] == "Title Page" and titles[-1] == "Back Cover" and len(titles) == 9
    if shutil.which("ace-puppeteer") or os.environ.get("CI"):  # CI installs Ace: there it must run
        result = ace.run_ace(epub_artifact.path)
        assert result.passed, [str(v) for v in result.violations]
