"""A warm EPUBCheck shared by every bookbuild command of one user.

Starting Java and loading EPUBCheck's schemas costs seconds; checking a book
in a warm JVM costs a fraction of one. So the first checked command starts a
small service (this module run as a program): EPUBCheck in one JVM, reached
over a Unix socket in a folder only its user can enter, answering with
EPUBCheck's own JSON report (the messages are the command line's). Later
builds, ``check``, ``watch`` and ``preview`` use it; it exits after an idle
timeout. The socket's name carries a fingerprint of bookbuild, EPUBCheck and
Java, so a service started by another version is never used; one that does not
answer is replaced, and the build says so in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from . import java as javaruntime
from .epubcheck import CheckResult, WarmChecker, jar_path, java_command, parse_report

#: Minutes of idleness after which the service exits (``BOOKBUILD_CHECKER_IDLE`` in seconds).
IDLE_SECONDS = 600
#: How long a client waits for the service to start (Java and EPUBCheck's classes).
START_SECONDS = 60
#: How long a client waits for a greeting before calling the service hung.
HELLO_SECONDS = 10


class ServiceUnavailable(Exception):
    """No service can be used here: the caller checks in its own process."""


def runtime_dir() -> Path:
    """The user's own folder for the socket: ``$XDG_RUNTIME_DIR/bookbuild``, else
    one in the temp directory; it must belong to the user and be closed to others."""
    base = os.environ.get("BOOKBUILD_RUNTIME_DIR")
    if base:
        folder = Path(base)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "bookbuild"
    else:
        folder = Path(tempfile.gettempdir()) / f"bookbuild-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise ServiceUnavailable(f"no folder for the checker service: {exc.strerror}") from None
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid() \
            or info.st_mode & 0o077:
        raise ServiceUnavailable(f"{folder} is not a private folder of this user")
    return folder


@functools.cache
def fingerprint() -> str:
    """bookbuild's version and checking code, EPUBCheck's jar, and Java."""
    jar = jar_path()
    stat = jar.stat()
    parts = [__version__, str(jar), str(stat.st_size), str(int(stat.st_mtime)),
             javaruntime.java(), sys.executable]
    for module in ("epubcheck.py", "service.py"):
        parts.append(hashlib.sha256((Path(__file__).parent / module).read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def socket_path(folder: Path) -> Path:
    return folder / f"checker-{fingerprint()}.sock"


def _exchange(path: Path, request: dict, timeout: float | None) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        sock.sendall(json.dumps(request).encode() + b"\n")
        with sock.makefile("rb") as answer:
            line = answer.readline()
    if not line:
        raise ConnectionError("the service closed the connection")
    return json.loads(line)


@dataclass(frozen=True)
class Status:
    socket: Path
    pid: int
    fingerprint: str
    version: str
    started: float
    checks: int
    idle_seconds: float

    @property
    def current(self) -> bool:
        return self.fingerprint == fingerprint()


def hello(path: Path, timeout: float | None = None) -> Status:
    data = _exchange(path, {"op": "hello"}, timeout or HELLO_SECONDS)
    return Status(path, data["pid"], data["fingerprint"], data["version"], data["started"],
                  data["checks"], data["idle_seconds"])


def services(folder: Path) -> list[Status | Path]:
    """Every service socket in the folder: its status, or the socket alone if it
    does not answer."""
    found: list[Status | Path] = []
    for path in sorted(folder.glob("checker-*.sock")):
        try:
            found.append(hello(path, timeout=2))
        except (OSError, ValueError, KeyError):
            found.append(path)
    return found


def stop(path: Path) -> bool:
    """Ask a service to stop; True if it answered."""
    try:
        _exchange(path, {"op": "stop"}, timeout=5)
        return True
    except (OSError, ValueError):
        return False


class ServiceChecker:
    """Checks through the user's service. A service that is not running is
    started at once but waited for only at the first check, so Java starts
    while the book converts."""

    def __init__(self) -> None:
        java_command()  # a missing Java is the one-line error, now, not after the build
        self.folder = runtime_dir()
        self.path = socket_path(self.folder)
        self.notice: str | None = None
        self._starting: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._prepare()

    def _prepare(self) -> None:
        """A service that answers with our fingerprint, or a new one starting."""
        with open(self.folder / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one starter at a time
            if self.path.exists():
                try:
                    if hello(self.path).current:
                        return
                except (OSError, ValueError, KeyError):
                    pass
                self.notice = ("the EPUBCheck service did not answer; "
                               "a new one was started in its place")
                forget(self.path)
            log = self.path.with_suffix(".log")
            idle = os.environ.get("BOOKBUILD_CHECKER_IDLE", str(IDLE_SECONDS))
            with open(log, "wb") as out:
                self._starting = subprocess.Popen(
                    [sys.executable, "-m", "bookbuild.checks.service", "--socket",
                     str(self.path), "--idle", idle],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)

    def _wait(self) -> None:
        with self._lock:
            proc, self._starting = self._starting, None
        if proc is None:
            return
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None and not self.path.exists():
                raise ServiceUnavailable("the EPUBCheck service could not start: "
                                         + _last_line(self.path.with_suffix(".log")))
            with contextlib.suppress(OSError, ValueError, KeyError):
                if hello(self.path, timeout=2).current:
                    return
            time.sleep(0.05)
        proc.kill()
        raise ServiceUnavailable("the EPUBCheck service took too long to start")

    def check(self, path: Path) -> CheckResult:
        request = {"op": "check", "path": str(path.resolve())}
        self._wait()
        try:
            answer = _exchange(self.path, request, None)
        except (OSError, ValueError):  # it died under us: once more, with a new one
            self._prepare()
            self._wait()
            answer = _exchange(self.path, request, None)
        if "error" in answer:
            raise RuntimeError(f"the EPUBCheck service failed: {answer['error']}")
        return parse_report(answer["report"])


def _last_line(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def forget(sock: Path) -> None:
    """Kill a service that does not answer and remove its socket."""
    pidfile = sock.with_suffix(".pid")
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pidfile.read_text()), 9)
    pidfile.unlink(missing_ok=True)
    sock.unlink(missing_ok=True)


# --- the service itself ------------------------------------------------------


class _Service(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, idle: float):
        self.checker = WarmChecker()
        self.started = time.time()
        self.idle = idle
        self.last = time.monotonic()
        self.active = 0
        self.checks = 0
        self.lock = threading.Lock()
        super().__init__(str(path), _Handler)
        os.chmod(path, 0o600)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        service: _Service = self.server
        request = json.loads(self.rfile.readline())
        with service.lock:
            service.active += 1
        try:
            answer = self._answer(service, request)
        except Exception as exc:  # the client reports it; the service goes on
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            with service.lock:
                service.active -= 1
                service.last = time.monotonic()
        self.wfile.write(json.dumps(answer).encode() + b"\n")
        if request.get("op") == "stop":
            threading.Thread(target=service.shutdown, daemon=True).start()

    @staticmethod
    def _answer(service: _Service, request: dict) -> dict:
        op = request.get("op")
        if op == "check":
            report = service.checker.report(Path(request["path"]))
            with service.lock:
                service.checks += 1
            return {"report": report}
        if op in ("hello", "stop"):
            return {"pid": os.getpid(), "fingerprint": fingerprint(), "version": __version__,
                    "started": service.started, "checks": service.checks,
                    "idle_seconds": service.idle}
        return {"error": f"unknown request {op!r}"}


def _watch_idle(service: _Service) -> None:
    while True:
        time.sleep(min(5.0, service.idle / 4))
        with service.lock:
            idle = service.active == 0 and time.monotonic() - service.last > service.idle
        if idle:
            service.shutdown()
            return


def serve(path: Path, idle: float) -> None:
    path.unlink(missing_ok=True)
    service = _Service(path, idle)
    path.with_suffix(".pid").write_text(str(os.getpid()))
    threading.Thread(target=_watch_idle, args=(service,), daemon=True).start()
    try:
        service.serve_forever(poll_interval=0.2)
    finally:
        service.server_close()
        path.unlink(missing_ok=True)
        path.with_suffix(".pid").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="bookbuild's EPUBCheck service")
    parser.add_argument("--socket", type=Path, required=True)
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    args = parser.parse_args()
    serve(args.socket, args.idle)


if __name__ == "__main__":
    main()
