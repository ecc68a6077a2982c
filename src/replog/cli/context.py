"""State shared by the commands of one invocation, and small helpers they all use."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from replog.bootstrap import SqlUnitOfWork
    from replog.config import Settings
    from replog.core.model import Athlete


@dataclass
class State:
    db: str | None = None
    athlete: str | None = None
    _uow: SqlUnitOfWork | None = None
    _lifter: Athlete | None = None

    def settings(self) -> Settings:
        from replog.config import Settings

        return Settings.from_env(self.db, self.athlete)

    def uow(self) -> SqlUnitOfWork:
        """A unit of work on this invocation's database (checked against the schema once,
        however many units of work a command opens: `log` opens two)."""
        from replog.bootstrap import unit_of_work

        if self._uow is None:
            self._uow = unit_of_work(self.settings())
        return self._uow

    @property
    def athlete_name(self) -> str | None:
        return self.settings().athlete

    def lifter(self) -> Athlete:
        """The athlete this invocation acts for (``--athlete``, else the only one), found
        once: every use case after takes the athlete, not a name."""
        if self._lifter is None:
            from replog.services.athletes import find_athlete

            self._lifter = find_athlete(self.uow(), self.athlete_name)
        return self._lifter

    def lifter_or_new(self) -> tuple[Athlete, bool]:
        """:meth:`lifter` for a command that writes: a new athlete (not yet stored, made
        by the write itself) when there is none by that name, and whether it is new."""
        if self._lifter is not None:
            return self._lifter, False
        from replog.services.athletes import athlete_or_new

        athlete, new = athlete_or_new(self.uow(), self.athlete_name)
        if not new:
            self._lifter = athlete
        return athlete, new

    def lifter_if_any(self) -> Athlete | None:
        """:meth:`lifter`, or None when nothing is logged yet (and no ``--athlete``)."""
        from replog.core.errors import NotFoundError

        try:
            return self.lifter()
        except NotFoundError:
            if self.athlete_name:
                raise
            return None


state = State()

JSON = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
"""The ``--json`` flag every read command takes (DESIGN.md 2.4)."""


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)
