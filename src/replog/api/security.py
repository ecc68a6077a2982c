"""Password hashing with Argon2id (RFC 9106) via argon2-cffi, behind the services' Hasher port.

argon2-cffi's defaults follow RFC 9106's second recommended option (time cost 3, 64 MiB);
a hash made with older parameters is upgraded at the next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Hasher:
    def __init__(self, hasher: PasswordHasher | None = None):
        self._ph = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._ph.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._ph.check_needs_rehash(hashed)
        except InvalidHashError:
            return True
