"""Generated books to import: the truth a round trip is compared with.

A book is chapters of headings and paragraphs; a paragraph is a run of
segments (plain words, italic words, and notes, whose own text is segments
too). The generator is seeded, so a failing book can be made again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: ("t", text) plain, ("i", text) italic, ("n", segments) a note referenced here.
Segment = tuple


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Chapter:
    title: str
    blocks: tuple[Paragraph | Heading, ...]


@dataclass(frozen=True)
class Front:
    """The front matter as the language prints it."""

    title: str
    subtitle: str
    author: str
    translator: str
    publisher: str
    isbn: str
    lines_title: tuple[str, ...]  # credits as printed on the title page
    lines_copyright: tuple[str, ...]  # the copyright page, print-only lines included
    print_only: tuple[str, ...]  # which of them must not reach the e-book
    contents: str
    colophon: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    language: str
    front: Front
    chapters: tuple[Chapter, ...]

    @property
    def notes(self) -> int:
        return sum(1 for c in self.chapters for b in c.blocks if isinstance(b, Paragraph)
                   for s in b.segments if s[0] == "n")

    @property
    def paragraphs(self) -> int:
        return sum(len(c.blocks) for c in self.chapters)


WORDS = {
    "en": ("the keeper wrote every evening in the ledger while storm and fog kept ships away "
           "from harbour lantern glass oil wick inspectors visited twice each year signed red "
           "careful slow hand praised second private book birds struck passed without signal "
           "survives collection administration correspondence extraordinary international "
           "revolutionary government committee responsibility understanding particularly "
           "well-known self-evident twenty-one long-term cross-border of to and a in that "
           "was with for on as by at from his her their it this which").split(),
    "de": ("der Wärter schrieb jeden Abend in das Buch während Sturm und Nebel die Schiffe vom "
           "Hafen fernhielten Laterne Glas Öl Docht Inspektoren kamen zweimal im Jahr "
           "unterschrieben sorgfältig langsam Hand gelobt zweites privates Vögel Signal "
           "Verwaltung Briefwechsel außerordentlich Arbeiterbewegung Wirtschaftspolitik "
           "Regierung Ausschuss Verantwortung Verständnis Nord-Süd-Verbindung "
           "Ost-West-Gegensatz die das ein eine mit für auf als von bei aus sein ihr es "
           "dies welche nicht auch noch").split(),
    "fr": ("le gardien écrivait chaque soir dans le registre pendant que tempête et brouillard "
           "tenaient les navires loin du port lanterne verre huile mèche inspecteurs venaient "
           "deux fois par an signaient rouge main soigneuse lente louée second livre privé "
           "oiseaux signal administration correspondance extraordinaire internationale "
           "révolutionnaire gouvernement comité responsabilité compréhension peut-être "
           "arc-en-ciel après-midi la les un une avec pour sur comme par chez de son sa leur "
           "ce cette qui que pas aussi encore").split(),
}

#: Each language's front matter as printed: title-page credits, the copyright
#: page (its print-only lines last), the contents heading and a colophon.
FRONT_WORDS = {
    "en": (("by {a}", "Translated and introduced by {tr}"),
           ("Copyright © {year} {a}", "All rights reserved.", "Published by {p}", "ISBN {isbn}"),
           ("Typeset in 10pt Libertinus Serif by Example Typesetters",
            "Printed and bound in Great Britain by Example Print Ltd"),
           "Contents", "This edition is printed on paper from responsible sources."),
    "de": (("von {a}", "Aus dem Englischen übersetzt von {tr}"),
           ("© {year} {p}", "Alle Rechte vorbehalten.", "Erschienen bei {p}", "ISBN {isbn}"),
           ("Satz: Beispiel Satzstudio, Leipzig", "Gedruckt in Deutschland"),
           "Inhalt", "Gedruckt auf alterungsbeständigem Papier."),
    "fr": (("par {a}", "Traduit de l’anglais par {tr}"),
           ("© {year} {p}", "Tous droits réservés.", "Publié par {p}", "ISBN {isbn}"),
           ("Composition : Atelier Exemple", "Imprimé en France"),
           "Table des matières", "Achevé d’imprimer sur les presses de l’imprimerie Exemple."),
}


def front_matter(language: str, t: str, s: str, a: str, tr: str, p: str, isbn: str,
                 year: int) -> Front:
    credits, rights, print_only, contents, colophon = FRONT_WORDS[language]
    fill = dict(a=a, tr=tr, p=p, isbn=isbn, year=year)
    return Front(t, s, a, tr, p, isbn, (s, *(c.format(**fill) for c in credits)),
                 (*(r.format(**fill) for r in rights), *print_only), print_only, contents,
                 (colophon,))


PUBLISHERS = {"en": "Harbour Books", "de": "Beispiel Verlag", "fr": "Éditions Exemple"}
ISBNS = ("978-0-306-40615-7", "978-1-80514-115-0", "978-3-16-148410-0")


def _sentence(rng: random.Random, words: list[str], italic: bool) -> list[Segment]:
    n = rng.randint(6, 16)
    chosen = [rng.choice(words) for _ in range(n)]
    chosen[0] = chosen[0][:1].upper() + chosen[0][1:]
    if n > 9 and rng.random() < 0.4:
        chosen[rng.randint(3, n - 4)] += ","
    end = rng.choice(".....?")
    segments: list[Segment] = []
    if italic and n > 6:
        at = rng.randint(1, n - 4)
        span = rng.randint(1, 3)
        segments.append(("t", " ".join(chosen[:at]) + " "))
        segments.append(("i", " ".join(chosen[at:at + span])))
        segments.append(("t", " " + " ".join(chosen[at + span:]) + end))
    else:
        segments.append(("t", " ".join(chosen) + end))
    return segments


def _text(rng: random.Random, words: list[str], sentences: int) -> list[Segment]:
    out: list[Segment] = []
    for k in range(sentences):
        if k:
            out.append(("t", " "))
        out += _sentence(rng, words, rng.random() < 0.3)
    return _merge(out)


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if out and s[0] == "t" and out[-1][0] == "t":
            out[-1] = ("t", out[-1][1] + s[1])
        else:
            out.append(s)
    return out


def _paragraph(rng: random.Random, words: list[str], notes: float, long_notes: float) -> Paragraph:
    segments = _text(rng, words, rng.randint(2, 7))
    if rng.random() < notes:
        for _ in range(rng.choice((1, 1, 1, 2))):
            # a reference after a sentence's end or after a word
            texts = [i for i, s in enumerate(segments) if s[0] == "t"]
            i = rng.choice(texts)
            text = segments[i][1]
            cuts = [k for k, ch in enumerate(text) if ch == " " and k and text[k - 1] != " "]
            if not cuts:
                continue
            k = rng.choice(cuts)
            long = rng.random() < long_notes
            note = ("n", tuple(_text(rng, words, rng.randint(8, 14) if long else rng.randint(1, 3))))
            segments[i:i + 1] = [s for s in (("t", text[:k]), note, ("t", text[k:])) if s[1]]
    if segments[-1][0] == "t" and rng.random() < 0.3:  # a note closing the paragraph
        segments.append(("n", tuple(_text(rng, words, rng.randint(1, 2)))))
    return Paragraph(tuple(segments))


def generate(seed: int, chapters: int = 5, language: str = "en", notes: float = 0.5,
             paragraphs: tuple[int, int] = (4, 10), long_notes: float = 0.12) -> Book:
    """A seeded book; ``long_notes``: the share of notes of 8 to 14 sentences
    (a sidenote is short: a long one would run past its page's margin)."""
    rng = random.Random(seed)
    words = list(WORDS[language])
    titles: list[str] = []
    chapter_list = []
    for n in range(1, chapters + 1):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4))).capitalize()
        title = f"{n} {title}" if language == "en" else f"{n}. {title}"
        titles.append(title)
        blocks: list[Paragraph | Heading] = []
        for k in range(rng.randint(*paragraphs)):
            if k and rng.random() < 0.15:
                head = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
                blocks.append(Heading(head.upper() if rng.random() < 0.5 else head.capitalize()))
            blocks.append(_paragraph(rng, words, notes, long_notes))
        chapter_list.append(Chapter(title, tuple(blocks)))
    name = lambda: " ".join(rng.choice(("Mara", "Olek", "Ines", "Piet", "Lena", "Tomas"))
                            for _ in range(1)) + " " + rng.choice(("Quint", "Brandt", "Moreau",
                                                                   "Keller", "Varga"))
    title = " ".join(rng.choice(words) for _ in range(3)).title()
    subtitle = " ".join(rng.choice(words) for _ in range(4)).capitalize()
    front = front_matter(language, title, subtitle, name(), name(), PUBLISHERS[language],
                         rng.choice(ISBNS), rng.randint(1990, 2025))
    return Book(language, front, tuple(chapter_list))


def canon(segments, notes: bool = True) -> str:
    """A paragraph as one comparable string: _italic_ and [^note text]."""
    out = []
    for s in segments:
        if s[0] == "t":
            out.append(s[1])
        elif s[0] == "i":
            out.append(f"_{s[1]}_")
        elif notes:
            out.append(f"[^{canon(s[1])}]")
    return " ".join("".join(out).split())
