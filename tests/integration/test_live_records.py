"""Records found as a set is logged (issue 21, item 5) are the records the exercise page
finds over the whole history: storage sums up the sessions before (``SetRepository.bests``,
on memory, SQLite and PostgreSQL) and :func:`replog.core.records.records_broken` walks the
session; the fastest rep at a load is checked against a brute-force search of the log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from replog.core.model import SetKind
from replog.core.records import compute_records, fastest_rep, load_band, records_broken
from replog.core.units import Load, Unit
from replog.services.live_records import records_set
from replog.services.log_set import log_set
from replog.services.ports import HistoryRow, UnitOfWork
from replog.services.training import SetDetails
from tests.integration.long_history import history


def test_records_of_each_session_equal_the_whole_history(uow: UnitOfWork) -> None:
    athlete = history(uow, 200, 7)
    with uow:
        whole = compute_records(uow.sets.lifts(athlete.id, "back-squat")).events
        rows = uow.sets.history(athlete.id, "back-squat")
    sessions: dict[str, list[HistoryRow]] = {}
    for r in rows:
        sessions.setdefault(r.session_id, []).append(r)
    checked = velocity_records = 0
    for sid, mine in sessions.items():
        started = mine[0].session_started_at
        for probe in mine:
            band = load_band(probe.set.load.kg, 2.5)
            with uow:
                session = uow.sessions.get(sid)
                assert session is not None
                got = records_set(uow, session, [probe.set])
            expected = list(whole.get(probe.set.id, []))
            speed = fastest_rep(probe.set)
            before = [
                v for r in rows
                if band[0] <= r.set.load.kg <= band[1] and r.set.kind is not SetKind.WARMUP
                and r.set.reps > 0 and (v := fastest_rep(r.set)) is not None
                and (r.session_started_at, r.set.performed_at, r.set.position)
                < (started, probe.set.performed_at, probe.set.position)
            ]  # fmt: skip
            counts = probe.set.kind is not SetKind.WARMUP and probe.set.reps > 0
            if counts and speed is not None and before and speed > max(before):
                expected.append("velocity")
                velocity_records += 1
            assert got.get(probe.set.id, []) == expected, (sid, probe.set)
            checked += 1
    assert checked > 200
    assert velocity_records >= 3  # the history did break each kind
    assert {k for ks in whole.values() for k in ks} >= {"heaviest", "volume", "1rm", "5rm", "e1rm"}


def test_logging_a_set_says_the_records_it_broke(uow: UnitOfWork) -> None:
    athlete = history(uow, 30, 3)
    now = datetime(2026, 7, 1, 18, tzinfo=UTC)
    heavy = log_set(uow, athlete, ["squat", "150kg", "x", "2"], now=now)
    assert heavy.records == {heavy.logged.sets[0].id: ["heaviest", "2rm", "e1rm"]}
    light = log_set(uow, athlete, ["squat", "60kg", "x", "1"], now=now)
    assert light.records == {}
    again = log_set(uow, athlete, ["squat", "150kg", "x", "2"], now=now)
    assert again.records == {}  # equal is not a record
    fast = log_set(
        uow, athlete, ["squat", "60kg", "x", "1"],
        SetDetails(velocities=(2.0,)), now=now,
    )  # fmt: skip
    assert fast.records == {fast.logged.sets[0].id: ["velocity"]}
    warm = log_set(
        uow, athlete, ["squat", "200kg", "x", "1"], SetDetails(kind=SetKind.WARMUP), now=now
    )
    assert warm.records == {}  # warm-ups never count
    retry = log_set(
        uow, athlete, ["squat", "150kg", "x", "2"],
        SetDetails(set_id=heavy.logged.sets[0].id), now=now,
    )  # fmt: skip
    assert retry.logged.already_logged
    assert retry.records == heavy.records


def test_bests_leave_out_warmups_and_later_sessions(uow: UnitOfWork) -> None:
    athlete = history(uow, 20, 5)
    with uow:
        first, last = uow.sessions.starts(athlete.id)[0], uow.sessions.starts(athlete.id)[-1]
        bests = uow.sets.bests(athlete.id, "back-squat", first[0], first[1])
        assert (bests.heaviest, bests.volume, dict(bests.rep_max), bests.fastest_by_load) == (
            0.0, 0.0, {}, {},
        )  # fmt: skip
        lifts = [
            x for x in uow.sets.lifts(athlete.id, "back-squat")
            if x.kind is not SetKind.WARMUP and x.reps > 0 and x.session_id != last[0]
        ]  # fmt: skip
        bests = uow.sets.bests(athlete.id, "back-squat", last[0], last[1])
        again = uow.sets.bests(athlete.id, "back-squat", last[0], last[1])  # kept
        uow.commit()
    assert bests == again
    assert bests.heaviest == max(x.load_kg for x in lifts)
    assert bests.volume == max(x.load_kg * x.reps for x in lifts)
    assert records_broken(bests, []) == {}


def test_a_write_to_an_earlier_session_renews_the_bests_kept(uow: UnitOfWork) -> None:
    athlete = history(uow, 20, 6)
    now = datetime(2026, 7, 1, 18, tzinfo=UTC)
    done = log_set(uow, athlete, ["squat", "150kg", "x", "1"], now=now)
    assert done.records[done.logged.sets[0].id] == ["heaviest", "1rm"]  # 130 x 6 @7 is more
    with uow:  # an old set, corrected: it was 160 kg
        first = uow.sessions.get(uow.sessions.starts(athlete.id)[0][0])
        assert first is not None
        old = first.sets[-1]
        uow.sets.update(replace(old, load=Load(Decimal(160), Unit.KG), reps=1))
        uow.commit()
    again = log_set(uow, athlete, ["squat", "155kg", "x", "1"], now=now)
    assert again.records == {}  # 160 kg was lifted before today
    gone = log_set(uow, athlete, ["squat", "161kg", "x", "1"], now=now)
    assert gone.records[gone.logged.sets[0].id] == ["heaviest", "1rm"]


def test_a_set_of_unmeasured_reps_sets_no_velocity_record(uow: UnitOfWork) -> None:
    athlete = history(uow, 10, 2)
    now = datetime(2026, 7, 1, 18, tzinfo=UTC)
    done = log_set(uow, athlete, ["squat", "61kg", "x", "3"], now=now)
    assert done.records == {}  # 61 kg x 3 beats nothing, and its speed is unknown
