"""knitr's and Quarto's code chunks made plain fenced code, as knitr finds them.

Pandoc does not take ```` ```{r label} ```` or ```` ```{r, eval = FALSE} ````
as a fence, so the chunk's closing fence would open a code block that eats the
prose after it. knitr reads these lines before Pandoc with its own patterns,
``all_patterns$md`` in knitr's ``R/pattern.R`` (github.com/yihui/knitr)::

    chunk.begin = '^[\\t >]*```+\\s*\\{([a-zA-Z0-9_]+( *[ ,].*)?)\\}\\s*$'
    chunk.end   = '^[\\t >]*```+\\s*$'

and, in ``R/parser.R`` (``group_indices``), ends a chunk at the first line that
repeats the header's indent and backticks exactly. The same is done here, line
by line as knitr does, never asking what Pandoc would make of the text: a
header inside a longer fence or an indented block is a chunk to knitr too
(which is why its documentation shows a chunk verbatim with ```` `r ''` ````
after the header, or with the ``verbatim`` engine), so the book reads as
bookdown's does.

Each chunk becomes a fence with its engine as class (```` ```r ````). Its
options decide what is shown: ``include`` false hides it, ``echo`` false hides
its code, and lines of ``#|`` options (xfun's ``divide_chunk``) are dropped.
Removed lines become empty ones (inside a block quote, its bare ``>``), so
every line keeps its number; knitr's blank line before a block it writes is
taken from the blank line after the chunk when the line before is text (the
code then sits one line lower). No chunk runs: :func:`chunks` counts, per engine,
those whose results a reader would see (``eval`` and ``include`` true), with
the line of the first, so the warning says where to look.

Some engines hold Markdown, not code, and need no R: knitr's ``asis`` (its
text as it is, when ``echo``), ``block`` and ``block2`` (``R/engine.R``: a
``<div class="TYPE">`` around the text, or the bare text without ``type``),
and the theorem and proof environments bookdown registers (``R/utils.R``,
``eng_theorem2``: ``::: {.exercise #label name="..."}`` around the text,
which its Lua filter labels, and ``refs.crossrefs`` here). Their text is the book's, as in bookdown: a
fenced div, never code, never counted as not run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.events import AliasEvent

from ..lang.words import ENVIRONMENTS

CHUNK_BEGIN = re.compile(r"^([\t >]*)(```+)\s*\{([a-zA-Z0-9_]+( *[ ,].*)?)\}\s*$")
#: Chunk options written as comments at the top of the body: ``#| echo: false``
#: (R, Python, Julia...), ``//|`` (JavaScript, OJS), ``--|`` (SQL).
_OPTION_LINE = re.compile(r"^\s*(#|//|--)\|\s?(.*)$")
#: knitr's inline code in Markdown (``all_patterns$md$inline.code``: not where a
#: line starts with two backticks; it may run over lines), and the expressions
#: whose value is known without R: a string literal (knitr's own way to show a
#: chunk header verbatim is ```` ```{r}`r ''` ````), or one chosen by the output
#: format, ``if (knitr::is_html_output()) '...'`` (an EPUB is HTML: the text)
#: or ``is_latex_output()`` (never LaTeX here: nothing), as bookdown's own
#: template writes its References heading.
INLINE = re.compile(r"`r[ #]([^`]+)\s*`")
_STRING = r"""(?:'([^'\\]*)'|"([^"\\]*)")"""
_LITERAL = re.compile(rf"\s*(?:if\s*\(\s*(?:knitr\s*:::?\s*)?is_(html|latex)_output\(\s*\)\s*\)\s*)?"
                      rf"{_STRING}\s*", re.S)
#: A chunk whose code only shows an image file, knitr's ``include_graphics``:
#: its result is known without R, the image, so it becomes a figure.
_INCLUDE_GRAPHICS = re.compile(r"""\s*(?:knitr\s*::\s*)?include_graphics\(\s*(?:path\s*=\s*)?"""
                               r"""(?:"([^"\\]+)"|'([^'\\]+)')\s*(?:,[^()]*)?\)\s*""")
_R_STRING = re.compile(r"""\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*""")
#: bookdown's theorem and proof environments, knitr engines it registers, as
#: fenced divs too (``::: {.theorem #pyth}``); their names are the book's words.
BOOKDOWN_ENVIRONMENTS = tuple(ENVIRONMENTS)
#: The label prefix of each theorem environment (``thm`` of ``thm:pyth``),
#: numbered per chapter by kind; the proof environments have none.
THEOREM_LABELS = {env: prefix for env, prefix in ENVIRONMENTS.items() if prefix}
#: knitr's engines whose body is Markdown text.
_TEXT_ENGINES = ("asis", "block", "block2", *BOOKDOWN_ENVIRONMENTS)
#: knitr's engines that show their body as code and compute nothing (``R/engine.R``):
#: ``cat`` (in the language of its ``lang`` or ``class.source``, else nothing: it
#: writes a file), ``verbatim`` (of its ``lang``), ``comment`` (nothing); unless
#: R gives the body (``code = ...``).
_CODE_ONLY = ("cat", "verbatim", "comment")
#: The options that decide what a chunk shows.
OPTIONS = ("eval", "echo", "include")
_TRUE = {"TRUE", "T", "true", "yes", "True"}
_FALSE = {"FALSE", "F", "false", "no", "False"}


@dataclass(frozen=True)
class Chunked:
    """A chapter's text with its chunks made plain fences (as many lines as
    before), and per engine the number of chunks whose results are missing
    and the line of the first: (engine, count, line)."""

    text: str
    never_ran: tuple[tuple[str, int, int], ...] = ()
    #: The labels of those chunks: a figure or table they would make has no number.
    unrun: tuple[str, ...] = ()
    knitr: bool = False  # the text held a chunk: it is R Markdown (or Quarto's)


def _split(params: str) -> list[str]:
    """``r label, echo=FALSE, fig.cap="a, b"``'s parts: commas outside quotes and brackets."""
    parts, depth, quote, current = [], 0, "", []
    for ch in params:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _flag(value: str) -> bool | None:
    """A literal true or false (R's or YAML's); anything computed is unknown."""
    value = value.strip()
    return True if value in _TRUE else False if value in _FALSE else None


@dataclass(frozen=True)
class Header:
    """What a chunk header's ``{...}`` says: its engine (the first word, knitr's
    ``get_chunk_engine``), then comma-separated options (``xfun::csv_options``):
    the literal ``eval``/``echo``/``include``, the label (the first part when
    unnamed) and the options given as R strings, named as Quarto names them
    (``fig.cap`` is ``fig-cap``), text to their author: ``<`` escaped."""

    engine: str
    flags: dict[str, bool]
    label: str | None = None
    strings: dict[str, str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()  # every option given a value


def header_options(params: str) -> Header:
    engine = re.match(r"[a-zA-Z0-9_]+", params).group(0)
    parts = _split(params[len(engine):])
    flags: dict[str, bool] = {}
    strings: dict[str, str] = {}
    for part in parts:
        name, eq, value = (s.strip() for s in part.partition("="))
        if eq and name in OPTIONS and (flag := _flag(value)) is not None:
            flags[name] = flag
        elif eq and (string := _R_STRING.fullmatch(value)) is not None:
            # an R string is text to its author: "(<GC>)" is no HTML tag
            strings.setdefault(name.replace(".", "-"), re.sub(
                r"([<>])", r"\\\1", string.group(1) or string.group(2) or ""))
    label = parts[0] if parts and "=" not in parts[0] else None
    names = frozenset(part.partition("=")[0].strip() for part in parts if "=" in part)
    return Header(engine, flags, label, strings, names)


def _yaml_options(lines: list[str]) -> dict:
    """A chunk's ``#|`` lines read as the YAML they are (Quarto's form); none,
    or YAML that is not a plain mapping, is no options."""
    text = "\n".join(_OPTION_LINE.match(line).group(2) for line in lines)
    if not text.strip():
        return {}
    yaml = YAML(typ="safe", pure=True)
    try:
        if any(isinstance(e, AliasEvent) or getattr(e, "anchor", None) for e in yaml.parse(text)):
            return {}  # nothing to expand: an alias could make a small text a huge one
        found = yaml.load(text)
    except YAMLError:
        return {}
    return found if isinstance(found, dict) else {}


def _with_yaml(header: Header, option_lines: list[str]) -> Header:
    """The header's options with the chunk's ``#|`` lines (Quarto's YAML) over
    them: knitr reads both, and takes ``fig.cap`` and ``fig-cap`` for one option
    (``dot_names`` in its R/utils.R). The flags stay the header's: the chunk's
    own are read line by line, as R's literals too."""
    found = {str(k).replace(".", "-"): v for k, v in _yaml_options(option_lines).items()}
    label = found.get("label", header.label)
    return replace(header, label=None if label is None else str(label),
                   strings={**header.strings, **{k: str(v) for k, v in found.items()
                                                 if isinstance(v, (str, int, float))
                                                 and not isinstance(v, bool)}},
                   names=header.names | found.keys())


def _figure(header: Header, code: list[str], folder: Path | None) -> str | None:
    """The Markdown figure a chunk stands for when its code only includes an
    image of ``folder`` (the chapter's): ``![caption](path){#id fig-alt="..."}``,
    with the label, caption and alt text of its options (Quarto's ``#|`` YAML,
    else the header's R: ``{r label, fig.cap = "..."}``). A Quarto label is
    the figure's id as written (``fig-x``); bookdown's chunk label ``x`` is
    ``fig:x``, as bookdown names it. With no caption (knitr's alt text when
    ``fig.alt`` is not given), or no such file, the chunk stays a chunk."""
    shown = [line for line in code if line.strip()]
    found = _INCLUDE_GRAPHICS.fullmatch(shown[0]) if len(shown) == 1 else None
    path = found and (found.group(1) or found.group(2))
    if found is None or folder is None or not (folder / path).is_file():
        return None
    label = header.label
    ident = label if label is None or label.startswith("fig-") else f"fig:{label}"
    caption = " ".join(header.strings.get("fig-cap", "").split())
    alt = " ".join(header.strings.get("fig-alt", "").split())
    if not caption:
        return None
    quoted = alt.replace("\\", "\\\\").replace('"', '\\"')  # Pandoc's escapes in a value
    attributes = " ".join(([f"#{ident}"] if ident else []) + ([f'fig-alt="{quoted}"'] if alt else []))
    return f"![{caption}]({path})" + (f"{{{attributes}}}" if attributes else "")


def _text_fences(header: Header) -> tuple[str, str]:
    """What opens and closes a text engine's chunk: a fenced div of its block
    ``type``, or, for a bookdown environment, as ``eng_theorem2`` writes it
    (``.exercise #label name="..."``); a block with no type is its bare text."""
    def quoted(value: str) -> str:
        value = re.sub(r"\\([<>])", r"\1", value)  # an attribute, not Markdown text
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if header.engine in BOOKDOWN_ENVIRONMENTS:
        name = header.strings.get("name")
        attributes = [f".{header.engine}", *([f"#{header.label}"] if header.label else []),
                      *([f"name={quoted(name)}"] if name else [])]
    elif header.engine != "asis" and (kind := header.strings.get("type")) \
            and re.fullmatch(r"[\w-]+", kind):
        attributes = [f".{kind}"]
    else:
        return "", ""
    return f"::: {{{' '.join(attributes)}}}", ":::"


def _bare(prefix: str) -> str:
    """What stands for a removed line: nothing, or a block quote's ``>`` marks."""
    return re.sub(r"[^>]", "", prefix)


def _indented(line: str, prefix: str) -> str:
    """A chunk's line as knitr writes it back: the header's indent (or block
    quote marks) removed where the line has it, as ``parse_block`` does, then
    put before the line, as its markdown hooks do (``line_prompt``), so that
    a chunk inside a list item stays in it even when its code is not indented."""
    if not prefix:
        return line
    return prefix + line.removeprefix(prefix).removeprefix(prefix.rstrip())


def _end(lines: list[str], at: int) -> int:
    """The line closing the chunk whose header is at ``at``: the first to repeat
    its indent and backticks alone (knitr's ``group_indices``); none: the end."""
    found = CHUNK_BEGIN.match(lines[at])
    close = re.compile(rf"^{re.escape(found.group(1))}{found.group(2)}\s*$")
    return next((j for j in range(at + 1, len(lines)) if close.match(lines[j])), len(lines))


def _blank(lines: list[str], at: int) -> bool | None:
    """Whether line ``at`` is blank (a block quote's bare ``>`` too); None: there is none."""
    return not lines[at].replace(">", "").strip() if 0 <= at < len(lines) else None


def _literals(text: str) -> str:
    """Text outside chunks with each inline expression whose value is known
    replaced by it, as knitr writes it (the lines it spanned kept: the value's
    own, then empty ones); other expressions stay (they never ran, and are
    counted so)."""
    def value(found: re.Match) -> str:
        at = found.start()
        line_start = text.rfind("\n", 0, at) + 1
        if at - line_start == 2 and text.startswith("``", line_start):
            return found.group(0)
        known = _LITERAL.fullmatch(found.group(1))
        if known is None:
            return found.group(0)
        shown = "" if known.group(1) == "latex" else (known.group(2) or known.group(3) or "")
        return shown + "\n" * (found.group(0).count("\n") - shown.count("\n"))
    return INLINE.sub(value, text)


def chunks(text: str, defaults: dict[str, bool] | None = None,
           folder: Path | None = None) -> Chunked:
    """``text`` with every knitr chunk a plain fence (or the figure it only
    includes, of ``folder``); ``defaults`` are the project's options (Quarto's
    ``execute:``), which a chunk's own override."""
    lines = text.split("\n")
    held = any(CHUNK_BEGIN.match(line) for line in lines)
    if "`r" not in text and not held:
        return Chunked(text)
    missing: Counter[str] = Counter()
    first: dict[str, int] = {}  # per engine, the header line of its first chunk missing
    unrun: list[str] = []
    i = prose = 0  # prose: where the text since the last chunk starts

    def known_values(upto: int) -> None:
        if upto > prose:
            lines[prose:upto] = _literals("\n".join(lines[prose:upto])).split("\n")

    while i < len(lines):
        found = CHUNK_BEGIN.match(lines[i])
        if not found:
            i += 1
            continue
        known_values(i)
        prefix, fence = found.group(1), found.group(2)
        end = _end(lines, i)
        header = header_options(found.group(3))
        engine, options = header.engine, dict(header.flags)
        body = i + 1
        while body < end and (option := _OPTION_LINE.match(lines[body].removeprefix(prefix))):
            name, colon, value = option.group(2).partition(":")
            if colon and name.strip() in OPTIONS and (flag := _flag(value)) is not None:
                options[name.strip()] = flag
            body += 1
        header = _with_yaml(header, [line.removeprefix(prefix) for line in lines[i + 1:body]])
        shown = {**dict.fromkeys(OPTIONS, True), **(defaults or {}), **options}
        last = min(end, len(lines) - 1)
        figure = _figure(header, lines[body:end], folder) if shown["include"] else None
        if figure is not None:  # its result is the image: shown, never counted as not run
            for j in range(i, last + 1):
                lines[j] = _bare(prefix)
            lines[last] = prefix + figure
            i = prose = last + 1
            continue
        holds_text = engine in _TEXT_ENGINES
        code_only = engine in _CODE_ONLY and "code" not in header.names
        lang = engine
        if code_only:
            lang = header.strings.get("lang") or (
                header.strings.get("class-source") if engine == "cat" else "")
            shown["include"] &= engine != "comment" and lang is not None
        if shown["eval"] and shown["include"] and not holds_text and not code_only:
            missing[engine] += 1
            first.setdefault(engine, i + 1)
            unrun += [header.label] if header.label else []
        if shown["include"] and shown["echo"]:
            opening, closing = _text_fences(header) if holds_text else (f"{fence}{lang}", None)
            opening = prefix + opening if opening else _bare(prefix)
            lines[body:end] = [_indented(line, prefix) for line in lines[body:end]]
            if body == i + 1 and _blank(lines, i - 1) is False and _blank(lines, end + 1):
                # knitr's blank line before the block: the code moves down a line
                # into the blank one after it, so the block cannot join a paragraph
                lines[i:end + 2] = [_bare(prefix), opening, *lines[i + 1:end + 1]]
                end += 1
                i = prose = end + 1
            else:
                for j in range(i, body - 1):
                    lines[j] = _bare(prefix)
                lines[body - 1] = opening
                i = prose = last + 1
            if closing is not None and end < len(lines):
                lines[end] = prefix + closing if closing else _bare(prefix)
            continue
        else:
            for j in range(i, last + 1):
                lines[j] = _bare(prefix)
        i = prose = last + 1
    known_values(len(lines))
    return Chunked("\n".join(lines), tuple(sorted((e, n, first[e]) for e, n in missing.items())),
                   tuple(unrun), held)
