"""Plans and their documents: checked on construction, errors name the path, round trips."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.plan import Intensity, PlannedExercise, SetPrescription, Template
from replog.core.plan_doc import (
    load_from_doc,
    program_from_dict,
    program_to_dict,
    template_from_dict,
    template_to_dict,
)
from replog.core.units import Load, Unit


def program() -> dict[str, Any]:
    return {
        "schema": "replog.program/1",
        "name": "Test",
        "goal": "strength",
        "weeks": [
            {
                "days": [
                    {
                        "name": "A",
                        "exercises": [
                            {
                                "exercise": "back-squat",
                                "rest_s": 180,
                                "sets": [{"reps": 5, "count": 3, "load": "100 kg"}],
                                "progression": {"rule": "linear", "increment": "2.5kg"},
                            }
                        ],
                    },
                    {
                        "name": "B",
                        "exercises": [
                            {"exercise": "back-squat", "sets": [{"reps": 5, "rpe": 8}]},
                            {"exercise": "bench-press", "group": "A", "sets": [{"reps": 8}]},
                            {"exercise": "barbell-row", "group": "A", "sets": [{"reps": 8}]},
                            {"exercise": "deadlift", "sets": [{"reps": 5, "rpe": 8}]},
                        ],
                    },
                ]
            }
        ],
    }


def test_a_program_document_round_trips() -> None:
    p = program_from_dict(program())
    assert program_from_dict(program_to_dict(p)) == p
    day = p.day(0, 1)
    assert [len(b) for b in day.groups()] == [1, 2, 1]
    assert p.day(1, 2) == p.day(0, 0)  # programs repeat


@pytest.mark.parametrize(
    ("edit", "field", "says"),
    [
        (
            lambda d: d["weeks"][0]["days"][1]["exercises"][3]["sets"][0].update(rpe=12),
            "weeks[0].days[1].exercises[3].sets[0].rpe",
            "expected 5-10, got 12",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0].update(exercise="squatt"),
            "weeks[0].days[0].exercises[0].exercise",
            "exercise key",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0]["sets"][0].update(load="100"),
            "weeks[0].days[0].exercises[0].sets[0].load",
            "give the unit",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0]["sets"][0].update(rpm=3),
            "weeks[0].days[0].exercises[0].sets[0].rpm",
            "unknown key",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0]["sets"][0].update(rpe=8.25),
            "weeks[0].days[0].exercises[0].sets[0].rpe",
            "half points",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0]["sets"][0].update(percent_e1rm=80),
            "weeks[0].days[0].exercises[0].sets[0].percent_e1rm",
            "one intensity",
        ),
        (
            lambda d: d["weeks"][0]["days"][0]["exercises"][0]["progression"].update(rule="wave"),
            "weeks[0].days[0].exercises[0].progression.rule",
            "expected one of",
        ),
        (
            lambda d: [
                d["weeks"][0]["days"][1]["exercises"][i].update(group=g)
                for i, g in ((2, "B"), (3, "A"))
            ],
            "weeks[0].days[1].exercises[3].group",
            "split",
        ),
        (lambda d: d.update(schema="x"), "schema", "replog.program/1"),
        (lambda d: d.update(goal="fun"), "goal", "expected one of"),
        (lambda d: d["weeks"][0].update(days=[]), "weeks[0].days", "non-empty"),
    ],
)
def test_errors_name_the_path_and_the_rule(edit, field, says) -> None:
    doc = copy.deepcopy(program())
    edit(doc)
    with pytest.raises(ValidationError) as info:
        program_from_dict(doc)
    assert info.value.field == field
    assert says in info.value.message
    assert str(info.value).startswith(field + ": ")


def test_a_template_alone_and_custom_exercises() -> None:
    doc = {
        "schema": "replog.template/1",
        "name": "Day",
        "exercises": [{"exercise": "my-lift", "sets": [{"reps": None, "velocity_loss_pct": 20}]}],
    }
    with pytest.raises(ValidationError):
        template_from_dict(doc)
    t = template_from_dict(doc, known={"my-lift"})
    assert template_from_dict(template_to_dict(t), known={"my-lift"}) == t


def test_loads_need_a_unit_and_take_either_form() -> None:
    assert load_from_doc("225lb", "load") == Load(225, Unit.LB)  # type: ignore[arg-type]
    assert load_from_doc({"value": 102.5, "unit": "kg"}, "load").kg == 102.5
    with pytest.raises(ValidationError, match="unit"):
        load_from_doc("100", "load")


def test_intensity_is_read_in_order() -> None:
    assert SetPrescription(5).intensity is Intensity.CURRENT
    assert SetPrescription(5, rpe=8).intensity is Intensity.RPE
    assert SetPrescription(5, rir=2).target_rpe == 8
    assert SetPrescription(5, percent_e1rm=80, rpe=8).intensity is Intensity.PERCENT
    assert SetPrescription(3, zone="strength_speed").intensity is Intensity.ZONE
    with pytest.raises(ValidationError, match="not both"):
        SetPrescription(5, rpe=8, rir=2)
    with pytest.raises(ValidationError, match="needs its bottom"):
        SetPrescription(None, reps_max=8)


def test_a_template_keeps_groups_together() -> None:
    sq = PlannedExercise("back-squat", (SetPrescription(5),), group="A")
    bp = PlannedExercise("bench-press", (SetPrescription(5),))
    with pytest.raises(ValidationError, match="split"):
        Template("Day", (sq, bp, sq))


@given(
    reps=st.integers(1, 100),
    count=st.integers(1, 20),
    rpe=st.one_of(st.none(), st.sampled_from([5.0, 6.5, 8.0, 9.5, 10.0])),
    vl=st.one_of(st.none(), st.integers(1, 60)),
)
def test_any_valid_set_round_trips(reps, count, rpe, vl) -> None:
    doc: dict[str, Any] = {"reps": reps, "count": count}
    if rpe is not None:
        doc["rpe"] = rpe
    if vl is not None:
        doc["velocity_loss_pct"] = vl
    t = {"name": "D", "exercises": [{"exercise": "back-squat", "sets": [doc]}]}
    parsed = template_from_dict(t)
    assert template_from_dict(template_to_dict(parsed)) == parsed


def test_the_documented_example_is_a_valid_program() -> None:
    text = (Path(__file__).parents[2] / "docs" / "programs.md").read_text(encoding="utf-8")
    example = re.search(r"### Example\s+```json\n(.*?)```", text, re.S)
    assert example is not None
    program = program_from_dict(json.loads(example[1]))
    assert [len(b) for b in program.day(0, 0).groups()] == [1, 2]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 500) | st.floats(-1, 200) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*at, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*at, i))
    return out


@given(data=st.data())
def test_any_mangled_document_is_a_plan_or_a_validation_error(data) -> None:
    doc = copy.deepcopy(program())
    where = data.draw(st.sampled_from(_paths(doc)[1:]))
    value = data.draw(JSON)
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    where_refused: str | None = None
    try:
        program_from_dict(doc)
    except ValidationError as e:
        where_refused = e.field or ""
    assert where_refused is None or where_refused  # every refusal names where
