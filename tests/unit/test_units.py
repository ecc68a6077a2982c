from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replog.core.errors import ValidationError
from replog.core.units import KG_PER_LB, Load, Unit, parse_load, plate_unit, round_to_increment


def test_pound_is_exactly_the_international_pound():
    assert Decimal("0.45359237") == KG_PER_LB


@pytest.mark.parametrize(
    ("text", "value", "unit", "kg"),
    [
        ("225lb", "225", Unit.LB, 102.058),
        ("225 lbs", "225", Unit.LB, 102.058),
        ("100kg", "100", Unit.KG, 100.0),
        ("102.5", "102.5", Unit.KG, 102.5),
        ("102,5kg", "102.5", Unit.KG, 102.5),
        ("45#", "45", Unit.LB, 20.412),
        ("bw", "0", Unit.KG, 0.0),
    ],
)
def test_parse_load_as_lifters_write_it(text, value, unit, kg):
    load = parse_load(text, Unit.KG)
    assert load.value == Decimal(value)
    assert load.unit is unit
    assert load.kg == pytest.approx(kg, abs=1e-9)


def test_bare_number_takes_the_default_unit():
    assert parse_load("225", Unit.LB) == Load(Decimal(225), Unit.LB)


def test_value_is_kept_exactly_as_entered():
    load = parse_load("102.50kg", Unit.KG)
    assert str(load.value) == "102.50"


@pytest.mark.parametrize("text", ["-20kg", "abc", "10 stone", "1e3", "", "2500kg", "2300lb"])
def test_bad_loads_are_refused_with_the_field(text):
    with pytest.raises(ValidationError) as err:
        parse_load(text, Unit.KG)
    assert err.value.field == "load"


def test_absurd_load_message_suggests_a_typo():
    with pytest.raises(ValidationError, match="extra digit"):
        parse_load("2000kg", Unit.KG)


@given(st.decimals(min_value=0, max_value=1000, places=3))
def test_kg_to_lb_and_back_is_exact(value):
    load = Load(value, Unit.KG)
    assert abs(Load(load.in_unit(Unit.LB), Unit.LB).exact_kg - value) < Decimal("1e-20")


@given(st.decimals(min_value=0, max_value=2204, places=2))
def test_normalised_kg_is_within_half_a_gram(value):
    load = Load(value, Unit.LB)
    assert abs(Decimal(str(load.kg)) - value * KG_PER_LB) <= Decimal("0.0005")


def test_round_to_increment():
    assert round_to_increment(101.3, 2.5) == 102.5
    assert round_to_increment(101.2, 1.25) == 101.25
    with pytest.raises(ValidationError):
        round_to_increment(100, 0)


def test_plate_unit_names_pounds_kilograms_or_neither() -> None:
    pounds = [Decimal(v) for v in (45, 135, 185, 225, 225, 315, 135, 95, 100, 150)]
    kilos = [
        Decimal(v) for v in ("20", "60", "62.5", "82.5", "102.5", "100", "61.25", "47.5", "57.5")
    ]
    assert plate_unit(pounds)[0] is Unit.LB
    assert plate_unit(kilos)[0] is Unit.KG
    # multiples of 5 fit both: nothing is claimed
    assert plate_unit([Decimal(v) for v in (50, 60, 70, 80, 100, 120, 140)])[0] is None
    assert plate_unit([])[0] is None
    # a few marks are not enough, nor a mix
    assert plate_unit([Decimal(45), Decimal(135)])[0] is None
    assert plate_unit(pounds + kilos)[0] is None
