"""The schema's errors as bookbuild problems: a sentence in book.yaml's words, with its line.

pydantic locates an error by a path of keys and list indexes; the same path
walks ruamel's tree to the line, and walks the schema to the record that holds
the key, which names it in the message ("contributor 2: ...") and knows the
keys to suggest for a misspelt one.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from ..codes import CODES
from ..errors import Problem
from ..safety.yamlfile import line_of
from .schema import Book, Record

#: What a wrong type should have been, by pydantic's error type.
_EXPECTED = {"string_type": "text", "bool_type": "true or false", "list_type": "a list"}
#: The code of pydantic's own errors; bookbuild's own carry theirs as their type.
_CODES = {"extra_forbidden": "config-unknown-key", "missing": "config-missing",
          "model_type": "config-type", **dict.fromkeys(_EXPECTED, "config-type")}


def problems(exc: ValidationError, data: CommentedMap, file: Path) -> list[Problem]:
    """Every error of ``exc`` as a :class:`Problem`, in the order of the file."""
    found = [Problem(_message(error), file, line_of(data, error["loc"]), code=_code(error["type"]))
             for error in exc.errors()]
    return sorted(found, key=lambda p: p.line or 0)


def _code(kind: str) -> str:
    return kind if kind in CODES else _CODES.get(kind, "config-value")


def _message(error: ErrorDetails) -> str:
    labels, record, rest = _locate(error["loc"])
    return "".join(f"{label}: " for label in labels) + _sentence(error, record, rest)


def _locate(loc: tuple[int | str, ...]) -> tuple[list[str], type[Record], tuple[int | str, ...]]:
    """The labels of the records around the error, the innermost one, and the rest of ``loc``."""
    labels: list[str] = []
    record: type[Record] = Book
    rest = loc
    while len(rest) > 1:
        inner = _record_at(record, rest[0])
        step = 2 if isinstance(rest[1], int) else 1
        if inner is None or len(rest) <= step:
            break
        labels.append(_label(inner, rest[:step]))
        record, rest = inner, rest[step:]
    return labels, record, rest


def _sentence(error: ErrorDetails, record: type[Record], rest: tuple[int | str, ...]) -> str:
    kind, value = error["type"], error["input"]
    if kind in CODES:
        return error["msg"]
    key = str(rest[0])
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, _fields(record), n=1)
        return f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    inner = _record_at(record, key)
    if kind == "model_type" and inner is not None:
        keys = ", ".join(_fields(inner))
        return f"{_label(inner, rest)} must be {inner.shape or f'a mapping ({keys})'}, not {_shown(value)}"
    subject = repr(key) + (f" item {rest[1] + 1}" if len(rest) > 1 and isinstance(rest[1], int) else "")
    if kind == "missing":
        return f"{subject} is required"
    if kind == "too_short":
        return f"{subject} must not be an empty list"
    if kind in _EXPECTED:
        return f"{subject} must be {_EXPECTED[kind]}, not {_shown(value)}"
    return f"{subject}: {error['msg']}"


def _label(record: type[Record], loc: tuple[int | str, ...]) -> str:
    """``contributor 2`` for ("contributors", 1); ``accessibility`` for ("accessibility",)."""
    return record.label.format(n=loc[1] + 1) if len(loc) > 1 and isinstance(loc[1], int) else record.label


def _fields(record: type[Record]) -> dict[str, FieldInfo]:
    """The record's fields by their book.yaml key."""
    return {field.alias or name: field for name, field in record.model_fields.items()}


def _record_at(record: type[Record], key: int | str) -> type[Record] | None:
    """The record that ``key`` of ``record`` holds (alone or in a list), if it holds one."""
    field = _fields(record).get(str(key))
    return _record_in(field.annotation) if field else None


def _record_in(annotation: Any) -> type[Record] | None:
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    return next((found for arg in get_args(annotation) if (found := _record_in(arg))), None)


def _shown(value: Any) -> str:
    """A value as the message quotes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")
