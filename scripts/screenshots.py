#!/usr/bin/env python
"""Screenshots of pages as a signed-in user, at desktop and phone widths (headless Debian Chromium).

Usage: .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --user lanhdao --password … \
           --out test-artifacts/shots /admin/plans/ /admin/plans/tasks/
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/shots"))
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
            if args.user:
                page.goto(f"{args.base}/admin/login/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("form button[type=submit]:has-text('Đăng nhập'), form.login-form button[type=submit]")
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                page.wait_for_load_state("networkidle")
                name = path.strip("/").replace("/", "_") or "home"
                target = args.out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=args.full_page)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
