"""The one gateway to Pandoc, the only reader of Markdown in bookbuild.

Markdown goes in once and comes back as Pandoc's JSON AST with Pandoc's own
diagnostics (``--log``, with lines and columns); everything bookbuild knows of
a chapter (notes, headings, ids, links, images) is read from that AST, never
from the Markdown text. The AST, once rewritten, goes back through Pandoc's
HTML writer. Keeping both directions here means one place decides how Pandoc
runs (binary, options, limits) and one place turns its failures into errors.
"""

from __future__ import annotations

import functools
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypandoc

from . import limits
from .errors import ManuscriptError, ToolMissingError

#: The Markdown dialect authors write for Pandoc, bookdown and Quarto: Pandoc's own.
READER = "markdown"


@dataclass(frozen=True)
class LogEntry:
    """One diagnostic from Pandoc's ``--log`` JSON."""

    type: str  # Pandoc's message type, e.g. DuplicateNoteReference
    message: str  # Pandoc's own wording ("pretty")
    line: int | None = None
    column: int | None = None
    key: str | None = None  # the note label, link key or identifier it is about


@dataclass(frozen=True)
class Parsed:
    doc: dict  # Pandoc's JSON AST: {"pandoc-api-version", "meta", "blocks"}
    log: tuple[LogEntry, ...]

    def of_type(self, kind: str) -> tuple[LogEntry, ...]:
        return tuple(e for e in self.log if e.type == kind)


@functools.cache
def executable() -> str:
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        raise ToolMissingError("Pandoc is missing: reinstall bookbuild "
                               "(pip install --force-reinstall pypandoc-binary)") from None


@functools.cache
def version() -> str:
    executable()  # a missing Pandoc is one line, not pypandoc's OSError
    return pypandoc.get_pandoc_version()


def _run(args: list[str], data: bytes, file: Path | None) -> subprocess.CompletedProcess:
    bound = limits.current()
    try:
        proc = limits.run([executable(), *args, "+RTS", f"-M{bound.pandoc_memory_mb}m", "-RTS"],
                          "Pandoc", bound.pandoc_seconds, "pandoc-seconds", file, input=data)
    except OSError as exc:
        raise ToolMissingError(f"Pandoc could not run: {exc.strerror}") from None
    if b"Heap exhausted" in proc.stderr:
        raise limits.LimitError(f"Pandoc needed more than {bound.pandoc_memory_mb} MB for this "
                                "input (pandoc-memory-mb)", file)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ManuscriptError(f"Pandoc failed: {detail[-1] if detail else proc.returncode}", file)
    return proc


def _entry(raw: dict) -> LogEntry:
    key = raw.get("key", raw.get("contents"))
    return LogEntry(type=raw.get("type", ""), message=raw.get("pretty", ""),
                    line=raw.get("line"), column=raw.get("column"),
                    key=key if isinstance(key, str) else None)


def read_markdown(text: str, file: Path | None = None) -> Parsed:
    """Pandoc's reading of ``text``: the AST and every diagnostic with its position.
    The log comes back on stderr (``--quiet`` leaves nothing else there), so no
    temporary file can outlive a killed build."""
    proc = _run([f"--from={READER}", "--to=json", "--quiet", "--log=/dev/stderr"],
                text.encode("utf-8"), file)
    log = json.loads(proc.stderr or b"[]")
    try:
        doc = json.loads(proc.stdout)
    except RecursionError:
        raise limits.too_deep("the chapter as Pandoc reads it", file) from None
    limits.check_ast(doc, file)
    return Parsed(doc=doc, log=tuple(_entry(e) for e in log))


def write_html(doc: dict, file: Path | None = None) -> str:
    """HTML5 for an AST (math as MathML, lines never wrapped)."""
    proc = _run(["--from=json", "--to=html5", "--wrap=none", "--mathml"],
                json.dumps(doc, ensure_ascii=False).encode("utf-8"), file)
    return proc.stdout.decode("utf-8")
