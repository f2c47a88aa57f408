from pathlib import Path

import pytest

from bookbuild.errors import NoteError
from bookbuild.notes import check_all, lint, scan, tag_references

F = Path("ch.md")


def test_scan_finds_references_and_definitions_with_lines():
    text = "Text[^a] and[^b].\n\nMore[^a].\n\n[^a]: A.\n[^b]: B\n    continued.\n"
    notes = scan(text, F)
    assert [(r.label, r.line) for r in notes.refs] == [("a", 1), ("b", 1), ("a", 3)]
    assert [(d.label, d.line, d.end_line) for d in notes.defs] == [("a", 5, 5), ("b", 6, 7)]
    assert lint(notes) == []


def test_code_and_comments_are_not_notes():
    text = ("Use `[^x]` in code.\n\n```\n[^y]\n[^z]: not a note\n```\n\n"
            "<!-- [^c] -->\n\nEscaped \\[^e] too. Real[^r].\n\n[^r]: R.\n")
    notes = scan(text, F)
    assert [r.label for r in notes.refs] == ["r"]
    assert [d.label for d in notes.defs] == ["r"]


def test_multi_paragraph_definition_extent():
    text = "A[^1]\n\n[^1]: First.\n\n    Second.\n\n    - item\n\nBody again.\n"
    (d,) = scan(text, F).defs
    assert (d.line, d.end_line) == (3, 7)


def test_lint_reports_each_mistake_with_its_line():
    text = ("Undefined[^u]. Twice[^t].\n\n[^t]: first\n[^t]: second\n"
            "[^unused]: never referenced\n[^n]: has a note[^t] inside\n")
    problems = [str(p) for p in lint(scan(text, F))]
    assert problems == [
        "ch.md:1: note reference [^u] has no definition in this file",
        "ch.md:4: note [^t] is defined twice (first on line 3)",
        "ch.md:5: note [^unused] is defined but never referenced",
        "ch.md:6: note reference [^t] inside a note: notes cannot have notes of their own",
        "ch.md:6: note [^n] is defined but never referenced",
    ]


def test_check_all_raises_every_problem_across_files():
    a = scan("X[^1]\n", Path("a.md"))
    b = scan("[^2]: unused\n", Path("b.md"))
    with pytest.raises(NoteError) as info:
        check_all([a, b])
    assert [str(p) for p in info.value.problems] == [
        "a.md:1: note reference [^1] has no definition in this file",
        "b.md:1: note [^2] is defined but never referenced",
    ]


def test_tag_references_wraps_each_reference_with_its_index():
    text = "A[^x] b[^y] c[^x]\n\n[^x]: X\n[^y]: Y\n"
    tagged = tag_references(text, scan(text, F))
    assert tagged.splitlines()[0] == "A[[^x]]{bbref=0} b[[^y]]{bbref=1} c[[^x]]{bbref=2}"
    assert tagged.splitlines()[2] == "[^x]: X"
