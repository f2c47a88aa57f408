"""Generated hostile books: whatever book.yaml, project files and file-system
shapes a book has, a build ends in exit 0 or 2, never a bug (3), never a
traceback, and writes nothing outside the book (test_hostile's sandbox).

30 examples in the default suite; ``BOOKBUILD_FUZZ_EXAMPLES=300`` runs more
(see .ci/run).
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_hostile import bb, sandbox  # noqa: F401 (a fixture)

EXAMPLES = int(os.environ.get("BOOKBUILD_FUZZ_EXAMPLES", "30"))

KEYS = ("title", "language", "author", "subtitle", "contributors", "chapters", "cover", "slug",
        "date", "isbn", "formats", "notes", "theme", "css", "fonts", "toc-depth", "print",
        "project", "book", "rmd_files", "lang", "part", "file", "type", "name", "role")
#: Text with what breaks parsers and encoders: controls, escapes, surrogates, RTL, long runs.
ODD = st.lists(st.sampled_from(["a", " ", ":", "-", "\\", '"', "'", "{", "[", "#", "&", "*", "!",
                                "\x00", "\x01", "\t", "\n", "\u202e", "\ud800", "é", "01.md",
                                "../", "/etc/passwd", "x" * 2000]), max_size=8).map("".join)
#: Values a book.yaml or a project holds, so that some books get past their config.
FAIR = st.sampled_from(["T", "en", "de", "A", "manuscript/01.md", "index.Rmd", "a.qmd", "epub",
                        "cover.jpg", "chapter", "book", "2026-01-01", "1"])
VALUES = st.recursive(st.one_of(FAIR, ODD, st.booleans(), st.none(), st.integers()),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(st.sampled_from(KEYS), inner,
                                                              max_size=4)),
                      max_leaves=12)
MAPPINGS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3)
BASE = {"title": "T", "language": "en", "author": "A"}


def _yaml(data: dict, raw: bytes) -> bytes:
    """A mapping as YAML (JSON is YAML; a surrogate is written as its escape), or raw bytes."""
    return raw if raw else json.dumps(data).encode()


#: What stands where a file is expected.
SHAPES = ("text", "empty", "odd bytes", "folder", "loop", "link outside", "fifo", "absent")
FILES = ("book.yaml", "manuscript/01.md", "manuscript/02.md", "_bookdown.yml", "_quarto.yml",
         "index.Rmd", "a.qmd", "cover.jpg")


def _place(path: Path, shape: str, text: bytes, outside: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if shape == "text":
        path.write_bytes(text)
    elif shape == "empty":
        path.write_bytes(b"")
    elif shape == "odd bytes":
        path.write_bytes(b"\xff\xfe\x00---\ntitle: \x80\n---\n# \xc3(\n" + text[:200])
    elif shape == "folder":
        path.mkdir()
    elif shape == "loop":
        path.symlink_to(path.name)
    elif shape == "link outside":
        path.symlink_to(outside)
    elif shape == "fifo":
        os.mkfifo(path)


_counter = itertools.count()
#: book.yaml as bytes instead of a mapping, one time in four.
RAW = st.sampled_from([False] * 3 + [True]).flatmap(
    lambda raw: st.binary(min_size=1, max_size=64) if raw else st.just(b""))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("CI"),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(config=MAPPINGS, raw=RAW,
       project=MAPPINGS, front=MAPPINGS,
       shapes=st.dictionaries(st.sampled_from(FILES), st.sampled_from(SHAPES), max_size=4),
       base=st.sampled_from([True] * 3 + [False]))
def test_a_generated_book_builds_or_is_bad_input(sandbox, config, raw, project, front, shapes,
                                                 base):
    root = sandbox / "book" / str(next(_counter))
    texts = {
        "book.yaml": _yaml({**config, **BASE} if base else config, raw),
        "manuscript/01.md": b"# One\n\nText.[^1]\n\n[^1]: A note.\n",
        "_bookdown.yml": _yaml(project, b""),
        "_quarto.yml": _yaml({"project": {"type": "book"}, "book": project}, b""),
        "index.Rmd": b"---\n" + _yaml(front, b"") + b"\n---\n# Index\n",
        "a.qmd": b"# A\n",
    }
    # Each file: its text, or the shape drawn for it; book.yaml is left out at
    # times so the project files are read.
    for name in FILES:
        shape = shapes.get(name, "text" if name in texts and (name != "book.yaml" or base
                                                               or raw or config) else "absent")
        if shape != "absent":
            _place(root / name, shape, texts.get(name, b""), sandbox / "outside" / "secret.txt")
    run = bb("build", root, "--no-check", "--format", "epub")
    assert run.code in (0, 2), (run.code, run.lines)
    assert not any("Traceback" in line for line in run.lines)
    assert run.code == 0 or run.lines[0].startswith("bookbuild: error: "), run.lines
