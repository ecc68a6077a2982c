"""Reps measured by a sensor or a video, attached to a logged set: the one attach step of
``replog sensor attach``, ``replog video attach``, ``POST /sets/{id}/sensor`` and
``POST /sets/{id}/video``."""

from __future__ import annotations

from dataclasses import replace

from replog.core.errors import NotFoundError, ValidationError
from replog.core.model import Athlete, RepSource, SetRecord
from replog.core.signal.types import DetectedRep
from replog.services.ports import UnitOfWork


def attach_reps(
    uow: UnitOfWork,
    athlete: Athlete,
    set_id: str,
    reps: list[DetectedRep],
    source: RepSource,
    *,
    update_reps: bool = False,
) -> SetRecord:
    """Replace a logged set's rep data with ``reps`` (in one transaction).

    The number of reps found must match the set's, unless ``update_reps`` makes the set
    take the sensor's count: a sensor that saw a different number of reps than the lifter
    logged is a question for the lifter, not something to settle silently.
    """
    if not reps:
        what = "video" if source is RepSource.VIDEO else "stream"
        raise ValidationError(f"the {what} holds no reps to attach", field="file")
    with uow:
        logged = uow.sets.get(set_id)
        session = uow.sessions.get(logged.session_id) if logged is not None else None
        if logged is None or session is None or session.athlete_id != athlete.id:
            raise NotFoundError(f"no set {set_id!r} in {athlete.name}'s log", field="set")
        if len(reps) != logged.reps and not update_reps:
            raise ValidationError(
                f"the stream has {len(reps)} reps but set {logged.position} was logged with "
                f"{logged.reps}; pass --update-reps to make it {len(reps)}",
                field="reps",
            )
        updated = replace(
            logged,
            reps=len(reps) if update_reps else logged.reps,
            rep_data=tuple(r.to_rep(i + 1, source) for i, r in enumerate(reps)),
        )
        uow.sets.update(updated)  # in place: its version goes up, its provenance stays
        uow.commit()
        return updated
