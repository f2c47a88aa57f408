"""Rule "bold bitmap font": a TeX bitmap font (a Type 3 font, ``texbitmaps``)
says nothing of its weight, neither in a name nor in a descriptor's stems,
so its bold face (a run-in heading's, a term's) reads as the text's. Its
letters' advances still tell it: TeX's bold extended faces set each letter
wider than the regular face at its size (EC bold 1.12 to 1.18 times as wide
in the books measured: "a" 0.547 em against 0.489), where its italic, slanted
and sans faces stay within 1.07 of it. Small capitals are wider still
(their lower-case letters are capitals), and are not bold.
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


def mark_bold(pages: list) -> None:
    """Set ``bold`` on the glyphs of each bitmap face of ``pages`` (their
    ``pdfread.Page`` s) wider than the book's text face by BOLD_WIDTHS,
    measured against the text face: the bitmap face most glyphs are set in."""
    fonts = {name: font for page in pages for name, font in page.fonts.items()
             if font.procedures}
    counts = Counter(g.font for page in pages for g in page.glyphs if g.font in fonts)
    if len(counts) < 2:
        return
    widths: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        for g in page.glyphs:
            if g.font in fonts and g.text.islower() and len(g.text) == 1 and g.size > 0:
                widths[g.font][g.text].append((g.x1 - g.x0) / g.size)
    text = {c: statistics.median(w) for c, w in widths[counts.most_common(1)[0][0]].items()}
    heavy = set()
    for name, letters in widths.items():
        ratios = [statistics.median(w) / text[c] for c, w in letters.items() if text.get(c)]
        if len(ratios) >= LETTERS \
                and BOLD_WIDTHS <= statistics.median(ratios) < SMALL_CAPITALS_WIDTHS:
            heavy.add(name)
    for page in pages:
        for g in page.glyphs:
            g.bold = g.bold or g.font in heavy
