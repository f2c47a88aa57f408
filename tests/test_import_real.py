"""The importer on real printed books (../shared/corpus/import-real), scored
against the truth made from the LaTeX that typeset them (tests/importscore.py
says how), and held to the scores recorded in tests/data/import_real_scores.json:
an import that makes more errors of any kind fails. One that makes fewer
fails too, until ``pytest tests/test_import_real.py --update-import-scores``
records the new scores, so the line only ever tightens.

A step of .ci/run runs both books (``BOOKBUILD_IMPORT_REAL_LONG=1``); run
alone without it, this takes the French one (57 pages) and leaves the English
one (502 pages, over a minute and 1.8 GB). Each book is imported from its
PDF and from its two ``pdftotext`` extractions (issue 26: they must import
with the PDF's note counts)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bookbuild.importer import import_book

from importscore import (REAL_BOOKS, UNREADABLE_KIND, _unreadable, heading_words, score_import,
                         unread_words, words)
from test_import import SHARED

CORPUS = SHARED / "corpus" / "import-real"
SCORES = Path(__file__).parent / "data" / "import_real_scores.json"
LONG = os.environ.get("BOOKBUILD_IMPORT_REAL_LONG") == "1"
BOOKS = REAL_BOOKS if LONG else REAL_BOOKS[:1]


#: What is imported of each book: its PDF, and its ``pdftotext`` extractions
#: (plain and ``-layout``), each held to its own recorded scores.
SOURCES = {"pdf": None, "pdftotext": [], "pdftotext -layout": ["-layout"]}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent (CI has it)")
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_real_book_scores_no_worse_than_recorded(book, source, tmp_path, request):
    if not shutil.which("pdftotext"):  # the scorer's own reader of the PDF's unmapped glyphs
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = CORPUS / book.name / book.pdf
    if SOURCES[source] is None:
        import_book(pdf, tmp_path / "out")
        key = book.name
    else:
        text = tmp_path / "book.txt"
        subprocess.run(["pdftotext", "-enc", "UTF-8", *SOURCES[source], str(pdf), str(text)],
                       check=True, timeout=120)
        import_book(text, tmp_path / "out")
        key = f"{book.name} ({source})"
    now = book.score(CORPUS, tmp_path / "out").as_dict()
    recorded = json.loads(SCORES.read_text(encoding="utf-8")) if SCORES.is_file() else {}
    if request.config.getoption("--update-import-scores"):
        recorded[key] = now
        SCORES.write_text(json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True)
                          + "\n", encoding="utf-8")
        return
    assert key in recorded, "no score recorded: run with --update-import-scores"
    before = recorded[key]
    # Glyphs the PDF draws with no text are no error while poppler finds as
    # many (the scorer holds that): more of them is more of the text read.
    worse = {kind: (before["kinds"].get(kind, 0), n) for kind, n in now["kinds"].items()
             if n > before["kinds"].get(kind, 0) and kind != UNREADABLE_KIND}
    assert not worse, f"{key}: more errors than recorded (recorded, now): {worse}"
    for measure in ("recall", "precision"):  # flagging everything must not buy recall
        was, got = before["report"][measure], now["report"][measure]
        assert got is None or (was is not None and got >= was), \
            f"{key}: the report's {measure} is lower than recorded: {was} -> {got}"
    assert now == before, (f"{key}: fewer errors than recorded: run with "
                           f"--update-import-scores to hold the import to {now}")


def invented(tmp_path, markdown: str, unread: tuple[tuple[str, ...], ...] = (),
             report: str = "", unmapped: int = 0):
    """Score an invented import (its import-report.md's flags ``report``; its
    PDF's glyphs with no text behind them ``unmapped``) against an invented
    truth of one chapter."""
    truth = [["The Light", [["h", 1, "The Light"],
                            ["p", 0, "The keeper lit the lamp at dusk.⟦R⟧ It burned all "
                                     "night."],
                            ["p", 0, "In the morning the glass was black with soot CITE."],
                            ["p", 0, "He cleaned it before noon."]],
              ["Whale oil, until 1870."]]]
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (tmp_path / "structure.json").write_text("{}", encoding="utf-8")
    book = tmp_path / "book"
    (book / "manuscript").mkdir(parents=True, exist_ok=True)
    (book / "book.yaml").write_text("chapters:\n- manuscript/01.md\n", encoding="utf-8")
    (book / "manuscript" / "01.md").write_text(markdown, encoding="utf-8")
    (book / "import-report.md").write_text(f"# Import report\n\n{report}", encoding="utf-8")
    return score_import(book, tmp_path / "truth.json", tmp_path / "structure.json", unread,
                        unmapped)


def test_a_faithful_import_scores_no_error(tmp_path):
    score = invented(tmp_path, "# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned "
                               "all night.\n\nIn the morning the glass was black with soot "
                               "(Quint 2019).\n\nHe cleaned it before noon.\n\n"
                               "[^1]: Whale oil, until 1870.\n")
    assert (score.paragraphs, score.notes, score.body_errors, score.note_errors) == (3, 1, 0, 0)


def test_each_kind_of_error_is_named(tmp_path):
    score = invented(tmp_path, "# The Light\n\nThe keeper lit the lamp at dusk. It burned[^1] "
                               "all night. In the morning the glass was black\n\n"
                               "with soot.\n\n## He cleaned it be-fore noon.\n\n"
                               "[^1]: Whale oil, until 1871.\n")
    assert {k: n for k, n in score.kinds.items() if n} == {
        "merged": 1, "split": 1, "heading wrong": 1, "hyphen kept": 1,
        "note text wrong": 1, "note off reference": 1}
    # A running head left in, a lost note, and an example's printed label (not an error).
    score = invented(tmp_path, "# The Light\n\nThe keeper litthelamp at dusk. It burned all "
                               "night.\n\nLighthouse Ledgers\n\nIn the morning the glass was "
                               "black with soot.\n\n(3) He cleaned it before noon.\n")
    assert {k: n for k, n in score.kinds.items() if n} == {
        "run together": 1, "text extra": 1, "note missing": 1}
    # An example's number and its first item's letter (escaped, as the importer writes
    # them, or Pandoc reads a list) open a block the truth opens too.
    score = invented(tmp_path, "# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned "
                               "all night.\n\nIn the morning the glass was black with soot.\n\n"
                               "(3\\) a. He cleaned it before noon.\n\n[^1]: Whale oil, until 1870.\n")
    assert score.body_errors == 0


def test_an_appendixs_printed_letter_is_its_number_not_a_word_of_its_title():
    """A truth reads "Tide Tables" where the print sets "Appendix C. Tide
    Tables": the letter numbers the appendix as "2.6" numbers a section.
    "Appendix" opening a title of more words is the title's."""
    assert heading_words("Appendix C. Tide Tables") == ["tide", "tables"]
    assert heading_words("Anhang 2 Gezeitentafeln") == ["gezeitentafeln"]
    assert heading_words("Appendix of Tide Tables") == ["appendix", "of", "tide", "tables"]


def test_words_the_truth_could_not_read_are_not_the_imports_errors(tmp_path):
    """The truth, read by Pandoc from LaTeX, lacks the arguments of macros it
    does not know (a language name, ``\\ili{Teochew}``): printed, they are no
    extra text, even run on with the next item's label; any other extra word
    still is, and so is a run of an argument's words out of their order, or
    one common word of a long one."""
    unread = unread_words(r"the lamp of \ili{Teochew} and \emph{noon}", ("ili",))
    assert unread == (("teochew",),)
    # an argument holding groups of its own is read to its closing brace; the
    # LaTeX in it (commands, their options, environments, comments) is not printed
    boxed = unread_words("\\eabox{ the Lamp Triangle\\\\ \\begin{tikzpicture} \\node[draw] "
                         "{\\sffamily Mind}; % drawn\n\\end{tikzpicture}} \\emph{Noon}", ("eabox",))
    assert boxed == (("the", "lamp", "triangle", "mind"),)
    markdown = ("# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned all night.\n\n"
                "In the morning the glass was black with soot (Quint 2019).\n\n"
                "He cleaned it before {} noon.\n\n[^1]: Whale oil, until 1870.\n")
    assert invented(tmp_path, markdown.format("Teochew"), unread).body_errors == 0
    assert invented(tmp_path, markdown.format("Korean"), unread).kinds["text extra"] == 1
    assert invented(tmp_path, markdown.format("Lamp Triangle Mind"), boxed).body_errors == 0
    for extra in ("Triangle Lamp", "the", "Mind"):
        assert invented(tmp_path, markdown.format(extra), boxed).kinds["text extra"] == 1, extra
    # an unread word ending one block and the printed label opening the next
    # are one extra run to the alignment, judged block by block
    labelled = ("# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned all night {}\n\n"
                "{}(4\\) In the morning the glass was black with soot (Quint 2019).\n\n"
                "He cleaned it before noon.\n\n[^1]: Whale oil, until 1870.\n")
    assert invented(tmp_path, labelled.format("Teochew", ""), unread).body_errors == 0
    boxed_block = "(3\\) Lamp Triangle\n\n"
    assert invented(tmp_path, labelled.format("", boxed_block), boxed).body_errors == 0
    assert invented(tmp_path, labelled.format("Korean", ""), unread).kinds["text extra"] == 1
    assert invented(tmp_path, labelled.format("", "(3\\) Triangle Lamp\n\n"),
                    boxed).kinds["text extra"] == 1


def test_a_truths_straight_quotation_marks_match_the_prints_curly_ones():
    """Pandoc writes a LaTeX quotation straight; the print sets it curly, and
    inside a word (no space after a closing mark) that is no error."""
    assert words("of harbours.”And she said: “Our") == words('of harbours."And she said: "Our')
    assert words("harbours.”And") != words("harbours.And")


def test_glyphs_the_pdf_draws_with_no_text_are_the_pdfs_not_the_imports(tmp_path):
    """A glyph drawn with no text behind it (a font's .notdef, no ToUnicode
    entry) is imported as U+FFFD, one per glyph, and reported with its page:
    it stands for exactly one character (with its combining marks) of the
    truth and is counted apart, glyph by glyph, while the import has no more
    of them than another reader of the PDF finds (``unmapped``). Any other
    difference in the word still is the import's error, and so is one U+FFFD
    for two characters, and every U+FFFD past what the PDF leaves unmapped
    (an import cannot hide a wrong word behind them)."""
    markdown = ("# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned all night.\n\n"
                "In the morning the glass was black with soot (Quint 2019).\n\n"
                "He cleaned it before noon.\n\n[^1]: {}\n")
    truth_note = "Whale oil, until 1870."
    for note, wrong in (("Wh\ufffdle oil, until 1870.", 0), ("Wh\ufffde oil, until 1870.", 1),
                        ("Wh\ufffdlo oil, until 1870.", 1), ("\ufffd\ufffd\ufffd\ufffd\ufffd oil, "
                                                             "until 1870.", 0)):
        score = invented(tmp_path, markdown.format(note), unmapped=5)
        assert (score.note_errors, score.notes) == (wrong, 1), note
    glass = markdown.format(truth_note).replace("glass", "gl\ufffd\ufffd\ufffd")
    score = invented(tmp_path, glass, unmapped=3)
    assert (score.body_errors, score.kinds[UNREADABLE_KIND]) == (0, 3)
    score = invented(tmp_path, markdown.format(truth_note).replace("glass", "gl\ufffd\ufffd"),
                     unmapped=3)
    assert score.body_errors == 1
    # more U+FFFD than the PDF has unmapped glyphs: each place is an error again
    score = invented(tmp_path, glass.replace("keeper", "\ufffd" * 6), unmapped=3)
    assert (score.body_errors, score.kinds[UNREADABLE_KIND]) == (2, 0)
    # a combining accent (one NFKC leaves apart) goes with its letter's glyph
    assert _unreadable(["ο\u03c5\u0313"], ["ο\ufffd"])
    assert not _unreadable(["ο\u03c5\u0313"], ["ο\ufffd\ufffd"])


def test_the_reports_flags_are_measured_against_the_errors(tmp_path):
    """A flag of import-report.md points at the block or note it names (as
    Pandoc reads the chapter); an error there is one the report points at
    (recall), and a flag where the import is right is not (precision)."""
    markdown = ("# The Light\n\nThe keeper lit the lamp at dusk.[^1] It burned all night.\n\n"
                "In the morning the glass was blak with soot (Quint 2019).\n\n"
                "He cleaned it before noon.\n\n[^1]: Whale oil, until 1871.\n")
    for lines, recall, precision in (((), 0.0, None), ((5,), 0.5, 1.0), ((5, 9), 1.0, 1.0),
                                     ((7,), 0.0, 0.0), ((3,), 0.5, 1.0)):
        report = "".join(f"- source {n} → manuscript/01.md:{n}: a doubt (confidence 0.5)\n"
                         for n in lines)
        score = invented(tmp_path, markdown, report=report)
        assert (score.recall, score.precision) == (recall, precision), lines
