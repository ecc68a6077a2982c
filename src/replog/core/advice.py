"""Recommendations from a session's set analyses: what to do with the sets that remain.

- ``cap_intensity`` at the first set of an exercise that shows neural drop-off: hold the
  load, stop sets at a velocity-loss limit (20%: Pareja-Blanco et al. 2017 found it kept
  most of the strength gain of 40% with far less fatigue), or, when the lifter has a
  load-velocity model, drop to the load that gives back the reference velocity today.
- ``stop_set`` when sets of an exercise lost more than 30% velocity within the set.
- ``reduce_load`` when working sets ground out reps near the lift's velocity at 1RM
  below maximal effort.
- ``cue`` when intent looked passive, with an external cue for the lift (cues.py).
- ``over_cap`` at a later set of a capped exercise that is heavier than the load held.
- ``grinding`` when a set ground out reps at a maximal effort (RPE 9 or more) or outside
  the working sets: no heavier today.

This is RepLog's one rulebook for a session: every surface (CLI, API, web pages, the coach
view) renders these items and the :func:`summary`, and none adds advice of its own. The
rules settle their conflicts here:

- a cap overrides: once an exercise is capped, no later cue tells the lifter to push (the
  drop-off, not intent, explains the slower bar), and a heavier set is called out;
- grinding is a warning at any effort: ``reduce_load`` below maximal effort, ``grinding``
  at it;
- the summary says "no warning signs" only when no item is a warning.

One recommendation of each kind per exercise and session, at the set that triggered it
(``over_cap``: at each set over the cap). Items come in set order; within a set, warnings
before adjustments (``SEVERITY``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from replog.core.analysis import AnalysisSettings, Recommendation, SetAnalysis, VelocityModel
from replog.core.cues import cue_for
from replog.core.exercises import Exercise
from replog.core.model import SetRecord
from replog.core.units import KG_PER_LB, Unit, round_to_increment

PLATE_KG = 2.5
PLATE_LB = 5.0
SEVERITY = {  # warning: something went wrong; adjust: do this next set; info: worth knowing
    "cap_intensity": "warning",
    "over_cap": "warning",
    "stop_set": "warning",
    "reduce_load": "warning",
    "grinding": "warning",
    "cue": "adjust",
    "pap_block": "adjust",
    "readiness_adjustment": "adjust",
}
_ORDER = list(SEVERITY)


def _name(key: str, exercises: Mapping[str, Exercise]) -> str:
    ex = exercises.get(key)
    return ex.name if ex is not None else key


def _in_unit(kg: float, unit: Unit) -> float:
    return kg if unit is Unit.KG else kg / float(KG_PER_LB)


def _fmt(value: float, unit: Unit) -> str:
    return f"{value:g} {unit.value}"


def restoring_load(a: SetAnalysis, model: VelocityModel) -> float | None:
    """The load (kg) at which today's lifter would move at the reference velocity again.

    Today's line is the model's line shifted down by the velocity lost; the load that
    regains it is where the model predicts the current velocity plus that loss.
    """
    if a.reference_velocity is None or a.compared_velocity is None or a.velocity is None:
        return None
    if a.comparison == "same_load":
        lost = a.reference_velocity - a.compared_velocity  # m/s
    else:  # ratios: express the loss at this load
        lost = (1 - a.compared_velocity / a.reference_velocity) * model.predict_velocity(
            a.set.load.kg
        )
    target = model.predict_velocity(a.set.load.kg) + lost
    try:
        load = model.predict_load(target)
    except Exception:  # a model that cannot invert there gives no suggestion
        return None
    return load if 0 < load < a.set.load.kg else None


def _cap(
    a: SetAnalysis, ex_name: str, model: VelocityModel | None, cfg: AnalysisSettings
) -> Recommendation:
    s, v = a.set, a.velocity
    assert v is not None
    assert a.dropoff_pct is not None
    unit = s.load.unit
    effort = ""
    if a.effort_hid_dropoff and a.rpe_change is not None:
        now = s.effective_rpe or 0.0
        before = now - a.rpe_change
        effort = f" at the same effort (RPE {before:g} then {now:g}): effort hid the drop-off"
    where = (
        "the first set at this load" if a.comparison == "same_load" else "your profile at this load"
    )
    reason = (
        f"Set {s.position} ({s.load.text} x {s.reps}) moved {a.dropoff_pct:.1f}% slower than "
        f"{where}{effort}. Above {cfg.dropoff_threshold_pct:g}% the nervous system is losing drive."
    )
    stop_v = round(v.first * (1 - cfg.velocity_loss_limit_pct / 100), 2)
    options = [
        f"hold {s.load.text} (no increases today)",
        f"end each set when a rep falls {cfg.velocity_loss_limit_pct:g}% below its first rep "
        f"(about {stop_v:.2f} m/s)",
    ]
    details: dict[str, object] = {
        "hold_load": s.load.text,
        "hold": _hold(s),
        "stop_velocity": stop_v,
    }
    load_kg = restoring_load(a, model) if model is not None else None
    if load_kg is not None:
        step = PLATE_KG if unit is Unit.KG else PLATE_LB
        value = round_to_increment(_in_unit(load_kg, unit) - step / 2 + 1e-9, step)
        if 0 < value < float(s.load.value):
            ref_v = a.reference_velocity if a.comparison == "same_load" else None
            back = f" to move at {ref_v:.2f} m/s again" if ref_v else " to regain the lost speed"
            options.append(f"drop to {_fmt(value, unit)}{back}")
            details["reduced_load"] = {"value": value, "unit": unit.value}
    action = f"Cap intensity for the remaining {ex_name} sets: " + "; or ".join(options) + "."
    return Recommendation("cap_intensity", s.exercise, reason, action, s.id, details)


def recommend(
    analyses: list[SetAnalysis],
    exercises: Mapping[str, Exercise],
    models: Mapping[str, VelocityModel],
    cfg: AnalysisSettings = AnalysisSettings(),
) -> list[Recommendation]:
    out: list[Recommendation] = []
    seen: set[tuple[str, str]] = set()

    def once(kind: str, a: SetAnalysis) -> bool:
        key = (kind, a.set.exercise)
        if key in seen:
            return False
        seen.add(key)
        return True

    caps: dict[str, SetAnalysis] = {}  # exercise -> the set that capped it
    for a in analyses:
        s, v, f = a.set, a.velocity, a.flags
        name = _name(s.exercise, exercises)
        mine: list[Recommendation] = []
        held = caps.get(s.exercise)
        if held is not None and s.load.kg > held.set.load.kg + 1e-9:
            mine.append(_over_cap(a, held, name))
        quiet = not (f.neural_dropoff or f.grinding or f.passive_intent)
        if quiet and (v is None or v.loss_pct <= cfg.stop_set_loss_pct):
            out.extend(mine)
            continue  # most sets: nothing to say
        if f.neural_dropoff and once("cap_intensity", a):
            mine.append(_cap(a, name, models.get(s.exercise), cfg))
            caps.setdefault(s.exercise, a)
        if v is not None and v.loss_pct > cfg.stop_set_loss_pct and once("stop_set", a):
            mine.append(_stop(a, name, cfg))
        if f.grinding:
            below_max = s.effective_rpe is None or s.effective_rpe < 9
            working = s.kind.value in {"working", "backoff"}
            if below_max and working:
                if once("reduce_load", a):
                    mine.append(_reduce(a, name))
            elif once("grinding", a):
                mine.append(_grinding(a, name))
        capped = f.neural_dropoff or s.exercise in caps
        if f.passive_intent and not capped and once("cue", a):
            cue = cue_for(exercises.get(s.exercise), seed=s.position)
            mine.append(
                Recommendation(
                    "cue",
                    s.exercise,
                    f"Set {s.position} moved at {a.intent_score or 0:.0%} of the speed you "
                    f"usually reach at {s.load.text}, with little fatigue: intent looked passive.",
                    f'Next set, think: "{cue}".',
                    s.id,
                    {"cue": cue},
                )
            )
        out.extend(sorted(mine, key=lambda r: _ORDER.index(r.kind)))
    return out


def _hold(s: SetRecord) -> dict[str, object]:
    """The load no later set should pass, as numbers (the text is in ``hold_load``)."""
    return {"value": float(s.load.value), "unit": s.load.unit.value, "kg": s.load.kg}


def _stop(a: SetAnalysis, name: str, cfg: AnalysisSettings) -> Recommendation:
    s, v = a.set, a.velocity
    assert v is not None
    return Recommendation(
        "stop_set",
        s.exercise,
        f"Set {s.position} lost {v.loss_pct:.0f}% of its first rep's velocity.",
        f"Stop {name} sets at {cfg.velocity_loss_limit_pct:g}% velocity loss "
        f"(below {v.first * (1 - cfg.velocity_loss_limit_pct / 100):.2f} m/s at "
        f"{s.load.text}); past ~30% the fatigue costs more than it builds.",
        s.id,
        {"velocity_loss_pct": round(v.loss_pct, 1)},
    )


def _ground(a: SetAnalysis) -> str:
    return (
        f"Set {a.set.position} had reps {', '.join(map(str, a.grinding_reps))} grinding near "
        "your velocity at 1RM"
    )


def _reduce(a: SetAnalysis, name: str) -> Recommendation:
    s = a.set
    step = PLATE_KG if s.load.unit is Unit.KG else PLATE_LB
    lighter = round_to_increment(float(s.load.value) * 0.95 - step / 2 + 1e-9, step)
    return Recommendation(
        "reduce_load",
        s.exercise,
        f"{_ground(a)} below maximal effort.",
        f"Take about 5% off: {_fmt(lighter, s.load.unit)} for the next {name} sets.",
        s.id,
        {"reduced_load": {"value": lighter, "unit": s.load.unit.value}},
    )


def _grinding(a: SetAnalysis, name: str) -> Recommendation:
    s = a.set
    effort = f" at RPE {s.effective_rpe:g}" if s.effective_rpe is not None else ""
    return Recommendation(
        "grinding",
        s.exercise,
        f"{_ground(a)}{effort}: that was about all there was today.",
        f"No heavier {name} today; if more sets are planned, go lighter than {s.load.text}.",
        s.id,
        {"hold_load": s.load.text, "hold": _hold(s)},
    )


def _over_cap(a: SetAnalysis, held: SetAnalysis, name: str) -> Recommendation:
    s, h = a.set, held.set
    return Recommendation(
        "over_cap",
        s.exercise,
        f"Set {s.position} ({s.load.text}) is heavier than the {h.load.text} that set "
        f"{h.position} capped {name} at.",
        f"Back to {h.load.text} or lighter for the remaining {name} sets.",
        s.id,
        {"hold_load": h.load.text, "hold": _hold(h), "capped_by": h.id},
    )


def in_force(
    recs: Sequence[Recommendation], analyses: Sequence[SetAnalysis], set_id: str
) -> Recommendation | None:
    """The cap that governs the set ``set_id``: its exercise's ``cap_intensity`` item
    triggered at that set or before it (a later set's cap does not reach back)."""
    order = {a.set.id: (a.set.exercise, a.set.position) for a in analyses}
    mine = order.get(set_id)
    if mine is None:
        return None
    for r in recs:
        if r.kind == "cap_intensity" and r.set_id in order:
            exercise, position = order[r.set_id]
            if exercise == mine[0] and position <= mine[1]:
                return r
    return None


def summary(recs: Sequence[Recommendation], analyses: Sequence[SetAnalysis]) -> str:
    """The session in one line, from the same items every surface shows."""
    warnings = [r for r in recs if SEVERITY.get(r.kind) == "warning"]
    if warnings:
        kinds = list(dict.fromkeys(r.kind.replace("_", " ") for r in warnings))
        return f"Warning signs: {', '.join(kinds)}. Follow the advice below for the sets left."
    if recs:
        return "No warning signs; one thing to change: see below."
    mismatched = [a.set.position for a in analyses if a.flags.rpe_velocity_mismatch]
    if mismatched:
        sets = ", ".join(map(str, mismatched))
        return (
            f"No warning signs: train as planned (the RPE of set {sets} disagreed with the "
            "bar speed; rate the next sets by how many reps you had left)."
        )
    return "No warning signs: train as planned."


def primer_blocked(recs: Sequence[Recommendation], exercise: str) -> Recommendation | None:
    """What rules out a PAP primer (or any load increase) for ``exercise`` today: its cap,
    or a grinding set at maximal effort. None: nothing does."""
    return next(
        (r for r in recs if r.exercise == exercise and r.kind in {"cap_intensity", "grinding"}),
        None,
    )
