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


@dataclass
class State:
    db: str | None = None
    athlete: str | None = None
    _uow: SqlUnitOfWork | None = None

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


state = State()

JSON = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
"""The ``--json`` flag every read command takes (DESIGN.md 2.4)."""


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)
