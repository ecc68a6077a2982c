"""Password hashing with Argon2id (RFC 9106) via argon2-cffi, behind the services' Hasher port.

argon2-cffi's defaults follow RFC 9106's second recommended option (time cost 3, 64 MiB);
a hash made with older parameters is upgraded at the next successful login.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from replog.api.errors import ApiError


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


class PasswordSlots:
    """How many sign-ins and sign-ups hash a password at once, and how many may wait.

    Each Argon2 hash takes its memory cost (64 MiB) and a core for a fraction of a second,
    in the thread pool every request shares: 32 bogus sign-ins at once took the server to
    about 1 GiB and held every other request for 10-14 s. A request waits for a slot in the
    event loop, holding no thread; past ``queue`` waiting, it is turned away at once (503,
    Retry-After), so a flood of sign-ins costs the others nothing.
    """

    def __init__(self, slots: int, queue: int):
        self.slots, self.queue = max(1, slots), max(0, queue)
        self.waiting = 0
        self._free: asyncio.Semaphore | None = None  # made in the server's event loop

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self._free is None:
            self._free = asyncio.Semaphore(self.slots)
        if self._free.locked() and self.waiting >= self.queue:
            raise ApiError(
                503, "busy", "too many sign-ins at once; try again in a second",
                headers={"Retry-After": "1"},
            )  # fmt: skip
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._free.release()
