import pytest

from bookbuild.config import load_config
from bookbuild.errors import ManuscriptError
from bookbuild.source.manuscript import load_manuscript

from conftest import write_book


def test_default_order_is_manuscript_md_by_name(tmp_path):
    write_book(tmp_path, {"10-b.md": "# B\n", "02-a.md": "# A\n", "notes.txt": "x"})
    chapters = load_manuscript(load_config(tmp_path)).chapters
    assert [c.source.name for c in chapters] == ["02-a.md", "10-b.md"]
    assert [c.name for c in chapters] == ["c01-02-a", "c02-10-b"]


def test_bom_and_crlf_are_normalised(tmp_path):
    write_book(tmp_path, {"a.md": ""})
    (tmp_path / "manuscript" / "a.md").write_bytes(b"\xef\xbb\xbf# A\r\n\r\nText\r\n")
    (chapter,) = load_manuscript(load_config(tmp_path)).chapters
    assert chapter.text == "# A\n\nText\n"


def test_not_utf8_names_file_and_line(tmp_path):
    write_book(tmp_path, {"a.md": ""})
    (tmp_path / "manuscript" / "a.md").write_bytes("# A\n\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(ManuscriptError) as info:
        load_manuscript(load_config(tmp_path))
    assert [(p.file.name, p.line, p.code) for p in info.value.problems] == [
        ("a.md", 3, "text-not-utf8")]
    assert "not UTF-8 (byte 0xe9)" in str(info.value)


def test_no_chapters_at_all(tmp_path):
    write_book(tmp_path, {})
    with pytest.raises(ManuscriptError, match="has no .md files"):
        load_manuscript(load_config(tmp_path))


def test_front_matter_types(tmp_path):
    write_book(tmp_path, {"t.md": "# T\n", "c.md": "# C\n", "z.md": "# Z\n"}, """\
        title: T
        language: en
        author: A
        chapters:
          - {file: manuscript/t.md, type: titlepage}
          - manuscript/c.md
          - {file: manuscript/z.md, type: appendix}
        """)
    chapters = load_manuscript(load_config(tmp_path)).chapters
    assert [c.matter for c in chapters] == ["frontmatter", "bodymatter", "backmatter"]
