"""JEFIT's sectioned export: sessions, packed 'weight x reps' logs and the unit."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from replog.core.errors import ImportFormatError
from replog.core.exercises import Equipment
from replog.core.units import Load, Unit
from replog.io.jefit import is_jefit, read_jefit
from replog.services.importing import refuse_unreadable

# Structured as JEFIT writes it (banners padded with '#', blank lines, dividers); the
# numbers are made up here.
EXPORT = """\
### SETTING ##########################################

row_id,USERID,TIMESTAMP,gender
1,1,"2026-01-01 00:00:00",M


######################################################

### WORKOUT SESSIONS #################################

_id,mydate,starttime,starttimie,total_time
1000,2026-01-01,1767261600,,3600
2000,2026-01-05,,1767607200,0

######################################################

### EXERCISE LOGS ####################################

USERID,TIMESTAMP,belongSys,logs,_id,record,mydate,eid,ename,day_item_id,belongsession,logTime
1,"2026-01-01 00:00:00",1,"60x10,65x8,65x0",1,86.67,2026-01-01,21,"Barbell Bench Press",1,1000,1
1,"2026-01-01 00:00:00",1,"20x10,20x10",2,26.67,2026-01-01,90,"Dumbbell Row",2,1000,1
1,"2026-01-05 00:00:00",1,"100x5,100x5",3,116.67,2026-01-05,127,"Barbell Squat",3,2000,2
1,"2026-01-07 00:00:00",1,"0x12",4,0,2026-01-07,300,"Chin Up",4,,3
1,"2026-01-07 00:00:00",1,"",5,0,2026-01-07,301,"Plank",5,,3

######################################################

### EXERCISE SET LOGS ################################

_id,userid,exercise_log_id,set_index,weight_lbs,reps
1,1,1,0,132.28,10
"""


def test_sessions_packed_sets_and_the_unit_from_the_set_logs() -> None:
    assert is_jefit(EXPORT)
    source = read_jefit(EXPORT, tz=UTC)
    assert [(s.exercise, s.load, s.reps) for s in source.sets] == [
        ("Barbell Bench Press", Load(Decimal("60"), Unit.KG), 10),
        ("Barbell Bench Press", Load(Decimal("65"), Unit.KG), 8),  # 65x0: not done
        ("Dumbbell Row", Load(Decimal("20"), Unit.KG), 10),
        ("Dumbbell Row", Load(Decimal("20"), Unit.KG), 10),
        ("Barbell Squat", Load(Decimal("100"), Unit.KG), 5),
        ("Barbell Squat", Load(Decimal("100"), Unit.KG), 5),
        ("Chin Up", Load(Decimal("0"), Unit.KG), 12),
    ]
    assert all(s.unit_stated for s in source.sets)  # 132.28 lb is 60 kg: the log is in kg
    first, squat, chin = source.sets[0], source.sets[4], source.sets[6]
    assert first.started_at == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert first.ended_at == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)
    assert squat.started_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # "starttimie"
    assert squat.ended_at is None  # total_time 0: unknown
    assert chin.started_at == datetime(2026, 1, 7, 12, 0, tzinfo=UTC)  # no session: its day
    assert len({s.session_key for s in source.sets}) == 3
    assert first.equipment is Equipment.BARBELL
    assert source.sets[2].equipment is Equipment.DUMBBELL
    assert [(r.line, r.reason) for r in source.skipped] == [(24, "no sets logged")]
    assert source.sets[0].line == 20


def test_pounds_from_the_set_logs_or_the_settings() -> None:
    pounds = EXPORT.replace("1,1,1,0,132.28,10", "1,1,1,0,60,10")
    assert read_jefit(pounds, tz=UTC).sets[0].load == Load(Decimal("60"), Unit.LB)
    stated = EXPORT.replace("row_id,USERID,TIMESTAMP,gender", "row_id,USERID,TIMESTAMP,weightunit")
    stated = stated.replace('"2026-01-01 00:00:00",M', '"2026-01-01 00:00:00",lbs')
    stated = stated.split("### EXERCISE SET LOGS")[0]
    assert read_jefit(stated, tz=UTC).sets[0].load == Load(Decimal("60"), Unit.LB)


def test_no_unit_anywhere_leaves_it_to_the_import() -> None:
    plain = EXPORT.split("### EXERCISE SET LOGS")[0]
    source = read_jefit(plain, tz=UTC)
    assert source.sets
    assert not any(s.unit_stated for s in source.sets)


@pytest.mark.parametrize(
    ("logs", "why"),
    [("60x10,sixty", "expected sets like"), ("60x500", "reps must be"), ("-5x3", "expected")],
)
def test_a_bad_log_is_left_out_and_listed(logs: str, why: str) -> None:
    bad = EXPORT.replace('"20x10,20x10"', f'"{logs}"')
    source = read_jefit(bad, tz=UTC)
    assert len(source.sets) == 5  # the row's two sets are out, the rest are in
    assert [(r.line, r.column) for r in source.rejected] == [(21, "logs (column 4)")]
    assert why in source.rejected[0].reason
    with pytest.raises(ImportFormatError) as info:
        refuse_unreadable(source, strict=True)
    assert info.value.line == 21


def test_not_jefit() -> None:
    assert not is_jefit("Date,Exercise,Reps\n2024-01-01,Squat,5\n")
    with pytest.raises(ImportFormatError, match="EXERCISE LOGS"):
        read_jefit("### SETTING ###\na,b\n1,2\n")
