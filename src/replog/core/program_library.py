"""The programs RepLog ships: JSON documents in ``replog/core/programs``, one per program.

Each is written in RepLog's own words after a well-known public training method (its
``source`` says which) and is checked by :func:`replog.core.plan_doc.program_from_dict`
when loaded, so a broken file is an error naming its path, never a half-read plan.
"""

from __future__ import annotations

import json
from importlib import resources

from replog.core.errors import NotFoundError, ReplogError
from replog.core.plan import Program
from replog.core.plan_doc import program_from_dict

PACKAGE = "replog.core"
FOLDER = "programs"


def program_names() -> tuple[str, ...]:
    """The shipped programs' names (their file names without ``.json``), sorted."""
    folder = resources.files(PACKAGE) / FOLDER
    return tuple(
        sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))
    )


def load_program(name: str) -> Program:
    """A shipped program by name; unknown names list the ones there are."""
    if name not in program_names():
        raise NotFoundError(
            f"no program {name!r}; there are {', '.join(program_names())}", field="program"
        )
    text = (resources.files(PACKAGE) / FOLDER / f"{name}.json").read_text(encoding="utf-8")
    try:
        return program_from_dict(json.loads(text))
    except ReplogError as e:
        raise e.located(field=f"{name}.json") from None
