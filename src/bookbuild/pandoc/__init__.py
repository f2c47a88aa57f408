"""The one gateway to Pandoc, the only reader of Markdown in bookbuild.

Markdown goes in and comes back as Pandoc's JSON AST with Pandoc's own
diagnostics (its log, with lines and columns); everything bookbuild knows of
a chapter (notes, headings, ids, links, images) is read from that AST, never
from the Markdown text. The AST, once rewritten, goes back through Pandoc's
HTML writer.

Pandoc runs as a few long-lived workers (``pandoc lua`` with
``data/pandoc_worker.lua``, one per thread that converts) rather than a
process per chapter: starting Pandoc costs more than converting a chapter,
and its reader and writer are the very ones the ``pandoc`` command runs, so
the output is the same byte for byte.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pypandoc

from ..errors import ManuscriptError, ToolMissingError
from ..safety import limits, temporaries

#: The Markdown dialect authors write for Pandoc, bookdown and Quarto: Pandoc's own.
READER = "markdown"
#: The dialects a book may be written in (``markdown:`` in book.yaml), by
#: Pandoc's reader names: GitHub's, CommonMark with Pandoc's extensions,
#: MultiMarkdown's, and Pandoc's own.
READERS = ("markdown", "gfm", "commonmark_x", "markdown_mmd")
#: A worker is replaced after this many requests, or once its answers held
#: this many log messages: Pandoc keeps every message of a worker's life and
#: hands the whole log to Lua at each request, so an old worker slows down
#: (bench/i_notes.py: a chapter of 100,000 notes), and a fresh one forgets.
REQUESTS_PER_WORKER = 500
LOG_PER_WORKER = 20_000


@dataclass(frozen=True)
class LogEntry:
    """One diagnostic from Pandoc's log."""

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


@functools.cache
def extensions(reader: str) -> frozenset[str]:
    """The extensions Pandoc's ``reader`` knows (``pandoc --list-extensions``),
    so that book.yaml can be checked before anything is read."""
    listed = subprocess.run([executable(), f"--list-extensions={reader}"], capture_output=True,
                            text=True, check=True).stdout
    return frozenset(line[1:] for line in listed.split())


class _Stopped(Exception):
    """The worker process ended (a crash, or a limit it hit)."""


class _Worker:
    """One ``pandoc lua`` process answering requests in turn."""

    def __init__(self) -> None:
        script = resources.files("bookbuild") / "data" / "pandoc_worker.lua"
        try:
            self.heap = f"-M{limits.current().pandoc_memory_mb}m"  # GHC's own heap limit
            # Pandoc's own temporary files in a folder of its own, swept after a kill.
            self.scratch = temporaries.in_system_temp("pandoc")
            env = {**os.environ, "TMPDIR": self.scratch.name}
            self.proc = subprocess.Popen([executable(), "lua", str(script), "+RTS", self.heap, "-RTS"],
                                         env=env, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise ToolMissingError(f"Pandoc could not run: {exc.strerror}", code="tool-missing") from None
        self.requests = 0
        self.logged = 0

    @property
    def fresh_enough(self) -> bool:
        return self.requests < REQUESTS_PER_WORKER and self.logged < LOG_PER_WORKER

    def ask(self, op: str, payload: str, **options) -> tuple[dict, bytes | None]:
        """Send one request; the answer and, for a reading, the AST line."""
        self.requests += 1
        try:
            self.proc.stdin.write(json.dumps({"op": op, **options}).encode() + b"\n"
                                  + payload.encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            answer = json.loads(self._line())
            self.logged += len(answer.get("log", ()))
            extra = self._line() if op in ("read", "cite") and "error" not in answer else None
        except (OSError, ValueError):
            self.close()
            raise _Stopped() from None
        return answer, extra

    def _line(self) -> bytes:
        line = self.proc.stdout.readline()
        if not line:
            raise OSError("the worker stopped")
        return line

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.scratch.cleanup()


class Pool:
    """Idle workers, one taken per request, so threads convert at once. A
    runtime holds one (``Runtime.pandoc``); requests made outside any go to
    the process's own."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        atexit.register(self.close)

    @contextmanager
    def worker(self):
        heap = f"-M{limits.current().pandoc_memory_mb}m"
        with self._lock:
            stale = [w for w in self._idle if w.heap != heap]  # started under other limits
            self._idle = [w for w in self._idle if w.heap == heap]
            worker = self._idle.pop() if self._idle else None
        for w in stale:
            w.close()
        worker = worker or _Worker()
        try:
            yield worker
        except BaseException:
            worker.close()  # a worker cut off mid-request is in no known state
            raise
        else:
            if worker.fresh_enough:
                with self._lock:
                    self._idle.append(worker)
            else:
                worker.close()

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.close()


_POOL = Pool()
_ACTIVE: ContextVar[Pool | None] = ContextVar("bookbuild_pandoc_pool", default=None)


@contextmanager
def using(pool: Pool) -> Iterator[None]:
    """Requests made in this context (and in contexts copied from it) go to ``pool``."""
    token = _ACTIVE.set(pool)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def stop_workers() -> None:
    """End the process pool's idle workers now (as at exit): the next request starts new ones."""
    _POOL.close()
_LINE = re.compile(r"line (\d+)")


def _request(op: str, payload: str, file: Path | None, **options) -> tuple[dict, bytes | None]:
    bound = limits.current()
    with (_ACTIVE.get() or _POOL).worker() as worker:
        # A request over the time limit has its worker killed, which ends the wait.
        timer = threading.Timer(bound.pandoc_seconds, worker.proc.kill)
        timer.start()
        try:
            answer, extra = worker.ask(op, payload, **options)
            if not timer.is_alive():  # answered just as the limit killed the worker
                raise _Stopped()
        except _Stopped:
            if not timer.is_alive():
                raise limits.LimitError(f"Pandoc ran longer than {bound.pandoc_seconds} s on "
                                        "this input; a trusted catalog can raise pandoc-seconds "
                                        f"(see {limits.ENVIRONMENT} in the README)", file) from None
            raise limits.LimitError(f"Pandoc stopped while converting this file: over its memory "
                                    f"limit of {bound.pandoc_memory_mb} MB (pandoc-memory-mb)?",
                                    file) from None
        finally:
            timer.cancel()
    if "error" in answer:
        message = " ".join(str(answer["error"]).split())
        found = _LINE.search(message)
        raise ManuscriptError(f"Pandoc failed: {message}", file,
                              int(found.group(1)) if found else None, code="pandoc-failed")
    return answer, extra


def _entry(raw: dict) -> LogEntry:
    key = raw.get("key", raw.get("contents"))
    return LogEntry(type=raw.get("type", ""), message=raw.get("pretty", ""),
                    line=raw.get("line"), column=raw.get("column"),
                    key=key if isinstance(key, str) else None)


def read_markdown(text: str, file: Path | None = None, reader: str = READER) -> Parsed:
    """Pandoc's reading of ``text`` in the dialect ``reader`` (a Pandoc reader
    name with its ``+ext``/``-ext``): the AST and every diagnostic with its position."""
    # Pandoc's command line turns tabs into spaces (tab stop 4) before its reader
    # sees the text; pandoc.read in the worker does not, so it is done here.
    answer, ast = _request("read", json.dumps(text.expandtabs(4)), file, format=reader)
    try:
        doc = json.loads(ast)
    except RecursionError:
        raise limits.too_deep("the chapter as Pandoc reads it", file) from None
    limits.check_ast(doc, file)
    return Parsed(doc=doc, log=tuple(_entry(e) for e in answer["log"]))


@dataclass(frozen=True)
class CiteSettings:
    """What Pandoc's citeproc is given: the bibliography files, the style, the
    book's language, and the keys to list even where not cited (``nocite``)."""

    bibliography: tuple[Path, ...]
    csl: str  # a style file's path, or a style inline (citestyles.for_citeproc)
    lang: str
    nocite: tuple[str, ...] = ()
    suppress_bibliography: bool = True

    def options(self) -> dict:
        return {"bibliography": [str(p) for p in self.bibliography], "csl": self.csl,
                "lang": self.lang, "nocite": list(self.nocite),
                "suppress": self.suppress_bibliography}


def cite(doc: dict | None, settings: CiteSettings, file: Path | None = None) -> Parsed:
    """The AST (or an empty document) after Pandoc's citeproc."""
    answer, ast = _request("cite", json.dumps(doc, ensure_ascii=False), file, **settings.options())
    return Parsed(doc=json.loads(ast), log=tuple(_entry(e) for e in answer["log"]))


def references(bibliography: tuple[Path, ...]) -> tuple[str, ...]:
    """Every key the bibliography files define (a bad file is Pandoc's error)."""
    answer, _ = _request("references", "null", None,
                         bibliography=[str(p) for p in bibliography])
    return tuple(answer["ids"])


def write_html(doc: dict, file: Path | None = None) -> str:
    """HTML5 for an AST (math as MathML, lines never wrapped)."""
    answer, _ = _request("write", json.dumps(doc, ensure_ascii=False), file)
    return answer["html"]


def write_typst(doc: dict, file: Path | None = None) -> str:
    """Typst markup for an AST, from Pandoc's Typst writer (the print edition)."""
    answer, _ = _request("write", json.dumps(doc, ensure_ascii=False), file, format="typst")
    return answer["typst"]
