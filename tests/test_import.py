"""The importer: one small invented extraction per rule, then the real seed book."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from bookbuild import BuildOptions, build_book
from bookbuild.checks import ace
from bookbuild.errors import BookbuildError
from bookbuild.importer import import_book
from bookbuild.importer.chapters import assemble
from bookbuild.importer.inline import emph, plain, with_id
from bookbuild.importer.markdown import escape, inline_markdown
from bookbuild.importer.frontmatter import read_front_matter
from bookbuild.importer.hyphens import Vocabulary, join
from bookbuild.lang.printonly import is_print_only
from bookbuild.importer.source import Line, page_line
from bookbuild.importer.textsource import read_text_source

from conftest import NS, PROJECT, Epub
from pdfgen.compare import compare_fingerprints
from test_import_roundtrip import assert_flags_placed
from test_build import assert_notes_linked_both_ways, run_cli

#: CI has shared/ beside the clone; elsewhere BOOKBUILD_SHARED says where it is.
SHARED = Path(os.environ.get("BOOKBUILD_SHARED", PROJECT.parent / "shared"))
SEED = SHARED / "seed" / "000_565b5a36cf94700f.txt"

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
    result = import_book(extraction(tmp_path, body), tmp_path / "out")
    files = {p.relative_to(tmp_path / "out").as_posix(): p.read_text(encoding="utf-8")
             for p in (tmp_path / "out").rglob("*") if p.is_file()}
    return result, files


def imported_preface(tmp_path: Path, preface: str):
    """``imported`` for a book whose preface (``preface``, under its heading)
    is all a test is about: the two chapters FRONT's contents names follow it,
    each a line of text, and the first one's heading ends the preface."""
    return imported(tmp_path, "Preface\n\n" + textwrap.dedent(preface)
                    + "\n1. The North Light\n\nText.\n\n2. The Keeper's Diary\n\nText.\n")


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
    # Notes are numbered afresh in each chapter, in reading order: the printed
    # note 2 is this chapter's first.
    assert files["manuscript/01-preface.md"].endswith("[^1]: The preface's only note.\n")
    assert "[^1]: A note in the first logbook." in files["manuscript/02-the-north-light.md"]


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
    result, files = imported_preface(tmp_path, """\
        First page text ends here.¹ And goes on.

        1 A long note that the page break cuts off in the middle,

        Second page text begins.² It ends too.

        and here the long note ends.

        2 The second note.
        """)
    preface = files["manuscript/01-preface.md"]
    assert ("[^1]: A long note that the page break cuts off in the middle, and here the long "
            "note ends.\n") in preface
    assert "Second page text begins.[^2] It ends too.\n" in preface
    # Settled, so not flagged: no paragraph opens in lower case after a finished one.
    assert result.chapters[0].doubts == []


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
    _, files = imported_preface(tmp_path, """\
        Oil,¹ wicks² and mantles³ were ordered.⁴

        - 1 Whale oil, until 1870.
         - 2 Cotton.
        ³ Incandescent mantles came later.
        4 From the mainland.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "Oil,[^1] wicks[^2] and mantles[^3] were ordered.[^4]\n" in preface
    for n, text in ((1, "Whale oil, until 1870."), (2, "Cotton."),
                    (3, "Incandescent mantles came later."), (4, "From the mainland.")):
        assert f"[^{n}]: {text}\n" in preface


def test_notes_referred_to_at_one_place_in_an_extraction(tmp_path):
    """Rule "several references at one place" in a text extraction: "¹,²"
    (a comma between the raised numbers, as Chicago's style sets them) refers
    to notes 1 and 2."""
    _, files = imported_preface(tmp_path, """\
        Oil and wicks were ordered.¹,² The keeper signed for them.³

        ¹ Whale oil, until 1870.
        ² Cotton.
        ³ In red ink.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "Oil and wicks were ordered.[^1][^2] The keeper signed for them.[^3]\n" in preface
    for n, text in ((1, "Whale oil, until 1870."), (2, "Cotton."), (3, "In red ink.")):
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
    back = files["manuscript/zz-back-cover.md"]
    assert back.startswith("THE LIGHTHOUSE LEDGERS") and r"\@critic" in back
    assert "type: backmatter" in files["book.yaml"]


def test_hard_wrapped_extraction_is_unwrapped(tmp_path):
    _, files = imported_preface(tmp_path, """\
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
    result, files = imported_preface(tmp_path, """\
        A reference with no note.⁷ And text.
        """)
    report = files["import-report.md"]
    assert ("source 23 → manuscript/01-preface.md:3: reference 7 has no note body: kept as a "
            "superscript (confidence 0.5)") in report
    assert "A reference with no note.⁷ And text." in files["manuscript/01-preface.md"]
    assert result.doubts == 1


def test_a_contents_list_that_names_no_heading_is_no_refusal(tmp_path):
    """Issue #26: a book whose contents entries appear as no heading in the
    text (short titles in the contents, a heading set otherwise) is imported
    by the next evidence, here as one chapter, and the report says why."""
    (tmp_path / "toc").mkdir()
    result = import_book(extraction(tmp_path / "toc", "Just text.\n"), tmp_path / "out")
    assert [c.title for c in result.chapters] == ["Just text."]
    report = (tmp_path / "out" / "import-report.md").read_text(encoding="utf-8")
    assert "so the text is one chapter; not the contents list after the text (line 15) (0 of " \
           "its 3 entries found as headings)" in report


def test_import_errors_are_clear(tmp_path):
    with pytest.raises(BookbuildError, match="no such file"):
        import_book(tmp_path / "missing.txt", tmp_path / "out")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.md").write_text("mine")
    with pytest.raises(BookbuildError, match="already exists and is not empty"):
        import_book(extraction(tmp_path, MINIMAL), tmp_path / "full")
    assert (tmp_path / "full" / "keep.md").read_text() == "mine"


def test_escape_keeps_links_and_marks_become_markdown():
    assert escape("*Pravda*, see <https://example.org> [1] #3 a_b $5") == \
        r"\*Pravda\*, see <https://example.org> \[1\] \#3 a\_b \$5"
    assert escape("- not a list") == r"\- not a list"
    assert escape("a. not a list") == r"a\. not a list"
    # Emphasis closing after punctuation, right before a reference, stays emphasis.
    text = emph("Italic to the end.") + with_id("1", 7) + " " + emph(" spaced ") + "word"
    assert inline_markdown(text, {7: 1}) == "*Italic to the end.*[^1]  *spaced* word"


@pytest.mark.parametrize("language, lines, people, publisher", [
    ("de", ["DER LEUCHTTURM", "Drei Logbücher", "Aus dem Englischen übersetzt von Anna Berg",
            "Umschlaggestaltung: Olek Brandt", "© 2019 Anna Berg", "Erschienen bei Hafen Verlag"],
     [("Anna Berg", ("trl",)), ("Olek Brandt", ("cov",))], "Hafen Verlag"),
    ("fr", ["LE PHARE", "Trois registres", "Traduit de l’anglais par Marc Roy",
            "Couverture : Lise Petit", "© 2019 Éditions du Port", "Publié par Éditions du Port"],
     [("Marc Roy", ("trl",)), ("Lise Petit", ("cov",))], "Éditions du Port"),
    ("es", ["EL FARO", "Tres cuadernos", "Traducido del inglés por Ana Ruiz",
            "Diseño de cubierta: Luis Gil", "© 2019 Ana Ruiz", "Publicado por Editorial Puerto"],
     [("Ana Ruiz", ("trl",)), ("Luis Gil", ("cov",))], "Editorial Puerto"),
    ("it", ["IL FARO", "Tre registri", "Traduzione di Anna Neri", "A cura di Luca Verdi",
            "© 2019 Luca Verdi", "Pubblicato da Edizioni Porto"],
     [("Anna Neri", ("trl",)), ("Luca Verdi", ("edt",))], "Edizioni Porto"),
    ("ru", ["МАЯК", "Три журнала", "Перевод с английского Анна Белова",
            "Под редакцией Ивана Орлова", "© 2019 Анна Белова", "Издательство Гавань"],
     [("Анна Белова", ("trl",)), ("Ивана Орлова", ("edt",))], "Гавань"),
])
def test_front_matter_in_six_languages_from_one_table(language, lines, people, publisher):
    front = read_front_matter([Line(n, t) for n, t in enumerate(lines, start=1)], language)
    assert [(p.name, p.roles) for p in front.people] == people
    assert front.publisher == publisher and front.rights.endswith(lines[4][2:])
    assert front.subtitle == lines[1] and front.date == "2019"


def test_the_title_page_is_the_one_printing_the_document_s_title():
    """Rule "the title page by the document's title": an epigraph page and a
    half-title before it; the author line above the title, in capitals."""
    pages = {1: ["A Lighthouse Story"],
             2: ["THE SEA DOES NOT FORGIVE A KEEPER WHO SLEEPS.", "OLD SAYING"],
             3: ["JANE ROE", "THE NORTH LIGHT", "HARBOUR PRESS"],
             4: ["Copyright © 2020 Jane Roe"]}
    lines = [Line(page_line(page, k), t) for page, texts in pages.items()
             for k, t in enumerate(texts, start=1)]
    front = read_front_matter(lines, "en", "The North Light", "Jane Roe")
    assert (front.title, front.subtitle, front.publisher) == ("The North Light", None,
                                                              "HARBOUR PRESS")
    assert [(p.name, p.roles) for p in front.people] == [("Jane Roe", ("aut",))]
    assert [ln.text for ln in front.other_lines] == ["JANE ROE", "A Lighthouse Story",
                                                     "THE SEA DOES NOT FORGIVE A KEEPER WHO "
                                                     "SLEEPS.", "OLD SAYING"]
    assert front.rights == "Copyright © 2020 Jane Roe"
    # Without the document's information, the first page's line is the title.
    assert read_front_matter(lines, "en").title == "A Lighthouse Story"


def test_a_title_wrapped_after_a_short_word_is_one_title_in_any_case():
    """A title-page line cut on a short word ("à la", "of the") goes on in the
    next line, though that line opens in capitals as the title's words do; a
    line ending on a whole word is the title alone."""
    lines = [Line(page_line(1, k), t) for k, t in enumerate(
        ["Introduction à la", "Navigation Côtière des Phares", "Presses du Port"], start=1)]
    assert read_front_matter(lines, "fr").title == \
        "Introduction à la Navigation Côtière des Phares"
    lines = [Line(page_line(1, k), t) for k, t in enumerate(
        ["The Keepers of the", "Northern Lights", "A History"], start=1)]
    front = read_front_matter(lines, "en")
    assert (front.title, front.subtitle) == ("The Keepers of the Northern Lights", "A History")


def test_running_text_after_by_names_no_one():
    """Front matter that ran on into a chapter's text (its contents not found)
    names no one where "by" or "translated by" opens a sentence or a formula's
    symbols follow it: a credit names people set as names, on a title page's
    line or two; the line under the title naming the author is no subtitle."""
    lines = [Line(page_line(1, 1), "THE NORTH LIGHT"), Line(page_line(1, 2), "MARA QUINT"),
             Line(page_line(1, 3), "Mara Quint"), Line(page_line(2, 1), "translated by the slow turning of the lamp into flashes "
                  "that every ship could read at night. Each keeper Learned them."),
             Line(page_line(2, 2), "by the four signals Lα, Lβ, Sα and Sβ."),
             Line(page_line(2, 3), "By Nightfall the keeper " + "had trimmed the wick and "
                  * 8 + "Then Slept.")]
    front = read_front_matter(lines, "en")
    assert [(p.name, p.roles) for p in front.people] == [("Mara Quint", ("aut",))]
    assert (front.credits, front.subtitle) == ([], None)


@pytest.mark.parametrize("author, people", [
    ("Mara Quint, Olek Brandt, and Jane Roe", ["Mara Quint", "Olek Brandt", "Jane Roe"]),
    ("Mara Quint et al.", ["Mara Quint"]),
    ("Mara Quint and Ada Lind", ["Mara Quint"]),  # no front page prints Ada Lind
    ("Quint, Mara", ["Mara Quint"]),  # a catalogue's "Last, First": one person
    ("Quint, Ann", []),  # "Ann" is no word of "Brandt" or "Annual": no one printed
])
def test_authors_by_the_document_information_that_the_front_pages_print(author, people):
    """Rule "authors by the document's information": each person it names as
    an author whom the front pages print, on the title page's line of names
    or only in the copyright line, is an author; the line of names is no
    subtitle."""
    pages = {1: ["THE NORTH LIGHT", "MARA QUINT · OLEK BRANDT", "HARBOUR PRESS"],
             2: ["Copyright © 2020 Mara Quint, Olek Brandt and Jane Roe"]}
    lines = [Line(page_line(page, k), t) for page, texts in pages.items()
             for k, t in enumerate(texts, start=1)]
    front = read_front_matter(lines, "en", "The North Light", author)
    assert [(p.name, p.roles) for p in front.people] == [(name, ("aut",)) for name in people]
    assert (front.subtitle is None) == bool(people)  # a line of names unknown: a subtitle


@pytest.mark.parametrize("line", [
    "Printed and bound in Great Britain by Example Press Ltd",
    "Typeset in 11pt Garamond by Example Ltd, Leicester",
    "Gedruckt in Deutschland", "Satz: Beispiel Satzstudio", "Imprimé en France",
    "Achevé d’imprimer en mars 2024", "Impreso en España", "Finito di stampare nel 2024",
    "Отпечатано в типографии", "Printed in Germany",  # a German book's English line
])
def test_print_only_lines_in_every_language(line):
    assert is_print_only(line)


@pytest.mark.parametrize("line", ["Copyright © 2023 Ada Quill", "ISBN 978 0 306 40615 7",
                                  "Alle Rechte vorbehalten.", "Lantern is an imprint of Harbour Books"])
def test_lines_about_the_work_are_not_print_only(line):
    assert not is_print_only(line)


def test_hyphens_at_line_ends_by_the_books_own_words_then_the_dictionary():
    vocabulary = Vocabulary(["the example of hyphenation shows", "a drug and induced state",
                             "and a heroic act the decisive moment came", "one well-known case"])
    assert join("hyphen-", "ation of", vocabulary)[0] == "hyphenation of"  # printed whole elsewhere
    assert join("a well-", "known one", vocabulary)[0] == "a well-known one"  # printed so elsewhere
    assert join("Max-", "Planck", vocabulary)[0] == "Max-Planck"  # a capital after it
    assert join("self-", "evident", vocabulary)[0] == "self-evident"  # no break there in English
    text, decision = join("heroic-", "decisive", vocabulary)  # both words: the one doubtful case
    assert text == "heroic-decisive" and not decision.certain
    assert join("exam\u00ad", "ple", vocabulary) == ("example", None)  # a soft hyphen


def test_a_line_continuing_the_chapter_s_section_numbers_is_a_heading():
    """Rule "numbered section heading": sub-headings set at the text's size
    (bold, to no size rule) are told by their numbers following on from the
    chapter's; a number out of turn, a sentence or a long line is text."""
    prose = "The keeper climbed the stair each night and lit the lamp before the dark."
    texts = ["3.1 The Lamp", prose, "3.1.1 Its Glass", prose, "3.1.2 Its Oil", prose,
             "3.2 The Keeper", prose, "3.4 Out of Turn", "3.3 A sentence that ends.",
             "3.3 The Log", "2.5 Million Lamps", "3.3.1 " + "A long line " * 10,
             "3.3.1 the rest of a line", "3.3.1 Entries"]
    body = [Line(n, t, kind="text") for n, t in enumerate(texts, start=2)]
    chapter = assemble(Line(1, "3 The North Light", kind="heading", level=1), body,
                       Vocabulary([prose], "en"))
    assert [(b.text, b.level) for b in chapter.blocks if b.kind == "heading"] == [
        ("3.1 The Lamp", 2), ("3.1.1 Its Glass", 3), ("3.1.2 Its Oil", 3),
        ("3.2 The Keeper", 2), ("3.3 The Log", 2), ("3.3.1 Entries", 3)]
    # An unnumbered chapter: its first section's number says the chapter's.
    chapter = assemble(Line(1, "Appendix", kind="heading", level=1),
                       [Line(2, "7.1 Sources"), Line(3, prose), Line(4, "7.2 Thanks")],
                       Vocabulary([prose], "en"))
    assert [b.text for b in chapter.blocks if b.kind == "heading"] == ["7.1 Sources",
                                                                        "7.2 Thanks"]


# --- the seed book ---------------------------------------------------------------

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"{SEED} is absent (CI has it)")


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seedbook"
    return import_book(SEED, out), out


@needs_seed
def test_seed_chapters_and_notes_pair_up(seed_import):
    result, _ = seed_import
    # six chapters, each titled as a heading line of the seed reads, its number
    # aside (the seed's words, read from it: never written out here)
    titles = [plain(c.title).split(". ", 1)[-1] for c in result.chapters]
    headings = {" ".join(line.split(". ", 1)[-1].replace("'", "’").split())
                for line in SEED.read_text(encoding="utf-8").splitlines()}
    assert len(titles) == len(set(titles)) == 6 and titles[0] == "Introduction"
    assert all(title.replace("'", "’") in headings for title in titles[1:]), titles
    for chapter in result.chapters:
        assert chapter.unmatched == [] and chapter.orphans == [], chapter.title
        # Every printed note number in order, each bound to its own reference.
        assert [n.label for n in chapter.notes] == \
            [str(i) for i in range(1, len(chapter.notes) + 1)], chapter.title
        assert [n.ref for n in chapter.notes] == chapter.references
    assert sum(len(c.notes) for c in result.chapters) == 84
    assert not result.missing_chapters


@needs_seed
def test_seed_matches_its_audited_truth(seed_import):
    """Under 1 error per 100 paragraphs and per 100 notes against the audit
    (tests/data/seed_truth.json), and every place the report flags named."""
    truth = json.loads((PROJECT / "tests" / "data" / "seed_truth.json").read_text("utf-8"))
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == truth["source_sha256"], \
        "the seed changed: audit it again"
    _, out = seed_import
    errors = compare_fingerprints(truth, out)
    assert (errors.paragraphs, errors.notes) == (219, 84)
    assert errors.per_100_paragraphs < 1 and errors.per_100_notes < 1, errors.examples
    assert errors.heading_errors == 0
    assert_flags_placed(out)


@needs_seed
def test_seed_imports_and_builds_clean_with_every_note_linked(tmp_path):
    book = tmp_path / "seedbook"
    proc = run_cli("import", str(SEED), "-o", str(book))
    assert proc.returncode == 0, proc.stderr
    assert "6 chapters, 84 notes" in proc.stdout
    report = (book / "import-report.md").read_text(encoding="utf-8")
    assert ("| 6 | 5. From Iosif Litvinov's diary | manuscript/06-from-iosif-litvinovs-diary.md "
            "| 710 | 35 | 35 |") in report
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
    # A real title page: the title a heading, then subtitle, credits, publisher,
    # and the page's other lines set apart; no print-only line on the copyright page.
    title_page, copyright_page = (epub.xml(doc) for doc in epub.chapters()[:2])
    section = title_page.find(".//h:section[@epub:type='titlepage']", NS)
    first = next(line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip())
    assert section.findtext("h:h1", namespaces=NS).upper() == first.strip()  # set in capitals
    assert [div.get("class") for div in section.iterfind("h:div", NS)] == \
        ["subtitle", "credit", "credit", "publisher", "about"]
    assert copyright_page.find(".//h:section[@epub:type='copyright-page']", NS) is not None
    assert not any(is_print_only(text) for text in copyright_page.itertext())
    if shutil.which("ace-puppeteer") or os.environ.get("CI"):  # CI installs Ace: there it must run
        result = ace.run_ace(epub_artifact.path)
        assert result.passed, [str(v) for v in result.violations]


def test_references_printed_on_the_line_are_read_by_the_notes_at_the_page_foot(tmp_path):
    """An extraction that flattens raised numbers ("the sea.1", "came 2 ."):
    a number glued to a word, or set apart after it before punctuation, is a
    reference when a note at the foot of its page has that label; CO2,
    section 1.1 and example (1) stay text."""
    result, files = imported(tmp_path, """\
        Preface

        A preface.
        \f1. The North Light

        The keeper watched the sea.1 Section 1.1 says so, and CO2 stays,
        as in (1) below. The storm came 2 .

        1 The sea was calm.
        2. It broke the lamp.

        9
        \f2. The Keeper's Diary

        Nothing of note.
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "sea.[^1] Section 1.1 says so, and CO2 stays" in north
    assert "The storm came[^2] ." in north
    assert north.endswith("[^1]: The sea was calm.\n\n[^2]: It broke the lamp.\n")


def test_references_after_a_stop_or_a_bracket_or_before_a_dash_but_not_in_a_range(tmp_path):
    """Set apart from the text they follow, as ``pdftotext`` leaves raised
    numbers: after a closing bracket, before a dash, after a sentence's stop
    at the line's end; the end of a range ("(17–2)") is no reference, nor its
    start ("chapters 1 – 3"), nor a page's number after "p."."""
    _, files = imported(tmp_path, """\
        Preface

        A preface.
        \f1. The North Light

        As in (17–2), chapters 1 – 3 and on p. 3 below, the keeper wrote (in the log) 1 , and
        the inspector Quint 2 – who came twice – signed it. The night was calm. 3

        1 The log is lost.
        2 He came in 1870.
        3 So the log says.

        9
        \f2. The Keeper's Diary

        Nothing of note.
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "As in (17–2), chapters 1 – 3 and on p. 3 below, the keeper wrote (in the log)[^1] , " \
           "and the inspector Quint[^2] – who came twice – signed it. The night was calm.[^3]\n" \
           in north
    assert north.endswith("[^1]: The log is lost.\n\n[^2]: He came in 1870.\n\n"
                          "[^3]: So the log says.\n")


#: A page of a plain ``pdftotext`` extraction: a line that ended on a hyphen is
#: joined to the next, its hyphen taken out, so some lines hold two printed lines.
JOINED_PAGE = """\
    The keeper climbed the stairs of the tower every evening before dusk
    and lit the lamp with the long brass taper that hung by the door of the
    lantern room. He trimmed the wicks and wiped the glass, then wrote the hour in the ledger that lay open on the table.
    In winter the climb was harder, for the stairs were wet and the wind
    came through the cracks in the walls of the old tower like a voice.
    He counted the steps as he went, one hundred and twenty, and he never
    once missed the hour in all the years he kept the light.
    The inspectors came twice a year from the mainland and read the ledger
    from the first page to the last, and they signed it in red ink, for
    nothing was ever found wrong with it, and the keeper was proud of that
    until the day he died. His daughter kept the ledger after him, with the
    taper and the key to the lantern room, in a chest by her bed for the rest of her long life.
    When the light was given an electric lamp in the spring of the year
    nineteen twenty, the ledger was closed for good, and the last line in
    it is in her hand: the lamp lit at dusk, the night calm.
    The tower still stands on the point, though its lantern is dark now,
    and the stairs are closed to visitors since part of the rail fell in
    the great storm of the winter of nineteen sixty, when the sea came over
    the rocks and into the keeper's old kitchen for the first time in
    living memory. The ledger itself is kept in the museum in the town.
    """


def test_lines_joined_at_hyphens_are_unwrapped_by_the_printed_measure(tmp_path):
    """In an extraction whose lines hold two printed lines where a hyphen was
    taken out, a paragraph ends where a printed line ends short (a joined
    line's last part, or a line ending a sentence), not where a full line
    ends a sentence."""
    _, files = imported(tmp_path, "Preface\n\n" + textwrap.dedent(JOINED_PAGE) + """
        1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """.replace("\n        ", "\n"))
    paragraphs = files["manuscript/01-preface.md"].split("\n\n")[1:]
    assert [p.split()[:3] for p in paragraphs] == [
        ["The", "keeper", "climbed"], ["In", "winter", "the"], ["The", "inspectors", "came"],
        ["When", "the", "light"], ["The", "tower", "still"]]
    assert "like a voice. He counted" in paragraphs[1]


def test_a_running_head_repeating_the_heading_below_it_is_page_furniture(tmp_path):
    """A page that opens with a section's title as its running head and
    prints that section's heading lower down: the first line is the head."""
    _, files = imported(tmp_path, """\
        Contents

        1 The North Light\t1
        1.1 The lamp\t2
        2 The Keeper's Diary\t3
        \f1 The North Light

        The light was lit at dusk, and the keeper wrote the hour down.

        1
        \f1.1 The lamp

        1.1 The lamp

        The lamp burned whale oil until the year of the great storm.

        2
        \f2 The Keeper's Diary

        The diary was kept in the same hand as the ledger.

        3
        \f1.1 The lamp

        An end page.
        """.replace("\n        ", "\n"))
    north = next(text for name, text in files.items() if "north-light" in name)
    assert north.count("The lamp\n") == 1 and "## 1.1 The lamp\n" in north


def test_a_note_cut_at_a_page_end_takes_no_text_from_pages_further_on(tmp_path):
    """Rule *a note's rest on the next page*: a paragraph opening in lower
    case (a table's row, an example) pages after a cut note is no rest of it;
    the pages' length is measured where the text runs on over a page break."""
    page = ("The keeper wrote the hours of the lamp in the ledger every evening, and the "
            "inspectors who came from the mainland twice a year read every page of it and "
            "signed it in red ink at the foot of the last page they had read, so that the "
            "next inspector would know where to begin his reading")
    _, files = imported_preface(tmp_path, f"""\
        {page}, and the

        next page went on with the ledger. {page}, and the

        next page went on again, and it ended there.

        The light was lit at dusk.¹ It burned all night.

        1 Whale oil was used until the year of the great storm, when

        {page}.

        {page}.

        {page}.

        There were lamps of three kinds.

        argand lamps, with a hollow wick and a glass chimney.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "\n\nargand lamps, with a hollow wick and a glass chimney.\n" in preface
    assert "[^1]: Whale oil was used until the year of the great storm, when\n" in preface


def test_lines_above_a_page_s_notes_are_a_note_s_rest_only_after_a_cut_note(tmp_path):
    """A block set off by a blank line just above a page's first note is the
    rest of a note only where the page before ended on a note cut
    mid-sentence; after a finished one it is the page's text."""
    _, files = imported(tmp_path, """\
        Preface

        A preface.
        \f1. The North Light

        The keeper watched the sea.1

        1 The sea was calm.

        9
        \fIt was night.

        The storm came at night and broke the lamp.2 It was the worst storm in
        living memory.
        2 The glass was replaced in spring.

        10
        \f2. The Keeper's Diary

        Nothing of note.
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "The storm came at night and broke the lamp.[^2] It was the worst storm in " \
           "living memory.\n" in north
    assert north.endswith("[^1]: The sea was calm.\n\n[^2]: The glass was replaced in spring.\n")


def test_a_page_s_last_line_joined_to_its_first_note_is_taken_apart(tmp_path):
    """Where the extraction joins a line ending on a hyphen to the next, a
    page's last line of text cut so is joined to the page's first note: the
    note's label, glued to the cut word, opens the note, and the word is
    joined again with its end on the next page."""
    page = textwrap.dedent(JOINED_PAGE).replace("the keeper was proud of that",
                                                "the keeper was proud.1 Of that")
    page = page.replace("kept in the museum in the town.\n",
                        "kept in the mu1. The museum closed in 1990, and the ledger went to the "
                        "archive.\n")
    _, files = imported(tmp_path, "Preface\n\nA preface.\n\f1. The North Light\n\n" + page
                        + "\n9\n\fseum in the town.\n\n10\n\f2. The Keeper's Diary\n\nText.\n")
    north = files["manuscript/02-the-north-light.md"]
    assert "The ledger itself is kept in the museum in the town.\n" in north
    assert north.endswith("[^1]: The museum closed in 1990, and the ledger went to the "
                          "archive.\n")


def test_a_number_wrapped_to_a_line_start_in_a_page_s_notes_is_no_label(tmp_path):
    """A line of a page's notes may open with a number the text wraps there
    (a folio, a year): not the label before or after the others, nor one the
    text refers to, it is no note's label and no end of the page's notes;
    nor does the short line before it end the note: a page's notes part at
    their labels, each the number after the last note's."""
    _, files = imported(tmp_path, """\
        Preface

        A preface.
        \f1. The North Light

        The keeper watched the sea.1 The ledger of that year is lost.2 A copy is left.3

        1 The sea was calm, as the ledger says on folio
        228 of its second volume.
        2 It burned in the fire of the town hall, with the other ledgers, in
           1901 (the year of the storm)
        3 It is kept in the museum.

        9
        \f2. The Keeper's Diary

        Nothing of note.

        10
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert north.endswith("[^1]: The sea was calm, as the ledger says on folio 228 of its "
                          "second volume.\n\n[^2]: It burned in the fire of the town hall, "
                          "with the other ledgers, in 1901 (the year of the storm)\n\n"
                          "[^3]: It is kept in the museum.\n")


def test_a_chapter_title_ending_a_sentence_is_a_running_head_on_its_later_pages(tmp_path):
    """A title that ends on a question mark, met again at a page's top after
    its chapter opened, is the running head, not the text."""
    _, files = imported(tmp_path, """\
        Contents

        1 Who Kept the Light?\t1
        2 The Keeper's Diary\t3
        \fWho Kept the Light?

        The light was lit at dusk, and the keeper wrote the hour down.

        1
        \fWho Kept the Light?

        The lamp burned whale oil until the year of the great storm.

        2
        \fThe Keeper's Diary

        The diary was kept in the same hand as the ledger.

        3
        \fAn end page.
        """)
    light = next(text for name, text in files.items() if "who-kept-the-light" in name)
    assert light.count("Who Kept the Light?") == 1


def test_a_page_s_last_line_joined_to_its_folio_is_taken_apart(tmp_path):
    """Where the extraction joins a line ending on a hyphen to the next, a
    page's last line of text cut so is joined to the page's number: the
    number the other pages' folios give the page is taken off the cut word,
    which is joined again with its end on the next page."""
    page = textwrap.dedent(JOINED_PAGE).replace("kept in the museum in the town.\n",
                                                "kept in the mu9\n")
    _, files = imported(tmp_path, "Preface\n\nA preface.\n\n8\n\f1. The North Light\n\n" + page
                        + "\f\nseum in the town.\n\n10\n\f2. The Keeper's Diary\n\nText.\n\n11\n"
                        "\fThe end.\n\n12\n")
    north = files["manuscript/02-the-north-light.md"]
    assert "The ledger itself is kept in the museum in the town.\n" in north


def test_a_line_reckoned_to_hold_two_printed_lines_goes_on_in_lower_case():
    """Where a line a little over the measure is reckoned to hold two printed
    lines, the second short, a next line in lower case still goes on with
    it: no paragraph opens so."""
    page = textwrap.dedent(JOINED_PAGE).replace(
        "though its lantern is dark now,", "though its old lantern is dark and empty now,")
    lines = read_text_source("Preface\n\n" + page).lines
    assert [line.text.split()[:3] for line in lines[1:]] == [
        ["The", "keeper", "climbed"], ["In", "winter", "the"], ["The", "inspectors", "came"],
        ["When", "the", "light"], ["The", "tower", "still"]]


def test_a_chapter_title_wrapped_at_its_first_page_s_top_is_one_heading(tmp_path):
    """A title too long for its line opens its chapter on two lines; met on
    one line at the pages' tops after it, it is the running head."""
    _, files = imported(tmp_path, """\
        Contents

        1 Who Kept the Light on the North Point?\t1
        2 The Keeper's Diary\t3
        \fWho Kept the Light on the
        North Point?

        The light was lit at dusk, and the keeper wrote the hour down in

        1
        \fWho Kept the Light on the North Point?

        the ledger. The lamp burned whale oil until the year of the storm.

        2
        \fThe Keeper's Diary

        The diary was kept in the same hand as the ledger.

        3
        \fAn end page.
        """)
    light = next(text for name, text in files.items() if "who-kept-the-light" in name)
    assert light.count("Who Kept the Light") == 1
    assert "wrote the hour down in the ledger." in light


#: A preface, then a chapter opening whose first note is cut by the page break.
NORTH_LIGHT = """\
        Preface

        A preface.
        \f1. The North Light

            The keeper watched the sea.1 He wrote the hour of each ship in
        the ledger that lay open on the table by the window of the lantern
"""


def test_a_cut_note_s_rest_may_stand_alone_at_the_next_page_s_foot(tmp_path):
    """On a page without notes of its own, after a page whose note stops
    mid-sentence, the last block, set off by a blank line and not indented
    as a paragraph opens, between text cut mid-sentence and its rest in lower
    case on the next page, is that note's rest."""
    _, files = imported(tmp_path, NORTH_LIGHT + """\
        room, and the name of the ship when he knew it.

         1 The sea was calm that year, as the keeper's
        daughter wrote in her own ledger, kept after the

        9
        \f    In winter the climb was harder, for the stairs were wet and
        the wind came through the cracks in the walls of the old tower like

        storm of that winter.

        10
        \fa voice. He counted the steps as he went.

        11
        \f2. The Keeper's Diary

        Nothing of note.

        12
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "walls of the old tower like a voice." in north
    assert north.endswith("[^1]: The sea was calm that year, as the keeper's daughter wrote in "
                          "her own ledger, kept after the storm of that winter.\n")


def test_a_short_printed_line_before_one_in_lower_case_ends_no_paragraph():
    """In an extraction that keeps the printed lines, a line cut short (by a
    figure, a formula) goes on in the next when that opens in lower case."""
    lines = read_text_source("Preface\n\nThe keeper climbed the stairs of the tower every "
                             "evening and lit\nthe lamp,\nwith the long brass taper that hung "
                             "by the door of the lantern.\n").lines
    assert [line.text for line in lines[1:]] == [
        "The keeper climbed the stairs of the tower every evening and lit the lamp, with the "
        "long brass taper that hung by the door of the lantern."]
    # A block's first line over entries in lower case is their title.
    lines = read_text_source("Preface\n\nA preface.\n\nAbbreviations\n"
                             "acc      accusative, the case of the object of a verb\n"
                             "nom      nominative, the case of the subject of a verb\n").lines
    assert lines[2].text == "Abbreviations"


def test_a_drop_cap_left_apart_by_the_extraction_opens_its_word_again():
    """A drop cap on a line of its own, its first lines set in beside it, or
    before the text of the line beside it (the first line after): the letter
    opens the word it begins, the lines beside it are no first lines."""
    lines = read_text_source("""\
1. The North Light

T
      he keeper climbed the stairs of the tower every evening and
       lit the lamp with the long brass taper that hung by the door.
    In winter the climb was harder, for the stairs were wet and the
wind came through the cracks in the walls of the old tower.

2. The Keeper's Diary

W lit the lamp with the long brass taper that hung by the door of the
    hen the keeper climbed the stairs of the tower every evening, he

lantern room, and he wrote the hour in the ledger on the table.
    When the storm came, the ledger was closed for good that winter.
""").lines
    assert [line.text for line in lines if not line.text[0].isdigit()] == [
        "The keeper climbed the stairs of the tower every evening and lit the lamp with the "
        "long brass taper that hung by the door.",
        "In winter the climb was harder, for the stairs were wet and the wind came through "
        "the cracks in the walls of the old tower.",
        "When the keeper climbed the stairs of the tower every evening, he lit the lamp with "
        "the long brass taper that hung by the door of the lantern room, and he wrote the "
        "hour in the ledger on the table.",
        "When the storm came, the ledger was closed for good that winter."]
    # "A" the book sets alone is a word, not a drop cap before the line beside it.
    lines = read_text_source("Preface\n\nA keeper climbed the stairs along the wall, as a keeper "
                             "does, and a\nlong ledger lay open on the table of the lantern "
                             "room.\n").lines
    assert lines[1].text.startswith("A keeper climbed")


def test_where_indents_show_no_paragraph_of_the_text_is_guessed_a_note_s_rest(tmp_path):
    """In an extraction that shows indents, a cut note's rest is what its
    reader put among the page's notes; a quotation at the next page's foot,
    its text going on after the page break, stays the text's."""
    _, files = imported(tmp_path, NORTH_LIGHT + """\
        room, and the name of the ship when he knew it from its flag.
            The inspectors came twice a year from the mainland and read the
        ledger from the first page to the last, and signed it in red ink
        at the foot of the last page they had read on the day they came.

         1 The sea was calm that year, as the keeper's daughter wrote in

        9
        \f    In winter the climb was harder for the keeper, for the stairs
        were wet, and the keeper wrote of it in the ledger:
              In the morning the glass was black with soot, and the wind
              came through the cracks in the walls of the old tower like

        10
        \f      a voice that called the keeper by his name.
            He counted the steps as he went, one hundred and twenty.

        11
        \f2. The Keeper's Diary

        Nothing of note.

        12
        """)
    north = files["manuscript/02-the-north-light.md"]
    assert "In the morning the glass was black with soot" in north.split("[^1]:")[0]
    assert north.endswith("[^1]: The sea was calm that year, as the keeper's daughter wrote "
                          "in\n")


def test_a_stretched_line_s_words_on_lines_of_their_own_are_one_line():
    """Words of a justified line stretched far apart, each on a line of its
    own, are one full line: none of them ends the paragraph."""
    lines = read_text_source("Preface\n\nThe keeper kept the ledger of the light, as the rules "
                             "of the board required by\nQuint\nHarbour\nBoard,\nLondon,\n"
                             "which sent an inspector twice a year to read it from the start.\n"
                             ).lines
    assert [line.text for line in lines[1:]] == [
        "The keeper kept the ledger of the light, as the rules of the board required by Quint "
        "Harbour Board, London, which sent an inspector twice a year to read it from the start."]


def test_a_joined_line_ending_on_a_full_printed_line_ends_no_paragraph():
    """A line holding two printed lines joined at a hyphen whose second is
    full (justified) goes on in the next, though it ends a sentence."""
    page = textwrap.dedent(JOINED_PAGE).replace(
        "came through the cracks in the walls of the old tower like a voice.",
        "came through the cracks in the walls of the old tower like a voice that called "
        "out, and he heard it all night long in the lantern room below.")
    lines = read_text_source("Preface\n\n" + page).lines
    assert [line.text.split()[:3] for line in lines[1:]] == [
        ["The", "keeper", "climbed"], ["In", "winter", "the"], ["The", "inspectors", "came"],
        ["When", "the", "light"], ["The", "tower", "still"]]


def test_a_listing_is_told_by_the_tags_its_lines_open_with(tmp_path):
    """Rule *code listing by its marks*: lines opening with tags or TeX
    commands (a line without between them, one with a tag inside next to
    them) come back as one fenced listing, indents kept; prose that quotes
    a tag on line after line stays prose."""
    _, files = imported_preface(tmp_path, """\
        The keeper's ledger was encoded, and a tag such as <span>lamp</span>
        can carry an identifier, <span id="1">lamp</span>, to which a link
        refers with <a href="#1">the lamp</a> in the text.

        <ledger year="1870">
          <entry hour="dusk">
            lamp lit
          </entry>
        Tit. the keeper's <ref target="#k">hand</ref>
        </ledger>
        """)
    preface = files["manuscript/01-preface.md"]
    assert preface.index("The keeper's ledger was encoded") < preface.index("```")
    assert "```\n<ledger year=\"1870\">\n  <entry hour=\"dusk\">\n    lamp lit\n  </entry>\n" \
           "Tit. the keeper's <ref target=\"#k\">hand</ref>\n</ledger>\n```\n" in preface
    assert preface.count("```") == 2


def test_a_listing_keeps_its_blank_lines_and_goes_on_over_a_page_break(tmp_path):
    """A listing's blank line on its page stays in it; a listing cut by a
    page break is joined again with no blank line; prose between two
    listings keeps them apart."""
    _, files = imported(tmp_path, """\
        Preface

        The keeper's ledger was encoded so.

        <ledger year="1870">
          <entry hour="dusk">lamp lit</entry>
          <entry hour="dawn">lamp out</entry>

          <entry hour="dusk">lamp lit</entry>
          <entry hour="dawn">lamp out</entry>
        </ledger>

        And the keepers were listed so.

        <register>
          <keeper>Quint</keeper>
          <keeper>Brandt</keeper>

        \f  <keeper>Olek</keeper>
          <keeper>Mara</keeper>
        </register>

        \f1. The North Light

        Text.

        2. The Keeper's Diary

        Text.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "```\n<ledger year=\"1870\">\n  <entry hour=\"dusk\">lamp lit</entry>\n" \
           "  <entry hour=\"dawn\">lamp out</entry>\n\n  <entry hour=\"dusk\">lamp lit</entry>\n" \
           "  <entry hour=\"dawn\">lamp out</entry>\n</ledger>\n```\n\nAnd the keepers" in preface
    assert "```\n<register>\n  <keeper>Quint</keeper>\n  <keeper>Brandt</keeper>\n" \
           "  <keeper>Olek</keeper>\n  <keeper>Mara</keeper>\n</register>\n```\n" in preface
    assert preface.count("```") == 4


def test_entries_set_with_a_hanging_indent_are_told_apart(tmp_path):
    """Rule *hanging indent*: in a list of entries whose first lines stand at
    the margin and the rest are set in, each line at the margin opens an
    entry, though an entry of two lines has its one set-in line between two
    at the margin, as a paragraph's indented first line would stand."""
    _, files = imported_preface(tmp_path, """\
        The keeper read these.

        Bibliography

        Archibald Samuel, The Ledger and the Lamp: Keeping the Hours,
           Montreal, Harbour Books, 2009.
        Baird Karin, Meeting the Tide Midway, Durham, Duke
           University Press, 2007.
        Boyd Valentin, As We Might Keep a Light, Boston, Atlantic
           Monthly Press, 1945, reprinted with a new preface by the
           keeper's daughter.
        """)
    preface = files["manuscript/01-preface.md"]
    assert "\n\nArchibald Samuel, The Ledger and the Lamp: Keeping the Hours, Montreal, " \
           "Harbour Books, 2009.\n\nBaird Karin, Meeting the Tide Midway, Durham, Duke " \
           "University Press, 2007.\n\nBoyd Valentin, As We Might Keep a Light, Boston, " \
           "Atlantic Monthly Press, 1945, reprinted with a new preface by the keeper's " \
           "daughter.\n" in preface


def test_items_and_displays_in_an_extraction_that_keeps_columns(tmp_path):
    """Rule *first-line indent against its neighbours*, in an extraction that
    keeps the columns lines are printed at (``pdftotext -layout``): an item
    opens at its label, hung or set in, its next lines at the column of the
    text after the label going on with it; a quotation set in after a blank
    line is a paragraph of its own, as the item after a line ending on a
    colon is, and a line of it opening with initials goes on with it."""
    _, files = imported_preface(tmp_path, """\
           The keeper kept two kinds of entry in his ledger, and the inspectors
        read them side by side:

         (4)   a. The lamp was lit at dusk and trimmed again at midnight.
               b. The lamp was lit at dusk; the keeper slept through the second
                  watch and the lamp went out.

           Each entry names the hour, and the inspectors asked for both. The
        rules of the service were read to every new keeper, and he copied one
        of them out in full:

             A keeper shall not leave the lantern while the lamp is lit, as
             J. R. Marsh wrote in the rules, nor trust the watch to any hand
             but his own, by night or by day.

           He kept three questions in mind on every watch of the winter:

           1. Is the lamp lit? that is, is the wick trimmed and is there oil
              enough for the night?
           2. Is the log written up to the hour?
        """)
    paragraphs = files["manuscript/01-preface.md"].split("\n\n")[1:]
    assert [p.replace("\\", "").strip() for p in paragraphs] == [
        "The keeper kept two kinds of entry in his ledger, and the inspectors read them side "
        "by side:",
        "(4)   a. The lamp was lit at dusk and trimmed again at midnight.",
        "b. The lamp was lit at dusk; the keeper slept through the second watch and the lamp "
        "went out.",
        "Each entry names the hour, and the inspectors asked for both. The rules of the "
        "service were read to every new keeper, and he copied one of them out in full:",
        "A keeper shall not leave the lantern while the lamp is lit, as J. R. Marsh wrote in "
        "the rules, nor trust the watch to any hand but his own, by night or by day.",
        "He kept three questions in mind on every watch of the winter:",
        "1. Is the lamp lit? that is, is the wick trimmed and is there oil enough for the night?",
        "2. Is the log written up to the hour?"]
