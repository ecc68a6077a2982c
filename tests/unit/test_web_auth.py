"""Where sign-in sends the lifter afterwards: a path on this site, never another site."""

from __future__ import annotations

import pytest

from replog.web.pages_auth import _safe


@pytest.mark.parametrize(
    "target",
    ["/", "/drive?exercise=back-squat", "/history?page=2", "/exercises/back-squat", "/%5Cx"],
)
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert _safe(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/phish",
        "/\\evil.example/phish",  # /%5Cevil.example: browsers read \ as /
        "/\t/evil.example",  # /%09/evil.example: browsers drop tabs
        "/\n/evil.example",
        "/\r//evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/ /evil.example",
        "",
    ],
)
def test_anything_that_could_leave_the_site_goes_home(target: str) -> None:
    assert _safe(target) == "/"
