"""Score an import of a real printed book against the truth made from the
LaTeX that typeset it (../shared/corpus/import-real/<book>/).

A truth file holds, per chapter, ``[title, blocks, notes]``: each block is
``["h", level, text]`` or ``["p", 0, text]`` with ⟦R⟧ where a note's reference
stands, and the notes in the order of their references. Citations and
cross-references are "CITE" and "XREF", a LaTeX key ("ex:3.12]a") or a
double space where one was taken out: each matches whatever the import has
there (its printed form is not known). A list item's or example's printed
label ("(2)", "b.") at the start of an imported block is not counted: the
truth has it as numbering.
The book's structure.json says what the truth leaves out: where it ends
(``end_before``), sections it omits (``extra_headings``), running heads, and
the book's chapters and parts.

The imported Markdown is read by Pandoc (the one reader of Markdown). Both
sides become streams of normalised words with the block starts and note
references marked; one alignment of the streams (difflib, on words) then
names each error by its kind, so a change to the importer shows which class
of layout it helped or hurt:

- ``split``: a block starts in the import inside a truth paragraph;
- ``merged``: a truth block start with none in the import;
- ``run together``: words joined by a lost space (one per joined word);
- ``word split``: a word cut in pieces by spaces that are not there;
- ``hyphen kept``: a line-end hyphen left inside a word;
- ``text wrong`` / ``text missing`` / ``text extra``: other changes;
- ``running head``: a running head or folio left in the text;
- ``heading wrong``: a truth heading not imported as that heading, or an
  imported heading that is not one;
- ``note missing`` / ``note extra`` / ``note text wrong``: notes matched by
  their text; ``note off reference``: a note whose reference is not where
  the truth has it;
- ``structure`` (counted apart): a chapter or part of structure.json (or of
  the truth) not starting an imported chapter file, or a contents page
  imported as a chapter.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bookbuild.pandoc import read_markdown

from pdfgen.compare import body_files, inline_text

REF = "\ue000"  # a note's reference in a word stream
WILD = "\ue001"  # a citation or cross-reference: its printed form is unknown
#: What the import writes for a glyph the PDF draws with no text behind it
#: (no ToUnicode entry, no glyph name, or the font's .notdef): one per glyph.
UNREADABLE = "\ufffd"
_MARKS = "\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff"  # combining marks
_GLYPH = f"(?:[^{_MARKS}][{_MARKS}]*)"  # what one U+FFFD stands for: a character and its marks
BODY_KINDS = ("split", "merged", "run together", "word split", "hyphen kept", "text wrong",
              "text missing", "text extra", "running head", "heading wrong")
NOTE_KINDS = ("note missing", "note extra", "note text wrong", "note off reference")
#: Counted apart, as ``structure`` is: not the import's error but the PDF's.
UNREADABLE_KIND = "unreadable in the PDF"
_NUMBER = re.compile(r"^(?:\d+|[ivxlc]+|unit)(?:[.]\d+)*[.]?$")
#: Two spaces in a truth text, not beside a reference: a citation taken out
#: whole (the truths of import-real leave that gap for some of them).
_GAP = re.compile(r"(?<=[^\s⟧])  +(?=[^\s⟦])")
#: A cross-reference's LaTeX key left in a truth text ("ex:3.12]a", "unit:2").
_KEY = re.compile(r"\b[a-z]+:[\w.:-]+\]?\w*")
#: A printed label of a list item or numbered example ("(2)", "a.", "iv",
#: "12b", a speaker's "B₁"): the truth, read by Pandoc from LaTeX, has them
#: as numbering.
_LABEL = re.compile(r"^(?:\d+[a-z]?|[a-h]\d?|[ivx]+)$")
_ITEM = re.compile(r"^[a-h]\d?$")  # an item's letter ("c.", a speaker's "B₁")
#: Apostrophes and double quotation marks, each as one kind.
_ONE_QUOTE = str.maketrans({"’": "'", "ʼ": "'", "“": '"', "”": '"'})
_EDGE = re.compile(r"^[^\w\ue000\ue001\ufffd]+|[^\w\ue000\ue001\ufffd]+$")
#: A LaTeX comment, to its line's end.
_COMMENT = re.compile(r"(?<!\\)%.*")
#: What LaTeX does not print: an environment's begin or end and a label with
#: their names, a command with its options ("\\node[draw]"), a brace.
_LATEX = re.compile(r"\\(?:begin|end|label)\s*\{[^{}]*\}|\\(?:[A-Za-z@]+\*?|.)(?:\[[^\]]*\])?|[{}]")


def words(text: str) -> list[str]:
    """Compared words: NFKC, case-folded, one kind of apostrophe and of double
    quotation mark (a truth writes Pandoc's quotations straight, a print
    curly), punctuation off each word's edges (a hyphen inside a word stays:
    it may be an error)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ONE_QUOTE)
    text = text.replace("⟦r⟧", f" {REF} ").replace(REF, f" {REF} ")
    out = []
    for word in text.split():
        word = _EDGE.sub("", word)
        if word:
            out.append(word)
    return out


#: The word before an appendix's printed letter or number ("Appendix A.", "Anhang B",
#: "Annexe C"): the letter is its number, as "Unit IV"'s is, and no word of its title.
_APPENDIX = ("appendix", "anhang", "annexe")


def heading_words(text: str) -> list[str]:
    """A heading's words without its printed number ("2.6.1", "Unit IV", "Appendix A")."""
    found = words(text)
    if len(found) > 2 and found[0] in _APPENDIX and (len(found[1]) == 1 or _NUMBER.match(found[1])):
        found = found[2:]
    while found and _NUMBER.match(found[0]) and len(found) > 1:
        found = found[1:]
    return found


@dataclass
class Stream:
    """A book as one word stream: block starts, headings, note references."""
    words: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # word index of each block's start
    headings: dict[int, list[str]] = field(default_factory=dict)  # start -> heading words
    refs: list[int] = field(default_factory=list)  # word index following each reference
    notes: list[list[str]] = field(default_factory=list)  # each reference's note, in order
    places: list[object] = field(default_factory=list)  # per start: the block it came from

    def add(self, kind: str, text: str, notes: list[str], place: object = None) -> None:
        found = heading_words(text) if kind == "h" else words(text)
        body = [w for w in found if w != REF]
        start = len(self.words)
        if body:
            self.starts.append(start)
            self.places.append(place)
        if body and kind == "h":
            self.headings[start] = body
        for word in found:
            if word == REF:
                self.refs.append(len(self.words))
            else:
                self.words.append(word)
        self.notes += [words(n) for n in notes]


def _wild(text: str) -> str:
    """A truth text with each citation and cross-reference as WILD."""
    text = _GAP.sub(" CITE ", _KEY.sub(" XREF ", text))
    return re.sub(r"\b(?:CITE|XREF)\b", f" {WILD} ", text)


def truth_stream(truth: list) -> Stream:
    stream = Stream()
    for _title, blocks, notes in truth:
        refs = sum(text.count("⟦R⟧") for _kind, _level, text in blocks)
        if refs != len(notes):
            raise ValueError(f"truth chapter {_title!r}: {refs} references, {len(notes)} notes")
        queue = list(notes)
        for kind, _level, text in blocks:
            mine = [queue.pop(0) for _ in range(text.count("⟦R⟧"))]
            stream.add(kind, _wild(text), [_wild(n) for n in mine])
    return stream


def _inlines(nodes: list, notes: list[str]) -> str:
    """Text of Pandoc inlines; each note becomes REF and its text goes to ``notes``."""
    def note(blocks: list) -> str:
        notes.append(" ".join(_block_text(b) for b in blocks))
        return f" {REF} "
    return inline_text(nodes, note)


def _block_text(block: dict) -> str:
    """All text of a block inside a note (notes are compared as one text)."""
    flat: list[tuple[str, str, list[str]]] = []
    _blocks([block], flat)
    return " ".join(text for _, text, _ in flat)


def _blocks(blocks: list, out: list[tuple[str, str, list[str]]]) -> None:
    """Flatten Pandoc blocks to (kind, text, notes): a list item, a quoted
    paragraph and a verse count as paragraphs, as in the truth."""
    for block in blocks:
        t, c = block["t"], block.get("c")
        notes: list[str] = []
        if t == "Header":
            out.append(("h", _inlines(c[2], notes), notes))
        elif t in ("Para", "Plain"):
            out.append(("p", _inlines(c, notes), notes))
        elif t == "LineBlock":
            out.append(("p", " ".join(_inlines(line, notes) for line in c), notes))
        elif t == "CodeBlock":
            out.append(("p", c[1], notes))
        elif t in ("BlockQuote",):
            _blocks(c, out)
        elif t == "Div":
            _blocks(c[1], out)
        elif t == "BulletList":
            for item in c:
                _blocks(item, out)
        elif t == "OrderedList":
            for item in c[1]:
                _blocks(item, out)
        elif t == "DefinitionList":
            for term, definitions in c:
                out.append(("p", _inlines(term, notes), notes))
                for definition in definitions:
                    _blocks(definition, out)


def imported_blocks(book_dir: Path) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """Each chapter file book.yaml lists for the body, with its flattened blocks."""
    chapters = []
    for entry, _part in body_files(book_dir):
        doc = read_markdown((book_dir / entry).read_text(encoding="utf-8")).doc
        flat: list[tuple[str, str, list[str]]] = []
        _blocks(doc["blocks"], flat)
        chapters.append((entry, flat))
    return chapters


def _region(blocks: list[tuple[str, str, list[str]]], first: list[str], end_before: list[str],
            omitted: list[list[str]], keep: list[list[str]]) -> list[int]:
    """The imported blocks the truth covers: from the first chapter's title (a
    heading if one has it, else the first block that has) to the block that
    ``end_before`` names, without the sections the truth omits: their indices."""
    def at(target: list[str], start: int) -> int | None:
        same = [i for i in range(start, len(blocks)) if heading_words(blocks[i][1]) == target]
        heads = [i for i in same if blocks[i][0] == "h"]
        return (heads or same or [None])[0]

    begin = at(first, 0) or 0
    ends = [e for target in end_before if (e := at(target, begin + 1)) is not None]
    chosen, skipping = [], False
    for i in range(begin, min(ends, default=len(blocks))):
        head = heading_words(blocks[i][1])
        if head in omitted:
            skipping = True
        elif head in keep:
            skipping = False
        if not skipping:
            chosen.append(i)
    return chosen


def _labelled_start(words: list[str], at: int, starts: set[int]) -> bool:
    """Whether only printed labels ("(4) a.") stand between an imported
    block's start and ``at``: the block starts there, as the truth's does."""
    k = at
    while k > 0 and k not in starts and _LABEL.match(words[k - 1]):
        k -= 1
    return k < at and k in starts


def _letters(tokens: list[str]) -> str:
    """The words' letters and digits alone: what spacing and punctuation cannot change."""
    return re.sub(r"[\W_]", "", "".join(tokens))


def _unread(got: list[str], unread: tuple[tuple[str, ...], ...]) -> bool:
    """Whether an extra run of words is a contiguous run of one unread
    argument's words, in their order: the truth's gap, not the import's. A
    lone word is so only when it is a whole argument (``\\ili{Teochew}``): a
    common word ("the") of a long caption could be any extra word."""
    n = len(got)
    return any(tuple(got) == argument[k:k + n] for argument in unread
               if n > 1 or len(argument) == 1 for k in range(len(argument) - n + 1))


def _unreadable(want: list[str], got: list[str]) -> bool:
    """Whether an imported run differs from the truth only where the PDF draws
    glyphs with no text behind them: word for word, each U+FFFD standing for
    exactly one character of the truth and every other character the same.
    No reader of the printed page could recover those characters; the import
    marks each one and reports its page, and the rest must still be right.
    A glyph is a character with its combining marks (NFKC leaves some Greek
    accents apart)."""
    if len(want) != len(got) or not any(UNREADABLE in w for w in got):
        return False
    return all(re.fullmatch(_GLYPH.join(map(re.escape, g.split(UNREADABLE))), w)
               for w, g in zip(want, got))


def _not_extra(got: list[str], at_start: bool, unread: tuple[tuple[str, ...], ...]) -> bool:
    """Whether extra words within one imported block are no error: labels at
    the block's start are the printed numbering, and so are an item's letters
    inside one (the truth has an example's items in one block; a number there
    may be a folio left in the text); a run of words the truth could not read
    (``unread``), after the block's labels, is not the import's."""
    if all(_LABEL.match(w) for w in got) and (at_start or all(_ITEM.match(w) for w in got)):
        return True
    labels = 0
    while at_start and labels < len(got) and _LABEL.match(got[labels]):
        labels += 1
    return _unread(got[labels:], unread)


def _changes(want: list[str], got: list[str], heads: list[list[str]], starts: list[int],
             unread: tuple[tuple[str, ...], ...] = ()) -> list[tuple[str, int]]:
    """The kinds of one replaced, missing or extra run of words, each with how
    many errors it is (one run can hold a lost space and a kept hyphen).
    ``starts``: where imported blocks start within ``got``. An extra run that
    crosses a block's start is judged block by block (an unread language name
    ending one block, the next item's label opening the next), and is no
    error when no piece is one (``_not_extra``)."""
    if not want:
        cuts = [0, *[k for k in starts if 0 < k < len(got)], len(got)]
        if all(_not_extra(got[a:b], a in starts, unread) for a, b in zip(cuts, cuts[1:])):
            return []
        if got in heads:
            return [("running head", 1)]
        return [("text extra", 1)]
    if not got:
        return [("text missing", 1)]
    if _unreadable(want, got):
        return [(UNREADABLE_KIND, sum(w.count(UNREADABLE) for w in got))]
    if _letters(want) != _letters(got):
        return [("text wrong", 1)]
    hyphens = "".join(got).count("-") - "".join(want).count("-")
    found = [("hyphen kept", hyphens)] if hyphens > 0 else []
    if len(got) < len(want):
        found.append(("run together", sum(1 for w in got if w not in want)))
    elif len(got) > len(want):
        found.append(("word split", sum(1 for w in want if w not in got)))
    return found or [("text wrong", 1)]


@dataclass
class Score:
    """Errors by kind of one book's import, and what they are counted against."""
    paragraphs: int = 0  # truth blocks (paragraphs, list items, example lines)
    headings: int = 0
    notes: int = 0
    kinds: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)  # kind -> every place
    #: Each error's kind, place in the import (("w", word index) or ("n", note
    #: index)) and example.
    at: list[tuple[str, tuple[str, int], str]] = field(default_factory=list)
    flags: int = 0  # import-report.md's flags in the part of the book the truth covers
    flags_right: int = 0  # of them, at a place where the import differs from the truth
    errors_flagged: int = 0  # errors (by their place in the import) a flag points at

    @property
    def body_errors(self) -> int:
        return sum(self.kinds[k] for k in BODY_KINDS)

    @property
    def note_errors(self) -> int:
        return sum(self.kinds[k] for k in NOTE_KINDS)

    @property
    def per_100_paragraphs(self) -> float:
        return 100 * self.body_errors / max(1, self.paragraphs)

    @property
    def per_100_notes(self) -> float:
        return 100 * self.note_errors / max(1, self.notes)

    @property
    def recall(self) -> float | None:
        """Of the import's errors, the share the report points at."""
        errors = sum(self.kinds[k] for k in BODY_KINDS + NOTE_KINDS)
        return self.errors_flagged / errors if errors else None

    @property
    def precision(self) -> float | None:
        """Of the report's flags, the share at a place where the import is wrong."""
        return self.flags_right / self.flags if self.flags else None

    def count(self, kind: str, n: int, where: list[str], at: tuple[str, int] | None = None) -> None:
        """``n`` errors of ``kind`` at ``at`` in the import; a few words around
        the place, for a person to look."""
        if n <= 0:
            return
        self.kinds[kind] += n
        example = " ".join(where)[:100]
        self.examples.setdefault(kind, []).append(example)
        if at is not None:
            self.at += [(kind, at, example)] * n

    def as_dict(self) -> dict:
        """What the ratchet keeps: the totals and each kind's count."""
        share = (lambda x: None if x is None else round(x, 2))
        return {"paragraphs": self.paragraphs, "notes": self.notes,
                "per_100_paragraphs": round(self.per_100_paragraphs, 2),
                "per_100_notes": round(self.per_100_notes, 2),
                "report": {"flags": self.flags, "precision": share(self.precision),
                           "recall": share(self.recall)},
                "kinds": {k: self.kinds[k]
                          for k in BODY_KINDS + NOTE_KINDS + ("structure", UNREADABLE_KIND)}}


def _notes(score: Score, want: Stream, got: Stream, to_got: list[int | None]) -> None:
    """Match notes by their letters (best first), the rest by where their
    references stand (a note that is only a citation has no words to match);
    then check each matched note's text and reference."""
    def place(i: int) -> set[int]:
        at = want.refs[i]
        before = to_got[at - 1] if at > 0 else -1
        after = to_got[at] if at < len(to_got) else len(got.words)
        return {b for b in (None if before is None else before + 1, after) if b is not None}

    theirs = [_letters([w for w in note if w != WILD]) for note in want.notes]
    mine = [_letters(note) for note in got.notes]
    pairs = []
    for i, a in enumerate(theirs):
        for j, b in enumerate(mine):
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if a and matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 \
                    and (ratio := matcher.ratio()) >= 0.6:
                pairs.append((ratio, i, j))
    matched: dict[int, int] = {}
    for _ratio, i, j in sorted(pairs, reverse=True):
        if i not in matched and j not in matched.values():
            matched[i] = j
    for i in range(len(want.notes)):
        if i not in matched:
            j = next((j for j, at in enumerate(got.refs)
                      if j not in matched.values() and at in place(i)), None)
            if j is not None:
                matched[i] = j
    for i, note in enumerate(want.notes):
        if i not in matched:
            score.count("note missing", 1, note[:12], ("w", min(place(i), default=0)))
            continue
        j = matched[i]
        if not _same_note(note, got.notes[j]):
            score.count("note text wrong", 1, got.notes[j][:12], ("n", j))
        elif glyphs := sum(w.count(UNREADABLE) for w in got.notes[j]):
            score.count(UNREADABLE_KIND, glyphs, got.notes[j][:12], ("n", j))
        if got.refs[j] not in place(i):
            score.count("note off reference", 1,
                        want.words[max(0, want.refs[i] - 6):want.refs[i]], ("n", j))
    for j, note in enumerate(got.notes):
        if j not in matched.values():
            score.count("note extra", 1, note[:12], ("n", j))


def _same_note(want: list[str], got: list[str]) -> bool:
    """Equal but for what a citation or cross-reference prints."""
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal" and WILD not in want[a1:a2] \
                and not (a1 > 0 and want[a1 - 1] == WILD and op == "insert") \
                and not _unreadable(want[a1:a2], got[b1:b2]):
            return False
    return True


#: First headings of a contents page, which is no chapter.
CONTENTS = (["contents"], ["table", "of", "contents"], ["table", "des", "matières"], ["inhalt"],
            ["inhaltsverzeichnis"], ["sommaire"])


def _structure(score: Score, files: list[tuple[str, list]], structure: dict,
               titles: list[str]) -> None:
    """Each chapter and part must start a file of its own (a part's file may
    hold its first chapter's title next), and a contents page is no chapter."""
    firsts = []
    for file, blocks in files:
        heads = [heading_words(text) for kind, text, _ in blocks[:2] if kind == "h"]
        firsts.append(heads)
        if heads and heads[0] in CONTENTS:
            score.count("structure", 1, [file])
    for title in structure.get("chapters", titles) + structure.get("parts", []):
        if not any(heading_words(title) in heads for heads in firsts):
            score.count("structure", 1, [title])


def unread_words(latex: str, macros: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The words of each argument of ``macros`` in a book's LaTeX, in order:
    Pandoc does not know these macros and leaves their arguments out of the
    truth it reads, so the import cannot be faulted for printing them. The
    LaTeX itself (comments, commands with their options, environment names,
    labels, braces) is not printed, so it is no argument's words."""
    found = []
    for macro in macros:
        for opening in re.finditer(rf"\\{macro}\s*\{{", latex):
            depth, end = 1, opening.end()
            while end < len(latex) and depth:  # to the brace closing the argument
                depth += {"{": 1, "}": -1}.get(latex[end], 0)
                end += 1
            text = _LATEX.sub(" ", _COMMENT.sub("", latex[opening.end():end - 1]))
            found.append(tuple(words(text)))
    return tuple(found)


def score_import(book_dir: Path, truth_path: Path, structure_path: Path,
                 unread: tuple[tuple[str, ...], ...] = (), unmapped: int = 0,
                 report: bool = True) -> Score:
    """The errors by kind of the import in ``book_dir`` against its truth;
    an extra run of one ``unread`` argument's words is the truth's gap, not an
    error. ``unmapped``: how many glyphs another reader of the same PDF
    (poppler's) finds with no text behind them; the import's U+FFFD are
    excused only while they are no more than that (``_unexcused``).
    ``report``: measure the import report's flags too (``_report``: Pandoc
    reads a chapter file again for each flag, minutes on a book imported as
    one long file)."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    structure = json.loads(structure_path.read_text(encoding="utf-8"))
    want = truth_stream(truth)
    score = Score(paragraphs=sum(1 for _, blocks, _ in truth for b in blocks if b[0] == "p"),
                  headings=sum(1 for _, blocks, _ in truth for b in blocks if b[0] == "h"),
                  notes=len(want.notes))
    files = imported_blocks(book_dir)
    keep = [heading_words(b[2]) for _, blocks, _ in truth for b in blocks if b[0] == "h"]
    every = [b for _, blocks in files for b in blocks]
    places = [(file, i) for file, blocks in files for i in range(len(blocks))]
    region = _region(every, heading_words(truth[0][0]),
                     [heading_words(t) for t in structure.get("end_before", [])],
                     [heading_words(t) for t in structure.get("extra_headings", [])], keep)
    got = Stream()
    note_places: list[tuple[str, int]] = []  # each imported note: (file, its number there)
    for k in region:
        kind, text, notes = every[k]
        file, i = places[k]
        before = sum(len(b[2]) for b in dict(files)[file][:i])
        note_places += [(file, before + n) for n in range(len(notes))]
        got.add(kind, text, notes, places[k])
    heads = [words(h) for h in structure.get("running_heads", [])]

    got_starts = set(got.starts)
    to_got: list[int | None] = [None] * len(want.words)
    to_want: list[int | None] = [None] * len(got.words)
    matcher = difflib.SequenceMatcher(None, want.words, got.words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(a2 - a1):
                to_got[a1 + k], to_want[b1 + k] = b1 + k, a1 + k
        elif WILD not in want.words[a1:a2] and not (op == "insert" and a1 > 0
                                                    and want.words[a1 - 1] == WILD):
            for kind, n in _changes(want.words[a1:a2], got.words[b1:b2], heads,
                                    [b - b1 for b in range(b1, b2) if b in got_starts], unread):
                score.count(kind, n, (want.words[a1:a2] if kind.startswith("text missing")
                                      else got.words[b1:b2])[:12], ("w", b1))

    want_starts = set(want.starts)
    for start in want.starts[1:]:
        mapped = to_got[start]
        if mapped is None and start > 0 and to_got[start - 1] is not None:
            mapped = to_got[start - 1] + 1
        if mapped is not None and mapped not in got_starts \
                and not _labelled_start(got.words, mapped, got_starts):
            score.count("merged", 1, want.words[start:start + 8], ("w", mapped))
    for start in got.starts[1:]:
        here, before = to_want[start], to_want[start - 1]
        if here is not None and before == here - 1 and here not in want_starts:
            score.count("split", 1, got.words[max(0, start - 5):start] + ["¶"]
                        + got.words[start:start + 6], ("w", start))
    for start, head in want.headings.items():
        mapped = to_got[start]
        if mapped is None or got.headings.get(mapped) != head:
            score.count("heading wrong", 1, head, None if mapped is None else ("w", mapped))
    for start, head in got.headings.items():  # a heading the truth does not have
        if to_want[start] not in want.headings and head not in want.headings.values():
            score.count("heading wrong", 1, head, ("w", start))
    _notes(score, want, got, to_got)
    if score.kinds[UNREADABLE_KIND] > unmapped:
        _unexcused(score)
    if report:
        _report(score, book_dir, files, got, note_places)
    _structure(score, files, structure, [t for t, _, _ in truth])
    return score


def _flagged(book_dir: Path, files: list[tuple[str, list]]) -> tuple[set, set]:
    """The imported blocks and notes, as (file, number), that import-report.md's
    flags point at. Pandoc says which: the file is read again with the flagged
    line's block blanked out, and what it lost is what the flag points at (a
    note's definition lost leaves every block, and one note fewer)."""
    report = (book_dir / "import-report.md").read_text(encoding="utf-8")
    blocks, notes = set(), set()
    for file, line in re.findall(r"→ (manuscript/\S+\.md):(\d+):", report):
        full = dict(files).get(file)
        if full is None:  # a file the body does not list
            continue
        lines = (book_dir / file).read_text(encoding="utf-8").split("\n")
        first = int(line) - 1
        end = next((k for k in range(first, len(lines)) if not lines[k].strip()), len(lines))
        flat: list[tuple[str, str, list[str]]] = []
        _blocks(read_markdown("\n".join(lines[:first] + [""] * (end - first) + lines[end:]))
                .doc["blocks"], flat)
        if len(flat) < len(full):
            matcher = difflib.SequenceMatcher(None, [b[:2] for b in full], [b[:2] for b in flat],
                                              autojunk=False)
            blocks |= {(file, i) for op, a1, a2, _, _ in matcher.get_opcodes() if op != "equal"
                       for i in range(a1, a2)}
        else:
            was = [n for b in full for n in b[2]]
            now = [n for b in flat for n in b[2]]
            notes.add((file, next((j for j, (a, b) in enumerate(zip(was, now)) if a != b),
                                  len(now))))
    return blocks, notes


def _unexcused(score: Score) -> None:
    """An import that writes more U+FFFD than the PDF has unmapped glyphs
    hides text behind them: each place becomes the error it is (a wrong text,
    a wrong note), so U+FFFD cannot stand in for what the import got wrong."""
    places = {(at, example) for kind, at, example in score.at if kind == UNREADABLE_KIND}
    score.at = [a for a in score.at if a[0] != UNREADABLE_KIND]
    del score.kinds[UNREADABLE_KIND]
    score.examples.pop(UNREADABLE_KIND, None)
    for at, example in sorted(places):
        score.count("note text wrong" if at[0] == "n" else "text wrong", 1, [example], at)


def _report(score: Score, book_dir: Path, files: list[tuple[str, list]], got: Stream,
            note_places: list[tuple[str, int]]) -> None:
    """How well import-report.md points at the errors: a flag points at an
    imported block or note; an error in a block (or at its edge: a split, a
    paragraph merged, a word missing there) or in a note is pointed at when
    a flag names that block, the one before the edge, or the note or the
    block holding its reference. A flag at a glyph the PDF does not map is right."""
    covered = {file for file, _ in got.places}
    flagged_blocks, flagged_notes = _flagged(book_dir, [f for f in files if f[0] in covered])
    in_region = {got.places[k]: k for k in range(len(got.starts))}
    blocks = {in_region[b] for b in flagged_blocks if b in in_region}
    notes = {j for j, place in enumerate(note_places) if place in flagged_notes}

    def block_of(word: int) -> set[int]:
        k = max(0, bisect.bisect_right(got.starts, word) - 1)
        return {k, k - 1} if got.starts and got.starts[k] == word and k else {k}

    def pointed(place: tuple[str, int]) -> set[tuple[str, int]]:
        kind, i = place
        if kind == "n":
            return {("n", i)} | {("b", k) for k in block_of(got.refs[i])}
        return {("b", k) for k in block_of(i)}

    flags = {("b", k) for k in blocks} | {("n", j) for j in notes}
    score.flags = len(flags)
    wrong: set[tuple[str, int]] = set()
    for kind, place, example in score.at:
        here = pointed(place)
        wrong |= here
        if kind != UNREADABLE_KIND and here & flags:
            score.errors_flagged += 1
        elif kind != UNREADABLE_KIND:
            score.examples.setdefault("not flagged", []).append(f"{kind}: {example}")
    score.flags_right = len(flags & wrong)
    for kind, k in sorted(flags - wrong):
        where = got.words[got.starts[k]:got.starts[k] + 10] if kind == "b" else got.notes[k][:10]
        score.examples.setdefault("flag at no error", []).append(" ".join(where))


@dataclass(frozen=True)
class RealBook:
    """One book of import-real: its folder, PDF and truth file; the LaTeX
    the truth was read from, and its macros whose arguments the truth lacks
    (its notes.md names them)."""
    name: str
    pdf: str
    truth: str
    latex: str = ""
    unread_macros: tuple[str, ...] = ()

    def score(self, corpus: Path, book_dir: Path) -> Score:
        folder = corpus / self.name
        unread = unread_words((folder / self.latex).read_text(encoding="utf-8"),
                              self.unread_macros) if self.unread_macros else ()
        return score_import(book_dir, folder / self.truth, folder / "structure.json", unread,
                            unmapped_glyphs(folder / self.pdf))


@functools.cache  # a book's three sources are scored against one PDF
def unmapped_glyphs(pdf: Path) -> int:
    """How many glyphs poppler's pdftotext (a reader independent of the
    import's PDFium) finds in ``pdf`` with no text behind them: U+FFFD."""
    found = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                           capture_output=True, timeout=300).stdout.decode("utf-8")
    return found.count(UNREADABLE)


#: The books of ../shared/corpus/import-real, smallest first. The English
#: truth drops the language names of its examples (``\ili{Teochew}``) and
#: the boxed example that holds a figure (``\eabox{...}``: its caption and
#: the diagram's words).
REAL_BOOKS = (RealBook("matiere-vitali-rosati-fr", "livre.pdf", "truth.json"),
              RealBook("kroeger-analyzing-meaning-en", "analyzing-meaning.pdf",
                       "truth-ch01-03.json", "source-ch01-03.tex", ("ili", "eabox")))


def main(argv: list[str]) -> None:
    """``python tests/importscore.py CORPUS BOOK IMPORTED [KIND...]``: every
    error of an import of the real book BOOK (its folder name) in the book
    directory IMPORTED, by kind (those named, or all), for a person to look."""
    corpus, name, imported = Path(argv[0]), argv[1], Path(argv[2])
    book = next(b for b in REAL_BOOKS if b.name == name)
    score = book.score(corpus, imported)
    print(json.dumps(score.as_dict()))
    for kind in argv[3:] or BODY_KINDS + NOTE_KINDS + ("structure", UNREADABLE_KIND,
                                                       "not flagged", "flag at no error"):
        for place in score.examples.get(kind, []):
            print(f"{kind}: {place}")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
