"""`replog e1rm`: the e1RM calculator through the real command line."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Cli

KG_PER_LB = 0.45359237


def test_rts_chart_estimate_as_json(cli):
    doc = cli("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8", "--json").json()
    assert (doc["load"], doc["unit"], doc["load_kg"]) == ("100", "kg", 100.0)
    assert (doc["reps"], doc["rpe"], doc["rir"], doc["method"]) == (5, 8.0, 2.0, "rts")
    assert doc["percent_1rm"] == pytest.approx(0.811)
    assert doc["e1rm_kg"] == pytest.approx(100 / 0.811, abs=1e-3)
    assert doc["e1rm"] == doc["e1rm_kg"]
    assert doc["estimates"] == {"rts": doc["e1rm"]}
    assert doc["target"] is None


def test_the_calculator_needs_no_database(tmp_path):
    cli = Cli(tmp_path / "never-created.db")  # not the fixture's: that one exists, migrated
    cli("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8")
    assert not cli.db.exists()


def test_rir_reads_the_same_as_rpe(cli):
    by_rpe = cli("e1rm", "--load", "100", "--reps", "5", "--rpe", "8", "--json").json()
    by_rir = cli("e1rm", "--load", "100", "--reps", "5", "--rir", "2", "--json").json()
    assert by_rir == by_rpe


def test_readable_output_is_a_few_lines(cli):
    out = cli("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8").out
    assert out == "100 kg x 5 @8: e1RM 123.3 kg (RTS chart, 81.1% of 1RM)\n"


def test_target_load_rounded_to_plates(cli):
    args = ("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8")
    target = cli(*args, "--target-reps", "3", "--target-rpe", "9", "--json").json()["target"]
    # e1RM 123.30 kg x 89.2% = 109.99 kg -> 110 kg in 2.5 kg steps
    assert target["exact"] == pytest.approx(100 / 0.811 * 0.892, abs=1e-3)
    assert (target["load"], target["unit"], target["load_kg"]) == ("110", "kg", 110.0)
    assert (target["reps"], target["rpe"], target["rir"]) == (3, 9.0, 1.0)
    assert target["increment"] == "2.5"
    fine = cli(*args, "--target-reps", "3", "--increment", "1.25", "--json").json()["target"]
    # 3 @ 10 is 92.2%: 113.69 kg -> 113.75 kg in 1.25 kg steps
    assert (fine["load"], fine["rpe"], fine["increment"]) == ("113.75", 10.0, "1.25")
    out = cli(*args, "--target-reps", "3", "--target-rpe", "9").out
    assert "3 @9: 110 kg" in out


def test_pounds_stay_pounds(cli):
    doc = cli(
        "e1rm",
        "--load",
        "225lb",
        "--reps",
        "5",
        "--rpe",
        "8",
        "--target-reps",
        "3",
        "--target-rir",
        "1",
        "--json",
    ).json()
    assert (doc["load"], doc["unit"], doc["load_kg"]) == ("225", "lb", 102.058)
    assert doc["e1rm"] == pytest.approx(225 / 0.811, abs=1e-3)
    assert doc["e1rm_kg"] == pytest.approx(225 / 0.811 * KG_PER_LB, abs=1e-3)
    target = doc["target"]
    # 277.44 lb x 89.2% = 247.47 lb -> 245 lb in the default 5 lb steps
    assert (target["load"], target["unit"], target["increment"]) == ("245", "lb", "5")
    assert target["load_kg"] == pytest.approx(245 * KG_PER_LB, abs=1e-3)


def test_a_classic_formula(cli):
    doc = cli("e1rm", "--load", "100", "--reps", "10", "--formula", "brzycki", "--json").json()
    assert doc["method"] == "brzycki"
    assert doc["e1rm"] == pytest.approx(133.333, abs=1e-3)
    assert doc["estimates"] == {"brzycki": doc["e1rm"]}
    plain = cli("e1rm", "--load", "100", "--reps", "10", "--json").json()
    assert plain["method"] == "epley"
    assert plain["e1rm"] == pytest.approx(133.333, abs=1e-3)


def test_formulas_count_reps_in_reserve(cli):
    doc = cli("e1rm", "--load", "100", "--reps", "5", "--rpe", "8", "-f", "epley", "--json")
    assert doc.json()["e1rm"] == pytest.approx(100 * (1 + 7 / 30), abs=1e-3)


def test_every_formula(cli):
    doc = cli("e1rm", "--load", "100kg", "--reps", "10", "--formula", "all", "--json").json()
    assert doc["method"] == "epley"
    expected = {
        "epley": 133.3,
        "brzycki": 133.3,
        "lander": 134.1,
        "lombardi": 125.9,
        "mayhew": 130.9,
        "oconner": 125.0,
        "wathan": 134.7,
    }
    assert doc["estimates"].keys() == expected.keys()
    for name, value in expected.items():
        assert doc["estimates"][name] == pytest.approx(value, abs=0.1)
    with_rpe = cli("e1rm", "--load", "100", "--reps", "5", "--rpe", "8", "-f", "all", "--json")
    assert with_rpe.json()["method"] == "rts"
    assert set(with_rpe.json()["estimates"]) == {"rts", *expected}
    out = cli("e1rm", "--load", "100kg", "--reps", "10", "--formula", "all").out
    assert "Mayhew et al." in out
    assert len(out.splitlines()) == 8


def test_a_reps_max_model_with_reps_in_reserve(cli):
    # STMr's modified Epley, kmod 0.0353: 5 reps @ RPE 8 is 7 to failure,
    # %1RM = 1 / (1 + 0.0353 x 6) = 0.82515, e1RM = 100 / 0.82515 = 121.18
    args = ("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8", "--model", "modified_epley")
    doc = cli(*args, "--json").json()
    assert doc["method"] == "model_modified_epley"
    assert doc["e1rm"] == pytest.approx(100 * (1 + 0.0353 * 6), abs=1e-3)
    assert doc["estimates"] == {"model_modified_epley": doc["e1rm"]}
    assert doc["models"] == {"modified_epley": {"kmod": 0.0353}}
    assert doc["percent_1rm"] == pytest.approx(1 / (1 + 0.0353 * 6), abs=1e-4)
    out = cli(*args).out
    assert out == "100 kg x 5 @8: e1RM 121.2 kg (Modified Epley, kmod 0.0353, 82.5% of 1RM)\n"


def test_the_linear_model_with_its_own_parameter_and_a_target(cli):
    # klin 30: 5 reps @ RIR 2 is 7 to failure, (30 - 7 + 1) / 30 = 80 % -> e1RM 125;
    # 3 @ RPE 9 is 4 to failure, (30 - 4 + 1) / 30 = 90 % -> 112.5 kg
    doc = cli(
        "e1rm", "--load", "100", "--reps", "5", "--rir", "2", "--model", "linear", "--klin", "30",
        "--target-reps", "3", "--target-rpe", "9", "--json",
    ).json()  # fmt: skip
    assert (doc["method"], doc["e1rm"], doc["models"]) == (
        "model_linear",
        125.0,
        {"linear": {"klin": 30.0}},
    )
    target = doc["target"]
    assert (target["percent_1rm"], target["exact"], target["load"]) == (0.9, 112.5, "112.5")


def test_every_reps_max_model_in_the_table_and_the_json(cli):
    args = ("e1rm", "--load", "100kg", "--reps", "5", "--rir", "2", "--model", "all", "--k", "0.03")
    doc = cli(*args, "--json").json()
    assert doc["method"] == "model_epley"
    expected = {
        "model_epley": 100 * (1 + 0.03 * 7),
        "model_modified_epley": 100 * (1 + 0.0353 * 6),
        "model_linear": 100 * 33 / (33 - 7 + 1),
    }
    assert doc["estimates"] == pytest.approx(expected, abs=1e-3)
    assert doc["models"] == {
        "epley": {"k": 0.03},
        "modified_epley": {"kmod": 0.0353},
        "linear": {"klin": 33.0},
    }
    out = cli(*args).out.splitlines()
    assert out[0] == "100 kg x 5 @8: e1RM 121.0 kg (Epley model, k 0.03, 82.6% of 1RM)"
    assert out[1:] == [
        "  Epley model, k 0.03          121.0 kg",
        "  Modified Epley, kmod 0.0353  121.2 kg",
        "  Linear model, klin 33        122.2 kg",
    ]
    plain = cli("e1rm", "--load", "100", "--reps", "5", "--json").json()
    assert plain["models"] is None


ERRORS = [
    ("--load 100 --reps 5 --rpe 6", "rpe"),
    ("--load 100 --reps 5 --rpe 11", "rpe"),
    ("--load 100 --reps 5 --rpe 8.25", "rpe"),
    ("--load 100 --reps 5 --rpe nan", "rpe"),
    ("--load 100 --reps 5 --rir 4", "rir"),
    ("--load 100 --reps 5 --rir -1", "rir"),
    ("--load 100 --reps 5 --rpe 8 --rir 3", "rir"),
    ("--load 100 --reps 0 --rpe 8", "reps"),
    ("--load 100 --reps 31 --rpe 8", "reps"),
    ("--load 100 --reps 29 --rpe 8 --formula all", "reps"),
    ("--load 0 --reps 5", "load"),
    ("--load=-100kg --reps 5", "load"),
    ("--load heavy --reps 5", "load"),
    ("--load 100 --reps 5 --formula nope", "formula"),
    ("--load 100 --reps 5 --target-rpe 9", "target-reps"),
    ("--load 100 --reps 5 --rpe 8 --target-reps 0", "target-reps"),
    ("--load 100 --reps 5 --rpe 8 --target-reps 3 --target-rpe 5", "target-rpe"),
    ("--load 100 --reps 5 --rpe 8 --target-reps 3 --target-rir 4", "target-rir"),
    ("--load 100 --reps 5 --rpe 8 --target-reps 3 --increment 0", "increment"),
    ("--load 100 --reps 5 --rpe 8 --target-reps 3 --increment=-2.5", "increment"),
    ("--load 100 --reps 5 --model brzycki", "model"),
    ("--load 100 --reps 5 --model epley --formula epley", "model"),
    ("--load 100 --reps 5 --kmod 0.04", "model"),
    ("--load 100 --reps 5 --model epley --kmod 0.04", "kmod"),
    ("--load 100 --reps 5 --model linear --klin=-3", "klin"),
    ("--load 100 --reps 5 --rir 2 --model linear --klin 5", "reps"),
    ("--load 100 --reps 5 --model epley --target-reps 31", "target-reps"),
]


@pytest.mark.parametrize(("args", "field"), ERRORS)
def test_user_errors_name_the_field(cli, args, field):
    result = cli.fails("e1rm", *args.split())
    assert result.out == ""
    assert result.err.startswith(f"error: {field}: ")
    assert len(result.err.strip().splitlines()) == 1


def test_usage_errors_exit_2(cli):
    cli.fails("e1rm", "--load", "100", "--reps", "five", code=2)
    cli.fails("e1rm", "--reps", "5", code=2)
