"""The importer's inline marks: emphasis and note references, whatever the input.

A PDF knows which words are italic and which digits are raised or lowered; a text
extraction says so with ``*stars*``, superscript digits, ``[1]`` or ``*``. Both
readers turn what they know into the same private-use marks, so every later
rule (notes, joins, headings, Markdown) reads one form and never guesses a
second time.
"""

from __future__ import annotations

import re

EM_OPEN, EM_CLOSE = "\ue000", "\ue001"
REF_OPEN, REF_CLOSE = "\ue002", "\ue003"
REF = re.compile(f"{REF_OPEN}([^{REF_CLOSE}]*){REF_CLOSE}")
#: A subscript (a PDF's lowered, smaller glyphs: CO₂, B₁): never a note's reference.
SUB_OPEN, SUB_CLOSE = "\ue004", "\ue005"
#: Code in a line of prose (a PDF's glyphs in a fixed-pitch font: ``\texttt``,
#: ``<span id="1">``): written as Markdown code, so that nothing in it is
#: read as markup (a straight quote as a quotation, a star as emphasis).
CODE_OPEN, CODE_CLOSE = "\ue006", "\ue007"
CODE = re.compile(f"{CODE_OPEN}([^{CODE_CLOSE}]*){CODE_CLOSE}")
_MARKS = re.compile(f"[{EM_OPEN}{EM_CLOSE}{SUB_OPEN}{SUB_CLOSE}{CODE_OPEN}{CODE_CLOSE}]"
                    f"|{REF.pattern}")

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
#: Symbols printed as note markers, in the order books use them on a page.
SYMBOLS = "*†‡§‖¶"
#: Rule "several references at one place" (books in Chicago's notes style,
#: bookbuild's own print editions): notes referred to at one place are a
#: raised group of their numbers, in order, parted by commas ("2,3"), since
#: "23" would read as one note.
_REF_GROUP = re.compile(r"\d{1,3}(?:,\d{1,3})+")


def ref(label: str) -> str:
    return f"{REF_OPEN}{label}{REF_CLOSE}"


def references(label: str) -> str:
    """The references a raised label makes: one, or one for each note of a
    group (rule "several references at one place", ``_REF_GROUP``)."""
    numbers = [int(n) for n in label.split(",")] if _REF_GROUP.fullmatch(label) else []
    if not numbers or numbers != sorted(set(numbers)):
        return ref(label)  # raised text of another kind: kept as it is
    return "".join(ref(str(n)) for n in numbers)


def sub(text: str) -> str:
    return f"{SUB_OPEN}{text}{SUB_CLOSE}"


def emph(text: str) -> str:
    return f"{EM_OPEN}{text}{EM_CLOSE}"


def label_of(raw: str) -> str:
    """A marker or label as a key: "¹²" and "12" are "12"; "**" stays "**"."""
    return raw.translate(_TO_DIGITS)


def refs(text: str) -> list[str]:
    return REF.findall(text)


def plain(text: str) -> str:
    """The words alone: no emphasis marks and no references."""
    return _MARKS.sub("", text)


def balance(text: str) -> str:
    """Close emphasis left open and drop a close with no opening (a paragraph
    joined from pieces keeps its marks paired)."""
    out, depth = [], 0
    for ch in text:
        if ch == EM_OPEN:
            if depth:
                continue
            depth = 1
        elif ch == EM_CLOSE:
            if not depth:
                continue
            depth = 0
        out.append(ch)
    if depth:
        out.append(EM_CLOSE)
    return "".join(out).replace(EM_OPEN + EM_CLOSE, "")


def with_id(label: str, rid: int) -> str:
    """A reference mark that names its occurrence, so a note binds to exactly one."""
    return ref(f"{label}\x1f{rid}")


def ref_parts(content: str) -> tuple[str, int | None]:
    label, _, rid = content.partition("\x1f")
    return label, int(rid) if rid else None
