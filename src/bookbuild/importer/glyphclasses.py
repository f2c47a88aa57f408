"""Rules about glyphs that print as one letter or one word but are drawn as
more than one, or set apart, by classes of type setting (issue #26): an
accent drawn as a glyph of its own over its letter (old TeX fonts), a
capital kerned into the letter after it, a logo's raised letter, letters
spaced apart within a line of text, a low quotation mark drawn as a lowered
closing one. Each rule reads a printed line's glyphs (``pdfread.Glyph``)
where ``pdfsource`` makes them into lines, or the steps ``pdfread`` learns a
glyph's advance from.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter

#: The combining mark each spacing accent stands for, when it is drawn over
#: (or under) a letter as a glyph of its own: TeX's ``\\accent`` with a font
#: that has no accented letters (OT1: ``\\"u``), as PDFium reads its glyphs.
SPACING_ACCENTS = {
    "\u00a8": "\u0308",  # diaeresis
    "\u00b4": "\u0301", "\u02ca": "\u0301",  # acute
    "`": "\u0300", "\u02cb": "\u0300",  # grave
    "^": "\u0302", "\u02c6": "\u0302",  # circumflex
    "~": "\u0303", "\u02dc": "\u0303",  # tilde
    "\u00af": "\u0304", "\u02c9": "\u0304",  # macron
    "\u02d8": "\u0306",  # breve
    "\u02d9": "\u0307",  # dot above
    "\u02da": "\u030a",  # ring above
    "\u02dd": "\u030b",  # double acute
    "\u02c7": "\u030c",  # caron
    "\u00b8": "\u0327",  # cedilla
    "\u02db": "\u0328",  # ogonek
}
#: A dotless letter under an accent is the letter itself (``\\'{\\i}``: í).
DOTLESS = {"\u0131": "i", "\u0237": "j"}
#: Kerning moves a letter by a tenth or so of an em (0.11 em between an
#: italic "T" and most lower-case letters in the books measured); a word
#: space moves it further, 0.14 em at the tightest.
KERN_EM = 0.13
#: Glyphs this close (in ems) stand with no word space between them.
TOUCHING_EM = 0.1
#: Letters are set apart (letter-spaced) when this much (in ems) parts each
#: from its neighbours: kerning and a type setter's box leave a word's
#: letters within a few hundredths of an em of each other.
TRACKED_EM = 0.05
#: A letter-spaced run has at least this many glyphs (a word of four letters).
TRACKED_GLYPHS = 4
#: The low opening quotation marks a font without them draws as its closing
#: ones lowered to the baseline (german.sty in OT1: "„" as a lowered "”").
LOW_QUOTES = {"\u201d": "\u201e", "\u2019": "\u201a"}
#: How far (in ems) below its line's baseline such a mark stands: about the
#: x-height (1.06 ex in german.sty; 0.59 em in Computer Modern).
LOWERED_EM = (0.3, 0.8)


def _mark(text: str) -> str | None:
    """The combining mark a glyph's text draws alone, if it is an accent."""
    if len(text) != 1:
        return None
    return SPACING_ACCENTS.get(text) or (text if unicodedata.combining(text) else None)


def compose_accents(chars: list) -> list:
    """Rule "accent drawn as a glyph": an accent whose box stands over a
    letter's (its middle within the letter's advance: TeX centres it there)
    is that letter's, whichever of them is drawn first: the letter and the
    accent become one composed character (NFC), as pdftotext reads them,
    and a dotless i or j under it becomes the letter. An accent beside its
    neighbours (a typewriter's "^", a quotation's "`") stays as it is.
    ``chars``: a line's glyphs, left to right; returned without the accents
    taken."""
    if not any(_mark(text) for text in {c.text for c in chars}):  # most lines: none
        return chars
    letters = [c for c in chars if len(c.text) == 1 and c.text.isalpha()]
    taken: set[int] = set()
    for accent in chars:
        mark = _mark(accent.text)
        if mark is None:
            continue
        middle = (accent.x0 + accent.x1) / 2
        under = [c for c in letters if c.x0 <= middle <= c.x1]
        if not under:
            continue
        base = min(under, key=lambda c: abs((c.x0 + c.x1) / 2 - middle))
        # a letter with no composed form keeps the mark combining after it
        base.text = unicodedata.normalize("NFC", DOTLESS.get(base.text, base.text) + mark)
        taken.add(id(accent))
    return [c for c in chars if id(c) not in taken]


def advance(steps: Counter) -> float:
    """Rule "kerned capital": a glyph's advance, in ems, from the steps to
    the next glyph counted where that glyph starts within its ink
    (``pdfread._advances``). Kerning only shortens a step, and a capital
    such as an italic "T" or a "V" kerns with most lower-case letters after
    it, so its kerned steps can outnumber its true ones ("To", "Ta", "Te"
    against "Th"): the advance is the widest step within KERN_EM of the most
    common one that is counted at least half as often. A word space steps
    further than that and, each line's its own, seldom twice alike."""
    (common, most), *_ = steps.most_common(1)
    return max(step for step, count in steps.items()
               if common <= step <= common + KERN_EM and 2 * count >= most)


def logo_letters(chars: list) -> None:
    """Rule "a logo's raised letter": raised letters with letters on both
    sides and no space between (the small "A" of "LaTeX", kerned into the
    "L" and the "T") are part of their word, not a note's reference: a
    reference stands after its word, and a space or a mark follows it.
    ``chars``: a line's glyphs, left to right, their ``raised`` decided;
    those of such a logo are lowered back into the line."""
    i = 0
    while i < len(chars):
        if not chars[i].raised:
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j].raised:
            j += 1
        if 0 < i and j < len(chars) and all(c.text.isalpha() for c in chars[i - 1:j + 1]) \
                and _touching(chars[i - 1], chars[i]) and _touching(chars[j - 1], chars[j]):
            for c in chars[i:j]:
                c.raised = False
        i = j


def _touching(left, right) -> bool:
    return right.x0 - left.x1 < TOUCHING_EM * max(left.size, right.size)


def letter_spaced(chars: list, spacing: float, space_em: float) -> dict[int, float]:
    """Rule "letter-spaced run": small capitals or capitals letter-spaced in
    a line of ordinary text ("a K E E P E R of the light", every letter 0.2 em
    apart) have a letter gap of their own, which the line's (its words'
    letters touch) does not measure: within such a run the word spaces are
    the gaps ``space_em`` wider than the run's own letter gap (the median of
    its gaps). A run is letters that no neighbour touches (a gap of
    TRACKED_EM or more on both sides), at least TRACKED_GLYPHS of them in a
    row (a leader's dots and a formula's signs are none); its letter gap
    must stand clearly below the line's word spaces outside it, or its gaps
    are those word spaces ("a b c d" in a line, a table's cells) and the
    line's spacing decides. The rest of such a line
    is measured by its own letter gap (the median of its gaps outside the
    runs), which a long run would otherwise set. ``spacing``: the line's
    letter spacing, in ems. Returned, for a line with such a run: the letter
    gap, in ems, to measure the gap before each glyph (by its place in
    ``chars``) by; for another line, nothing."""
    n = len(chars)
    if n < TRACKED_GLYPHS:
        return {}
    # between letters, in ems, before each glyph but the first: none beside
    # a space, a raised glyph or another sign (a leader's dots, a formula's)
    inner = [(b.x0 - a.x1) / (a.size if a.size > b.size else b.size)
             if a.text.isalpha() and b.text.isalpha() and not (a.raised or b.raised) else None
             for a, b in zip(chars, chars[1:])]
    # a run's glyphs stand apart on both sides (a line's end or a space is
    # apart): TRACKED_GLYPHS + 1 wide gaps in a row
    if "1" * (TRACKED_GLYPHS + 1) not in "".join(
            ["1", *["0" if g is not None and g < TRACKED_EM else "1" for g in inner], "1"]):
        return {}  # the common line, at once
    gaps: list[float | None] = [None, *inner, None]  # gaps[k]: before chars[k]
    wide = [g is None or g >= TRACKED_EM for g in gaps]
    apart = [wide[k] and wide[k + 1] for k in range(n)]
    runs: list[list[int]] = []
    for k in range(1, n):
        if apart[k - 1] and apart[k] and gaps[k] is not None:
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
    runs = [run for run in runs if len(run) >= TRACKED_GLYPHS - 1]
    if not runs:
        return {}
    inside = {k for run in runs for k in run}
    outside = [g for k, g in enumerate(gaps) if g is not None and k not in inside]
    if len(outside) >= TRACKED_GLYPHS:  # the text's own letter gap, the runs' aside
        spacing = statistics.median(outside)
    words = [g for g in outside if g - spacing > space_em]
    out: dict[int, float] = {}
    for run in runs:
        letter = statistics.median(gaps[k] for k in run)
        if words and spacing < letter <= min(words) - space_em / 2:
            # and a sign set against its ends ("R.", "LETTERS,"), spaced as its letters
            signs = [k for k in (run[0] - 1, run[-1] + 1)
                     if 0 < k < n and gaps[k] is None
                     and chars[k - 1].text != " " != chars[k].text]
            out.update(dict.fromkeys(run + signs, letter))
    if out:  # the rest of the line measured by its own letter gap
        out.update((k, spacing) for k in range(1, n) if k not in out)
    return out


def low_quotes(rows: list) -> list:
    """Rule "low quotation mark drawn lowered": a font without German
    opening quotation marks (OT1, for which german.sty's ``"`` and ``\\glqq``
    lower the closing mark to the baseline) draws "„" as a "”" set LOWERED_EM
    below its line's baseline, so low that it stands in no line and makes one
    of its own. A line of such marks alone, at its line's size, within that
    line's extent (or opening it) and below its baseline by so much, is its
    opening marks, "„" (or "‚"), put back into the line. ``rows``: a page's
    lines, top to bottom; returned without the lines put back."""
    lone = {id(r): r for r in rows if all(c.text in LOW_QUOTES for c in r.chars)}
    gone: set[int] = set()
    for marks in lone.values():
        for line in rows:
            if id(line) in lone:
                continue
            drop = (marks.bottom - line.bottom) / line.size
            if line.top < marks.top < line.bottom and LOWERED_EM[0] <= drop <= LOWERED_EM[1] \
                    and abs(marks.size - line.size) <= 0.1 * line.size \
                    and line.chars[0].x0 - line.size <= marks.chars[0].x0 \
                    and marks.chars[-1].x1 <= line.chars[-1].x1:
                for c in marks.chars:
                    c.text = LOW_QUOTES[c.text]
                line.chars = sorted(line.chars + marks.chars, key=lambda c: c.x0)
                gone.add(id(marks))
                break
    return [r for r in rows if id(r) not in gone] if gone else rows
