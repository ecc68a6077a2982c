"""Bar velocity from a phone video (issue 22, item 4): reps found and MCV RMSE by frame
rate, camera tilt and rep speed, and processing speed, on videos rendered with known truth
by ``video_render.py`` (the simulator's squats, bench presses and deadlifts; plates of
0.45, 0.35 and 0.25 m in five colours; textured background, a lifter behind the plate and
an arm over its rim, motion blur, sensor noise, JPEG and mp4 compression, drift of up to
0.3 m toward the camera).

Floors (issue 22): >= 98 % of reps found; MCV RMSE <= 0.03 m/s for reps up to 1.0 m/s at
>= 60 fps with a level camera and <= 0.05 m/s with 10 degrees of tilt; processing at least
as fast as real time for 1080p at 60 fps on one core.

    .venv/bin/python benchmarks/bench_video.py            # 20 sets, ~4 min on 2 cores
    .venv/bin/python benchmarks/bench_video.py --quick    # a smoke run
    .venv/bin/python benchmarks/bench_video.py --styles   # plate styles, hard scenes

Results: ``benchmarks/results/video.json``; ``--styles``: ``video_styles.json``.

``--styles`` films 60 fps sets, level and at 10 degrees of tilt, of each plate style of
the renderer (``default``: a flat disc, darker lip, steel hub; ``bumper``: black rubber,
coloured band and lettering; ``plain``: a bare disc; ``iron``: grey, a raised lit rim, a
groove, grip holes; ``calibrated``: coloured with white print) and of harder scenes: a
rack of static plates and a ring of about the plate's size behind the bar (``rack``), a
lifter in near-black clothes behind a black plate (``dark``), a flat hazy picture
(``flat``: contrast 0.5).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replog.io.video import reps_from_video, track_plate
from video_render import COLOURS, make_video

RESULTS = Path(__file__).resolve().parent / "results" / "video.json"
STYLE_RESULTS = RESULTS.with_name("video_styles.json")
LIFTS = ("squat", "bench", "deadlift")
PLATES = (0.45, 0.35, 0.25)
WIDTH, HEIGHT = 960, 540


def _cases(quick: bool) -> list[dict[str, Any]]:
    # sets per frame rate and tilt (a 240 fps set is 3000+ frames to render and track)
    plan = {30.0: 2, 60.0: 5, 120.0: 2, 240.0: 1} if not quick else {60.0: 1, 30.0: 1}
    cases = []
    k = 0
    for fps, n in plan.items():
        for tilt in (0.0, 10.0):
            for _ in range(n):
                case = _case(k, 1000 + k, fps, tilt)
                case["seed"] = k
                cases.append(case)
                k += 1
    return cases


def _case(k: int, draw: int, fps: float, tilt: float) -> dict[str, Any]:
    """The ``k``-th set of a benchmark: its lift, plate and colour cycle with ``k``, the tilt
    alternates in sign, the load and drift toward the camera are drawn with seed ``draw``."""
    rng = np.random.default_rng(draw)
    return {
        "fps": fps,
        "tilt_deg": tilt * (1 if k % 2 else -1) if tilt else 0.0,
        "lift": LIFTS[k % 3],
        "plate_m": PLATES[k % 3] if k % 5 else 0.45,
        "colour": list(COLOURS)[k % len(COLOURS)],
        "pct_1rm": float(rng.uniform(0.5, 0.9)),
        "drift_m": float(rng.uniform(0.0, 0.3)),
        "reps": 3,
    }


# name: scene options (the plate style and the hard scenes of ``video_render.Scene``)
STYLE_CASES: dict[str, dict[str, Any]] = {
    "default": {},
    "bumper": {"style": "bumper"},
    "plain": {"style": "plain"},
    "iron": {"style": "iron"},
    "calibrated": {"style": "calibrated"},
    "rack": {"rack": True},
    "rack+plain": {"rack": True, "style": "plain"},
    "rack+iron": {"rack": True, "style": "iron"},
    "dark": {"dark_clothes": True, "colour": "black"},
    "dark+bumper": {"dark_clothes": True, "style": "bumper"},
    "flat": {"contrast": 0.5},
    "flat+iron": {"contrast": 0.5, "style": "iron"},
}


def _style_cases(sets: int, frames_dir: str | None) -> list[dict[str, Any]]:
    cases = []
    k = 0
    for name, scene in STYLE_CASES.items():
        for tilt in (0.0, 10.0):
            for _ in range(sets):
                sc = dict(scene)
                case = _case(k, 2000 + k, 60.0, tilt)
                case["colour"] = sc.pop("colour", case["colour"])
                case.update(name=f"{name}-{tilt:.0f}-{k}", group=name, seed=100 + k, scene=sc,
                            frames_dir=frames_dir)  # fmt: skip
                cases.append(case)
                k += 1
    return cases


def _styles(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    cases = _style_cases(args.sets, args.frames)
    if args.only:
        cases = [c for c in cases if c["group"] in args.only.split(",")]
    with Pool(args.workers) as pool:
        rows = pool.map(_run, cases, chunksize=1)
    groups = _summary(rows, lambda r: (list(STYLE_CASES).index(r["group"]), abs(r["tilt_deg"])))
    out = {}
    print(f"{'scene':<12} {'tilt':>4} {'sets':>4} {'reps':>4} {'found%':>6} {'extra':>5} "
          f"{'MCV RMSE':>8} {'bias':>7} {'ROM RMSE':>8}")  # fmt: skip
    for k, v in groups.items():
        i, tilt = eval(k)  # the key is a (scene index, tilt) tuple's repr
        name = list(STYLE_CASES)[i]
        out[f"{name}/{tilt:.0f}"] = v
        nan = float("nan")
        print(f"{name:<12} {tilt:>4.0f} {v['sets']:>4} {v['reps']:>4} {v['found_pct']:>6} "
              f"{v['extra_reps']:>5} {v['mcv_rmse'] or nan:>8.4f} {v['mcv_bias'] or 0.0:>7.4f} "
              f"{v['rom_rmse'] or nan:>8.4f}")  # fmt: skip
    for r in rows:
        if r["error"] or r["matched"] < r["truth"]:
            print(f"  {r['name']}: found {r['found']}/{r['truth']} {r['error'] or ''}")
    doc = {
        "benchmark": "video_styles",
        "machine": platform.platform(),
        "resolution": f"{WIDTH}x{HEIGHT}",
        "fps": 60.0,
        "scenes": STYLE_CASES,
        "by_scene_tilt": out,
        "overall": _summary(rows, lambda r: "all")["all"],
        "errors": [f"{r['name']}: {r['error']}" for r in rows if r["error"]],
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if not args.only and args.sets >= 2:
        STYLE_RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"{len(rows)} sets, {doc['seconds']} s")


def _run(case: dict[str, Any]) -> dict[str, Any]:
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "set.mp4"
        truth, _ = make_video(
            path, lift=case["lift"], reps=case["reps"], pct_1rm=case["pct_1rm"],
            seed=case["seed"], fps=case["fps"], width=WIDTH, height=HEIGHT,
            plate_m=case["plate_m"], colour=case["colour"], tilt_deg=case["tilt_deg"],
            drift_m=case["drift_m"], **case.get("scene", {}),
        )  # fmt: skip
        if case.get("frames_dir"):  # the first frame, to look at
            cap = cv2.VideoCapture(str(path))
            ok, first = cap.read()
            cap.release()
            if ok:
                cv2.imwrite(str(Path(case["frames_dir"]) / f"{case['name']}.png"), first)
        t0 = time.perf_counter()
        try:
            run = reps_from_video(path, plate_diameter_m=case["plate_m"], exercise=case["lift"])
            found, error, tilt = run.result.reps, None, run.result.tilt_deg
        except Exception as exc:  # the benchmark records a failure rather than stopping
            found, error, tilt = [], f"{type(exc).__name__}: {exc}", float("nan")
        secs = time.perf_counter() - t0
    pairs, used = [], set()
    for tr in truth:
        best = None
        for j, f in enumerate(found):
            if j not in used and abs(f.start - tr.start) < 0.35 and abs(f.end - tr.end) < 0.35:
                best = j
                break
        if best is not None:
            used.add(best)
            pairs.append((tr.mcv, found[best].mcv, tr.rom, found[best].rom))
    return {**case, "truth": len(truth), "found": len(found), "matched": len(pairs),
            "pairs": pairs, "tilt_found": tilt, "seconds": secs, "error": error}  # fmt: skip


def _rmse(errs: list[float]) -> float | None:
    return round(math.sqrt(sum(e * e for e in errs) / len(errs)), 4) if errs else None


def _summary(rows: list[dict[str, Any]], key: Any) -> dict[str, Any]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    out = {}
    for k in sorted(groups):
        g = groups[k]
        truth = sum(r["truth"] for r in g)
        matched = sum(r["matched"] for r in g)
        errs = [f - t for r in g for t, f, _, _ in r["pairs"] if t <= 1.0]
        rom = [fr - tr for r in g for _, _, tr, fr in r["pairs"]]
        out[str(k)] = {
            "sets": len(g),
            "reps": truth,
            "found_pct": round(100.0 * matched / truth, 1) if truth else None,
            "extra_reps": sum(r["found"] - r["matched"] for r in g),
            "mcv_rmse": _rmse(errs),
            "mcv_bias": round(float(np.mean(errs)), 4) if errs else None,
            "rom_rmse": _rmse(rom),
        }
    return out


def _by_speed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    bins = ((0.0, 0.5), (0.5, 0.75), (0.75, 1.0))
    out = {}
    for lo, hi in bins:
        errs = [f - t for r in rows if r["fps"] >= 60 for t, f, _, _ in r["pairs"] if lo <= t < hi]
        out[f"{lo:.2f}-{hi:.2f}"] = {"reps": len(errs), "mcv_rmse": _rmse(errs)}
    return out


def _speed(frames: int = 300) -> dict[str, Any]:
    """Tracking speed on a 1080p 60 fps video, one thread: frames per second of decode +
    track (the rep maths is negligible)."""
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hd.mp4"
        make_video(path, lift="squat", reps=1, pct_1rm=0.6, seed=7, fps=60.0, width=1920,
                   height=1080, colour="black")  # fmt: skip
        best = 0.0
        for _ in range(2):
            t0 = time.perf_counter()
            _, _, n = track_plate(path, max_frames=frames)
            best = max(best, n / (time.perf_counter() - t0))
    return {
        "width": 1920,
        "height": 1080,
        "video_fps": 60.0,
        "frames": n,
        "processing_fps": round(best, 1),
        "real_time_factor": round(best / 60.0, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: 4 sets")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--styles", action="store_true", help="plate styles and hard scenes")
    ap.add_argument("--sets", type=int, default=2, help="--styles: sets per scene and tilt")
    ap.add_argument("--only", help="--styles: these scenes only (comma-separated)")
    ap.add_argument("--frames", help="--styles: write each set's first frame here (PNG)")
    args = ap.parse_args()
    if args.styles:
        _styles(args)
        return
    t0 = time.perf_counter()
    cases = _cases(args.quick)
    with Pool(args.workers) as pool:
        rows = pool.map(_run, cases, chunksize=1)
    speed = _speed()
    by_fps = _summary(rows, lambda r: r["fps"])
    by_fps_tilt = _summary(rows, lambda r: (r["fps"], abs(r["tilt_deg"])))
    ge60 = [r for r in rows if r["fps"] >= 60]
    level = _summary([r for r in ge60 if r["tilt_deg"] == 0], lambda r: "level")["level"]
    tilted = _summary([r for r in ge60 if r["tilt_deg"] != 0], lambda r: "tilt10")["tilt10"]
    overall = _summary(rows, lambda r: "all")["all"]
    floors = {
        "reps_found_pct>=98": overall["found_pct"] is not None and overall["found_pct"] >= 98,
        "mcv_rmse_level_ge60fps<=0.03": level["mcv_rmse"] is not None and level["mcv_rmse"] <= 0.03,
        "mcv_rmse_tilt10_ge60fps<=0.05": tilted["mcv_rmse"] is not None
        and tilted["mcv_rmse"] <= 0.05,
        "1080p60_real_time_one_core": speed["processing_fps"] >= 60.0,
    }
    tilt_err = [abs(abs(r["tilt_found"]) - abs(r["tilt_deg"])) for r in rows
                if not math.isnan(r["tilt_found"])]  # fmt: skip
    doc = {
        "benchmark": "video",
        "machine": platform.platform(),
        "opencv": cv2.__version__,
        "resolution": f"{WIDTH}x{HEIGHT}",
        "quick": args.quick,
        "overall": overall,
        "level_ge60fps": level,
        "tilt10_ge60fps": tilted,
        "by_fps": by_fps,
        "by_fps_tilt": by_fps_tilt,
        "by_speed_ge60fps": _by_speed(rows),
        "tilt_estimate_abs_error_deg_median": round(float(np.median(tilt_err)), 2)
        if tilt_err
        else None,
        "speed_1080p60": speed,
        "floors": floors,
        "errors": [f"seed {r['seed']}: {r['error']}" for r in rows if r["error"]],
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if not args.quick:
        RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"video benchmark, {len(rows)} sets rendered at {WIDTH}x{HEIGHT} "
          f"({doc['seconds']} s){'  [quick: not saved]' if args.quick else ''}")  # fmt: skip
    print(f"{'fps':>5} {'tilt':>4} {'sets':>4} {'reps':>4} {'found%':>6} {'extra':>5} "
          f"{'MCV RMSE':>8} {'bias':>7} {'ROM RMSE':>8}")  # fmt: skip
    for k, v in by_fps_tilt.items():
        fps, tilt = eval(k)  # the key is a (fps, tilt) tuple's repr
        print(f"{fps:>5.0f} {tilt:>4.0f} {v['sets']:>4} {v['reps']:>4} {v['found_pct']:>6} "
              f"{v['extra_reps']:>5} {v['mcv_rmse'] or float('nan'):>8.4f} "
              f"{v['mcv_bias'] or 0.0:>7.4f} {v['rom_rmse'] or float('nan'):>8.4f}")  # fmt: skip
    print("by true MCV (>= 60 fps):", json.dumps(doc["by_speed_ge60fps"]))
    print(f"tilt estimate, median abs error: {doc['tilt_estimate_abs_error_deg_median']} deg")
    print(f"1080p60 on one core: {speed['processing_fps']} frames/s "
          f"({speed['real_time_factor']} x real time)")  # fmt: skip
    for name, ok in floors.items():
        print(f"floor {name}: {'PASS' if ok else 'FAIL'}")
    for e in doc["errors"]:
        print("error:", e)


if __name__ == "__main__":
    main()
