"""Sleep import: the sleep CSV and the Apple Health export (zip or XML)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replog.core.errors import ImportFormatError
from replog.io.sleep import SleepNight, read_apple_health, read_sleep, read_sleep_csv

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _error(fn, *args, **kwargs) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        fn(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------- CSV
def test_date_and_hours_one_night_per_day_sorted() -> None:
    nights = read_sleep_csv("date,sleep_h\n2024-03-03,6.25\n2024-03-01,7.5\n2024-03-02,8\n")
    assert nights == [
        SleepNight(date(2024, 3, 1), 7.5, None, None, "csv"),
        SleepNight(date(2024, 3, 2), 8.0, None, None, "csv"),
        SleepNight(date(2024, 3, 3), 6.25, None, None, "csv"),
    ]


def test_durations_as_clock_words_and_minutes() -> None:
    hours = read_sleep_csv("date,hours\n2024-03-01,7:20\n2024-03-02,6h 45m\n2024-03-03,7h\n")
    assert [n.asleep_h for n in hours] == [7.33, 6.75, 7.0]
    minutes = read_sleep_csv("Day,Minutes\n2024-03-01,450\n2024-03-02,7h 30m\n")
    assert [n.asleep_h for n in minutes] == [7.5, 7.5]
    stated = read_sleep_csv("date,duration\n2024-03-01,450m\n2024-03-02,7.25h\n2024-03-03,7:15\n")
    assert [n.asleep_h for n in stated] == [7.5, 7.25, 7.25]


def test_aliases_quality_and_time_in_bed() -> None:
    text = (
        'Night,Asleep_H,Sleep Quality,Time in bed,Notes\n2024-03-01,7.5,4,8:05,"late, loud"\n'
        "2024-03-02,6.9,,7.2,\n"
    )
    nights = read_sleep_csv(text)
    assert nights == [
        SleepNight(date(2024, 3, 1), 7.5, 8.08, 4, "csv"),
        SleepNight(date(2024, 3, 2), 6.9, 7.2, None, "csv"),
    ]


def test_semicolon_with_decimal_comma() -> None:
    nights = read_sleep_csv("date;sleep_h;quality;in_bed_h\n2024-03-01;7,5;3;8,25\n")
    assert nights == [SleepNight(date(2024, 3, 1), 7.5, 8.25, 3, "csv")]


def test_date_column_accepts_a_datetime() -> None:
    nights = read_sleep_csv("date,sleep_h\n2024-03-02 06:45,7.1\n")
    assert nights[0].day == date(2024, 3, 2)


def test_start_end_crossing_midnight_in_tz() -> None:
    text = "Bedtime,Wake,Rating\n2024-03-01 23:40,2024-03-02 06:55,5\n"
    nights = read_sleep_csv(text, tz=BERLIN)
    assert nights == [SleepNight(date(2024, 3, 2), 7.25, None, 5, "csv")]


def test_start_end_with_offsets_ignore_tz_for_duration() -> None:
    text = "start;end\n2024-03-01T23:30:00+01:00;2024-03-02T06:45:00+01:00\n"
    assert read_sleep_csv(text)[0].asleep_h == 7.25
    late = "start,end\n2024-03-01T20:00:00+01:00,2024-03-02T01:30:00+01:00\n"  # 19:30 in NY
    assert read_sleep_csv(late)[0].day == date(2024, 3, 2)
    assert read_sleep_csv(late, tz=NEW_YORK)[0].day == date(2024, 3, 1)


def test_start_end_over_daylight_saving_changes_use_real_elapsed_time() -> None:
    text = (
        "start,end\n"
        "2024-03-30 23:30,2024-03-31 07:30\n"  # clocks go forward at 02:00: 7 h, not 8
        "2024-10-26 23:30,2024-10-27 07:30\n"  # clocks go back at 03:00: 9 h
    )
    nights = read_sleep_csv(text, tz=BERLIN)
    assert [(n.day, n.asleep_h) for n in nights] == [
        (date(2024, 3, 31), 7.0),
        (date(2024, 10, 27), 9.0),
    ]


def test_nap_and_night_on_one_day_are_added_up() -> None:
    text = "date,sleep_h,quality,in_bed_h\n2024-03-02,7,4,7.5\n2024-03-02,0.5,2,\n"
    [night] = read_sleep_csv(text)
    assert night.asleep_h == 7.5
    assert night.quality == 4  # that of the longest sleep
    assert night.in_bed_h is None  # the nap has no time in bed, so no sum is given


def test_start_end_nap_and_night_add_up_with_in_bed() -> None:
    text = (
        "start,end,in_bed_h\n2024-03-01 23:00,2024-03-02 06:00,7.5\n"
        "2024-03-02 14:00,2024-03-02 14:30,0.6\n"
    )
    [night] = read_sleep_csv(text, tz=BERLIN)
    assert (night.day, night.asleep_h, night.in_bed_h) == (date(2024, 3, 2), 7.5, 8.1)


def test_file_paths_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "sleep.csv"
    path.write_text("date,sleep_h\n\n2024-03-01,7.5\n\n", encoding="utf-8-sig")
    expected = [SleepNight(date(2024, 3, 1), 7.5, None, None, "csv")]
    assert read_sleep_csv(path) == expected
    assert read_sleep_csv(str(path)) == expected
    assert read_sleep(path) == expected


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [
        ("", 1, None, "empty"),
        ("\n\n", 1, None, "empty"),
        ("date,sleep_h\n", 1, None, "no sleep rows"),
        ("date,sleep_h,mood\n2024-03-01,7,good\n", 1, "mood", "'mood' is unknown"),
        ("2024-03-01,7.5\n", 1, "2024-03-01", "must be a header"),
        ("date,hours,sleep_h\n2024-03-01,7,7\n", 1, "sleep_h", "repeats 'hours'"),
        ("date,hours,minutes\n2024-03-01,7,420\n", 1, "minutes", "does not go"),
        ("date,quality\n2024-03-01,4\n", 1, "sleep_h", "missing column 'sleep_h'"),
        ("sleep_h\n7\n", 1, "date", "missing column 'date'"),
        ("bedtime\n2024-03-01 23:00\n", 1, "end", "missing column 'end'"),
        ("date,start,end\n2024-03-02,2024-03-01 23:00,2024-03-02 06:00\n", 1, "date", "not go"),
        ("date,sleep_h\n2024-03-01,7\n01/03/2024,7\n", 3, "date", "YYYY-MM-DD"),
        ("date,sleep_h\n2024-02-30,7\n", 2, "date", "'2024-02-30'"),
        ("date,sleep_h\n,7\n", 2, "date", "empty value"),
        ("date,sleep_h\n2024-03-01,\n", 2, "sleep_h", "empty value"),
        ("date,sleep_h\n2024-03-01,seven\n", 2, "sleep_h", "hours like 7.5"),
        ("date,sleep_h\n2024-03-01,-1\n", 2, "sleep_h", "negative"),
        ("date,sleep_min\n2024-03-01,1500\n", 2, "sleep_min", "over 24 h"),
        ("date,sleep_h\n2024-03-01,25\n", 2, "sleep_h", "over 24 h"),
        ("date,sleep_h\n2024-03-01,nan\n", 2, "sleep_h", "not a number"),
        ("date,duration\n2024-03-01,7\n", 2, "duration", "stating its unit"),
        ("date,sleep_h,quality\n2024-03-01,7,6\n", 2, "quality", "1 to 5"),
        ("date,sleep_h,quality\n2024-03-01,7,4.5\n", 2, "quality", "whole number"),
        ("date,sleep_h\n2024-03-01,7,extra\n", 2, None, "expected 2 columns"),
        ("date,sleep_h\n2024-03-01,14\n2024-03-01,11\n", 3, "sleep_h", "over 24 h"),
        ("start,end\n2024-03-01 23:00,2024-03-01 22:00\n", 2, "end", "is not after start"),
        ("start,end\n2024-03-01 23:00,2024-03-01 23:00\n", 2, "end", "is not after start"),
        ("start,end\n2024-03-01 22:00,2024-03-02 23:00\n", 2, "end", "more than 24 h"),
        ("start,end\n2024-03-01,2024-03-02 06:00\n", 2, "start", "date and time"),
        ("start,end\n2024-03-01 23:00,06:30\n", 2, "end", "'06:30'"),
        (
            "start,end\n2024-03-01 23:00,2024-03-02 06:00\n\n2024-03-02 05:00,2024-03-02 07:00\n",
            4,
            "start",
            "overlaps the one on line 2",
        ),
    ],
)
def test_csv_errors_name_line_and_field(
    text: str, line: int, field: str | None, fragment: str
) -> None:
    err = _error(read_sleep_csv, text, tz=BERLIN)
    assert err.line == line
    assert err.field == field
    assert fragment in err.message
    if field:
        assert f"line {line}, {field}:" in str(err)


def test_csv_file_errors(tmp_path: Path) -> None:
    assert "cannot read" in _error(read_sleep_csv, tmp_path / "missing.csv").message
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,sleep_h,notes\n2024-03-01,7,m\xfcde\n".encode("latin-1"))
    assert "not UTF-8" in _error(read_sleep_csv, latin).message
    xml = tmp_path / "export.csv"
    xml.write_text('<?xml version="1.0"?>\n<HealthData/>\n')
    err = _error(read_sleep_csv, xml)
    assert "zip or XML" in err.message
    assert err.line == 1


# ---------------------------------------------------------------------------- Apple Health
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x28321e8a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.3&gt;"
)
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-04-02 08:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-05-01" \
HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""
NOISE = f"""\
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" sourceVersion="17.3" \
unit="count" creationDate="2024-03-01 21:10:02 +0100" startDate="2024-03-01 20:58:11 +0100" \
endDate="2024-03-01 21:05:40 +0100" value="412"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" sourceVersion="10.3" \
device="{WATCH_DEVICE}" unit="count/min" creationDate="2024-03-02 02:14:09 +0100" \
startDate="2024-03-02 02:13:30 +0100" endDate="2024-03-02 02:13:30 +0100" value="52">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
 </Record>
 <Workout workoutActivityType="HKWorkoutActivityTypeTraditionalStrengthTraining" \
duration="58.2" durationUnit="min" sourceName="Apple Watch" \
startDate="2024-03-01 18:00:00 +0100" endDate="2024-03-01 18:58:12 +0100"/>
"""


def _sleep(source: str, start: str, end: str, value: str) -> str:
    device = f' device="{WATCH_DEVICE}"' if source == "Apple Watch" else ""
    return (
        f' <Record type="{SLEEP}" sourceName="{source}" sourceVersion="10.3"{device} '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" '
        f'value="HKCategoryValueSleepAnalysis{value}"/>\n'
    )


def _export(*records: str) -> str:
    return HEADER + NOISE + "".join(records) + "</HealthData>\n"


def _write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Watch stages 23:00-06:00 in pieces, the phone's older "Asleep" 22:50-06:10 and the watch's
# in-bed 22:45-06:20, all for the night ending on Saturday 2 March 2024.
OVERLAPPING_NIGHT = (
    _sleep("Apple Watch", "2024-03-01 22:45:00 +0100", "2024-03-02 06:20:00 +0100", "InBed"),
    _sleep("Apple Watch", "2024-03-01 23:00:00 +0100", "2024-03-02 00:30:00 +0100", "AsleepCore"),
    _sleep("Apple Watch", "2024-03-02 00:30:00 +0100", "2024-03-02 01:30:00 +0100", "AsleepDeep"),
    _sleep("Apple Watch", "2024-03-02 01:30:00 +0100", "2024-03-02 03:00:00 +0100", "AsleepCore"),
    _sleep("Apple Watch", "2024-03-02 03:00:00 +0100", "2024-03-02 03:40:00 +0100", "AsleepREM"),
    _sleep("Apple Watch", "2024-03-02 03:40:00 +0100", "2024-03-02 06:00:00 +0100", "AsleepCore"),
    _sleep("iPhone", "2024-03-01 22:50:00 +0100", "2024-03-02 06:10:00 +0100", "Asleep"),
)


def test_overlapping_sources_are_united_not_summed(tmp_path: Path) -> None:
    nights = read_apple_health(_write(tmp_path, _export(*OVERLAPPING_NIGHT)))
    assert nights == [
        SleepNight(date(2024, 3, 2), 7.33, 7.58, None, "Apple Health: Apple Watch, iPhone")
    ]  # 22:50-06:10 is 7 h 20 min; the sum of the records would be 14 h 20 min


def _watch(start: str, end: str, value: str) -> str:
    return _sleep("Apple Watch", f"{start}:00 +0100", f"{end}:00 +0100", value)


def test_awake_inside_the_night_is_not_sleep(tmp_path: Path) -> None:
    text = _export(
        _watch("2024-03-02 22:40", "2024-03-02 23:40", "AsleepCore"),
        _watch("2024-03-02 23:40", "2024-03-03 00:25", "Awake"),
        _watch("2024-03-03 00:25", "2024-03-03 06:40", "AsleepREM"),
    )
    [night] = read_apple_health(_write(tmp_path, text))
    # 1 h before midnight and 6 h 15 min after it, all for the morning of 3 March
    assert (night.day, night.asleep_h, night.in_bed_h) == (date(2024, 3, 3), 7.25, None)


def test_nights_and_naps_go_to_the_day_they_end_on(tmp_path: Path) -> None:
    text = _export(
        *OVERLAPPING_NIGHT,
        _watch("2024-03-02 14:10", "2024-03-02 14:40", "AsleepCore"),
        _watch("2024-03-02 23:50", "2024-03-03 06:50", "AsleepCore"),
    )
    nights = read_apple_health(_write(tmp_path, text))
    assert [(n.day, n.asleep_h) for n in nights] == [
        (date(2024, 3, 2), 7.83),  # the night (7 h 20 min) and the nap (30 min)
        (date(2024, 3, 3), 7.0),  # starts before midnight, counts to the morning
    ]
    assert nights[1].source == "Apple Health: Apple Watch"


def test_a_gap_under_3_hours_joins_an_evening_nap_to_the_night(tmp_path: Path) -> None:
    night = _watch("2024-03-02 23:00", "2024-03-03 06:00", "AsleepCore")
    apart = _export(_watch("2024-03-02 19:30", "2024-03-02 20:00", "AsleepCore"), night)
    joined = _export(_watch("2024-03-02 20:30", "2024-03-02 21:00", "AsleepCore"), night)
    assert [(n.day, n.asleep_h) for n in read_apple_health(_write(tmp_path, apart))] == [
        (date(2024, 3, 2), 0.5),  # 3 h before the night: a nap of its own day
        (date(2024, 3, 3), 7.0),
    ]
    assert [(n.day, n.asleep_h) for n in read_apple_health(_write(tmp_path, joined))] == [
        (date(2024, 3, 3), 7.5),  # 2 h before the night: part of it
    ]


def test_in_bed_only_night_falls_back_and_says_so(tmp_path: Path) -> None:
    text = _export(
        _sleep("iPhone", "2024-03-04 23:10:00 +0100", "2024-03-05 07:05:00 +0100", "InBed")
    )
    assert read_apple_health(_write(tmp_path, text)) == [
        SleepNight(
            date(2024, 3, 5), 7.92, 7.92, None, "Apple Health: iPhone (in bed, no sleep stages)"
        )
    ]


def test_daylight_saving_nights_use_real_elapsed_time(tmp_path: Path) -> None:
    text = _export(
        _sleep(
            "Apple Watch", "2024-03-30 23:30:00 +0100", "2024-03-31 07:30:00 +0200", "AsleepCore"
        ),
        _sleep(
            "Apple Watch", "2024-10-26 23:30:00 +0200", "2024-10-27 07:30:00 +0100", "AsleepCore"
        ),
    )
    path = _write(tmp_path, text)
    expected = [(date(2024, 3, 31), 7.0), (date(2024, 10, 27), 9.0)]
    assert [(n.day, n.asleep_h) for n in read_apple_health(path)] == expected
    assert [(n.day, n.asleep_h) for n in read_apple_health(path, tz=BERLIN)] == expected


def test_tz_sets_the_calendar_day(tmp_path: Path) -> None:
    text = _export(_watch("2024-03-01 22:00", "2024-03-02 05:30", "AsleepCore"))
    path = _write(tmp_path, text)
    assert read_apple_health(path)[0].day == date(2024, 3, 2)
    assert read_apple_health(path, tz=NEW_YORK)[0].day == date(2024, 3, 1)  # 23:30 there


def test_export_without_sleep_records_gives_no_nights(tmp_path: Path) -> None:
    assert read_apple_health(_write(tmp_path, _export())) == []


def test_zip_export_and_read_sleep_dispatch(tmp_path: Path) -> None:
    text = _export(*OVERLAPPING_NIGHT)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "apple_health_export/export_cda.xml", '<?xml version="1.0"?><ClinicalDocument/>'
        )
        zf.writestr("apple_health_export/export.xml", text)
        zf.writestr("apple_health_export/workout-routes/route_2024-03-01.gpx", "<gpx/>")
    from_xml = read_apple_health(_write(tmp_path, text))
    assert read_apple_health(archive) == from_xml
    assert read_apple_health(str(archive)) == from_xml
    assert read_sleep(archive) == from_xml
    assert read_sleep(tmp_path / "export.xml") == from_xml
    unnamed = tmp_path / "health-backup"
    unnamed.write_bytes(archive.read_bytes())
    assert read_sleep(unnamed) == from_xml
    assert from_xml[0].asleep_h == 7.33


def test_zip_without_export_xml_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "apple_health_export/export_cda.xml", '<?xml version="1.0"?><ClinicalDocument/>'
        )
    err = _error(read_apple_health, archive)
    assert "export.xml" in err.message
    assert err.field == "export.xml"


def test_xml_that_is_not_a_health_export_is_rejected(tmp_path: Path) -> None:
    gpx = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1"><trk/></gpx>\n'
    err = _error(read_apple_health, _write(tmp_path, gpx, "route.xml"))
    assert err.line == 2
    assert "not an Apple Health export" in err.message
    assert "<gpx>" in err.message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "not well-formed"),
        ("date,sleep_h\n2024-03-01,7\n", 1, "not well-formed"),
        (HEADER + NOISE + ' <Record type="x"\n', len((HEADER + NOISE).splitlines()) + 1, "not"),
    ],
)
def test_broken_xml_is_an_import_error(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    err = _error(read_apple_health, _write(tmp_path, text))
    assert fragment in err.message
    assert err.line == line


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.mark.parametrize(
    ("start", "end", "field", "fragment"),
    [
        ("01/03/2024 23:00", "2024-03-02 06:00:00 +0100", "startDate", "'01/03/2024 23:00'"),
        ("2024-03-01 23:00:00 +0100", "2024-03-02", "endDate", "expected a time"),
        ("2024-03-02 06:00:00 +0100", "2024-03-01 23:00:00 +0100", "endDate", "before its start"),
        ("2024-03-01 06:00:00 +0100", "2024-03-02 07:00:00 +0100", "endDate", "over 24 h"),
    ],
)
def test_bad_sleep_record_names_its_line_and_attribute(
    tmp_path: Path, start: str, end: str, field: str, fragment: str
) -> None:
    bad = _sleep("Sleep++", start, end, "AsleepUnspecified")
    text = _export(*OVERLAPPING_NIGHT, bad)
    err = _error(read_apple_health, _write(tmp_path, text))
    assert err.line == _line_of(text, 'sourceName="Sleep++"')
    assert err.field == field
    assert fragment in err.message


def test_missing_file_is_an_import_error(tmp_path: Path) -> None:
    assert "cannot read" in _error(read_apple_health, tmp_path / "export.zip").message
    assert "cannot read" in _error(read_sleep, tmp_path / "sleep.csv").message


def test_a_long_watch_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """A few MB of zip can hold a million sleep records (issue 20, item 9: a 3.4 MB zip
    took the import to 1 GB): each record kept costs well under 200 bytes of Python heap
    (about 300 as objects before)."""
    import tracemalloc
    from datetime import datetime, timedelta

    n, t0 = 30_000, datetime(2020, 1, 1, 23, 0)
    stages = ("AsleepCore", "AsleepDeep", "AsleepREM", "InBed")
    records = []
    for k in range(n):  # ten records a night
        a = t0 + timedelta(days=k // 10, minutes=(k % 10) * 40)
        b = a + timedelta(minutes=35)
        when = [f"{x:%Y-%m-%d %H:%M:%S} +0000" for x in (a, b)]
        records.append(_sleep("Apple Watch", *when, stages[k % 4]))
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", _export(*records))
    del records
    tracemalloc.start()
    try:
        nights = read_apple_health(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(nights) == n // 10
    assert all(3 < x.asleep_h < 6 for x in nights)  # 7-8 stages of 35 min a night
    assert peak / n < 200, f"{peak / n:.0f} bytes per record"
