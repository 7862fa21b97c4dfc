"""The text of `json.dumps(value, ensure_ascii=False, indent=2, default=str)`, character for
character, in about a third of the time: what a dossier's members are encoded with.

`json` encodes indented text in pure Python (its C encoder cannot indent), through a generator
per nesting level that every piece of text is passed up through; a dossier of 5,000 events
encodes about 15,000 documents. Here the pieces are appended to one list instead. The rules are
`json.encoder._make_iterencode`'s for these arguments: strings by the same C function, integers
(IntEnum too) by `int.__repr__`, floats as `json` writes them, dictionary keys converted as it
converts them, tuples as lists, anything else as `str(value)` (default=str). Checked against
`json.dumps` by tests/unit/test_jsontext.py. Standard library only.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


def dumps(value: Any, depth: int = 0) -> str:
    """The indented JSON text of `value`; `depth` levels deeper (its lines after the first
    indented as a value nested that deep in a document would be)."""
    parts: list[str] = []
    _value(value, parts, "\n" + INDENT * depth)
    return "".join(parts)


def _value(value: Any, parts: list[str], newline: str) -> None:  # noqa: C901, PLR0912
    """Append the text of `value` at the indentation of `newline` (branches in json's order;
    a string, the most common value by far, is written without a further call)."""
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + INDENT
        separator, following = "[" + inner, "," + inner
        for item in value:
            if type(item) is str:
                parts.append(separator + encode_basestring(item))
            else:
                parts.append(separator)
                _value(item, parts, inner)
            separator = following
        parts.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + INDENT
        separator, following = "{" + inner, "," + inner
        for key, item in value.items():
            name = encode_basestring(key if type(key) is str else _key(key))
            if type(item) is str:
                parts.append(f"{separator}{name}: {encode_basestring(item)}")
            else:
                parts.append(f"{separator}{name}: ")
                _value(item, parts, inner)
            separator = following
        parts.append(newline + "}")
    else:
        _value(str(value), parts, newline)


def _float(value: float) -> str:
    """A float as json writes it (allow_nan: NaN and the infinities as JavaScript names)."""
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dictionary key as json converts it (TypeError for a key json refuses)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
