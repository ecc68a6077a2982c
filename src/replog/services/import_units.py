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

from replog.core.units import Load, Unit, plate_unit
from replog.services.imported import SourceFile

__all__ = ["read_plain_loads"]


def read_plain_loads(
    source: SourceFile, unit: Unit | None, default: Unit
) -> tuple[SourceFile, str | None, list[str]]:
    """``source`` with its plain numbers in ``unit`` (or ``default``, the athlete's), one
    line saying which unit was taken and why (None when the file states every unit), and
    the warnings to give."""
    plain = [s for s in source.sets if not s.unit_stated]
    if not plain:
        return source, None, []
    chosen = unit or default
    why = "as asked" if unit else f"your unit; ask for {_other(chosen).value} to read them so"
    note = f"{len(plain)} loads with no unit in the file read as {chosen.value} ({why})"
    looks, lb, kg = plate_unit([s.load.value for s in plain])
    warnings = []
    if looks is not None and looks != chosen:
        evidence = lb if looks is Unit.LB else kg
        marks = "the 45 lb bar or 135, 225, 315" if looks is Unit.LB else "102.5 or 61.25"
        warnings.append(
            f"{source.name}: the loads look like {looks.value} ({evidence} of {len(plain)} are "
            f"{marks}) but were read as {chosen.value}; if they are {looks.value}, import "
            f"them as {looks.value} (--unit {looks.value})"
        )
    sets = [
        s if s.unit_stated else replace(s, load=Load(s.load.value, chosen), unit_stated=True)
        for s in source.sets
    ]
    out = SourceFile(source.format, source.name, sets, source.skipped, source.warnings)
    return out, note, warnings


def _other(unit: Unit) -> Unit:
    return Unit.LB if unit is Unit.KG else Unit.KG
