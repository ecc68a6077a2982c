"""Programs and templates: the shipped library, the lifter's own (or their coach's), and the
program a lifter follows. Documents are checked by :mod:`replog.core.plan_doc` (errors name
the path); storage keeps their JSON text, so what a coach wrote is what comes back.

A plan is named by a *ref*: a shipped program's name (``novice-linear-3x5``), or the name
or id of one of the lifter's own plans. A lone day (``replog.template/1``) is kept as a
program of one week of one day, so every plan is followed the same way.
"""

from __future__ import annotations

import json
from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from replog.core.errors import ConflictError, NotFoundError, ValidationError
from replog.core.ids import new_id
from replog.core.model import Athlete
from replog.core.plan import Program, Week
from replog.core.plan_doc import (
    BUILTIN_KEYS,
    PROGRAM_SCHEMA,
    TEMPLATE_SCHEMA,
    program_from_dict,
    program_to_dict,
    template_from_dict,
)
from replog.core.program_library import load_program, program_names
from replog.services.catalogue import catalogue_for
from replog.services.ports import ActiveProgram, StoredPlan, UnitOfWork

BUILTIN = "builtin:"
MAX_PLAN_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class PlanListing:
    """A plan as the library lists it."""

    ref: str  # what to follow it by
    source: str  # "builtin:NAME" or the stored plan's id
    program: Program
    builtin: bool
    version: int | None = None  # a stored plan's, for edits

    def to_dict(self) -> dict[str, Any]:
        p = self.program
        return {
            "ref": self.ref,
            "id": None if self.builtin else self.source,
            "builtin": self.builtin,
            "version": self.version,
            "name": p.name,
            "goal": p.goal,
            "description": p.description,
            "weeks": len(p.weeks),
            "days": [d.name for w in p.weeks for d in w.days],
        }


def parse_plan(doc: object, known: Container[str] = BUILTIN_KEYS) -> Program:
    """A program from a program or template document (a template becomes one week of one
    day); ``known`` are the exercise keys allowed (the lifter's catalogue)."""
    if not isinstance(doc, Mapping):
        raise ValidationError("expected a JSON object (a program or a template)", field="plan")
    schema = doc.get("schema")
    if schema == TEMPLATE_SCHEMA:
        day = template_from_dict(doc, known=known)
        return Program(day.name, (Week((day,)),))
    if schema != PROGRAM_SCHEMA:
        raise ValidationError(
            f"expected {PROGRAM_SCHEMA!r} or {TEMPLATE_SCHEMA!r}, got {schema!r}", field="schema"
        )
    return program_from_dict(doc, known)


def _known(uow: UnitOfWork, athlete: Athlete) -> set[str]:
    return {e.key for e in catalogue_for(uow, athlete.id)}


def plan_library(uow: UnitOfWork, athlete: Athlete) -> list[PlanListing]:
    """The shipped programs, then the lifter's own (by name)."""
    shipped = [PlanListing(n, BUILTIN + n, load_program(n), True) for n in program_names()]
    with uow:
        own, known = uow.plans.list(athlete.id), _known(uow, athlete)
    mine = [PlanListing(p.name, p.id, parse_plan(json.loads(p.doc), known), False, p.version)
            for p in own]  # fmt: skip
    return shipped + mine


def _own(uow: UnitOfWork, athlete: Athlete, ref: str) -> StoredPlan | None:
    found = uow.plans.get(ref)
    if found is not None and found.athlete_id == athlete.id:
        return found
    by_name = [p for p in uow.plans.list(athlete.id) if p.name.casefold() == ref.casefold()]
    return by_name[0] if by_name else None


def find_plan(uow: UnitOfWork, athlete: Athlete, ref: str) -> PlanListing:
    """The plan ``ref`` names (call inside a unit of work)."""
    own = _own(uow, athlete, ref)
    if own is not None:
        program = parse_plan(json.loads(own.doc), _known(uow, athlete))
        return PlanListing(own.name, own.id, program, False, own.version)
    name = ref.removeprefix(BUILTIN)
    if name in program_names():
        return PlanListing(name, BUILTIN + name, load_program(name), True)
    mine = ", ".join(p.name for p in uow.plans.list(athlete.id))
    shipped = ", ".join(program_names())
    raise NotFoundError(
        f"no plan {ref!r}; shipped: {shipped}" + (f"; yours: {mine}" if mine else ""),
        field="plan",
    )


def save_plan(
    uow: UnitOfWork,
    athlete: Athlete,
    doc: object,
    *,
    plan_id: str | None = None,
    version: int | None = None,
    now: datetime,
) -> PlanListing:
    """Keep a program or template (checked first; nothing is written when it is wrong). With
    ``plan_id``, replace that plan if it is still at ``version``."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    if len(text.encode()) > MAX_PLAN_BYTES:
        raise ValidationError(f"a plan is at most {MAX_PLAN_BYTES // 1024} KiB", field="plan")
    with uow:
        program = parse_plan(doc, _known(uow, athlete))
        if plan_id is None:
            stored = StoredPlan(new_id(), athlete.id, program.name, text, now)
            uow.plans.add(stored)
            new_version = 1
        else:
            old = uow.plans.get(plan_id)
            if old is None or old.athlete_id != athlete.id:
                raise NotFoundError(f"no plan {plan_id!r}", field="plan")
            if version is not None and version != old.version:
                raise ConflictError(
                    f"the plan changed (version {old.version}, not {version}): read it again"
                )
            stored = StoredPlan(plan_id, athlete.id, program.name, text, now, old.version)
            new_version = uow.plans.update(stored)
        uow.commit()
    return PlanListing(program.name, stored.id, program, False, new_version)


def delete_plan(uow: UnitOfWork, athlete: Athlete, ref: str) -> str:
    """Remove one of the lifter's plans; its name. The program followed stays as started."""
    with uow:
        found = _own(uow, athlete, ref)
        if found is None:
            raise NotFoundError(f"no plan {ref!r} of yours", field="plan")
        uow.plans.delete(found.id)
        uow.commit()
    return found.name


def follow_program(uow: UnitOfWork, athlete: Athlete, ref: str, *, now: datetime) -> PlanListing:
    """Follow the plan ``ref`` from its first day (a copy as it is now: edits to the plan
    later are followed when it is started again)."""
    with uow:
        found = find_plan(uow, athlete, ref)
        doc = json.dumps(program_to_dict(found.program), ensure_ascii=False, sort_keys=True)
        uow.plans.set_active(ActiveProgram(athlete.id, found.source, found.program.name, doc, now))
        uow.commit()
    return found


def stop_program(uow: UnitOfWork, athlete: Athlete) -> bool:
    """Stop following a program (the log and the sessions' plans stay)."""
    with uow:
        stopped = uow.plans.clear_active(athlete.id)
        uow.commit()
    return stopped


def active_program(uow: UnitOfWork, athlete: Athlete) -> tuple[ActiveProgram, Program] | None:
    """The program the lifter follows, as started (call inside a unit of work)."""
    active = uow.plans.active(athlete.id)
    if active is None:
        return None
    return active, parse_plan(json.loads(active.doc), _known(uow, athlete))
