"""The layering DESIGN.md promises, checked from the outside."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Import every module of replog.core with a finder that refuses any third-party package
# except NumPy and SciPy, as if nothing else were installed.
ONLY_NUMPY_SCIPY = r"""
import importlib, pkgutil, sys
allowed = set(sys.stdlib_module_names) | {"numpy", "scipy", "replog", "_distutils_hack"}

class Refuse:
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top not in allowed and not top.startswith("_sysconfigdata"):  # stdlib, per platform
            raise ImportError(f"replog.core imported {name}")
        return None

sys.meta_path.insert(0, Refuse())
import replog.core
for mod in pkgutil.walk_packages(replog.core.__path__, "replog.core."):
    importlib.import_module(mod.name)
bad = sorted(m for m in sys.modules if m.startswith("replog.") and not m.startswith("replog.core"))
assert not bad, bad
print("ok")
"""


def test_core_imports_with_only_numpy_and_scipy():
    proc = subprocess.run(
        [sys.executable, "-c", ONLY_NUMPY_SCIPY], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_logging_a_set_does_not_import_the_heavy_modules():
    """`replog log` must start fast: no SQLAlchemy, Alembic, pydantic or Rich on its path."""
    script = (
        "import sys; from replog.cli import main, commands_log; "
        "from replog.services import training; from replog.bootstrap import unit_of_work; "
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'pydantic', 'rich', 'numpy') "
        "if m in sys.modules]; print(heavy)"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_every_cli_command_is_documented_in_the_readme():
    from typer.main import get_command

    from replog.cli.main import app

    readme = (ROOT / "README.md").read_text()
    root = get_command(app)
    names: list[str] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", {})
        names.append(name)
        names += [f"{name} {sub}" for sub in subs]
    assert len(names) >= 12
    missing = [n for n in names if not re.search(rf"`replog {re.escape(n)}\b", readme)]
    assert not missing, f"README lacks: {missing}"
