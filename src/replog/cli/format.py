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


def when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %a %H:%M")
