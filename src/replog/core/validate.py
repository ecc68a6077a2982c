"""Turning loosely typed input (strings from files, rows, requests) into domain values."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from replog.core.errors import ValidationError

E = TypeVar("E", bound=Enum)


def coerce_enum(enum_type: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``enum_type``, or an error listing the allowed values."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_type)
        raise ValidationError(f"expected one of {allowed}; got {value!r}", field=field) from None
