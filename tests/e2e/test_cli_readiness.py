"""``replog checkin``, ``readiness``, ``load``, ``sleep import`` and the ``today`` block of
``replog pap`` through the real command line."""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest

from tests.e2e.conftest import Cli

DAY = "2024-03-01"
BAD_NOTE = "rough night, slept badly"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo athlete in one database shared by the module, with its bad and normal days."""
    cli = Cli(tmp_path_factory.mktemp("readiness") / "replog.db")
    cli("demo")
    (athlete,) = cli("--athlete", "demo", "export").json()["athletes"]
    days = [(local_day(s["started_at"]), s["notes"]) for s in athlete["sessions"]]
    first = min(d for d, _ in days)
    settled = [(d, n) for d, n in days if (d - first).days >= 21]  # enough history behind it
    bad = max(d for d, n in settled if n == BAD_NOTE)
    normal = max(d for d, n in settled if n == "" and d < bad)
    return cli, bad.isoformat(), normal.isoformat()


def local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone().date()  # as the CLI reads it


def readiness(cli: Cli, day: str, *who: str) -> dict:
    return cli(*who, "readiness", "--day", day, "--json").json()


def test_checkin_creates_the_athlete_scores_the_day_and_edits_in_place(cli):
    out = cli("checkin", "--sleep", "6.5", "--quality", "3", "--stress", "4").out
    day = re.search(r"check-in for (\d{4}-\d{2}-\d{2}): sleep 6\.5 h", out)[1]
    assert re.search(r"battery \d+/100: ", out)
    doc = readiness(cli, day)
    assert (doc["athlete"], doc["day"], doc["unit"]) == ("me", day, "kg")
    c = doc["checkin"]
    assert (c["sleep_h"], c["sleep_quality"], c["stress"], c["soreness"]) == (6.5, 3, 4, None)
    b = doc["battery"]
    sleep = next(p for p in b["parts"] if p["name"] == "sleep")
    assert "sleep 6.5 h" in sleep["text"]
    assert sleep["points"] < 0  # short of 7 h
    assert b["confidence"] == "partial"
    assert any("warm-up" in m for m in b["missing"])
    assert abs(b["score"] - (100 + sum(p["points"] for p in b["parts"]))) <= 0.5
    assert b["advice"]["level"] in {"go", "steady", "easy", "rest"}
    assert doc["warmup"] is None
    assert doc["plan"] == []
    assert len(doc["trend"]["days"]) == 8  # the day and the 7 before: the series shown
    assert doc["trend"]["days"][-1] == {"day": day, "score": b["score"]}

    edited = cli("checkin", "--soreness", "2", "--day", day, "--json").json()
    assert edited["checkin"]["soreness"] == 2
    assert edited["checkin"]["sleep_h"] == 6.5
    c = readiness(cli, day)["checkin"]
    assert (c["sleep_h"], c["sleep_quality"], c["stress"], c["soreness"]) == (6.5, 3, 4, 2)


def test_impossible_checkins_are_refused_and_write_nothing(cli):
    err = cli.fails("checkin", "--sleep", "30", "--day", DAY).err
    assert err.startswith("error: sleep_h: ")
    assert err.count("\n") == 1
    assert "nothing logged yet" in cli.fails("readiness", "--json").err  # not even the athlete

    cli("checkin", "--sleep", "7", "--stress", "2", "--day", DAY)
    for args, field in (
        (("--stress", "9"), "stress"),
        (("--hrv", "0"), "hrv_ms"),
        (("--quality", "0"), "sleep_quality"),
        ((), "checkin"),
    ):
        err = cli.fails("checkin", *args, "--day", DAY).err
        assert err.startswith(f"error: {field}: "), err
        assert err.count("\n") == 1, err
    assert "error: stress: " in cli.fails("checkin", "--stress", "9", "--day", "2024-03-02").err
    assert "future" in cli.fails("checkin", "--sleep", "7", "--day", "2999-01-01").err
    assert "YYYY-MM-DD" in cli.fails("checkin", "--sleep", "7", "--day", "1/3/2024", code=2).err

    c = readiness(cli, DAY)["checkin"]
    assert (c["sleep_h"], c["stress"], c["hrv_ms"], c["sleep_quality"]) == (7.0, 2, None, None)
    assert readiness(cli, "2024-03-02")["checkin"] is None


def test_more_sleep_never_lowers_the_battery(cli):
    same = ("--quality", "3", "--stress", "3", "--soreness", "3", "--day", DAY, "--json")
    short = cli("--athlete", "a", "checkin", "--sleep", "5", *same).json()["battery"]
    long = cli("--athlete", "b", "checkin", "--sleep", "8", *same).json()["battery"]
    assert long["score"] > short["score"]
    points = [next(p["points"] for p in b["parts"] if p["name"] == "sleep") for b in (short, long)]
    assert points[0] < points[1] == 0


def test_no_data_is_no_reading_in_words_and_in_json(cli):
    """Issue 19: with nothing to read, ``readiness`` said "battery 100/100 (go)" over a
    week of 100s. Now: no reading yet, what would give one, and no figure for any day."""
    out = cli("checkin", "--note", "first day", "--day", DAY).out
    assert "battery: no reading yet" in out
    assert "would give a reading: a check-in" in out
    text = cli("readiness", "--day", DAY).out
    assert text.startswith(f"me, {DAY}: no reading yet\n")
    assert "100" not in text
    assert "go for it" not in text
    assert "would give a reading: a check-in" in text
    assert "warm-up set with bar velocity at your anchor load" in text
    assert "a week of logged training" in text
    assert "last 7 days: - - - - - - - -> no reading (no trend: no reading yet)" in text
    b = readiness(cli, DAY)["battery"]
    assert (b["reading"], b["score"], b["confidence"]) == (False, None, "none")
    assert b["advice"]["level"] == "none"
    assert len(b["needs"]) == 3


def test_only_the_fields_given_are_saved_and_scored(cli):
    doc = cli("checkin", "--stress", "4", "--day", DAY, "--json").json()
    c = doc["checkin"]
    assert (c["stress"], c["sleep_h"], c["sleep_quality"], c["soreness"]) == (4, None, None, None)
    assert [p["name"] for p in doc["battery"]["parts"]] == ["stress"]
    assert doc["battery"]["score"] == 94


CLIMB = ((7, "4"), (6, "4.5"), (5, "5"), (4, "5.5"), (3, "6"), (2, "6"), (1, "6"))


def test_the_trend_is_read_from_the_figures_shown_94_then_67_falls(cli):
    """Issue 19: "last 7 days: ... 94 94 -> 67 (rising)". The line shows the document's
    series, and the trend is read from exactly that series."""
    day = date.fromisoformat(DAY)
    for back, hours in CLIMB:
        cli("checkin", "--sleep", hours, "--day", (day - timedelta(back)).isoformat())
    cli("checkin", "--sleep", "6.5", "--quality", "2", "--stress", "5", "--soreness", "5",
        "--day", DAY)  # fmt: skip
    doc = readiness(cli, DAY)
    scores = [d["score"] for d in doc["trend"]["days"]]
    assert scores == [70, 76, 82, 88, 94, 94, 94, 67]
    assert doc["trend"]["direction"] == "falling"
    text = cli("readiness", "--day", DAY).out
    line = next(x for x in text.splitlines() if x.startswith("last 7 days:"))
    assert line == (
        "last 7 days: 70 76 82 88 94 94 94 -> 67 (falling: 67 is 27 under the reading before (94))"
    )
    # the text is the JSON document in words: one document, two renderings
    b = doc["battery"]
    assert text.startswith(f"me, {DAY}: {b['headline']}\n")
    assert b["headline"] == "battery 67/100 (steady)"
    assert all(f"  {p['text']}\n" in text for p in b["parts"])
    assert all(f"  - {m}\n" in text for m in b["missing"])
    assert f"today: {b['advice']['text']}\n" in text
    assert f"({doc['trend']['text']})" in text


def test_demo_bad_day_drains_the_battery_and_cuts_the_plan(demo):
    cli, bad_day, normal_day = demo
    bad = readiness(cli, bad_day, "--athlete", "demo")
    normal = readiness(cli, normal_day, "--athlete", "demo")
    assert bad["checkin"]["sleep_h"] < normal["checkin"]["sleep_h"]
    assert bad["battery"]["score"] < normal["battery"]["score"]
    assert bad["battery"]["confidence"] == normal["battery"]["confidence"] == "full"

    advice = bad["battery"]["advice"]
    assert advice["level"] in {"easy", "rest"}
    assert advice["load_change_pct"] < 0
    assert advice["skip_primer"]
    assert bad["plan"]
    assert any(p["load"] < p["last_load"] for p in bad["plan"])
    for p in bad["plan"]:  # the advised cut, rounded down to 2.5 kg plates
        target = p["last_load"] * (1 + advice["load_change_pct"] / 100)
        assert p["load"] == pytest.approx(math.floor(target / 2.5 + 1e-9) * 2.5)
        assert (p["rpe_cap"], p["primer"]) == (advice["rpe_cap"], False)

    assert normal["battery"]["advice"]["level"] == "go"
    assert normal["plan"]
    assert all(p["load"] == p["last_load"] and p["primer"] for p in normal["plan"])
    assert all(p["last_day"] <= normal_day for p in normal["plan"])  # that day's sets count

    out = cli("--athlete", "demo", "readiness", "--day", bad_day).out
    assert f"({advice['level']})" in out
    assert "was " in out  # a lift whose load came down


def test_load_on_the_demo(demo):
    cli = demo[0]
    doc = cli("--athlete", "demo", "load", "--json").json()
    assert doc["athlete"] == "demo"
    days = doc["days"]
    assert len(days) == 14
    assert all(d["srpe"] >= 0 and d["volume_kg"] >= 0 for d in days)
    assert any(d["srpe"] > 0 for d in days)
    day0 = date.fromisoformat(doc["day"])
    assert [d["day"] for d in days] == [(day0 - timedelta(14 - i)).isoformat() for i in range(14)]
    assert doc["weekly_srpe"] == pytest.approx(sum(d["srpe"] for d in days[-7:]), abs=0.5)
    assert isinstance(doc["acwr"], float)
    assert doc["acwr"] > 0
    assert isinstance(doc["monotony"], float)
    assert doc["monotony"] > 0
    assert doc["banister"]["why"].strip()
    assert doc["banister"]["exercise"]
    short = cli("--athlete", "demo", "load", "--days", "3", "--json").json()
    assert short["days"] == days[-3:]
    cli.fails("--athlete", "demo", "load", "--days", "0", code=2)


def test_pap_plan_has_todays_battery(demo):
    cli = demo[0]
    plan = cli("--athlete", "demo", "pap", "squat", "--json").json()["plan"]
    today = plan["today"]
    assert 0 <= today["battery"] <= 100
    assert today["level"] in {"go", "steady", "easy", "rest"}
    assert today["working_load"] <= plan["working"]["load"]
    assert today["why"]
    if today["level"] == "go":
        assert today["working_load"] == plan["working"]["load"]
        assert not today["skip_primer"]
    now = cli("--athlete", "demo", "readiness", "--json").json()["battery"]
    assert today["battery"] == now["score"]
    assert today["level"] == now["advice"]["level"]


def test_sleep_csv_import_is_idempotent_and_keeps_typed_sleep(cli, tmp_path):
    csv = tmp_path / "sleep.csv"
    csv.write_text("date,sleep_h,quality\n2024-03-01,7.5,4\n2024-03-02,6,3\n2024-03-03,8.25,5\n")
    first = cli("sleep", "import", str(csv), "--json").json()
    assert (first["nights"], first["added"], first["updated"], first["kept"]) == (3, 3, 0, 0)
    assert (first["first"], first["last"]) == ("2024-03-01", "2024-03-03")
    again = cli("sleep", "import", str(csv), "--json").json()
    assert (again["added"], again["updated"], again["kept"]) == (0, 0, 0)
    c = readiness(cli, "2024-03-02")["checkin"]
    assert (c["sleep_h"], c["sleep_quality"]) == (6.0, 3)

    cli("checkin", "--sleep", "5", "--stress", "2", "--day", "2024-03-04")
    late = tmp_path / "late.csv"
    late.write_text("date,sleep_h\n2024-03-04,7.25\n")
    kept = cli("sleep", "import", str(late), "--json").json()
    assert (kept["added"], kept["updated"], kept["kept"]) == (0, 0, 1)
    assert readiness(cli, "2024-03-04")["checkin"]["sleep_h"] == 5.0
    replaced = cli("sleep", "import", str(late), "--overwrite", "--json").json()
    assert (replaced["added"], replaced["updated"], replaced["kept"]) == (0, 1, 0)
    c = readiness(cli, "2024-03-04")["checkin"]
    assert (c["sleep_h"], c["stress"]) == (7.25, 2)


def test_malformed_sleep_csv_imports_nothing(cli, tmp_path):
    cli("checkin", "--stress", "3", "--day", "2024-03-10")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,sleep_h,quality\n2024-03-01,7.5,4\n2024-03-02,abc,3\n")
    err = cli.fails("sleep", "import", str(bad)).err
    assert "line 3, sleep_h: " in err
    assert "'abc'" in err
    assert err.count("\n") == 1
    assert readiness(cli, "2024-03-01")["checkin"] is None
    cli.fails("sleep", "import", str(tmp_path / "missing.csv"), code=2)


APPLE = """<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_GB">
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Watch" unit="count"
  startDate="2024-03-01 20:00:00 +0100" endDate="2024-03-01 20:10:00 +0100" value="500"/>
{records}
</HealthData>
"""
SLEEP = (
    ("iPhone", "22:45", "06:45", "InBed"),
    ("Watch", "23:00", "02:00", "AsleepCore"),
    ("Watch", "02:00", "02:30", "Awake"),
    ("Watch", "02:30", "06:30", "AsleepREM"),
    ("iPhone", "23:30", "01:30", "AsleepUnspecified"),  # inside the watch's: counts once
)


def test_apple_health_export_imports_the_union_of_asleep_time(cli, tmp_path):
    def when(clock: str) -> str:
        return f"2024-03-0{1 if clock >= '12' else 2} {clock}:00 +0100"

    records = "\n".join(
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{src}" '
        f'startDate="{when(a)}" endDate="{when(b)}" value="HKCategoryValueSleepAnalysis{v}"/>'
        for src, a, b, v in SLEEP
    )
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as z:
        z.writestr("apple_health_export/export.xml", APPLE.format(records=records))
    doc = cli("sleep", "import", str(export), "--json").json()
    assert (doc["nights"], doc["added"], doc["first"], doc["last"]) == (
        1,
        1,
        "2024-03-02",
        "2024-03-02",
    )
    c = readiness(cli, "2024-03-02")["checkin"]
    assert c["sleep_h"] == 7.0  # 23:00-02:00 and 02:30-06:30; not 9 h, not the 8 h in bed
    assert readiness(cli, "2024-03-01")["checkin"] is None
