"""The CNS battery: a daily 0-100 readiness score, each part's share in words, and advice.

Convention: the battery starts full. Every :class:`Part` adds ``points`` (negative drains,
a few small positive credits where today is better than usual); the score is 100 plus their
sum, rounded and clipped to 0-100, so a rested lifter on a usual day reads at or near 100.
Points are rounded to 0.1 and shown in each part's text ("sleep 5.5 h: -12").

Check-in (:func:`checkin_parts`), one part per field logged:

* Sleep: nothing from 7 h up (adults should sleep 7 h or more a night: Watson et al. 2015,
  AASM/SRS consensus, Sleep 38:843); -6 per hour short of 7 h, -12 per hour short of 6 h,
  at most -40. Continuous, and more sleep never scores lower. Craven et al. 2022 (Sports
  Med 52:2669; 69 studies, sleep loss meaning <= 6 h in 24 h) pooled a -7.6 % change in
  performance (95 % CI -11.9 to -3.1) but only -3.4 % (-5.5 to -1.3) for lower-body and
  -1.6 % (n.s.) for upper-body strength, so one short night alone keeps "go" down to ~5.3 h.
* Sleep quality, stress, soreness (1-5 self-ratings in the manner of Hooper & Mackinnon
  1995, Sports Med 20:321): -6 per step worse than neutral, +2 per step better (at most +4).
  Neutral is 3, or the lifter's median of the previous 60 days once 14 ratings exist, kept
  within 2-4 so that a 1 or a 5 always counts: a lifter who always reports stress 4 is not
  drained for it every day.
* HRV and resting HR, only against the lifter's own baseline (Plews et al. 2013, Sports Med
  43:773: read ln rMSSD against the individual's rolling baseline). Reference: the mean of
  the previous 7 days (>= 3 readings, the weekly minimum of Plews et al. 2014, IJSPP 9:783;
  else the 60-day mean); noise: the SD of the previous 60 days' readings. Fewer than 7
  readings in 60 days: no part, and a note in ``missing``. ln rMSSD below reference - 0.5 SD
  drains 8 per SD beyond that band (at most -15); a high HRV earns nothing, since in elite
  athletes rises as well as falls have gone with poor adaptation (Plews et al. 2013).
  Resting HR more than 5 bpm above its reference drains 2 per bpm beyond (at most -12), a
  rule of thumb: read a change against the measure's own noise (Buchheit 2014, Front
  Physiol 5:73).

Warm-up velocity (:func:`warmup_reading`, :func:`warmup_part`): today's mean velocity at a
fixed anchor load against the last ``window`` sessions' (one mean per day). Smallest
worthwhile change: 0.2 SD, Hopkins's default (Hopkins 2004, Sportscience 8:1, there of the
between-athlete SD; here, as usual in monitoring one athlete, of the lifter's between-day
SD). Hopkins notes most tests are noisier than their SWC, and squat mean velocity retests
within ~4-5 % at 40-60 % 1RM (Orange et al. 2020, J Strength Cond Res: SEM 3.9 % and
4.8 %), so the band is max(SWC, 0.02 m/s, 3 % of the baseline). Below the band ("slower")
drains 3 per % beyond it (at most -30); above it ("faster") credits 1 per % (at most +5).

Training load (:func:`load_part`): ACWR above 1.3 drains a little, above 1.5 more (Gabbett
2016, Br J Sports Med 50:273: 0.8-1.3 the "sweet spot", >= 1.5 the "danger zone"), though
its predictive use is disputed (Impellizzeri et al. 2020, Sports Med, doi
10.1007/s40279-020-01378-6); Foster's monotony (mean / SD of daily load, Foster 1998, Med
Sci Sports Exerc 30:1164) above 2.0, a common rule of thumb, drains up to -6.

Advice and trend: :mod:`replog.core.readiness_advice` (re-exported here). Entry point:
:func:`assess` gathers the parts that exist, lists in ``missing`` those that do not and in
``needs`` what would supply them.

No evidence, no score: a day without a single part has no reading (``score`` None,
confidence "none", advice "none"), never a default 100 that nothing measured.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from replog.core.errors import ValidationError
from replog.core.model import CheckIn
from replog.core.readiness_advice import (
    NO_READING_TEXT,
    Advice,
    Trend,
    advise,
    apply_advice,
    number,
    trend,
)

__all__ = [
    "NEEDS",
    "NO_READING_TEXT",
    "Advice",
    "Battery",
    "Part",
    "Trend",
    "WarmupReading",
    "advise",
    "apply_advice",
    "assess",
    "battery",
    "checkin_parts",
    "choose_anchor_load",
    "load_part",
    "trend",
    "warmup_part",
    "warmup_reading",
]

SLEEP_OK_H, SLEEP_SHORT_H, SLEEP_CAP = 7.0, 6.0, -40.0
SLEEP_PER_H = (6.0, 12.0)  # points per hour short of 7 h, and per hour short of 6 h
ITEM_WORSE, ITEM_BETTER, ITEM_CREDIT_CAP = 6.0, 2.0, 4.0
PERSONAL_MIN = 14  # ratings before the lifter's own median becomes neutral
LONG_DAYS, WEEK_DAYS, MIN_BASELINE, MIN_WEEK = 60, 7, 7, 3
HRV_BAND_SD, HRV_PER_SD, HRV_CAP, HRV_SD_FLOOR = 0.5, 8.0, -15.0, 0.05  # SD floor in ln units
RHR_MARGIN, RHR_PER_BPM, RHR_CAP = 5.0, 2.0, -12.0
SWC_FACTOR, VEL_FLOOR_MS, VEL_FLOOR_PCT = 0.2, 0.02, 3.0
WARMUP_PER_PCT, WARMUP_CAP, WARMUP_CREDIT, WARMUP_CREDIT_CAP = 3.0, -30.0, 1.0, 5.0
MIN_SESSIONS = 3
ANCHOR_SHARE = (0.35, 0.70)  # of e1RM
SCORED_FIELDS = ("sleep_h", "sleep_quality", "stress", "soreness")

# What gives the battery each kind of evidence, in words (``Battery.needs``).
NEEDS = {
    "checkin": "a check-in (sleep, sleep quality, stress or soreness)",
    "warmup": "a warm-up set with bar velocity at your anchor load (3 earlier sessions "
    "there make its baseline)",
    "load": "a week of logged training (its session RPE gives the training load)",
}


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of evidence: the points it adds to the battery, and why, in words."""

    name: str
    points: float
    text: str
    value: float | None = None


@dataclass(frozen=True, slots=True)
class WarmupReading:
    """Today's warm-up velocity (m/s) at the anchor load against the lifter's baseline."""

    today: float
    sessions: int  # earlier sessions in the baseline
    verdict: str  # "slower" | "usual" | "faster" | "no_baseline"
    baseline: float | None = None  # mean of the session means, m/s
    sd: float | None = None  # between-day SD, m/s
    swc: float | None = None  # 0.2 x sd
    band: float | None = None  # max(swc, 0.02 m/s, 3 % of baseline)
    change: float | None = None  # today - baseline, m/s
    change_pct: float | None = None
    load_kg: float | None = None
    exercise: str = ""


@dataclass(frozen=True, slots=True)
class Battery:
    """``confidence``: "full" with nothing missing, "partial" with notes in ``missing``,
    "none" without any part: then there is no reading (``score`` None, advice "none") and
    ``needs`` says what would give one."""

    score: int | None
    parts: tuple[Part, ...]
    missing: tuple[str, ...]
    advice: Advice
    summary: str
    confidence: str
    needs: tuple[str, ...] = ()  # what would give a reading, or a fuller one

    @property
    def reading(self) -> bool:
        """Whether anything was measured: False means "no reading yet"."""
        return self.score is not None


def _pts(points: float) -> str:
    return "0" if points == 0 else f"{points:+g}"


def _part(name: str, points: float, what: str, value: float | None) -> Part:
    points = round(points, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return Part(name, points, f"{what}: {_pts(points)}", value)


def _sleep_points(hours: float) -> float:
    short = max(0.0, SLEEP_OK_H - hours)
    very = max(0.0, SLEEP_SHORT_H - hours)
    return max(SLEEP_CAP, -SLEEP_PER_H[0] * short - (SLEEP_PER_H[1] - SLEEP_PER_H[0]) * very)


def _neutral(values: list[int]) -> tuple[float, bool]:
    if len(values) < PERSONAL_MIN:
        return 3.0, False
    return min(4.0, max(2.0, float(statistics.median(values)))), True


def _baseline(day: date, past: list[tuple[date, float]]) -> tuple[float, float, str] | None:
    """(reference, SD over 60 days, which reference) or None under 7 readings."""
    if len(past) < MIN_BASELINE:
        return None
    values = [v for _, v in past]
    week = [v for d, v in past if d >= day - timedelta(days=WEEK_DAYS)]
    if len(week) >= MIN_WEEK:
        return statistics.fmean(week), statistics.stdev(values), "7-day"
    return statistics.fmean(values), statistics.stdev(values), "60-day"


def _checkin(today: CheckIn, history: Sequence[CheckIn]) -> tuple[list[Part], list[str]]:
    start = today.day - timedelta(days=LONG_DAYS)
    past = [c for c in history if c.athlete_id == today.athlete_id and start <= c.day < today.day]
    parts: list[Part] = []
    notes: list[str] = []
    if today.sleep_h is not None:
        h = today.sleep_h
        parts.append(_part("sleep", _sleep_points(h), f"sleep {h:g} h", float(h)))
    for name, label, sign in (
        ("sleep_quality", "sleep quality", -1),
        ("stress", "stress", 1),
        ("soreness", "soreness", 1),
    ):
        value = getattr(today, name)
        if value is None:
            continue
        neutral, own = _neutral([getattr(c, name) for c in past if getattr(c, name) is not None])
        worse = sign * (value - neutral)
        points = -ITEM_WORSE * worse if worse > 0 else min(ITEM_CREDIT_CAP, -ITEM_BETTER * worse)
        usual = f" (your usual {neutral:g})" if own else ""
        parts.append(_part(name, points, f"{label} {value}/5{usual}", float(value)))
    if today.hrv_ms is not None:
        ln_hrv = [(c.day, math.log(c.hrv_ms)) for c in past if c.hrv_ms is not None]
        base = _baseline(today.day, ln_hrv)
        if base is None:
            notes.append(f"HRV: {len(ln_hrv)} readings in 60 days, 7 needed for a baseline")
        else:
            ref, sd, which = base
            z = (math.log(today.hrv_ms) - ref) / max(sd, HRV_SD_FLOOR)
            points = max(HRV_CAP, HRV_PER_SD * (z + HRV_BAND_SD)) if z < -HRV_BAND_SD else 0.0
            pct = (today.hrv_ms / math.exp(ref) - 1) * 100
            side = "under" if pct < 0 else "over"
            where = f"{abs(pct):.0f} % {side} your {which} baseline {math.exp(ref):.0f} ms"
            parts.append(_part("hrv", points, f"HRV {today.hrv_ms:g} ms, {where}", today.hrv_ms))
    if today.resting_hr is not None:
        hr = [(c.day, c.resting_hr) for c in past if c.resting_hr is not None]
        base = _baseline(today.day, hr)
        if base is None:
            notes.append(f"resting HR: {len(hr)} readings in 60 days, 7 needed for a baseline")
        else:
            ref, _, which = base
            excess = today.resting_hr - ref
            over = excess - RHR_MARGIN
            points = max(RHR_CAP, -RHR_PER_BPM * over) if over > 0 else 0.0
            what = f"resting HR {today.resting_hr:g} bpm, {excess:+.0f} on your {which} {ref:.0f}"
            parts.append(_part("resting_hr", points, what, today.resting_hr))
    return parts, notes


def checkin_parts(today: CheckIn, history: Sequence[CheckIn] = ()) -> list[Part]:
    """The parts from today's check-in; ``history`` holds earlier check-ins (any order;
    other athletes' and later days' are ignored). HRV and resting HR need 7 earlier readings
    in 60 days; without them there is no part (:func:`assess` says why in ``missing``)."""
    return _checkin(today, history)[0]


def choose_anchor_load(
    warmups: Sequence[tuple[date, float, float]], e1rm_kg: float | None = None
) -> float | None:
    """The warm-up load (kg) lifted on the most distinct days, at least 3; ``warmups`` are
    (day, load kg, mean velocity m/s) of warm-up sets. With ``e1rm_kg``, loads within 35-70 %
    of it win when any qualifies (fast enough to be stable, light enough not to fatigue).
    Ties: the most recently lifted, then the heavier (closer to the working sets)."""
    e1rm = None if e1rm_kg is None else number(e1rm_kg, "e1rm_kg")
    days: dict[float, set[date]] = defaultdict(set)
    for day, load, velocity in warmups:
        number(velocity, "velocity")
        days[round(number(load, "load_kg"), 3)].add(day)
    loads = [load for load, seen in days.items() if len(seen) >= MIN_SESSIONS]
    if e1rm is not None:
        low, high = (share * e1rm for share in ANCHOR_SHARE)
        loads = [x for x in loads if low <= x <= high] or loads
    if not loads:
        return None
    return max(loads, key=lambda x: (len(days[x]), max(days[x]), x))


def warmup_reading(
    history: Sequence[tuple[date, float]],
    today: float,
    *,
    window: int = 8,
    load_kg: float | None = None,
    exercise: str = "",
) -> WarmupReading:
    """Compare today's mean velocity (m/s) at the anchor load with the last ``window``
    earlier sessions in ``history`` (day, m/s; several sets a day are averaged first).
    ``load_kg`` and ``exercise`` only label the text."""
    now = number(today, "today")
    if isinstance(window, bool) or not isinstance(window, int) or window < MIN_SESSIONS:
        raise ValidationError(f"window must be a whole number >= 3, got {window!r}", "window")
    load = None if load_kg is None else number(load_kg, "load_kg")
    by_day: dict[date, list[float]] = defaultdict(list)
    for day, velocity in history:
        by_day[day].append(number(velocity, "history"))
    sessions = [statistics.fmean(by_day[d]) for d in sorted(by_day)][-window:]
    if len(sessions) < MIN_SESSIONS:
        return WarmupReading(now, len(sessions), "no_baseline", load_kg=load, exercise=exercise)
    base, sd = statistics.fmean(sessions), statistics.stdev(sessions)
    swc = SWC_FACTOR * sd
    band = max(swc, VEL_FLOOR_MS, VEL_FLOOR_PCT / 100 * base)
    change = now - base
    verdict = "slower" if change < -band else "faster" if change > band else "usual"
    pct = change / base * 100
    return WarmupReading(
        now, len(sessions), verdict, base, sd, swc, band, change, pct, load, exercise
    )


def warmup_part(reading: WarmupReading) -> Part | None:
    """The warm-up's part, or None without a baseline."""
    if reading.baseline is None or reading.band is None or reading.change_pct is None:
        return None
    pct, band_pct = reading.change_pct, reading.band / reading.baseline * 100
    if reading.verdict == "slower":
        points = max(WARMUP_CAP, WARMUP_PER_PCT * (pct + band_pct))
    elif reading.verdict == "faster":
        points = min(WARMUP_CREDIT_CAP, WARMUP_CREDIT * (pct - band_pct))
    else:
        points = 0.0
    lift = f" {reading.exercise}" if reading.exercise else ""
    load = f" {reading.load_kg:g} kg" if reading.load_kg is not None else ""
    if reading.verdict == "usual":
        where = f"within your usual range around {reading.baseline:.2f}"
    else:
        side = "under" if pct < 0 else "over"
        where = f"{abs(pct):.0f} % {side} your baseline {reading.baseline:.2f}"
    what = f"warm-up{lift}{load} at {reading.today:.2f} m/s, {where}"
    return _part("warmup", points, what, pct)


def load_part(acwr: float | None, monotony: float | None) -> list[Part]:
    """Parts for the acute:chronic workload ratio and the week's monotony (computed
    elsewhere; None when unknown). Monotony is infinite for identical days: cap it first."""
    parts: list[Part] = []
    if acwr is not None:
        a = number(acwr, "acwr", strict=False)
        if a > 1.5:
            points, how = max(-15.0, -5.0 - 20.0 * (a - 1.5)), ", a spike"
        elif a > 1.3:
            points, how = -25.0 * (a - 1.3), ", rising fast"
        else:
            points, how = 0.0, ""
        parts.append(_part("acwr", points, f"acute:chronic load {a:.2f}{how}", a))
    if monotony is not None:
        m = number(monotony, "monotony", strict=False)
        points = max(-6.0, -4.0 * (m - 2.0)) if m > 2.0 else 0.0
        how = ", every day alike" if m > 2.0 else ""
        parts.append(_part("monotony", points, f"training monotony {m:.1f}{how}", m))
    return parts


def battery(
    parts: Sequence[Part],
    *,
    missing: Sequence[str] = (),
    warmup: WarmupReading | None = None,
    needs: Sequence[str] = (),
) -> Battery:
    """Score ``parts`` and advise; ``missing`` says, in words, what could not be counted,
    ``needs`` what would give it; ``warmup`` lets a "slower" warm-up set the load cut (see
    :func:`advise`). Without any part there is no reading: no score, advice "none"."""
    parts_t, missing_t = tuple(parts), tuple(missing)
    needs_t = tuple(needs) if needs or parts_t else tuple(NEEDS.values())
    if not parts_t:
        summary = "No reading yet: nothing today that the battery reads."
        summary += " Any of these would give one: " + "; ".join(needs_t) + "."
        return Battery(None, (), missing_t, advise(None), summary, "none", needs_t)
    total = sum(number(p.points, "points", low=-math.inf) for p in parts_t)
    score = min(100, max(0, math.floor(100 + total + 0.5)))
    confidence = "partial" if missing_t else "full"
    slower_by = None
    if warmup is not None and warmup.verdict == "slower" and warmup.change_pct is not None:
        slower_by = -warmup.change_pct
    advice = advise(score, slower_by)
    lines = [f"Battery {score}/100. {advice.text[0].upper()}{advice.text[1:]}."]
    drains = sorted((p for p in parts_t if p.points < 0), key=lambda p: p.points)[:3]
    if drains:
        lines.append("Drained by " + "; ".join(p.text for p in drains) + ".")
    if missing_t:
        lines.append("Not counted: " + "; ".join(missing_t) + ".")
    return Battery(score, parts_t, missing_t, advice, " ".join(lines), confidence, needs_t)


def assess(
    today: CheckIn | None,
    history: Sequence[CheckIn] = (),
    *,
    warmup: WarmupReading | None = None,
    acwr: float | None = None,
    monotony: float | None = None,
) -> Battery:
    """The day's battery from whatever exists: check-in, warm-up reading, training load.
    Only the check-in's fields that were given count; a day with nothing at all has no
    reading (see :func:`battery`)."""
    parts: list[Part] = []
    missing: list[str] = []
    needs: list[str] = []
    if today is not None:
        checkin, notes = _checkin(today, history)
        parts += checkin
        missing += notes
        if all(getattr(today, f) is None for f in SCORED_FIELDS):
            missing.append("today's check-in has no sleep, sleep quality, stress or soreness")
            needs.append(NEEDS["checkin"])
    if warmup is None:
        missing.append("no warm-up velocity at the anchor load")
        needs.append(NEEDS["warmup"])
    elif (part := warmup_part(warmup)) is None:
        missing.append(f"warm-up velocity: {warmup.sessions} earlier sessions, 3 needed")
        needs.append(NEEDS["warmup"])
    else:
        parts.append(part)
    if acwr is None and monotony is None:
        missing.append("no training-load figures")
        needs.append(NEEDS["load"])
    parts += load_part(acwr, monotony)
    if today is None:
        alone = ": the score is from velocity and training load alone" if parts else ""
        missing.insert(0, f"no check-in today{alone}")
        needs.insert(0, NEEDS["checkin"])
    return battery(parts, missing=missing, warmup=warmup, needs=needs)
