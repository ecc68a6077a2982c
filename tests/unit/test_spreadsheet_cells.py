"""Export cells are safe to open in a spreadsheet and read back as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from replog.io.table import FORMULA_START, from_spreadsheet, spreadsheet_safe

cells = st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "1", ".", "a", " "]), max_size=6)


@given(cells)
def test_a_cell_comes_back_as_written(cell: str) -> None:
    assert from_spreadsheet(spreadsheet_safe(cell)) == cell


@given(cells)
def test_no_cell_starts_a_formula(cell: str) -> None:
    out = spreadsheet_safe(cell)
    if out.startswith(FORMULA_START):  # only numbers may: -2.5 stays a number
        assert float(out) == float(cell)


def test_known_cells() -> None:
    assert spreadsheet_safe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert spreadsheet_safe("'=") == "''="  # found by the Strong round-trip property test
    assert spreadsheet_safe("-2.5") == "-2.5"
    assert spreadsheet_safe("'note") == "'note"
