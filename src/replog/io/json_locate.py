"""Find the line of a value in a JSON text from its path (``athletes[0].sessions[3].rpe``).

Python's json module forgets positions, so an import error could name the field but not
the line. This small scanner walks the text once, on error only, following the path.
"""

from __future__ import annotations

import json
import re

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"[^\s,\]\}]+")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _ws(text: str, pos: int) -> int:
    """The position after any white space at ``pos``."""
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _parts(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in _PART.findall(path)]


def line_of(text: str, path: str) -> int | None:
    """The 1-based line where the value at ``path`` starts, or None if it is not there."""
    target = _parts(path)
    pos = 0
    try:
        for part in target:
            pos = _ws(text, pos)
            pos = _child(text, pos, part)
            if pos < 0:
                return None
        pos = _ws(text, pos)
    except (IndexError, ValueError):
        return None
    return text.count("\n", 0, pos) + 1


def _skip(text: str, pos: int) -> int:
    """The position just after the value starting at ``pos``."""
    ch = text[pos]
    if ch == '"':
        m = _STRING.match(text, pos)
        if m is None:
            raise ValueError("unterminated string")
        return m.end()
    if ch in "[{":
        close = "]" if ch == "[" else "}"
        pos = _ws(text, pos + 1)
        if text[pos] == close:
            return pos + 1
        while True:
            if ch == "{":
                pos = _skip(text, pos)  # the key
                pos = _ws(text, pos) + 1  # past ':'
                pos = _ws(text, pos)
            pos = _ws(text, _skip(text, pos))
            if text[pos] == close:
                return pos + 1
            pos = _ws(text, pos + 1)  # past ','
    m = _SCALAR.match(text, pos)
    if m is None:
        raise ValueError("no value")
    return m.end()


def _child(text: str, pos: int, part: str | int) -> int:
    """Position of the member ``part`` of the container at ``pos``, or -1."""
    ch = text[pos]
    if isinstance(part, int) and ch == "[":
        pos = _ws(text, pos + 1)
        for _ in range(part):
            if text[pos] == "]":
                return -1
            pos = _ws(text, _skip(text, pos))
            if text[pos] != ",":
                return -1
            pos = _ws(text, pos + 1)
        return -1 if text[pos] == "]" else pos
    if isinstance(part, str) and ch == "{":
        pos = _ws(text, pos + 1)
        while text[pos] != "}":
            key_end = _skip(text, pos)
            key = json.loads(text[pos:key_end])
            pos = _ws(text, key_end) + 1
            pos = _ws(text, pos)
            if key == part:
                return pos
            pos = _ws(text, _skip(text, pos))
            if text[pos] == ",":
                pos = _ws(text, pos + 1)
        return -1
    return -1
