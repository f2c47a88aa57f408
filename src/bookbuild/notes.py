"""Find note references and definitions in Markdown source, lint them, and tag them.

Pandoc turns ``[^label]`` into anonymous, numbered notes and, when a label is
defined twice, silently keeps one definition. To make a swapped or lost note
impossible rather than unlikely, every reference is wrapped in a span that
carries its position in the source (``[[^a]]{bbref=3}``). After conversion,
:mod:`bookbuild.endnotes` reads those spans back and refuses to continue unless
each reference it finds is exactly one of the references found here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import NoteError, Problem

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s^]+)\]:")
_REFERENCE = re.compile(r"(?<!\\)\[\^([^\]\s^]+)\]")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class NoteRef:
    label: str
    line: int
    offset: int  # character offset of the '[' in the chapter text
    index: int  # 0-based position among the chapter's references


@dataclass(frozen=True)
class NoteDef:
    label: str
    line: int
    end_line: int  # last line that belongs to the definition


@dataclass(frozen=True)
class SourceNotes:
    """Every reference in reading order and every definition, by label."""

    file: Path
    refs: tuple[NoteRef, ...]
    defs: tuple[NoteDef, ...]

    def labels(self) -> tuple[str, ...]:
        """Referenced labels in order of first reference: one note each."""
        return tuple(dict.fromkeys(r.label for r in self.refs))


def _blank_out(text: str, pattern: re.Pattern[str]) -> str:
    """Replace matches by spaces, keeping newlines, so offsets and lines stay valid."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _code_free(text: str) -> str:
    """The text with fenced code, code spans and HTML comments blanked out."""
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            lines[i] = ""
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = None
            lines[i] = " " * len(line)
    masked = "\n".join(lines)
    # Code spans do not cross paragraphs: mask paragraph by paragraph.
    if "`" in masked:
        masked = "\n\n".join(_blank_out(p, _CODE_SPAN) if "`" in p else p
                               for p in masked.split("\n\n"))
    return _blank_out(masked, _COMMENT) if "<!--" in masked else masked


def _definition_extent(lines: list[str], start: int) -> int:
    """Index of the last line of the definition opening at ``start`` (Pandoc's rules:
    lazy continuation until a blank line, then only indented blocks)."""
    end = start
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and (lines[j].startswith("    ") or lines[j].startswith("\t")):
                end = i = j
                i += 1
                continue
            break
        if _DEFINITION.match(line):
            break
        prev_blank = not lines[i - 1].strip()
        if prev_blank and not (line.startswith("    ") or line.startswith("\t")):
            break
        end = i
        i += 1
    return end


def scan(text: str, file: Path) -> SourceNotes:
    masked = _code_free(text)
    lines = masked.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    defs: list[NoteDef] = []
    def_starts: set[int] = set()  # offsets of the '[' of each '[^x]:' that opens a definition
    for i, line in enumerate(lines):
        m = _DEFINITION.match(line)
        if m:
            end = _definition_extent(lines, i)
            defs.append(NoteDef(label=m.group(1), line=i + 1, end_line=end + 1))
            def_starts.add(line_starts[i] + m.group(0).index("["))

    refs: list[NoteRef] = []
    for m in _REFERENCE.finditer(masked):
        if m.start() in def_starts:
            continue
        line = bisect.bisect_right(line_starts, m.start())
        refs.append(NoteRef(label=m.group(1), line=line, offset=m.start(), index=len(refs)))
    return SourceNotes(file=file, refs=tuple(refs), defs=tuple(defs))


def lint(notes: SourceNotes) -> list[Problem]:
    """Mistakes Pandoc would hide: it prints an undefined ``[^x]`` as text, drops
    an unused note, and keeps one of two definitions of a label without a word."""
    problems: list[Problem] = []
    first_def: dict[str, NoteDef] = {}
    for d in notes.defs:
        if d.label in first_def:
            problems.append(Problem(
                f"note [^{d.label}] is defined twice (first on line {first_def[d.label].line})",
                notes.file, d.line))
        else:
            first_def[d.label] = d
    referenced = {r.label for r in notes.refs}
    for r in notes.refs:
        if r.label not in first_def:
            problems.append(Problem(f"note reference [^{r.label}] has no definition in this file",
                                    notes.file, r.line))
        elif any(d.line <= r.line <= d.end_line for d in notes.defs):
            problems.append(Problem(f"note reference [^{r.label}] inside a note: "
                                    "notes cannot have notes of their own", notes.file, r.line))
    for d in first_def.values():
        if d.label not in referenced:
            problems.append(Problem(f"note [^{d.label}] is defined but never referenced",
                                    notes.file, d.line))
    return sorted(problems, key=lambda p: p.line or 0)


def check_all(all_notes: list[SourceNotes]) -> None:
    problems = [p for n in all_notes for p in lint(n)]
    if problems:
        raise NoteError.from_problems(problems)


REF_ATTRIBUTE = "data-bbref"


def tag_references(text: str, notes: SourceNotes) -> str:
    """Wrap each reference in a span that names its index, for :mod:`endnotes` to verify."""
    out = text
    for r in reversed(notes.refs):
        token = f"[^{r.label}]"
        assert out[r.offset:r.offset + len(token)] == token
        out = out[:r.offset] + f"[{token}]{{bbref={r.index}}}" + out[r.offset + len(token):]
    return out
