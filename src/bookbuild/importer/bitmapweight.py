"""Rule "bold bitmap font": a TeX bitmap font (a Type 3 font, ``texbitmaps``)
says nothing of its weight, neither in a name nor in a descriptor's stems,
so its bold face (a run-in heading's, a term's) reads as the text's. Its
letters' advances still tell it: TeX's bold extended faces set each letter
wider than the regular face at its size (EC bold 1.12 to 1.18 times as wide
in the books measured: "a" 0.547 em against 0.489), where its italic, slanted
and sans faces stay within 1.07 of it. Small capitals are wider still
(their lower-case letters are capitals), and are not bold. Faces are
compared at the text face's size only: TeX's faces are drawn for their
design size, and a small one sets its letters wider per em (Computer
Modern's and EC's 7pt and 6pt faces 1.14 and 1.18 times their 10pt face's,
as wide as a bold's), a large one narrower.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

#: A bitmap face whose lower-case letters advance this many times the text
#: face's same letters (their median ratio) is bold...
BOLD_WIDTHS = 1.1
#: ... and no more than this many times: small capitals' are 1.2 and more.
SMALL_CAPITALS_WIDTHS = 1.2
#: Letters compared, at least (a face shown in a word or two says nothing).
LETTERS = 4
#: Glyphs this far (in points) from the text face's size are not compared:
#: TeX's design sizes stand 0.95pt apart at the least (10pt and 10.95pt).
SAME_SIZE_PT = 0.5


def mark_bold(pages: list) -> None:
    """Set ``bold`` on the glyphs of each bitmap face of ``pages`` (their
    ``pdfread.Page`` s) wider than the book's text face by BOLD_WIDTHS,
    measured against the text face (the bitmap face most glyphs are set in)
    at its size (the size most of them are set at)."""
    fonts = {name: font for page in pages for name, font in page.fonts.items()
             if font.procedures}
    counts = Counter((g.font, round(g.size, 1)) for page in pages for g in page.glyphs
                     if g.font in fonts)
    if len({name for name, _ in counts}) < 2:
        return
    face, size = counts.most_common(1)[0][0]
    widths: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        for g in page.glyphs:
            if g.font in fonts and g.text.islower() and len(g.text) == 1 and g.size > 0 \
                    and abs(g.size - size) <= SAME_SIZE_PT:
                widths[g.font][g.text].append((g.x1 - g.x0) / g.size)
    text = {c: statistics.median(w) for c, w in widths[face].items()}
    heavy = set()
    for name, letters in widths.items():
        ratios = [statistics.median(w) / text[c] for c, w in letters.items() if text.get(c)]
        if len(ratios) >= LETTERS \
                and BOLD_WIDTHS <= statistics.median(ratios) < SMALL_CAPITALS_WIDTHS:
            heavy.add(name)
    for page in pages:
        for g in page.glyphs:
            g.bold = g.bold or g.font in heavy
