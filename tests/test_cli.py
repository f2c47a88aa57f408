"""The exit status contract, through click's CliRunner: bad input is one line per
problem and exit 2, a bug is one line naming its crash report and exit 3, a
failed check is exit 1; never a traceback. With --json, always one object."""

from __future__ import annotations

import json
import pathlib
import re
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild import BuildOptions
from bookbuild.runs import outcome as outcome_module
from bookbuild.runs.watch import watch

from conftest import PROJECT, write_book
from test_build import REUSED_LABELS

BUG_LINE = re.compile(r"bookbuild: bug: RuntimeError: boom \(details in (.+)\); please report it")


@pytest.fixture
def crash_dir(tmp_path, monkeypatch) -> Path:
    """The system temp directory, for this test only: crash reports land here."""
    path = tmp_path / "system-tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture
def buggy(monkeypatch):
    """Make the build of any book named ``buggy`` (or, with ALL, every book) raise."""
    real = outcome_module.build_book
    state = {"all": False}

    def build_book(book, options, runtime=None):
        if state["all"] or Path(book).name == "buggy":
            raise RuntimeError("boom")
        return real(book, options, runtime)

    monkeypatch.setattr(outcome_module, "build_book", build_book)
    return state


def invoke(*args: str):
    from bookbuild.cli import main
    return CliRunner().invoke(main, [str(a) for a in args])


def files_in(directory: Path) -> set[Path]:
    return {p.relative_to(directory) for p in directory.rglob("*")}


def assert_crash_report(stderr: str, crash_dir: Path) -> Path:
    """One line on stderr, naming a report in the temp directory that has it all."""
    (line,) = stderr.splitlines()
    report = Path(BUG_LINE.fullmatch(line).group(1))
    assert report.parent == crash_dir and report.name.startswith("bookbuild-bug-")
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom" in text
    assert "bookbuild 0.1.0" in text and "\nPython 3." in text and "\ncommand: " in text
    return report


def test_a_bug_is_exit_3_with_one_line_and_a_crash_report_outside_the_book(
        tmp_path, crash_dir, buggy, monkeypatch):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    before = files_in(book)
    monkeypatch.chdir(book)
    buggy["all"] = True
    result = invoke("build", ".", "--no-check")
    assert result.exit_code == 3
    assert_crash_report(result.stderr, crash_dir)
    assert "Traceback" not in result.output
    assert files_in(book) == before  # no debris in the book or the working directory


def test_a_bug_with_json_is_one_object_naming_the_report(tmp_path, crash_dir, buggy):
    book = write_book(tmp_path / "buggy", REUSED_LABELS)
    result = invoke("build", book, "--no-check", "--json")
    assert result.exit_code == 3
    report = assert_crash_report(result.stderr, crash_dir)
    data = json.loads(result.stdout)
    assert {k: v for k, v in data.items() if k != "seconds"} == {
        "book": str(book), "ok": False, "exit_code": 3, "problems": [],
        "bug": {"message": "RuntimeError: boom", "details": str(report)}, "artifacts": [],
        "warnings": [], "accepted": []}


def test_bad_input_with_json_is_one_object_with_the_problems(tmp_path):
    book = write_book(tmp_path / "book", {"a.md": "# A\n\nText[^missing].\n"})
    result = invoke("build", book, "--no-check", "--json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"bookbuild: error: {book / 'manuscript' / 'a.md'}:3: note reference [^missing] "
        "has no definition in this file [note-undefined]"]
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["exit_code"] == 2 and data["artifacts"] == []
    assert data["bug"] is None and data["problems"] == [
        {"code": "note-undefined", "file": str(book / "manuscript" / "a.md"), "line": 3,
         "message": "note reference [^missing] has no definition in this file"}]
    assert not (book / "dist").exists()


def test_bad_input_before_any_book_with_json_is_one_object(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = invoke("build", write_book(tmp_path / "book", REUSED_LABELS), "--json")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert json.loads(result.stdout) == {
        "ok": False, "exit_code": 2, "bug": None, "problems": [
            {"code": "source-date-invalid", "file": None, "line": None,
             "message": "SOURCE_DATE_EPOCH must be a whole number of seconds, not 'yesterday'"}],
        "warnings": [], "accepted": []}


def test_a_catalog_goes_on_past_a_buggy_book_and_exits_with_the_worst(tmp_path, crash_dir, buggy):
    good = write_book(tmp_path / "good", REUSED_LABELS)
    bad = write_book(tmp_path / "buggy", REUSED_LABELS)
    result = invoke("build", good, bad, "--no-check", "--json", "-j", "1")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["exit_code"] == 3
    ok, bug = data["books"]
    assert ok["exit_code"] == 0 and ok["bug"] is None and Path(ok["artifacts"][0]["path"]).exists()
    assert bug["exit_code"] == 3 and bug["problems"] == [] and bug["artifacts"] == []
    assert bug["bug"]["message"] == "RuntimeError: boom"
    assert "Traceback" in Path(bug["bug"]["details"]).read_text(encoding="utf-8")
    assert f"    bug: RuntimeError: boom (details in {bug['bug']['details']}); please report it" \
        in result.stderr.splitlines()
    assert "Traceback" not in result.output


def test_a_bug_in_another_command_is_exit_3_and_json_still_one_object(crash_dir, monkeypatch):
    def broken(path):
        raise RuntimeError("boom")

    monkeypatch.setattr("bookbuild.checks.notelinks.inspect_file", broken)
    result = invoke("notes", "any.epub", "--json")
    assert result.exit_code == 3
    report = assert_crash_report(result.stderr, crash_dir)
    assert json.loads(result.stdout) == {
        "ok": False, "exit_code": 3, "problems": [], "warnings": [], "accepted": [],
        "bug": {"message": "RuntimeError: boom", "details": str(report)}}


def test_usage_errors_and_a_closed_pipe_are_left_to_click(crash_dir, monkeypatch):
    usage = invoke("build", "--no-such-option")
    assert usage.exit_code == 2 and "Usage:" in usage.stderr

    def closed(path):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("bookbuild.checks.notelinks.inspect_file", closed)
    assert "bug" not in invoke("notes", "any.epub").stderr
    assert list(crash_dir.iterdir()) == []


def test_watch_reports_a_bug_in_one_rebuild_and_goes_on(tmp_path, crash_dir, buggy):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    lines: list[str] = []
    stop = threading.Event()
    buggy["all"] = True
    worker = threading.Thread(target=watch, args=(book, BuildOptions(check=False), lines.append,
                                                   stop))
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not lines and time.monotonic() < deadline:
            time.sleep(0.1)
        buggy["all"] = False
        time.sleep(0.5)
        (book / "manuscript" / "02-two.md").write_text("# Two\n\nEdited.\n")
        while len(lines) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert re.fullmatch(r"\d\d:\d\d:\d\d bug: RuntimeError: boom \(details in .+\); "
                        r"please report it", lines[0])
    assert " ok " in lines[1]


@pytest.mark.parametrize("command", ["cover", "watch"])
def test_a_missing_book_directory_is_exit_2_for_every_command(tmp_path, command):
    result = invoke(command, tmp_path / "nowhere")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("bookbuild: error: ")


def test_check_on_a_directory_is_exit_2_with_one_line(tmp_path):
    result = invoke("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"bookbuild: error: {tmp_path}: is a directory, not an EPUB file [file-not-regular]\n"


def test_check_on_an_unreadable_file_is_exit_2_with_one_line(tmp_path, monkeypatch):
    epub = tmp_path / "locked.epub"
    epub.write_bytes(b"PK")
    real_open = pathlib.Path.open

    def deny(self, *args, **kwargs):  # chmod 000 does not stop root, so refuse here
        if self == epub:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", deny)
    result = invoke("check", epub)
    assert result.exit_code == 2
    assert result.stderr == (f"bookbuild: error: {epub}: cannot read the file: Permission denied "
                             "[file-unreadable]\n")


def test_an_output_that_cannot_be_written_is_exit_2(tmp_path):
    book = write_book(tmp_path / "book", REUSED_LABELS)
    folder = tmp_path / "cover.jpg"
    folder.mkdir()  # a directory where the JPEG should go
    result = invoke("cover", book, "-o", folder)
    assert result.exit_code == 2
    assert result.stderr == (f"bookbuild: error: {folder}: cannot write the file: Is a directory "
                             "[write-failed]\n")


def test_an_empty_identifier_is_bad_input_not_a_bug(tmp_path):
    book = write_book(tmp_path / "book", REUSED_LABELS,
                      "title: T\nlanguage: en\nauthor: A\nidentifier: ''\n")
    result = invoke("build", book, "--no-check")
    assert result.exit_code == 2
    assert result.stderr == (f"bookbuild: error: {book / 'book.yaml'}:4: 'identifier' must not "
                             "be empty [config-value]\n")


def test_readme_documents_every_exit_status():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    status = readme[readme.index("Exit status:"):]
    status = status[:status.index("\n\n")]
    assert all(f"**{code}**" in status for code in range(4))
