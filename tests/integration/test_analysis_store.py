"""Stored session analyses: computed once, identical to a fresh analysis, and forgotten by
every write that can change them (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from replog.core.entry import parse_set_entry
from replog.core.units import Unit
from replog.services.analytics import analyze_sessions, history_analyses, to_stored
from replog.services.athletes import configure_athlete
from replog.services.catalogue import catalogue_for
from replog.services.demo import load_demo
from replog.services.exchange import export_bundle, import_bundle
from replog.services.training import SetDetails, undo_last
from tests.support import log_for, named

WEEKS = 6


@pytest.fixture
def demo(uow):
    load_demo(uow, weeks=WEEKS)
    return uow


def _fresh_docs(uow):
    with uow:
        athlete = uow.athletes.by_name("demo")
        sessions = uow.sessions.all_for(athlete.id)
        cat = {e.key: e for e in catalogue_for(uow, athlete.id)}
    return {
        r.analysis.session.id: json.loads(to_stored(r).doc)
        for r in analyze_sessions(athlete, sessions, cat)
    }


def test_history_is_analysed_once_then_read(demo):
    _, first, computed = history_analyses(demo, named(demo, "demo"))
    assert computed == len(first) > 15
    _, again, computed_again = history_analyses(demo, named(demo, "demo"))
    assert computed_again == 0
    assert [e.doc for e in again] == [e.doc for e in first]
    fresh = _fresh_docs(demo)
    assert {e.session_id: json.loads(e.doc) for e in again} == fresh


def test_a_set_logged_into_a_past_session_refreshes_it_and_the_eight_weeks_after(demo):
    _, before, _ = history_analyses(demo, named(demo, "demo"))
    target = before[3]
    later = [
        e
        for e in before
        if target.started_at < e.started_at <= target.started_at + timedelta(days=56)
    ]
    entry = parse_set_entry(["squat", "100kg", "x3"], Unit.KG)
    log_for(
        demo, "demo", entry, SetDetails(velocities=(0.5, 0.45, 0.4), session_id=target.session_id)
    )
    _, after, computed = history_analyses(demo, named(demo, "demo"))
    assert computed == 1 + len(later)
    assert {e.session_id: json.loads(e.doc) for e in after} == _fresh_docs(demo)
    changed = next(e for e in after if e.session_id == target.session_id)
    assert changed.sets == target.sets + 1


def test_undo_import_and_settings_each_refresh_what_they_change(demo):
    history_analyses(demo, named(demo, "demo"))
    undo_last(demo, named(demo, "demo"))  # the newest set: only its own session is affected
    assert history_analyses(demo, named(demo, "demo"))[2] == 1
    bundle = export_bundle(demo, named(demo, "demo"))
    import_bundle(demo, bundle)  # every session replaced
    _, after_import, computed = history_analyses(demo, named(demo, "demo"))
    assert computed == len(after_import)
    configure_athlete(demo, "demo", dropoff_threshold_pct=8.0)
    _, stricter, computed = history_analyses(demo, named(demo, "demo"))
    assert computed == len(stricter)
    assert sum(e.dropoff_sets for e in stricter) >= sum(e.dropoff_sets for e in after_import)
    assert all(json.loads(e.doc)["settings"]["dropoff_threshold_pct"] == 8.0 for e in stricter)


def test_the_demo_drop_offs_are_the_stored_flags(demo):
    _, stored, _ = history_analyses(demo, named(demo, "demo"))
    flagged = [e for e in stored if e.dropoff_sets]
    assert flagged
    assert all("cap_intensity" in e.advice for e in flagged)
