"""Settings from the environment, built only in entry points.

``REPLOG_DATABASE_URL``: where the log lives (default: ``replog.db`` in the user data
directory, e.g. ``~/.local/share/replog`` on Linux). ``REPLOG_ATHLETE``: whose log the CLI
reads and writes (default: the first athlete). Plain stdlib rather than pydantic-settings:
importing pydantic costs ~0.15 s, which the CLI cannot spend on every logged set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_database_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('replog', appauthor=False)) / 'replog.db'}"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    athlete: str | None = None

    @classmethod
    def from_env(cls, database_url: str | None = None, athlete: str | None = None) -> Settings:
        url = database_url or os.environ.get("REPLOG_DATABASE_URL") or default_database_url()
        if "://" not in url:  # a bare path is a SQLite file
            url = f"sqlite:///{Path(url).expanduser().resolve()}"
        return cls(url, athlete or os.environ.get("REPLOG_ATHLETE") or None)
