"""Installable and usable offline: the manifest, its icons, and the service worker."""

from __future__ import annotations

import struct
from typing import Any

import httpx

from tests.e2e.web.conftest import sign_up


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_manifest_has_what_install_needs(web: Any) -> None:
    with httpx.Client(base_url=web.url) as http:
        r = http.get("/manifest.webmanifest")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/manifest+json")
        manifest = r.json()
        assert manifest["display"] == "standalone"
        assert manifest["start_url"] == "/"
        sizes = set()
        for icon in manifest["icons"]:
            got = http.get(icon["src"])
            assert got.status_code == 200, icon
            if icon["type"] == "image/png":
                w, h = _png_size(got.content)
                assert f"{w}x{h}" == icon["sizes"]
                sizes.add(w)
        assert {192, 512} <= sizes  # what Chromium asks of an installable app


def test_the_app_opens_offline_once_seen(web: Any, phone: Any) -> None:
    sign_up(phone, web.url, "olga")
    scope = phone.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{web.url}/"
    phone.reload()  # now the worker controls the page, and caches what it loads
    assert phone.evaluate("!!navigator.serviceWorker.controller")
    phone.context.set_offline(True)
    phone.reload()
    assert phone.get_by_role("heading", name="Battery").is_visible()  # from the cache
    phone.goto(f"{web.url}/never-seen-page")
    assert phone.get_by_role("heading", name="Offline").is_visible()
    phone.context.set_offline(False)
