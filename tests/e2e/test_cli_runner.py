"""The two ways the tests run ``replog``: the installed console script in a subprocess (a few
smoke tests, marked ``console_script``) and the same entry point in process (``cli``, every
other CLI test).

The smoke tests keep the real thing covered: the script and its imports, a first run that
creates and migrates the database, exit codes and the two streams as another process sees
them, and output identical to the in-process run's.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Cli


@pytest.mark.console_script
def test_a_first_run_logs_a_set_and_shows_it(cli_process):
    assert not cli_process.db.exists()
    out = cli_process("log", "squat", "100kg", "x5", "@8", "--v", "0.61,0.60,0.58,0.57,0.55").out
    assert "Back Squat: 100 kg x 5 @8" in out
    (s,) = cli_process("show", "--json").json()["session"]["sets"]
    assert (s["exercise"], s["reps"], s["rpe"]) == ("back-squat", 5, 8.0)
    assert [r["mcv"] for r in s["rep_data"]] == [0.61, 0.60, 0.58, 0.57, 0.55]


@pytest.mark.console_script
def test_bad_input_is_one_line_on_stderr_and_exit_code_1(cli_process):
    result = cli_process.fails("log", "squat", "100", "x5", "@11")
    assert result.err.startswith("error: ")
    assert "rpe" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""


@pytest.mark.console_script
def test_a_usage_error_exits_2(cli_process):
    assert "No such command" in cli_process.fails("frobnicate", code=2).err


@pytest.mark.console_script
def test_help_and_output_are_the_same_in_process(cli_process, cli):
    shown = cli_process("--help").out
    assert "Usage: replog" in shown
    assert " log " in shown
    assert cli("--help").out == shown
    calc = ("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8")
    assert cli(*calc).out == cli_process(*calc).out
    bad = ("log", "squat", "100", "x5", "@11")
    assert cli.fails(*bad).err == cli_process.fails(*bad).err


def test_in_process_runs_keep_nothing_from_one_to_the_next(cli, tmp_path):
    """Each run starts like a new process: no database or athlete kept from the last one."""
    cli("log", "squat", "100", "x5")
    other = Cli(tmp_path / "other.db")
    assert "nothing logged yet" in other.fails("show").err
    other("--athlete", "bea", "log", "bench", "60", "x8")
    assert cli("show", "--json").json()["session"]["sets"][0]["exercise"] == "back-squat"
    assert "bench-press" not in cli("sessions", "--json").out
    assert cli.fails("--athlete", "bea", "show").code == 1  # bea is in the other file only


def test_a_bug_in_process_is_raised_with_its_traceback(cli, monkeypatch):
    """The console script turns a bug into one line, "internal error ... (set REPLOG_DEBUG=1
    for details)"; in process the test gets the exception itself, so ``fails()`` cannot
    mistake a bug for a refused input."""
    from replog.core import strength

    def broken(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(strength, "e1rm_rpe", broken)
    with pytest.raises(ZeroDivisionError, match="planted") as raised:
        cli.fails("e1rm", "--load", "100kg", "--reps", "5", "--rpe", "8")
    assert "replog e1rm --load 100kg" in "".join(raised.value.__notes__)
