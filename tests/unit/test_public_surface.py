"""The public surface is pinned (DESIGN.md 5): ``replog.core.__all__`` and each service
module's public names (the use cases adapters call). A change here is a change for every
adapter and script: make it on purpose, by updating public_surface.json with the code
(``python tests/unit/test_public_surface.py`` rewrites it from the code)."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

PINNED = Path(__file__).with_name("public_surface.json")


def surface() -> dict[str, Any]:
    import replog.core
    import replog.services

    services: dict[str, list[str]] = {}
    for info in sorted(pkgutil.iter_modules(replog.services.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"replog.services.{info.name}")
        services[info.name] = sorted(
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(value) or inspect.isclass(value))
            and value.__module__ == module.__name__
        )
    return {"replog.core.__all__": sorted(replog.core.__all__), "replog.services": services}


def test_the_public_surface_is_the_pinned_one() -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    now = surface()
    assert now["replog.core.__all__"] == pinned["replog.core.__all__"]
    for module in sorted(set(now["replog.services"]) | set(pinned["replog.services"])):
        got, want = now["replog.services"].get(module), pinned["replog.services"].get(module)
        assert got == want, f"replog.services.{module}: {got} != pinned {want}"


if __name__ == "__main__":  # rewrite the pin from the code
    PINNED.write_text(json.dumps(surface(), indent=1) + "\n", encoding="utf-8")
    sys.exit(0)
