"""What the Drive page opens with, through a real database: recent exercises first, the
last set of each (today's before older ones), and today's open session only."""

from __future__ import annotations

from datetime import datetime, timedelta

from replog.core.entry import SetEntry
from replog.core.model import SetKind
from replog.core.units import Load, Unit
from replog.services.athletes import resolve_athlete
from replog.services.drive import drive_state
from replog.services.training import SetDetails, end_session
from tests.support import log_for, named

NOW = datetime(2026, 11, 24, 18, 0).astimezone()


def _log(uow, exercise: str, kg: float, reps: int, at: datetime, **kw) -> None:
    entry = SetEntry(exercise, Load(kg, Unit.KG), reps, 1, kw.pop("rpe", None), None)
    log_for(uow, "ana", entry, SetDetails(**kw), now=at)


def _athlete(uow):
    with uow:
        return resolve_athlete(uow, "ana")


def test_a_new_lifter_gets_the_catalogue_and_no_session(uow):
    _log(uow, "squat", 60, 5, NOW - timedelta(days=400))  # creates the athlete, long ago
    state = drive_state(uow, _athlete(uow), NOW)
    assert state.session is None
    keys = [p.exercise.key for p in state.picks]
    assert len(keys) == len(set(keys)) > 50
    assert keys[0] == "back-squat"  # its one session is among the last 30: recent
    assert state.picks[0].sets_logged == 1


def test_recent_exercises_come_first_with_their_last_set(uow):
    _log(uow, "bench", 80, 5, NOW - timedelta(days=3), rpe=8.0)
    _log(uow, "bench", 82.5, 4, NOW - timedelta(days=3, minutes=-5), rpe=9.0)
    _log(uow, "deadlift", 150, 3, NOW - timedelta(days=2))
    _log(uow, "squat", 100, 5, NOW - timedelta(hours=1), rpe=7.0)
    _log(uow, "squat", 102.5, 5, NOW - timedelta(minutes=50), rpe=7.5, kind=SetKind.WORKING)
    state = drive_state(uow, _athlete(uow), NOW)
    assert [p.exercise.key for p in state.picks[:3]] == ["back-squat", "deadlift", "bench-press"]
    assert all(p.recent for p in state.picks[:3])
    assert not state.picks[3].recent
    squat = state.last["back-squat"]
    assert float(squat.set.load.value) == 102.5
    assert squat.set.rpe == 7.5
    assert squat.today
    bench = state.last["bench-press"]
    assert (float(bench.set.load.value), bench.set.reps, bench.today) == (82.5, 4, False)
    assert bench.day == (NOW - timedelta(days=3)).date()
    assert state.session is not None
    assert [s.exercise for s in state.session.sets] == ["back-squat", "back-squat"]


def test_an_ended_session_is_not_today_s_open_one(uow):
    _log(uow, "squat", 100, 5, NOW - timedelta(hours=2))
    end_session(uow, named(uow, "ana"), now=NOW - timedelta(hours=1))
    state = drive_state(uow, _athlete(uow), NOW)
    assert state.session is None
    assert state.last["back-squat"].today  # the prefill still comes from it


def test_the_next_set_is_today_s_plan_or_working_set_never_a_back_off_and_never_over_a_cap(uow):
    from replog.core.advice import recommend
    from replog.core.analysis import analyze_sets
    from replog.core.exercises import BUILTIN, Catalogue
    from replog.core.model import Rep, SetRecord
    from replog.services.drive import next_sets
    from replog.services.readiness import readiness

    _log(uow, "squat", 140, 3, NOW - timedelta(days=2), rpe=8.0)  # the top working set
    _log(uow, "squat", 110, 8, NOW - timedelta(days=2, minutes=-10), kind=SetKind.BACKOFF)
    _log(uow, "bench", 60, 10, NOW - timedelta(days=40), kind=SetKind.WORKING)
    _log(uow, "bench", 40, 12, NOW - timedelta(days=40, minutes=-5), kind=SetKind.BACKOFF)
    ath = _athlete(uow)
    state = drive_state(uow, ath, NOW)
    assert state.last["back-squat"].set.kind is SetKind.BACKOFF  # the newest set logged
    plan = readiness(uow, named(uow, "ana"), NOW.date()).plan
    nxt = next_sets(state, plan, [])
    squat = nxt["back-squat"]
    planned = next(p for p in plan if p.exercise == "back-squat")
    assert (squat.load, squat.reps, squat.why) == (planned.load_kg, 3, "today's plan")
    bench = nxt["bench-press"]  # 40 days ago: no plan; its working set, not the back-off
    assert (bench.load, bench.reps, bench.kind) == (60.0, 10, "working")

    # today: a working set, then a cap at 100 kg: the next set holds 100, not today's 105
    _log(uow, "squat", 105, 5, NOW - timedelta(minutes=30), rpe=7.0)
    state = drive_state(uow, ath, NOW)
    assert next_sets(state, plan, [])["back-squat"].load == 105.0
    sid = state.session.id

    def squat_set(i: str, position: int, v: float) -> SetRecord:
        reps = tuple(Rep(k, v) for k in range(1, 6))
        return SetRecord(i, sid, "back-squat", position, Load(100, Unit.KG), 5, NOW, rpe=7,
                         rep_data=reps)  # fmt: skip

    first, slow = squat_set("a", 1, 0.70), squat_set("b", 2, 0.58)  # 17 % slower: a cap
    ex = {e.key: e for e in Catalogue(BUILTIN)}
    items = recommend(analyze_sets([first, slow], ex, {}), ex, {})
    assert [r.kind for r in items] == ["cap_intensity"]
    held = next_sets(state, plan, items)["back-squat"]
    assert (held.load, held.why) == (100.0, "today's cap: 100 kg")


def test_today_s_plan_counts_the_sets_logged_today(uow):
    from replog.services.readiness import readiness

    _log(uow, "squat", 60, 5, NOW - timedelta(minutes=40), rpe=6.0)
    _log(uow, "squat", 80, 5, NOW - timedelta(minutes=30), rpe=7.0)
    plan = readiness(uow, named(uow, "ana"), NOW.date()).plan
    assert [(p.exercise, p.reps, p.last_load_kg) for p in plan] == [("back-squat", 5, 80.0)]
