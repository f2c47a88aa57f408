"""The printer's boxes: a TrimBox and a BleedBox on every page of a book with
a bleed (``print: {bleed: ...}``), which Typst does not write.

Typst sets the page a bleed makes (``PrintSettings.sheet``, its MediaBox);
the trim lies inside it, against the spine: on a recto the bleed is on the
right, on a verso on the left, and at the head and foot of both. The boxes go
into each page's dictionary, after its MediaBox, by an edit of the bytes
Typst wrote (its page dictionaries are plain objects, its cross-reference a
table), each object's offset in the table moved by what went in before it:
nothing else changes, so the PDF stays PDF/A-2b and the same book gives the
same bytes.
"""

from __future__ import annotations

import bisect
import itertools
import re

from ..config import PrintSettings

_PAGES = re.compile(rb"/Type/Pages/Count (\d+)/Kids\[([^\]]*)\]")
_MEDIA_BOX = re.compile(rb"/MediaBox\[[^\]]*\]")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n")
_STARTXREF = re.compile(rb"\nstartxref\n(\d+)\n%%EOF\s*$")
_ENTRY = 20  # bytes of a cross-reference entry: "0000000016 00000 n\r\n"


class BoxesError(RuntimeError):
    """Typst's PDF is not laid out as the edit expects: a bug, not the book's."""


def _number(value: float) -> bytes:
    return f"{value:.4f}".rstrip("0").rstrip(".").encode()


def _box(name: bytes, *values: float) -> bytes:
    return b"/" + name + b"[" + b" ".join(_number(v) for v in values) + b"]"


def trim_box(index: int, trim: PrintSettings) -> tuple[float, float, float, float]:
    """Where the 0-based page ``index`` is cut, on its sheet: left, bottom, right, top."""
    b = trim.bleed
    left = 0.0 if index % 2 == 0 else b  # a recto's spine is on its left
    return left, b, left + trim.width, b + trim.height


def with_boxes(pdf: bytes, trim: PrintSettings) -> bytes:
    """``pdf``, typeset on ``trim.sheet()``, with each page's TrimBox (the
    trim) and BleedBox (the whole sheet); unchanged without a bleed."""
    b = trim.bleed
    if not b:
        return pdf
    pages = _PAGES.search(pdf)
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", pages[2])] if pages else []
    if not pages or len(kids) != int(pages[1]):
        raise BoxesError("the PDF's pages are not one flat list")
    inserts: list[tuple[int, bytes]] = []  # (offset, bytes) in the order of the file
    for index, number in enumerate(kids):
        start = pdf.find(b"\n%d 0 obj\n" % number)
        media = _MEDIA_BOX.search(pdf, start, pdf.find(b"endobj", start)) if start >= 0 else None
        if media is None:
            raise BoxesError(f"page {index + 1} of the PDF has no MediaBox")
        inserts.append((media.end(), _box(b"TrimBox", *trim_box(index, trim))
                        + _box(b"BleedBox", 0, 0, trim.width + b, trim.height + 2 * b)))
    inserts.sort()
    xref, startxref = _XREF.search(pdf), _STARTXREF.search(pdf)
    if xref is None or startxref is None or int(startxref[1]) != xref.start() + 1:
        raise BoxesError("the PDF has no cross-reference table where it says")

    places = [at for at, _ in inserts]
    grown = list(itertools.accumulate((len(data) for _, data in inserts), initial=0))

    def moved(offset: int) -> int:  # by what went in before it (a book's pages times its objects)
        return offset + grown[bisect.bisect_left(places, offset)]

    table = xref.end()
    entries = [pdf[table + k * _ENTRY:table + (k + 1) * _ENTRY] for k in range(int(xref[1]))]
    entries = [entry if entry.endswith(b"f\r\n")
               else b"%010d" % moved(int(entry[:10])) + entry[10:] for entry in entries]
    parts, at = [], 0
    for offset, data in inserts:
        parts += [pdf[at:offset], data]
        at = offset
    parts += [pdf[at:table], b"".join(entries), pdf[table + len(entries) * _ENTRY:startxref.start()],
              b"\nstartxref\n%d" % moved(int(startxref[1])), pdf[startxref.end(1):]]
    return b"".join(parts)
