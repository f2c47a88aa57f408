"""How much work one input may cause: the numbers, and the checks that hold them.

A manuscript from outside can be built to make a tool run for ever or eat the
machine's memory (an alias bomb, a zip bomb, a billion-laughs SVG, a 50 MB
line). Every external run here has a time limit and, where the tool allows
one, a memory limit; the shapes that blow up a parser are refused before the
parser sees them. Going over a limit is bad input: a :class:`LimitError`
(exit 2) naming what was too big and the limit that stopped it.

The limits belong to whoever runs the build, never to the book (a book could
raise its own), so they come from the environment: ``BOOKBUILD_LIMITS`` names
a YAML file of ``key: number`` lines that a trusted catalog uses to raise or
lower them (keys are the field names with hyphens, e.g. ``pandoc-seconds``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import resource
import signal
import subprocess
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError, ConfigError

ENVIRONMENT = "BOOKBUILD_LIMITS"
MB = 1024 * 1024


class LimitError(BookbuildError):
    """An input needs more time, memory or size than the limits allow."""

    code = "limit-exceeded"


@dataclass(frozen=True)
class Limits:
    pandoc_seconds: int = 120  # one Pandoc run (read or write one chapter)
    pandoc_memory_mb: int = 2048  # Pandoc's heap (+RTS -M)
    epubcheck_seconds: int = 300  # one EPUBCheck of one file
    java_memory_mb: int = 2048  # EPUBCheck's JVM heap (-Xmx)
    calibre_seconds: int = 600  # one AZW3 conversion
    calibre_memory_mb: int = 4096  # Calibre's address space
    ace_seconds: int = 600  # one Ace by DAISY run
    typst_seconds: int = 600  # typesetting the print edition (the whole book at once)
    typst_memory_mb: int = 4096  # the typesetter's address space
    git_seconds: int = 60  # reading the date of the book's last commit
    git_memory_mb: int = 2048  # the reader of the repository's address space
    line_characters: int = 100_000  # one line of a chapter
    nesting_depth: int = 200  # quotes and lists in a line; elements in Pandoc's AST and the XHTML
    yaml_nodes: int = 10_000  # a chapter's YAML metadata block, aliases expanded
    zip_entries: int = 10_000  # files in an EPUB or AZW3 inspected or checked
    zip_expanded_mb: int = 1024  # their total size once expanded
    zip_ratio: int = 200  # expanded / compressed, for a file over 1 MB expanded
    xml_prolog_kb: int = 1024  # what comes before the root element of an XML file in an EPUB
    image_pixels: int = 80_000_000  # one image (a cover or a chapter image)
    pdf_pages: int = 5_000  # pages of a PDF that `import` reads
    pdf_stream_mb: int = 256  # one stream of that PDF, once inflated
    pdf_run_characters: int = 100_000  # one text run (a Tj or TJ operand) on one of its pages
    pdf_characters: int = 5_000_000  # the text of all its pages (War and Peace holds about 3 million)

    def java_options(self) -> tuple[str, ...]:
        return (f"-Xmx{self.java_memory_mb}m",)


def _from_file(path: Path) -> Limits:
    from .yamlfile import read_yaml  # the same strict reader as book.yaml

    data = read_yaml(path)
    names = {f.name.replace("_", "-"): f.name for f in dataclasses.fields(Limits)}
    values = {}
    for key, value in data.items():
        if key not in names:
            raise ConfigError(f"unknown limit {key!r} (known: {', '.join(names)})", path,
                              data.lc.key(key)[0] + 1, code="config-unknown-key")
        if not str(value).isdigit() or int(value) <= 0:
            raise ConfigError(f"limit {key!r} must be a whole number above 0, not {value!r}",
                              path, data.lc.key(key)[0] + 1, code="config-value")
        values[names[key]] = int(value)
    return Limits(**values)


def from_environment() -> Limits:
    """``BOOKBUILD_LIMITS``'s file, else the defaults: read when a runtime is made."""
    configured = os.environ.get(ENVIRONMENT)
    return _from_file(Path(configured)) if configured else Limits()


#: The limits of the runtime a build runs in (``Runtime.active``), not a
#: process-wide setting: two builds in one process may hold different ones.
_IN_FORCE: ContextVar[Limits | None] = ContextVar("bookbuild_limits", default=None)


def current() -> Limits:
    """The limits in force: the running build's, else the environment's, read now."""
    return _IN_FORCE.get() or from_environment()


@contextlib.contextmanager
def in_force(bound: Limits) -> Iterator[None]:
    token = _IN_FORCE.set(bound)
    try:
        yield
    finally:
        _IN_FORCE.reset(token)


def _hint(key: str) -> str:
    return f"a trusted catalog can raise {key} (see {ENVIRONMENT} in the README)"


# --- external processes ------------------------------------------------------

def run(cmd: list[str], what: str, seconds: int, key: str, file: Path | None = None,
        memory_mb: int | None = None, input: bytes | None = None,
        **kwargs) -> subprocess.CompletedProcess:
    """``subprocess.run`` with a time limit for the whole process group (a tool's
    own children included) and, with ``memory_mb``, a cap on its address space."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **kwargs)
    if memory_mb is not None:
        try:
            resource.prlimit(proc.pid, resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
        except (ProcessLookupError, PermissionError):
            pass  # already gone: its exit status tells
    try:
        out, err = proc.communicate(input, timeout=seconds)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise too_long(what, seconds, key, file) from None
    except BaseException:
        kill_group(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def kill_group(proc: subprocess.Popen) -> None:
    """End ``proc`` and everything it started (it leads its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def too_long(what: str, seconds: int, key: str, file: Path | None) -> LimitError:
    """The error for work given up after ``seconds`` (and its process killed)."""
    return LimitError(f"{what} ran longer than {seconds} s on this input; " + _hint(key), file)


def exhausted(what: str, detail: str, key: str, file: Path | None) -> LimitError:
    """The error for work that ran out of memory (or stack) on this input."""
    return LimitError(f"{what} ran out of memory on this input ({detail}); " + _hint(key), file)


# --- text before Pandoc reads it ---------------------------------------------

_NESTING = frozenset(">*+-:|") | frozenset(" \t")


def check_text(text: str, file: Path) -> None:
    """Refuse a line longer than the limit, and a line that opens more nested
    quotes and lists than the limit: both cost Pandoc (and the XHTML parser)
    far more than any book needs. Counts characters, it does not read Markdown."""
    limits = current()
    start, number = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limits.line_characters:
            raise LimitError(f"line {number} has {end - start:,} characters, more than the "
                             f"limit of {limits.line_characters:,} (line-characters); "
                             "break it into paragraphs", file, number)
        depth, at = 0, start
        while at < end and text[at] in _NESTING:
            depth += text[at] == ">" or (text[at] in "*+-" and text[at + 1:at + 2] in (" ", "\t"))
            at += 1
        if depth > limits.nesting_depth:
            raise LimitError(f"{depth} nested quotes or lists on one line, more than the limit "
                             f"of {limits.nesting_depth} (nesting-depth)", file, number)
        start, number = end + 1, number + 1


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def check_yaml_blocks(text: str, file: Path) -> None:
    """Refuse a YAML metadata block that expands to more nodes than the limit:
    Pandoc reads ``---`` blocks anywhere in a chapter and expands their aliases,
    so ten aliases of ten aliases take it minutes and gigabytes. Every block
    that could be one is counted from YAML's event stream (nothing is built)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.rstrip() != "---" or i + 1 >= len(lines) or not lines[i + 1].strip():
            continue
        end = next((j for j in range(i + 1, len(lines)) if _FENCE.match(lines[j])), len(lines))
        block = "\n".join(lines[i + 1:end])
        if "*" in block and _expanded_nodes(block) > current().yaml_nodes:
            raise LimitError(f"the YAML metadata block expands to more than "
                             f"{current().yaml_nodes:,} values through its aliases (*name): "
                             "write the values out (yaml-nodes)", file, i + 1)


def _expanded_nodes(block: str) -> int:
    """Nodes in the YAML ``block`` with every alias expanded, counted without
    expanding; stops counting once past the limit. Not YAML: 0."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    limit = current().yaml_nodes
    sizes: dict[str, int] = {}
    open_: list[list] = [[0, None]]  # per open collection: its size so far, its anchor
    try:
        for event in YAML(typ="safe", pure=True).parse(block):
            if isinstance(event, CollectionStartEvent):
                open_.append([1, event.anchor])
                continue
            if isinstance(event, ScalarEvent):
                size, anchor = 1, event.anchor
            elif isinstance(event, AliasEvent):
                size, anchor = sizes.get(event.anchor, 1), None
            elif isinstance(event, CollectionEndEvent) and len(open_) > 1:
                size, anchor = open_.pop()
            else:
                continue
            if anchor:
                sizes[anchor] = size
            open_[-1][0] += size
            if open_[-1][0] > limit:
                return open_[-1][0]
    except YAMLError:
        return 0
    return open_[0][0]


def too_deep(what: str, file: Path | None) -> LimitError:
    return LimitError(f"{what} nests more than {current().nesting_depth} levels deep, more "
                      "than any book needs (nesting-depth)", file)


def check_ast(doc: dict, file: Path | None) -> None:
    """Pandoc's AST no deeper than the limit in elements: the walkers recurse."""
    limit = current().nesting_depth
    stack = [(doc.get("blocks", []), 0)]
    pop, extend = stack.pop, stack.extend
    while stack:
        node, depth = pop()
        if type(node) is dict:
            depth += "t" in node
            if depth > limit:
                raise too_deep("the chapter as Pandoc reads it", file)
            children = node.values()
        else:
            children = node
        # Strings and numbers are most of the nodes and hold nothing deeper.
        extend([(child, depth) for child in children
                if type(child) is list or type(child) is dict])


def check_tree(root, what: str, file: Path | None) -> None:
    """An XHTML tree (raw HTML typed by the author) no deeper than the limit."""
    from lxml import etree

    limit, depth = current().nesting_depth, 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            raise too_deep(what, file)


# --- zip files ---------------------------------------------------------------

def check_zip(path: Path) -> None:
    """Count and size an EPUB's (or an unpacked AZW3's) entries from the zip's
    directory, before anything expands them: a zip bomb stops here."""
    limits = current()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile):
        return  # not a zip at all: nothing expands, and the tool that reads it says so
    if len(infos) > limits.zip_entries:
        raise LimitError(f"holds {len(infos):,} files, more than the limit of "
                         f"{limits.zip_entries:,} (zip-entries)", path)
    total = sum(i.file_size for i in infos)
    if total > limits.zip_expanded_mb * MB:
        raise LimitError(f"expands to {total / MB:,.0f} MB, more than the limit of "
                         f"{limits.zip_expanded_mb:,} MB (zip-expanded-mb)", path)
    for info in infos:
        if info.file_size > MB and info.file_size > limits.zip_ratio * max(info.compress_size, 1):
            raise LimitError(f"{info.filename} expands {info.file_size // max(info.compress_size, 1):,}"
                             f" times, more than the limit of {limits.zip_ratio} (zip-ratio): "
                             "a zip bomb?", path)


#: Files in an EPUB that an XML parser reads (and so could expand entities in).
_XML_SUFFIXES = (".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx", ".svg", ".smil")


def check_epub(path: Path) -> None:
    """:func:`check_zip`, then no XML file in it may declare entities: EPUBCheck
    expands them (a billion laughs keeps it busy for minutes at gigabytes)."""
    check_zip(path)
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.lower().endswith(_XML_SUFFIXES):
                with zf.open(info) as f:
                    _check_prolog(f, info.filename, path)


class _Root(Exception):
    """The root element's start tag: the prolog, where a DTD could be, is over."""


class _Subset(Exception):
    """A DOCTYPE with an internal subset, the only place a document declares entities."""


def _check_prolog(f, name: str, path: Path) -> None:
    """Refuse an internal DTD subset (``<!DOCTYPE x [...]>``) in the prolog of
    the XML file ``f``, however far in it starts. Expat reads the prolog a
    chunk at a time (so comments, quotes and processing instructions are
    XML's, not a pattern's) and stops at the root's start tag; a prolog longer
    than the limit is refused, whatever it holds."""
    from xml.parsers import expat

    def doctype(_name, _system, _public, has_internal_subset) -> None:
        if has_internal_subset:
            raise _Subset

    def root(_name, _attributes) -> None:
        raise _Root

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler, parser.StartElementHandler = doctype, root
    limit, read = current().xml_prolog_kb * 1024, 0
    try:
        while read <= limit:
            chunk = f.read(min(64 * 1024, limit + 1 - read))
            read += len(chunk)
            parser.Parse(chunk, not chunk)
            if not chunk:
                return  # no root element: EPUBCheck says what is wrong with it
    except _Root:
        return
    except _Subset:
        raise LimitError(f"{name} declares XML entities (a DTD in its DOCTYPE), which no book "
                         "needs (the shape of a billion-laughs attack)", path) from None
    except (expat.ExpatError, LookupError, ValueError) as exc:
        # LookupError: a codec Python lacks; ValueError: a multi-byte one Expat cannot use.
        codes = expat.errors.codes
        if not isinstance(exc, expat.ExpatError) or exc.code in (
                codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING],
                codes[expat.errors.XML_ERROR_INCORRECT_ENCODING]):
            # Java's parser reads encodings Expat does not, entity declarations included.
            raise BookbuildError(f"{name} is in an encoding other than UTF-8 or UTF-16, which "
                                 "an EPUB may not use", path, code="epub-unreadable") from None
        return  # not well-formed before its root: EPUBCheck's parser stops there too
    raise LimitError(f"{name} has more than {limit // 1024:,} KB before its root element, "
                     "more than any book needs (xml-prolog-kb)", path)
