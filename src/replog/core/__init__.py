"""RepLog's pure domain and science: stdlib, NumPy and SciPy only.

Nothing here touches a database, the network, a terminal or configuration, so every rule
can be tested alone and reused by any adapter.
"""

from replog.core.entry import SetEntry, parse_set_entry
from replog.core.errors import (
    ConflictError,
    ImportFormatError,
    NotFoundError,
    ReplogError,
    StorageError,
    UnknownExerciseError,
    ValidationError,
)
from replog.core.exercises import BUILTIN, Catalogue, Equipment, Exercise, Pattern
from replog.core.ids import new_id
from replog.core.model import Athlete, CheckIn, Rep, RepSource, Session, SetKind, SetRecord
from replog.core.units import Load, Unit, parse_load

__all__ = [
    "BUILTIN",
    "Athlete",
    "Catalogue",
    "CheckIn",
    "ConflictError",
    "Equipment",
    "Exercise",
    "ImportFormatError",
    "Load",
    "NotFoundError",
    "Pattern",
    "Rep",
    "RepSource",
    "ReplogError",
    "Session",
    "SetEntry",
    "SetKind",
    "SetRecord",
    "StorageError",
    "Unit",
    "UnknownExerciseError",
    "ValidationError",
    "new_id",
    "parse_load",
    "parse_set_entry",
]
