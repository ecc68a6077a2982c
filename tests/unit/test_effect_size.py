"""The exact (noncentral t) confidence interval for a standardised mean difference."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import t as student_t

from replog.core.effect_size import hedges_j, smd_ci, smd_ci_normal
from replog.core.errors import ValidationError

# MBESS::ci.smd(smd = 0.3062566, n.1 = 50, n.2 = 26) as printed in A. Solomon Kurz, "Example
# power analysis report" (2021-07-02, blog post with the R output): 95 % CI -0.1712149 to
# 0.7816834, 50 % CI 0.1412595 to 0.4691839. R prints 7 decimals and MBESS solves to
# tol = 1e-9: tolerance 1e-7, a unit in the last printed digit.
MBESS = 1e-7


def test_mbess_ci_smd_95():
    low, high = smd_ci(0.3062566, 50, 26)
    assert low == pytest.approx(-0.1712149, abs=MBESS)
    assert high == pytest.approx(0.7816834, abs=MBESS)


def test_mbess_ci_smd_50():
    low, high = smd_ci(0.3062566, 50, 26, conf_level=0.5)
    assert low == pytest.approx(0.1412595, abs=MBESS)
    assert high == pytest.approx(0.4691839, abs=MBESS)


def test_zero_effect_gives_a_symmetric_interval_from_the_central_t():
    # d = 0: the limits are mirror images, and inside the central t's +- t(0.975, 18) sqrt(0.2)
    low, high = smd_ci(0.0, 10, 10)
    assert low == pytest.approx(-high, abs=1e-12)
    assert 0.85 < high < 2.101 * math.sqrt(0.2)  # t(0.975, 18) = 2.1009


@given(
    st.lists(st.integers(-50, 50), min_size=2, max_size=12),
    st.lists(st.integers(-50, 50), min_size=2, max_size=12),
)
def test_the_interval_excludes_zero_exactly_when_the_t_test_rejects(a, b):
    n1, n2 = len(a), len(b)
    m1, m2 = sum(a) / n1, sum(b) / n2
    ss = sum((x - m1) ** 2 for x in a) + sum((x - m2) ** 2 for x in b)
    if ss < 1:
        return
    d = (m1 - m2) / math.sqrt(ss / (n1 + n2 - 2))
    low, high = smd_ci(d, n1, n2)
    t = d * math.sqrt(n1 * n2 / (n1 + n2))  # the pooled two-sample t-test, by hand
    p = 2 * float(student_t.sf(abs(t), n1 + n2 - 2))
    if abs(p - 0.05) > 1e-6:
        assert (low > 0 or high < 0) == (p < 0.05)
    assert low <= d <= high


def test_wider_than_the_normal_approximation_in_small_samples():
    g = 2.17
    exact, normal = smd_ci(g / hedges_j(5), 4, 3), smd_ci_normal(g, 4, 3)
    assert exact[1] - exact[0] > normal[1] - normal[0]
    # the normal approximation: g +- 1.959964 sqrt(7/12 + g^2/14)
    se = math.sqrt(7 / 12 + g**2 / 14)
    assert normal == pytest.approx((g - 1.959964 * se, g + 1.959964 * se), abs=1e-6)


def test_flipping_the_sign_flips_the_interval():
    low, high = smd_ci(0.8, 6, 9)
    assert smd_ci(-0.8, 6, 9) == pytest.approx((-high, -low), abs=1e-9)


def test_an_effect_beyond_scipys_noncentral_t_falls_back_to_the_normal_interval():
    assert smd_ci(1e6, 3, 3) == smd_ci_normal(1e6, 3, 3)
    low, high = smd_ci(1e4, 3, 3)  # still exact here
    assert low < 1e4 < high


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((math.nan, 5, 5), "d"),
        ((0.5, 1, 5), "n1"),
        ((0.5, 5, 2.0), "n2"),
        ((0.5, 5, 5, 1.0), "conf_level"),
        ((True, 5, 5), "d"),
    ],
)
def test_refuses_bad_input(args, field):
    with pytest.raises(ValidationError) as err:
        smd_ci(*args)
    assert err.value.field == field
