"""Where a book's parts and chapters start, from the book's own evidence.

In order of trust: the PDF's outline (bookmarks), else the contents list
wherever it stands (before the text or after it; title and page on one line
with a tab, spaces or dot leaders between, or, as a text extraction of a
contents page in columns gives it, label, title and page on lines of their
own), else the headings the text shows by their form (a PDF's type size,
"Chapter 3", chapters numbered 1, 2, 3 in order), else the whole text as one
chapter. A contents entry is found by its title, or (a short title, the
heading printing a longer one) by its page number, on the page printing
that folio. Which of these decided is said in the report. A part is told by
its label (an upper-case Roman numeral, a word for "part") or, in an
outline, by chapters numbered through beneath it or by its page standing
alone (``partpages``); sections ("2.1") are no chapters; the contents page
itself is never one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .chapterlabel import is_label
from .folios import Folios, printing_page, roman
from .frontwords import WORDS, any_of
from .inline import REF_CLOSE, REF_OPEN, plain
from .partpages import lone_pages, only_groups, stands_alone
from .pdfread import UNMAPPED
from .source import (CONTENTS_ENTRY, SECTION_LABEL, TERMINAL, Bookmark, Line, normalise_title,
                     page_of)

#: "1", "12": a chapter's number; "I", "IV": a part's (a section's: ``SECTION_LABEL``).
CHAPTER_LABEL = re.compile(r"^(?P<n>\d{1,3})\.?\s+(?P<title>\S.*)$")
PART_LABEL = re.compile(r"^(?P<n>[IVXL]{1,6})\.?\s+(?P<title>\S.*)$")
#: A page number alone on its line, Arabic or lower-case Roman.
PAGE = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,7})$")
#: A label alone on its line, as a contents page set in columns extracts.
LABEL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6})\.?$")
#: Dot leaders with no page after them (the page stands in a column of its own).
LEADERS = re.compile(r"(?:\s*\.){3,}\s*$")
#: Dot leaders anywhere: a contents line, however many an extraction ran together.
LEADER_RUN = re.compile(r"(?:\.\s?){3,}")
#: Rule "entries run together": one of several contents entries on one line
#: (a reader joined the list's lines as a paragraph's): its title, its
#: page, then the next entry's label ("2.1", "B", "C.2"; a numbered one
#: may touch its title, the reader having lost the space) or the end.
ENTRY_IN_RUN = re.compile(r"(?P<title>\S.*?)(?:\s*(?:\.\s?){2,}\s*|\s+)(?P<page>\d{1,4}|[ivxlc]{1,7})"
                          r"(?=\s*$|\s+(?:(?:\d{1,3}|[A-Z])(?:\.\d{1,3})*\.?\s"
                          r"|(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+[^\W\d_]|\d{1,3}[^\W\d_]))")
#: Rule "page after one space": a PDF reader sets the gap before an entry's
#: page as one space ("Preface iii"); where the book's folios say a page
#: prints that number, the line is an entry and that its page (unless it
#: stands on that very page: a heading's own line, the list run out).
ONE_SPACE_ENTRY = re.compile(r"^(?P<title>.*?\S) (?P<page>\d{1,4}|[ivxlc]{1,7})$")
#: A contents title is short: a line longer than this is the text after the list.
TITLE_WIDTH = 120
_PART_WORDS = any_of(tuple(w for words in WORDS.values() for w in words.part))
_CHAPTER_WORDS = any_of(tuple(w for words in WORDS.values() for w in words.chapter))
_NUMBER_WORDS = any_of(tuple(w for words in WORDS.values() for w in words.numbers))
#: "Part Two", "Book IV", "Teil 3": a part word and the part's number, not "Book Reviews".
PART_WORD = re.compile(rf"^{_PART_WORDS}\s+(?:\d{{1,3}}|[IVXLC]{{1,7}}|{_NUMBER_WORDS})\b",
                       re.IGNORECASE)
CHAPTER_WORD = re.compile(rf"^{_CHAPTER_WORDS}\s+(?P<n>\d{{1,3}}|[IVXLC]{{1,7}})\b", re.IGNORECASE)


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    line: int
    part: bool = False
    outside: bool = False  # a heading the outline leaves out (rule "a chapter outside the outline")
    page: str | None = None  # the page number the contents list gives it, as printed
    leads_to: int | None = None  # the PDF page the outline's entry leads to


@dataclass(frozen=True)
class Structure:
    """The book's parts and chapters in order, the span of ``lines`` its
    contents list takes (None without one), and what told them."""

    entries: tuple[ContentsEntry, ...]
    contents: tuple[int, int | None] | None  # (heading, end); end None: to the first chapter
    evidence: str
    outlined: bool = False  # the entries are the PDF outline's, as its author typed them


_CONTENTS_HEADINGS = frozenset(h for w in WORDS.values() for h in w.contents)
_LIST_HEADINGS = frozenset(h for w in WORDS.values() for h in w.lists)
#: An appendix's letter before its title: "A Symbols", "B. Sources".
APPENDIX_LABEL = re.compile(r"^(?P<n>[A-Z])\.?\s+(?P<title>\S.*)$")


def is_contents_heading(text: str) -> bool:
    """"Contents", "Table des matières", … in any language of the table."""
    return plain(text).strip().casefold() in _CONTENTS_HEADINGS


def book_structures(lines: list[Line], outline: tuple[Bookmark, ...],
                    folios: Folios = ()) -> list[Structure]:
    """Every account of the parts and chapters the book gives, strongest
    first: the outline, the contents list, the headings set largest, chapter
    headings by their form, and at last one chapter. The import takes the
    first whose chapters it finds in the text (a contents list of short
    titles, or an outline naming what the page prints otherwise, names
    none), so no book is refused for its contents."""
    contents = read_contents(lines, folios)
    span = contents[:2] if contents else None
    found = []
    headings: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.kind == "heading":
            headings[page_of(line.number)].append(line)
    if outline and (entries := from_outline(outline, lone_pages(lines), frozenset(
            key for line in lines if len(line.text) < TITLE_WIDTH for key in _keys(line)),
            headings)):
        outlined = span
        if outlined is None:  # the contents page, however it is set, is none of the chapters
            at = next((i for i, ln in enumerate(lines) if is_contents_heading(ln.text)), None)
            outlined = None if at is None else (at, None)  # to the first chapter
        found.append(Structure(tuple(entries), outlined, "the PDF's outline", outlined=True))
    if contents:
        where = "before" if contents[0] < len(lines) // 2 else "after"
        found.append(Structure(tuple(contents[2]), span, f"the contents list {where} the text "
                               f"(line {lines[contents[0]].number})"))
    if headings := [ContentsEntry(ln.text, ln.number) for ln in lines
                    if ln.kind == "heading" and ln.level == 1]:
        found.append(Structure(tuple(headings), span, "the headings the PDF sets largest"))
    if headings := numbered_headings(lines):
        found.append(Structure(tuple(headings), span, "chapter headings by their form, "
                               "numbered in order"))
    found.append(Structure((), span, "nothing: no outline, contents list or chapter headings "
                           "found in the text, so the text is one chapter"))
    return found


def from_outline(outline: tuple[Bookmark, ...], lone: frozenset[int] = frozenset(),
                 shown: frozenset[str] | None = None,
                 headings: Mapping[int, list[Line]] | None = None) -> list[ContentsEntry]:
    """Parts and chapters from an outline's first two levels: an entry is a
    part when its part word says so ("Part II"), when the entries beneath it
    are named as chapters ("Chapter I"), when they are numbered and its
    label is a part's or their numbers run through the book (they do not
    start again under each), or (rule "a part page stands alone") when its
    page is one of the ``lone`` pages and its first child opens a later one.
    An entry whose title's key is none of the ``shown`` lines' keys (None:
    the lines are not known) and that leads to its first child's page only
    groups its children (rule "a bookmark over chapters"): they are chapters,
    unless a heading of its page (``headings``, by page) stands over its first
    child's title there."""
    items = [b for b in outline if not is_contents_heading(b.title)]
    if not items:
        return []
    top = min(b.level for b in items)
    groups: list[tuple[Bookmark, list[Bookmark]]] = []
    for bookmark in items:
        if bookmark.level == top:
            groups.append((bookmark, []))
        elif bookmark.level == top + 1 and groups:
            groups[-1][1].append(bookmark)
    firsts = [int(m.group("n")) for _, children in groups
              if (m := next((CHAPTER_LABEL.match(c.title) for c in children
                             if CHAPTER_LABEL.match(c.title)), None))]
    through = len(firsts) >= 2 and any(n > 1 for n in firsts[1:])
    out: list[ContentsEntry] = []
    for entry, children in groups:
        titles = [c.title for c in children]
        numbered = any(CHAPTER_LABEL.match(c) for c in titles)
        # children named as chapters ("Chapter I") have a part over them, and
        # an entry named as a part ("Part I", "Partie II") is one, whatever
        # its chapters' titles
        named = any(CHAPTER_WORD.match(c.strip()) for c in titles)
        part = bool(children) and bool(named or PART_WORD.match(entry.title.strip())
                                       or numbered and (through or _part_label(entry.title))
                                       or stands_alone(entry, children, lone))
        grouping = not part and shown is not None and only_groups(
            entry, children, bool(shown.intersection(_entry_keys(entry.title))),
            bool(children) and _headed(children[0], (headings or {}).get(entry.page, [])))
        if not grouping:
            out.append(ContentsEntry(entry.title, 0, part=part, leads_to=entry.page))
        if part or grouping:
            out += [ContentsEntry(c.title, 0, leads_to=c.page) for c in children]
    return out


def _headed(child: Bookmark, headings: list[Line]) -> bool:
    """Whether one of a page's ``headings``, no chapter's label, stands over
    the line printing ``child``'s title: the title of the chapter it is a
    section of (rule "a bookmark over chapters")."""
    keys = set(_entry_keys(child.title))
    at = next((k for k, line in enumerate(headings) if keys.intersection(_keys(line))), None)
    return at is not None and any(not is_label(plain(line.text)) for line in headings[:at])


def _part_label(title: str) -> bool:
    return bool(PART_LABEL.match(title) or PART_WORD.match(title))


def read_contents(lines: list[Line], folios: Folios = ()
                  ) -> tuple[int, int, list[ContentsEntry]] | None:
    """(index of the heading, index after the list, its parts and chapters)
    of the first contents list with two entries or more, wherever it stands.

    Read line by line: an entry with its page on the line; a title whose
    page comes on a later line (columns extracted one after the other: the
    pages fill the titles waiting for one, in order); a label alone, for the
    title after it; a section, kept waiting for its page but no chapter; the
    list's own running head again; entries a reader ran together, each in
    turn. A list of figures' or tables' heading, or anything else, ends the
    list, after the last line that gave an entry its page."""
    for i, line in enumerate(lines):
        if not is_contents_heading(line.text):
            continue
        waiting: list[list] = []  # [label, title, line number]
        done: list[list] = []  # [label, title, line number, page]
        label = None
        end = i + 1  # the list ends after its last entry with a page
        for j, text in _pieces(lines, i + 1):
            whole = CONTENTS_ENTRY.match(text) or _one_space_entry(text, lines[j], folios)
            label, before = None, label  # a label alone labels the next line only
            if is_contents_heading(text):
                pass
            elif lines[j].kind == "heading" and text.casefold() in _LIST_HEADINGS:
                break
            elif PAGE.match(text) and waiting:
                done.append(waiting.pop(0) + [text])
                end = j + 1
            elif LABEL.match(text):
                label = text.rstrip(".")
            elif PAGE.match(text):
                pass  # the list's own folio
            elif whole and len(text) < TITLE_WIDTH + 20:
                done.append([before, LEADERS.sub("", whole.group("title")).strip(),
                             lines[j].number, whole.group("page")])
                end = j + 1
            elif LEADER_RUN.search(text) or len(text) < TITLE_WIDTH and (
                    text[-1:] not in TERMINAL or text.endswith("?")):
                waiting.append([before, LEADERS.sub("", text), lines[j].number])
            else:
                break
        entries = [e for e in (_entry(*item) for item in sorted(done, key=lambda d: d[2]))
                   if e is not None]
        if len(entries) >= 2:
            return i, end, entries
    return None


def _one_space_entry(text: str, line: Line, folios: Folios
                     ) -> re.Match | None:
    """Rule "page after one space" (``ONE_SPACE_ENTRY``); "Chapter 3" or
    "Part II" alone is a title, its number no page."""
    m = ONE_SPACE_ENTRY.match(text)
    if not m or any((w := form.match(text)) and w.end() == len(text)
                    for form in (CHAPTER_WORD, PART_WORD)):
        return None
    own, number = page_of(line.number), m.group("page")
    # a folio two runs print (front matter numbered afresh) names no one page
    if any(folio == number and page != own for page, folio in folios):
        return m
    page = printing_page(folios, number)
    return m if page is not None and page != own else None


def _pieces(lines: list[Line], start: int):
    """(index, text) of each contents line from ``start`` on, and (rule
    "entries run together") of each entry of a line holding several with
    dot leaders between them, in turn."""
    for j in range(start, len(lines)):
        text = plain(lines[j].text).strip()
        runs = list(ENTRY_IN_RUN.finditer(text)) if LEADER_RUN.search(text) else []
        if len(runs) < 2:
            yield j, text
            continue
        for m in runs:
            yield j, f"{m.group('title')}\t{m.group('page')}"
        if rest := text[runs[-1].end():].strip():
            yield j, rest


def _entry(label: str | None, title: str, number: int, page: str | None = None
           ) -> ContentsEntry | None:
    """A contents line as a part or chapter, or None for a section (or for
    contents lines an extraction ran together, leaders between them)."""
    if SECTION_LABEL.match(title) or (label and "." in label) or LEADER_RUN.search(title) \
            or title[:1].islower():  # the rest of a title wrapped on the line before
        return None
    if m := PART_LABEL.match(title) or CHAPTER_LABEL.match(title):  # its own label first
        label, title = m.group("n"), m.group("title")
    title = title.strip()
    part = bool(label and PART_LABEL.match(f"{label} x")) or bool(PART_WORD.match(title))
    return ContentsEntry(title, number, part=part, page=page)


def numbered_headings(lines: list[Line]) -> list[ContentsEntry]:
    """Chapter headings told by their form alone: short lines opening with
    a word for "chapter" and a number, or with a number, with no full stop
    at the end, numbered 1, 2, 3 … in order (the first of each: running
    heads repeat them). Three or more, or none."""
    found: list[ContentsEntry] = []
    for form in (CHAPTER_WORD, CHAPTER_LABEL):
        found = []
        for line in lines:
            text = plain(line.text).strip()
            m = form.match(text)
            if not m or len(text) > 80 or text[-1:] in TERMINAL:
                continue
            number = m.group("n")
            n = int(number) if number.isdigit() else roman(number.upper())
            if n == len(found) + 1 and (form is CHAPTER_WORD or text.split(None, 1)[1][:1].isupper()):
                found.append(ContentsEntry(text, line.number))
        if len(found) >= 3:
            return found
    return []


#: Rule "a heading's letters as set": a logo's raised letter inside a word
#: ("L^A^TeX") is read as a reference mark, but stands between two letters.
_RAISED_IN_WORD = re.compile(rf"(?<=\w){REF_OPEN}(\w{{1,3}}){REF_CLOSE}(?=\w)")


def title_key(text: str) -> str:
    """What a heading and its contents entry must share: the title's letters
    as normalise_title leaves them, without the spaces between and without
    accents. Large or letter-spaced type is spaced by the typesetter (a
    kerned italic "T he", capitals spaced out, a logo's raised letter), not
    by the words, so a space is no evidence against a heading; and a font
    without accented letters (TeX's OT1) sets an accent as a glyph of its
    own beside the letter ("Spezialit¨aten"), which the outline spells whole."""
    text = unicodedata.normalize("NFKD", normalise_title(_RAISED_IN_WORD.sub(r"\1", text)))
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.combining(ch))


def _keys(line: Line) -> list[str]:
    """The keys a line may match an entry by: its own, and for a heading
    (a line of text reading "A Conclusion" is no appendix, and one holding
    a colon no title) its title without an appendix's letter (rule "appendix
    letter": an outline leaves the letter out as it leaves out a chapter's
    number), and its title up to its first colon (rule "a short title in
    the outline": a chapter given a short form for the outline and the
    contents, LaTeX's ``\\chapter[short]{long}``, prints the long one, the
    short form and a subtitle after a colon)."""
    if line.kind != "heading":
        return [title_key(line.text)]
    m = APPENDIX_LABEL.match(plain(line.text).strip())
    short = _short_form(line.text)
    return [title_key(line.text)] + ([title_key(m.group("title"))] if m else []) \
        + ([title_key(short)] if short else [])


def _entry_keys(title: str) -> list[str]:
    """The keys an entry may be found by: its title's, and (rule "label over
    the title", in the entry) its title's without its label: an outline or
    contents list gives the label ("B Tide Tables", "Part II The Rock",
    "Chapter 3 Fog") that the page prints on a line of its own over the
    title, and in words of its own ("Appendix B", "Second Part"), as
    ``normalise_title`` leaves out a chapter's number."""
    text = plain(title).strip()
    m = PART_WORD.match(text) or CHAPTER_WORD.match(text)
    rest = text[m.end():] if m else (a.group("title") if (a := APPENDIX_LABEL.match(text)) else "")
    return [title_key(title)] + ([title_key(rest)] if rest.strip() else [])


def _short_form(text: str) -> str | None:
    """A title's words before its first colon, the form an outline may give
    it (rule "a short title in the outline"); None without a colon."""
    head, colon, _ = plain(text).strip().partition(":")
    return head if colon and head.strip() else None


def _opens_page(lines: list[Line], i: int) -> bool:
    """The line is its page's first (a PDF's line numbers: ``page_line``)."""
    return i == 0 or page_of(lines[i - 1].number) != page_of(lines[i].number)


def _chapter_styled(lines: list[Line], i: int) -> bool:
    return lines[i].kind == "heading" and lines[i].level == 1 and _opens_page(lines, i)


def unlisted_chapters(lines: list[Line], starts: list[int], lo: int | None,
                      listed: frozenset[str] = frozenset()) -> list[int]:
    """Rule "a chapter outside the outline": in a PDF whose chapters open a
    page under a heading of the largest kind (all but a third at most: an
    article's sections open one where the author broke the page), another
    such heading opening a page, with text after it on that page, starts a
    chapter too: an introduction or a licence set as a chapter but left out
    of the outline. An outline leaves out front and back matter, not a
    chapter amid its own, so it stands before the first chapter (after the
    contents list at ``lo``, None without one before the text: the title
    pages are no chapters) or after the last. A heading the outline lists
    deeper (``listed``: every outline title's ``title_key``) or numbered as
    a section is a section; a contents list's or a list of figures' heading
    is none, nor is a dedication (no text under it)."""
    if not starts or 3 * sum(_chapter_styled(lines, i) for i in starts) < 2 * len(starts):
        return []
    around = [*range(starts[0] if lo is None else lo, starts[0]),
              *range(starts[-1] + 1, len(lines))]
    return [i for i in around if _chapter_styled(lines, i)
            and not is_contents_heading(lines[i].text)
            and plain(lines[i].text).strip().casefold() not in _LIST_HEADINGS
            and not SECTION_LABEL.match(plain(lines[i].text).strip())
            and not listed.intersection(_keys(lines[i]))
            and i + 1 < len(lines) and lines[i + 1].kind in (None, "text")
            and not _opens_page(lines, i + 1)]


def as_outlined(text: str, entry: ContentsEntry) -> str:
    """Rule "a title as the outline spells it": a heading found by its
    letters (``title_key``) but spelled otherwise (an accent set beside its
    letter, a kerned "T he", spaced capitals) takes the outline's spelling,
    which its author typed, keeping the printed number or letter the
    outline leaves out. A heading whose words already read as the outline's
    keeps its printing (its italics); one holding a raised mark (a note's
    reference, a logo's letter) keeps it, mark and all; one the outline
    gives in short (rule "a short title in the outline") keeps its long form,
    and one it gives with a label that the page prints over the title (rule
    "label over the title") keeps its printed title. A glyph the PDF maps to
    no character (``UNMAPPED``) is no spelling: the outline's replaces it."""
    if REF_OPEN in text or title_key(text) in _entry_keys(entry.title)[1:] \
            or UNMAPPED not in text and normalise_title(text) == normalise_title(entry.title):
        return text
    if (short := _short_form(text)) and title_key(short) == title_key(entry.title):
        return text  # the printed long title, subtitle and all
    printed = plain(text).strip()
    m = CHAPTER_LABEL.match(printed) or PART_LABEL.match(printed) or APPENDIX_LABEL.match(printed)
    if m and title_key(m.group("title")) == title_key(entry.title) \
            and not entry.title.startswith(m.group("n")):
        return f"{m.group('n')} {entry.title}"
    return entry.title


#: Rule "label over the title": a display chapter head's label line ("Chapter
#: 3", "Annexe B") is this many words at most.
LABEL_WORDS = 2


def _label_over(lines: list[Line], i: int) -> int:
    """Where the chapter a contents entry found at line ``i`` starts: at the
    label line over its title (rule "label over the title": a heading of the
    largest kind opening the page, just above the title, ``LABEL_WORDS``
    long at most). An outline's titles keep their own line: the outline's
    spelling replaces the line it names."""
    above = i - 1
    if i > 0 and lines[i].kind == "heading" and lines[above].kind == "heading" \
            and lines[above].level == 1 and _opens_page(lines, above) \
            and lines[above].number // 1000 == lines[i].number // 1000 \
            and len(plain(lines[above].text).split()) <= LABEL_WORDS:
        return above
    return i


def _by_page(lines: list[Line], chain: list[tuple[int, int]], pages: list[int | None],
             lo: int, hi: int) -> list[tuple[int, int]]:
    """``chain`` (line, entry) with each entry it lacks that its PDF page
    (``pages``) places: that page's first heading of the largest kind, or
    the title under it where that heading is a label over the title (rule
    "label over the title"), between the lines of the entries found before
    and after it."""
    at = dict((k, i) for i, k in chain)
    for k, page in enumerate(pages):
        if page is None or k in at:
            continue
        after = max((i for j, i in at.items() if j < k), default=lo - 1)
        before = min((i for j, i in at.items() if j > k), default=hi)
        first = next((i for i in range(after + 1, before) if lines[i].number // 1000 == page
                      and lines[i].kind == "heading" and lines[i].level == 1), None)
        if first is not None:
            title = first + 1  # a title of the largest kind under a label
            at[k] = title if title < before and lines[title].level == 1 \
                and _label_over(lines, title) == first else first
    return sorted(((i, k) for k, i in at.items()), key=lambda p: p[1])


#: Rule "an outline entry found by its page": the share of the entries found
#: by their titles whose heading stands on the page the outline leads to, for
#: the outline's pages to place the others (a typesetter may anchor each link
#: on the page before its heading's, where its page break is made).
LINKS_AGREE = 0.9


def _links_agree(lines: list[Line], entries: tuple[ContentsEntry, ...],
                 chain: list[tuple[int, int]]) -> bool:
    """Rule "an outline entry found by its page": an outline's entry no line
    reads as (its printed title's glyphs map to no letters) is placed on the
    page its link leads to, where the entries found by their titles stand on
    the pages theirs lead to (``LINKS_AGREE``); the links only place, never
    rule a line out."""
    linked = [page_of(lines[i].number) == entries[k].leads_to for i, k in chain
              if entries[k].leads_to is not None]
    return bool(linked) and sum(linked) >= LINKS_AGREE * len(linked)


def _reading(line: Line, keys: dict[str, list[int]]) -> list[int]:
    """The entries (by their index in ``keys``) whose title ``line`` reads as."""
    return list(dict.fromkeys(k for key in _keys(line) for k in keys.get(key, ())))


def _before_contents(lines: list[Line], keys: dict[str, list[int]],
                     entries: tuple[ContentsEntry, ...], folios: Folios,
                     end: int) -> list[tuple[int, int]]:
    """Rule "front matter before the contents": a preface, a foreword or an
    acknowledgement the contents list or the outline names may stand before
    the list itself (at ``end``). A heading there is an entry's only on the
    PDF page the entry names, the page the outline leads to or the one
    printing its page number among those before the list (front matter may
    number its pages afresh after it): the title page's lines are no chapter."""
    first = page_of(lines[end].number)
    before = tuple((page, folio) for page, folio in folios if page < first)
    pages = [e.leads_to if e.leads_to is not None else
             printing_page(before, e.page) if e.page else None for e in entries]
    return [(i, k) for i in range(end) if lines[i].kind == "heading"
            for k in _reading(lines[i], keys) if pages[k] == page_of(lines[i].number)]


def chapter_starts(lines: list[Line], entries: tuple[ContentsEntry, ...],
                   contents: tuple[int, int | None] | None, paged: bool = False,
                   outline: tuple[Bookmark, ...] = (),
                   folios: Folios = ()
                   ) -> tuple[list[tuple[int, ContentsEntry]], list[ContentsEntry]]:
    """Where each entry's heading stands, with the entry, in order: a short
    line that reads the same, outside the contents list (after it when it
    stands before the text, or before it on the page the entry names: rule
    "front matter before the contents"); and the entries found nowhere. In a PDF
    (``paged``), the chapters ``unlisted_chapters`` finds too (by the PDF's
    ``outline``), each its own heading's entry; and by the pages' ``folios``
    (rule "entries confirmed by their page numbers"), an entry whose page
    number names a PDF page stands on that page: a line elsewhere reading
    as its title is none of it (an example, a running head), and where no
    line there reads so (a short title in the contents, a longer one over
    the chapter), its heading is that page's first heading of the largest
    kind."""
    lo, hi = 0, len(lines)
    if contents is not None:
        if contents[0] < len(lines) // 2:
            lo = contents[0] + 1 if contents[1] is None else contents[1]
        else:
            hi = contents[0]
    keys: dict[str, list[int]] = {}
    for k, entry in enumerate(entries):
        for key in _entry_keys(entry.title):
            keys.setdefault(key, []).append(k)
    pages = [printing_page(folios, e.page) if paged and folios and e.page else None for e in entries]
    # (line, entry) pairs reading the same; the chain taking the most entries
    # in order wins (a line that merely reads as a later title, an example or
    # a running head, then cannot hide the entries before it), the reader's
    # headings first, then the earliest lines.
    pairs = [(i, k) for i in range(lo, hi) if len(lines[i].text) < 200
             for k in _reading(lines[i], keys)
             if pages[k] is None or lines[i].number // 1000 == pages[k]]
    if paged and lo:
        pairs = _before_contents(lines, keys, entries, folios, contents[0]) + pairs
    best: list[tuple[int, int, int]] = []  # (entries, headings, previous pair) per pair
    for n, (i, k) in enumerate(pairs):
        heading = int(lines[i].kind == "heading")
        score = (1, heading, -1)
        for m in range(n):
            if pairs[m][0] < i and pairs[m][1] < k and \
                    (best[m][0] + 1, best[m][1] + heading) > score[:2]:
                score = (best[m][0] + 1, best[m][1] + heading, m)
        best.append(score)
    chain: list[tuple[int, int]] = []
    at = max(range(len(pairs)), key=lambda n: best[n][:2], default=None)
    while at is not None and at >= 0:
        chain.append(pairs[at])
        at = best[at][2]
    chain.reverse()
    linked = paged and _links_agree(lines, entries, chain)
    placed = [e.leads_to if page is None and linked else page for page, e in zip(pages, entries)]
    chain = [(_label_over(lines, i) if paged and entries[k].page else i, k)
             for i, k in _by_page(lines, chain, placed, lo, hi)]
    taken = {k for _, k in chain}
    found = [(i, entries[k]) for i, k in chain]
    if paged:
        before = lo if contents is not None and contents[0] < len(lines) // 2 else None
        listed = frozenset(title_key(b.title) for b in outline)
        outside = [(i, ContentsEntry(lines[i].text, lines[i].number, outside=True))
                   for i in unlisted_chapters(lines, [i for i, _ in chain if i >= lo], before,
                                              listed)
                   if i < hi]
        found = sorted(found + outside, key=lambda f: f[0])
    return found, [e for k, e in enumerate(entries) if k not in taken]
