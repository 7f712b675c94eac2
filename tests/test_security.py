"""Every page carries the Content-Security-Policy (docs/security.md, "Scripts").

Django sends it on every answer (lantoa/security.py); nginx sends the same on the pages it answers from the page
cache. The public site runs no inline script; the back office allows Wagtail's inline scripts only; the widget may
be framed by any portal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp.utils import build_policy
from django.test import Client

from lantoa.column.services import ensure_column

ROOT = Path(__file__).resolve().parent.parent


def _directives(header: str) -> dict[str, set[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: set(p[1:]) for p in parts}


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_policy(commune_a, pvhcc_a):
    anonymous, staff = Client(), Client()
    staff.force_login(pvhcc_a)
    pages = {
        "column home": (anonymous, "/"),
        "feedback form": (anonymous, "/column/feedback/"),
        "sign-in": (anonymous, "/admin/login/"),
        "API docs": (anonymous, "/api/v1/docs"),
        "not found": (anonymous, "/khong-co-trang-nay/"),
        "back office": (staff, "/admin/"),
        "plan overview": (staff, "/admin/plans/"),
        "reports": (staff, "/admin/baocao/"),
    }
    for name, (client, url) in pages.items():
        response = client.get(url)
        header = response.get("Content-Security-Policy", "")
        policy = _directives(header)
        assert policy.get("object-src") == {"'none'"}, (name, url, response.status_code, header)
        assert policy["frame-ancestors"] == {"'self'"} and policy["base-uri"] == {"'self'"}, name
        inline = "'unsafe-inline'" in policy["script-src"]
        assert inline == url.startswith("/admin/"), name  # Wagtail's inline scripts, in the back office only
        assert "'unsafe-eval'" not in policy["script-src"] and "*" not in policy["script-src"], name


@pytest.mark.django_db
def test_the_widget_may_be_framed_by_any_portal_and_keeps_the_rest(commune_a):
    ensure_column(commune_a)
    response = Client().get("/column/widget/")
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == {"*"}
    assert policy["script-src"] == {"'self'"} and policy["object-src"] == {"'none'"}
    assert "X-Frame-Options" not in response


def test_nginx_sends_the_same_policy_on_cached_pages():
    template = (ROOT / "deploy" / "nginx" / "lantoa-column.conf.template").read_text()
    block = re.search(r"map \$uri \$lt_csp \{(.*?)\}", template, re.S).group(1)
    values = dict(re.findall(r'^\s*(\S+)\s+"([^"]*)";', block, re.M))
    assert _directives(values["default"]) == _directives(build_policy())
    assert _directives(values["/column/widget/"]) == _directives(build_policy(replace={"frame-ancestors": ["*"]}))
    assert "add_header Content-Security-Policy $lt_csp always;" in template
