"""Sensor stream readers (canonical CSV, headerless CSV with a column mapping, phyphox,
MetaWear) on small fixtures and the real recordings in ../shared, and the OpenBarbell
device format."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from replog.core.errors import ImportFormatError, ValidationError
from replog.core.signal.types import G
from replog.io.openbarbell import read_openbarbell
from replog.io.sensor_csv import read_imu_csv, read_lpt_csv

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "velocity"
OPENBARBELL = SHARED / "openbarbell_device_reps.json"

HEADER = "t,ax,ay,az,gx,gy,gz"


def _imu_text(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _good_rows(n: int = 5) -> list[str]:
    return [f"{0.01 * i:.2f},0.1,{0.2 + i / 10:.1f},9.8,0.01,0.02,0.03" for i in range(n)]


def _error(fn, *args, **kwargs) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        fn(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------- canonical CSV
def test_canonical_round_trip_is_exact(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    t = np.cumsum(rng.uniform(0.008, 0.012, 200)) + 1234.5  # irregular, not starting at 0
    acc = rng.normal(0, 3, (200, 3)) + np.array([0.0, 0.0, G])
    gyro = rng.normal(0, 1, (200, 3))
    path = tmp_path / "imu.csv"
    np.savetxt(
        path,
        np.column_stack([t, acc, gyro]),
        delimiter=",",
        header=HEADER,
        comments="",
        fmt="%.17g",
    )
    warnings: list[str] = []
    stream = read_imu_csv(path, warnings=warnings)
    assert np.array_equal(stream.t, t)
    assert np.array_equal(stream.acc, acc)
    assert np.array_equal(stream.gyro, gyro)
    assert warnings == []
    assert read_imu_csv(str(path)).t[0] == t[0]  # a path given as a string


def test_lpt_round_trip_and_units(tmp_path: Path) -> None:
    t = np.arange(50) * 0.01
    d = 0.5 * np.sin(t * 3)
    path = tmp_path / "lpt.csv"
    np.savetxt(
        path,
        np.column_stack([t, d]),
        delimiter=",",
        header="t,displacement",
        comments="",
        fmt="%.17g",
    )
    stream = read_lpt_csv(path)
    assert np.array_equal(stream.t, t)
    assert np.array_equal(stream.displacement, d)
    mm = read_lpt_csv("t;displacement\n0;0\n10;5\n20;12\n", time_unit="ms", displacement_unit="mm")
    assert np.allclose(mm.t, [0, 0.01, 0.02])
    assert np.allclose(mm.displacement, [0, 0.005, 0.012])


def test_unit_conversions() -> None:
    text = _imu_text(["0,0,0,1,0,0,180", "1000,0,0,1,90,0,0", "2000,0.5,0,1,0,0,0"])
    stream = read_imu_csv(text, accel_unit="g", gyro_unit="deg/s", time_unit="ms")
    assert np.allclose(stream.t, [0, 1, 2])
    assert stream.acc[0, 2] == pytest.approx(9.80665)
    assert stream.acc[2, 0] == pytest.approx(G / 2)
    assert stream.gyro[0, 2] == pytest.approx(math.pi)
    assert stream.gyro[1, 0] == pytest.approx(math.pi / 2)


def test_separators_column_order_blank_lines_and_decimal_comma() -> None:
    semi = "t;gx;gy;gz;ax;ay;az\n0;1;2;3;4;5;6\n0,5;1;2;3;4;5;7\n\n1;1;2;3;4;5;8\n\n\n"
    stream = read_imu_csv(semi)
    assert np.allclose(stream.t, [0, 0.5, 1])
    assert np.allclose(stream.acc[:, 2], [6, 7, 8])
    assert np.allclose(stream.gyro[0], [1, 2, 3])
    tab = _imu_text([r.replace(",", "\t") for r in _good_rows()], HEADER.replace(",", "\t"))
    assert len(read_imu_csv(tab).t) == 5


def test_irregular_time_is_kept_and_gaps_are_flagged() -> None:
    times = [0.0, 0.01, 0.021, 0.03, 0.5, 0.51, 0.52]
    rows = [f"{t},0,{i},9.8,0,0,0" for i, t in enumerate(times)]
    warnings: list[str] = []
    stream = read_imu_csv(_imu_text(rows), warnings=warnings)
    assert np.array_equal(stream.t, times)  # not resampled
    assert len(warnings) == 1
    assert warnings[0].startswith("1 gap longer than 0.10 s (5x the median interval")
    assert "0.03 s into the recording" in warnings[0]
    assert "the longest 0.470 s" in warnings[0]


def test_many_gaps_are_one_line() -> None:
    t = np.arange(400) * 0.01
    t[100:] += 0.5
    t[200:] += 0.3
    t[300:] += 0.8
    rows = [f"{x:.3f},0,{i % 7},9.8,0,0,0" for i, x in enumerate(t)]
    warnings: list[str] = []
    read_imu_csv(_imu_text(rows), warnings=warnings)
    assert len(warnings) == 1
    assert "3 gaps" in warnings[0]
    assert "the longest 0.810 s" in warnings[0]


def test_packet_jitter_of_a_fast_logger_is_no_gap() -> None:
    """A 250 Hz logger that delivers every 20 ms: 5x its median interval, not a gap."""
    t = np.cumsum(np.tile([0.004, 0.004, 0.004, 0.004, 0.02], 80))
    rows = [f"{x:.3f},0,{i % 7},9.8,0,0,0" for i, x in enumerate(t)]
    warnings: list[str] = []
    read_imu_csv(_imu_text(rows), warnings=warnings)
    assert warnings == []


def test_repeated_timestamps_are_merged_and_rows_out_of_order_sorted() -> None:
    rows = [
        "0.00,1,0,9.8,0,0,0",
        "0.01,2,0,9.8,0,0,0",
        "0.01,4,0,9.8,0,0,0",  # same time as the row before: one packet, spread back
        "0.01,4,0,9.8,0,0,0",  # the same row again: a retried write, dropped
        "0.03,5,0,9.8,0,0,1",
        "0.02,6,0,9.8,0,0,0",  # came late: put back in order
        "0.04,7,0,9.8,0,0,0",
    ]
    warnings: list[str] = []
    stream = read_imu_csv(_imu_text(rows), warnings=warnings)
    assert np.allclose(stream.t, [0.0, 0.005, 0.01, 0.02, 0.03, 0.04])
    assert np.allclose(stream.acc[:, 0], [1, 2, 4, 6, 5, 7])
    assert np.allclose(stream.gyro[:, 2], [0, 0, 0, 0, 1, 0])
    assert len(warnings) == 3
    assert "1 rows repeated the row before them exactly" in warnings[0]
    assert "2 rows shared a timestamp" in warnings[1]
    assert "1 rows were out of time order" in warnings[2]


def test_repeats_are_merged_for_lpt_too() -> None:
    warnings: list[str] = []
    text = "t,displacement\n0,0\n0.1,0.1\n0.1,0.3\n0.2,0.4\n0.3,0.5\n"
    stream = read_lpt_csv(text, warnings=warnings)
    assert np.allclose(stream.t, [0, 0.05, 0.1, 0.2, 0.3])
    assert np.allclose(stream.displacement, [0, 0.1, 0.3, 0.4, 0.5])
    assert ["shared a timestamp" in w for w in warnings] == [True]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (["0.5,1,2,3,4,5,6", "0.5,1,2,3,4,5,7", "0.5,1,2,3,4,5,8", "0.5,2,2,3,4,5,6"], "same time"),
        (["0,1,2,3,4,5,6", "0.1,1,2,3,4,5,6", "0.1,1,2,3,4,5,7"], "2 distinct time(s)"),
        (["0,1,2,3,4,5,6", "0.1,1,2,3,4,5,6", "0,1,2,3,4,5,7", "0.1,1,2,3,1,5,7"], "2 distinct"),
    ],
)
def test_fewer_than_3_distinct_times_is_refused(rows: list[str], words: str) -> None:
    err = _error(read_imu_csv, _imu_text(rows))
    assert err.field == "t"
    assert words in err.message
    assert "at least 3 distinct times" in err.message


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("", 1, None, "empty"),
        ("time,x,y\n1,2,3\n", 1, None, "unknown header"),
        ("t,ax,ay,az,gx,gy\n0,1,2,3,4,5\n", 1, None, "missing gz"),
        (_imu_text([*_good_rows(2), "0.02,1,2,3,4,5"]), 4, None, "expected 7 columns"),
        (_imu_text([*_good_rows(2), "0.02,1,2,abc,4,5,6"]), 4, "az", "'abc'"),
        (_imu_text([*_good_rows(2), "0.02,1,2,,4,5,6"]), 4, "az", "empty value"),
        (_imu_text([*_good_rows(2), "0.02,1,2,3,NaN,5,6"]), 4, "gx", "finite"),
        (_imu_text([*_good_rows(2), "0.02,1,2,3,4,inf,6"]), 4, "gy", "finite"),
        (_imu_text(_good_rows(2)), None, "t", "at least 3"),
        (_imu_text(["0,0,0,0,0,0,0"] * 1 + ["1,0,0,0,0,0,0", "2,0,0,0,0,0,0"]), None, "ax", "0"),
        (_imu_text(["0,1,2,3,4,5,6", "1,1,2,3,4,5,6", "2,1,2,3,4,5,6"]), None, "ax", "constant"),
        ("t,displacement\n0,0\n1,1\n2,2\n", 1, None, "position-transducer"),
    ],
)
def test_imu_errors_name_line_and_column(
    text: str, line: int | None, field: str | None, words: str
) -> None:
    err = _error(read_imu_csv, text)
    assert err.line == line
    assert err.field == field
    assert words in err.message
    if line is not None:
        assert f"line {line}" in str(err)


def test_files_of_another_kind_are_named(tmp_path: Path) -> None:
    replog = json.dumps({"format": "replog", "version": 1, "athletes": []})
    assert "RepLog JSON" in _error(read_imu_csv, replog).message
    strong = (
        "Date;Workout Name;Duration;Exercise Name;Set Order;Weight;Reps\n"
        '2020-01-01 10:00:00;"A";1h;"Squat";1;100;5\n'
    )
    err = _error(read_imu_csv, strong)
    assert "Strong workout export" in err.message
    assert err.line == 1
    ob = json.dumps({"x": {"setID": "x", "reps": []}})
    assert "OpenBarbell" in _error(read_imu_csv, ob).message
    fit = tmp_path / "a.fit"
    fit.write_bytes(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00")
    assert "binary" in _error(read_imu_csv, fit).message
    assert "IMU" in _error(read_lpt_csv, _imu_text(_good_rows())).message
    assert "no such file" in _error(read_imu_csv, str(tmp_path / "missing.csv")).message


def test_lpt_errors() -> None:
    assert "never change" in _error(read_lpt_csv, "t,displacement\n0,1\n1,1\n2,1\n").message
    err = _error(read_lpt_csv, "t,displacement\n0,0\n1,x\n2,1\n")
    assert (err.line, err.field) == (3, "displacement")


def test_bad_options_are_validation_errors() -> None:
    with pytest.raises(ValidationError, match="accel_unit"):
        read_imu_csv(_imu_text(_good_rows()), accel_unit="ft/s2")
    with pytest.raises(ValidationError, match="format"):
        read_imu_csv(_imu_text(_good_rows()), format="strong")


# ---------------------------------------------------------------------------- phyphox
PHYPHOX_ACC = (
    '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)",'
    '"Absolute acceleration (m/s^2)"\n'
)
PHYPHOX_GYRO = (
    '"Time (s)","Gyroscope x (rad/s)","Gyroscope y (rad/s)","Gyroscope z (rad/s)",'
    '"Absolute (rad/s)"\n'
)


def _phyphox_acc(n: int = 6) -> str:
    rows = [f"{0.01 * i:.9E},{0.1 * i:.9E},0.000000000E0,9.806650000E0,9.81E0" for i in range(n)]
    return PHYPHOX_ACC + "\n".join(rows) + "\n"


def _phyphox_gyro(t0: float = 0.005) -> str:
    rows = [f"{t0 + 0.01 * i:.9E},{i:.9E},0.0E0,1.0E-1,1.0E0" for i in range(5)]
    return PHYPHOX_GYRO + "\n".join(rows) + "\n"


def test_phyphox_is_detected_and_merged(tmp_path: Path) -> None:
    acc = tmp_path / "Accelerometer.csv"
    acc.write_text(_phyphox_acc())
    gyro = tmp_path / "Gyroscope.csv"
    gyro.write_text(_phyphox_gyro())
    warnings: list[str] = []
    stream = read_imu_csv(acc, gyro=gyro, warnings=warnings)
    # gyroscope spans 0.005..0.045 s: accelerometer samples at 0.01..0.04 s remain
    assert np.allclose(stream.t, [0.01, 0.02, 0.03, 0.04])
    assert np.allclose(stream.acc[:, 0], [0.1, 0.2, 0.3, 0.4])
    assert np.allclose(stream.gyro[:, 0], [0.5, 1.5, 2.5, 3.5])  # interpolated
    assert np.allclose(stream.gyro[:, 2], 0.1)
    assert any("2 accelerometer samples" in w for w in warnings)


def test_phyphox_without_gyro_and_decimal_comma() -> None:
    text = _phyphox_acc().replace(",", ";")
    text = "\n".join(
        line if i == 0 else line.replace(".", ",") for i, line in enumerate(text.splitlines())
    )
    warnings: list[str] = []
    stream = read_imu_csv(text, warnings=warnings)
    assert np.allclose(stream.acc[:, 2], 9.80665)
    assert not stream.gyro.any()
    assert "angular rate set to 0" in warnings[0]


def test_phyphox_errors() -> None:
    linear = PHYPHOX_ACC.replace("Acceleration x", "Linear Acceleration x") + "0,1,2,3,4\n"
    assert "Linear Acceleration" in _error(read_imu_csv, linear).message
    assert "not a phyphox 'Acceleration with g'" in _error(read_imu_csv, _phyphox_gyro()).message
    with pytest.raises(ValidationError, match="units"):
        read_imu_csv(_phyphox_acc(), accel_unit="g")
    far = _phyphox_gyro(t0=100.0)
    assert "overlap" in _error(read_imu_csv, _phyphox_acc(), gyro=far).message


# ---------------------------------------------------------------------------- column mapping
MAPPING = "id,t_ms,ax,ay,az,gx,gy,gz"


def _logger_rows(n: int = 6, *, sep: str = ",") -> list[str]:
    """Rows like the bar logger's: set id, ms, acc, gyro, then 3 magnetometer columns."""
    return [
        sep.join(str(v) for v in (1, 1000 + 10 * i, 0.1 * i, 0.2, 9.8, 0.01, 0.02, i, 40, 41, 42))
        for i in range(n)
    ]


def test_headerless_logger_csv_read_with_a_column_mapping() -> None:
    warnings: list[str] = []
    stream = read_imu_csv("\n".join(_logger_rows()) + "\n", columns=MAPPING, warnings=warnings)
    assert np.allclose(stream.t, 1.0 + 0.01 * np.arange(6))
    assert np.allclose(stream.acc[:, 0], 0.1 * np.arange(6))
    assert np.allclose(stream.acc[:, 2], 9.8)
    assert np.allclose(stream.gyro[:, 2], np.arange(6))  # gz, not a magnetometer column
    assert warnings == []
    as_list = read_imu_csv("\n".join(_logger_rows()), columns=MAPPING.split(","))
    assert np.array_equal(as_list.t, stream.t)


def test_column_mapping_names_units_and_skipped_columns() -> None:
    rows = [f"{i * 10000},x,0,0,1,0,0,{90 * (i % 2)}" for i in range(4)]
    stream = read_imu_csv(
        "\n".join(rows), columns="t_us,_,ax,ay,az,gx,gy,gz", accel_unit="g", gyro_unit="deg/s"
    )
    assert np.allclose(stream.t, [0, 0.01, 0.02, 0.03])
    assert np.allclose(stream.acc[:, 2], G)
    assert np.allclose(stream.gyro[:, 2], [0, math.pi / 2, 0, math.pi / 2])
    # columns in another order, time in seconds, time_unit applying to a plain t
    other = ["9.8,0,0,0.1,0.2,0.3,0", "9.8,0,1,0.1,0.2,0.3,10", "9.8,0,2,0.1,0.2,0.3,20"]
    again = read_imu_csv("\n".join(other), columns="az,ax,ay,gx,gy,gz,t", time_unit="ms")
    assert np.allclose(again.t, [0, 0.01, 0.02])
    assert np.allclose(again.acc[:, 1], [0, 1, 2])


def test_column_mapping_skips_a_header_row_and_reads_semicolons() -> None:
    header = "set;time;ax;ay;az;gx;gy;gz;mx;my;mz"
    rows = [r.replace(".", ",") for r in _logger_rows(sep=";")]
    stream = read_imu_csv("\n".join([header, *rows]), columns=MAPPING)
    assert len(stream.t) == 6
    assert np.allclose(stream.acc[:, 0], 0.1 * np.arange(6))


def test_a_headerless_file_without_a_mapping_says_how_to_name_its_columns() -> None:
    err = _error(read_imu_csv, "\n".join(_logger_rows()))
    assert err.line == 1
    assert err.message == (
        "this file has no header; name its columns with --columns, e.g. "
        "--columns id,t_ms,ax,ay,az,gx,gy,gz"
    )
    assert "--columns" in _error(read_lpt_csv, "0,1\n1,2\n2,3\n").message


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        ("id,t_ms,ay,az,gx,gy,gz", "missing ax"),
        ("id,t_ms,ax,ax,ay,az,gx,gy,gz", "names ax more than once"),
        ("t,t_ms,ax,ay,az,gx,gy,gz", "names t and t_ms more than once"),
        ("id,ax,ay,az,gx,gy,gz", "no time column"),
        ("id,,t_ms,ax,ay,az,gx,gy,gz", "column 2 has no name"),
        (MAPPING + ",mx,my,mz,extra", "names 12 columns but the file has 11"),
    ],
)
def test_bad_column_mappings(columns: str, words: str) -> None:
    err = _error(read_imu_csv, "\n".join(_logger_rows()), columns=columns)
    assert err.field == "columns"
    assert words in err.message


def test_column_mapping_errors_name_line_and_column() -> None:
    rows = _logger_rows()
    rows[3] = rows[3].replace("9.8", "oops")
    err = _error(read_imu_csv, "\n".join(rows), columns=MAPPING)
    assert (err.line, err.field) == (4, "az")
    assert "'oops'" in err.message
    short = [*_logger_rows(3), "1,1030,0,0"]
    err = _error(read_imu_csv, "\n".join(short), columns=MAPPING)
    assert err.line == 4
    assert "expected 11 columns like the first row (line 1), got 4" in err.message
    with pytest.raises(ValidationError, match="time_unit"):
        read_imu_csv("\n".join(_logger_rows()), columns=MAPPING, time_unit="ms")
    with pytest.raises(ValidationError, match="headerless"):
        read_imu_csv(_phyphox_acc(), columns=MAPPING, format="phyphox")


def test_lpt_column_mapping() -> None:
    text = "7,0,0.10,x\n7,10,0.12,x\n7,20,0.15,x\n7,20,0.17,x\n"
    warnings: list[str] = []
    stream = read_lpt_csv(text, columns="id,t_ms,displacement", warnings=warnings)
    assert np.allclose(stream.t, [0, 0.01, 0.015, 0.02])  # the last packet spread back
    assert np.allclose(stream.displacement, [0.10, 0.12, 0.15, 0.17])
    assert len(warnings) == 1
    err = _error(read_lpt_csv, text, columns="id,t_ms,ax")
    assert (err.field, "missing displacement" in err.message) == ("columns", True)


# ---------------------------------------------------------------------------- MetaWear
MW_ACC = "epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n"
MW_GYRO = "epoch (ms),time (-05:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n"
MW_STEM = "_MetaWear_2019-01-18T18.28.28.218_C42732BE255C_"
T0 = 1547832508000


def _mw_acc(n: int = 8, t0: int = T0) -> str:
    rows = [f"{t0 + 80 * i},2019-01-18T18:28:28.000,{0.08 * i:.3f},0.{i},0,1" for i in range(n)]
    return MW_ACC + "\n".join(rows) + "\n"


def _mw_gyro(n: int = 16, t0: int = T0 - 20) -> str:
    rows = [f"{t0 + 40 * i},2019-01-18T18:28:28.000,{0.04 * i:.3f},{9 * i},0,180" for i in range(n)]
    return MW_GYRO + "\n".join(rows) + "\n"


def _mw_files(folder: Path, name: str = "A-bench-heavy", gyro_name: str | None = None) -> Path:
    acc = folder / f"{name}{MW_STEM}Accelerometer_12.500Hz_1.4.4.csv"
    acc.write_text(_mw_acc())
    gname = gyro_name if gyro_name is not None else name
    (folder / f"{gname}{MW_STEM}Gyroscope_25.000Hz_1.4.4.csv").write_text(_mw_gyro())
    return acc


def test_metawear_finds_its_gyroscope_file_and_converts_units(tmp_path: Path) -> None:
    acc = _mw_files(tmp_path, name="A-bench-half ", gyro_name="A-bench-half")  # a stray space
    warnings: list[str] = []
    stream = read_imu_csv(acc, warnings=warnings)
    assert np.allclose(stream.t, (T0 + 80 * np.arange(8)) / 1000)
    assert stream.acc[3, 0] == pytest.approx(0.3 * G)
    assert np.allclose(stream.acc[:, 2], G)
    # gyro at t0-20+40i ms, x = 9i deg/s: at the accelerometer's t0+80k it is 9 * (2k + 0.5)
    assert np.allclose(stream.gyro[:, 0], np.radians(9 * (2 * np.arange(8) + 0.5)))
    assert np.allclose(stream.gyro[:, 2], math.pi)
    assert len(warnings) == 1
    assert "gyroscope read from A-bench-half_MetaWear_" in warnings[0]


def test_metawear_explicit_gyro_span_and_no_gyro(tmp_path: Path) -> None:
    gyro = tmp_path / "g.csv"
    gyro.write_text(_mw_gyro(n=10, t0=T0 + 100))  # covers t0+100..t0+460 ms
    warnings: list[str] = []
    stream = read_imu_csv(_mw_acc(), gyro=gyro, format="metawear", warnings=warnings)
    assert np.allclose(stream.t * 1000 - T0, [160, 240, 320, 400])
    assert any("4 accelerometer samples outside" in w for w in warnings)
    alone: list[str] = []
    stream = read_imu_csv(_mw_acc(), warnings=alone)  # text: no folder to look in
    assert not stream.gyro.any()
    assert "angular rate set to 0" in alone[0]
    acc = tmp_path / f"B-row{MW_STEM}Accelerometer_12.500Hz_1.4.4.csv"
    acc.write_text(_mw_acc())
    none_beside: list[str] = []
    assert not read_imu_csv(acc, warnings=none_beside).gyro.any()
    assert "angular rate set to 0" in none_beside[0]


def test_metawear_picks_the_gyroscope_of_the_same_version(tmp_path: Path) -> None:
    acc = _mw_files(tmp_path)
    other = acc.name.replace("Accelerometer_12.500Hz_1.4.4", "Gyroscope_25.000Hz_1.4.41")
    (tmp_path / other).write_text(_mw_gyro(t0=T0 + 86_400_000))  # a day later: no overlap
    warnings: list[str] = []
    assert read_imu_csv(acc, warnings=warnings).gyro.any()
    assert "_Gyroscope_25.000Hz_1.4.4.csv" in warnings[0]
    # two of the same version (names differing only in a space): the user must choose
    twin = acc.name.replace("heavy_", "heavy _").replace("Accelerometer_12.500", "Gyroscope_25.000")
    (tmp_path / twin).write_text(_mw_gyro())
    err = _error(read_imu_csv, acc)
    assert (err.field, "several gyroscope files" in err.message) == ("gyro", True)
    assert "--gyro" in err.message
    assert read_imu_csv(acc, gyro=tmp_path / twin).gyro.any()


def test_metawear_errors(tmp_path: Path) -> None:
    err = _error(read_imu_csv, _mw_gyro())
    assert "gyroscope file; pass the accelerometer file" in err.message
    assert err.line == 1
    accel_as_gyro = tmp_path / "a.csv"
    accel_as_gyro.write_text(_mw_acc())
    assert "is a MetaWear accelerometer file" in (
        _error(read_imu_csv, _mw_acc(), gyro=accel_as_gyro).message
    )
    with pytest.raises(ValidationError, match="ms, g, deg/s"):
        read_imu_csv(_mw_acc(), accel_unit="g")
    bad = _mw_acc().replace("0.3,0,1", "0.3,,1")
    assert (_error(read_imu_csv, bad).line, _error(read_imu_csv, bad).field) == (5, "y")
    assert "MetaWear" in _error(read_lpt_csv, _mw_acc()).message


# ---------------------------------------------------------------------------- real recordings
SENSORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "sensors"


def _real(pattern: str) -> list[object]:
    files = sorted(SENSORS.glob(pattern))
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"absent: {SENSORS}/{pattern}"))]
    return [pytest.param(f, id=f.name) for f in files]


@pytest.mark.parametrize("path", _real("bar-imu/*/*.csv"))
def test_real_bar_logger_files(path: Path) -> None:
    warnings: list[str] = []
    stream = read_imu_csv(path, columns=MAPPING, warnings=warnings)
    assert np.all(np.diff(stream.t) > 0)
    assert 9.0 <= np.median(np.linalg.norm(stream.acc, axis=1)) <= 10.8
    assert len(warnings) <= 5


@pytest.mark.parametrize("path", _real("wrist-imu/*_Accelerometer_*.csv"))
def test_real_metawear_files(path: Path) -> None:
    warnings: list[str] = []
    stream = read_imu_csv(path, warnings=warnings)
    assert any("gyroscope read from" in w for w in warnings)
    assert np.all(np.diff(stream.t) > 0)
    # the C-row sets (a rowing wrist) have a median of 11.1 m/s^2
    assert 8.5 <= np.median(np.linalg.norm(stream.acc, axis=1)) <= 11.5
    gyro = np.linalg.norm(stream.gyro, axis=1)
    assert 0 < np.median(gyro) < 5
    assert len(warnings) <= 5


# ---------------------------------------------------------------------------- OpenBarbell
def _ob_rep(avg: str = "0.55", rom: str = "700.0", **kw: object) -> dict[str, object]:
    data = ["-3456.0", "1.0", avg, rom, "1.1", "88.0", "9.5", "1500000.0"]
    data += ["0.0"] * 13 + ["-9999.0", "5.0", "10.0", "-9876.0", "800.1", "-6789.0", "3.0"]
    return {"isValid": True, "removed": False, "time": "2018-01-01T00:00:00Z", "data": data, **kw}


def _ob_doc(reps: list[dict[str, object]], **kw: object) -> str:
    body = {
        "s1": {
            "setID": "s1",
            "exercise": "Squat",
            "weight": 100,
            "metric": "kg",
            "removed": False,
            "reps": reps,
            **kw,
        }
    }
    return json.dumps(body)


def test_openbarbell_small_document() -> None:
    warnings: list[str] = []
    sets = read_openbarbell(
        _ob_doc(
            [_ob_rep(), _ob_rep(avg="Infinity"), _ob_rep(removed=True), _ob_rep(isValid=False)]
        ),
        warnings=warnings,
    )
    assert len(sets) == 1
    assert len(sets[0].reps) == 1
    rep = sets[0].reps[0]
    assert (rep.mcv, rep.peak_velocity, rep.rom, rep.duration_s) == (0.55, 1.1, 0.7, 1.5)
    assert rep.to_dict()["start"] is None
    assert rep.device_version == 3
    assert any("set s1 rep[1]" in w and "average velocity" in w for w in warnings)
    assert any("1 rep(s) marked removed and 1 marked invalid" in w for w in warnings)


def test_openbarbell_structural_errors() -> None:
    assert _error(read_openbarbell, "{nope").line == 1
    assert "OpenBarbell" in _error(read_openbarbell, "[1, 2]").message
    bad = _ob_rep(rom="abc")
    assert "set s1 rep[0]" in _error(read_openbarbell, _ob_doc([bad])).message
    assert "'data' list" in _error(read_openbarbell, _ob_doc([{"isValid": True}])).message


@pytest.mark.skipif(not OPENBARBELL.is_file(), reason=f"shared data absent: {OPENBARBELL}")
def test_real_openbarbell_file() -> None:
    warnings: list[str] = []
    sets = read_openbarbell(OPENBARBELL.read_text(encoding="utf-8"), warnings=warnings)
    reps = [r for s in sets for r in s.reps]
    # 60 sets, 162 reps in the file; three reps hold impossible values, one set had only that
    assert (len(sets), len(reps)) == (59, 159)
    skipped = [w for w in warnings if "skipped," in w]
    assert len(skipped) == 3
    assert any("0af6e755" in w and "Infinity" in w for w in skipped)
    assert any("299792458" in w for w in skipped)
    assert any("9001" in w for w in skipped)
    assert all(math.isfinite(v) for r in reps for v in (r.mcv, r.peak_velocity, r.rom))
    assert all(0.2 < r.mcv < 1.2 for r in reps)
    assert all(0.3 < r.peak_velocity < 2.5 for r in reps)
    assert all(0.2 < r.rom < 1.2 for r in reps)
    assert all(r.duration_s is not None and 0.2 < r.duration_s < 4 for r in reps)
    assert {r.device_version for r in reps} == {2, 3}
