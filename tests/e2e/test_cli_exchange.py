"""Export and import through the real command line: exact round trips, all-or-nothing."""

from __future__ import annotations

import json
import sqlite3

from tests.e2e.conftest import Cli


def _strip(doc):
    doc = dict(doc)
    doc.pop("exported_at")
    return doc


def _fill(cli: Cli) -> None:
    cli("athlete", "--unit", "lb", "--body-mass", "185lb")
    cli("log", "squat", "225", "x5", "@8", "--v", "0.61,0.60,0.58,0.57,0.55", "--tag", "belt")
    cli("log", "bench", "102.5kg", "x3", "--rir", "2", "--kind", "primer", "--rest", "240")
    cli("exercises", "add", "Zercher Squat", "--alias", "zs", "--mvt", "0.3")
    cli("log", "zs", "135", "x8", "--note", "new toy")


def test_export_import_round_trips_exactly(cli, tmp_path):
    _fill(cli)
    first = cli("export", "--format", "json").json()
    assert first["format"] == "replog"
    out = tmp_path / "log.json"
    cli("export", "-o", str(out))
    assert _strip(json.loads(out.read_text())) == _strip(first)

    fresh = Cli(tmp_path / "fresh.db")
    report = fresh("import", str(out), "--json").json()
    assert report["sessions"]["created"] == 1
    assert report["sets"]["created"] == 3
    assert _strip(fresh("export").json()) == _strip(first)
    # the same file again: nothing changes (retries are safe)
    again = fresh("import", str(out), "--json").json()
    assert again["sessions"]["created"] == 0
    assert again["sessions"]["replaced"] == 1
    assert _strip(fresh("export").json()) == _strip(first)
    (s,) = [x for x in fresh("show", "--json").json()["session"]["sets"] if x["position"] == 1]
    assert (s["load"]["value"], s["load"]["unit"], s["load"]["kg"]) == ("225", "lb", 102.058)


def _count_sets(db) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0]


def test_a_malformed_file_says_where_and_writes_nothing(cli, tmp_path):
    _fill(cli)
    doc = cli("export").json()
    target = Cli(tmp_path / "target.db")
    target("log", "deadlift", "180", "x3")
    before = _count_sets(target.db)

    bad = json.loads(json.dumps(doc))
    bad["athletes"][0]["sessions"][0]["sets"][2]["rpe"] = 12
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, indent=1))
    err = target.fails("import", str(path)).err
    assert "athletes[0].sessions[0].sets[2].rpe" in err
    assert "between 1 and 10" in err
    lines = path.read_text().splitlines()
    rpe_line = next(i for i, line in enumerate(lines, 1) if '"rpe": 12' in line)
    assert f"line {rpe_line}," in err
    assert _count_sets(target.db) == before

    bad = json.loads(json.dumps(doc))
    bad["athletes"][0]["sessions"][0]["sets"][1]["exercise"] = "underwater-basket"
    path.write_text(json.dumps(bad))
    assert "sets[1].exercise" in target.fails("import", str(path)).err
    assert _count_sets(target.db) == before

    text = json.dumps(doc, indent=1).splitlines()
    text[7] = text[7] + ","  # a stray comma on line 8
    path.write_text("\n".join(text))
    err = target.fails("import", str(path)).err
    assert "line 8" in err or "line 9" in err
    assert _count_sets(target.db) == before


def test_import_refuses_other_files_clearly(cli, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    assert "not a RepLog export" in cli.fails("import", str(path)).err
    path.write_text('{"format": "replog", "version": 1, "athletes": [{"id": "x"}]}')
    assert "athletes[0].id" in cli.fails("import", str(path)).err
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert "UTF-8" in cli.fails("import", str(path)).err
    assert "no such file" in cli.fails("import", str(tmp_path / "missing.json")).err
    path.write_text('{"format": "replog", "version": 1, "athletes": [{"load": Infinity}]}')
    assert "Infinity" in cli.fails("import", str(path)).err


FORMULA = "=cmd|' /C calc'!A0"


def test_a_formula_in_a_note_is_text_in_every_csv_and_comes_back_as_typed(cli, tmp_path):
    """Issue 20, item 4: a note a spreadsheet would run is written as text (a leading ')
    in the sets, reps and Strong-style CSVs, and imports back as it was typed."""
    import csv
    import io

    cli("log", "squat", "100kg", "x5", "@8", "--note", FORMULA, "--tag", "+1 belt")  # tag: sets-csv
    cli("log", "squat", "100kg", "x5", "@8", "--note", "-2.5 kg next time")
    for fmt, column in (("sets-csv", "notes"), ("reps-csv", None), ("strong", "Notes")):
        text = cli("export", "--format", fmt).out
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert FORMULA not in cells, fmt
        assert not any(c.startswith(("=", "+", "@")) for c in cells), fmt
        if column is not None:
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows[0][column] == "'" + FORMULA
            assert rows[1][column] == "'-2.5 kg next time"  # text, though it starts as a number
    strong = tmp_path / "strong.csv"
    cli("export", "--format", "strong", "-o", str(strong))
    fresh = Cli(tmp_path / "fresh.db")
    fresh("import", str(strong), "--format", "strong")
    notes = [s["notes"] for s in fresh("show", "--json").json()["session"]["sets"]]
    assert notes == [FORMULA, "-2.5 kg next time"]
