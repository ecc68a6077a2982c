"""Strong's header in any language, and its 2016 form, read as the English one.

Strong writes its CSV header in the app's language: French ``Date,Nom de l'entraînement,
Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,Notes,Notes
d'entraînement,RPE``; the 2016 export names the load's unit instead of the load
(``...,Set Order,kg,Reps,km,Seconds,Notes``). Rather than a table of every translation,
each header cell is read by the words it is made of, in English, French, German, Spanish,
Italian and Portuguese: the column whose name says *exercise* (exercice, ejercicio,
esercizio, exercício, Übung) is the exercise, the one that says *order* (ordre, orden,
ordine, ordem, Reihenfolge) the set order, and so on. Accents, case and punctuation are
ignored. The columns found are given their English names as aliases of the table
(:meth:`replog.io.table.Table.alias`), so errors still quote the file's own header.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from replog.io.table import Table

__all__ = ["english_names", "is_strong_header", "read_as_english"]

_EXERCISE = {"exercise", "exercice", "ejercicio", "esercizio", "exercicio", "ubung", "uebung",
             "ubungsname", "uebungsname"}  # fmt: skip
_WORKOUT = {"workout", "entrainement", "entrenamiento", "allenamento", "treino", "training",
            "trainingsname", "trainingsnotizen", "seance"}  # fmt: skip
_NOTES = {"notes", "note", "notas", "notizen", "notiz", "anmerkungen", "trainingsnotizen"}
_ORDER = {"order", "ordre", "orden", "ordine", "ordem", "reihenfolge", "satzreihenfolge"}
_WEIGHT = {"weight", "poids", "peso", "gewicht", "carga"}
_REPS = {"reps", "rep", "repetitions", "repeticiones", "repeticoes", "ripetizioni", "rip",
         "wiederholungen", "wdh", "wiederh"}  # fmt: skip
_SECONDS = {"seconds", "secondes", "segundos", "secondi", "sekunden", "sec", "seg", "sek"}
_DISTANCE = {"distance", "distancia", "distanza", "distanz", "strecke", "entfernung"}
_DURATION = {"duration", "duree", "duracion", "durata", "duracao", "dauer"}
_DATE = {"date", "datum", "fecha", "data"}
_UNIT_AS_NAME = {"kg": "Weight (kg)", "kgs": "Weight (kg)", "lb": "Weight (lbs)",
                 "lbs": "Weight (lbs)", "km": "Distance", "mi": "Distance",
                 "miles": "Distance", "meters": "Distance", "m": "Distance"}  # fmt: skip


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in plain).split()


def _english(cell: str) -> str | None:
    """The English Strong column a header cell names, or None."""
    words = _words(cell)
    if not words:
        return None
    bag = set(words)
    if len(words) == 1 and words[0] in _UNIT_AS_NAME:  # the 2016 export: "kg", "km"
        return _UNIT_AS_NAME[words[0]]
    if bag & _EXERCISE:
        return "Exercise Name"
    if bag & _NOTES:
        return "Workout Notes" if bag & _WORKOUT else "Notes"
    if bag & _WORKOUT:
        return "Workout Name"
    if bag & _ORDER:
        return "Set Order"
    if bag & _WEIGHT:  # "Weight (lbs)", "Poids (kg)": the unit is part of the name
        unit = next((_UNIT_AS_NAME[w] for w in words if w in _UNIT_AS_NAME), "Weight")
        return unit if unit.startswith("Weight") else "Weight"
    if bag & _REPS:
        return "Reps"
    if bag & _SECONDS:
        return "Seconds"
    if bag & _DISTANCE:
        return "Distance"
    if bag & _DURATION:
        return "Duration"
    if bag & _DATE:
        return "Date"
    return "RPE" if bag == {"rpe"} else None


def english_names(header: Sequence[str]) -> list[str | None]:
    """Each header cell's English Strong name (None where it names none)."""
    return [_english(h) for h in header]


def is_strong_header(header: Iterable[str]) -> bool:
    """Whether a header is Strong's, in any of the languages read: it names an exercise, a
    set order, a date and reps."""
    names = set(english_names(list(header)))
    return {"Exercise Name", "Set Order", "Date", "Reps"} <= names


def read_as_english(table: Table) -> None:
    """Give ``table`` the English names of the Strong columns it has under other names."""
    for i, name in enumerate(english_names(table.header)):
        if name is not None and table.column(name) is None:
            table.alias(name, i)
