"""Coaching on real databases: grants, access levels, and the coach's team dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from replog.api.security import Argon2Hasher
from replog.core.errors import NotFoundError, ValidationError
from replog.core.ids import new_id
from replog.services.accounts import (
    Access,
    access,
    access_to,
    grant_access,
    grants_given,
    grants_received,
    revoke_grant,
    sign_up,
    visible_athletes,
)
from replog.services.documents import readiness_doc
from replog.services.readiness import readiness
from replog.services.team import DropOff, team_dashboard
from replog.services.training import SetDetails
from tests.support import another, checkin_for, log_for, named

NOW = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def Argon2(time_cost: int = 1) -> Argon2Hasher:  # noqa: N802  (reads as the class it makes)
    """The server's own hasher with parameters cheap enough for tests."""
    return Argon2Hasher(PasswordHasher(time_cost=time_cost, memory_cost=8192, parallelism=1))


@pytest.fixture
def people(uow):
    hasher = Argon2()
    return {n: sign_up(uow, hasher, n, PASSWORD, now=NOW) for n in ("coach", "ana", "bea", "cid")}


def test_grants_are_upserted_listed_and_revoked_by_the_owner(uow, people) -> None:
    coach, ana, bea = people["coach"], people["ana"], people["bea"]
    read = grant_access(uow, ana, " COACH ", can_write=False, now=NOW)
    assert (read.athlete_name, read.coach_username, read.can_write) == ("ana", "coach", False)
    write = grant_access(uow, ana, "coach", can_write=True, now=NOW + timedelta(days=1))
    assert (write.id, write.can_write, write.created_at) == (read.id, True, NOW)
    grant_access(uow, ana, "bea", can_write=False, now=NOW)
    grant_access(uow, bea, "coach", can_write=False, now=NOW)
    given = grants_given(uow, ana)
    assert [(g.coach_username, g.can_write) for g in given] == [("bea", False), ("coach", True)]
    assert [g.athlete_name for g in grants_received(uow, coach)] == ["ana", "bea"]
    with pytest.raises(NotFoundError) as caught:
        grant_access(uow, ana, "nobody", can_write=True, now=NOW)
    assert caught.value.field == "coach"
    with pytest.raises(ValidationError) as caught:
        grant_access(uow, ana, "Ana", can_write=True, now=NOW)
    assert caught.value.field == "coach"
    with pytest.raises(NotFoundError) as caught:  # bea cannot withdraw ana's grant
        revoke_grant(uow, bea, read.id)
    assert caught.value.field == "grant"
    with pytest.raises(NotFoundError):
        revoke_grant(uow, ana, new_id())
    revoke_grant(uow, ana, read.id)
    assert [g.coach_username for g in grants_given(uow, ana)] == ["bea"]
    assert [g.athlete_name for g in grants_received(uow, coach)] == ["bea"]


def test_access_levels(uow, people) -> None:
    coach, ana, bea, cid = people["coach"], people["ana"], people["bea"], people["cid"]
    grant_access(uow, ana, "coach", can_write=True, now=NOW)
    grant_access(uow, ana, "bea", can_write=False, now=NOW)
    with uow:  # access_to runs inside a unit of work the caller opened
        assert access_to(uow, ana, ana.athlete_id) is Access.OWNER
        assert access_to(uow, coach, ana.athlete_id) is Access.WRITE
        assert access_to(uow, bea, ana.athlete_id) is Access.READ
        assert access_to(uow, cid, ana.athlete_id) is None
        assert access_to(uow, ana, bea.athlete_id) is None
    assert Access.READ < Access.WRITE < Access.OWNER
    found = access(uow, coach, ana.athlete_id)
    assert found is not None
    assert (found[0].name, found[1]) == ("ana", Access.WRITE)
    assert access(uow, cid, ana.athlete_id) is None
    assert access(uow, coach, new_id()) is None
    grant_access(uow, ana, "coach", can_write=False, now=NOW)
    assert access(uow, coach, ana.athlete_id)[1] is Access.READ


def test_visible_athletes_own_first_then_granted_by_name(uow, people) -> None:
    coach = people["coach"]
    for name in ("cid", "ana"):
        grant_access(uow, people[name], "coach", can_write=name == "cid", now=NOW)
    seen = visible_athletes(uow, coach)
    assert [(a.name, level) for a, level in seen] == [
        ("coach", Access.OWNER),
        ("ana", Access.READ),
        ("cid", Access.WRITE),
    ]
    assert [(a.name, level) for a, level in visible_athletes(uow, people["bea"])] == [
        ("bea", Access.OWNER)
    ]


def log(uow, name: str, words: str, at: datetime, velocities: tuple[float, ...] = ()) -> None:
    log_for(uow, name, words.split(), SetDetails(velocities=velocities), now=at)


def test_the_team_dashboard_shows_granting_athletes_batteries_and_dropoffs(uow, people) -> None:
    coach = people["coach"]
    grant_access(uow, people["ana"], "coach", can_write=False, now=NOW)
    grant_access(uow, people["bea"], "coach", can_write=True, now=NOW)
    earlier = NOW - timedelta(days=3)
    log(uow, "ana", "squat 100kg x3", earlier, (0.62, 0.6, 0.59))
    log(uow, "ana", "squat 100kg x3", NOW, (0.6, 0.58, 0.57))
    log(uow, "ana", "squat 100kg x3", NOW + timedelta(minutes=4), (0.5, 0.49, 0.48))
    log(uow, "ana", "squat 100kg x3", NOW + timedelta(minutes=8), (0.49, 0.47, 0.46))
    day = NOW.astimezone().date()
    checkin_for(uow, "ana", day, sleep_h=4.5, stress=4, soreness=4)
    for who in ("coach", "cid"):  # their logs show the same drop-off, but are not the team
        log(uow, who, "squat 100kg x3", NOW, (0.6, 0.58, 0.57))
        log(uow, who, "squat 100kg x3", NOW + timedelta(minutes=4), (0.5, 0.49, 0.48))

    team = team_dashboard(lambda: another(uow), coach, day)

    assert [(m.name, m.access) for m in team] == [("ana", Access.READ), ("bea", Access.WRITE)]
    ana, bea = team
    assert ana.athlete_id == people["ana"].athlete_id
    with uow:
        latest = uow.sessions.latest(ana.athlete_id)
    assert latest is not None
    assert (ana.last_session_id, ana.last_session_at) == (latest.id, NOW)
    assert [d.position for d in ana.dropoffs] == [2, 3]
    first = ana.dropoffs[0]
    assert isinstance(first, DropOff)
    assert (first.exercise, first.set_id, first.load_kg) == ("Back Squat", latest.sets[1].id, 100)
    reference = (0.6 + 0.58 + 0.57) / 3
    assert first.dropoff_pct == pytest.approx(100 * (reference - 0.49) / reference, abs=0.01)
    assert "cap_intensity" in ana.recommendations
    assert len(set(ana.recommendations)) == len(ana.recommendations)
    assert ana.battery is not None
    assert ana.battery < 80
    assert ana.battery_label in {"steady", "easy", "rest"}
    assert any("sleep" in r for r in ana.reasons)
    assert bea.battery is None
    assert bea.battery_label is None
    assert bea.reasons == ()
    assert bea.readiness is not None
    assert (bea.readiness["reading"], bea.readiness["score"]) == (False, None)
    assert bea.readiness["advice"]["text"].startswith("no reading yet")
    assert (bea.last_session_id, bea.last_session_at, bea.dropoffs) == (None, None, ())
    assert bea.recommendations == ()

    # days before: the last session then is the earlier one, without a drop-off
    before = team_dashboard(lambda: another(uow), coach, day - timedelta(days=1))
    assert before[0].last_session_at == earlier
    assert before[0].dropoffs == ()
    # a withdrawn grant takes the athlete off the team
    revoke_grant(uow, people["ana"], grants_given(uow, people["ana"])[0].id)
    assert [m.name for m in team_dashboard(lambda: another(uow), coach, day)] == ["bea"]
    assert team_dashboard(lambda: another(uow), people["cid"], day) == []


def test_the_coach_reads_the_lifters_own_advice_word_for_word(uow, people) -> None:
    """Issue 19: the coach saw "Train as planned" where the lifter at 67 was told "steady:
    ... stop sets at RPE 8.5". Both now render the one battery document."""
    grant_access(uow, people["ana"], "coach", can_write=False, now=NOW)
    day = NOW.astimezone().date()
    checkin_for(uow, "ana", day, sleep_h=6.5, sleep_quality=2, stress=5, soreness=5)
    own = readiness_doc(readiness(uow, named(uow, "ana"), day))["battery"]
    assert (own["score"], own["level"]) == (67, "steady")
    assert own["advice"]["text"] == "steady: keep the planned loads and stop sets at RPE 8.5"
    (ana,) = team_dashboard(lambda: another(uow), people["coach"], day)
    assert ana.readiness == own  # the whole document, advice and all
    assert (ana.battery, ana.battery_label) == (67, "steady")
