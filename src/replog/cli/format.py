"""Plain-text pieces shared by the commands (no Rich: used on the fast path)."""

from __future__ import annotations

from datetime import datetime

from replog.core.model import SetKind, SetRecord
from replog.core.units import format_decimal


def load_text(s: SetRecord) -> str:
    if s.load.value == 0:
        return "bw"
    return f"{format_decimal(s.load.value)} {s.load.unit.value}"


def effort_text(s: SetRecord) -> str:
    if s.rpe is not None:
        return f"@{s.rpe:g}"
    if s.rir is not None:
        return f"RIR {s.rir:g}"
    return ""


def set_line(s: SetRecord) -> str:
    parts = [f"{load_text(s)} x {s.reps}"]
    if effort := effort_text(s):
        parts.append(effort)
    if s.kind is not SetKind.WORKING:
        parts.append(f"[{s.kind.value}]")
    if s.velocities:
        parts.append("v " + " ".join(f"{v:.2f}" for v in s.velocities))
    return " ".join(parts)


def mass_text(kg: float, unit: str) -> str:
    """A computed mass (an e1RM, a volume) in the unit the lifter used for the set."""
    value = kg if unit == "kg" else kg / 0.45359237
    return f"{value:,.1f} {unit}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %a %H:%M")


def compact_sets(sets: list[SetRecord], marked: set[str] | frozenset[str] = frozenset()) -> str:
    """Sets as lifters write them: warm-ups as a range, then ``137.5 kg 4x4 @8.5-9``.

    Consecutive sets with the same load and reps are grouped; ``*`` marks a group holding a
    set id in ``marked`` (a record).
    """
    warm = [s for s in sets if s.kind is SetKind.WARMUP]
    parts = []
    if warm:
        low, high = min(warm, key=lambda s: s.load.kg), max(warm, key=lambda s: s.load.kg)
        span = load_text(low) if low is high else f"{load_text(low).split()[0]}-{load_text(high)}"
        parts.append(f"warm-up {span}")
    groups: list[list[SetRecord]] = []
    for s in (s for s in sets if s.kind is not SetKind.WARMUP):
        last = groups[-1][-1] if groups else None
        if last and last.load == s.load and last.reps == s.reps and last.kind == s.kind:
            groups[-1].append(s)
        else:
            groups.append([s])
    for g in groups:
        head = g[0]
        count = f"{len(g)}x{head.reps}" if len(g) > 1 else f"x{head.reps}"
        rpes = sorted({s.rpe for s in g if s.rpe is not None})
        effort = ""
        if rpes:
            effort = f" @{rpes[0]:g}" if len(rpes) == 1 else f" @{rpes[0]:g}-{rpes[-1]:g}"
        kind = "" if head.kind is SetKind.WORKING else f" {head.kind.value}"
        star = "*" if any(s.id in marked for s in g) else ""
        parts.append(f"{load_text(head)} {count}{effort}{kind}{star}")
    return ", ".join(parts)
