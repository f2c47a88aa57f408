"""Write imported text as Pandoc Markdown that says exactly what the print said.

Plain text is escaped wherever Pandoc would read markup into it (a line that
starts "1." or "a." would become a list, "[...]" a link, "@name" a
citation); the marks of ``inline`` become ``*emphasis*``, ``~sub~``, `` `code` ``
and ``[^n]``, notes numbered afresh in reading order; a line break kept in a
paragraph (a stanza's, rule "verse") ends its line in a backslash, Pandoc's hard
line break. Every block's output line is recorded, so the report can point into
the files it wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chapters import Block, Chapter, Note
from .inline import (CODE, EM_CLOSE, EM_OPEN, REF, SUB_CLOSE, SUB_OPEN, SUPERSCRIPTS, balance,
                     ref_parts)

_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")
_SPECIAL = re.compile(r"([\\`*\[\]^~$@|<>#_])")
#: (at each line's start: a stanza's lines start lines of its paragraph)
_LIST_START = re.compile(r"^(\(?(?:\d+|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+))([.)])(\s)", re.M)
_BULLET_START = re.compile(r"^([-+:%])(\s|$)", re.M)
_EMPTY_EM = re.compile(f"{EM_OPEN}(\\s*){EM_CLOSE}")
_JOINED_EM = re.compile(f"{EM_CLOSE}(\\s+){EM_OPEN}")
_TO_SUPER = str.maketrans("0123456789", SUPERSCRIPTS)


@dataclass
class Written:
    """A file's Markdown and the output line of each block and note in it."""

    text: str
    lines: dict[int, int] = field(default_factory=dict)  # id(Block | Note) -> line

    def line_of(self, target: Block | Note | None) -> int | None:
        return None if target is None else self.lines.get(id(target))


def escape(text: str) -> str:
    parts = []
    last = 0
    for m in _AUTOLINK.finditer(text):
        parts.append(_SPECIAL.sub(r"\\\1", text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_SPECIAL.sub(r"\\\1", text[last:]))
    out = "".join(parts)
    out = _LIST_START.sub(r"\1\\\2\3", out)
    return _BULLET_START.sub(r"\\\1\2", out)


def _escaped(text: str) -> str:
    """``escape`` but for the code in ``text``, which goes in backticks as it
    stands; code that is a whole web address (as LaTeX's url package sets
    one) is a link."""
    parts, last = [], 0
    for m in CODE.finditer(text):
        code = m.group(1)
        inner = code.strip()
        ticks = _ticks(inner, 1)
        pad = " " if inner.startswith("`") or inner.endswith("`") else ""
        written = f"<{inner}>" if _AUTOLINK.fullmatch(f"<{inner}>") \
            else f"{ticks}{pad}{inner}{pad}{ticks}" if inner else ""
        parts += [escape(text[last:m.start()]), code[:len(code) - len(code.lstrip())], written,
                  code[len(code.rstrip()):]]
        last = m.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def _emphasis(text: str) -> str:
    """Marks to ``*…*``, with the spaces outside the stars where Pandoc needs them."""
    text = balance(_JOINED_EM.sub(r"\1", _EMPTY_EM.sub(r"\1", text)))
    text = re.sub(f"{EM_OPEN}(\\s+)", rf"\1{EM_OPEN}", text)
    text = re.sub(f"(\\s+){EM_CLOSE}", rf"{EM_CLOSE}\1", text)
    return text.replace(EM_OPEN, "*").replace(EM_CLOSE, "*")


def inline_markdown(text: str, numbers: dict[int, int] | None = None) -> str:
    """Escape ``text``; references with a note become ``[^n]``, others stay raised."""
    numbers = numbers or {}
    out = []
    last = 0
    for m in REF.finditer(text):
        out.append(_escaped(text[last:m.start()]))
        label, rid = ref_parts(m.group(1))
        if rid in numbers:
            out.append(f"[^{numbers[rid]}]")
        elif label.isdigit():
            out.append(label.translate(_TO_SUPER))
        else:
            out.append(f"^{escape(label)}^")
        last = m.end()
    out.append(_escaped(text[last:]))
    return _emphasis("".join(out)).replace(SUB_OPEN, "~").replace(SUB_CLOSE, "~") \
        .replace("\n", "\\\n")


def _ticks(code: str, least: int) -> str:
    """More backticks than any run in ``code`` (``least`` at least), so that
    nothing inside is read as Markdown."""
    return "`" * max(least, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))


def fenced(code: str) -> str:
    """A listing as printed, in a fence (``_ticks``)."""
    fence = _ticks(code, 3)
    return f"{fence}\n{code}\n{fence}"


def chapter_markdown(chapter: Chapter) -> Written:
    numbers = {note.ref: n for n, note in enumerate(chapter.notes, start=1)}
    numbers |= {rid: numbers[note.ref] for rid, note in chapter.again.items()}
    written = Written("")
    lines = [f"# {inline_markdown(chapter.title, numbers)}", ""]
    kept = 0  # the lines a hard line break (rule "verse") added inside the entries so far
    for k, block in enumerate(chapter.blocks):
        written.lines[id(block)] = len(lines) + kept + 1
        if block.kind != "code":  # a listing's lines are entries of their own
            kept += block.text.count("\n")
        defined = k + 1 < len(chapter.blocks) and chapter.blocks[k + 1].kind == "text"
        if block.kind == "term":  # a description item's: its text follows as the definition
            lines += [inline_markdown(block.text, numbers)] + ([] if defined else [""])
        elif k and chapter.blocks[k - 1].kind == "term" and block.kind == "text":
            lines += [f":   {inline_markdown(block.text, numbers)}", ""]
        elif block.kind == "heading":
            lines += [f"{'#' * max(2, block.level)} {inline_markdown(block.text, numbers)}", ""]
        elif block.kind == "separator":
            lines += ["* * *", ""]
        elif block.kind == "code":
            lines += [*fenced(block.text).split("\n"), ""]
        else:
            lines += [inline_markdown(block.text, numbers), ""]
    for note in chapter.orphans:
        written.lines[id(note)] = len(lines) + kept + 1
        lines += [inline_markdown(f"{note.label} {' '.join(note.paragraphs)}"), ""]
    for n, note in enumerate(chapter.notes, start=1):
        written.lines[id(note)] = len(lines) + kept + 1
        first, *rest = note.paragraphs
        lines += [f"[^{n}]: {inline_markdown(first)}", ""]
        for paragraph in rest:
            lines += [f"    {inline_markdown(paragraph)}", ""]
    written.text = "\n".join(lines).rstrip("\n") + "\n"
    return written


def plain_markdown(paragraphs: list[str]) -> str:
    return "\n\n".join(inline_markdown(p) for p in paragraphs) + "\n"
