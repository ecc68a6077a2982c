"""The IMU pipeline on every real recording in ../shared/data/sensors (issue 17, item 4).

Run: `.venv/bin/python benchmarks/bench_sensor_real.py`. Prints the tables and writes
benchmarks/results/sensor_real.json. Skips (exit 0, says why) when ../shared is absent.

The recordings (see ../shared/data/SOURCES.md) carry their true rep count in the file name;
none has a reference velocity, so velocity is judged by physical plausibility:
- **counts** per lift and mount: the share of sets counted exactly and the mean absolute
  count error (sets of unknown count, the wristband's ``half``/``high`` sets, are listed
  but not scored); the rest recordings (``rest-sitting``, ``rest-standing``) must give 0;
- **ROM**: the share of reps whose ROM is plausible for the lift
  (:mod:`replog.core.signal.lifts`), the median ROM per lift, and the spread of ROM across
  a set's reps (coefficient of variation, median over sets);
- **speed**: seconds of recording per second of compute (batch face);
- **streaming**: whether the streaming face, fed in 0.5 s chunks, stores the same count and
  the same MCVs (within 0.01 m/s) as the batch face, and how its live reps (provisional,
  emitted during the set from a moving window) compare: the same count, the MCV
  difference.
Nothing here is tuned per file: the same code and defaults run every recording, and
``--exercise`` is passed only where the lift is known from the file name.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from replog.core.signal.imu import ImuRepDetector, analyze_imu
from replog.core.signal.types import ImuStream
from replog.io.sensor_csv import read_imu_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "sensors"
RESULTS = Path(__file__).with_name("results") / "sensor_real.json"
BAR_COLUMNS = "id,t_ms,ax,ay,az,gx,gy,gz"
BAR_LIFTS = {"bicep_curl": "curl", "dead": "deadlift", "rdl": "rdl", "row": "row",
             "shoulder_press": "press", "squat": "squat"}  # fmt: skip
WRIST_LIFTS = {"bench": "bench", "dead": "deadlift", "ohp": "press", "row": "row",
               "squat": "squat", "rest": None}  # fmt: skip


def recordings() -> list[dict[str, Any]]:
    """Every recording: path, mount, lift (RepLog's name), true count (None: unknown)."""
    out: list[dict[str, Any]] = []
    for path in sorted((DATA / "bar-imu").glob("*/*.csv")):
        m = re.search(r"reps?(\d+)", path.name)
        out.append({"path": path, "mount": "bar", "lift": BAR_LIFTS[path.parent.name],
                    "reps": int(m.group(1)) if m else None})  # fmt: skip
    for path in sorted((DATA / "wrist-imu").glob("*Accelerometer*.csv")):
        name = path.name.split("_MetaWear")[0].strip().split("-")
        lift, kind = name[1], name[2]
        count = 0 if lift == "rest" else 5 if kind.startswith("heavy") else (
            10 if kind.startswith("medium") else None)  # fmt: skip
        out.append({"path": path, "mount": "wrist", "lift": WRIST_LIFTS[lift],
                    "rest": lift == "rest", "reps": count})  # fmt: skip
    return out


def read(rec: dict[str, Any]) -> ImuStream:
    if rec["mount"] == "bar":
        return read_imu_csv(rec["path"], columns=BAR_COLUMNS, warnings=[])
    return read_imu_csv(rec["path"], warnings=[])


def streamed(stream: ImuStream, lift: str | None) -> tuple[list[float], list[float]]:
    """MCVs the streaming face emitted while fed (live reps are provisional) and those it
    leaves to store after ``finish()``."""
    det = ImuRepDetector(exercise=lift)
    reps = []
    edges = np.arange(stream.t[0], stream.t[-1] + 0.5, 0.5)
    idx = np.searchsorted(stream.t, edges)
    for a, b in pairwise(idx):
        if b > a:
            reps += det.update(stream.t[a:b], stream.acc[a:b], stream.gyro[a:b])
    reps += det.update(stream.t[idx[-1] :], stream.acc[idx[-1] :], stream.gyro[idx[-1] :])
    reps += det.finish()
    return [r.mcv for r in reps], [r.mcv for r in det.reps]


def run() -> dict[str, Any]:
    rows = []
    compute = 0.0
    recorded = 0.0
    for rec in recordings():
        stream = read(rec)
        lift = rec["lift"]
        t0 = time.perf_counter()
        res = analyze_imu(stream, exercise=lift)
        compute += time.perf_counter() - t0
        recorded += float(stream.t[-1] - stream.t[0])
        roms = [r.rom for r in res.reps]
        emitted, stored = streamed(stream, lift)
        batch_mcv = [r.mcv for r in res.reps]
        same = len(stored) == len(batch_mcv) and bool(
            np.all(np.abs(np.subtract(stored, batch_mcv)) <= 0.01)
        )
        live_same = len(emitted) == len(batch_mcv)
        live_diff = (
            [abs(a - b) for a, b in zip(emitted, batch_mcv, strict=True)] if live_same else []
        )
        rows.append({
            "file": rec["path"].name, "mount": rec["mount"], "lift": lift or "rest",
            "rest": bool(rec.get("rest")), "true": rec["reps"], "found": len(res.reps),
            "plausible": [("rom_implausible" not in r.quality) for r in res.reps],
            "rom_median": float(np.median(roms)) if roms else None,
            "rom_cv": float(np.std(roms) / np.mean(roms)) if len(roms) > 1 else None,
            "confidence": float(np.mean([r.confidence for r in res.reps])) if roms else None,
            "reason": res.reason, "stream_same": same, "live_same": live_same,
            "live_diff": live_diff,
        })  # fmt: skip
    return summarise(rows, recorded / compute if compute else float("inf"))


def summarise(rows: list[dict[str, Any]], speed: float) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["true"] is not None and not r["rest"]:
            groups[f"{r['mount']} {r['lift']}"].append(r)
            groups[f"{r['mount']} (all lifts)"].append(r)
    table = {}
    for name, rs in sorted(groups.items()):
        plaus = [p for r in rs for p in r["plausible"]]
        cvs = [r["rom_cv"] for r in rs if r["rom_cv"] is not None]
        roms = [r["rom_median"] for r in rs if r["rom_median"] is not None]
        table[name] = {
            "sets": len(rs),
            "exact_share": round(float(np.mean([r["found"] == r["true"] for r in rs])), 3),
            "mean_abs_count_error": round(
                float(np.mean([abs(r["found"] - r["true"]) for r in rs])), 3
            ),
            "rom_plausible_share": round(float(np.mean(plaus)), 3) if plaus else None,
            "rom_median_m": round(float(np.median(roms)), 3) if roms else None,
            "rom_cv_median": round(float(np.median(cvs)), 3) if cvs else None,
        }
    rest = [r for r in rows if r["rest"]]
    return {
        "recordings": len(rows),
        "groups": table,
        "rest": {
            "recordings": len(rest),
            "with_zero_reps": sum(r["found"] == 0 for r in rest),
            "reps_found": [r["found"] for r in rest],
        },
        "unknown_count": [
            {"file": r["file"], "found": r["found"]}
            for r in rows
            if r["true"] is None and not r["rest"]
        ],
        "streaming_same_as_batch_share": round(float(np.mean([r["stream_same"] for r in rows])), 3),
        "streaming_live_count_same_share": round(float(np.mean([r["live_same"] for r in rows])), 3),
        "streaming_live_mcv_abs_diff_median": round(
            float(np.median([d for r in rows for d in r["live_diff"]] or [0.0])), 4
        ),
        "speed_x_real_time": round(speed),
        "miscounted": [
            {"file": r["file"], "true": r["true"], "found": r["found"]}
            for r in rows
            if r["true"] is not None and r["found"] != r["true"]
        ],
        "python": platform.python_version(),
    }


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the real recordings live in ../shared)")
        return 0
    out = run()
    print(f"{'group':28s} {'sets':>4s} {'exact':>6s} {'|err|':>6s} {'ROM ok':>7s} "
          f"{'ROM m':>6s} {'ROM cv':>6s}")  # fmt: skip
    for name, g in out["groups"].items():
        print(f"{name:28s} {g['sets']:4d} {g['exact_share']:6.1%} "
              f"{g['mean_abs_count_error']:6.2f} {g['rom_plausible_share'] or 0:7.1%} "
              f"{g['rom_median_m'] or 0:6.2f} {g['rom_cv_median'] or 0:6.2f}")  # fmt: skip
    rest = out["rest"]
    print(f"rest recordings with 0 reps: {rest['with_zero_reps']} of {rest['recordings']} "
          f"(found {rest['reps_found']})")  # fmt: skip
    print(f"streaming face = batch face: {out['streaming_same_as_batch_share']:.1%} of recordings"
          " (the reps stored)")  # fmt: skip
    print(f"  its live reps (provisional, from the last 90 s every second): the batch count in "
          f"{out['streaming_live_count_same_share']:.1%} of recordings, MCV within "
          f"{out['streaming_live_mcv_abs_diff_median']:.3f} m/s (median)")  # fmt: skip
    print(f"batch speed: {out['speed_x_real_time']:,}x real time")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
