from pathlib import Path

import pytest

from bookbuild.config import load_config
from bookbuild.errors import ConfigError

from conftest import write_book


def _messages(err: ConfigError) -> list[str]:
    return [str(p) for p in err.problems]


def test_minimal_config_gets_defaults(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    config = load_config(tmp_path)
    assert config.title == "Test Book"
    assert config.language == "en"
    assert [(c.name, c.roles) for c in config.contributors] == [("A. Writer", ("aut",))]
    assert config.identifier.startswith("urn:uuid:")
    assert config.identifier == load_config(tmp_path).identifier  # stable across runs
    assert config.slug == "test-book"
    assert config.chapters is None


def test_full_config(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "c.jpg").write_bytes(b"\xff\xd8")
    write_book(tmp_path, {"one.md": "# One\n"}, """\
        title: Full
        subtitle: Sub
        language: ru
        contributors:
          - name: Анна Петрова
            role: author
            file-as: "Петрова, Анна"
          - name: T. Lator
            role: translator
          - name: I. Ntro
            role: aui
          - name: T. Wo
            role: [translator, introduction]
        publisher: P
        date: 2023-05-01
        isbn: 978-1-80514-115-0
        subjects: [History]
        cover: assets/c.jpg
        chapters:
          - manuscript/one.md
        """)
    config = load_config(tmp_path)
    assert [c.roles for c in config.contributors] == [("aut",), ("trl",), ("aui",), ("trl", "aui")]
    assert config.contributors[0].file_as == "Петрова, Анна"
    assert config.identifier == "urn:isbn:9781805141150"
    assert config.date == "2023-05-01"
    assert config.subjects == ("History",)
    assert config.chapters[0].path == (tmp_path / "manuscript" / "one.md").resolve()


def test_every_problem_reported_with_its_line(tmp_path):
    write_book(tmp_path, {}, """\
        subtitle: no title here
        language: english please
        isbn: 978-1-80514-115-1
        author: X
        colour: red
        """)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    messages = _messages(info.value)
    assert any("'title' is required" in m for m in messages)
    assert any(m.endswith("book.yaml:2: 'language' is not a valid BCP 47 tag: "
                          "'english please' (for example en-GB, ru, fr-CA)") for m in messages)
    assert any("book.yaml:3: 'isbn'" in m and "checksum" in m for m in messages)
    assert any("book.yaml:5: unknown key 'colour'" in m for m in messages)


@pytest.mark.parametrize("lang", ["en_GB", "C", "xx-YY", "en-"])
def test_bad_language_tags(tmp_path, lang):
    write_book(tmp_path, {"a.md": "# A\n"}, f"title: T\nlanguage: {lang}\nauthor: A\n")
    with pytest.raises(ConfigError, match="BCP 47"):
        load_config(tmp_path)


def test_contributors_required_and_roles_checked(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, """\
        title: T
        language: en
        contributors:
          - name: A
            role: ghostwriter
        """)
    with pytest.raises(ConfigError, match="unknown role 'ghostwriter'"):
        load_config(tmp_path)
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\n")
    with pytest.raises(ConfigError, match="'contributors' \\(or 'author'\\) is required"):
        load_config(tmp_path)


@pytest.mark.parametrize("chapters, expected", [
    ("[../outside.md]", "book.yaml:4: chapter ../outside.md is outside the book directory"),
    ("[manuscript/missing.md]", "book.yaml:4: chapter file not found: manuscript/missing.md"),
    ("[manuscript/a.md, manuscript/a.md]", "is listed twice"),
    ("[]", "'chapters' must list at least one chapter file"),
])
def test_chapter_list_errors(tmp_path, chapters, expected):
    book = tmp_path / "book"
    write_book(book, {"a.md": "# A\n"}, f"title: T\nlanguage: en\nauthor: A\nchapters: {chapters}\n")
    (tmp_path / "outside.md").write_text("# O\n")
    with pytest.raises(ConfigError) as info:
        load_config(book)
    assert any(expected in m for m in _messages(info.value)), _messages(info.value)


def test_bom_and_crlf_accepted(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    (tmp_path / "book.yaml").write_bytes(
        b"\xef\xbb\xbftitle: BOM Book\r\nlanguage: fr\r\nauthor: A\r\n")
    config = load_config(tmp_path)
    assert (config.title, config.language) == ("BOM Book", "fr")


def test_missing_cover_is_an_error_not_a_silent_default(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\ncover: assets/none.jpg\n")
    with pytest.raises(ConfigError, match="'cover' file not found: assets/none.jpg"):
        load_config(tmp_path)


def test_no_book_yaml(tmp_path):
    with pytest.raises(ConfigError, match="no book.yaml in"):
        load_config(tmp_path)


def test_invalid_yaml_names_line(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: [en\n")
    with pytest.raises(ConfigError, match=r"book.yaml:\d+: invalid YAML"):
        load_config(tmp_path)


def test_config_is_frozen(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"})
    config = load_config(tmp_path)
    with pytest.raises(AttributeError):
        config.title = "other"  # type: ignore[misc]
    assert isinstance(config.root, Path)


def _problems(book: Path) -> list[tuple[int | None, str]]:
    """(line, message) of every problem load_config reports, all in book.yaml."""
    with pytest.raises(ConfigError) as info:
        load_config(book)
    assert {p.file for p in info.value.problems} == {book.resolve() / "book.yaml"}
    return [(p.line, p.message) for p in info.value.problems]


def test_colon_in_a_value_gets_a_hint_to_quote_it(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: Notes: A History\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, "invalid YAML: mapping values are not allowed here; "
                                       "quote a value that contains ': ', as in "
                                       'title: "Notes: A History"')]


def test_tab_indentation_gets_a_hint(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"},
               "title: T\nlanguage: en\nauthor: A\naccessibility:\n\tconforms: true\n")
    assert _problems(tmp_path) == [(5, "invalid YAML: found character '\\t' that cannot start "
                                       "any token; indent with spaces, not tabs")]


def test_anchors_and_aliases_are_refused_before_anything_is_built(tmp_path):
    bomb = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9))
    write_book(tmp_path, {"a.md": "# A\n"}, "title: T\nlanguage: en\nauthor: A\nl0: &l0 [x]\n" + bomb)
    assert _problems(tmp_path) == [(4, "YAML anchors and aliases (&name, *name) are not allowed: "
                                       "write the value out in full")]


def test_tags_are_refused(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"}, "title: !!str 1984\nlanguage: en\nauthor: A\n")
    assert _problems(tmp_path) == [(1, "YAML tags (!name, !!type) are not allowed: remove the tag")]


def test_numbers_stay_the_text_written(tmp_path):
    write_book(tmp_path, {"a.md": "# A\n"},
               "title: 1984\nlanguage: en\nauthor: A\nisbn: 0306406152\nsubjects: [940.53]\n")
    config = load_config(tmp_path)
    assert (config.title, config.isbn, config.subjects) == ("1984", "9780306406157", ("940.53",))
