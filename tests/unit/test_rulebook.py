"""The one rulebook (core/advice.py): the contradictions lifters met, each replayed here and
given one answer; and the verdict document every surface shows (core/verdict.py)."""

from __future__ import annotations

from decimal import Decimal

from replog.core.advice import SEVERITY, in_force, summary
from replog.core.analysis import SessionAnalysis, analyze_session
from replog.core.units import Load, Unit
from replog.core.verdict import verdict_doc
from tests.unit.test_analysis import EX, Line, mk, session

KG100 = Load(Decimal(100), Unit.KG)
FRESH = Line(v0=1.42)  # a fresh rep at 100 kg moves at 0.62 m/s: set 1's 0.60 is full intent


def _kinds(a: SessionAnalysis, set_id: str) -> list[str]:
    return [r.kind for r in a.recommendations if r.set_id == set_id]


def test_a_capped_set_is_not_also_told_to_push_harder() -> None:
    # set 2 is 15 % slower than set 1 at the same load and RPE (a drop-off), with flat
    # reps at 82 % of what the lifter's line expects at 100 kg (0.62 m/s): passive intent
    # too, by the flags. The drop-off explains the slow bar: one voice, the cap.
    a = analyze_session(
        session(mk(1, KG100, [0.60] * 5, rpe=7), mk(2, KG100, [0.51] * 5, rpe=7)),
        EX,
        {"back-squat": FRESH},
    )
    assert a.sets[1].flags.neural_dropoff
    assert a.sets[1].flags.passive_intent
    assert _kinds(a, "s2") == ["cap_intensity"]
    # and a later passive set of the capped lift gets no cue either
    b = analyze_session(
        session(
            mk(1, KG100, [0.60] * 5, rpe=7),
            mk(2, KG100, [0.51] * 5, rpe=7),
            mk(3, Load(Decimal(90), Unit.KG), [0.55] * 5, rpe=7),
        ),
        EX,
        {"back-squat": FRESH},
    )
    assert "cue" not in [r.kind for r in b.recommendations]


def test_a_grinding_single_at_maximal_effort_is_a_warning_not_train_as_planned() -> None:
    a = analyze_session(session(mk(1, 160, [0.28], rpe=9.5)), EX, {"back-squat": FRESH})
    assert a.sets[0].flags.grinding
    (rec,) = a.recommendations
    assert rec.kind == "grinding"
    assert SEVERITY[rec.kind] == "warning"
    assert "No heavier Back Squat today" in rec.action
    text = summary(a.recommendations, a.sets)
    assert "No warning signs" not in text
    assert text.startswith("Warning signs: grinding")


def test_a_set_heavier_than_the_cap_is_called_out() -> None:
    a = analyze_session(
        session(
            mk(1, KG100, [0.60] * 5),
            mk(2, KG100, [0.51] * 5),
            mk(3, KG100, [0.55] * 5),
            mk(4, Load(Decimal(110), Unit.KG), [0.50] * 5),
        ),
        EX,
        {"back-squat": FRESH},
    )
    assert _kinds(a, "s2") == ["cap_intensity"]
    assert _kinds(a, "s3") == []  # at the cap: fine
    (over,) = [r for r in a.recommendations if r.set_id == "s4"]
    assert over.kind == "over_cap"
    assert "heavier than the 100 kg that set 2 capped" in over.reason
    assert over.details["hold_load"] == "100 kg"


def test_a_cap_governs_its_set_and_the_later_ones_never_the_earlier() -> None:
    a = analyze_session(
        session(mk(1, KG100, [0.60] * 5), mk(2, KG100, [0.51] * 5), mk(3, KG100, [0.55] * 5)),
        EX,
        {"back-squat": FRESH},
    )
    assert in_force(a.recommendations, a.sets, "s1") is None
    first = verdict_doc(a, "s1")
    assert first["cap_intensity"] is False
    assert first["cap"] is None
    assert first["headline"].startswith("Good set")
    second, third = verdict_doc(a, "s2"), verdict_doc(a, "s3")
    assert second["headline"].startswith("Drop-off 15.0% against set 1: cap intensity")
    assert third["cap_intensity"] is True
    assert third["cap"]["set_id"] == "s2"
    assert third["headline"] == "Capped: 100 kg or lighter for the remaining sets."
    assert [r["severity"] for r in second["recommendations"]] == ["warning"]


def test_the_summary_only_says_no_warning_signs_when_there_are_none() -> None:
    quiet = analyze_session(session(mk(1, KG100, [0.60] * 5, rpe=None)), EX, {"back-squat": FRESH})
    assert summary(quiet.recommendations, quiet.sets) == "No warning signs: train as planned."


def test_velocity_loss_and_its_bands_come_from_one_place() -> None:
    from replog.core.velocity import loss_band, rep_losses

    losses = rep_losses([0.80, 0.74, 0.70, 0.62])
    assert [round(x, 1) for x in losses] == [0.0, 7.5, 12.5, 22.5]
    assert [loss_band(x) for x in losses] == ["fine", "fine", "slowing", "slow"]
    a = analyze_session(session(mk(1, KG100, [0.80, 0.74, 0.70, 0.62])), EX, {})
    doc = verdict_doc(a, "s1")
    assert doc["set"]["rep_bands"] == ["fine", "fine", "slowing", "slow"]
    assert doc["set"]["velocity_loss_pct"] == 22.5
