"""Linear position transducer (LPT) streams to reps (DESIGN.md 2.1: ``t,displacement``).

Theory
------
A position transducer measures the bar's vertical displacement directly, so there is no
integration and no drift; the only question is how to differentiate a noisy position
(encoder quantisation and cable wobble, around a millimetre) into velocity.

Velocity is the slope of a local cubic least-squares fit over ``velocity_window_s`` (0.1 s
by default) around each sample, on the real timestamps (Savitzky & Golay 1964; see
:mod:`replog.core.signal.smoothing`); the fit's value is used as the smoothed displacement.
The centred fit has no delay and reproduces polynomials up to order 4 in the derivative,
so it does not bias the velocity of a smooth lift; its noise gain is the familiar
Savitzky-Golay one (about 9 x the position noise per second of window at 100 Hz, 0.1 s).

The mean velocities cannot be biased by the filter at all: MCV is ROM / duration with ROM
read from the displacement at the phase boundaries, and MPV likewise up to the propulsive
end, so the filter only enters through *where* the boundaries are placed (velocity
zero-crossings, see :mod:`replog.core.signal.segment`). Acceleration, needed only for the
-g rule of MPV, is the slope of a local quadratic fit of that velocity over
``acceleration_window_s``.

The boundaries are placed in two steps: the velocity zero-crossings (as for any stream),
then, where the bar starts from or arrives at rest, a least-squares fit to the *raw*
displacement around the boundary of a path with zero velocity there and the onset power
fitted (see :func:`~replog.core.signal.excursions.rest_point`), which uses every sample near
the boundary rather than two noisy velocity samples. The fit spans 0.2 s when the position
is read finely and 0.3 s when it is noisy (``segment._fit_span``: a longer span averages
noise but places lockouts a few milliseconds early). A reversal (touch-and-go) keeps the
zero-crossing, which its steep velocity pins down. ROM is the difference of the fitted
displacements at the two boundaries.

Measured on the simulator's sets (``benchmarks/bench_sensor.py``, 300 sets): read as a
linear encoder reads them, in whole counts, MCV RMSE 0.005 m/s at 1000 Hz with 0.2 mm
counts (the T-Force class), 0.009 with 1 mm counts, 0.010 at 100 Hz with 1 mm counts; rep
F1 1.0 and exact counts in every set, with a set's first rep judged against the next one
(:data:`LPT_CONFIG`). With 1 mm *white* position noise, a stress setting no encoder gives,
MCV RMSE is 0.009-0.010 at 500-1000 Hz but 0.018-0.030 at 50-200 Hz: an onset from rest
whose displacement grows like ``t^3`` hides in millimetre noise for tens of milliseconds.

Segmentation, gates and metrics are those of :func:`~replog.core.signal.segment.segment_reps`,
with the same :class:`~replog.core.signal.segment.SegmentConfig`.
"""

from __future__ import annotations

from replog.core.signal.segment import RepSegmenter, SegmentConfig, segment_reps
from replog.core.signal.types import DetectedRep, LptStream

LPT_CONFIG = SegmentConfig(confirm_s=10.0)
"""The position transducer's default: a set's first rep is judged against the next rep
(``confirm_s``), which drops a partial move before the set; see :mod:`.segment`, step 4."""


def reps_from_lpt(stream: LptStream, *, config: SegmentConfig = LPT_CONFIG) -> list[DetectedRep]:
    """Reps of a position-transducer stream (batch face of :class:`LptRepDetector`)."""
    return segment_reps(stream.t, stream.displacement, config=config)


class LptRepDetector:
    """Streaming face of :func:`reps_from_lpt`: :meth:`update` with samples as they arrive
    returns the reps completed so far (each once); :meth:`finish` returns the last."""

    def __init__(self, *, config: SegmentConfig = LPT_CONFIG) -> None:
        self._seg = RepSegmenter(config=config)

    @property
    def config(self) -> SegmentConfig:
        return self._seg.config

    def update(self, t_chunk: object, displacement_chunk: object) -> list[DetectedRep]:
        return self._seg.update(t_chunk, displacement_chunk)

    def finish(self) -> list[DetectedRep]:
        return self._seg.finish()
