"""Strong's header in the app's language and in its 2016 form, read as the English one."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest

from replog.core.units import Load, Unit
from replog.io.formats import detect
from replog.io.strong import read_strong
from replog.io.strong_header import english_names, is_strong_header

ENGLISH = [
    "Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps",
    "Distance", "Seconds", "Notes", "Workout Notes", "RPE",
]  # fmt: skip

# The header as each language's export writes it (French as in a real export; the others
# as the app's translations read, with the variants seen for reps and set order).
LOCALIZED = {
    "fr": "Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,"
    "Distance,Secondes,Notes,Notes d'entraînement,RPE",
    "de": "Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wiederholungen,"
    "Distanz,Sekunden,Notizen,Trainingsnotizen,RPE",
    "es": "Fecha,Nombre del entrenamiento,Duración,Nombre del ejercicio,Orden de la serie,Peso,"
    "Repeticiones,Distancia,Segundos,Notas,Notas del entrenamiento,RPE",
    "it": "Data,Nome allenamento,Durata,Nome esercizio,Ordine della serie,Peso,Ripetizioni,"
    "Distanza,Secondi,Note,Note allenamento,RPE",
    "pt": "Data,Nome do treino,Duração,Nome do exercício,Ordem da série,Peso,Repetições,"
    "Distância,Segundos,Notas,Notas do treino,RPE",
}


@pytest.mark.parametrize("lang", sorted(LOCALIZED))
def test_each_language_reads_as_the_english_header(lang: str) -> None:
    header = LOCALIZED[lang].split(",")
    assert english_names(header) == ENGLISH
    assert is_strong_header(header)


@pytest.mark.parametrize("lang", sorted(LOCALIZED))
def test_a_localized_file_is_detected_and_read(lang: str) -> None:
    text = (
        LOCALIZED[lang] + "\n"
        "2023-08-16 13:10:30,Jambes,1h 5m,Squat (Barbell),1,100,5,0,0,,,8\n"
        "2023-08-16 13:10:30,Jambes,1h 5m,Squat (Barbell),W,60,5,0,0,,,\n"
        "2023-08-16 13:10:30,Jambes,1h 5m,Aerobics,1,0,0,0,600,,,\n"
    )
    assert detect(text.encode(), "x.csv") == "strong"
    source = read_strong(text, tz=UTC)
    assert [(s.exercise, s.load, s.reps, s.rpe) for s in source.sets] == [
        ("Squat (Barbell)", Load(Decimal("100"), Unit.KG), 5, 8.0),
        ("Squat (Barbell)", Load(Decimal("60"), Unit.KG), 5, None),
    ]
    assert source.sets[0].ended_at is not None  # the duration column was found
    assert [r.reason for r in source.skipped] == ["no reps: a timed or distance entry"]
    assert source.rejected == []


def test_the_2016_header_names_the_unit_instead_of_the_load() -> None:
    text = (
        "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes\n"
        '2016-10-03 19:30:55,"W1D1","Squat",0,70.0,5,0.0,0,""\n'
        '2016-10-03 19:30:55,"W1D1","Run",0,0,0,2.5,900,""\n'
    )
    source = read_strong(text, tz=UTC)
    assert [(s.load, s.reps, s.unit_stated) for s in source.sets] == [
        (Load(Decimal("70.0"), Unit.KG), 5, True)  # the header says kg: no guessing
    ]
    assert len(source.skipped) == 1
    pounds = read_strong(text.replace(",kg,", ",lbs,").replace(",km,", ",mi,"), tz=UTC)
    assert pounds.sets[0].load == Load(Decimal("70.0"), Unit.LB)


def test_words_that_name_no_strong_column_are_left_alone() -> None:
    assert english_names(["Workout #", "Poids (kg)", "Weight (lbs)", "Humeur"]) == [
        "Workout Name",  # "Workout #" is the workout's number: ignored by the reader
        "Weight (kg)",
        "Weight (lbs)",
        None,
    ]
    assert not is_strong_header(["Date", "Exercise", "Category", "Weight", "Reps"])  # FitNotes
