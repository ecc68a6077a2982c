"""`replog sensor`: reps from a sensor recording, printed or attached to a logged set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, print_json, state

if TYPE_CHECKING:
    from replog.core.model import RepSource
    from replog.core.signal.types import DetectedRep

sensor_app = typer.Typer(help="Sensor recordings: reps from an IMU or position transducer.")

LPT = Annotated[bool, typer.Option("--lpt", help="A position transducer file (t,displacement).")]
FORMAT = Annotated[
    str,
    typer.Option("--format", help="auto, replog, phyphox, metawear or openbarbell (device reps)."),
]
GYRO = Annotated[
    Path | None,
    typer.Option(
        "--gyro", help="phyphox or MetaWear: the gyroscope file (MetaWear: found if beside)."
    ),
]
COLUMNS = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="A headerless CSV's columns in order, e.g. id,t_ms,ax,ay,az,gx,gy,gz "
        "(t, t_ms or t_us; ax..gz or displacement; other names are skipped).",
    ),
]
EXERCISE = Annotated[
    str | None,
    typer.Option(
        "--exercise",
        help="The lift (squat, bench, deadlift, rdl, press, row, curl): its typical range "
        "of motion informs detection and flags implausible reps (attach: the logged set's "
        "lift unless given).",
    ),
]
ACCEL_UNIT = Annotated[str, typer.Option("--accel-unit", help="m/s2 or g.")]
GYRO_UNIT = Annotated[str, typer.Option("--gyro-unit", help="rad/s or deg/s.")]
TIME_UNIT = Annotated[str, typer.Option("--time-unit", help="s or ms.")]


def register(app: typer.Typer) -> None:
    sensor_app.command("reps")(reps)
    sensor_app.command("attach")(attach)
    app.add_typer(sensor_app, name="sensor")


def _detect(
    file: Path,
    lpt: bool,
    fmt: str,
    gyro: Path | None,
    accel: str,
    gyro_unit: str,
    time: str,
    columns: str | None = None,
    exercise: str | None = None,
) -> tuple[list[DetectedRep], list[str], str, str | None]:
    """Reps found in a recording, the reader's warnings, the kind of sensor, and why
    there are no reps when there are none."""
    from replog.core.errors import ValidationError
    from replog.io.sensor_detect import detect_reps

    if not file.is_file():
        raise ValidationError(f"no such file: {file}", field="file")
    found = detect_reps(file, "lpt" if lpt else "imu", exercise=exercise, format=fmt,
                        accel_unit=accel, gyro_unit=gyro_unit, time_unit=time, gyro=gyro,
                        columns=columns)  # fmt: skip
    return found.reps, found.warnings, found.kind, found.reason


def reps(
    file: Annotated[Path, typer.Argument(help="A sensor recording (CSV) or OpenBarbell JSON.")],
    lpt: LPT = False,
    fmt: FORMAT = "auto",
    gyro: GYRO = None,
    accel_unit: ACCEL_UNIT = "m/s2",
    gyro_unit: GYRO_UNIT = "rad/s",
    time_unit: TIME_UNIT = "s",
    columns: COLUMNS = None,
    exercise: EXERCISE = None,
    as_json: JSON = False,
) -> None:
    """Find the reps in a recording: concentric start/end, MCV, MPV, peak velocity, ROM,
    each with a confidence and quality flags; with no reps, why."""
    if fmt == "openbarbell":
        _openbarbell(file, as_json)
        return
    found, warnings, kind, why = _detect(
        file, lpt, fmt, gyro, accel_unit, gyro_unit, time_unit, columns, exercise
    )
    print_reps(found, warnings, kind, why, as_json)


KIND_LABELS = {"lpt": "position transducer", "imu": "IMU", "video": "video"}


def print_reps(
    found: list[DetectedRep], warnings: list[str], kind: str, why: str | None, as_json: bool,
    extra: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """The one rendering of detected reps, for ``replog sensor reps`` and ``replog video
    reps``: one JSON document (``sensor``, ``reps``, ``reason``, ``warnings``, plus
    ``extra``) or a line per rep."""
    if as_json:
        print_json({"sensor": kind, "reps": [r.to_dict() for r in found], "reason": why,
                    "warnings": warnings, **(extra or {})})  # fmt: skip
        return
    for w in warnings:
        typer.echo(f"note: {w}", err=True)
    if not found:
        typer.echo(f"0 reps: {why}" if why else "0 reps")
        return
    typer.echo(f"{len(found)} reps ({KIND_LABELS.get(kind, kind)})")
    for i, r in enumerate(found, 1):
        typer.echo(_rep_line(i, r))
    missing = [i for i, r in enumerate(found, 1) if "velocity_unavailable" in r.quality]
    if len(missing) == len(found) and not all("gap" in r.quality for r in found):
        typer.echo(
            "velocity unavailable: the accelerometer is too slow to integrate; reps are "
            "counted, velocities are not measured"
        )
    elif missing:
        lost = [i for i in missing if "gap" in found[i - 1].quality]
        for group, why in ((lost, "samples were lost during the lift"),
                           ([i for i in missing if i not in lost],
                            "the integration cannot be trusted (see the flags)")):  # fmt: skip
            if not group:
                continue
            one = len(group) == 1
            typer.echo(
                f"velocity unavailable on rep{'' if one else 's'} "
                f"{', '.join(str(i) for i in group)}: {why}, so {'it is' if one else 'they are'}"
                f" counted but {'its velocity is' if one else 'their velocities are'} not measured"
            )


def _rep_line(i: int, r: DetectedRep) -> str:
    span = f"  {i:>2}. {r.start:8.2f}-{r.end:8.2f} s"
    if "velocity_unavailable" in r.quality:
        body = f"  mcv  --   mpv  --   peak  --  m/s  rom   --    {r.concentric_s:.2f} s up"
    else:
        body = (f"  mcv {r.mcv:.2f}  mpv {r.mpv:.2f}  peak {r.peak_velocity:.2f} m/s  "
                f"rom {r.rom * 100:5.1f} cm")  # fmt: skip
    flags = [q for q in r.quality if q != "velocity_unavailable"]
    return (span + body + f"  conf {r.confidence:.2f}"
            + (f"  [{', '.join(flags)}]" if flags else ""))  # fmt: skip


def _openbarbell(file: Path, as_json: bool) -> None:
    from replog.core.errors import ValidationError
    from replog.io.openbarbell import read_openbarbell

    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read {file}: {exc.strerror}", field="file") from None
    warnings: list[str] = []
    sets = read_openbarbell(text, warnings=warnings)
    if as_json:
        doc: dict[str, Any] = {
            "sets": [{"set_id": s.set_id, "reps": [r.to_dict() for r in s.reps]} for s in sets],
            "warnings": warnings,
        }
        print_json(doc)
        return
    for w in warnings:
        typer.echo(f"note: {w}", err=True)
    for s in sets:
        speeds = " ".join(f"{r.mcv:.2f}" for r in s.reps if r.mcv is not None)
        typer.echo(f"{s.set_id[:8]}  {len(s.reps)} reps  mcv {speeds}")


def attach(
    file: Annotated[Path, typer.Argument(help="A sensor recording (CSV).")],
    set_id: Annotated[str, typer.Option("--set", help="The logged set's id (replog show --json).")],
    lpt: LPT = False,
    fmt: FORMAT = "auto",
    gyro: GYRO = None,
    accel_unit: ACCEL_UNIT = "m/s2",
    gyro_unit: GYRO_UNIT = "rad/s",
    time_unit: TIME_UNIT = "s",
    columns: COLUMNS = None,
    exercise: EXERCISE = None,
    update_reps: Annotated[
        bool, typer.Option("--update-reps", help="Take the sensor's rep count for the set.")
    ] = False,
    as_json: JSON = False,
) -> None:
    """Store the reps of a recording on a logged set, then re-run its session's analysis."""
    from replog.core.model import RepSource

    found, warnings, kind, why = _detect(
        file, lpt, fmt, gyro, accel_unit, gyro_unit, time_unit, columns,
        exercise or set_lift(set_id),
    )  # fmt: skip
    if not found:
        from replog.core.errors import ValidationError

        raise ValidationError(f"the recording holds no reps to attach ({why})", field="file")
    source = RepSource.LPT if kind == "lpt" else RepSource.IMU
    attach_found(found, warnings, source, set_id, update_reps, as_json)


def set_lift(set_id: str) -> str | None:
    """The lift of the lifter's logged set ``set_id`` as the sensor pipelines name it, or
    None: ``attach`` measures with it, as the API's uploads do, so a file gives the same
    reps at the CLI and over HTTP."""
    from replog.core.ids import parse_id
    from replog.core.signal.lifts import lift_for
    from replog.services.sessions import set_of

    found = set_of(state.uow(), parse_id(set_id, "set"))
    if found is None or found[1] != state.lifter().id:
        return None  # attach_reps names the missing set
    return lift_for(found[0].exercise)


def attach_found(
    found: list[DetectedRep], warnings: list[str], source: RepSource, set_id: str,
    update_reps: bool, as_json: bool,
) -> None:  # fmt: skip
    """Store detected reps on a logged set and print it with its session's analysis: the
    one attach step of ``replog sensor attach`` and ``replog video attach``."""
    from replog.core.ids import parse_id
    from replog.services.sensors import attach_reps

    updated = attach_reps(
        state.uow(),
        state.lifter(),
        parse_id(set_id, "set"),
        found,
        source,
        update_reps=update_reps,
    )
    feedback = _analysis_of(updated.session_id, updated.id)
    if as_json:
        from replog.core.set_doc import set_doc

        print_json({"set": set_doc(updated), "analysis": feedback, "warnings": warnings})
        return
    for w in warnings:
        typer.echo(f"note: {w}", err=True)
    speeds = " ".join(f"{v:.2f}" for v in updated.velocities)
    typer.echo(f"Attached {len(found)} reps to set {updated.position}: v {speeds}")
    from replog.cli.commands_log import feedback_lines

    for line in feedback_lines(feedback):
        typer.echo(line)


def _analysis_of(session_id: str, set_id: str) -> dict[str, Any]:
    from replog.cli.commands_log import analysis_of

    return analysis_of(session_id, [set_id])
