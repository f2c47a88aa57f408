"""The checker: EPUBCheck in one process per user and version, the one way
bookbuild checks an EPUB.

Starting Java and loading EPUBCheck's schemas costs seconds; a check in a warm
JVM costs a fraction of one. So the first command that checks starts this
module as a program, the checker process: EPUBCheck's Java API in its JVM
(JPype), with the very report class the command line uses for ``--json``,
behind a Unix socket in a folder only its user can enter. Requests and
answers are JSON lines. The socket's name is a fingerprint of what decides a
check's answer (bookbuild's version and checking code, EPUBCheck's jar, the
Java release and its options), not of where they are installed, so every
checkout and virtual environment of one version shares one checker, and
another version's is never used.

Lifetime: started on demand by a :class:`Client` (one starter at a time,
under a lock), while the book converts; kept for later commands unless its
starter said otherwise (``keep=False``: CI, ``--no-daemon``), in which case
the process that started it stops it when it exits; ``bookbuild checker
stop`` stops any; an idle timeout is the backstop. A check that outlives its
time limit, or a checker that does not greet, is killed, but only once the
kernel (the socket's peer credentials) names its process and that process is
this user's checker on this very socket; the next check starts a fresh one.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import BookbuildError
from ..safety import limits
from . import java as javaruntime
from .epubcheck import JVM_OPTIONS, WARM_UP, CheckResult, jar_path, parse_report

#: Seconds of idleness after which a checker exits (``BOOKBUILD_CHECKER_IDLE``).
IDLE_SECONDS = 600
#: How long a starter waits for a new checker's socket (Python's start-up).
START_SECONDS = 60
#: How long a client waits for a greeting before calling a checker hung.
HELLO_SECONDS = 10
_MODULE = "bookbuild.checks.service"


def runtime_dir() -> Path:
    """The user's own folder for the socket: ``$BOOKBUILD_RUNTIME_DIR``, else
    ``$XDG_RUNTIME_DIR/bookbuild``, else one in the temp directory; it must
    belong to the user and be closed to others."""
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
        raise BookbuildError(f"no folder for EPUBCheck's checker: {exc.strerror}", folder,
                             code="tool-failed") from None
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid() \
            or info.st_mode & 0o077:
        raise BookbuildError("not a private folder of this user, so EPUBCheck's checker "
                             "cannot use it (set BOOKBUILD_RUNTIME_DIR)", folder,
                             code="tool-failed")
    return folder


def _java_release() -> str:
    """The Java that runs the checker, by its release file (the same JDK installed
    twice is one Java), else by its path."""
    java = Path(os.path.realpath(javaruntime.java()))
    try:
        return (java.parents[1] / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return str(java)


@functools.cache
def fingerprint() -> str:
    """What decides a check's answer: bookbuild's version and checking code,
    EPUBCheck's jar, the Java release and the JVM's options; never a path."""
    jar = jar_path()
    parts = [__version__, jar.name, str(jar.stat().st_size), _java_release(),
             *JVM_OPTIONS, *limits.current().java_options()]
    for module in ("epubcheck.py", "service.py"):
        parts.append(hashlib.sha256((Path(__file__).parent / module).read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def socket_path(folder: Path) -> Path:
    return folder / f"checker-{fingerprint()}.sock"


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


def _connect(path: Path, timeout: float | None) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(str(path))
    except BaseException:
        sock.close()
        raise
    return sock


def _ask(sock: socket.socket, request: dict) -> dict:
    sock.sendall(json.dumps(request).encode() + b"\n")
    with sock.makefile("rb") as answer:
        line = answer.readline()
    if not line:
        raise ConnectionError("the checker closed the connection")
    return json.loads(line)


def _status(path: Path, data: dict) -> Status:
    return Status(path, data["pid"], data["fingerprint"], data["version"], data["started"],
                  data["checks"], data["idle_seconds"])


def hello(path: Path, timeout: float = HELLO_SECONDS) -> Status:
    with _connect(path, timeout) as sock:
        return _status(path, _ask(sock, {"op": "hello"}))


def kill_verified(sock: socket.socket, path: Path) -> bool:
    """Kill the process behind a connected socket if, and only if, the kernel
    names it (peer credentials, held as a pidfd so the number cannot be reused
    meanwhile) and it is this user's checker serving ``path``. True if killed."""
    try:
        pid, uid, _ = struct.unpack("3i", sock.getsockopt(
            socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no peer credentials here, or it is gone
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if uid != os.getuid() or _MODULE.encode() not in argv or os.fsencode(path) not in argv:
            return False
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        return True
    except OSError:
        return False
    finally:
        os.close(pidfd)


def services(folder: Path) -> list[Status | Path]:
    """Every checker socket in the folder: its status, or the socket alone if
    nothing answers there."""
    found: list[Status | Path] = []
    for path in sorted(folder.glob("checker-*.sock")):
        try:
            found.append(hello(path, timeout=2))
        except (OSError, ValueError, KeyError):
            found.append(path)
    return found


def stop(path: Path) -> str:
    """Stop the checker at ``path``: asked to, or killed (verified) if it does
    not answer; a socket nothing listens on is removed. Says which."""
    try:
        with _connect(path, 5) as sock:
            try:
                _ask(sock, {"op": "stop"})
                deadline = time.monotonic() + 5
                while path.exists() and time.monotonic() < deadline:
                    time.sleep(0.02)  # gone when stop returns: the checker removes its socket
                return "stopped"
            except (OSError, ValueError):
                if kill_verified(sock, path):
                    path.unlink(missing_ok=True)
                    return "killed (it did not answer)"
                return "left alone (it does not answer and is no checker of this user)"
    except (ConnectionRefusedError, FileNotFoundError):
        path.unlink(missing_ok=True)
        return "removed (nothing listened)"
    except OSError as exc:
        return f"left alone ({exc.strerror or exc})"


class Client:
    """Checks through the user's checker of this version, starting it if none
    answers. ``keep``: leave a checker this process starts running for later
    commands; else it is stopped when this process exits."""

    def __init__(self, keep: bool = True) -> None:
        javaruntime.java()  # a missing Java is the one-line error, now, not after the build
        self.folder = runtime_dir()
        self.path = socket_path(self.folder)
        self.keep = keep
        self.notice: str | None = None
        self.started: list[int] = []  # the checkers this process started (pids)
        self._ensure()

    def _ensure(self) -> None:
        """A checker of this version answering at our socket, or a new one starting."""
        with open(self.folder / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one starter at a time
            try:
                with _connect(self.path, HELLO_SECONDS) as sock:
                    try:
                        if _status(self.path, _ask(sock, {"op": "hello"})).current:
                            return
                    except (OSError, ValueError, KeyError):
                        pass
                    killed = kill_verified(sock, self.path)
                    self.notice = ("EPUBCheck's checker did not answer; "
                                   + ("it was stopped and " if killed else "")
                                   + "a new one was started in its place")
            except (ConnectionRefusedError, FileNotFoundError):
                pass  # none, or a dead one's socket
            self.path.unlink(missing_ok=True)
            self._start()

    def _start(self) -> None:
        idle = os.environ.get("BOOKBUILD_CHECKER_IDLE", str(IDLE_SECONDS))
        log = self.path.with_suffix(".log")
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", _MODULE, "--socket", str(self.path), "--idle", idle],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while not self.path.exists():  # bound at once; Java starts behind it
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise BookbuildError("EPUBCheck's checker could not start: " + _last_line(log),
                                     code="tool-failed")
            time.sleep(0.02)
        self.started.append(proc.pid)
        if len(self.started) == 1:
            atexit.register(self.stop_started)

    def stop_started(self) -> None:
        """Stop the checker this process started, if it is still the one
        answering and nobody asked to keep it."""
        if self.keep:
            return
        with contextlib.suppress(OSError, ValueError, KeyError):
            if hello(self.path, timeout=2).pid in self.started:
                stop(self.path)

    def check(self, path: Path) -> CheckResult:
        """EPUBCheck's verdict; a checker that died under us (stopped, or killed
        for another's time limit) is replaced once."""
        try:
            return self._check(path)
        except (ConnectionError, FileNotFoundError):
            self._ensure()
            try:
                return self._check(path)
            except (ConnectionError, FileNotFoundError):
                raise BookbuildError("EPUBCheck's checker stopped: "
                                     + _last_line(self.path.with_suffix(".log")), path,
                                     code="tool-failed") from None

    def _check(self, path: Path) -> CheckResult:
        seconds = limits.current().epubcheck_seconds
        with _connect(self.path, HELLO_SECONDS) as sock:
            sock.settimeout(seconds)
            try:
                answer = _ask(sock, {"op": "check", "path": str(path.resolve())})
            except TimeoutError:
                kill_verified(sock, self.path)  # the next check starts a fresh one
                raise limits.too_long("EPUBCheck", seconds, "epubcheck-seconds", path) from None
        if "failure" in answer:
            raise BookbuildError(f"EPUBCheck's checker could not start Java: {answer['failure']}",
                                 code="tool-failed")
        if "exhausted" in answer:
            raise limits.exhausted("EPUBCheck", answer["exhausted"], "java-memory-mb", path)
        if "error" in answer:
            raise RuntimeError(f"EPUBCheck's checker failed: {answer['error']}")
        return parse_report(answer["report"])


def _last_line(log: Path) -> str:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "no message"
    return lines[-1] if lines else "no message"


# --- the checker process ------------------------------------------------------


class _EpubCheck:
    """EPUBCheck's Java API in this process's JVM, with its schemas loaded."""

    def __init__(self) -> None:
        import jpype
        import jpype.imports  # noqa: F401  (enables "from com... import")

        jpype.startJVM(*JVM_OPTIONS, *limits.current().java_options(),
                       jvmpath=javaruntime.jvm_library(), classpath=[str(jar_path())],
                       convertStrings=True)
        from com.adobe.epubcheck.api import EpubCheck
        from com.adobe.epubcheck.reporting import CheckingReport
        from java.io import File, PrintWriter, StringWriter

        self._classes = (EpubCheck, CheckingReport, File, PrintWriter, StringWriter)
        self._thread = jpype.java.lang.Thread
        self.report(WARM_UP)  # EPUBCheck loads its schemas at its first check

    def report(self, path: Path) -> dict:
        """EPUBCheck's JSON report, as its command line writes it."""
        EpubCheck, CheckingReport, File, PrintWriter, StringWriter = self._classes
        if not self._thread.isAttached():
            self._thread.attachAsDaemon()
        buffer = StringWriter()
        report = CheckingReport(PrintWriter(buffer), str(path))
        report.initialize()
        EpubCheck(File(str(path)), report).doValidate()
        report.generate()
        return json.loads(str(buffer.toString()))


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, idle: float):
        self.started = time.time()
        self.idle = idle
        self.last = time.monotonic()
        self.active = 0
        self.checks = 0
        self.lock = threading.Lock()
        self.ready = threading.Event()  # set once EPUBCheck is warm, or could not start
        self.epubcheck: _EpubCheck | None = None
        self.failure = ""
        super().__init__(str(path), _Handler)
        os.chmod(path, 0o600)

    def start_java(self) -> None:
        try:
            self.epubcheck = _EpubCheck()
        except Exception as exc:  # every waiting client gets this as its answer
            self.failure = f"{type(exc).__name__}: {exc}"
            print(f"EPUBCheck could not start: {self.failure}", flush=True)
        self.ready.set()


#: What the JVM (or Python) throws when a check needs more memory or stack than
#: it has: the input's doing (bad input), after which the next check starts a
#: fresh JVM rather than trust one that ran out.
_EXHAUSTION = frozenset({"java.lang.OutOfMemoryError", "java.lang.StackOverflowError",
                         "MemoryError", "RecursionError"})


def _exhausted(exc: Exception) -> bool:
    return any(kind.__name__ in _EXHAUSTION for kind in type(exc).__mro__)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: _Server = self.server
        request = json.loads(self.rfile.readline())
        with server.lock:
            server.active += 1
        try:
            answer = self._answer(server, request)
        except Exception as exc:  # the client reports it; the checker goes on
            answer = ({"exhausted": str(exc)} if _exhausted(exc)
                      else {"error": f"{type(exc).__name__}: {exc}"})
        finally:
            with server.lock:
                server.active -= 1
                server.last = time.monotonic()
        self.wfile.write(json.dumps(answer).encode() + b"\n")
        if request.get("op") == "stop" or server.failure or "exhausted" in answer:
            threading.Thread(target=server.shutdown, daemon=True).start()

    @staticmethod
    def _answer(server: _Server, request: dict) -> dict:
        op = request.get("op")
        if op == "check":
            server.ready.wait()
            if server.epubcheck is None:
                return {"failure": server.failure}
            report = server.epubcheck.report(Path(request["path"]))
            with server.lock:
                server.checks += 1
            return {"report": report}
        if op in ("hello", "stop"):
            return {"pid": os.getpid(), "fingerprint": fingerprint(), "version": __version__,
                    "started": server.started, "checks": server.checks,
                    "idle_seconds": server.idle}
        return {"error": f"unknown request {op!r}"}


def _watch_idle(server: _Server) -> None:
    while True:
        time.sleep(min(5.0, server.idle / 4))
        with server.lock:
            idle = server.active == 0 and time.monotonic() - server.last > server.idle
        if idle:
            server.shutdown()
            return


def serve(path: Path, idle: float) -> None:
    """Bind at once (the starter waits for the socket only), then start Java.
    The process ends with ``os._exit``: a check may still run in a Java thread,
    and the JVM's own exit would wait for it or crash under it."""
    server = _Server(path, idle)
    bound = path.stat().st_ino
    threading.Thread(target=server.start_java, daemon=True).start()
    threading.Thread(target=_watch_idle, args=(server,), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        with contextlib.suppress(OSError):
            if path.stat().st_ino == bound:  # not a successor's socket
                path.unlink()
        sys.stdout.flush()
        os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description="bookbuild's EPUBCheck checker")
    parser.add_argument("--socket", type=Path, required=True)
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    args = parser.parse_args()
    serve(args.socket, args.idle)


if __name__ == "__main__":
    main()
