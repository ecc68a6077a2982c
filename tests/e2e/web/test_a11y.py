"""Every main screen, audited in the browser: labels, names, alt text, headings, keyboard.

Not a full WCAG audit (colour contrast is checked from the stylesheet's tokens in
tests/unit/test_web_contrast.py); it catches what breaks most often as pages change: a
control nobody can name, an image without alt, a duplicated id, a page without a heading,
and a focus order that does not start at "Skip to content".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.api_support import Lifter
from tests.e2e.web.conftest import overflowing, sign_up

AUDIT = """() => {
  const problems = [];
  const name = (el) => (el.getAttribute('aria-label') || el.getAttribute('title') ||
    (el.labels && [...el.labels].map(l => l.textContent).join(' ')) ||
    (el.getAttribute('aria-labelledby') || '').split(' ').map(id =>
      document.getElementById(id)?.textContent || '').join(' ') || el.textContent || '').trim();
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    if (!name(el)) problems.push('unlabelled ' + el.tagName + '#' + el.id + '[' + el.name + ']');
  }
  for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
    const alt = [...el.querySelectorAll('img[alt], svg[aria-label]')]
      .map(i => i.getAttribute('alt') || i.getAttribute('aria-label')).join('');
    if (!name(el) && !alt) problems.push('nameless ' + el.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('img without alt ' + img.src);
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (svg.getAttribute('role') !== 'img' || !svg.getAttribute('aria-label'))
      problems.push('chart without role=img and aria-label');
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) problems.push('duplicate ids ' + [...new Set(dup)].join(','));
  if (!document.querySelector('h1')) problems.push('no h1');
  if (!document.documentElement.lang) problems.push('no lang');
  return problems;
}"""

PAGES = [
    "/", "/drive", "/history", "/exercises", "/battery", "/insights", "/team", "/more",
    "/more/import", "/plans",
]  # fmt: skip


@pytest.fixture
def lifter_page(web: Any, phone: Any) -> Any:
    sign_up(phone, web.url, "alma")
    return phone


def _check(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    assert page.evaluate(AUDIT) == [], url
    assert overflowing(page) == [], url


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_sign_in_pages(web: Any, phone: Any, path: str) -> None:
    _check(phone, web.url + path)


def test_main_screens_pass_the_audit(web: Any, lifter_page: Any) -> None:
    lifter = Lifter(web)
    for i in range(3):
        lifter.log("back squat", 100, 3, velocities=[0.6 - 0.05 * i, 0.58 - 0.05 * i, 0.56])
    lifter.close()
    for path in PAGES:
        _check(lifter_page, web.url + path)


def test_keyboard_starts_at_skip_link_and_reaches_main(web: Any, lifter_page: Any) -> None:
    page = lifter_page
    page.goto(f"{web.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # into the page, past the header
    inside = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside
