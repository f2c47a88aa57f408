"""Ace by DAISY: the accessibility checker EPUBCheck is not.

Runs the ``ace-puppeteer`` command from npm's ``@daisy/ace`` with the system's
Chromium (Debian package ``chromium``), and reads its ``report.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import BookbuildError, ToolMissingError
from ..safety import limits

IMPACTS = ("critical", "serious", "moderate", "minor")
INSTALL = ("Ace by DAISY needs Node.js, Chromium and @daisy/ace (Debian/Ubuntu: apt-get install "
           "--no-install-recommends nodejs npm chromium; then ELECTRON_SKIP_BINARY_DOWNLOAD=1 "
           "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace)")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    document: str
    message: str

    def __str__(self) -> str:
        return f"{self.impact} {self.rule} {self.document}: {self.message}"


@dataclass(frozen=True)
class AceResult:
    violations: tuple[Violation, ...]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(v.impact for v in self.violations)
        return {impact: counted.get(impact, 0) for impact in IMPACTS}

    @property
    def passed(self) -> bool:
        """Our bar: no serious or critical violation."""
        return not any(v.impact in ("critical", "serious") for v in self.violations)

    def to_dict(self) -> dict:
        return {"checker": "ace", "passed": self.passed, **self.counts,
                "violations": [v.__dict__ for v in self.violations]}


def _chromium() -> str | None:
    configured = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if configured and Path(configured).is_file():
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def command() -> tuple[str, str]:
    """(ace-puppeteer, chromium), or a one-line error saying what to install."""
    ace, chromium = shutil.which("ace-puppeteer"), _chromium()
    if ace is None or chromium is None or shutil.which("node") is None:
        raise ToolMissingError(INSTALL)
    return ace, chromium


def parse_report(data: dict) -> AceResult:
    violations = []
    for subject in data.get("assertions", []):
        document = subject.get("earl:testSubject", {}).get("url", "")
        for test in subject.get("assertions", []):
            result = test.get("earl:result", {})
            if result.get("earl:outcome") != "fail":
                continue
            info = test.get("earl:test", {})
            message = result.get("dct:description", "").splitlines()
            violations.append(Violation(info.get("dct:title", "?"), info.get("earl:impact", "minor"),
                                        document, message[0] if message else ""))
    return AceResult(tuple(violations))


def run_ace(path: Path) -> AceResult:
    if not path.is_file():
        raise BookbuildError("no such file", path, code="file-not-found")
    ace, chromium = command()
    with tempfile.TemporaryDirectory() as out:
        limits.check_epub(path)
        proc = limits.run([ace, "-f", "-s", "-o", out, str(path)], "Ace",
                          limits.current().ace_seconds, "ace-seconds", path,
                          env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium})
        report = Path(out) / "report.json"
        if not report.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            raise BookbuildError(f"Ace gave no report: {detail[-1] if detail else proc.returncode}",
                                 path, code="tool-failed")
        return parse_report(json.loads(report.read_text(encoding="utf-8")))
