"""The PDF reader's rules about glyphs, each on a page of invented glyphs
laid out as a class of layouts sets them (a tight justified line, tracked
capitals, a drop cap, small capitals, a subscript, a hanging indent, a
font's style), and the language read from a book's own text."""

from __future__ import annotations

from collections import defaultdict

from bookbuild.importer.framed import drawn_boxes
from bookbuild.importer.chapters import Block, Chapter
from bookbuild.importer.hyphens import Vocabulary, join
from bookbuild.importer.inline import CODE_CLOSE, CODE_OPEN, EM_CLOSE, EM_OPEN, refs
from bookbuild.importer.language import detect
from bookbuild.importer.markdown import chapter_markdown, inline_markdown
from bookbuild.importer.pdfread import Glyph
from bookbuild.importer.pdfsource import (
    UNMAPPED, _addresses_as_code, _Block, _description_lists, _fixed_pitch, _font_style,
    _inline_code_fonts, _line, _lines, _name_hyphens, _notes, _page_paragraphs, _page_rows, _Para,
    _render, _rule, read_pdf_source)
from bookbuild.pdfglyphs import Font

from boxfont import box_program, identity_pdf
from glyphrows import rows_of as _rows
from test_hostile_inputs import _pdf

SIZE = 10.0


def glyphs(text: str, x: float, top: float, size: float = SIZE, letter: float = 0.0,
           space: float = 0.3, font: str = "Serif-Regular",
           widths: dict[str, float] | None = None) -> list[dict]:
    """``text`` set from ``x`` on the line at ``top``: each glyph half an em
    wide (or its ``widths``, in ems), ``letter`` ems between letters and
    ``space`` ems between words."""
    out = []
    for ch in text:
        if ch == " ":
            x += (space - letter) * size
            continue
        width = (widths or {}).get(ch, 0.5) * size
        out.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + size,
                    "size": size, "fontname": font, "upright": True})
        x += width + letter * size
    return out


def page(*lines: list[dict]) -> list[dict]:
    return [g for line in lines for g in line]


def text_of(chars: list[dict]) -> list[str]:
    return [_render(row.chars) for row in _rows(page(chars), 1)]


def test_word_spaces_of_a_tight_justified_line_are_kept():
    # TeX shrank this line's spaces to 0.17 em; letters sit at their kerning
    line = glyphs("On this morning and the next we shall sail", 50, 100, space=0.17)
    assert text_of(line) == ["On this morning and the next we shall sail"]


def test_tracked_capitals_are_not_split_into_letters():
    # every letter 0.12 em apart, the words 0.45 em: the line's own spacing decides
    line = glyphs("THE PUBLIC IS MORE", 50, 100, letter=0.12, space=0.45)
    assert text_of(line) == ["THE PUBLIC IS MORE"]


def test_a_drop_cap_opens_its_paragraph_and_its_lines_are_not_indented():
    cap = glyphs("D", 50, 99, size=2.4 * SIZE)
    first = glyphs("ans le village connu pour ses lumières", 62, 100)  # against the cap
    second = glyphs("plus simplement pour ses marins, dans", 62, 114)
    third = glyphs("le récit qui fait l'éloge des sels", 50, 128)
    rows = _rows(page(cap, first, second, third), 1)
    assert [_render(r.chars) for r in rows] == [
        "Dans le village connu pour ses lumières", "plus simplement pour ses marins, dans",
        "le récit qui fait l'éloge des sels"]
    assert [r.x0 for r in rows] == [50, 50, 50]  # beside the cap is the margin, not an indent
    assert {r.size for r in rows} == {SIZE}  # the cap takes its line's size: no heading


def test_a_drop_caps_gap_is_no_word_space_unless_its_first_line_stands_further_in():
    def lines(letter: str, first_x: float) -> list[str]:
        cap = glyphs(letter, 50, 99, size=2.4 * SIZE)  # ends at 62, its lines beside at 64
        rows = _rows(page(cap, glyphs("ear the keeper wrote in his ledger", first_x, 100),
                          glyphs("while storm and fog kept the ships", 64, 114),
                          glyphs("away from the harbour every night", 50, 128)), 1)
        assert [r.x0 for r in rows] == [50, 50, 50]
        return [_render(r.chars) for r in rows][:1]

    assert lines("Y", 64) == ["Year the keeper wrote in his ledger"]
    assert lines("A", 67) == ["A ear the keeper wrote in his ledger"]


def test_a_chapter_number_set_large_alone_is_no_drop_cap():
    number = glyphs("2", 50, 60, size=2.4 * SIZE)
    body = glyphs("Mooring, anchoring and lighthouses", 50, 100)
    assert text_of(number + body) == ["2", "Mooring, anchoring and lighthouses"]


def test_small_capitals_stay_in_their_word_and_are_no_reference():
    line = (glyphs("T", 50, 100) + glyphs("HE", 55, 102, size=0.8 * SIZE)
            + glyphs("P", 66, 100) + glyphs("UBLIC", 71, 102, size=0.8 * SIZE))
    rendered = text_of(line)
    assert rendered == ["THE PUBLIC"] and not refs(rendered[0])


def test_a_subscript_is_no_reference_nor_a_line_of_its_own():
    line = glyphs("the gas CO", 50, 100) + glyphs("2", 95, 103, size=0.7 * SIZE) \
        + glyphs(" rose", 98.5, 100)
    rendered = text_of(line)
    assert len(rendered) == 1 and not refs(rendered[0])
    assert rendered[0].replace("\ue004", "").replace("\ue005", "") == "the gas CO2 rose"
    # a smaller word set apart below the line's baseline (a table's cell) is no subscript
    cells = glyphs("p", 50, 100) + glyphs("q", 60, 105, size=0.7 * SIZE)
    assert text_of(cells) == ["p q"]


def test_upright_text_kerned_to_an_italics_ink_is_in_its_word():
    """Rule "italic correction": TeX sets a hyphen after an italic "f" where
    the f's slanted ink ends, 0.2 em past its advance (a tight word space's
    width); a word space after it ends there only by chance."""
    def after_italic(gap: float) -> str:
        word = glyphs("if", 50, 100, font="Serif-Italic", widths={"i": 0.3, "f": 0.3})
        word[-1]["overhang"] = 0.2 * SIZE
        line = text_of(word + glyphs("-clauses", word[-1]["x1"] + gap * SIZE, 100))[0]
        return line.replace(EM_OPEN, "*").replace(EM_CLOSE, "*")
    assert after_italic(0.2) == "*if*-clauses"
    assert after_italic(0.3) == "*if *-clauses"
    assert after_italic(0.14) == "*if *-clauses"


def test_a_line_taller_than_the_row_index_reaches_still_takes_the_glyphs_beside_it():
    # a hostile PDF's glyph 1,000 pt high: its line, past the index's bands,
    # is tried for every glyph
    huge = glyphs("X", 50, 0, size=1000.0)
    rows = _rows(page(huge, glyphs("ab", 560, 500), glyphs("cd", 560, 2000)), 1)
    assert ["".join(c.text for c in r.chars) for r in rows] == ["Xab", "cd"]


def test_a_raised_reference_after_its_word_takes_no_space():
    line = glyphs("terrible", 50, 100) + glyphs("1", 91.7, 98, size=0.66 * SIZE) \
        + glyphs(". Elle", 95, 100)
    assert text_of(line) == ["terrible\ue0021\ue003. Elle"]


def test_the_language_is_read_from_the_books_text():
    french = ["Dans le village connu pour ses lumières et plus encore pour son vieux port",
              "de pêche, dans le récit qui fait l’éloge de la patience des marins"]
    assert detect(french) == "fr"
    assert detect(["Perhaps the most useful thing about a lighthouse is that it is",
                   "never moved but stands in one place through storm and calm"]) == "en"
    assert detect(["12", "iv"]) == "en"  # too few words to tell: the default


def test_hyphens_follow_the_language_read_from_the_text():
    vocabulary = Vocabulary(["Le gardien allume la lampe chaque soir, puis il écrit",
                             "dans son registre la hauteur de la marée et le vent"])
    assert vocabulary.language == "fr"
    # French breaks "qualificatif" after "qua"; English could not, and kept the hyphen
    assert join("un mot, qua-", "lificatif qu’il", vocabulary)[0] \
        == "un mot, qualificatif qu’il"


def test_a_hyphen_mapped_to_unicodes_hyphens_is_a_hyphen():
    """Rule "hyphens by other names": a font whose table maps its hyphen to
    U+2010 or the non-breaking U+2011 (XeLaTeX with an OpenType font) breaks
    words at line ends and joins compounds with it as with "-"; a book that
    breaks its lines with "-" keeps the non-breaking ones it set on purpose."""
    def glyph_page(*lines: list[dict]) -> list[Glyph]:
        return [Glyph(g["text"], g["x0"], g["x1"], g["top"], g["bottom"], g["size"], False, False)
                for g in page(*lines)]

    named = glyph_page(glyphs("They are not argu\u2011", 50, 100),
                       glyphs("ments but teeth\u2010gnashing ones", 50, 114))
    _name_hyphens([named])
    rows = _page_rows(named, 1)
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    assert _line(_Para("text", rows, 1), vocabulary, []).text \
        == "They are not arguments but teeth-gnashing ones"
    ranges = glyph_page(glyphs("They are not argu-", 50, 100),
                        glyphs("ments, pages 53\u201159", 50, 114))
    _name_hyphens([ranges])
    assert [_render(r.chars) for r in _page_rows(ranges, 1)] \
        == ["They are not argu-", "ments, pages 53\u201159"]


def test_english_hyphens_follow_either_regions_patterns_and_compounds_keep_theirs():
    lines = ["The lamps my brother and the girl who lives down the lane may have",
             "different colours when seen by them, as is characteris-",
             "tically the case; they shine on whatever is in the bay."]
    vocabulary = Vocabulary(lines)
    assert vocabulary.language == "en" and vocabulary.patterns == "en_US"
    # the book breaks words as US patterns do, which allow "em-pha-sized" (British ones do not)
    assert join("As empha-", "sized above,", vocabulary)[0] == "As emphasized above,"
    assert join("As empha-", "sized above,", Vocabulary(lines[:1]))[0] == "As empha-sized above,"
    # "mother-in-law" broken at its first hyphen: the word's own, though "motherin" could break
    assert join("the lamps of my mother-", "in-law and", vocabulary)[0] \
        == "the lamps of my mother-in-law and"


def stacked(top: float, *lines: tuple[str, float]) -> list[list[dict]]:
    """``lines``, each its text and left edge, set from ``top`` down 14 pt
    apart (10 pt type's leading): where each line starts is all that differs."""
    return [glyphs(text, x, top + 14 * k) for k, (text, x) in enumerate(lines)]


def paragraphs(*lines: list[dict]) -> list[str]:
    rows = _rows(page(*lines), 1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))  # the longest line is full
    return [" ".join(_render(r.chars) for r in p.rows)
            for p in _page_paragraphs(rows, None, 1, defaultdict(lambda: block), 800.0, [])]


#: The text's line before a numbered example, at the margin.
OBSERVE = "observe the two ways boats are said to reach harbours, as illustrated in"
PROPORTIONAL = {"i": 0.28, "l": 0.28, "t": 0.33, "m": 0.83, "w": 0.72, "e": 0.44, "a": 0.5}


def mono(text: str, top: float, column: int = 0) -> list[dict]:
    """A listing's line in an 8 pt fixed-pitch face, 0.525 em a glyph."""
    return glyphs(" " * column + text, 50, top, size=8.0, letter=0.0, space=0.525,
                  font="Mono-Regular", widths=dict.fromkeys(text, 0.525))


def test_a_fixed_pitch_font_is_told_by_its_letters_widths():
    rows = _rows(page(glyphs("with a little time we will", 50, 100, widths=PROPORTIONAL),
                      mono("while time < limit:", 114), glyphs("2024 1999", 50, 128,
                                                             font="Figures")), 1)
    # figures alone are tabular in most faces: they say nothing
    assert _fixed_pitch([c for r in rows for c in r.chars]) == {"Mono-Regular"}


def test_a_listing_keeps_its_lines_indents_and_blank_lines():
    prose = dict(widths=PROPORTIONAL)
    lines = [glyphs("He kept the lamp's hours in a program of his own", 50, 100, **prose),
             mono("def lamp_hours(dusk, dawn):", 114), mono("if dawn < dusk:", 124, 4),
             mono("dawn += 24", 134, 8), mono("return dawn - dusk", 154, 4), mono("}", 164),
             glyphs("The inspectors praised the careful hand of the book", 50, 178, **prose)]
    rows = _rows(page(*lines), 3)
    fixed = _fixed_pitch([c for r in rows for c in r.chars])
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 3, defaultdict(lambda: block), 800.0, [], fixed)
    assert [p.kind for p in paras] == ["text", "code", "text"]
    doubts = []
    assert _line(paras[1], Vocabulary(["a few words"], "en"), doubts).text == (
        "def lamp_hours(dusk, dawn):\n    if dawn < dusk:\n        dawn += 24\n\n"
        "    return dawn - dusk\n}")
    assert not doubts


def test_a_glyph_without_unicode_is_reported_with_its_page_and_line():
    rows = _rows(page(glyphs(f"the word {UNMAPPED * 3} in Greek", 50, 100)), 7)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    para, = _page_paragraphs(rows, None, 7, defaultdict(lambda: block), 800.0, [])
    doubts = []
    _line(para, Vocabulary(["a few words"], "en"), doubts)
    assert [(d.line, d.confidence) for d in doubts] == [(7001, 0.0)]
    assert doubts[0].message.startswith("3 glyphs with no Unicode mapping")


def test_a_hanging_indent_goes_on_and_an_indent_opens_a_paragraph():
    bibliography = paragraphs(glyphs("Hale Ingrid, Meeting the Harbour Halfway", 50, 100),
                              glyphs("Currents and the Gatherings of Nettl", 65, 114),
                              glyphs("Durham, Dune, 2007.", 65, 128),
                              glyphs("Bellamy Rose, The lamplighter, Cambridge", 50, 142),
                              glyphs("MA, Harbor Press, 2013.", 65, 156))
    assert len(bibliography) == 2 and bibliography[1].startswith("Bellamy")
    # an entry's last line as full as the others: the line back at the margin opens the next
    full = paragraphs(glyphs("Vanderkamp Christine, Du phare a l'outre-horizon", 50, 100),
                      glyphs("Paris, Les Jetees, 1999, http://vanderkamp.example", 65, 114),
                      glyphs("Woods Clara, What is harbourage?, Philadelphia", 50, 128),
                      glyphs("University of Tidewater Press, 2010.", 65, 142))
    assert len(full) == 2 and full[1].startswith("Woods")
    prose = paragraphs(glyphs("The first paragraph of the chapter stan", 50, 100),
                       glyphs("ds flush and ends here.", 50, 114),
                       glyphs("An indented line opens the second one w", 65, 128),
                       glyphs("hose lines then go on at the margin.", 50, 142))
    assert len(prose) == 2 and prose[1].startswith("An indented")


def test_a_ragged_paragraphs_indented_first_line_goes_on_at_the_margin():
    """Text set ragged right with indented paragraphs (Tufte's): the first
    line stops short where the next word did not fit, and the next starts
    further left, at the margin, as every paragraph's second line does."""
    ragged = paragraphs(glyphs("A line of the text at the margin runs the measure in full", 50, 72),
                        glyphs("and its paragraph ends here.", 50, 86),
                        glyphs("The lamps along the quay were all lit an hour be-", 65, 100),
                        glyphs("fore the ferry came in from the outer islands.", 50, 114),
                        glyphs("A new paragraph stands in as the one before did.", 65, 128))
    assert ragged[1:] == ["The lamps along the quay were all lit an hour be- fore the ferry came in "
                          "from the outer islands.",
                          "A new paragraph stands in as the one before did."]


def test_an_items_lines_under_the_text_after_its_labels_go_on():
    # a numbered example set ragged: its second line stands under "When", past the labels;
    # "property" did not fit after "the", so the short line before it ends no paragraph
    example = paragraphs(
        glyphs(OBSERVE, 50, 100),
        *stacked(122, ("(1) a. When Marsh said he was meeting an old sailor for suppers, he", 55),
                 ("meant his father.", 85),
                 ("b. Wharfage means the fee of one boat to moor and empty the", 73),
                 ("property of another.", 85),
                 ("c. Bonjour means good days.", 73)),
        glyphs("We do not always row when everyone is in that weather and the wind", 60, 200))
    assert example == [
        OBSERVE,
        "(1) a. When Marsh said he was meeting an old sailor for suppers, he meant his father.",
        "b. Wharfage means the fee of one boat to moor and empty the property of another.",
        "c. Bonjour means good days.",
        "We do not always row when everyone is in that weather and the wind"]
    # an item's long line (like a quote's) does not take the next item, aligned with it, in;
    # a dialogue's speakers are labels too
    items = paragraphs(
        glyphs(OBSERVE, 50, 100),
        *stacked(122, ("c. My cousins are Maltese and my cousins are not Maltese anymore", 73),
                 ("d. Some/many sailors are Maltese and some/many others are not", 73),
                 ("Sicilian.", 85),
                 ("B1: Hold on a second. I saw no boat that evening disappearing west", 73),
                 ("completely.", 91)))
    assert items[1:] == ["c. My cousins are Maltese and my cousins are not Maltese anymore",
                         "d. Some/many sailors are Maltese and some/many others are not Sicilian.",
                         "B1: Hold on a second. I saw no boat that evening disappearing west "
                         "completely."]
    # a short line that ends a sentence, and had room for the next word, ends its item
    # when the next line opens with no bracket and no speaker (prose quoted in an example)
    prose = paragraphs(
        glyphs(OBSERVE, 50, 100),
        *stacked(122, ("(2) a. There is bread for you, he said.", 55),
                 ("I do not see which boat you mean, the girls said.", 85)))
    assert len(prose) == 3


def test_an_items_lines_under_the_text_after_an_angle_bullet_go_on():
    """Rule "bullets of any shape": a box of key ideas inset from both margins,
    its items a little apart, each opened by an angle bullet; an item's second
    line, under its text past the bullet, goes on."""
    items = paragraphs(glyphs(OBSERVE, 50, 100),
                       glyphs("\u203a A ledger is a long collection of entries divided into", 95, 124),
                       glyphs("days and one last summary.", 103, 138),
                       glyphs("\u25b8 The summary is meant to add up each of the days but", 95, 156),
                       glyphs("it may fail to.", 103, 170))
    assert items[1:] == [
        "\u203a A ledger is a long collection of entries divided into days and one last summary.",
        "\u25b8 The summary is meant to add up each of the days but it may fail to."]


def test_an_items_lines_broken_by_hand_go_on():
    # verse (a line stopping inside its sentence, the next further in), a dialogue's
    # turns and a comment in brackets: one item each, the lines short by hand
    verse = paragraphs(
        glyphs("weather rhymes can also carry fishermen's proverbs, as in (10).", 50, 100),
        *stacked(122, ("(10) The harbour's lamps won't burn", 52),
                 ("For the sailors or their sons,", 100),
                 ("And early or late the boat that runs", 85),
                 ("Is the one that sees the bay.", 100)),
        glyphs("Seaside proverbs might be used to speak of a particular harbourmaster", 50, 186))
    assert verse[1:] == ["(10) The harbour's lamps won't burn For the sailors or their sons, "
                         "And early or late the boat that runs Is the one that sees the bay.",
                         "Seaside proverbs might be used to speak of a particular harbourmaster"]
    dialogue = paragraphs(
        glyphs(OBSERVE, 50, 100),
        *stacked(122, ("(2) a. Baker: I have just sold our loaves.", 55),
                 ("Buyer: That is a shame.", 85),
                 ("(Smith 1991: 114)", 85),
                 ("b. Before Ann sailed to Malta, she had never seen a race.", 73),
                 ("(presupposes that Ann really sailed to Malta)", 85)))
    assert dialogue[1:] == ["(2) a. Baker: I have just sold our loaves. Buyer: That is a shame. "
                            "(Smith 1991: 114)",
                            "b. Before Ann sailed to Malta, she had never seen a race. "
                            "(presupposes that Ann really sailed to Malta)"]


def test_a_centred_title_under_a_numbered_display_is_no_line_of_its_item():
    """Rule "a centred title under a display": a paper's section heading set
    centred under a numbered display (which stops inside no sentence) opens
    a paragraph of its own; verse under an item's text still goes on."""
    text = glyphs(OBSERVE, 50, 100)
    right = max(g["x1"] for g in text)
    title = glyphs("B. Tide Tables", 0, 136)
    width = title[-1]["x1"] - title[0]["x0"]
    centred = glyphs("B. Tide Tables", 50 + (right - 50 - width) / 2, 136)
    found = paragraphs(text, *stacked(122, ("(12) the sum of the tides over n days", 52)),
                       centred, glyphs("Tables of the tides are printed for each harbour", 50, 158))
    assert found[1:] == ["(12) the sum of the tides over n days", "B. Tide Tables",
                         "Tables of the tides are printed for each harbour"]


def test_an_interlinear_gloss_and_its_translations_are_one_example():
    # the gloss's words start under the words they gloss; the short lines are broken by hand
    example = paragraphs(
        glyphs(OBSERVE, 50, 100),
        glyphs("(2) a. Ka", 55, 122) + glyphs("mori", 115, 122) + glyphs("te", 150, 122)
        + glyphs("sun?", 175, 122),
        glyphs("you", 85, 136) + glyphs("see", 115, 136) + glyphs("well", 150, 136)
        + glyphs("now.not", 175, 136),
        glyphs("'Have you slept soundly?'", 85, 150),
        glyphs("Conventional: a welcome.", 85, 164),
        glyphs("The ordinary sense of the question is a request for instructions, and", 60, 186))
    assert example[1:] == ["(2) a. Ka mori te sun? you see well now.not 'Have you slept soundly?' "
                           "Conventional: a welcome.",
                           "The ordinary sense of the question is a request for instructions, and"]


def test_a_display_line_opening_with_a_quotation_mark_hangs_it_and_goes_on():
    # set apart below the text; "means" stands 0.12 em right of the hung quotation mark
    display = paragraphs(
        glyphs("compare this with the following brief conversations", 50, 100),
        *stacked(122, ("“When I sail a boat,” the keeper said, in a somewhat haughty voice", 76.8),
                 ("goes just where I choose it to sail, not an inch further.”", 78),
                 ("“The doubt is,” said Maren, “whether you can make the boats", 76.8),
                 ("go to many different harbours.”", 78)))
    # a line short of the display's own right edge (not the text's) ends its paragraph
    assert len(display) == 3 and display[1].endswith("not an inch further.”")


def test_a_dialogues_turn_opens_after_a_full_line_that_ends_a_sentence():
    """Rule "dialogue turn": a display's lines all start at one place, so a
    turn opening with a quotation mark after a line closing a sentence is a
    paragraph however full that line; inside a sentence, it goes on."""
    def display(end: str) -> list[str]:
        return paragraphs(
            glyphs("compare this with the following brief conversations, set apart", 50, 100),
            glyphs("“But ‘sail’ doesn’t mean ‘a long and dangerous voyage’,” Maren" + end,
                   76.8, 122),
            glyphs("“When I sail a boat,” the keeper said, in a rather haughty voice, “it",
                   76.8, 136),
            glyphs("goes just where I choose.”", 78, 150))
    assert display(" objected.")[1:] == [
        "“But ‘sail’ doesn’t mean ‘a long and dangerous voyage’,” Maren objected.",
        "“When I sail a boat,” the keeper said, in a rather haughty voice, “it goes just where "
        "I choose.”"]
    assert len(display(" said,")) == 2


def test_a_glyph_its_font_maps_to_nothing_is_reported(tmp_path):
    # code 0x81 has no glyph in Helvetica's standard encoding: PDFium gives the code itself
    pdf = _pdf(tmp_path / "book.pdf",
               [b"BT /F1 12 Tf 72 720 Td (The keeper lit the lamp at dusk \x81 and waited.) Tj ET"])
    source = read_pdf_source(pdf)
    assert UNMAPPED in source.lines[0].text and "(cid" not in source.lines[0].text
    assert [d.message.split(" with")[0] for d in source.doubts] == ["1 glyph"]


def test_a_q_as_wide_as_two_letters_is_the_qu_ligature(tmp_path):
    """Rule "qu ligature": a font whose "q" (its code's ToUnicode) advances
    1.04 em, as Libertinus's q-u ligature of small capitals does, reads "qu";
    a q of a letter's width, or one the "u" follows, stays itself."""
    def line(q_width: int, text: bytes) -> str:
        widths = b" ".join(b"%d" % q_width if c == ord("q") else b"556" for c in range(97, 123))
        pdf = _pdf(tmp_path / f"q{q_width}.pdf", [b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text],
                   font=b"/BaseFont /Helvetica /FirstChar 97 /LastChar 122 /Widths [%s]" % widths)
        return read_pdf_source(pdf).lines[0].text
    assert line(1040, b"all reqests were heard") == "all requests were heard"
    assert line(556, b"the qanat of Iraq") == "the qanat of Iraq"
    assert line(1040, b"a quiet lamp") == "a quiet lamp"


def cff_program(encoding: dict[int, str]) -> bytes:
    """A CFF font program of empty glyphs with its own ``encoding``."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    names = [".notdef", *encoding.values()]
    builder.setupGlyphOrder(names)
    builder.setupCFF("Sym", {"FullName": "Sym"},
                     {n: T2CharStringPen(500, None).getCharString() for n in names}, {})
    cff = builder.font["CFF "].cff
    cff.topDictIndex[0].Encoding = [encoding.get(code, ".notdef") for code in range(256)]
    out = io.BytesIO()
    cff.compile(out, builder.font)
    return out.getvalue()


def test_a_glyph_the_unicode_table_leaves_out_is_read_by_its_name(tmp_path):
    # the font embeds a CFF program (FontFile3) whose own encoding names the glyph
    data = cff_program({18: "reflexsubset"})
    pdf = _pdf(tmp_path / "sym.pdf", [b"BT /F1 12 Tf 72 720 Td (A \x12 B is a subset) Tj ET"],
               font=b"/BaseFont /Sym /FontDescriptor 6 0 R",
               extra=(b"<< /Type /FontDescriptor /FontName /Sym /Flags 4 /FontBBox [0 0 1000 1000] "
                      b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 "
                      b"/FontFile3 7 0 R >>",
                      b"<< /Length %d /Subtype /Type1C >>\nstream\n" % len(data) + data
                      + b"\nendstream"))
    assert "⊆" in read_pdf_source(pdf).lines[0].text


def test_a_composite_fonts_glyphs_without_unicode_are_read_from_its_program(tmp_path):
    """Rule "glyph names": a Type0 font (Identity-H) without a ToUnicode map;
    its embedded TrueType program gives a glyph a character by its own cmap
    or by its name ("uni03B2", "gamma.sc"); one named by a number stays
    unmapped, and is reported."""
    names = [".notdef", "space", "T", "h", "e", "alpha", "uni03B2", "gamma.sc", "glyph8"]
    data = box_program(names, {0x20: "space", 0x54: "T", 0x68: "h", 0x65: "e", 0x3B1: "alpha"},
                       "Inv", 40)
    pdf = identity_pdf(tmp_path / "inv.pdf", "Inv", data, [names.index(n) for n in [
        "T", "h", "e", "space", "alpha", "uni03B2", "gamma.sc", "space", "glyph8"]])
    source = read_pdf_source(pdf)
    assert source.lines[0].text == f"The αβγ {UNMAPPED}"
    assert [d.message.split(" with")[0] for d in source.doubts] == ["1 glyph"]


def test_a_framed_boxs_edge_is_no_rule_over_notes():
    """Rule "framed box": a box of key ideas, its bottom edge as short as a
    rule over notes, leaves the lines below it in the text; a rule under it
    still opens the notes."""
    def stroke(x0: float, x1: float, top: float, bottom: float) -> dict:
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom}

    box = [stroke(124, 422, 150, 150.8), stroke(124, 422, 260, 260.8),  # top and bottom
           stroke(124, 124.8, 150, 260.8), stroke(421.2, 422, 150, 260.8)]  # its sides
    assert _rule(box, 709, 499) is None
    assert _rule([*box, stroke(98, 238, 600, 600.4)], 709, 499) == 600


def test_a_short_line_over_text_of_the_texts_size_opens_no_notes():
    """Rule "notes set small": a short line drawn under a line of the text (a
    blank to fill in, a table's rule) with text of the text's size below it
    leaves that text in the text; one over smaller type opens the notes."""
    def kinds(foot_size: float) -> list[str]:
        rows = _rows(page(glyphs(OBSERVE, 50, 100), glyphs("1.2 A heading further down", 50, 130),
                          glyphs("1 A line set under the short line drawn", 50, 150, foot_size)), 1)
        block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
        return [p.kind for p in _page_paragraphs(rows, 145.0, 1, {0: block, 1: block}, 800.0, [])]

    assert kinds(SIZE) == ["text", "text", "text"]
    assert kinds(0.8 * SIZE) == ["text", "text", "note"]


def test_note_labels_hung_in_a_column_of_their_own_open_their_notes():
    def notes_page(label_x: float) -> list:
        """8 pt notes under a rule, their 4.8 pt labels in a column at ``label_x``."""
        return [glyphs("later, and nobody had to turn anything over to find it.", 57.6, 440),
                glyphs("1", label_x, 481.2, size=4.8),
                glyphs("The practice is older than", 70.4, 481.8, size=8),
                glyphs("see it once it has become a habit.", 70.4, 491.5, size=8),
                glyphs("2", label_x, 500.2, size=4.8),
                glyphs("A later hand often corrected", 70.4, 500.7, size=8)]

    # 1.3 em left of their lines, the labels are raised on them
    rows = _rows(page(*notes_page(57.6)), 7)
    assert len(rows) == 4 and rows[1].chars[0].raised and rows[3].chars[0].raised
    # further left, each is a line of its own, and no reference wrapped onto a line
    for label_x in (57.6, 48.0):
        rows = _rows(page(*notes_page(label_x)), 7)
        block = _Block(SIZE, 57.6, max(r.x1 for r in rows))
        paras = _page_paragraphs(rows, 470.0, 7, defaultdict(lambda: block), 800.0, [])
        assert [(p.kind, p.label) for p in paras] == [("text", None), ("note", "1"), ("note", "2")]
        assert _render(paras[1].rows[-1].chars) == "see it once it has become a habit."


def test_a_notes_line_opening_with_a_number_out_of_order_goes_on_with_its_note():
    # numbered notes set "35." on the line: a line of a note may open with a page or a year
    first = _notes(_rows(page(glyphs("35. Cf. Berti, Il faro della serenissima, dans", 50, 700),
                              glyphs("Genova, Marinaio, 2019 ; Rossi, Onde-e-scogliere", 50, 712)),
                         1), 1, [], [])
    second = _notes(_rows(page(glyphs("9 febbraio 2010, Porto di Marena, 2012.", 50, 700),
                               glyphs("36. Je dois bien beaucoup a deux articles, foglio", 50, 712),
                               glyphs("228 di Livorno, Porticello Editore, 2019.", 50, 724),
                               glyphs("1. A count starting again on a new chapter's page.", 50, 736)),
                          2), 2, first, [])
    assert [n.label for n in first + second] == ["35", "36", "1"]
    assert " ".join(_render(r.chars) for r in first[0].rows).endswith("Porto di Marena, 2012.")
    assert _render(second[0].rows[-1].chars) == "228 di Livorno, Porticello Editore, 2019."


def test_a_headings_number_alone_on_its_first_line_goes_on_with_its_title():
    title = paragraphs(glyphs("46.", 50, 60, size=16.0),
                       glyphs("Internationale gouvernement", 50, 80, size=16.0),
                       glyphs("The text of the chapter opens under its title and goes on", 60, 120))
    assert title[0] == "46. Internationale gouvernement" and len(title) == 2
    # a short line of a title that is no number stays apart, as on a title page
    front = paragraphs(glyphs("Notes", 50, 60, size=16.0),
                       glyphs("from the Margin of the Northern Lights", 50, 80, size=16.0),
                       glyphs("The text of the chapter opens under its title and goes on", 60, 120))
    assert front[:2] == ["Notes", "from the Margin of the Northern Lights"]


def test_a_title_mixing_faces_goes_on_over_its_lines():
    """Rule "a title mixing faces": a long title whose first line sets one
    name in a second family scaled a few per cent larger goes on with its
    second line, set in the title's own face and size."""
    serif, sans = 17.2, 17.7
    first = [*glyphs("Basic Moves for", 50, 60, size=serif, font="Serif-Bold"),
             *glyphs("Harbours", 190, 60, size=sans, font="Sans-Bold"),
             *glyphs(": Moves with", 261, 60, size=serif, font="Serif-Bold")]
    title = paragraphs(first, glyphs("Tides", 50, 84, size=serif, font="Serif-Bold"),
                       glyphs("The text of the chapter opens under its title and goes on", 60, 120))
    assert title[0] == "Basic Moves for Harbours: Moves with Tides" and len(title) == 2
    # lines set at sizes of their own, most of their letters apart, stay apart
    apart = paragraphs(glyphs("Basic Moves for Harbours and Moves", 50, 60, size=sans,
                              font="Serif-Bold"),
                       glyphs("Tides", 50, 84, size=serif, font="Serif-Bold"),
                       glyphs("The text of the chapter opens under its title and goes on", 60, 120))
    assert apart[:2] == ["Basic Moves for Harbours and Moves", "Tides"]


def _kinds(lines: list[list[dict]], strokes: list[dict]) -> list[tuple[str, str]]:
    rows = _rows(page(*lines), 1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 1, defaultdict(lambda: block), 800.0, [],
                             drawn=drawn_boxes(strokes, 500.0))
    return [(p.kind, " ".join(_render(r.chars) for r in p.rows)) for p in paras]


def test_a_framed_box_s_bold_title_is_no_heading():
    """Rule "a framed box's title": a bold line of the text's size opening a
    drawn box (a rectangle, or a top edge with its sides) is the box's text;
    the same line with no box, or a band drawn behind it alone, is a heading."""
    box = [glyphs("Things to Remember", 60, 110, font="Serif-Bold"),
           glyphs("Lamps are trimmed at dusk and the log is kept each night.", 60, 124)]
    rectangle = [{"x0": 55.0, "x1": 360.0, "top": 105.0, "bottom": 140.0}]
    edges = [{"x0": 55.0, "x1": 360.0, "top": 105.0, "bottom": 105.5},
             {"x0": 55.0, "x1": 55.5, "top": 105.0, "bottom": 140.0}]
    band = [{"x0": 55.0, "x1": 360.0, "top": 108.0, "bottom": 121.0}]
    for strokes in (rectangle, edges):
        assert _kinds(box, strokes)[0] == ("text", "Things to Remember")
    for strokes in ([], band):
        assert _kinds(box, strokes)[0] == ("heading", "Things to Remember")


def _described(*lines: list[dict]) -> list[tuple[str | None, str]]:
    rows = _rows(page(*lines), 1)
    block = _Block(SIZE, 50.0, 330.0)
    paras = _page_paragraphs(rows, None, 1, defaultdict(lambda: block), 800.0, [])
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    return [(line.kind, line.text)
            for line in _lines(_description_lists(paras, frozenset(), block.gap), vocabulary, [])]


def test_a_description_list_s_terms_stand_apart_from_their_text():
    """Rule "description list": paragraphs in a row opening with a bold term,
    the terms one under another, are items: each term a line of its own, its
    text after it with the hanging line under it; written as Markdown's
    definition list."""
    # LaTeX's description: the text half an em (\labelsep) after the term
    items = _described(glyphs("The watch keeps these words:", 50, 100),
                       [*glyphs("Lantern", 60, 122, font="Serif-Bold"),
                        *glyphs("a light hung at the masthead for the", 100, 122)],
                       glyphs("watch, trimmed at dusk.", 80, 134),
                       [*glyphs("Beacon", 60, 156, font="Serif-Bold"),
                        *glyphs("a fire on the headland.", 95, 156)])
    assert items == [("text", "The watch keeps these words:"), ("term", "Lantern"),
                     ("text", "a light hung at the masthead for the watch, trimmed at dusk."),
                     ("term", "Beacon"), ("text", "a fire on the headland.")]
    chapter = Chapter("Words", 1, blocks=[Block(kind, text, n) for n, (kind, text)
                                          in enumerate(items[1:3])])
    assert "Lantern\n:   a light hung" in chapter_markdown(chapter).text
    # one paragraph opening in bold, a bold item letter, a table's row: no list
    alone = _described([*glyphs("Lantern", 60, 122, font="Serif-Bold"),
                        *glyphs("a light hung at the masthead.", 100, 122)],
                       glyphs("The watch keeps it trimmed at dusk and lights it.", 50, 144))
    lettered = _described(*[[*glyphs(label, 60, top, font="Serif-Bold"),
                             *glyphs("a light hung at the masthead.", 90, top)]
                            for label, top in (("A.", 122), ("B.", 144))])
    table = _described(*[[*glyphs(name, 60, top, font="Serif-Bold"),
                          *glyphs("12 14 lamps", 110, top)]
                         for name, top in (("Small", 122), ("Large", 144))])
    assert all(kind == "text" for kind, _ in alone + lettered + table)


def test_a_chapter_number_set_large_over_its_title_goes_on_with_it():
    """Rule "chapter number over its title" (a display chapter head): the
    number alone, larger than its title and set apart above it, in italics,
    is the heading's first word, not emphasis."""
    rows = _rows(page(glyphs("2", 50, 60, size=40.0, font="Serif-Italic"),
                      glyphs("Valid Arguments", 50, 130, size=17.0),
                      glyphs("The text of the chapter opens under its title and goes on", 60, 180)), 1)
    block = _Block(SIZE, 50.0, max(r.x1 for r in rows))
    paras = _page_paragraphs(rows, None, 1, {0: block, 1: block}, 800.0, [])
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    assert [_line(p, vocabulary, []).text for p in paras][:1] == ["2 Valid Arguments"]
    assert len(paras) == 2


def test_centred_lines_of_a_caption_go_on():
    caption = paragraphs(glyphs("The practice is older than any surviving manuscript that", 50, 100),
                         glyphs("A page with a block of text, a thin rule, and three", 60, 130),
                         glyphs("short notes", 150, 142),
                         glyphs("Closing words of a text set at the margin of the page", 50, 170))
    assert caption[1] == "A page with a block of text, a thin rule, and three short notes"
    # the lines of a list differ a little in length, their middles a little apart: no caption
    items = paragraphs(glyphs("Some examples of such boats are presented in the next list", 50, 100),
                       glyphs("a. The schooner has numerous masts and is", 60, 122),
                       glyphs("b. Sloops sail against headwinds.", 80, 136))
    assert len(items) == 3


def test_a_figures_caption_does_not_cut_the_paragraph_the_figure_stands_in():
    block = _Block(SIZE, 50.0, 300.0)
    blocks = defaultdict(lambda: block)
    first = _rows(page(glyphs("The encoding of the two lines with the package, which", 50, 700)), 1)
    before = _page_paragraphs(first, None, 1, blocks, 800.0, [])
    image = {"x0": 60.0, "x1": 290.0, "top": 80.0, "bottom": 190.0}
    second = _rows(page(glyphs("Figure 1 - ekdosis", 130, 205),  # centred under the image
                        glyphs("(LaTeX)", 157, 217),  # its second line
                        glyphs("produces two outputs once it is compiled.", 50, 240)), 2)
    paras = _page_paragraphs(second, None, 2, blocks, 800.0, before, images=[image])
    assert [(" ".join(_render(r.chars) for r in p.rows), p.floating) for p in paras] \
        == [("Figure 1 - ekdosis (LaTeX)", True)]
    assert _render(before[0].rows[-1].chars) == "produces two outputs once it is compiled."


def test_a_quote_cut_by_a_page_break_goes_on_at_its_own_indent():
    block = _Block(SIZE, 50.0, 320.0)
    blocks = defaultdict(lambda: block)
    first = _rows(page(glyphs("The text before the quote runs the full width of the page", 50, 660),
                       glyphs("here is the quote, standing in from both ends", 80, 682),
                       glyphs("of the text, it opposes the fantasy of fanta-", 80, 696)), 1)
    before = _page_paragraphs(first, None, 1, blocks, 800.0, [])
    second = _rows(page(glyphs("sies of harbourage and breakwaters, as it is", 80, 100),
                        glyphs("from humanism itself.", 80, 114),
                        glyphs("The text goes on below the quote at the margin of the page now",
                               50, 136)), 2)
    paras = _page_paragraphs(second, None, 2, blocks, 800.0, before)
    assert [_render(r.chars) for r in before[1].rows] == [
        "here is the quote, standing in from both ends",
        "of the text, it opposes the fantasy of fanta-",
        "sies of harbourage and breakwaters, as it is", "from humanism itself."]
    assert len(paras) == 1


def test_an_entry_back_at_the_margin_after_a_page_break_opens_the_next():
    # a bibliography's entry cut by the page break goes on at its hanging indent; the
    # next entry, back at the margin, opens its own however full the line before
    block = _Block(SIZE, 50.0, 327.0)
    blocks = defaultdict(lambda: block)
    first = _rows(page(glyphs("Marsh Edwin, How we keep notes, in Harbour Quarterly, 1952,", 50, 660),
                       glyphs("http://www.harbourquarterly.example/archive/1952/03/", 65, 674),
                       glyphs("Lindqvist Maren, Edition savante avec le programme folios", 50, 688)),
                  1)
    before = _page_paragraphs(first, None, 1, blocks, 800.0, [])
    second = _rows(page(glyphs("pour LuaLaTeX, dans Lettres lointaines, n. 172, 2019 a b", 65, 100),
                        glyphs("Orsini Paolo, Le jardin des phares, dans Terre Ouverte, 1", 50, 114),
                        glyphs("n. 18, 1974.", 65, 128)), 2)
    paras = _page_paragraphs(second, None, 2, blocks, 800.0, before)
    assert len(before[-1].rows) == 2
    assert [" ".join(_render(r.chars) for r in p.rows) for p in paras] == [
        "Orsini Paolo, Le jardin des phares, dans Terre Ouverte, 1 n. 18, 1974."]


def test_italic_and_bold_are_read_from_the_font_descriptor():
    fonts = [Font("AB+LinLibertine_R_B", 6, 0.0, -0.25, True),
             Font("AC+LinLibertine_RI_B", 70, -12.0, -0.25, True),
             Font("AD+LinLibertine_RZ_B", 262150, 0.0, -0.25, True),
             Font("AE+Arimo-Bold", 0, 0.0, -0.21, True)]
    assert [_font_style(font) for font in fonts] == [(False, False), (True, False),
                                                    (False, True), (False, True)]


def test_a_web_address_cut_at_a_line_end_goes_on_whole():
    vocabulary = Vocabulary(["a few words of English text here"], "en")
    assert join("https://doi.org/10.1000/1.", "2345678, consulté", vocabulary)[0] \
        == "https://doi.org/10.1000/1.2345678, consulté"
    assert join("see https://pale.green/editions/carnet-des-", "longues-nuits now",
                vocabulary)[0] == "see https://pale.green/editions/carnet-des-longues-nuits now"
    assert join("at https://ctan.org/pkg/folios.", "The next sentence", vocabulary)[0] \
        == "at https://ctan.org/pkg/folios. The next sentence"
    assert join("Port Public, http:", "//www.port-public.example/article2042.html", vocabulary)[0] \
        == "Port Public, http://www.port-public.example/article2042.html"
    assert join("Harbour, 2011, https://", "doi.org/10.1000/9780000000017.", vocabulary)[0] \
        == "Harbour, 2011, https://doi.org/10.1000/9780000000017."
    assert join("the scheme http:", "the next words", vocabulary)[0] \
        == "the scheme http: the next words"


def test_a_fixed_pitch_run_in_a_line_of_prose_is_code():
    """Rule "inline code": glyphs of a fixed-pitch font in a line of prose
    (``\\texttt``) are code, written in backticks so that Pandoc reads no
    quotation or emphasis into them; a whole web address so set is a link."""
    prose = {ch: 0.3 + 0.02 * (ord(ch) % 11) for ch in "abcdefghijklmnopqrstuvwxyz"}
    line = page(glyphs("un", 50, 100, widths=prose),
                glyphs('<span id="1">*x*</span>', 66, 100, font="Mono"),
                glyphs("auquel voir", 204, 100, widths=prose),
                glyphs("https://example.org/a", 250, 100, font="Mono"))
    rows = _rows(line, 1)
    assert _fixed_pitch(rows[0].chars) == {"Mono"}
    rendered = _render(rows[0].chars, fixed=frozenset({"Mono"}))
    assert inline_markdown(rendered) == 'un `<span id="1">*x*</span>` auquel voir ' \
        "<https://example.org/a>"
    assert _render(rows[0].chars) == 'un <span id="1">*x*</span> auquel voir https://example.org/a'
    # a book whose prose is set in a typewriter face has no inline code
    assert _inline_code_fonts(rows, frozenset({"Mono"})) == {"Mono"}
    typed = _rows(page(glyphs("a line of prose", 50, 100, font="Mono"),
                       glyphs("and another", 50, 114, font="Mono"), line), 1)
    assert _inline_code_fonts(typed, frozenset({"Mono"})) == frozenset()
    # a line cut inside code goes on in the same code
    assert join(f"voir {CODE_OPEN}https://example.org/{CODE_CLOSE}",
                f"{CODE_OPEN}a/b{CODE_CLOSE}.", Vocabulary(["a few words"], "en"))[0] \
        == f"voir {CODE_OPEN}https://example.org/a/b{CODE_CLOSE}."


def test_an_address_in_the_prose_face_is_hyphenated_as_words_are():
    """Rule "address in the prose face": where a book sets web addresses as
    code (the url package, which adds no hyphen), one in the prose face was
    hyphenated by the typesetter; in code the hyphen is the address's own."""
    prose = {ch: 0.3 + 0.02 * (ord(ch) % 11) for ch in "abcdefghijklmnopqrstuvwxyz"}
    rows = _rows(page(glyphs("voir", 50, 100, widths=prose),
                      glyphs("https://example.org/a", 90, 100, font="Mono")), 1)
    assert _addresses_as_code(rows, frozenset({"Mono"}))
    assert not _addresses_as_code(rows, frozenset())
    lines = ["la marée du soir revient sur le sable de la baie"]
    coded = Vocabulary(lines, "fr", addresses_as_code=True)
    assert join("voir https://blog.example.org/annaberthelot-", "moreau/la-maree", coded)[0] \
        == "voir https://blog.example.org/annaberthelotmoreau/la-maree"
    assert join(f"voir {CODE_OPEN}https://blog.example.org/annaberthelot-{CODE_CLOSE}",
                f"{CODE_OPEN}moreau/{CODE_CLOSE}", coded)[0] \
        == f"voir {CODE_OPEN}https://blog.example.org/annaberthelot-moreau/{CODE_CLOSE}"
    # a book that sets no address as code: every address is the url package's
    assert join("voir https://blog.example.org/annaberthelot-", "moreau/la-maree",
                Vocabulary(lines, "fr"))[0] \
        == "voir https://blog.example.org/annaberthelot-moreau/la-maree"


def test_a_word_gap_pdfium_saw_after_a_reference_is_a_space():
    """A raised reference, then the next word closer than a script's space
    (a tight justified line): PDFium's own word gap there says a space."""
    from dataclasses import replace

    from bookbuild.importer.pdfsource import _Char, _spaced
    mark = _Char("1", 89.6, 92.4, 133.4, 139.4, 6.0, False, False, raised=True)
    word = _Char("a", 94.3, 99.1, 133.9, 143.9, 10.0, True, False)
    assert not _spaced(mark, word, 0.0)
    assert _spaced(mark, replace(word, spaced=True), 0.0)



def accent(mark: str, over: dict, rise: float = 0.0) -> dict:
    """A spacing accent drawn as a glyph of its own (TeX's ``\\accent`` in an
    OT1 font), its box within the letter ``over``'s and ``rise`` higher."""
    return {**over, "text": mark, "x0": over["x0"] + 0.3, "x1": over["x1"] - 0.3,
            "top": over["top"] - rise, "bottom": over["bottom"] - rise}


def test_an_accent_drawn_over_its_letter_is_one_character_with_it():
    # "für": the diaeresis drawn after its "u", over it (TeX's order)
    word = glyphs("fur die", 50, 100)
    assert text_of(word[:2] + [accent("\u00a8", word[1])] + word[2:]) == ["für die"]
    # drawn before its letter (its box starts further left), over a capital, higher
    heading = glyphs("Ubergange", 50, 100, font="Serif-Bold")
    umlauts = [accent("\u00a8", heading[0], rise=2.5), accent("\u00a8", heading[5])]
    umlauts[1]["x0"] -= 0.6  # left of its letter's box, its middle over it
    assert text_of(umlauts + heading) == ["Übergänge"]
    # an acute over a dotless i, a cedilla under its c
    latin = glyphs("\u0131nfimo cao", 50, 100)
    latin += [accent("\u00b4", latin[0]), accent("\u00b8", latin[6], rise=-1.0)]
    assert text_of(latin) == ["ínfimo çao"]
    # a grave accent beside the letters, over none, is a character of its own
    assert text_of(glyphs("say `yes", 50, 100)) == ["say `yes"]


def test_a_logos_raised_letter_is_part_of_its_word_not_a_reference():
    # "LaTeX": a small "A" raised and kerned into the "L" and the "T"
    line = glyphs("the L", 50, 100) + glyphs("A", 71.5, 99, size=0.7 * SIZE) \
        + glyphs("TEX class", 74.5, 100)
    rendered = text_of(line)
    assert rendered == ["the LATEX class"] and not refs(rendered[0])
    # a raised letter after its word, a space after it, is a note's reference
    noted = glyphs("the mast", 50, 100) + glyphs("a", 90, 98, size=0.66 * SIZE) \
        + glyphs(" broke", 93.3, 100)
    assert refs(text_of(noted)[0]) == ["a"]


def test_a_logos_mirrored_letter_is_read_in_its_word_and_a_turned_one_is_not(tmp_path):
    """Rule "mirrored letter": the XeTeX logo's reversed E, drawn right to left
    from its origin (a text matrix of -1 0 0 1), is the letter between its
    neighbours; a glyph turned on its side (a table's rotated heading) is no text."""
    # Helvetica's X and E advance 0.667 em: 8 points at 12
    shown = (b"BT /F1 12 Tf 72 720 Td (the X) Tj ET BT /F1 12 Tf -1 0 0 1 %.2f 720 Tm (E) Tj ET "
             b"BT /F1 12 Tf %.2f 720 Td (LTEX logo) Tj ET BT /F1 12 Tf 0 1 -1 0 300 700 Tm (Side) "
             b"Tj ET")
    x = 72 + (0.278 + 0.556 + 0.556 + 0.278 + 0.667) * 12  # after "the X": t h e, a space, X
    pdf = _pdf(tmp_path / "logo.pdf", [shown % (x + 8, x + 8)])
    assert [line.text for line in read_pdf_source(pdf).lines] == ["the XELTEX logo"]


def test_a_smaller_face_among_a_lines_text_and_symbols_stays_on_its_line():
    """Rule "a smaller face on the line": a command's name in typewriter type
    a size down, its argument in italics between angle brackets of a symbol
    font, whose glyphs stand on the baseline itself (no descent): one line,
    and the typewriter's closing bracket no subscript."""
    def mono(text: str, x: float) -> list[dict]:
        return glyphs(text, x, 121.4, size=7.6, font="Mono-Regular")

    def angle(text: str, x: float) -> list[dict]:
        return glyphs(text, x, 117.9, size=9.3, font="Symbols-Regular", widths={text: 0.4})

    line = mono("\\command[", 84.0) + angle("\u27e8", 118.3) \
        + glyphs("number", 122.1, 121.1, size=9.0, font="Serif-Italic") \
        + angle("\u27e9", 149.2) + mono("]", 153.0)
    assert [t.translate({ord(EM_OPEN): None, ord(EM_CLOSE): None}) for t in text_of(line)] \
        == ["\\command[\u27e8number\u27e9]"]


def test_a_capitals_advance_is_not_its_kerned_steps():
    from collections import Counter

    from bookbuild.importer.glyphclasses import advance
    # an italic "T" kerned with most letters after it ("To", "Te"), not with "h"
    assert advance(Counter({0.5: 7, 0.611: 6, 0.48: 1})) == 0.611
    # a letter most pairs do not kern: its common step; a word's step further is none
    assert advance(Counter({0.31: 9, 0.29: 2, 0.52: 5})) == 0.31


def test_letter_spaced_capitals_in_a_line_of_text_keep_their_words():
    # capitals 0.2 em apart, their words 0.55 em, in a line whose letters touch
    line = glyphs("strings of", 50, 100) \
        + glyphs("FULL CAPITAL LETTERS", 105, 100, letter=0.2, space=0.55) \
        + glyphs(" or small", 237, 100)
    assert text_of(line) == ["strings of FULL CAPITAL LETTERS or small"]
    # a sign set against a run's letters is spaced as they are
    named = glyphs("by", 50, 100) + glyphs("EDWARD R. TUFTE", 63, 100, letter=0.2, space=0.55) \
        + glyphs(" in", 166, 100)
    assert text_of(named) == ["by EDWARD R. TUFTE in"]
    # a formula's signs set apart are no letters: each a word of its own
    signs = glyphs("formula (15)", 50, 100) + glyphs("\u2228\u2227 \u2227\u2228", 113, 100,
                                                      letter=0.2, space=0.55)
    assert text_of(signs) == ["formula (15) \u2228 \u2227 \u2227 \u2228"]
    # single letters a word space apart are words, and so are a table's cells
    assert text_of(glyphs("the sets a b c d are", 50, 100)) == ["the sets a b c d are"]
    assert text_of(glyphs("Font size 5 6 7 8", 50, 100, space=2.0)) == ["Font size 5 6 7 8"]


def test_a_closing_quotation_mark_lowered_to_the_baseline_opens_a_german_quote():
    # german.sty in an OT1 font: "„" is a "”" set 0.59 em low, in no line of its own
    line = glyphs("Die \u201cschönen\u201d Zeichen", 50, 100)
    low = {**line[3], "text": "\u201d", "top": 105.9, "bottom": 115.9}
    opening = glyphs("\u201dWort\u201c sagt er", 50, 100)
    opening[0] = {**opening[0], "top": 105.9, "bottom": 115.9}
    assert text_of(line[:3] + [low] + line[4:]) == ["Die \u201eschönen\u201d Zeichen"]
    assert text_of(opening) == ["\u201eWort\u201c sagt er"]
    # one at the line's own baseline stays a closing mark
    assert text_of(glyphs("er sagt \u201dja\u201d", 50, 100)) == ["er sagt \u201dja\u201d"]


def test_an_arrow_over_a_letter_set_in_the_gap_between_lines_is_part_of_the_line_below():
    """Rule "arrows over letters": a vector's arrow (a minus and an
    arrowhead, as TeX builds a long one) over a letter of a widely spaced
    line reaches down into that line: no line of its own, so no paragraph
    ends there; one that reaches no line below stays apart."""
    def lines(arrow_top: float) -> list[str]:
        rows = _rows(page(glyphs("the sphere turns on its own axis and", 50, 100),
                          glyphs("−→", 120, arrow_top, space=0.0, letter=-0.5),
                          glyphs("so its moment L points along it", 50, 115)), 1)
        return [_render(r.chars) for r in rows]
    joined = lines(109)
    assert len(joined) == 2 and "→" in joined[1]
    assert len(lines(140)) == 3  # under the last line: no line to reach down into
