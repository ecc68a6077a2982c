import uuid

from hypothesis import given
from hypothesis import strategies as st

from replog.core.ids import id_time_ms, new_id, parse_id


def test_ids_are_uuid7_and_strictly_increasing():
    ids = [new_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    u = uuid.UUID(ids[0])
    assert u.version == 7
    assert u.variant == uuid.RFC_4122


@given(st.integers(min_value=0, max_value=2**48 - 1))
def test_a_given_time_is_embedded_exactly_even_after_now_ids(ms):
    new_id()
    assert id_time_ms(new_id(ms)) == ms
    assert uuid.UUID(new_id(ms)).version == 7


def test_parse_id_canonicalises():
    assert (
        parse_id("0196A0CF-7892-7000-84F6-772FEEC0482A") == "0196a0cf-7892-7000-84f6-772feec0482a"
    )
