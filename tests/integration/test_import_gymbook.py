"""GymBook CSV import: Italian and English exports (and a header in another language read by
position), set kinds, skipped, timed and cardio rows, malformed rows; the real Italian
export through the reader, the import and the CLI."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replog.core.exercises import Equipment
from replog.core.model import SetKind
from replog.core.units import Load, Unit
from replog.io.formats import detect, read_source
from replog.io.gymbook import read_gymbook
from replog.services.importing import import_source
from replog.services.ports import UnitOfWork
from tests.support import for_name

ROME = ZoneInfo("Europe/Rome")
REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "imports" / "gymbook"
REAL_FILE = REAL / "gymbook_italian.csv"

IT_HEADER = (
    "Data,Programma,Orario,Esercizio,Zona,Gruppi muscolari (Primari),Gruppi muscolari "
    "(Secondari),Set / Set di riscaldamento / Set di defaticamento,Ripetizioni / Tempo,"
    "Peso / Distanza,Appunti,Saltato\n"
)
EN_HEADER = (
    "Date,Workout,Time,Exercise,Region,Muscle groups (Primary),Muscle groups (Secondary),"
    "Set / Warm-up Set / Cool-down Set,Reps / Time,Weight / Distance,Notes,Skipped\n"
)

# Two routines on one day and a free workout; a warm-up, a skipped set, a plank (a time), a
# treadmill walk (a time and a distance), a cool-down set, a body-weight set.
ITALIAN = IT_HEADER + (
    '19/12/24,"AltoScheda Giorno 3",18:40,"Squat con Bilanciere",Gambe,"Quadricipite",'
    '"Adduttori",Set di riscaldamento,"10 ripetizioni","20,00 kg",,No\n'
    '19/12/24,"AltoScheda Giorno 3",18:44,"Squat con Bilanciere",Gambe,"Quadricipite",'
    '"Adduttori",Set,"8 ripetizioni","62,50 kg","buona, lenta",No\n'
    '19/12/24,"AltoScheda Giorno 3",18:47,"Squat con Bilanciere",Gambe,"Quadricipite",'
    '"Adduttori",Set,"8 ripetizioni","62,50 kg",,Sì\n'
    '19/12/24,"AltoScheda Giorno 3",18:50,"Planks",Addome,"Addominali",,Set,"60 secondi",'
    '"0,00 kg",,No\n'
    '19/12/24,"AltoScheda Giorno 4",19:42,"Crunches",Addome,"Addominali","Obliqui",Set,'
    '"20 ripetizioni","0,00 kg",,No\n'
    '19/12/24,"AltoScheda Giorno 4",19:55,"Walking su Tapis Roulant",Cardio,"Polpacci",,'
    'Set di defaticamento,"14 minuti","1,00 km",,No\n'
    '19/12/24,"AltoScheda Giorno 4",19:58,"Curls con Manubri",Braccia,"Flessori del braccio",,'
    'Set di defaticamento,"12 ripetizioni","8,00 kg",,Si\n'
    '19/12/24,"AltoScheda Giorno 4",19:59,"Curls con Manubri",Braccia,"Flessori del braccio",,'
    'Set di defaticamento,"12 ripetizioni","8,00 kg",,No\n'
    '05/05/23,,20:45,"Piegamenti",Torace,"Pettorali",,Set,"4 ripetizioni","0,00 kg",,No\n'
)

# US dates (month first), a 12-hour clock, pounds with a thousands separator, Yes/No.
ENGLISH = EN_HEADER + (
    '12/31/24,"Push Day",7:05 PM,"Barbell Bench Press",Chest,"Chest","Triceps",Warm-up Set,'
    '"10 reps","60.00 kg",,No\n'
    '12/31/24,"Push Day",7:10 PM,"Barbell Bench Press",Chest,"Chest","Triceps",Set,"5 reps",'
    '"225.00 lb","felt good",No\n'
    '12/31/24,"Push Day",7:15 PM,"Barbell Bench Press",Chest,"Chest","Triceps",Set,"5 reps",'
    '"225.00 lb",,Yes\n'
    '12/31/24,"Push Day",7:20 PM,"Plank",Core,"Abs",,Set,"60 sec","0.00 kg",,No\n'
    '12/31/24,"Push Day",7:25 PM,"Cable Fly",Chest,"Chest",,Cool-down Set,"15 reps",'
    '"12.50 kg",,No\n'
    '01/02/25,"Legs",18:00,"Leg Press",Legs,"Quadriceps",,Set,"12 reps","1,000.00 lb",,No\n'
    '01/02/25,"Legs",18:10,"Sled Push",Legs,"Quadriceps",,Set,"1 rep","20.00 m",,No\n'
)


def _workouts(sets: list) -> dict[str, tuple[datetime, int]]:  # type: ignore[type-arg]
    out: dict[str, tuple[datetime, int]] = {}
    for s in sets:
        start, n = out.get(s.session_key, (s.started_at, 0))
        assert start == s.started_at  # one start per workout
        out[s.session_key] = (start, n + 1)
    return out


def test_italian_sets_kinds_skipped_timed_and_workouts() -> None:
    source = read_gymbook(ITALIAN, name="it.csv", tz=ROME)
    assert (source.format, source.name, source.rejected, source.warnings) == (
        "gymbook", "it.csv", [], []
    )  # fmt: skip
    assert [(s.line, s.exercise, s.load, s.reps, s.kind, s.tags) for s in source.sets] == [
        (2, "Squat con Bilanciere", Load(Decimal("20.00"), Unit.KG), 10, SetKind.WARMUP,
         ("gambe",)),
        (3, "Squat con Bilanciere", Load(Decimal("62.50"), Unit.KG), 8, SetKind.WORKING,
         ("gambe",)),
        (6, "Crunches", Load(Decimal("0.00"), Unit.KG), 20, SetKind.WORKING, ("addome",)),
        (9, "Curls con Manubri", Load(Decimal("8.00"), Unit.KG), 12, SetKind.WARMUP,
         ("braccia", "cool-down")),
        (10, "Piegamenti", Load(Decimal("0.00"), Unit.KG), 4, SetKind.WORKING, ("torace",)),
    ]  # fmt: skip
    assert [(r.line, r.reason) for r in source.skipped] == [
        (4, "marked skipped in GymBook"),
        (5, "timed set: a duration, no reps (60 secondi)"),
        (7, "timed set: a duration, no reps (14 minuti)"),
        (8, "marked skipped in GymBook"),
    ]
    assert _workouts(source.sets) == {
        "2024-12-19|AltoScheda Giorno 3": (datetime(2024, 12, 19, 18, 40, tzinfo=ROME), 2),
        "2024-12-19|AltoScheda Giorno 4": (datetime(2024, 12, 19, 19, 42, tzinfo=ROME), 2),
        "2023-05-05|": (datetime(2023, 5, 5, 20, 45, tzinfo=ROME), 1),
    }
    first, second = source.sets[0], source.sets[1]
    assert second.performed_at == datetime(2024, 12, 19, 18, 44, tzinfo=ROME)
    assert (second.notes, second.session_name) == ("buona, lenta", "AltoScheda Giorno 3")
    assert source.sets[-1].session_name == "GymBook"
    assert first.equipment is Equipment.BARBELL
    assert source.sets[3].equipment is Equipment.DUMBBELL
    assert all(s.unit_stated for s in source.sets)


def test_english_month_first_dates_pounds_and_a_distance() -> None:
    source = read_gymbook(ENGLISH, tz=UTC)
    assert (source.rejected, source.warnings) == ([], [])
    assert [(s.session_key, s.load, s.reps, s.kind, s.performed_at) for s in source.sets] == [
        ("2024-12-31|Push Day", Load(Decimal("60.00"), Unit.KG), 10, SetKind.WARMUP,
         datetime(2024, 12, 31, 19, 5, tzinfo=UTC)),
        ("2024-12-31|Push Day", Load(Decimal("225.00"), Unit.LB), 5, SetKind.WORKING,
         datetime(2024, 12, 31, 19, 10, tzinfo=UTC)),
        ("2024-12-31|Push Day", Load(Decimal("12.50"), Unit.KG), 15, SetKind.WARMUP,
         datetime(2024, 12, 31, 19, 25, tzinfo=UTC)),
        ("2025-01-02|Legs", Load(Decimal("1000.00"), Unit.LB), 12, SetKind.WORKING,
         datetime(2025, 1, 2, 18, 0, tzinfo=UTC)),
    ]  # fmt: skip
    assert source.sets[2].tags == ("chest", "cool-down")
    assert source.sets[1].notes == "felt good"
    assert [(r.line, r.reason) for r in source.skipped] == [
        (4, "marked skipped in GymBook"),
        (5, "timed set: a duration, no reps (60 sec)"),
        (8, "a distance, not a load (20.00 m)"),
    ]


def test_a_header_in_another_language_is_read_by_position() -> None:
    text = (
        "Datum,Training,Uhrzeit,Übung,Region,Muskeln (primär),Muskeln (sekundär),"
        "Satz / Aufwärmsatz / Abwärmsatz,Wiederholungen / Zeit,Gewicht / Distanz,Notizen,"
        "Übersprungen\n"
        '09.01.25,Push,19:30,Bankdrücken,Brust,Brust,,Aufwärmsatz,"10 Wiederholungen",'
        '"40,00 kg",,Nein\n'
        '13.01.25,Push,19:35,Bankdrücken,Brust,Brust,,Satz,"8 Wiederholungen","60,00 kg",'
        "schwer,Nein\n"
        '13.01.25,Push,19:40,Bankdrücken,Brust,Brust,,Satz,"8 Wiederholungen","60,00 kg",,Ja\n'
    )
    assert detect(text.encode(), "de.csv") == "gymbook"
    source = read_gymbook(text, tz=UTC)
    assert source.rejected == []
    assert [(s.session_key, s.exercise, s.load, s.kind, s.notes) for s in source.sets] == [
        ("2025-01-09|Push", "Bankdrücken", Load(Decimal("40.00"), Unit.KG), SetKind.WARMUP, ""),
        ("2025-01-13|Push", "Bankdrücken", Load(Decimal("60.00"), Unit.KG), SetKind.WORKING,
         "schwer"),
    ]  # fmt: skip
    assert [r.line for r in source.skipped] == [4]


def test_malformed_cells_are_left_out_and_listed_while_the_rest_reads() -> None:
    ok = '09/01/25,A,19:30,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
    text = (
        IT_HEADER
        + ok
        + (
            '32/01/25,A,19:31,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
            '09/01/25,A,25:99,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
            '09/01/25,A,19:32,Squat,Gambe,,,Superserie,"5 ripetizioni","100,00 kg",,No\n'
            '09/01/25,A,19:33,Squat,Gambe,,,Set,"cinque ripetizioni","100,00 kg",,No\n'
            '09/01/25,A,19:34,Squat,Gambe,,,Set,"5 ripetizioni","cento kg",,No\n'
            '09/01/25,A,19:35,Squat,Gambe,,,Set,"5 ripetizioni","100,00 stone",,No\n'
            '09/01/25,A,19:36,Squat,Gambe,,,Set,"500 ripetizioni","100,00 kg",,No\n'
            '09/01/25,A,19:37,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,Forse\n'
            '09/01/25,A,19:38,Squat,Gambe,,,Set,"5 ripetizioni","-5,00 kg",,No\n'
            '09/01/25,A,19:39,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg"\n'
        )
        + ok.replace("19:30", "19:50")
    )
    source = read_gymbook(text, name="bad.csv", tz=UTC)
    assert [s.line for s in source.sets] == [2, 13]
    assert [(r.line, r.column, r.value) for r in source.rejected] == [
        (12, "row", ""),  # too few fields: left out when the table is read
        (3, "Data (column 1)", "32/01/25"),
        (4, "Orario (column 3)", "25:99"),
        (5, "Set / Set di riscaldamento / Set di defaticamento (column 8)", "Superserie"),
        (6, "Ripetizioni / Tempo (column 9)", "cinque ripetizioni"),
        (7, "Peso / Distanza (column 10)", "cento kg"),
        (8, "Peso / Distanza (column 10)", "100,00 stone"),
        (9, "Ripetizioni / Tempo (column 9)", "500 ripetizioni"),
        (10, "Saltato (column 12)", "Forse"),
        (11, "Peso / Distanza (column 10)", "-5,00 kg"),
    ]
    assert "expected a date like '09/01/25' (day first)" in source.rejected[1].reason
    assert "reps must be 0 to 200" in source.rejected[7].reason
    assert "negative" in source.rejected[9].reason


def test_a_workout_past_midnight_keeps_its_order() -> None:
    text = IT_HEADER + (
        '09/01/25,Notte,23:30,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
        '09/01/25,Notte,23:50,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
        '09/01/25,Notte,00:10,Squat,Gambe,,,Set,"5 ripetizioni","100,00 kg",,No\n'
    )
    source = read_gymbook(text, tz=UTC)
    assert {s.started_at for s in source.sets} == {datetime(2025, 1, 9, 23, 30, tzinfo=UTC)}
    assert source.sets[2].performed_at == datetime(2025, 1, 10, 0, 10, tzinfo=UTC)


def test_undecidable_dates_are_read_day_first_with_a_warning_and_bare_numbers() -> None:
    text = IT_HEADER + '05/06/24,,,Squat,,,,Set,"5","100",,\n'
    source = read_gymbook(text, name="g.csv", tz=UTC)
    assert [s.started_at for s in source.sets] == [datetime(2024, 6, 5, 12, tzinfo=UTC)]
    assert source.sets[0].performed_at is None
    assert (source.sets[0].reps, source.sets[0].unit_stated) == (5, False)
    assert source.warnings == [
        "g.csv: no date says whether the day or the month comes first; read day first"
    ]
    same = read_gymbook(IT_HEADER + '05/05/24,,,Squat,,,,Set,"5","100 kg",,\n', tz=UTC)
    assert same.warnings == []
    assert same.sets[0].unit_stated


def test_detection_of_both_languages_leaves_other_apps_alone() -> None:
    assert detect(ITALIAN.encode(), "a.csv") == "gymbook"
    assert detect(ENGLISH.encode(), "b.csv") == "gymbook"
    fitnotes = b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\n"
    assert detect(fitnotes, "c.csv") == "fitnotes"
    strong_it = "Data;Nome allenamento;Nome esercizio;Ordine serie;Peso;Ripetizioni\n"
    assert detect(strong_it.encode(), "d.csv") == "strong"


# ------------------------------------------------------------------------- the real file
needs_real = pytest.mark.skipif(not REAL_FILE.exists(), reason=f"{REAL_FILE} is absent")


@dataclass(frozen=True)
class Counted:
    sets: int
    workouts: int
    first: date
    last: date
    volume: float  # kg
    warmups: int
    skipped: int


def _counted() -> Counted:
    """The real file read with plain csv, apart from the reader: a set is a row not marked
    skipped (``Saltato`` ``No``) whose reps cell is ``N ripetizioni`` and weight cell
    ``N,NN kg``; a workout is a (Data, Programma) pair; Data is dd/mm/yy."""
    with REAL_FILE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    done = [
        r for r in rows
        if r[11] == "No" and r[8].endswith(" ripetizioni") and r[9].endswith(" kg")
    ]  # fmt: skip
    days = [datetime.strptime(r[0], "%d/%m/%y").date() for r in done]
    return Counted(
        sets=len(done),
        workouts=len({(r[0], r[1]) for r in done}),
        first=min(days),
        last=max(days),
        volume=sum(
            float(r[9].removesuffix(" kg").replace(",", ".")) * int(r[8].split()[0]) for r in done
        ),
        warmups=sum(r[7] == "Set di riscaldamento" for r in done),
        skipped=len(rows) - len(done),
    )


@needs_real
def test_real_file_read_against_an_independent_count() -> None:
    want = _counted()
    source = read_gymbook(REAL_FILE.read_text(encoding="utf-8"), name=REAL_FILE.name, tz=ROME)
    days = sorted(s.started_at.date() for s in source.sets)
    assert (source.rejected, source.warnings) == ([], [])
    assert len(source.sets) == want.sets == 4862
    assert len({s.session_key for s in source.sets}) == want.workouts == 158
    assert (days[0], days[-1]) == (want.first, want.last)
    assert (days[0], days[-1]) == (date(2023, 5, 5), date(2025, 1, 9))
    assert len(source.skipped) == want.skipped == 770
    assert sum(s.kind is SetKind.WARMUP for s in source.sets) == want.warmups == 109
    volume = float(sum(s.load.exact_kg * s.reps for s in source.sets))
    assert volume == pytest.approx(want.volume, abs=0.001)
    assert volume == pytest.approx(1374718.75, abs=0.001)
    assert all(s.performed_at is not None for s in source.sets)


@needs_real
def test_real_file_is_detected_and_read_by_its_format() -> None:
    data = REAL_FILE.read_bytes()
    assert detect(data, REAL_FILE.name) == "gymbook"
    assert len(read_source(data, REAL_FILE.name, "gymbook", UTC).sets) == 4862


@needs_real
def test_real_file_imports_once_through_the_service(uow: UnitOfWork) -> None:
    want = _counted()
    source = read_gymbook(REAL_FILE.read_text(encoding="utf-8"), name=REAL_FILE.name, tz=UTC)
    summary = for_name(import_source, uow, "gb", source)
    assert (summary.sessions_created, summary.sets_created) == (want.workouts, want.sets)
    assert summary.rows_skipped == want.skipped
    assert (summary.first_day, summary.last_day) == (want.first, want.last)
    assert summary.volume_kg == pytest.approx(want.volume, abs=0.01)
    assert summary.unit_note is None
    assert not any("far from their workout" in w for w in summary.warnings)
    again = for_name(import_source, uow, "gb", source)
    assert (again.sessions_created, again.sessions_skipped) == (0, want.workouts)


@needs_real
def test_real_file_through_the_command_line(tmp_path: Path) -> None:
    from tests.e2e.conftest import REPLOG, Cli

    if not REPLOG.exists():
        pytest.skip(f"{REPLOG} is not installed")
    want = _counted()
    cli = Cli(tmp_path / "r.db")
    doc = cli("import", str(REAL_FILE), "--tz", "UTC", "--json").json()
    assert doc["format"] == "gymbook"
    assert doc["sessions"]["created"] == want.workouts
    assert doc["sets"]["created"] == want.sets
    assert (doc["first_day"], doc["last_day"]) == (str(want.first), str(want.last))
    assert doc["volume_kg"] == pytest.approx(want.volume, abs=0.01)
    assert doc["rows_skipped"] == want.skipped
