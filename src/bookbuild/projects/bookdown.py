"""A bookdown project: ``_bookdown.yml`` and ``index.Rmd``'s YAML block.

The reading order is ``rmd_files`` (a list, or one list per output format,
of which the EPUB's, then HTML's, is taken), else every ``.Rmd`` file by name
with ``index.Rmd`` first and files starting with ``_`` left out, as bookdown
itself orders them; the file bookdown merges the chapters into,
``<book_filename>.Rmd`` (``_main.Rmd`` by default), is never a chapter.
``(PART)`` and ``(APPENDIX)`` headings make its parts; ``language:`` names
its numbered figures, tables, theorems and chapters. Its chapters are read
as R Markdown has Pandoc read them (:data:`DIALECT`), or as bookdown knitted
them into its ``output_dir`` (``knitted.py``).
"""

from __future__ import annotations

from pathlib import Path

from ..pandoc import read_markdown
from ..safety.files import read_text
from ..safety.yamlfile import plain, read_yaml
from . import Project, book_keys, front_matter, missing_bibliography, plain_meta
from .knitr import BOOKDOWN_ENVIRONMENTS, THEOREM_LABELS, chunks

FILE = "_bookdown.yml"
INDEX = "index.Rmd"
#: The reader R Markdown hands Pandoc (rmarkdown's ``rmarkdown_format()``):
#: bare URLs are links, and ``\[ x \]``, ``\( x \)`` are math.
DIALECT = "markdown+autolink_bare_uris+tex_math_single_backslash"
MERGED = "_main"  # bookdown's default book_filename
OUTPUT_DIR = "_book"  # bookdown's default output_dir, where it keeps chapters it knitted
#: bookdown's ``language: label:`` keys (``label_names`` in its R/utils.R) and
#: the words they set: each a text put before the number ("Figure 2.1").
LABELS = {"fig": "figure", "tab": "table", "eq": "equation",
          **{prefix: env for env, prefix in THEOREM_LABELS.items()}}
#: Its unnumbered labels, the proof environments': a name and a full stop ("Proof. ").
NAMES = tuple(env for env in BOOKDOWN_ENVIRONMENTS if env not in THEOREM_LABELS)
#: ``language: ui:`` keys that label chapters and appendices ("Chapter 1").
UI = {"chapter_name": "chapter", "appendix_name": "appendix"}


def _order(settings: dict, root: Path) -> list[str]:
    merged = f"{settings.get('book_filename') or MERGED}.Rmd"
    listed = settings.get("rmd_files")
    if isinstance(listed, dict):
        listed = listed.get("epub") or listed.get("html") or next(iter(listed.values()), None)
    if isinstance(listed, list):
        return [str(name) for name in listed if str(name) != merged]
    names = sorted(p.name for p in root.glob("*.Rmd")
                   if not p.name.startswith("_") and p.name != merged)
    return sorted(names, key=lambda name: name != INDEX)


def _structure(order: list[str], root: Path) -> list:
    """The reading order with bookdown's parts: a file whose text holds a
    ``# (PART) Title {-}`` heading is preceded by a part page of that title, and
    ``# (APPENDIX) Title {-}`` starts the appendices (the worker's Lua takes the
    headings out of the chapter and lists them in ``bookdown-parts``). Only a
    file whose text could hold one is read here, its chunks made fences first
    as for the chapter itself (a chunk never hides a heading)."""
    entries: list = []
    appendix = False
    for name in order:
        path = root / name
        text = read_text(path, root) if path.is_file() else ""
        if "(PART" in text or "(APPENDIX)" in text:
            meta = read_markdown(chunks(text).text, path).doc.get("meta", {})
            for part in plain_meta(meta["bookdown-parts"]) if "bookdown-parts" in meta else ():
                appendix = appendix or part["kind"] == "appendix"
                entries.append({"part": part["title"]})
        entries.append({"file": name, "type": "appendix"} if appendix else name)
    return entries


def _labels(settings: dict) -> tuple[tuple[str, str], ...]:
    """bookdown's ``language:`` as the book's words, ``{n}`` where bookdown puts
    the number: after a label ('FIGURE ' is "FIGURE 2.1"), between the two
    strings of a ``chapter_name`` of two ('第', '章' is "第1章"); a top-level
    ``chapter_name`` comes first, as in bookdown. A proof's label is its name
    (the full stop is the environment's). An empty text or an R function
    (which YAML cannot hold) leaves the book's language's word."""
    language = settings.get("language")
    language = language if isinstance(language, dict) else {}
    label = language.get("label") if isinstance(language.get("label"), dict) else {}
    ui = language.get("ui") if isinstance(language.get("ui"), dict) else {}
    own: dict[str, str] = {}
    for key, text in label.items():
        if isinstance(text, str) and text.strip():
            if key in LABELS:
                own[LABELS[key]] = text + "{n}"
            elif key in NAMES:
                own[key] = text.strip().removesuffix(".")
    for key, word in UI.items():
        text = settings.get(key) if key == "chapter_name" and settings.get(key) is not None \
            else ui.get(key)
        text = [text] if isinstance(text, str) else text
        if isinstance(text, list) and len(text) in (1, 2) \
                and all(isinstance(t, str) for t in text) and "".join(text).strip():
            own[word] = text[0] + "{n}" + "".join(text[1:])
    return tuple(sorted(own.items()))


def read(root: Path) -> Project | None:
    file = root / FILE
    if not file.is_file():
        return None
    settings = plain(read_yaml(file, root)) if file.stat().st_size else {}
    order = _order(settings if isinstance(settings, dict) else {}, root)
    index = root / (INDEX if INDEX in order or not order else order[0])
    meta = front_matter(index, root)
    data = book_keys(meta, root)
    if isinstance(settings, dict) and isinstance(settings.get("book_filename"), str):
        data["slug"] = settings["book_filename"]
    data["chapters"] = _structure(order, root)
    data["markdown"] = DIALECT
    output_dir = settings.get("output_dir") if isinstance(settings, dict) else None
    missing = missing_bibliography(meta, root, index)
    return Project("bookdown", file, data, warnings=missing, bibliography_incomplete=bool(missing),
                   knitted=output_dir if isinstance(output_dir, str) and output_dir else OUTPUT_DIR,
                   labels=_labels(settings) if isinstance(settings, dict) else ())
