"""Sensor streams to reps (DESIGN.md 2.1-2.2, section 3: sensor processing).

Streams come in as :class:`~replog.core.signal.types.ImuStream` (accelerometer including
gravity, gyroscope, in the sensor's own frame) or
:class:`~replog.core.signal.types.LptStream` (a position transducer's vertical displacement)
and leave as :class:`~replog.core.signal.types.DetectedRep`.
"""

from replog.core.signal.types import DetectedRep, ImuStream, LptStream

__all__ = ["DetectedRep", "ImuStream", "LptStream"]
