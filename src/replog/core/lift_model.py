"""The velocity model a session is analysed against, for any moment of a lift's history.

Before a session, a lift's model is the lifter's own load-velocity line fitted, by least
squares (:func:`replog.core.profile.ols_line`), on the profile points of the eight weeks
before it: exactly the points :func:`replog.core.profile_data.profile_points` keeps (the
same best rep, ROM check and fastest set per load and day), so ``replog profile`` and the
live analysis fit one model. The line must fall with load. Without one, the population
%1RM-velocity table stands in (when the lift has a published table), scaled by the lift's
e1RM just before the session (:func:`replog.core.e1rm.estimate_e1rm`; without a line there
is no profile to qualify, so it is the Epley-with-RIR estimate of the sets).

A history's analysis asks for thousands of windows, so :class:`ExerciseHistory` prepares
each set's best rep once and, per window, recomputes only what the window changes: the ROM
limits (a median over the window's reps) and the best rep of the few sets whose fastest rep
falls outside them. The rules themselves are profile_data's functions.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

import numpy as np

from replog.core.analysis import MODEL_WINDOW_DAYS, LinearModel, VelocityModel
from replog.core.e1rm import estimate_e1rm
from replog.core.model import SetRecord
from replog.core.population import has_population_table, percent_at_velocity, velocity_at_percent
from replog.core.profile import ols_line
from replog.core.profile_data import best_rep, point_day, rom_limits
from replog.core.set_facts import SetFacts, facts_of

MODEL_WINDOW = timedelta(days=MODEL_WINDOW_DAYS)
PROFILE = "profile"
POPULATION = "population"


class PopulationModel:
    """The population %1RM-velocity relationship scaled by an e1RM estimate."""

    def __init__(self, exercise: str, e1rm_kg: float):
        self.exercise, self.e1rm_kg = exercise, e1rm_kg

    def predict_velocity(self, load_kg: float) -> float:
        return velocity_at_percent(self.exercise, load_kg / self.e1rm_kg)

    def predict_load(self, velocity: float) -> float:
        return percent_at_velocity(self.exercise, velocity) * self.e1rm_kg


class ExerciseHistory:
    """One lift's sets, ready to give the model before any moment (see the module doc)."""

    def __init__(self, facts: Iterable[SetFacts], tz: tzinfo | None = None):
        self.facts = sorted(facts, key=lambda f: f.performed_at)
        self.times = [f.performed_at for f in self.facts]
        n = len(self.facts)
        self._top = np.full(n, math.nan)  # each set's best rep without a ROM check
        self._top_rom = np.full(n, math.nan)
        roms: list[float] = []
        offsets = [0]
        for i, f in enumerate(self.facts):
            top = best_rep(f.rep_velocities, None)
            if top is not None:
                self._top[i] = top.mcv
                self._top_rom[i] = math.nan if top.rom is None else top.rom
            roms += [r.rom for r in f.rep_velocities if r.rom is not None and r.mcv is not None]
            offsets.append(len(roms))
        self._roms = roms
        self._rom_offsets = offsets
        # a point per load and day: groups numbered in (day, load) order, which is time order
        keys = [(point_day(f.performed_at, tz), round(f.load_kg, 3)) for f in self.facts]
        order = {k: g for g, k in enumerate(sorted(set(keys)))}
        self._group = np.array([order[k] for k in keys], dtype=np.int64)
        group_load: dict[int, float] = {}
        for f, k in zip(self.facts, keys, strict=True):
            group_load.setdefault(order[k], f.load_kg)
        self._group_load = np.array([group_load[g] for g in range(len(order))])

    @classmethod
    def of(
        cls, rows: Iterable[tuple[datetime, SetRecord]], tz: tzinfo | None = None
    ) -> ExerciseHistory:
        return cls((facts_of(at, s) for at, s in rows), tz)

    def points_before(self, end: datetime) -> tuple[list[float], list[float]]:
        """The profile points (loads, velocities) of the eight weeks before ``end``, in
        (day, load) order: what ``profile_points`` keeps of the same sets."""
        lo = bisect_left(self.times, end - MODEL_WINDOW)
        hi = bisect_left(self.times, end)
        limits = rom_limits(self._roms[self._rom_offsets[lo] : self._rom_offsets[hi]])
        v = self._top[lo:hi].copy()
        if limits is not None:
            rom = self._top_rom[lo:hi]
            with np.errstate(invalid="ignore"):
                outside = (rom < limits[0]) | (rom > limits[1])
            for i in np.flatnonzero(outside):
                f = self.facts[lo + int(i)]
                rep = best_rep(f.rep_velocities, limits)
                v[i] = math.nan if rep is None else rep.mcv
        kept = ~np.isnan(v)
        if not kept.any():
            return [], []
        groups = self._group[lo:hi][kept]
        first = int(groups.min())
        fastest = np.full(int(groups.max()) - first + 1, -math.inf)
        np.maximum.at(fastest, groups - first, v[kept])
        used = np.flatnonzero(fastest > -math.inf)
        return self._group_load[used + first].tolist(), fastest[used].tolist()

    def model_before(self, exercise: str, end: datetime) -> tuple[VelocityModel | None, str | None]:
        """The lift's model from the eight weeks before ``end`` and its kind (``"profile"``
        or ``"population"``); (None, None) without one."""
        loads, velocities = self.points_before(end)
        if len(set(loads)) >= 2:
            line = ols_line(loads, velocities)
            if line.slope < 0:
                see = None if line.n <= 2 else line.see
                return LinearModel(line.intercept, line.slope, see), PROFILE
        if not has_population_table(exercise):
            return None, None
        lo = bisect_left(self.times, end - MODEL_WINDOW)
        e1rm = estimate_e1rm(self.facts[lo : bisect_left(self.times, end)], end)
        if e1rm is None:
            return None, None
        return PopulationModel(exercise, e1rm.value_kg), POPULATION
