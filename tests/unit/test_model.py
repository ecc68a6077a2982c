from datetime import UTC, datetime
from decimal import Decimal

import pytest

from replog.core.errors import ValidationError
from replog.core.model import CheckIn, Rep, Session, SetKind, SetRecord
from replog.core.units import Load, Unit

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def make_set(**kw):
    base = {
        "id": "s1",
        "session_id": "x",
        "exercise": "back-squat",
        "position": 1,
        "load": Load(Decimal(100), Unit.KG),
        "reps": 5,
        "performed_at": NOW,
    }
    base.update(kw)
    return SetRecord(**base)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"rpe": 11}, "rpe"),
        ({"rpe": 0.5}, "rpe"),
        ({"rpe": 8.3}, "rpe"),
        ({"rir": -1}, "rir"),
        ({"rpe": 8, "rir": 3}, "rir"),
        ({"reps": -1}, "reps"),
        ({"reps": 500}, "reps"),
        ({"reps": 0, "rep_data": (Rep(1, 0.5),)}, "velocities"),
        ({"reps": 2, "rep_data": (Rep(1, 0.5), Rep(2, 0.5), Rep(3, 0.4))}, "velocities"),
        ({"reps": 3, "rep_data": (Rep(1, 0.5), Rep(1, 0.5))}, "velocities"),
        ({"performed_at": datetime(2026, 1, 1)}, "performed_at"),
        ({"rest_s": -5}, "rest_s"),
    ],
)
def test_impossible_sets_are_refused_naming_the_field(kw, field):
    with pytest.raises(ValidationError) as err:
        make_set(**kw)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"mcv": 25.0}, "mcv"),
        ({"mcv": -0.1}, "mcv"),
        ({"mcv": float("nan")}, "mcv"),
        ({"mcv": float("inf")}, "mcv"),
        ({"mcv": 0.6, "peak_velocity": 0.5}, "peak_velocity"),
        ({"rom": 5.0}, "rom"),
    ],
)
def test_impossible_reps_are_refused(kw, field):
    with pytest.raises(ValidationError) as err:
        Rep(1, **kw)
    assert err.value.field == field


def test_rep_data_is_kept_in_rep_order_and_rpe_derives_from_rir():
    s = make_set(reps=3, rep_data=(Rep(2, 0.5), Rep(1, 0.6)), rir=2, kind="amrap")
    assert [r.index for r in s.rep_data] == [1, 2]
    assert s.velocities == [0.6, 0.5]
    assert s.effective_rpe == 8
    assert s.kind is SetKind.AMRAP


def test_tags_are_normalised_and_deduplicated():
    s = make_set(tags=("Cue:  Push the Floor", "cue: push the floor", " ", "belt"))
    assert s.tags == ("belt", "cue: push the floor")


def test_session_rejects_end_before_start_and_foreign_sets():
    with pytest.raises(ValidationError, match="end before"):
        Session("x", "a", NOW, datetime(2026, 11, 23, tzinfo=UTC))
    with pytest.raises(ValidationError):
        Session("y", "a", NOW, sets=(make_set(),))


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"sleep_h": 30}, "sleep_h"),
        ({"stress": 9}, "stress"),
        ({"sleep_quality": 0}, "sleep_quality"),
    ],
)
def test_impossible_checkins_are_refused(kw, field):
    with pytest.raises(ValidationError) as err:
        CheckIn("c", "a", NOW.date(), **kw)
    assert err.value.field == field
