"""`replog import` and `replog export` through the real command line, on the real exports of
other apps (../shared/data; skipped without it) and on small files written here.

The expected figures per real file were counted from the files with plain `csv`/the FIT SDK,
independently of the readers (see each reader's own test for how); here they are checked
after the whole path: detection, reading, mapping, the transaction, and the summary.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
IMPORTS = DATA / "imports"

# file -> (format, sessions, sets, first day, last day, volume kg, rows passed over)
REAL = {
    "strong/strong_semicolon_quoted_units_in_header.csv": (
        "strong", 2, 14, "2019-03-28", "2019-03-31", 10450.0, 0,
    ),
    "strong/strong_comma_no_duration.csv": (
        "strong", 1, 9, "2019-02-14", "2019-02-14", 497.16, 0,
    ),
    "hevy/hevy_kg.csv": ("hevy", 409, 8614, "2024-08-24", "2026-04-07", 3284589.86, 36),
    "hevy/hevy_lbs.csv": ("hevy", 32, 681, "2024-07-24", "2024-09-12", 242948.868, 0),
    "fitnotes/fitnotes_unit_column.csv": (
        "fitnotes", 78, 1624, "2025-04-29", "2025-09-16", 256297.5, 0,
    ),
    "liftosaur/liftosaur_example.csv": (
        "liftosaur", 3, 34, "2025-05-15", "2025-05-20", 5300.234, 0,
    ),
    # Counted with csv.DictReader: a set is a row with Completed Reps; its load the
    # Completed Weight, else the Required one (4 rows), 7 rows in lb; the 1,228 rows with no
    # Completed Reps were planned and never done.
    "liftosaur/liftosaur_not_done_rows.csv": (
        "liftosaur", 189, 3622, "2025-04-09", "2026-06-29", 1833847.9, 1228,
    ),
    # Strong, counted with csv.DictReader (see test_strong_headers_in_any_form below).
    "strong/strong_2016_kg_km_header.csv": (
        "strong", 91, 1566, "2016-10-03", "2017-10-30", 268776.31, 69,
    ),
    "strong/strong_french_headers.csv": (
        "strong", 25, 511, "2023-08-16", "2023-10-14", 177424.5, 22,
    ),
    "fit/garmin_20474406937.fit": ("fit", 1, 38, "2025-09-23", "2025-09-23", 572.0, 0),
    "fit/garmin_20548472357.fit": ("fit", 0, 0, None, None, 0.0, 0),
    "fit/garmin_20555050352.fit": ("fit", 2, 19, "2025-10-01", "2025-10-01", 500.0, 1),
    "fit/garmin_20744294788.fit": ("fit", 1, 41, "2025-10-20", "2025-10-20", 7961.0, 0),
    "fit/garmin_20748058539.fit": ("fit", 1, 13, "2025-10-20", "2025-10-20", 336.0, 1),
}  # fmt: skip

needs_data = pytest.mark.skipif(not IMPORTS.is_dir(), reason="needs ../shared/data")


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


@needs_data
@pytest.mark.parametrize("rel", sorted(REAL))
def test_every_real_file_imports_with_the_expected_counts_and_only_once(
    rel: str, tmp_path: Path
) -> None:
    fmt, sessions, sets, first, last, volume, passed = REAL[rel]
    cli = Cli(tmp_path / "r.db")
    path = str(IMPORTS / rel)
    preview = cli("import", path, "--tz", "UTC", "--dry-run", "--json").json()
    assert preview["dry_run"] is True
    assert _count(cli.db, "sets") == 0  # a preview writes nothing
    doc = cli("import", path, "--tz", "UTC", "--json").json()
    assert doc["format"] == fmt
    assert doc["sessions"]["created"] == sessions == preview["sessions"]["created"]
    assert doc["sets"]["created"] == sets == preview["sets"]["created"]
    assert (doc["first_day"], doc["last_day"]) == (first, last)
    assert doc["volume_kg"] == pytest.approx(volume, abs=1.0)
    assert doc["rows_skipped"] == passed
    assert doc["rows_rejected"] == []  # every row of these real files reads
    assert _count(cli.db, "sets") == sets
    assert _count(cli.db, "set_origins") == sets  # every set keeps its source row
    again = cli("import", path, "--tz", "UTC", "--json").json()
    assert again["sessions"] == {"created": 0, "skipped": sessions, "replaced": 0}
    assert again["sets"]["created"] == 0
    assert _count(cli.db, "sets") == sets


@needs_data
def test_the_malformed_strong_file_is_refused_with_its_line_and_nothing_written(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "r.db")
    err = cli.fails("import", str(IMPORTS / "strong" / "strong_malformed.csv")).err
    # Line 2 stops after 4 of 13 fields; line 3 opens a quote the file never closes.
    assert "strong_malformed.csv, line 3" in err
    assert "quote" in err
    assert _count(cli.db, "sets") == 0


@needs_data
def test_openbarbell_device_data_brings_its_rep_velocities(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    doc = cli("import", str(DATA / "velocity" / "openbarbell_device_reps.json"), "--json").json()
    assert doc["format"] == "openbarbell"
    assert (doc["sessions"]["created"], doc["sets"]["created"]) == (12, 59)
    assert any("Infinity" in w or "inf" in w.lower() for w in doc["warnings"])
    assert _count(cli.db, "reps") == 159


@needs_data
def test_hevy_summary_names_what_it_could_not_map_and_how(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    out = cli("import", str(IMPORTS / "hevy" / "hevy_lbs.csv"), "--dry-run").out
    assert "Would create 32 sessions, 681 sets" in out
    assert "Not in RepLog's catalogue" in out
    assert "--map" in out
    assert "Dry run: nothing was written." in out
    doc = cli("import", str(IMPORTS / "hevy" / "hevy_lbs.csv"), "--json").json()
    assert doc["mapped"]["Squat (Barbell)"] == "back-squat"
    assert doc["mapped"]["Bench Press (Dumbbell)"] == "dumbbell-bench-press"
    names = {u["name"]: u for u in doc["unmapped"]}
    assert "Pull Up (Assisted)" in names  # assisted: the load is help, never a pull-up
    assert doc["sets"]["unmapped"] == sum(u["sets"] for u in doc["unmapped"])


STRONG = """Date;Workout Name;Duration;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;\
Distance;Distance Unit;Seconds;Notes;Workout Notes
2024-05-02 18:00:00;Heavy;1h 5m;Squat (Barbell);W;60;kg;5;;;;;;
2024-05-02 18:00:00;Heavy;1h 5m;Squat (Barbell);1;140;kg;3;8;;;;;
2024-05-02 18:00:00;Heavy;1h 5m;Squat (Barbell);Rest Timer;;;;;;;180;;
2024-05-02 18:00:00;Heavy;1h 5m;Squat (Barbell);2;140;kg;3;8.5;;;;;
2024-05-02 18:00:00;Heavy;1h 5m;Hack Squat (Smith Machine);1;100;kg;8;;;;;;
"""


def test_map_files_an_app_name_under_a_lift_and_exports_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "strong.csv"
    path.write_text(STRONG)
    cli = Cli(tmp_path / "r.db")
    doc = cli(
        "import", str(path), "--tz", "Europe/Madrid", "--map",
        "Hack Squat (Smith Machine)=hack-squat", "--json",
    ).json()  # fmt: skip
    assert doc["sets"] == {"created": 4, "skipped": 0, "unmapped": 0}
    assert doc["mapped"]["Hack Squat (Smith Machine)"] == "hack-squat"
    assert doc["skipped_reasons"] == {"rest timer": 1}
    session = cli("show", "--json").json()["session"]
    kinds = [s["kind"] for s in session["sets"]]
    assert kinds == ["warmup", "working", "working", "working"]
    assert session["started_at"] == "2024-05-02T16:00:00+00:00"  # 18:00 in Madrid (CEST)

    # JSON carries the provenance; a fresh database gets back exactly the same document
    first = cli("export").json()
    origins = first["athletes"][0]["origins"]
    assert len(origins) == 4
    assert {o["line"] for o in origins} == {2, 3, 5, 6}
    assert "Hack Squat (Smith Machine)" in origins[-1]["row"] or any(
        "Hack Squat" in o["row"] for o in origins
    )
    out = tmp_path / "log.json"
    cli("export", "-o", str(out))
    fresh = Cli(tmp_path / "fresh.db")
    fresh("import", str(out), "--json")
    second = fresh("export").json()
    first.pop("exported_at"), second.pop("exported_at")
    assert second == first

    # a Strong-style CSV goes back in as the same sets
    back = tmp_path / "back.csv"
    cli("export", "--format", "strong", "--tz", "Europe/Madrid", "-o", str(back))
    assert back.read_text().splitlines()[1].startswith("2024-05-02 18:00:00,Heavy,")
    other = Cli(tmp_path / "other.db")
    again = other("import", str(back), "--tz", "Europe/Madrid", "--json").json()
    assert again["format"] == "strong"
    assert again["sets"]["created"] == 4
    assert again["volume_kg"] == pytest.approx(doc["volume_kg"])
    assert set(again["mapped"].values()) == {"back-squat", "hack-squat"}
    assert other("show", "--json").json()["session"]["started_at"] == session["started_at"]


def test_set_and_rep_csv_exports(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    cli("log", "squat", "100kg", "x3", "--v", "0.6,0.55,0.5")
    sets = cli("export", "--format", "sets-csv").out.splitlines()
    assert sets[0].startswith("athlete,session_id,")
    assert len(sets) == 2
    reps = cli("export", "--format", "reps-csv").out.splitlines()
    assert len(reps) == 4  # header and three reps
    path = tmp_path / "reps.csv"
    cli("export", "--format", "reps-csv", "-o", str(path))
    fresh = Cli(tmp_path / "fresh.db")
    doc = fresh("import", str(path), "--json").json()
    assert doc["format"] == "velocity-csv"
    assert doc["sets"]["created"] == 1
    shown = fresh("show", "--json").json()["session"]["sets"][0]
    assert [r["mcv"] for r in shown["rep_data"]] == [0.6, 0.55, 0.5]


def test_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    assert "cannot tell which app" in cli.fails("import", str(path)).err
    path.write_text(STRONG.replace(";140;", ";14O;", 1))
    err = cli.fails("import", str(path), "--strict").err
    assert "x.csv, line 3, Weight (column 6)" in err
    assert "14O" in err
    assert "without strict" in err
    assert _count(cli.db, "sets") == 0
    err = cli.fails("import", str(path), "--format", "nope").err
    assert "unknown format" in err
    err = cli.fails("import", str(path), "--map", "nonsense").err
    assert "--map" in err
    assert "unknown time zone" in cli.fails("import", str(path), "--tz", "Mars/Olympus").err


def test_one_bad_row_is_left_out_listed_and_the_rest_imports(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    path = tmp_path / "x.csv"
    # line 3's weight is a typo (letter O); line 5's reps are beyond any set (the model's
    # limit is 200): both are left out, the other two sets import in one go (line 4 is a
    # rest timer).
    bad = STRONG.replace(";140;", ";14O;", 1).replace(";140;kg;3;8.5", ";140;kg;303;8.5")
    path.write_text(bad)
    out = cli("import", str(path), "--tz", "UTC").out
    assert "Left out 2 rows that cannot be read" in out
    assert "line 3, Weight (column 6): '14O': expected a number" in out
    assert "line 5, Reps (column 8): '303': reps must be 0 to 200" in out
    doc = cli("import", str(path), "--tz", "UTC", "--json").json()  # again: nothing new
    assert (doc["sets"]["created"], doc["sets"]["skipped"]) == (0, 2)
    assert [(r["line"], r["value"]) for r in doc["rows_rejected"]] == [(3, "14O"), (5, "303")]
    assert _count(cli.db, "sets") == 2


def test_a_set_with_many_reps_imports_with_a_warning(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    path = tmp_path / "x.csv"
    path.write_text(STRONG.replace(";60;kg;5;", ";20;kg;150;", 1))
    doc = cli("import", str(path), "--tz", "UTC", "--json").json()
    assert doc["sets"]["created"] == 4
    assert doc["rows_rejected"] == []
    assert any("more than 100 reps" in w and "line 2: 150" in w for w in doc["warnings"])


def _strong_reading(
    path: Path, date: str, workout: str, order: str, weight: str, reps: str
) -> tuple[int, int, str, str, float, int]:
    """Workouts, sets, days and volume of a Strong file read with plain csv: a set is a row
    with reps that is not a rest timer; its weight as written (kg in these files)."""
    import csv
    from decimal import Decimal

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sets = [r for r in rows if "rest" not in r[order].lower() and float(r[reps] or 0) > 0]
    days = sorted(r[date][:10] for r in sets)
    volume = sum(Decimal(r[weight] or 0) * int(float(r[reps])) for r in sets)
    workouts = {(r[date], r[workout]) for r in sets}
    return len(workouts), len(sets), days[0], days[-1], float(volume), len(rows) - len(sets)


@needs_data
@pytest.mark.parametrize(
    ("rel", "columns"),
    [
        ("strong_2016_kg_km_header.csv", ("Date", "Workout Name", "Set Order", "kg", "Reps")),
        (
            "strong_french_headers.csv",
            ("Date", "Nom de l'entraînement", "Ordre de la série", "Poids", "Réps"),
        ),
    ],
)
def test_strong_headers_in_any_form(rel: str, columns: tuple[str, ...], tmp_path: Path) -> None:
    path = IMPORTS / "strong" / rel
    workouts, sets, first, last, volume, passed = _strong_reading(path, *columns)
    doc = Cli(tmp_path / "r.db")("import", str(path), "--tz", "UTC", "--json").json()
    assert doc["format"] == "strong"
    assert (doc["sessions"]["created"], doc["sets"]["created"]) == (workouts, sets)
    assert (doc["first_day"], doc["last_day"]) == (first, last)
    assert doc["volume_kg"] == pytest.approx(volume, abs=0.01)
    assert doc["rows_skipped"] == passed
    assert REAL[f"strong/{rel}"][1:] == (workouts, sets, first, last, volume, passed)


def _pounds_volume(path: Path) -> tuple[int, float]:
    """Sets and volume (lb) of a Strong file read with plain csv: every row with reps is a
    set, its Weight in pounds (the file says "a 135 is 135 lb", SOURCES.md)."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Reps"] and float(r["Reps"]) > 0]
    return len(rows), sum(float(r["Weight"]) * float(r["Reps"]) for r in rows)


@needs_data
def test_a_pound_file_with_no_unit_is_read_in_the_lifters_unit_or_the_one_given(
    tmp_path: Path,
) -> None:
    path = IMPORTS / "strong" / "strong_lb_no_unit.csv"
    sets, pounds = _pounds_volume(path)
    kg = pounds * 0.45359237
    cli = Cli(tmp_path / "r.db")
    # a new lifter's unit is kg: the preview says so, how to change it, and that the
    # numbers look like pounds
    text = cli("import", str(path), "--dry-run").out
    assert "48 loads with no unit in the file read as kg (your unit" in text
    assert "look like lb" in text
    assert "--unit lb" in text
    # --unit lb reads them as pounds, exactly as written
    doc = cli("import", str(path), "--unit", "lb", "--dry-run", "--json").json()
    assert doc["unit_note"].startswith("48 loads with no unit in the file read as lb (as asked)")
    assert doc["sets"]["created"] == sets
    assert doc["volume_kg"] == pytest.approx(kg, abs=1.0)
    assert not any("look like" in w for w in doc["warnings"])
    # a pound lifter's own unit does the same without the option
    cli("athlete", "--unit", "lb")
    done = cli("import", str(path), "--json").json()
    assert done["volume_kg"] == pytest.approx(kg, abs=1.0)
    assert "your unit" in done["unit_note"]
    shown = cli("history", "squat").out
    assert "lb" in shown
    assert "kg" not in shown.split("\n", 1)[1]  # every load in pounds, none converted


def test_a_unit_that_is_not_kg_or_lb_is_refused(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db")
    f = tmp_path / "s.csv"
    f.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n"
                 "2024-01-02 10:00:00,A,Squat (Barbell),1,100,5\n")  # fmt: skip
    err = cli.fails("import", str(f), "--unit", "stone").err
    assert "--unit takes kg or lb, got 'stone'" in err
    assert _count(cli.db, "sets") == 0


def test_a_file_that_trips_a_reader_is_an_error_about_the_file_not_a_traceback(
    tmp_path: Path,
) -> None:
    # a RepLog JSON whose athletes is a number: the reader was never meant to see it
    cli = Cli(tmp_path / "r.db")
    path = tmp_path / "odd.json"
    path.write_text('{"format": "replog", "version": 1, "athletes": 7}')
    err = cli.fails("import", str(path)).err
    assert "odd.json" in err
    assert "Traceback" not in err
