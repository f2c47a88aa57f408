"""What a book's front matter says about it: title, people, publisher, ISBN,
rights, and the contents list that tells where chapters start."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stdnum import isbn as stdnum_isbn

from .source import CONTENTS_ENTRY, Line, is_caps_heading

CONTENTS_HEADINGS = {"contents", "table of contents", "содержание", "оглавление", "sommaire",
                     "table des matières", "inhalt", "inhaltsverzeichnis", "índice", "indice"}
#: Role words in "translated and introduced by NAME", with their MARC codes.
ROLE_WORDS = {"written": "aut", "translated": "trl", "introduced": "aui", "edited": "edt",
              "compiled": "com", "selected": "com", "annotated": "ann", "illustrated": "ill"}
CREDIT = re.compile(r"^(?P<before>.*?)\b(?P<roles>(?:(?:" + "|".join(ROLE_WORDS)
                    + r")(?:\s*,\s*|\s+and\s+|\s+))+)by\s+(?P<names>.+)$", re.IGNORECASE)
COVER_CREDIT = re.compile(r"^cover(?: design| designed| art| illustration)?(?: by)?\s*[:\-–]?\s*"
                          r"(?:by\s+)?(?P<name>[^:]+)$", re.IGNORECASE)
IMPRINT = re.compile(r"^(?P<name>.+?) is an imprint of .+$", re.IGNORECASE)
PUBLISHED_BY = re.compile(r"^published (?:in \d{4} )?by (?P<name>.+?)\.?$", re.IGNORECASE)
ISBN = re.compile(r"ISBN(?:-1[03])?[:\s]*(?P<number>[0-9][0-9 \-]{8,16}[0-9Xx])")
COPYRIGHT = re.compile(r"^(?:copyright|©)", re.IGNORECASE)
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    line: int


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
    copyright_lines: list[Line] = field(default_factory=list)
    doubts: list[tuple[int, str]] = field(default_factory=list)


def find_contents(lines: list[Line]) -> tuple[int, int, list[ContentsEntry]] | None:
    """(index of the heading, index after the last entry, entries) of the first
    contents list, or None."""
    for i, line in enumerate(lines):
        if line.text.strip().casefold() not in CONTENTS_HEADINGS:
            continue
        entries = []
        j = i + 1
        while j < len(lines) and (m := CONTENTS_ENTRY.match(lines[j].text)):
            entries.append(ContentsEntry(m.group("title").strip(), lines[j].number))
            j += 1
        if entries:
            return i, j, entries
    return None


def _names(text: str) -> list[str]:
    return [n.strip(" .") for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if n.strip(" .")]


def read_front_matter(lines: list[Line]) -> FrontMatter:
    front = FrontMatter()
    if not lines:
        return front
    # A credit split over two lines ("... translated and introduced" / "by NAME").
    merged: list[Line] = []
    for line in lines:
        if merged and line.text.lower().startswith("by ") and not CREDIT.match(merged[-1].text):
            merged[-1] = Line(merged[-1].number, f"{merged[-1].text} {line.text}")
        else:
            merged.append(line)

    first = merged[0].text
    title = first
    if is_caps_heading(first):  # prefer the same title in mixed case, if printed too
        mixed = next((ln.text for ln in merged[1:] if ln.text.casefold() == first.casefold()
                      and ln.text != first), None)
        title = mixed or first.title()
        if mixed is None:
            front.doubts.append((merged[0].number, f"title only in capitals; written as {title!r}"))
    front.title = title

    people: dict[str, list[str]] = {}
    for line in merged[1:]:
        if m := CREDIT.match(line.text):
            roles = [ROLE_WORDS[w.lower()] for w in re.findall("|".join(ROLE_WORDS), m.group("roles"),
                                                                re.IGNORECASE)]
            for name in _names(m.group("names")):
                people.setdefault(name, [])
                people[name] += [r for r in roles if r not in people[name]]
            before = m.group("before").strip(" ,:;–-")
            if before and front.subtitle is None and line is merged[1]:
                front.subtitle = before
        elif m := COVER_CREDIT.match(line.text):
            people.setdefault(m.group("name").strip(), []).append("cov")
        elif (m := IMPRINT.match(line.text) or PUBLISHED_BY.match(line.text)) and not front.publisher:
            front.publisher = m.group("name").strip()
        if (m := ISBN.search(line.text)) and not front.source_isbn:
            digits = re.sub(r"[\s-]", "", m.group("number"))
            if stdnum_isbn.is_valid(digits):
                front.source_isbn = stdnum_isbn.to_isbn13(digits)
            else:
                front.doubts.append((line.number, f"ISBN {m.group('number')!r} has a wrong check digit"))
        if COPYRIGHT.match(line.text) and not front.rights:
            front.rights = line.text
            if y := YEAR.search(line.text):
                front.date = y.group(1)
    if len(merged) > 1 and front.subtitle is None and not CREDIT.match(merged[1].text) \
            and len(merged[1].text) < 120 and merged[1].text.casefold() != first.casefold():
        front.subtitle = merged[1].text
    front.people = [Person(n, tuple(r)) for n, r in people.items()]
    if not front.people:
        front.doubts.append((merged[0].number, "no author, translator or editor found: "
                                               "add contributors to book.yaml"))
    if not front.publisher:
        front.doubts.append((merged[0].number, "no publisher found"))
    cut = next((i for i, ln in enumerate(lines) if COPYRIGHT.match(ln.text)), len(lines))
    front.title_lines, front.copyright_lines = lines[:cut], lines[cut:]
    return front
