"""Write imported text as Pandoc Markdown that says exactly what the print said.

Plain text is escaped wherever Pandoc would read markup into it (a line that
starts "1." would become a list, "[...]" a link, "@name" a citation), except
the ``*italics*`` and ``<https://…>`` links the extraction already marks.
"""

from __future__ import annotations

import re

from .chapters import Chapter
from .source import SUPER_RUN, superscript_value

_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")
_SPECIAL = re.compile(r"([\\`\[\]^~$@|<>#_])")
_LONE_STAR = re.compile(r"(?<![\w*])\*(?![\w*])")
_LIST_START = re.compile(r"^(\d+)([.)])(\s)")
_BULLET_START = re.compile(r"^([-+*])(\s)")


def escape(text: str) -> str:
    parts = []
    last = 0
    for m in _AUTOLINK.finditer(text):
        parts.append(_escape_plain(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_escape_plain(text[last:]))
    out = "".join(parts)
    out = _LIST_START.sub(r"\1\\\2\3", out)
    return _BULLET_START.sub(r"\\\1\2", out)


def _escape_plain(text: str) -> str:
    return _LONE_STAR.sub(r"\\*", _SPECIAL.sub(r"\\\1", text))


def with_references(text: str, notes: set[int]) -> str:
    """Escape ``text`` and turn superscript references that have a note into ``[^n]``."""
    out = []
    last = 0
    for m in SUPER_RUN.finditer(text):
        n = superscript_value(m.group(0))
        if n in notes:
            out.append(escape(text[last:m.start()]))
            out.append(f"[^{n}]")
            last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def chapter_markdown(chapter: Chapter) -> str:
    notes = set(chapter.notes) - set(chapter.orphan_notes)
    lines = [f"# {with_references(chapter.title, notes)}", ""]
    for block in chapter.blocks:
        if block.kind == "heading":
            lines += [f"## {with_references(block.text, notes)}", ""]
        elif block.kind == "separator":
            lines += ["* * *", ""]
        else:
            lines += [with_references(block.text, notes), ""]
    for n in chapter.orphan_notes:
        lines += [escape(f"{n} {' '.join(chapter.notes[n].paragraphs)}"), ""]
    for n in sorted(notes):
        first, *rest = chapter.notes[n].paragraphs
        lines += [f"[^{n}]: {escape(first)}", ""]
        for paragraph in rest:
            lines += [f"    {escape(paragraph)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def plain_markdown(paragraphs: list[str]) -> str:
    return "\n\n".join(escape(p) for p in paragraphs) + "\n"
