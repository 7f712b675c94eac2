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


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def launch(pw):
    """Headless Debian Chromium (the Playwright download is not used)."""
    return pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)


def sign_in(page, base: str, user: str, password: str) -> None:
    """Sign in to the back office through its login form; the page is left on the landing page."""
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Đăng nhập'), form.login-form button[type=submit]")
    page.wait_for_load_state()


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
        browser = launch(pw)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
            if args.user:
                sign_in(page, args.base, args.user, args.password)
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
