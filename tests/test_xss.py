"""Stored script payloads never run: every text field of every model of ours, on every page that shows it.

The test fills commune A with one record of every model (the isolation factories), then writes a script payload
into every CharField and TextField of every Lan Tỏa model — straight into the database, as if it had slipped past
a form — and requests every page of ours (back office and public column) as a user holding every role of the
commune. No answer may contain the payload unescaped (a ``<script>``, an ``onerror=`` handler, a ``javascript:``
link). It also counts the fields whose payload did appear, escaped: the pages really showed them.

URL fields get a ``javascript:`` address instead: a page may show it as text, never as a link.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from lantoa.column.services import ensure_column
from lantoa.plans.forms import ActivityForm
from lantoa.reports import periods
from lantoa.reports import services as report_services
from lantoa.reports.models import Report
from lantoa.tenancy import roles
from lantoa.tenancy.models import CommuneScoped
from lantoa.tenancy.validators import validate_site_or_web_link, validate_web_links, validate_web_url, web_url

from .column.conftest import add_article
from .conftest import make_user
from .test_isolation import BWorld, _param_names, build_url, is_ours, iter_routes, rule_for

# Fields that are identifiers or machine values rather than text a person reads: a payload there would only
# break the lookups that use them (and the pages never print them raw).
SKIP_NAMES = {"token_hash", "key", "sha256", "content_type", "task_result_id", "engine", "reach_period", "url_path"}
SKIP_SUFFIXES = ("_sha256", "_hash", "_token")


def _payload(n: int, max_length: int | None) -> str | None:
    full = f'"><script>xss({n})</script><img src=x onerror=xss({n})>'
    short = f"<img src=x onerror=xss({n})>"
    for value in (full, short):
        if max_length is None or len(value) <= max_length:
            return value
    return None


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.primary_key or field.choices:
            continue
        if field.name in SKIP_NAMES or field.name.endswith(SKIP_SUFFIXES):
            continue
        yield field


def our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("lantoa.") and not m._meta.proxy]


def _rows(model, commune):
    if issubclass(model, CommuneScoped):
        return model._default_manager.filter(commune=commune)
    if issubclass(model, Page):
        return model._default_manager.descendant_of(commune.root_page, inclusive=True)
    return None


def plant_payloads(commune) -> dict[int, str]:
    """Write a numbered payload into every text field of every record of ours in the commune."""
    planted: dict[int, str] = {}
    n = 0
    for model in our_models():
        rows = _rows(model, commune)
        if rows is None:
            continue
        pks = list(rows.values_list("pk", flat=True))
        for field in _text_fields(model):
            n += 1
            label = f"{model._meta.label}.{field.name}"
            urlish = isinstance(field, models.URLField) or field.name in {"url", "link", "links"}
            for i, pk in enumerate(pks):
                # A row number in front keeps values distinct where a field is unique (a household's code).
                room = field.max_length - len(str(i)) if field.max_length else None
                value = f"javascript:xss({n})" if urlish else _payload(n, room)
                if value is None:
                    break
                if i and not urlish:
                    value = f"{i}{value}"
                model._default_manager.filter(pk=pk).update(**{field.attname: value})
            else:
                if pks:
                    planted[n] = label
    return planted


# A payload that runs: a raw tag (escaped text shows "&lt;img …", which is harmless), or a javascript: address
# in an attribute that a click or a load would follow.
UNESCAPED = re.compile(
    r"<script>xss\(|<img src=x onerror=xss\(|(?:href|src|action|formaction)\s*=\s*[\"']?\s*\d*javascript:", re.I
)
SEEN = re.compile(r"(?:&lt;script&gt;xss|onerror=xss|javascript:xss)\((\d+)\)")


def _pages(commune, world) -> list[str]:
    """The commune's public column pages and every page of ours, filled with the commune's records."""
    urls: set[str] = {commune.root_page.url or "/"}
    urls |= {p.url for p in Page.objects.live().descendant_of(commune.root_page) if p.url}
    for route, pattern in iter_routes():
        if not is_ours(pattern, route) or rule_for(route).kind != "auto":
            continue
        names = _param_names(pattern)
        values = world.fill(route, pattern, names) if names else {}
        if values is not None:
            urls.add(build_url(route, pattern, values))
    # Wagtail's snippet screens of our models (listing and edit form), where the back office shows many fields.
    for model in get_snippet_models():
        if not model.__module__.startswith("lantoa."):
            continue
        base = f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/"
        urls.add(base)
        rows = _rows(model, commune)
        first = rows.order_by("pk").first() if rows is not None else None
        if first is not None:
            urls.add(f"{base}edit/{first.pk}/")
    return sorted(urls)


@pytest.mark.django_db
@pytest.mark.walk
def test_no_stored_payload_runs_on_any_page(commune_a, data_a):
    home = ensure_column(commune_a)
    add_article(home, title="Bài viết có dữ liệu lạ")
    world = BWorld(commune_a, data_a)  # one record of every model of ours, in commune A this time
    user = make_user("every_role_a", *roles.COMMUNE_ROLES, commune=commune_a)
    # The factories' reports carry a skeleton of figures: give them the real snapshot the pages read.
    real = report_services.build(commune_a, periods.for_kind("h1", 2026), as_of=dt.date(2026, 6, 14))
    Report.objects.filter(commune=commune_a).update(data=real.data, sections=real.sections)
    staff, anonymous = Client(raise_request_exception=False), Client(raise_request_exception=False)
    staff.force_login(user)
    urls = _pages(commune_a, world)
    # Pages that already fail on the factories' skeletal records (a report without its figures) are not this
    # test's concern; any page that fails only once the payloads are in is.
    broken_before = {url for url in urls if staff.get(url).status_code >= 500}
    planted = plant_payloads(commune_a)
    assert len(planted) > 120, "the walk over the models' text fields found too few fields"

    leaks, errors, seen = [], [], set()
    for url in urls:
        for client in (staff, anonymous):
            response = client.get(url, HTTP_HOST="testserver")
            if response.status_code >= 500 and url not in broken_before:
                exc = getattr(response, "exc_info", None)
                errors.append(
                    f"{url} [{response.status_code}] {exc[1]!r}" if exc else f"{url} [{response.status_code}]"
                )
            if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/"):
                continue
            body = response.content.decode(errors="replace")
            for match in UNESCAPED.finditer(body):
                start = max(0, match.start() - 80)
                leaks.append(f"{url}: …{body[start : match.end() + 20]}…")
            seen |= {int(n) for n in SEEN.findall(body)}
    assert not errors, "pages failed with a payload in the data:\n" + "\n".join(errors)
    assert not leaks, "unescaped payloads:\n" + "\n".join(leaks[:30])
    shown = sorted(planted[n] for n in seen if n in planted)
    # The pages showed a good share of the fields (escaped): the walk really exercised the templates. (Many
    # fields are machine values or shown only in exports and documents, which have their own tests.)
    assert len(shown) >= 50, f"only {len(shown)} fields shown: {shown}"


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"])
def test_only_web_addresses_are_accepted(address):
    for validate in (validate_web_url, validate_web_links, validate_site_or_web_link):
        with pytest.raises(ValidationError):
            validate(address)
    assert web_url(address) == ""
    assert web_url("https://example.vn/a") == "https://example.vn/a" and web_url("/column/") == "/column/"
    assert web_url("//evil.example/") == ""


def test_url_fields_of_every_model_refuse_javascript():
    """Every URLField and every field called url/link/links in our models carries a web-only validator."""
    checked = []
    for model in our_models():
        for field in model._meta.concrete_fields:
            named_like_an_address = field.name in {"url", "link", "links"} and isinstance(
                field, models.CharField | models.TextField
            )  # a foreign key called "link" (a partner's link record) holds no address
            if isinstance(field, models.URLField) or named_like_an_address:
                with pytest.raises(ValidationError):
                    field.run_validators("javascript:alert(1)")
                checked.append(f"{model._meta.label}.{field.name}")
    assert len(checked) >= 7, checked


@pytest.mark.django_db
def test_the_activity_form_refuses_a_javascript_link(commune_a, data_a):
    form = ActivityForm(data={"links": "https://namcuong.gov.vn/tin\njavascript:alert(1)"}, units=None)
    form.is_valid()
    assert "links" in form.errors
    assert "http://" in form.errors["links"][0]
