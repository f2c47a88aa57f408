"""What a book's front matter says about it: title, people, publisher, ISBN,
rights (``structure`` reads its contents list). The words it is printed
with come from ``frontwords``, one table per language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from stdnum import isbn as stdnum_isbn

from ..lang.printonly import is_print_only
from .frontwords import WORDS, Words, any_of, languages_first
from .inline import plain
from .source import Line, clearly_cut, is_caps_heading, normalise_title, page_of

ISBN = re.compile(r"ISBN(?:-1[03])?[:\s]*(?P<number>[0-9][0-9 \-]{8,16}[0-9Xx])")
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
#: A person's name as a title page sets it alone: two to four capitalised
#: words, initials or a particle between ("Mara J. Osterby", "Anne de Vries").
PERSON = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w’'-]*\.?|(?:de|van|von|der|du|da|di|le|la)\s)"
                    r"(?:\s?(?:[A-ZÀ-ÖØ-Þ][\w’'-]*\.?|(?:de|van|von|der|du|da|di|le|la)\b)){1,3}$")


@dataclass(frozen=True)
class Person:
    name: str
    roles: tuple[str, ...]


@dataclass
class FrontMatter:
    title: str | None = None
    subtitle: str | None = None
    people: list[Person] = field(default_factory=list)
    publisher: str | None = None
    source_isbn: str | None = None
    rights: str | None = None
    date: str | None = None
    title_lines: list[Line] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)  # "Translated by …" as printed, once each
    other_lines: list[Line] = field(default_factory=list)  # the title pages' other lines
    copyright_lines: list[Line] = field(default_factory=list)
    print_only: list[Line] = field(default_factory=list)  # left out of the copyright page
    doubts: list[tuple[int, str]] = field(default_factory=list)


def without_lines(front: FrontMatter, numbers: frozenset[int]) -> FrontMatter:
    """``front`` with none of the lines ``numbers`` names on its title and
    copyright pages: a preface before the contents list (rule "front matter
    before the contents") is read for the metadata (signed with the author's
    name) but is a chapter, not the title page's text."""
    return replace(front, **{name: [ln for ln in getattr(front, name) if ln.number not in numbers]
                             for name in ("title_lines", "other_lines", "copyright_lines",
                                          "print_only")})


def _cut(lines: list[Line], tables: list[Words]) -> int:
    """Where the copyright page starts: its first rights line."""
    return next((i for i, ln in enumerate(lines) if any(
        re.match(any_of(w.copyright[:2]), plain(ln.text), re.IGNORECASE) for w in tables)),
        len(lines))


def _wrapped(before: str, line: str) -> bool:
    """A title-page line the typesetter wrapped: the rest after a line cut on
    a short word ("… semantics and", "Introduction à la"), in whatever case
    a title sets its words, or in lower case after a single word."""
    return not _credit_like(line) and (
        clearly_cut(before) or line[:1].islower() and len(before.split()) == 1)


def _person(text: str) -> bool:
    """Set as a name: not in capitals throughout (a title), not a publisher."""
    return bool(PERSON.match(text)) and not is_caps_heading(text) and not _publisher(text)


def _publisher(text: str, tables: list[Words] | None = None) -> str | None:
    """The publisher a line names, by the patterns of ``tables`` (of any language)."""
    for words in tables or WORDS.values():
        if m := next((m for p in words.publisher if (m := re.fullmatch(p, text, re.IGNORECASE))),
                     None):
            return m.group("name").strip()
    return None


def _credit_like(line: str) -> bool:
    return any(_credit(line, w) for w in WORDS.values())


#: A credit's names fit a title page's line or two: a longer run of text after
#: "by" or "traduit par" is running text (a chapter's, where the contents
#: were not found and the front matter ran on), not a credit.
CREDIT_CHARS = 160
#: A person's name is this many words at most ("Jean de la Fontaine").
NAME_WORDS = 6


def _is_name(text: str) -> bool:
    """Set as a person's name: its first and last words in capitals, no
    figures, no word mixing scripts ("X2 reste fixe", "Kβ", "L reste
    seul" are a formula's and a sentence's words; "de l'humain", a
    wrapped subtitle's)."""
    words = text.split()
    return 0 < len(words) <= NAME_WORDS and not any(c.isdigit() for c in text) \
        and words[0][:1].isupper() and words[-1][:1].isupper() \
        and all(len({_script(c) for c in word if c.isalpha()}) <= 1 for word in words)


def _script(letter: str) -> str:
    """The script a letter belongs to, as Unicode names it ("LATIN", "GREEK")."""
    return unicodedata.name(letter, "?").split(" ", 1)[0]


def _names(text: str) -> list[str]:
    """The people a credit names (``_is_name``); the last after a comma and a
    conjunction too ("A, B, and C")."""
    if len(text) > CREDIT_CHARS:
        return []
    return [n.strip(" .") for n in re.split(r",\s*(?:(?:and|und|et|y|e|и)\s+)?"
                                             r"|\s+(?:and|und|et|y|e|и)\s+|\s*&\s*", text)
            if _is_name(n.strip(" ."))]


def _credit(text: str, words: Words) -> tuple[str, list[str], list[str]] | None:
    """(text before the credit, MARC roles, names) of "translated and introduced
    by NAME" or "Translation: NAME", in the words of one language; None where
    what follows names no one ("traduit par une lente rotation du phare")."""
    role_words = any_of(tuple(w for ws in words.roles.values() for w in ws))
    joiner = r"(?:\s*,\s*|\s+(?:and|und|et|y|e|и)\s+|\s+)"
    # Without a word for "by" (Russian), the names follow the role word directly.
    by = rf"\s+{any_of(words.by)}\s+" if words.by else r"\s+(?=(?-i:[А-ЯA-Z]))"
    m = re.match(rf"^(?P<before>.*?)\b(?P<roles>{role_words}(?:{joiner}{role_words})*)"
                 rf"(?:{by}|\s*:\s*)(?P<names>[^:]+)$", text, re.IGNORECASE)
    if not m:
        return None
    roles = [code for code, ws in words.roles.items()
             if re.search(rf"\b{any_of(ws)}", m.group("roles"), re.IGNORECASE)]
    names = _names(m.group("names"))
    return (m.group("before").strip(" ,:;–-"), roles, names) if names else None


def _letters(text: str) -> str:
    """A line's words without spaces, case or punctuation: how a title set
    in spaced capitals and the document information's spelling agree."""
    return normalise_title(text).replace(" ", "")


def _title_page_first(lines: list[Line], title: str | None, tables: list[Words]) -> list[Line]:
    """Rule "the title page by the document's title": a half-title, an
    epigraph or a series page may come before the title page; the title
    page is the one printing the title the PDF's document information
    gives (its last such line before the copyright page: a half-title
    repeats it earlier). Its title line comes first, then the rest of that
    page, then the pages before it (kept with the title pages' other
    lines), then the rest, copyright page and all."""
    key = _letters(title or "")
    cut = _cut(lines, tables)
    at = next((i for i in range(cut - 1, -1, -1) if key and _letters(lines[i].text) == key), None)
    if at is None:
        return lines
    page = page_of(lines[at].number)
    own = [ln for ln in lines[:cut] if page_of(ln.number) == page]
    before = [ln for ln in lines[:cut] if page_of(ln.number) < page]
    return [lines[at]] + [ln for ln in own if ln is not lines[at]] + before + \
        [ln for i, ln in enumerate(lines) if page_of(ln.number) > page or i >= cut]


def _document_authors(author: str | None, lines: list[Line]) -> list[str]:
    """Rule "authors by the document's information": the people it names as
    its authors ("A, B and C"; "Smith, John" is one, John Smith), each that
    the front pages print, on a line of its own or among others (a copyright
    line). A name of one word is no one's here: it could be any word."""
    if not author:
        return []
    parts = [p.strip() for p in author.split(",")]
    if len(parts) == 2 and all(len(p.split()) == 1 for p in parts):
        names = [f"{parts[1]} {parts[0]}"]  # a catalogue's "Last, First"
    else:
        names = [n for n in _names(author) if len(n.split()) > 1]
    return [n for n in names if any(_prints(n, ln.text) for ln in lines)]


def _prints(name: str, text: str) -> bool:
    """The line prints the name: its words in a row, whole, in any case."""
    words = re.findall(r"\w+", text.casefold())
    wanted = re.findall(r"\w+", name.casefold())
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words)))


def read_front_matter(lines: list[Line], language: str = "en", title: str | None = None,
                      author: str | None = None) -> FrontMatter:
    """``title`` and ``author``: what a PDF's document information says
    (``_title_page_first``; an author line printed as it names one)."""
    front = FrontMatter()
    if not lines:
        return front
    tables = languages_first(language)
    lines = _title_page_first(lines, title, tables)
    named = _document_authors(author, lines)
    authored = {ln.number for ln in lines if any(_prints(n, ln.text) for n in named)}
    # A credit split over two lines ("... translated and introduced" / "by NAME").
    by_words = any_of(tuple(b for w in tables for b in w.by))
    by_start = re.compile(rf"^{by_words}\s", re.IGNORECASE)
    role_end = re.compile(rf"\b{any_of(tuple(r for w in tables for v in w.roles.values() for r in v))}$",
                          re.IGNORECASE)
    merged: list[Line] = []
    for line in lines:
        if merged and (by_start.match(line.text) and role_end.search(plain(merged[-1].text))
                       or _wrapped(plain(merged[-1].text), plain(line.text))):
            merged[-1] = Line(merged[-1].number, f"{merged[-1].text} {line.text}")
        else:
            merged.append(line)

    first = plain(merged[0].text)
    known = title
    title = first
    if is_caps_heading(first):  # prefer the same title in mixed case, if printed or known
        mixed = next((plain(ln.text) for ln in merged[1:]
                      if plain(ln.text).casefold() == first.casefold() and plain(ln.text) != first),
                     known if known and _letters(known) == _letters(first) else None)
        title = mixed or first.title()
        if mixed is None:
            front.doubts.append((merged[0].number, f"title only in capitals; written as {title!r}"))
    front.title = title

    people: dict[str, list[str]] = {name: ["aut"] for name in named}
    for line in merged[1:]:
        text = plain(line.text)
        credit = next((c for w in tables if (c := _credit(text, w))), None)
        cover = next((m for w in tables if (m := re.match(
            rf"^{any_of(w.cover)}\s*(?:by\s+|:\s*|[\-–]\s*)(?P<name>[^:]+)$", text, re.IGNORECASE))),
            None)
        author = re.match(rf"^{by_words}\s+(?P<names>[^:]+)$", text, re.IGNORECASE)
        author = author if author and _names(author.group("names")) else None
        if cover or author or credit:
            shown = text[len(credit[0]):].strip(" ,:;–-") if credit and credit[0] else text
            if shown.casefold() not in (c.casefold() for c in front.credits):
                front.credits.append(shown)
        if cover:
            people.setdefault(cover.group("name").strip(), []).append("cov")
        elif author and not credit:
            for name in _names(author.group("names")):
                people.setdefault(name, []).append("aut")
        elif credit:
            before, roles, names = credit
            for name in names:
                people.setdefault(name, [])
                people[name] += [r for r in roles if r not in people[name]]
            if before and front.subtitle is None and line is merged[1]:
                front.subtitle = before
        elif not front.publisher and not is_print_only(text):
            front.publisher = _publisher(text, tables)
        if (m := ISBN.search(text)) and not front.source_isbn:
            digits = re.sub(r"[\s-]", "", m.group("number"))
            if stdnum_isbn.is_valid(digits):
                front.source_isbn = stdnum_isbn.to_isbn13(digits)
            else:
                front.doubts.append((line.number, f"ISBN {m.group('number')!r} has a wrong check digit"))
        if not front.rights and any(re.match(any_of(w.copyright[:2]), text, re.IGNORECASE)
                                    for w in tables):
            front.rights = text
            if y := YEAR.search(text):
                front.date = y.group(1)
    second = plain(merged[1].text) if len(merged) > 1 else ""
    if second and front.subtitle is None and not any(_credit(second, w) for w in tables) \
            and merged[1].number not in authored \
            and len(second) < 120 and second.casefold() != first.casefold():
        front.subtitle = second
    if not people:  # a title page naming its author alone, with no word for "by"
        named = next((plain(ln.text).strip() for ln in merged[1:]
                      if ln in lines[:_cut(lines, tables)] and _person(plain(ln.text).strip())
                      and plain(ln.text).strip() != front.subtitle), None)
        if named:
            people = {named: ["aut"]}
    front.people = [Person(n, tuple(r)) for n, r in people.items()]
    if front.subtitle and any(_letters(front.subtitle) == _letters(n) for n in people):
        front.subtitle = None  # the line under the title names its author
    if not front.people:
        front.doubts.append((merged[0].number, "no author, translator or editor found: "
                                               "add contributors to book.yaml"))
    if not front.publisher:
        front.doubts.append((merged[0].number, "no publisher found"))
    cut = _cut(lines, tables)
    front.title_lines = lines[:cut]
    shown = {normalise_title(x) for x in [front.title or "", front.subtitle or "", *front.credits]}
    front.other_lines = [ln for ln in merged[:len(merged)] if ln.number < (
        lines[cut].number if cut < len(lines) else 10**9)
        and normalise_title(plain(ln.text)) not in shown
        and not any(normalise_title(c) in normalise_title(plain(ln.text)) for c in front.credits)
        and not (front.publisher and plain(ln.text).strip() == front.publisher)]
    front.copyright_lines = [ln for ln in lines[cut:] if not is_print_only(plain(ln.text))]
    front.print_only = [ln for ln in lines[cut:] if is_print_only(plain(ln.text))]
    return front
