"""Read book.yaml into ruamel's round-trip tree, which knows the line of every key.

book.yaml holds text, true/false, lists and mappings, never numbers or times, so
a plain scalar that YAML would read as a number or a timestamp stays the text
the user wrote: ``title: 1984`` is a title, an ISBN-10 keeps its leading 0, and
``date: 2026-13-45`` reaches the date check instead of crashing ruamel's
timestamp constructor. Anchors, aliases and tags are refused from the event
stream before anything is constructed: an alias bomb expands to gigabytes, and
a tag builds objects no key takes; so is nesting deeper than any book needs,
which would crash ruamel's recursive composer. The schema gets the tree as
plain data; a key path in its errors leads back to the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent,
                                Event)

from ..errors import ConfigError
from .files import read_bytes
from .xmlchars import NOT_XML

_ABSENT = object()
#: Nesting of lists and mappings: book.yaml needs four levels. A fixed number,
#: not one of bookbuild.safety.limits: the limits file itself is read here.
DEPTH = 50


class _TextScalars(RoundTripConstructor):
    """Numbers and timestamps stay the text they were written as."""

    def construct_as_written(self, node: Any) -> str:
        return str(node.value)


for _tag in ("int", "float", "timestamp"):
    _TextScalars.add_constructor(f"tag:yaml.org,2002:{_tag}", _TextScalars.construct_as_written)


def read_yaml(file: Path, root: Path | None = None) -> CommentedMap:
    """The top-level mapping of ``file``; :class:`ConfigError` with a line if it is not one.
    With ``root`` (a book's own book.yaml or project file), the file must be a regular
    file inside it: a link out of the book is never read, so never quoted."""
    data = file.read_bytes() if root is None else read_bytes(file, root, file.name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})", file, code="yaml-invalid") from None
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextScalars
    try:
        _refuse_shapes(yaml.parse(text), file)
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(_syntax_message(exc, text), file, line, code="yaml-invalid") from None
    except ReaderError as exc:  # a character YAML does not allow in a file (NUL, C0 controls)
        raise ConfigError(f"character U+{exc.character:04X} is not allowed in YAML; remove it",
                          file, text.count("\n", 0, exc.position) + 1, code="yaml-invalid") from None
    if not isinstance(data, CommentedMap):
        raise ConfigError("must be a mapping of keys such as 'title' and 'language'", file, 1, code="yaml-invalid")
    return data


def _refuse_shapes(events: Iterable[Event], file: Path) -> None:
    """Anchors, aliases and tags; lists or mappings nested deeper than
    :data:`DEPTH`, on which ruamel's composer (it recurses) would crash; and
    text with characters no e-book can show."""
    depth = 0
    for event in events:
        line = event.start_mark.line + 1
        depth += isinstance(event, CollectionStartEvent) - isinstance(event, CollectionEndEvent)
        if depth > DEPTH:
            raise ConfigError(f"lists and mappings nest more than {DEPTH} levels deep, more than "
                              "any book needs", file, line, code="limit-exceeded")
        value = getattr(event, "value", None) or ""
        if getattr(event, "style", None) == ">":  # ruamel marks a folded scalar's folds with BEL,
            value = value.replace("\a", "")  # which the file itself cannot hold (a ReaderError)
        bad = NOT_XML.search(value)
        if bad:  # written as an escape ("\0", "\ud800"): YAML allows it, XML does not
            raise ConfigError(f"character U+{ord(bad.group()):04X} cannot be shown in an e-book; "
                              "remove it", file, line, code="control-character")
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise ConfigError("YAML anchors and aliases (&name, *name) are not allowed: "
                              "write the value out in full", file, line, code="yaml-unsafe")
        if getattr(event, "tag", None):
            raise ConfigError("YAML tags (!name, !!type) are not allowed: remove the tag", file, line, code="yaml-unsafe")


def _syntax_message(exc: MarkedYAMLError, text: str) -> str:
    """ruamel's words, with a hint for the two mistakes everyone makes."""
    message = f"invalid YAML: {exc.problem}"
    if "'\\t'" in (exc.problem or ""):
        return message + "; indent with spaces, not tabs"
    mark = exc.problem_mark
    if exc.problem == "mapping values are not allowed here" and mark:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        first = line.find(": ")
        if 0 <= first < mark.column:  # the key's colon comes first: the value has one too
            key, value = line[:first].strip(), line[first + 2:].strip()
            quoted = f"'{value}'" if '"' in value else f'"{value}"'
            return message + f"; quote a value that contains ': ', as in {key}: {quoted}"
    return message


def line_of(data: CommentedMap, loc: Sequence[str | int]) -> int | None:
    """The line of the deepest part of ``loc`` (keys and list indexes) that the file holds."""
    line, node = None, data
    for part in loc:
        if isinstance(node, CommentedMap):
            key = next((k for k in node if str(k) == part), _ABSENT)
            if key is _ABSENT:
                break
            line, node = node.lc.key(key)[0] + 1, node[key]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lc.item(part)[0] + 1, node[part]
        else:
            break
    return line


def plain(node: Any) -> Any:
    """The tree as plain dicts, lists and str, for the schema. Keys become text, and a
    key given no value (``subtitle:``) is left out, as if it were not there."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node  # True, False or None
