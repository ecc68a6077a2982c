"""The unit of loads a file gives as plain numbers (issue 18, item 1).

Some exports never say their unit: Strong's older and newer CSVs write ``Weight`` with no
unit anywhere, and a pound lifter's 135 is 135 lb. RepLog reads such numbers in the unit it
is told (``replog import --unit lb``, the API's ``unit``) or else in the athlete's own unit
(``replog athlete --unit lb``), says which and why, and warns when the numbers look like the
other unit (:func:`replog.core.units.plate_unit`). Loads whose unit the file states are never
touched.
"""

from __future__ import annotations

from dataclasses import replace

from replog.core.exercises import Equipment
from replog.core.units import Load, Unit, plate_unit
from replog.services.imported import ImportedSet, SourceFile

__all__ = ["read_plain_loads"]


def read_plain_loads(
    source: SourceFile, unit: Unit | None, default: Unit
) -> tuple[SourceFile, str | None, list[str]]:
    """``source`` with its plain numbers in ``unit`` (or ``default``, the athlete's), one
    line saying which unit was taken and why (None when the file states every unit), and
    the warnings to give. Only barbell sets count as evidence of the other unit."""
    plain = [s for s in source.sets if not s.unit_stated]
    if not plain:
        return source, None, []
    chosen = unit or default
    why = "as asked" if unit else f"your unit; ask for {_other(chosen).value} to read them so"
    note = f"{len(plain)} loads with no unit in the file read as {chosen.value} ({why})"
    bar = _on_a_bar(plain)
    looks, lb, kg = plate_unit([s.load.value for s in bar])
    warnings = []
    if looks is not None and looks != chosen:
        evidence = lb if looks is Unit.LB else kg
        marks = "the 45 lb bar or 135, 225, 315" if looks is Unit.LB else "102.5 or 61.25"
        warnings.append(
            f"{source.name}: the loads look like {looks.value} ({evidence} of {len(bar)}"
            f"{' barbell' if len(bar) < len(plain) else ''} loads are "
            f"{marks}) but were read as {chosen.value}; if they are {looks.value}, import "
            f"them as {looks.value} (--unit {looks.value})"
        )
    sets = [
        s if s.unit_stated else replace(s, load=Load(s.load.value, chosen), unit_stated=True)
        for s in source.sets
    ]
    return replace(source, sets=sets), note, warnings


def _on_a_bar(sets: list[ImportedSet]) -> list[ImportedSet]:
    """The sets whose loads are a bar and plates: the plate arithmetic says nothing of a
    machine's stack or a dumbbell (a kilogram lifter's 45 kg fly machine is no 45 lb bar).
    When the file names no equipment at all, every set."""
    if all(s.equipment is None for s in sets):
        return sets
    return [s for s in sets if s.equipment is Equipment.BARBELL]


def _other(unit: Unit) -> Unit:
    return Unit.LB if unit is Unit.KG else Unit.KG
