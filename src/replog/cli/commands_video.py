"""`replog video`: reps from a side-view phone video of a set, printed or attached to a
logged set (issue 22). The image work is :mod:`replog.io.video`; the rep maths is the
position transducer's (:mod:`replog.core.signal.video`); the printing is
``replog sensor``'s (:func:`replog.cli.commands_sensor.print_reps`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from replog.cli.context import JSON

if TYPE_CHECKING:
    from replog.io.video import VideoRun

video_app = typer.Typer(help="Phone videos: bar velocity from the plate, filmed from the side.")

FILE = Annotated[Path, typer.Argument(help="A side-view video (mp4, mov, ...) of one set.")]
PLATE = Annotated[
    float,
    typer.Option(
        "--plate-diameter", help="The filmed plate's diameter in metres (0.45 for 20 kg/45 lb)."
    ),
]
EXERCISE = Annotated[
    str | None,
    typer.Option("--exercise", help="The lift (squat, bench, deadlift, ...): its range of motion."),
]
TAP = Annotated[
    str | None,
    typer.Option(
        "--tap",
        help="X,Y: a point on the plate in the first frame's pixels, when it is not found.",
    ),
]


def register(app: typer.Typer) -> None:
    video_app.command("reps")(reps)
    video_app.command("attach")(attach)
    app.add_typer(video_app, name="video")


def _run(file: Path, plate: float, exercise: str | None, tap: str | None) -> VideoRun:
    from replog.io.video import parse_tap, reps_from_video

    return reps_from_video(file, plate_diameter_m=plate, exercise=exercise, tap=parse_tap(tap))


def reps(
    file: FILE,
    plate_diameter: PLATE = 0.45,
    exercise: EXERCISE = None,
    tap: TAP = None,
    as_json: JSON = False,
) -> None:
    """Find the reps in a video: the plate is found and tracked, scaled by its diameter,
    corrected for camera tilt and drift toward the camera; per rep MCV, MPV, peak velocity,
    ROM and a confidence."""
    from replog.cli.commands_sensor import print_reps

    run = _run(file, plate_diameter, exercise, tap)
    why = None if run.result.reps else "no reps: no upward movement of the plate passed the checks"
    extra = {
        "video": {
            "fps": round(run.fps, 3),
            "width": run.width,
            "height": run.height,
            "frames": run.frames,
            "tilt_deg": round(run.result.tilt_deg, 2),
            "plate_diameter_px": round(float(run.track.diameter[0]), 1),
        }
    }
    if not as_json:
        typer.echo(
            f"{run.width}x{run.height} at {run.fps:.0f} fps, {run.frames} frames; plate "
            f"{run.track.diameter[0]:.0f} px across; tilt corrected {run.result.tilt_deg:+.1f} deg"
        )
    print_reps(run.result.reps, run.warnings, "video", why, as_json, extra)


def attach(
    file: FILE,
    set_id: Annotated[str, typer.Option("--set", help="The logged set's id (replog show --json).")],
    plate_diameter: PLATE = 0.45,
    exercise: EXERCISE = None,
    tap: TAP = None,
    update_reps: Annotated[
        bool, typer.Option("--update-reps", help="Take the video's rep count for the set.")
    ] = False,
    as_json: JSON = False,
) -> None:
    """Store the reps of a video on a logged set (source ``video``), then re-run its
    session's analysis."""
    from replog.cli.commands_sensor import attach_found, set_lift
    from replog.core.model import RepSource

    run = _run(file, plate_diameter, exercise or set_lift(set_id), tap)
    attach_found(run.result.reps, run.warnings, RepSource.VIDEO, set_id, update_reps, as_json)
