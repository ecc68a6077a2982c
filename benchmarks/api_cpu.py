"""CPU use from /proc, for the API benchmark: the whole machine's busy and total jiffies,
and utime+stime of one process, of a process group (the server and its workers) and of the
PostgreSQL server's processes. Linux only."""

from __future__ import annotations

import os
from collections.abc import Iterator

TICK = os.sysconf("SC_CLK_TCK")


def _cpu() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, the fields of /proc/PID/stat after the name) of every process."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        yield (
            int(entry),
            stat[stat.index("(") + 1 : stat.rindex(")")],
            stat[stat.rindex(")") + 2 :].split(),
        )


def _group_pids(pgid: int) -> list[int]:
    return [pid for pid, _, rest in _processes() if int(rest[2]) == pgid]  # field 5: the group


def _postgres_cpu_s() -> float:
    """utime + stime of the PostgreSQL server's processes on this machine, in seconds."""
    total = sum(
        int(rest[11]) + int(rest[12])
        for _, name, rest in _processes()
        if name.startswith("postgres")
    )
    return total / TICK


def _pid_cpu_s(pid: int) -> float:
    """utime + stime of one process, in seconds (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return 0.0
    rest = stat[stat.rindex(")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / TICK  # fields 14, 15


def _group_cpu_s(pgid: int) -> float:
    """utime + stime of every process in the server's process group, in seconds."""
    return sum(_pid_cpu_s(pid) for pid in _group_pids(pgid))
