"""p. Importing books of layouts the tests never saw (issue #26, "books of
layouts the tests never saw score alike"): errors per 100 paragraphs and per
100 notes against a truth made from the LaTeX that typeset each book, the
way ../shared/corpus/import-real's truths are made.

    python p_import_heldout.py FOLDER... [--show KIND] [--no-report]   # a folder per book

(``--no-report``: leave out the measure of the import report's flags, which
rereads a chapter for each flag: minutes on a book imported as one file; it
changes none of the figures the table prints.)

Each FOLDER holds the printed PDF, the source that typeset it (LaTeX with the
files it includes, or Markdown or Typst) and ``heldout.json``:

    {"pdf": "book.pdf", "latex": "main.tex",
     "source": "latex",          # Pandoc's reader of the source: "markdown" for a book
                                 # Pandoc typeset from Markdown, "typst"; default latex
     "inputs": ["a.md", "b.md"], # the files Pandoc reads, in order (a Markdown book in
                                 # several files), in place of "latex"; default [latex]
     "chapters": ["First scored title", "Next title"],  # consecutive, as Pandoc reads them
     "chapter_level": 1,         # the heading level of a chapter in Pandoc's reading (default 1)
     "preamble": "\\\\newcommand{\\\\sidenote}[1]{\\\\footnote{#1}}",  # what the book's own
                                 # macros print, for Pandoc (notes, text); default none
     "unread_macros": ["ili"],   # macros whose arguments the truth lacks (importscore)
     "replace": [["\\"a", "ä"]],  # what shorthands print that Pandoc does not know
                                 # (german.sty's "a), in every source file; default none
     "encoding": "latin-1",      # the source files' encoding (default utf-8)
     "citations": "notes",       # a layout that prints each citation as a note (Tufte's):
                                 # the truth has a note CITE there; default: CITE in the text
     "math": "unknown",          # each formula as XREF (a word the scorer takes as of
                                 # unknown printed form), for books whose formulas' glyphs
                                 # cannot be their TeX source; default: the TeX source
     "structure": {...}}         # what the truth leaves out, as a structure.json says
                                 # (extra_headings, running_heads, chapters, parts); its
                                 # "chapters" default to every heading at chapter_level

Pandoc reads the source (a copy of FOLDER's .tex files and inputs, in UTF-8
and with the replacements made, so ``\\input`` finds its files);
each scored chapter becomes ``[title, blocks, notes]`` with ⟦R⟧ at each
note's reference, citations as CITE and cross-references as XREF; the truth
ends before the heading that follows the last scored chapter. The import
runs ``bookbuild import`` on the PDF in a process of its own (no network),
and tests/importscore.py's ``score_import`` scores it. The table gives each
book and the median over the books; ``--show KIND`` (repeatable) lists every
place of that kind, for a person to look.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from common import BOOKBUILD, machine  # noqa: E402
from importscore import (BODY_KINDS, NOTE_KINDS, REF, UNREADABLE_KIND, _blocks,  # noqa: E402
                         heading_words, score_import, unmapped_glyphs,
                         unread_words)

from bookbuild.pandoc import executable  # noqa: E402

CONFIG = "heldout.json"


def _marked(node, cite_notes: bool = False, math_unknown: bool = False):
    """The AST with each citation as the word CITE (or a note holding it,
    where the layout prints citations as notes) and each cross-reference (a
    link Pandoc made from ``\\ref``) as XREF, as the truths have them; with
    ``math_unknown`` each formula as XREF too, its printed form being unknown."""
    if isinstance(node, list):
        return [_marked(n, cite_notes, math_unknown) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") == "Cite":
        cite = {"t": "Str", "c": "CITE"}
        return {"t": "Note", "c": [{"t": "Para", "c": [cite]}]} if cite_notes else cite
    if node.get("t") == "Link" and any(k == "reference-type" for k, _ in node["c"][0][2]):
        return {"t": "Str", "c": "XREF"}
    if node.get("t") == "Math" and math_unknown:
        return {"t": "Str", "c": "XREF"}
    return {k: _marked(v, cite_notes, math_unknown) for k, v in node.items()}


#: What stands between two formulas in the document Pandoc writes them in.
_BETWEEN = "BOOKBUILDFORMULAEND"


def _printed_math(document: dict) -> dict:
    """The document with each formula as the text Pandoc's plain writer
    prints for it (texmath's Unicode: ``\\langle x \\rangle`` as "⟨x⟩", the
    printed form), or as its TeX source where it has none (a root, a
    fraction): a truth holding "\\langle" where the page shows "⟨" faults
    every import."""
    formulas: list[dict] = []

    def collect(node) -> None:
        if isinstance(node, list):
            for n in node:
                collect(n)
        elif isinstance(node, dict):
            if node.get("t") == "Math":
                formulas.append(node)
            for value in node.values():
                collect(value)

    collect(document["blocks"])
    if not formulas:
        return document
    between = {"t": "Para", "c": [{"t": "Str", "c": _BETWEEN}]}
    written = {**document, "blocks": [b for f in formulas
                                      for b in ({"t": "Para", "c": [f]}, between)]}
    done = subprocess.run([executable(), "-f", "json", "-t", "plain", "--wrap=none"],
                          input=json.dumps(written), capture_output=True, text=True, check=True)
    printed = iter(" ".join(text.split()) for text in done.stdout.split(_BETWEEN))
    for formula in formulas:
        text = next(printed)
        formula.clear()
        formula.update({"t": "Str", "c": text})
    return document


def _spliced(blocks: list) -> list:
    """The blocks with every Div replaced by its contents, so a heading
    Pandoc reads inside one (Pandoc-made LaTeX wraps each heading in
    ``\\hypertarget``, read back as a Div) still starts its chapter."""
    out = []
    for block in blocks:
        out.extend(_spliced(block["c"][1]) if block["t"] == "Div" else [block])
    return out


def truth(folder: Path, config: dict) -> tuple[list, dict]:
    """The truth (``[title, blocks, notes]`` per scored chapter) and the
    structure the scorer reads, from Pandoc's reading of the book's source."""
    inputs = config.get("inputs") or [config["latex"]]
    with tempfile.TemporaryDirectory(prefix="bookbuild-heldout-tex-") as copy:
        for tex in {*folder.rglob("*.tex"), *(folder / name for name in inputs)}:
            text = tex.read_text(encoding=config.get("encoding", "utf-8"))
            for old, new in config.get("replace", ()):
                text = text.replace(old, new)
            if tex == folder / inputs[0]:
                text = config.get("preamble", "") + "\n" + text
            (Path(copy) / tex.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
            (Path(copy) / tex.relative_to(folder)).write_text(text, encoding="utf-8")
        done = subprocess.run([executable(), "-f", config.get("source", "latex"), "-t", "json",
                               *inputs], cwd=copy, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{folder / inputs[0]}: Pandoc cannot read it: "
                         f"{done.stderr.strip()[:300]}")
    document = json.loads(done.stdout)
    if config.get("math") != "unknown":
        document = _printed_math(document)
    blocks = _spliced(_marked(document["blocks"], config.get("citations") == "notes",
                              config.get("math") == "unknown"))
    level = config.get("chapter_level", 1)
    chapters: list[tuple[str, list]] = []  # every chapter-level heading with its blocks
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] <= level:
            chapters.append(("", []))
        if chapters:
            chapters[-1][1].append(block)
    named = []
    for _, chapter in chapters:
        flat: list[tuple[str, str, list[str]]] = []
        _blocks(chapter, flat)
        named.append((flat[0][1].strip() if flat else "", flat))
    titles = [title for title, _ in named]
    wanted = [heading_words(t) for t in config["chapters"]]
    heads = [heading_words(t) for t in titles]
    first = heads.index(wanted[0])
    if heads[first:first + len(wanted)] != wanted:
        raise SystemExit(f"{folder / CONFIG}: the scored chapters are not consecutive "
                         f"chapters of the LaTeX ({titles})")
    out = []
    for title, flat in named[first:first + len(wanted)]:
        notes = [n for _, _, mine in flat for n in mine]
        out.append([title, [[kind, 1 if kind == "h" else 0, " ".join(text.replace(REF, " ⟦R⟧ ")
                                                                     .split())]
                            for kind, text, _ in flat], [" ".join(n.split()) for n in notes]])
    structure = {"chapters": [t for t in titles if t], **config.get("structure", {})}
    after = first + len(wanted)
    if after < len(titles):
        structure["end_before"] = [titles[after]]
    return out, structure


def imported(pdf: Path, out: Path) -> tuple[int, str]:
    """Exit status and last stderr line of ``bookbuild import`` of ``pdf``."""
    done = subprocess.run([*BOOKBUILD, "import", str(pdf), "-o", str(out)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return done.returncode, (done.stderr.strip().splitlines() or [""])[-1]


def main(argv: list[str]) -> None:
    show = [argv[i + 1] for i, a in enumerate(argv) if a == "--show"]
    report = "--no-report" not in argv
    folders = [Path(a) for i, a in enumerate(argv) if a not in ("--show", "--no-report")
               and (i == 0 or argv[i - 1] != "--show")]
    if not folders:
        sys.exit(__doc__)
    print(machine())
    print("| book | exit | paragraphs | errors /100 ¶ | notes | errors /100 notes | structure |")
    print("|---|---|---|---|---|---|---|")
    scores = {}
    tmp = Path(tempfile.mkdtemp(prefix="bookbuild-heldout-"))
    try:
        for folder in folders:
            config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
            chapters, structure = truth(folder, config)
            (tmp / "truth.json").write_text(json.dumps(chapters, ensure_ascii=False), "utf-8")
            (tmp / "structure.json").write_text(json.dumps(structure, ensure_ascii=False),
                                                "utf-8")
            out = tmp / "out"
            shutil.rmtree(out, ignore_errors=True)
            status, message = imported(folder / config["pdf"], out)
            if status:
                print(f"| {folder.name} | {status} | — | stopped: {message[:80]} | — | — | — |")
                continue
            macros = tuple(config.get("unread_macros", ()))
            unread = unread_words((folder / config["latex"]).read_text(
                encoding="utf-8", errors="replace"), macros) if macros else ()
            score = score_import(out, tmp / "truth.json", tmp / "structure.json", unread,
                                 unmapped_glyphs(folder / config["pdf"]), report)
            scores[folder.name] = score
            print(f"| {folder.name} | 0 | {score.paragraphs} | {score.per_100_paragraphs:.1f} "
                  f"| {score.notes} | {score.per_100_notes:.1f} | {score.kinds['structure']} |",
                  flush=True)
            for kind in show:
                for place in score.examples.get(kind, []):
                    print(f"    {folder.name} {kind}: {place}")
    finally:
        shutil.rmtree(tmp)
    if not scores:
        return
    print(f"| median | | | {statistics.median(s.per_100_paragraphs for s in scores.values()):.1f} "
          f"| | {statistics.median(s.per_100_notes for s in scores.values()):.1f} "
          f"| {statistics.median(s.kinds['structure'] for s in scores.values())} |")
    print()
    print("| kind | " + " | ".join(scores) + " |")
    print("|---|" + "---|" * len(scores))
    for kind in BODY_KINDS + NOTE_KINDS + ("structure", UNREADABLE_KIND):
        print(f"| {kind} | " + " | ".join(str(s.kinds[kind]) for s in scores.values()) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
