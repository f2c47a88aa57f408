"""Problem codes: one registry, all of it documented and used, every raise coded,
and warnings a book accepts by code and file."""

from __future__ import annotations

import ast
import json
import re

import pytest
from click.testing import CliRunner

from bookbuild import BuildOptions, build_book
from bookbuild.cli import main
from bookbuild.codes import CODES, ERROR, WARNING
from bookbuild.errors import ConfigError
from conftest import PROJECT, write_book

SOURCE = PROJECT / "src" / "bookbuild"
_ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (error|warning) \| (.+) \|$", re.M)


def _sources() -> dict[str, str]:
    return {str(p.relative_to(SOURCE)): p.read_text(encoding="utf-8")
            for p in sorted(SOURCE.rglob("*.py")) if p.name != "codes.py"}


def test_registry_codes_are_kebab_case_with_a_severity():
    assert CODES
    for name, code in CODES.items():
        assert code.name == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert code.severity in (ERROR, WARNING) and code.meaning


def test_readme_table_is_the_registry():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert _ROW.findall(readme) == [(c.name, c.severity, c.meaning) for c in CODES.values()]


def test_every_code_is_used_in_src():
    text = "\n".join(_sources().values())
    assert [name for name in CODES if f'"{name}"' not in text] == []


def test_every_raise_carries_a_code():
    """Statically, so a path no test reaches cannot raise an uncoded error:
    each BookbuildError class (or subclass without a code of its own) is given
    code= where it is made, and so is every Problem."""
    trees = {name: ast.parse(text) for name, text in _sources().items()}
    classes = {"BookbuildError": False}  # name -> has a default code
    defaults = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                defaults[node.name] = ([b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                                        for b in node.bases],
                                       any(isinstance(s, ast.Assign) and s.targets[0].id == "code"
                                           for s in node.body if isinstance(s, ast.Assign)))
    while True:
        more = {n: d or any(classes.get(b) for b in bases)
                for n, (bases, d) in defaults.items()
                if n not in classes and any(b in classes for b in bases)}
        if not more:
            break
        classes.update(more)
    uncoded = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if (func == "Problem" or classes.get(func) is False) and \
                    not any(k.arg == "code" for k in node.keywords):
                uncoded.append(f"{name}:{node.lineno}")
    assert "ConfigError" in classes and classes["LimitError"] is True
    assert uncoded == [], "\n".join(uncoded)


def test_an_error_shows_its_code_in_its_line_and_in_json(tmp_path):
    write_book(tmp_path, {"a.md": "Text[^x].\n"})
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--no-check", "--json"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("[note-undefined]")
    problem = json.loads(result.stdout)["problems"][0]
    assert (problem["code"], problem["line"]) == ("note-undefined", 1)
    assert problem["file"].endswith("a.md")


def _warned_book(tmp_path, accept: str = ""):
    return write_book(tmp_path, {"a.md": "# A\n\n### Skipped\n", "b.md": "# B\n\n#### Skipped\n"},
                      "title: T\nlanguage: en\nauthor: A\n" + accept)


def test_accepted_warnings_are_counted_not_shown(tmp_path):
    _warned_book(tmp_path, "accept:\n  - code: heading-skipped\n    files: [manuscript/a.*]\n")
    report = build_book(tmp_path, BuildOptions(check=False, formats=("epub",)))
    assert [(w.code, w.file.name) for w in report.warnings] == [("heading-skipped", "b.md")]
    assert [(w.code, w.file.name) for w in report.accepted] == [("heading-skipped", "a.md")]
    data = report.to_dict()
    assert [w["code"] for w in data["warnings"]] == [w["code"] for w in data["accepted"]] \
        == ["heading-skipped"]


def test_accept_without_files_covers_every_file(tmp_path):
    _warned_book(tmp_path, "accept:\n  - code: heading-skipped\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--no-check", "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.stderr
    assert "bookbuild: 2 warnings accepted" in result.stderr


def test_without_accept_warnings_show_their_codes(tmp_path):
    _warned_book(tmp_path)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--no-check", "-f", "epub"])
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 2 and all(w.endswith("[heading-skipped]") for w in warnings)
    assert "accepted" not in result.stderr


@pytest.mark.parametrize("entry", ["note-undefined", "heading-skiped"])
def test_accept_takes_known_warning_codes_only(tmp_path, entry):
    _warned_book(tmp_path, f"accept:\n  - code: heading-skipped\n  - code: {entry}\n")
    with pytest.raises(ConfigError) as info:
        build_book(tmp_path, BuildOptions(check=False))
    [problem] = info.value.problems
    assert (problem.code, problem.line) == ("config-value", 6)
    assert entry in problem.message
