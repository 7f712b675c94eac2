#!/usr/bin/env python
"""The screenshots of the user guide (docs/huong-dan/img/), taken from the demo as each role would see it.

Builds the Nam Cường demo in a temporary var dir (``--var DIR`` reuses one), serves it with ``runserver``, signs in
as each demo login with headless Debian Chromium (helpers of ``scripts/screenshots.py``) and shoots each page of
SHOTS on a 360 px phone and, for a few, on a desktop screen. The PNGs are reduced to a palette of 96 colours so
that the guide stays small in the repository.

Usage: .venv/bin/python scripts/guide_screenshots.py [--var DIR] [--only NAME,NAME] [--out docs/huong-dan/img]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from screenshots import launch, sign_in

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
COLOURS = 96


@dataclass(frozen=True)
class Shot:
    name: str  # the file: img/<name>.png (phone) and img/<name>-desktop.png (desktop)
    user: str | None  # a demo login, or None for a page seen before signing in
    path: str  # may name {commune}, {task}, {obstacle}, {escalated}, {report}, {hamlet}, {bulletin}
    desktop: bool = False  # also at desktop width
    phone: bool = True
    focus: str | None = None  # scroll this element into view before the shot
    align: str = "start"  # where it goes: "start" (top of the screen) or "end" (its bottom at the bottom)
    click: str | None = None  # click this first (opens a <details>, a menu …)


SHOTS = [
    Shot("dang-nhap", None, "/admin/login/"),
    Shot("lanh-dao-trang-chu", "lanhdao", "/admin/", desktop=True),
    Shot("lanh-dao-tong-quan", "lanhdao", "/admin/plans/", desktop=True, phone=False),
    Shot("lanh-dao-kho-khan", "lanhdao", "/admin/plans/obstacles/{escalated}/", focus="form.lt-form", align="end"),
    Shot("lanh-dao-bao-cao", "lanhdao", "/admin/baocao/{report}/"),
    Shot("tro-giup", "lanhdao", "/admin/", phone=False, desktop=True, click="aside button:has-text('Trợ giúp')"),
    Shot("huong-dan", "lanhdao", "/huong-dan/lanh-dao/"),
    Shot("dau-moi-trang-chu", "pvhcc", "/admin/"),
    Shot("dau-moi-nhiem-vu", "pvhcc", "/admin/plans/tasks/"),
    Shot("dau-moi-nhap-ke-hoach", "pvhcc", "/admin/plans/import/"),
    Shot("dau-moi-kho-khan", "pvhcc", "/admin/plans/obstacles/{obstacle}/", focus="form.lt-form", align="end"),
    Shot("dau-moi-bao-cao", "pvhcc", "/admin/baocao/"),
    Shot("dau-moi-tai-khoan", "pvhcc", "/admin/tai-khoan/"),
    Shot("bien-tap-trang-chu", "bientap", "/admin/"),
    Shot("bien-tap-ban-tin", "bientap", "/radio/communes/{commune}/compose/"),
    Shot("don-vi-trang-chu", "donvi", "/admin/"),
    Shot("don-vi-ghi-hoat-dong", "donvi", "/admin/plans/tasks/{task}/", click="summary.button"),
    Shot("to-cns-trang-chu", "tocns", "/admin/"),
    Shot("to-cns-phieu", "tocns", "/reach/hamlets/{hamlet}/visits/"),
    Shot("mat-tran-trang-chu", "mttq", "/admin/"),
    Shot("mat-tran-gop-y", "mttq", "/admin/snippets/column/feedback/"),
    Shot("tinh-trang-chu", "tinh", "/admin/"),
    Shot("tinh-so-sanh", "tinh", "/reach/province/", desktop=True, phone=False),
    Shot("tinh-tiep-nhan", "tinh", "/admin/tiep-nhan-xa/"),
]


def prepare(var: Path) -> dict[str, int]:
    """Migrate and load the demo in ``var``; return the ids the paths need."""
    os.environ["LANTOA_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    from lantoa.plans.models import Obstacle, Task
    from lantoa.radio.models import Bulletin
    from lantoa.reports.models import Report
    from lantoa.tenancy.models import Commune
    from lantoa.tenancy.selectors import hamlets_in_charge

    commune = Commune.objects.get(code=int(os.environ.get("LANTOA_DEMO_COMMUNE_CODE", "2026")))
    obstacles = Obstacle.objects.filter(commune=commune)
    return {
        "commune": commune.pk,
        "task": Task.objects.filter(plan__commune=commune, lead_units__short_name="VH-XH").order_by("pk").first().pk,
        "obstacle": (obstacles.filter(status=Obstacle.Status.OPEN).first() or obstacles.first()).pk,
        "escalated": (obstacles.filter(status=Obstacle.Status.ESCALATED).first() or obstacles.first()).pk,
        "report": Report.objects.filter(commune=commune).order_by("pk").first().pk,
        "hamlet": hamlets_in_charge(get_user_model().objects.get(username="tocns"), commune).order_by("name")[0].pk,
        "bulletin": getattr(Bulletin.objects.filter(commune=commune).first(), "pk", 0),
    }


def passwords(var: Path) -> dict[str, str]:
    rows = (line.split("\t") for line in (var / "demo-logins.txt").read_text(encoding="utf-8").splitlines())
    return {row[0]: row[-1] for row in rows if len(row) >= 3}  # username, role, password


def serve(var: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LANTOA_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/admin/login/", timeout=5)
            return server, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("runserver did not answer")


def shrink(path: Path) -> None:
    """A palette PNG: screens are flat colours and text, so 96 colours keep them readable at a fraction of the size."""
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def shoot(page, base: str, shot: Shot, ids: dict[str, int], target: Path) -> None:
    response = page.goto(base + shot.path.format(**ids))
    if response is None or response.status >= 400:
        raise SystemExit(f"{shot.name}: {shot.path} answered {response and response.status}")
    page.wait_for_load_state("networkidle")
    if shot.click:
        page.locator(shot.click).first.click()
        page.wait_for_timeout(300)
    if shot.focus:
        page.locator(shot.focus).first.evaluate("(el, align) => el.scrollIntoView({block: align})", shot.align)
    page.screenshot(path=str(target))
    shrink(target)
    print(target, f"{target.stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, help="a var dir to build the demo in (kept); default: a temporary one")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "huong-dan" / "img")
    parser.add_argument("--only", help="comma-separated shot names")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    shots = [s for s in SHOTS if only is None or s.name in only]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lantoa-guide-") as tmp:
        var = args.var or Path(tmp)
        var.mkdir(parents=True, exist_ok=True)
        ids = prepare(var)
        logins = passwords(var)
        server, base = serve(var)
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                for size, viewport, suffix in (("phone", PHONE, ""), ("desktop", DESKTOP, "-desktop")):
                    wanted = [s for s in shots if (s.phone if size == "phone" else s.desktop)]
                    for user in dict.fromkeys(s.user for s in wanted):
                        context = browser.new_context(viewport=viewport, locale="vi-VN")
                        page = context.new_page()
                        if user:
                            sign_in(page, base, user, logins[user])
                        for shot in (s for s in wanted if s.user == user):
                            shoot(page, base, shot, ids, args.out / f"{shot.name}{suffix}.png")
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
