"""`replog sensor` through the real command line, on simulated recordings with known truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from replog.core.signal.sim import SimConfig, simulate_set

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "velocity"


@pytest.fixture(scope="module")
def squat():
    return simulate_set(
        SimConfig(lift="squat", reps=5, pct_1rm=0.75, rate_hz=100, grade="good_imu", seed=3)
    )


def write_imu(path: Path, sim) -> Path:
    rows = ["t,ax,ay,az,gx,gy,gz"]
    for i in range(len(sim.imu.t)):
        values = (sim.imu.t[i], *sim.imu.acc[i], *sim.imu.gyro[i])
        rows.append(",".join(f"{x:.6f}" for x in values))
    path.write_text("\n".join(rows) + "\n")
    return path


def write_lpt(path: Path, sim) -> Path:
    rows = ["t,displacement"] + [
        f"{t:.5f},{d:.5f}" for t, d in zip(sim.lpt.t, sim.lpt.displacement, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_reps_from_an_imu_and_a_position_recording(cli, tmp_path, squat):
    for args in (
        [str(write_imu(tmp_path / "imu.csv", squat))],
        [str(write_lpt(tmp_path / "lpt.csv", squat)), "--lpt"],
    ):
        doc = cli("sensor", "reps", *args, "--json").json()
        assert len(doc["reps"]) == len(squat.truth) == 5
        for got, truth in zip(doc["reps"], squat.truth, strict=True):
            assert got["mcv"] == pytest.approx(truth.mcv, abs=0.03)
            assert got["rom"] == pytest.approx(truth.rom, abs=0.03)
            assert set(got) >= {"start", "end", "mpv", "peak_velocity", "concentric_s", "quality"}


def test_attach_stores_the_reps_on_a_logged_set_and_analyses_it(cli, tmp_path, squat):
    imu = write_imu(tmp_path / "imu.csv", squat)
    set_id = cli("log", "squat", "100kg", "x5", "@8", "--json").json()["sets"][0]["id"]
    doc = cli("sensor", "attach", str(imu), "--set", set_id, "--json").json()
    assert [r["source"] for r in doc["set"]["rep_data"]] == ["imu"] * 5
    assert doc["analysis"]["sets"][0]["mean_velocity"] is not None
    shown = cli("show", "--json").json()["session"]["sets"][0]
    assert [r["mcv"] for r in shown["rep_data"]] == [r["mcv"] for r in doc["set"]["rep_data"]]

    four = cli("log", "squat", "100kg", "x4", "--json").json()["sets"][0]["id"]
    err = cli.fails("sensor", "attach", str(imu), "--set", four).err
    assert "has 5 reps" in err
    assert "--update-reps" in err
    fixed = cli("sensor", "attach", str(imu), "--set", four, "--update-reps", "--json").json()
    assert fixed["set"]["reps"] == 5


def test_garbage_recordings_are_refused_clearly(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("t,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.01,0,0,x,0,0,0\n")
    assert "line 3" in cli.fails("sensor", "reps", str(bad)).err
    bad.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n")
    assert "error:" in cli.fails("sensor", "reps", str(bad)).err
    assert "no such file" in cli.fails("sensor", "reps", str(tmp_path / "none.csv")).err


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside this checkout")
def test_openbarbell_device_reps(cli):
    doc = cli(
        "sensor",
        "reps",
        str(SHARED / "openbarbell_device_reps.json"),
        "--format",
        "openbarbell",
        "--json",
    ).json()
    assert len(doc["sets"]) > 50
    assert any("Infinity" in w for w in doc["warnings"])


SENSORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "sensors"
BAR_FILES = sorted(SENSORS.glob("bar-imu/*/*.csv"))
WRIST_FILES = sorted(SENSORS.glob("wrist-imu/*_Accelerometer_*.csv"))
MAPPING = "id,t_ms,ax,ay,az,gx,gy,gz"


def test_a_headerless_logger_file_needs_and_takes_columns(cli, tmp_path, squat):
    rows = [
        ",".join(f"{x:.6f}" for x in (7, t * 1000, *a, *g, 40.0, 41.0, 42.0))
        for t, a, g in zip(squat.imu.t, squat.imu.acc, squat.imu.gyro, strict=True)
    ]
    path = tmp_path / "logger.csv"
    path.write_text("\n".join(rows) + "\n")
    err = cli.fails("sensor", "reps", str(path)).err
    assert "no header; name its columns with --columns" in err
    doc = cli("sensor", "reps", str(path), "--columns", MAPPING, "--json").json()
    assert doc["sensor"] == "imu"
    assert isinstance(doc["reps"], list)
    bad = cli.fails("sensor", "reps", str(path), "--columns", "id,t_ms,ay,az,gx,gy,gz").err
    assert "missing ax" in bad


@pytest.mark.skipif(not BAR_FILES, reason=f"no bar-imu recordings in {SENSORS}")
def test_real_bar_logger_file_with_columns(cli):
    doc = cli("sensor", "reps", str(BAR_FILES[0]), "--columns", MAPPING, "--json").json()
    assert doc["sensor"] == "imu"
    assert len(doc["warnings"]) <= 5
    plain = cli("sensor", "reps", str(BAR_FILES[0]), "--columns", MAPPING)
    assert plain.code == 0


@pytest.mark.skipif(not WRIST_FILES, reason=f"no MetaWear recordings in {SENSORS}")
def test_real_metawear_accelerometer_file(cli):
    doc = cli("sensor", "reps", str(WRIST_FILES[0]), "--json").json()
    assert doc["sensor"] == "imu"
    assert any("gyroscope read from" in w for w in doc["warnings"])
    gyro = next(WRIST_FILES[0].parent.glob("*_Gyroscope_*.csv"))
    assert "pass the accelerometer file" in cli.fails("sensor", "reps", str(gyro)).err


ADAM = SENSORS / "bar-imu" / "squat" / "squat_adam_set1_reps10_1.csv"
REST = sorted(SENSORS.glob("wrist-imu/A-rest-sitting_*_Accelerometer_*.csv"))


@pytest.mark.skipif(not ADAM.is_file(), reason=f"shared data absent: {ADAM}")
def test_the_acceptance_file_prints_ten_squats_and_names_a_rep_without_velocity(cli):
    out = cli("sensor", "reps", str(ADAM), "--columns", MAPPING, "--exercise", "squat").out
    assert out.startswith("10 reps (IMU)")
    rows = [line for line in out.splitlines() if " s  mcv" in line]
    assert len(rows) == 10
    assert not any("rom_implausible" in r for r in rows)
    blank = [i for i, r in enumerate(rows, 1) if "mcv  --" in r]
    if blank:  # a rep with more than 0.2 s of samples lost is counted, not measured
        named = "velocity unavailable on rep" + ("s " if len(blank) > 1 else " ")
        assert named + ", ".join(map(str, blank)) in out


@pytest.mark.skipif(not REST, reason=f"no rest recording in {SENSORS}")
def test_a_wrist_at_rest_says_no_lifting(cli):
    out = cli("sensor", "reps", str(REST[0])).out
    assert out.startswith("0 reps: no lifting")
    assert "moving about" in out


PRESS = SENSORS / "bar-imu" / "shoulder_press" / "shoulder_anuj_set2_rep10_1.csv"


@pytest.mark.skipif(not PRESS.is_file(), reason=f"shared data absent: {PRESS}")
def test_attach_measures_with_the_logged_set_s_lift_as_the_api_does(cli):
    """``sensor attach`` without --exercise reads the recording as the set's lift (a press
    starts at the shoulders: its first rep is counted from the lockout), the same reps the
    API's upload stores."""

    def measures(reps):  # to the JSON's 4 decimals; None where no velocity was measured
        return [tuple(None if r.get(k) is None else round(r[k], 3) for k in ("mcv", "rom"))
                for r in reps]  # fmt: skip

    as_lift = cli("sensor", "reps", str(PRESS), "--columns", MAPPING, "--exercise", "press",
                  "--json").json()["reps"]  # fmt: skip
    blind = cli("sensor", "reps", str(PRESS), "--columns", MAPPING, "--json").json()["reps"]

    def shown(reps):  # what a set stores: no numbers for a rep without a velocity
        return [(None, None) if "velocity_unavailable" in r["quality"] else m
                for r, m in zip(reps, measures(reps), strict=True)]  # fmt: skip

    assert shown(blind) != shown(as_lift)  # the lift matters for this recording
    logged = cli("log", "overhead press", "40kg", f"x{len(as_lift)}", "--json").json()
    set_id = logged["sets"][0]["id"]
    doc = cli("sensor", "attach", str(PRESS), "--columns", MAPPING, "--set", set_id, "--json")
    stored = doc.json()["set"]["rep_data"]
    assert measures(stored) == shown(as_lift)
