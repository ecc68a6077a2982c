"""The cue after each rep: known answers and the rule's properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.rep_cues import SetTarget, rep_cue
from replog.core.velocity import loss_pct


@pytest.mark.parametrize(
    ("target", "speeds", "kind"),
    [
        (SetTarget(0.60), [0.62], "on"),  # within the SDC of 0.05 m/s
        (SetTarget(0.60), [0.54], "slow"),
        (SetTarget(0.60), [0.66], "fast"),
        (SetTarget(0.60, 20), [0.60, 0.47], "stop"),  # 21.7 % lost
        (SetTarget(0.60, 20), [0.60, 0.49], "slow"),  # 18.3 %: not yet
        (SetTarget(0.60, 20, 2), [0.60, 0.49], "done"),
        (SetTarget(None, 10, None), [0.5, 0.48], "on"),  # a cut-off alone: a tick per rep
    ],
)
def test_known_cues(target, speeds, kind):
    cue = rep_cue(target, speeds)
    assert cue is not None
    assert cue.kind == kind


def test_no_target_no_cue():
    assert rep_cue(SetTarget(), [0.5, 0.4]) is None
    assert rep_cue(SetTarget(0.5), []) is None
    assert rep_cue(SetTarget(0.6, 20), [0.6, 0.47]).to_dict() == {  # type: ignore[union-attr]
        "kind": "stop",
        "text": "Stop: rep 2 is 22% slower than the first (cut-off 20%)",
        "velocity_loss_pct": 21.7,
    }


speeds = st.lists(st.floats(0.1, 2.0), min_size=1, max_size=15)


@given(speeds, st.floats(1, 60), st.floats(0.1, 2.0))
def test_stop_exactly_when_the_loss_reaches_the_cut_off(vs, cut, goal):
    cue = rep_cue(SetTarget(goal, cut), vs)
    assert cue is not None
    reached = len(vs) > 1 and loss_pct(vs[0], vs[-1]) >= cut
    assert (cue.kind == "stop") == reached
