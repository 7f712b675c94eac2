"""The import-linter contracts of pyproject.toml bite: a copy of the package with one forbidden import fails
`lint-imports`, naming the contract it breaks, and the untouched copy passes.

Only the source is copied and parsed (import-linter imports nothing of the project), so this takes a second.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

FLOORS = "App floors: an app imports only the apps below it; tenancy imports no app"
OWN_VIEWS = "An app's views are imported only by the app itself and lantoa.urls"
NO_CYCLES = "No import cycles between the modules of an app"


@pytest.fixture
def copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "lantoa", tmp_path / "lantoa", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def append(root: Path, module: str, line: str) -> None:
    path = root / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_untouched_package_keeps_every_contract(copy):
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (FLOORS, OWN_VIEWS, NO_CYCLES):
        assert f"{contract} KEPT" in result.stdout


@pytest.mark.parametrize(
    "module,line,broken,kept,culprit",
    [
        (
            "lantoa/plans/models.py",
            "from lantoa.reports import services",
            FLOORS,
            NO_CYCLES,
            "lantoa.plans.models -> lantoa.reports.services",
        ),
        (
            "lantoa/reach/selectors.py",
            "import lantoa.plans.views",
            OWN_VIEWS,
            NO_CYCLES,
            "lantoa.reach.selectors -> lantoa.plans.views",
        ),
        (
            "lantoa/tenancy/selectors.py",
            "from lantoa.plans import models",
            FLOORS,
            OWN_VIEWS,
            "lantoa.tenancy.selectors -> lantoa.plans.models",
        ),
        (
            "lantoa/radio/scheduling.py",
            "from lantoa.radio import models",
            NO_CYCLES,
            FLOORS,
            "No cycles are allowed in lantoa.radio",
        ),
    ],
    ids=["plans-imports-reports", "reach-imports-plans-views", "tenancy-imports-an-app", "cycle-in-radio"],
)
def test_a_forbidden_import_breaks_its_contract(copy, module, line, broken, kept, culprit):
    append(copy, module, line)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken} BROKEN" in result.stdout
    assert f"{kept} KEPT" in result.stdout
    assert culprit in result.stdout
