"""The systemd units of deploy/systemd are what production runs (docs/deployment.md): each must be a unit systemd
accepts, and each command it starts must be one this code base runs with exactly those options.

systemd itself cannot run inside the test machine (it is not PID 1 there), so the units are checked the way an
operator's `systemctl daemon-reload` would read them — ``systemd-analyze verify`` with /srv/lantoa pointed at this
checkout — and their ExecStart lines are taken apart: gunicorn checks its own configuration and imports the
application (``--check-config``), and each ``manage.py`` command parses the unit's options with its own parser.
The province topology (tests/test_province.py) runs the same commands for real.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/srv/lantoa"


def unit_files() -> list[Path]:
    return sorted(p for p in UNITS.iterdir() if p.suffix in {".service", ".timer"})


def exec_start(path: Path, instance: str = "8001") -> list[str]:
    """The unit's ExecStart as argv, continuation lines joined, %i filled in, pointed at this checkout."""
    text = path.read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("%i", instance).replace("%I", instance)
    return shlex.split(command.replace(INSTALLED, str(ROOT)))


def test_every_unit_is_one_systemd_accepts(tmp_path):
    systemd_analyze = shutil.which("systemd-analyze")
    assert systemd_analyze, "systemd-analyze is missing: make system-packages-test installs systemd"
    for unit in unit_files():
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, str(ROOT)))
    # Verified together, so that a timer finds its service.
    names = [str(tmp_path / unit.name) for unit in unit_files()]
    result = subprocess.run(
        [systemd_analyze, "verify", *names], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    # A template unit (web@) is verified as an instance.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "Failed to prepare filename" not in line
    ]
    assert result.returncode == 0 and not problems, "\n".join(problems)
    timers = {unit.stem for unit in unit_files() if unit.suffix == ".timer"}
    assert timers and all((UNITS / f"{stem}.service").exists() for stem in timers)


def test_the_web_unit_starts_gunicorn_with_a_configuration_it_accepts(tmp_path):
    argv = exec_start(UNITS / "lantoa-web@.service")
    assert Path(argv[0]).name == "gunicorn" and "lantoa.wsgi" in argv
    argv = [a.replace("/run/", f"{tmp_path}/") for a in argv]
    result = subprocess.run([*argv, "--check-config"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    bind = argv[argv.index("--bind") + 1]
    assert bind == "127.0.0.1:8001"  # only nginx reaches gunicorn


@pytest.mark.parametrize("unit", [p.name for p in unit_files() if p.suffix == ".service" and "web@" not in p.name])
def test_each_manage_py_unit_names_a_command_and_options_it_takes(unit):
    argv = exec_start(UNITS / unit)
    assert argv[0].endswith("/.venv/bin/python") and Path(argv[0]).exists()
    assert argv[1] == "manage.py"
    name, options = argv[2], argv[3:]
    commands = get_commands()
    assert name in commands, f"{unit}: manage.py {name} does not exist"
    command = load_command_class(commands[name], name)
    parser = command.create_parser("manage.py", name)
    parsed = parser.parse_args(options)  # exits (SystemExit) on an option the command does not take
    if name == "worker":
        assert parsed.queue_name == "*" and not parsed.reload
    if name == "backup":
        assert re.fullmatch(r"\d+", str(parsed.keep))


def test_the_web_application_freezes_what_it_loaded_out_of_the_garbage_collectors_reach(tmp_path):
    """With ``--preload`` gunicorn imports lantoa.wsgi once and forks: the objects loaded then (hundreds of thousands)
    must not be walked again by every full collection in every worker, a pause a user waits through."""
    env = {**os.environ, "LANTOA_VAR_DIR": str(tmp_path), "DEBUG": "0"}
    script = "import gc, lantoa.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    frozen, tracked = map(int, out.stdout.split())
    assert frozen > 100_000, out.stdout  # Django, Wagtail and the apps
    assert tracked < frozen / 10, out.stdout  # what a collection still walks: only what came after
