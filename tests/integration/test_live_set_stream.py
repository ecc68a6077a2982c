"""A streamed set is stored as the same recording uploaded to that set would be
(services.streaming.LiveSet against io.sensor_detect.detect_reps, the upload's reader and
detector), on the real acceptance recording of issue 17: the set's lift informs both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from replog.core.signal.lifts import lift_for
from replog.io.sensor_csv import read_imu_csv
from replog.io.sensor_detect import detect_reps
from replog.services.streaming import LiveSet

ADAM = (
    Path(__file__).resolve().parents[3]
    / "shared" / "data" / "sensors" / "bar-imu" / "squat" / "squat_adam_set1_reps10_1.csv"
)  # fmt: skip
COLUMNS = "id,t_ms,ax,ay,az,gx,gy,gz"


@pytest.mark.skipif(not ADAM.is_file(), reason=f"shared data absent: {ADAM}")
def test_a_streamed_set_stores_what_its_upload_would() -> None:
    stream = read_imu_csv(ADAM, columns=COLUMNS, warnings=[])
    live = LiveSet("imu", max_samples=10**6, exercise="back-squat")
    emitted = []
    for a in range(0, len(stream.t), 25):  # a phone sends small batches
        sl = slice(a, a + 25)
        emitted += live.feed_imu(stream.t[sl].tolist(), stream.acc[sl].tolist(),
                                 stream.gyro[sl].tolist())  # fmt: skip
    during = len(emitted)
    emitted += live.finish()
    upload = detect_reps(ADAM, "imu", exercise=lift_for("back-squat"), columns=COLUMNS)
    assert [r.mcv for r in live.reps] == pytest.approx([r.mcv for r in upload.reps])
    assert len(live.reps) == 10
    assert during >= 8  # the reps came during the set, not only at its end
    assert np.all(np.diff([r.start for r in live.reps]) > 0)
