"""The RepLog error tree.

Every error a user can cause carries a stable ``code`` (for the API envelope and tests),
a one-line ``message`` meant for people, and, where it applies, the ``field`` and the
``line`` of the input it is about::

    ReplogError
    ├── ValidationError          a value is out of range or malformed (code "invalid")
    │   └── ImportFormatError    a file being imported is malformed (code "bad_import")
    ├── NotFoundError            a thing named does not exist (code "not_found")
    │   └── UnknownExerciseError with the nearest known names (code "unknown_exercise")
    ├── ConflictError            the write contradicts stored data (code "conflict")
    ├── AuthError                bad credentials; unknown, revoked or expired token
    │                            (code "unauthenticated")
    ├── RateLimitError           too many attempts; ``retry_after_s`` says when to try
    │                            again (code "rate_limited")
    └── StorageError             the database cannot be used as asked (code "storage")
"""

from __future__ import annotations


class ReplogError(Exception):
    """Base of every error RepLog raises on purpose."""

    code = "error"

    def __init__(self, message: str, field: str | None = None, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(self.field)
        prefix = f"{', '.join(where)}: " if where else ""
        return f"{prefix}{self.message}"

    def located(self, *, field: str | None = None, line: int | None = None) -> ReplogError:
        """Return this error with a location filled in where it had none.

        A nested field is prefixed: ``reps`` inside ``sets[2]`` becomes ``sets[2].reps``.
        """
        if field and self.field:
            field = (
                f"{field}.{self.field}" if not self.field.startswith("[") else field + self.field
            )
        err = type(self).__new__(type(self))
        err.__dict__.update(self.__dict__)
        Exception.__init__(err, self.message)
        err.field = field or self.field
        err.line = self.line if self.line is not None else line
        return err

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field": self.field, "line": self.line}


class ValidationError(ReplogError):
    code = "invalid"


class ImportFormatError(ValidationError):
    code = "bad_import"


class NotFoundError(ReplogError):
    code = "not_found"


class UnknownExerciseError(NotFoundError):
    code = "unknown_exercise"

    def __init__(self, name: str, suggestions: list[str]):
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown exercise {name!r}{hint}", field="exercise")
        self.name = name
        self.suggestions = suggestions


class ConflictError(ReplogError):
    code = "conflict"


class AuthError(ReplogError):
    """Who is asking could not be established: wrong username or password, or a token that
    is unknown, revoked or expired."""

    code = "unauthenticated"


class RateLimitError(ReplogError):
    """Too many attempts in a while; ``retry_after_s`` (at least 1) says when to try again."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after_s: int, field: str | None = None):
        super().__init__(message, field)
        self.retry_after_s = max(1, int(retry_after_s))


class StorageError(ReplogError):
    code = "storage"
