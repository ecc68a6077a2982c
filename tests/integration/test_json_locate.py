"""The line locator for import errors, against json.dumps of random documents."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from replog.io.json_locate import line_of

leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
docs = st.recursive(
    leaves,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    ),
    max_leaves=20,
)


def _paths(doc, prefix=""):
    yield prefix, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k and all(c not in k for c in ".[]"):
                yield from _paths(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, f"{prefix}[{i}]")


@given(docs)
def test_every_path_points_at_the_line_of_its_value(doc):
    text = json.dumps(doc, indent=1)
    lines = text.splitlines()
    for path, value in _paths(doc):
        if not path:
            continue
        n = line_of(text, path)
        assert n is not None, path
        rendered = json.dumps(value, indent=1).splitlines()[0]
        assert rendered in lines[n - 1], (path, n, lines[n - 1])


def test_missing_paths_have_no_line():
    text = json.dumps({"a": [1, 2], "b": {"c": 3}}, indent=1)
    assert line_of(text, "a[2]") is None
    assert line_of(text, "b.d") is None
    assert line_of(text, "a.b") is None
    assert line_of("{broken", "a") is None
