#!/usr/bin/env python
"""Refresh the Vietnamese catalogues from the code and templates (then translate the new entries).

Each app with a locale/ folder keeps its own catalogue (lantoa/<app>/locale/vi/LC_MESSAGES/django.po);
strings elsewhere go to lantoa/locale/vi/LC_MESSAGES/django.po.

Usage: .venv/bin/python scripts/makemessages.py [--app APP] [--root DIR]
With --root, works on a copy of the tree (the i18n test uses this to see what is missing).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

IGNORE = [".venv", "var", "tests", "bench", "node_modules", "scripts", "docs", "*.egg-info"]


def makemessages(root: Path, app: str | None = None) -> list[Path]:
    """All catalogues from the repository root, or only one app's (run inside lantoa/<app>)."""
    # PYTHONSAFEPATH: an app module named like a stdlib one (selectors.py) must not shadow it from the cwd.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lantoa.settings", "PYTHONPATH": str(root), "PYTHONSAFEPATH": "1"}
    cwd = root / "lantoa" / app if app else root
    if app and not (cwd / "locale").is_dir():
        # Without its own locale/ the strings would go to lantoa/locale and drop the project's other entries.
        raise SystemExit(f"lantoa/{app} has no locale/ folder: run without --app")
    cmd = [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-location", "--no-obsolete"]
    for pattern in IGNORE:
        cmd += ["--ignore", pattern]
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return sorted(cwd.glob("**/locale/vi/LC_MESSAGES/django.po"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--app", help="only this app's catalogue (lantoa/<app>/locale)")
    args = parser.parse_args()
    for path in makemessages(args.root, args.app):
        print(path)
