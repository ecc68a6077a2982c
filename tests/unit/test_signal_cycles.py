"""Counting reps without rests (replog.core.signal.cycles), how vertical a movement was
(attitude.verticality) and real device clocks (timebase.merge_repeats): known answers on
constructed signals, properties with hypothesis, and the real rest recordings in
../shared (a wrist moving about is no set)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replog.core.signal import cycles as cy
from replog.core.signal.attitude import verticality
from replog.core.signal.imu import ImuConfig, analyze_imu
from replog.core.signal.timebase import merge_repeats
from replog.core.signal.types import ImuStream

WRIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "sensors" / "wrist-imu"
RATE = 50.0


def _reps(
    n: int, period: float, rom: float = 0.5, lead: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """Time and displacement of ``n`` raised-cosine reps (down then up) after ``lead`` s
    still and before ``lead`` s still."""
    t = np.arange(0.0, n * period + 2 * lead, 1.0 / RATE)
    phase = np.clip(t - lead, 0.0, n * period)
    return t, -0.5 * rom * (1.0 - np.cos(2 * np.pi * phase / period))


def _accel(d: np.ndarray) -> np.ndarray:
    return np.gradient(np.gradient(d, 1.0 / RATE), 1.0 / RATE)


# ---------------------------------------------------------------------------- tempo
@pytest.mark.parametrize(("period", "sway"), [(0.9, 0.4), (1.6, 0.4), (3.0, 0.1), (5.0, 0.1)])
def test_tempo_is_the_rep_period_despite_a_slow_sway(period: float, sway: float) -> None:
    """A 0.13 Hz sway under the reps (a walk-out, a breath), larger than the reps when they
    are fast, is where the old spectral peak landed (a 10-rep 1.1 Hz row read as 0.12 Hz);
    the autocorrelation finds the reps."""
    t, d = _reps(10, period, rom=0.3, lead=0.5)
    d = d + sway * np.sin(2 * np.pi * 0.13 * t)
    f0, periodic = cy.tempo(_accel(d), RATE)
    assert f0 == pytest.approx(1.0 / period, rel=0.06)
    assert periodic > 0.4


def test_uneven_movements_are_less_periodic_than_a_set() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(0.0, 40.0, 1.0 / RATE)
    d = np.zeros_like(t)
    moves = zip(rng.uniform(0, 36, 6), rng.uniform(1, 4, 6), rng.uniform(-0.6, 0.6, 6), strict=True)
    for start, dur, size in moves:
        d += size * 0.5 * (1 - np.cos(2 * np.pi * np.clip((t - start) / dur, 0, 1)))
    assert cy.tempo(_accel(d), RATE)[1] < 0.4


# ---------------------------------------------------------------------------- counting
def _count(d: np.ndarray, min_rise: float = 0.15) -> int:
    f0 = cy.tempo(_accel(d), RATE)[0]
    band = cy.band_displacement(_accel(d), RATE, 0.5 * f0, 6.0)
    return len(cy.find_cycles(band, prominence=0.3, min_rise=min_rise, relative_rise=0.5))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 12), period=st.floats(1.0, 4.0), rom=st.floats(0.25, 0.7),
       wander=st.floats(0.0, 0.3))  # fmt: skip
def test_every_rep_is_counted_on_a_wandering_baseline(
    n: int, period: float, rom: float, wander: float
) -> None:
    t, d = _reps(n, period, rom)
    d = d + wander * rom * np.sin(2 * np.pi * t / (3.3 * period))  # slower than the reps
    assert _count(d) == n


def test_the_walk_out_and_the_re_rack_are_not_reps() -> None:
    """Six 0.55 m reps; before them a slow 0.3 m rise over 3 s (standing up with the bar),
    after them another (the re-rack): slower than twice the set's rises and smaller than
    0.8 of them, so not reps."""
    t, d = _reps(6, 2.0, rom=0.55, lead=4.0)
    slow = 0.3 * 0.5 * (1 - np.cos(np.pi * np.clip((t - 0.5) / 3.0, 0, 1)))
    late = 0.3 * 0.5 * (1 - np.cos(np.pi * np.clip((t - t[-1] + 3.6) / 3.0, 0, 1)))
    assert _count(d + slow - 0.3 + late) == 6


def test_a_grinding_last_rep_still_counts() -> None:
    """A last rep whose concentric takes twice as long (1.6 s, not 0.8: a 50 % velocity
    loss, a set taken to failure): slow, but it rises as far as the others. (Three times
    as long is missed: the counting band, from half the set's tempo, takes most of its
    rise away; measuring rises over a wider band cost 6 % of the real sets to drift.)"""
    _, d = _reps(5, 1.6, rom=0.5, lead=1.0)
    down = -0.25 * (1 - np.cos(np.pi * np.arange(0.0, 0.8, 1.0 / RATE) / 0.8))
    up = -0.5 + 0.25 * (1 - np.cos(np.pi * np.arange(0.0, 1.6, 1.0 / RATE) / 1.6))
    tail = np.zeros(int(1.5 * RATE))
    assert _count(np.concatenate((d[: -int(RATE)], down, up, tail))) == 6


def test_a_small_rep_in_the_sets_rhythm_counts_and_a_small_movement_outside_it_does_not() -> None:
    """Eight 0.5 m reps every 2 s, the fifth only 0.18 m (a rep the counting signal renders
    small: under half the typical rise): it keeps its place in the rhythm, so it counts. A
    0.18 m movement after the set, outside any gap in the rhythm, does not."""
    t, d = _reps(8, 2.0, rom=0.5)
    fifth = (t >= 2.0 + 4 * 2.0) & (t < 2.0 + 5 * 2.0)
    d[fifth] *= 0.36
    assert _count(d) == 8
    late = -0.09 * (1 - np.cos(2 * np.pi * np.clip((t - t[-1] + 1.9) / 1.8, 0, 1)))
    assert _count(np.concatenate((d, d[-1] + late[: int(2.0 * RATE)]))) == 8


def test_rhythm_fills_only_holes_between_counted_reps() -> None:
    """``_in_rhythm`` adds the largest candidate in a hole two periods wide, none in a
    set too short to have a rhythm, and none half a period from a counted rise."""
    out = [cy.Cycle(b, b + 10, 0.5) for b in (0, 20, 40, 80, 100)]
    pool = [cy.Cycle(58, 66, 0.12), cy.Cycle(62, 70, 0.2), cy.Cycle(84, 90, 0.3)]
    assert [c.bottom for c in cy._in_rhythm(out, pool)] == [0, 20, 40, 62, 80, 100]
    assert cy._in_rhythm(out[:3], pool) == out[:3]


# ---------------------------------------------------------------------------- verticality
def _frames(world: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A sensor in a fixed tilted frame reading ``world`` acceleration plus gravity."""
    c, s = np.cos(0.6), np.sin(0.6)
    rot = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    acc = (world + np.array([0.0, 0.0, 9.81])) @ rot
    up = np.tile(np.array([0.0, 0.0, 1.0]) @ rot, (len(world), 1))
    return acc, up


def test_a_bar_moving_up_and_down_is_vertical_and_an_arm_waving_is_not() -> None:
    t, d = _reps(8, 2.0, rom=0.5)
    rng = np.random.default_rng(0)
    bar = np.column_stack((0.05 * _accel(d), rng.normal(0, 0.05, len(t)), _accel(d)))
    acc, up = _frames(bar)
    assert verticality(acc, up, RATE) > 5.0
    wave = np.column_stack((_accel(d), 0.8 * _accel(np.roll(d, 40)), 0.7 * _accel(d)))
    acc, up = _frames(wave)
    assert verticality(acc, up, RATE) < 1.0


# ---------------------------------------------------------------------------- clocks
def test_packets_are_spread_back_onto_the_sensors_clock() -> None:
    """A 100 Hz sensor sends packets of 2-6 samples, stamped on arrival 5-35 ms after the
    last one, in whole milliseconds, with one packet lost: every sample is kept and lands
    within 3 ms of when it was taken (averaging them cut the rate to ~25 Hz)."""
    rng = np.random.default_rng(5)
    true_t = np.arange(0.0, 20.0, 0.01)
    stamps = np.empty_like(true_t)
    keep = np.ones(len(true_t), dtype=bool)
    i = 0
    while i < len(true_t):
        k = int(rng.integers(2, 7))
        j = min(i + k, len(true_t))
        stamps[i:j] = np.round(true_t[j - 1] + rng.uniform(0.005, 0.035), 3)
        keep[i:j] = not 8.0 <= true_t[i] <= 8.4  # packets lost for 0.4 s
        i = j
    stamps = np.maximum.accumulate(stamps[keep])
    value = true_t[keep] * 10.0
    t, (v,), report = merge_repeats(stamps, value)
    assert len(t) == len(value)
    assert report.spread > 0.9 * len(value)
    assert np.all(np.diff(t) > 0)
    lag = t - true_t[keep]
    assert float(np.max(lag - np.median(lag))) < 0.003
    assert float(np.min(lag - np.median(lag))) > -0.003
    assert np.allclose(v, value)


def test_a_retried_row_is_dropped_and_said_once() -> None:
    t, (v,), report = merge_repeats(np.array([0.0, 0.01, 0.01, 0.02]), np.array([1.0, 2, 2, 3]))
    assert np.allclose(t, [0.0, 0.01, 0.02])
    assert np.allclose(v, [1, 2, 3])
    assert report.notes() == ["1 rows repeated the row before them exactly and were dropped"]


def test_a_regular_clock_is_left_alone() -> None:
    t = np.cumsum(np.random.default_rng(2).uniform(0.008, 0.012, 500))
    out, _, report = merge_repeats(t, np.arange(500.0))
    assert np.array_equal(out, t)
    assert report.notes() == []


# ---------------------------------------------------------------------------- real rest
@pytest.mark.skipif(not WRIST.is_dir(), reason=f"shared data absent: {WRIST}")
@pytest.mark.parametrize("kind", ["rest-sitting", "rest-standing"])
def test_a_wrist_moving_about_is_no_set(kind: str) -> None:
    from replog.io.sensor_csv import read_imu_csv

    files = sorted(WRIST.glob(f"A-{kind}_*Accelerometer*.csv"))
    assert files
    for path in files:
        res = analyze_imu(read_imu_csv(path, warnings=[]), config=ImuConfig())
        assert res.reps == []
        assert res.reason is not None
        assert res.reason.startswith("no lifting")
        assert "moving about" in res.reason


# ---------------------------------------------------------------------------- velocity
def _paused_set(
    hole: tuple[float, float] | None = None,
) -> tuple[ImuStream, list[tuple[float, float]]]:
    """Six squats with no rest at the bottom and a 0.8 s hold at lockout (1.0 s down, 0.8 s
    up, 0.55 m), read at 100 Hz by a tilted sensor with a 0.3 m/s^2 bias and noise;
    optionally with the samples in ``hole`` lost. Returns the stream and each concentric's
    (start, end)."""
    rate, down, up, hold, rom = 100.0, 1.0, 0.8, 0.8, 0.55
    seg = [np.zeros(int(1.0 * rate))]
    windows = []
    t_now = 1.0
    for _ in range(6):
        x = np.arange(0.0, down, 1 / rate)
        seg.append(-rom * 0.5 * (1 - np.cos(np.pi * x / down)))
        x = np.arange(0.0, up, 1 / rate)
        seg.append(-rom + rom * 0.5 * (1 - np.cos(np.pi * x / up)))
        windows.append((t_now + down, t_now + down + up))
        seg.append(np.zeros(int(hold * rate)))
        t_now += down + up + hold
    d = np.concatenate(seg)
    t = np.arange(len(d)) / rate
    a = np.gradient(np.gradient(d, 1 / rate), 1 / rate)
    world = np.column_stack((np.zeros_like(a), np.zeros_like(a), a))
    acc, _ = _frames(world)
    acc = acc + np.array([0.3, -0.1, 0.2]) + np.random.default_rng(4).normal(0, 0.03, acc.shape)
    gyro = np.random.default_rng(5).normal(0, 0.005, acc.shape) + 0.02
    keep = np.ones(len(t), dtype=bool) if hole is None else ~((t > hole[0]) & (t < hole[1]))
    return ImuStream(t[keep], acc[keep], gyro[keep]), windows


def test_a_held_lockout_pins_the_velocity_and_ends_the_concentric() -> None:
    """Without the hold pinned, the drift model left a few cm/s at lockout and the
    concentric ran on into the hold (MCV -0.1 to -0.3 m/s on the harder simulator)."""
    stream, windows = _paused_set()
    res = analyze_imu(stream, exercise="squat")
    assert len(res.reps) == 6
    for r, (s, e) in zip(res.reps, windows, strict=True):
        assert abs(r.end - e) < 0.08
        assert abs(r.start - s) < 0.08
        assert r.mcv == pytest.approx(0.55 / 0.8, abs=0.04)


def test_a_rep_with_samples_lost_mid_lift_has_no_velocity() -> None:
    mid = 1.0 + 2 * 2.6 + 1.1  # 0.1 s into the third concentric
    stream, _ = _paused_set(hole=(mid, mid + 0.35))
    res = analyze_imu(stream, exercise="squat")
    assert len(res.reps) == 6
    lost = [r for r in res.reps if "velocity_unavailable" in r.quality]
    assert len(lost) == 1
    assert "gap" in lost[0].quality
    assert lost[0].start < mid < lost[0].end
    stored = lost[0].to_rep(1, "imu")
    assert stored.mcv is None
    assert all("velocity_unavailable" not in r.quality for r in res.reps if r is not lost[0])


def test_the_vertex_between_samples() -> None:
    x = np.arange(10.0)
    assert cy.vertex(-((x - 4.3) ** 2), 4) == pytest.approx(0.3)
    assert cy.vertex((x - 6.8) ** 2, 7) == pytest.approx(-0.2)
    assert cy.vertex(x, 0) == 0.0


def test_rises_made_while_the_sensor_was_turned_over_are_dropped() -> None:
    """``in_set_orientation``: the set holds one orientation; a rise while the sensor is
    turned over (a clean), or within half a period after it turned back, is no rep; a bar
    that turns with every rep (no orientation held) keeps all its rises."""
    n = 400
    up = np.tile([0.0, 0.0, -1.0], (n, 1))  # the set: the sensor upside down
    up[:60] = [0.0, 0.0, 1.0]  # before the clean: the other way up
    found = [cy.Cycle(20, 35, 0.5), cy.Cycle(65, 75, 0.4)] + [
        cy.Cycle(100 + 30 * i, 115 + 30 * i, 0.5) for i in range(8)
    ]
    kept = cy.in_set_orientation(found, up)
    assert kept == found[2:]  # the pull (turned over) and the catch (65: 5 samples after)
    later = [cy.Cycle(c.bottom + 40, c.top + 40, c.rise) for c in found[2:]]
    assert cy.in_set_orientation(found[:1] + later, up) == later
    # every rise turns the sensor: nothing is dropped
    rolling = up.copy()
    for c in found:
        rolling[c.bottom + 5] = [1.0, 0.0, 0.0]
    assert cy.in_set_orientation(found, rolling) == found


# ------------------------------------------------------------------ concentric's end
def _concentric_with_tail(drift: float) -> tuple[np.ndarray, float]:
    """A 0.6 s minimum-jerk concentric (0.5 m, peak 1.56 m/s at 0.3 s) then a 0.8 s hold at
    lockout, read with a velocity error growing from 0 to ``drift`` (m/s) over the
    concentric and staying there through the hold: what a drift model that missed the hold
    leaves. The true end is 0.6 s after the start (sample 30)."""
    u = np.arange(0.0, 0.6, 1.0 / RATE) / 0.6
    v = 0.5 / 0.6 * 30 * u**2 * (1 - u) ** 2 + drift * u
    return np.concatenate((v, np.full(int(0.8 * RATE), drift), [0.0])), 0.6


@pytest.mark.parametrize("drift", [0.17, 0.25])
def test_a_drifted_hold_does_not_stretch_the_concentric(drift: float) -> None:
    """The hold's velocity sits above the 10 % edge: the plain level crossing ends the
    concentric at the hold's end (0.8 s late, MCV ~0.5 / 1.4 instead of 0.5 / 0.6); the
    stall guard ends it where the deceleration at 30 % of the peak points, within 40 ms
    of the true end."""
    v, true_end = _concentric_with_tail(drift)
    step = 1.0 / RATE
    peak = int(np.argmax(v))
    level = 0.1 * float(v[peak])
    plain = cy.arrival(v, peak, len(v) - 1, level, step)
    assert plain * step > true_end + 0.7
    guarded = cy.arrival(v, peak, len(v) - 1, level, step, high=0.3 * float(v[peak]),
                         stall=0.25 * RATE)  # fmt: skip
    assert abs(guarded * step - true_end) < 0.04


def test_a_clean_deceleration_keeps_the_level_crossing() -> None:
    """Without a tail the guard changes nothing: the same end as the plain crossing."""
    v, true_end = _concentric_with_tail(0.0)
    step = 1.0 / RATE
    peak = int(np.argmax(v))
    level = 0.1 * float(v[peak])
    plain = cy.arrival(v, peak, len(v) - 1, level, step)
    guarded = cy.arrival(v, peak, len(v) - 1, level, step, high=0.3 * float(v[peak]),
                         stall=0.25 * RATE)  # fmt: skip
    assert guarded == plain
    assert abs(plain * step - true_end) < 0.04


def test_a_stalled_top_pinned_by_the_final_correction_only() -> None:
    """A 0.6 s concentric (0.5 m) then a 0.8 s hold, read with a 0.3 m/s^2 error during the
    concentric only (a bias the bar's roll turns into the vertical as it rises), pinned at
    the bottom and at the end of the hold (where a turnaround was found late). Pinned
    there alone the error is spread over both: the velocity over the hold is not zero
    and the ROM errs by over 3 cm. Pinning the hold too (``stalled``) makes the velocity
    zero over it and the ROM exact within 2 mm (the sampled derivative at the edges)."""
    step = 1.0 / RATE
    u = np.arange(0.0, 0.6, step) / 0.6
    v_true = np.concatenate((0.5 / 0.6 * 30 * u**2 * (1 - u) ** 2, np.zeros(int(0.8 * RATE))))
    a_v = np.gradient(v_true, step)
    a_v[: len(u)] += 0.3
    end = len(v_true) - 1
    anchors = np.array([0, end], dtype=np.intp)
    hold = np.arange(len(u), end + 1, dtype=np.intp)
    for stalled, rom_tol in ((None, None), (hold, 0.002)):
        v = cy.pinned_velocity(a_v, RATE, anchors, knot_s=5.0, search=0, stalled=stalled)
        rom = float(cy.cumtrapz(v, step)[len(u)])
        if rom_tol is None:
            assert abs(rom - 0.5) > 0.03
            assert np.max(np.abs(v[hold[:-1]])) > 0.05
        else:
            assert abs(rom - 0.5) < rom_tol
            assert np.max(np.abs(v[hold])) < 1e-9
