"""The options an import or export takes, parsed once for the CLI and the API alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from replog.core.errors import ValidationError
from replog.core.units import Unit, parse_unit


def time_zone(name: str | None) -> tzinfo | None:
    """The IANA zone called ``name`` (None: the file's own times, or local time)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"unknown time zone {name!r}; use a name like Europe/Madrid or UTC", "tz"
        ) from None


def name_mapping(pairs: Sequence[str], option: str = "map") -> dict[str, str]:
    """``["APP NAME=exercise", ...]`` -> ``{"APP NAME": "exercise"}``; ``option`` is how the
    caller spells the option in messages (``--map`` on the command line)."""
    out = {}
    for text in pairs:
        name, sep, target = text.rpartition("=")
        if not sep or not name.strip() or not target.strip():
            raise ValidationError(
                f"{option} takes APP NAME=EXERCISE, like 'Squat (Barbell)=back-squat'; "
                f"got {text!r}",
                "map",
            )
        out[name.strip()] = target.strip()
    return out


def import_unit(text: str | None, option: str = "unit") -> Unit | None:
    """``kg``/``lb`` (or ``lbs``, ``kgs``...) for the unit of a file's plain numbers; None
    when not given (the athlete's unit applies)."""
    if text is None or not text.strip():
        return None
    try:
        return parse_unit(text)
    except ValidationError:
        raise ValidationError(f"{option} takes kg or lb, got {text!r}", "unit") from None
