"""Commune isolation, proven over every route of the project.

The test enumerates the URL resolver, so a new route is covered the day it is added: a route
no rule below knows makes ``test_every_route_has_a_case`` fail. For each route, a user holding
*every* role of commune A requests it (GET and POST) filled with the objects of commune B. The
answer must be a refusal (403/404/405, or Wagtail's redirect for a restricted document), must
not contain any of B's private names, and B's records must be exactly as before.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from lantoa.tenancy import roles
from lantoa.tenancy.models import CommuneScoped, RoleGroup

from .conftest import make_user
from .isolation_factories import FACTORIES, SECRET


def scoped_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, CommuneScoped)]


OUR_MODELS = {m._meta.model_name: m for m in scoped_models()}
WAGTAIL_PLACEHOLDER_PARAMS = {
    "task_state_id",
    "task_id",
    "workflow_state_id",
    "workflow_pk",
    "redirect_id",
    "uploaded_file_id",
    "session_id",
    "restriction_id",
    "page_view_restriction_id",
}


def is_ours(pattern: URLPattern, route: str = "") -> bool:
    """Routes of Lan Tỏa's own views (including the ninja API), as opposed to Wagtail's generic screens."""
    if route.startswith(("admin/snippets/", "admin/bulk/")):
        return False  # Wagtail's snippet and bulk-action screens, even when our viewsets subclass them
    callback = pattern.callback
    module = getattr(callback, "__module__", "") or ""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return module.startswith("lantoa.") or module.startswith("ninja.")


DENIED = {403, 404, 405}
# Parameters that name one of commune B's objects (others are types, actions or placeholders).
OBJECT_PARAMS = {
    "pk",
    "object_id",
    "page_id",
    "parent_page_id",
    "page_to_move_id",
    "page_pk",
    "destination_id",
    "image_id",
    "document_id",
    "doc_id",
    "collection_id",
    "revision_id",
    "revision_id_a",
    "commune_id",
    "hamlet_id",
    "_0",
}


def iter_routes(patterns=None, prefix: str = ""):
    """Every URL pattern as (full route string, URLPattern)."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from iter_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


@dataclass
class Rule:
    """How to exercise one family of routes."""

    pattern: str  # regex matched against the full route string
    kind: str  # "denied": must refuse; "scoped": may answer but shows nothing of B; "public": anonymous by design
    note: str = ""
    allow: frozenset = frozenset()  # extra statuses accepted for "denied" (explained in note)


RULES: list[Rule] = [
    # Public by design: health, language switch, sign-in and password reset, the public site, static helpers.
    Rule(r"^healthz$", "public", "health probe; reports no commune data"),
    Rule(r"^i18n/setlang/$", "public", "language switch"),
    Rule(r"^api/v1/(openapi\.json|docs)$", "public", "API schema"),
    Rule(r"^admin/(login|password_reset)/", "public", "sign-in and password reset"),
    Rule(r"^admin/(jsi18n|sprite|test404)/$", "public", "admin assets and the 404 test page"),
    Rule(r"^admin/failwhale/$", "error-test", "Wagtail's deliberate 500 page for testing error reporting"),
    # Wagtail 8.0.1 raises on a POST without its "url" field (browsers always send it); no data involved.
    Rule(r"^admin/choose-external-link/$", "error-test", "upstream bug on a malformed POST; shows no records"),
    Rule(r"^_util/", "public", "public page login and password restriction"),
    Rule(r"^\^\(\(\?:", "public", "the public site: published column pages are public"),
    Rule(r"^media/", "public", "public media (images, the column's files, bulletins' audio); private files 404"),
    Rule(r"^documents/authenticate_with_password/", "public", "password form of a restricted document"),
    Rule(r"^xac-minh/", "public", "a certificate's verification page: found only by its 100-bit code, on the paper"),
    Rule(r"^huong-dan/", "public", "the user guide: the same pages for every commune, no commune data"),
    Rule(r"^admin/\^\.\*/\$$", "public", "admin catch-all (404)"),
    # Private links (calendar feeds, device playlists) are reached by a secret token, not a session:
    # tests of each feed prove that a wrong token answers 404.
    Rule(r"<(?:str:)?token>", "public", "private link by secret token"),
    # B's documents are restricted to B's groups: Wagtail redirects anyone else to sign in.
    Rule(r"^documents/\^\(\\d\+\)", "denied", "restricted document", frozenset({302})),
    # Everything else takes the objects of commune B and must refuse, or list only A's records.
    Rule(r".", "auto"),
]


def rule_for(route: str) -> Rule:
    for rule in RULES:
        if re.search(rule.pattern, route):
            return rule
    raise AssertionError(f"no rule for route {route}")


# --- Filling route parameters with commune B's objects ------------------------------------------------


def _param_names(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    names = list(regex.groupindex)
    if not names and regex.groups:
        names = [f"_{i}" for i in range(regex.groups)]
    return names


class BWorld:
    """Commune B's objects and the values that fill each route parameter."""

    def __init__(self, commune_b, data_b):
        self.commune = commune_b
        self.data = data_b
        self.user = make_user("user_b", roles.PVHCC, commune=commune_b)
        self.page = commune_b.root_page.specific
        child = Page(title=f"Trang nháp {SECRET}", slug="trang-nhap-b", live=False)
        self.page.add_child(instance=child)
        self.draft = child
        self.revision = child.save_revision()
        self.collection = commune_b.collection
        self.image = self._image()
        self.document = self._document()
        self.group = RoleGroup.objects.filter(commune=commune_b).first().group
        for make in FACTORIES:
            make(commune_b, self)
        empty = [m.__name__ for m in scoped_models() if not m._default_manager.filter(commune=commune_b).exists()]
        assert not empty, f"no record of {empty} in commune B: add factories to tests/isolation_factories.py"

    def _image(self):
        buf = io.BytesIO()
        PILImage.new("RGB", (8, 8), "red").save(buf, "PNG")
        return get_image_model().objects.create(
            title=f"Ảnh {SECRET}", file=ContentFile(buf.getvalue(), name="b.png"), collection=self.collection
        )

    def _document(self):
        return get_document_model().objects.create(
            title=f"Tài liệu {SECRET}", file=ContentFile(b"noi bo", name="b.txt"), collection=self.collection
        )

    def model_object(self, app_label: str, model_name: str):
        """Commune B's first record of a commune-scoped model (every such model must have one)."""
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return None
        if not issubclass(model, CommuneScoped):
            return None
        obj = model._default_manager.filter(commune=self.commune).order_by("pk").first()
        assert obj is not None, f"no {model.__name__} in commune B: add a factory to tests/isolation_factories.py"
        return obj

    def our_object(self, name: str):
        """For routes of our own apps: `<model>_id` names a record of that model, `commune_id` the commune."""
        if name == "commune_id":
            return self.commune
        model = OUR_MODELS.get(name[: -len("_id")]) if name.endswith("_id") else None
        return self.model_object(model._meta.app_label, model._meta.model_name) if model else None

    def fill(self, route: str, pattern: URLPattern, names: list[str]) -> dict[str, str] | None:
        """Values for the route's parameters, or None when the route has no object of B to aim at."""
        values: dict[str, str] = {}
        if is_ours(pattern, route):
            for name in names:
                obj = self.our_object(name)
                if obj is None:
                    raise AssertionError(
                        f"route {route}: parameter {name!r} names no model; call it <model>_id (e.g. task_id)"
                    )
                values[name] = str(obj.pk)
            return values
        snippet = re.search(r"snippets/(?:choose/)?(\w+)/(\w+)/", route)
        pk_object = None
        if snippet:
            pk_object = self.model_object(snippet.group(1), snippet.group(2))
        elif route.startswith("admin/collections/"):
            pk_object = self.collection
        elif route.startswith("admin/sites/"):
            pk_object = self.commune.site
        elif route.startswith("admin/users/"):
            pk_object = self.user
        elif route.startswith("admin/groups/"):
            pk_object = self.group
        elif "images" in route:
            pk_object = self.image
        elif "documents" in route:
            pk_object = self.document
        elif "pages" in route:
            pk_object = self.draft
        for name in names:
            if name in {"pk", "object_id"}:
                if pk_object is None:
                    return None
                values[name] = str(pk_object.pk)
            elif name in {"page_id", "page_to_move_id", "page_pk"}:
                values[name] = str(self.draft.pk)
            elif name in {"parent_page_id", "destination_id"}:
                values[name] = str(self.page.pk)
            elif name == "image_id":
                values[name] = str(self.image.pk)
            elif name in {"document_id", "doc_id", "_0"}:
                values[name] = str(self.document.pk)
            elif name == "_1":
                values[name] = "b.txt"
            elif name == "collection_id":
                values[name] = str(self.collection.pk)
            elif name in {"revision_id", "revision_id_a"}:
                values[name] = str(self.revision.pk)
            elif name == "revision_id_b":
                values[name] = "latest"
            elif name in {"app_label", "app_name", "content_type_app_name"}:
                values[name] = "tenancy"
            elif name in {"model_name", "content_type_model_name"}:
                values[name] = "hamlet" if "pages" not in route else "communehomepage"
            elif name in {"action", "action_name"}:
                values[name] = "delete"
            elif name in WAGTAIL_PLACEHOLDER_PARAMS:
                values[name] = "999999"
            elif name == "filter_spec":
                values[name] = "original"
            else:
                raise AssertionError(f"route {route}: no value for parameter {name!r}")
        return values

    def snapshot(self) -> str:
        """Every record of commune B, serialised: compared before and after each request."""
        parts = []
        scoped = [m._default_manager.filter(commune=self.commune) for m in scoped_models()]
        for qs in (
            *scoped,
            Page.objects.descendant_of(self.page, inclusive=True),
            Revision.objects.filter(object_id__in=[str(self.draft.pk), str(self.page.pk)]),
            Collection.objects.filter(pk=self.collection.pk),
            get_image_model().objects.filter(collection=self.collection),
            get_document_model().objects.filter(collection=self.collection),
            type(self.user).objects.filter(pk=self.user.pk),
            type(self.group).objects.filter(pk=self.group.pk),
            RoleGroup.objects.filter(commune=self.commune),
        ):
            parts.append(serializers.serialize("json", qs.order_by("pk")))
        parts.append(json.dumps(sorted(self.group.permissions.values_list("pk", flat=True))))
        parts.append(str(self.commune.site.__dict__))
        return "\n".join(parts)


def build_url(route: str, pattern: URLPattern, values: dict[str, str]) -> str:
    """Fill a route (path() converters or a regex) with values."""
    if "revisions/compare" in route:
        return f"/admin/pages/{values['pk']}/revisions/compare/{values['revision_id_a']}...latest/"
    if route.startswith("documents/^"):
        return f"/documents/{values['_0']}/{values['_1']}"
    url = route
    for name, value in values.items():
        url = re.sub(rf"<(?:\w+:)?{re.escape(name)}>", value, url)
    if url.startswith("^") or "(?P<" in url or "\\d" in url:
        # Regex route: substitute named and anonymous groups in order.
        def repl_named(m):
            return values.get(m.group(1), "x")

        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", repl_named, url)
        anon = iter(v for k, v in sorted(values.items()) if k.startswith("_"))
        url = re.sub(r"\((?!\?)[^)]*\)", lambda m: next(anon, "x"), url)
        url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")
    return "/" + url.lstrip("/")


def test_every_route_has_a_case():
    """Every route matches a rule; every parameter of an 'auto' route can be filled with one of B's objects."""
    uncovered = []
    wagtail_known = (
        OBJECT_PARAMS
        | WAGTAIL_PLACEHOLDER_PARAMS
        | {
            "revision_id_b",
            "app_label",
            "app_name",
            "content_type_app_name",
            "model_name",
            "content_type_model_name",
            "action",
            "action_name",
            "filter_spec",
            "_1",
        }
    )
    for route, pattern in iter_routes():
        rule = rule_for(route)
        if rule.kind != "auto":
            continue
        for name in _param_names(pattern):
            if is_ours(pattern, route):
                if name != "commune_id" and not (name.endswith("_id") and name[:-3] in OUR_MODELS):
                    uncovered.append(f"{route}: parameter {name} (name it <model>_id after a commune-scoped model)")
            elif name not in wagtail_known:
                uncovered.append(f"{route}: parameter {name}")
    assert not uncovered, "routes without an isolation case:\n" + "\n".join(uncovered)


@pytest.mark.walk
@pytest.mark.django_db
def test_user_of_commune_a_cannot_reach_commune_b(commune_a, data_a, commune_b, data_b, all_roles_a):
    world = BWorld(commune_b, data_b)
    client = Client(raise_request_exception=False)
    client.force_login(all_roles_a)
    from lantoa.tenancy import jobs

    jobs.beat("isolation-worker")  # a live task worker: without one /healthz answers 503 (tests/test_worker.py)
    before = world.snapshot()
    failures: list[str] = []
    checked = 0
    for route, pattern in iter_routes():
        rule = rule_for(route)
        names = _param_names(pattern)
        values = world.fill(route, pattern, names) if names and rule.kind in {"auto", "denied"} else {}
        if rule.kind in {"public", "error-test"}:
            values = {n: "1" for n in names}
        elif values is None:
            values = {n: "1" for n in names}
        url = build_url(route, pattern, values)
        for method in ("get", "post"):
            kwargs = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if route.startswith("admin/") else {}
            if route.startswith("admin/bulk/"):
                url_q = f"{url}?id={data_b['hamlet'].pk}"
            else:
                url_q = url
            client.force_login(all_roles_a)  # a route may have signed us out (logout)
            response = getattr(client, method)(url_q, **kwargs)
            checked += 1
            status = response.status_code
            body = b"" if getattr(response, "streaming", False) else response.content
            if SECRET.encode() in body:
                failures.append(f"{method.upper()} {url_q} [{status}] shows commune B's data")
            if status >= 500 and rule.kind != "error-test":
                failures.append(f"{method.upper()} {url_q} answered {status}")
            has_b_object = (
                rule.kind == "auto"
                and bool(names)
                and (is_ours(pattern, route) or bool(OBJECT_PARAMS & set(names)))
                and world.fill(route, pattern, names) is not None
            )
            if rule.kind == "denied" or (rule.kind == "auto" and has_b_object):
                if status not in DENIED | rule.allow and not (status == 405 and method == "post"):
                    failures.append(f"{method.upper()} {url_q} answered {status}, expected 403/404")
            after = world.snapshot()
            if after != before:
                failures.append(f"{method.upper()} {url_q} changed commune B's records")
                before = after
    assert checked > 400
    assert not failures, f"{len(failures)} isolation failures:\n" + "\n".join(failures)


# --- Query strings, choosers, bulk actions, form fields and API write bodies (issue 11.4) --------------------------

# B's records are named with SECRET in capitals; searches send it in lower case, so that a screen that repeats the
# query back ("no result for …") does not count as a leak, while Wagtail's case-insensitive search finds B's records.
QUERY = SECRET.lower()


def _bulk_urls(world) -> list[str]:
    """Every bulk action of every model, aimed at one of commune B's records."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    targets = {
        ("wagtailcore", "page"): world.draft,
        ("wagtailimages", "image"): world.image,
        ("wagtaildocs", "document"): world.document,
        ("auth", "user"): world.user,
    }
    for model in scoped_models():
        targets[(model._meta.app_label, model._meta.model_name)] = world.model_object(
            model._meta.app_label, model._meta.model_name
        )
    urls = []
    for (app_label, model_name), obj in targets.items():
        actions = set(bulk_action_registry.actions.get(app_label, {}).get(model_name, {})) | {"delete"}
        urls += [f"/admin/bulk/{app_label}/{model_name}/{action}/?id={obj.pk}" for action in sorted(actions)]
    return urls


def _query_urls(world, data_b) -> list[str]:
    """Searches, filters and choosers of every screen, with a query or a filter that picks commune B's records."""
    b = world
    urls = [
        f"/admin/pages/search/?q={QUERY}",
        f"/admin/pages/search/results/?q={QUERY}",
        f"/admin/choose-page/search/?q={QUERY}",
        f"/admin/choose-page/?q={QUERY}",
        f"/admin/choose-page/{b.page.pk}/",
        f"/admin/images/?q={QUERY}",
        f"/admin/images/results/?q={QUERY}",
        f"/admin/images/?collection_id={b.collection.pk}",
        f"/admin/images/chooser/?q={QUERY}",
        f"/admin/images/chooser/results/?q={QUERY}",
        f"/admin/images/chooser/results/?collection_id={b.collection.pk}",
        f"/admin/documents/?q={QUERY}",
        f"/admin/documents/results/?q={QUERY}",
        f"/admin/documents/?collection_id={b.collection.pk}",
        f"/admin/documents/chooser/?q={QUERY}",
        f"/admin/documents/chooser/results/?q={QUERY}",
        f"/admin/documents/chooser/results/?collection_id={b.collection.pk}",
        f"/admin/users/?q={QUERY}",
        f"/admin/collections/?q={QUERY}",
        # Wagtail's reports list every commune's pages: only a superuser opens them.
        "/admin/reports/site-history/",
        f"/admin/reports/site-history/?q={QUERY}",
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/page-types-usage/",
    ]
    filters = f"commune={b.commune.pk}&hamlet={data_b['hamlet'].pk}&unit={data_b['unit'].pk}"
    for model in scoped_models():
        base = f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}"
        chooser = f"/admin/snippets/choose/{model._meta.app_label}/{model._meta.model_name}"
        urls += [
            f"{base}/?q={QUERY}",
            f"{base}/results/?q={QUERY}",
            f"{base}/?{filters}",
            f"{base}/add/",  # the form's choice lists
            f"{chooser}/?q={QUERY}",
            f"{chooser}/results/?q={QUERY}",
            f"{chooser}/results/?{filters}",
        ]
    return urls


@pytest.mark.django_db
@pytest.mark.walk
def test_searches_filters_choosers_bulk_actions_and_forms_show_nothing_of_b(
    commune_a, data_a, commune_b, data_b, all_roles_a, django_user_model
):
    from wagtail.search.backends import get_search_backend

    world = BWorld(commune_b, data_b)
    backend = get_search_backend()
    for obj in (world.draft, world.page, world.image, world.document):
        backend.add(obj)  # the index is updated on commit, which a test never reaches
    client = Client(raise_request_exception=False)
    client.force_login(all_roles_a)
    before = world.snapshot()
    failures = []
    urls = _query_urls(world, data_b)
    # A's own forms: the edit screens of A's records and of A's pages offer only A's records in their choice lists.
    urls += [
        f"/admin/snippets/tenancy/{name}/edit/{obj.pk}/"
        for name, obj in (("unit", data_a["unit"]), ("staff", data_a["staff"]), ("hamlet", data_a["hamlet"]))
    ]
    urls += [f"/admin/snippets/tenancy/household/edit/{data_a['households'][0].pk}/"]
    urls += [f"/admin/pages/{commune_a.root_page_id}/edit/", f"/admin/pages/{commune_a.root_page_id}/"]
    for url in urls:
        response = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        if SECRET.encode() in response.content:
            failures.append(f"GET {url} [{response.status_code}] shows commune B's data")
        if response.status_code >= 500:
            failures.append(f"GET {url} answered {response.status_code}")
    bulk = _bulk_urls(world)
    for url in bulk:
        for method in ("get", "post"):
            response = getattr(client, method)(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
            if SECRET.encode() in response.content:
                failures.append(f"{method.upper()} {url} [{response.status_code}] shows commune B's data")
            if response.status_code not in DENIED:
                failures.append(f"{method.upper()} {url} answered {response.status_code}, expected 403/404")
    assert world.snapshot() == before, "a bulk action changed commune B's records"
    assert len(bulk) > len(scoped_models()) and len(urls) > 7 * len(scoped_models())
    assert not failures, f"{len(failures)} isolation failures:\n" + "\n".join(failures)

    # The searches are not empty by accident: a superuser finds B's records with the same queries.
    root = django_user_model.objects.create_superuser("root_iso", password="x")
    client.force_login(root)
    for url in (
        f"/admin/pages/search/?q={QUERY}",
        f"/admin/choose-page/search/?q={QUERY}",
        f"/admin/images/?q={QUERY}",
        f"/admin/documents/chooser/results/?q={QUERY}",
        f"/admin/snippets/tenancy/hamlet/?q={QUERY}",
        f"/admin/snippets/choose/tenancy/hamlet/results/?q={QUERY}",
    ):
        assert SECRET.encode() in client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").content, url


@pytest.mark.django_db
def test_api_write_bodies_naming_b_are_refused(commune_a, data_a, commune_b, data_b, all_roles_a):
    """A contact upload to commune A naming B's activity, hamlet or household writes nothing (4xx)."""
    from lantoa.reach.models import Contact

    from .reach.conftest import make_activity, make_plan

    activity_a = make_activity(commune_a, make_plan(commune_a)["task"], data_a["unit"])
    activity_b = make_activity(commune_b, make_plan(commune_b, tag=SECRET)["task"], data_b["unit"])
    client = Client()
    client.force_login(all_roles_a)
    url = f"/api/v1/reach/communes/{commune_a.pk}/contacts"
    row = {"date": "2026-03-02", "channel": "visit"}
    bodies = [
        {"activity_id": activity_b.pk, "contacts": [{**row, "hamlet_id": data_a["hamlet"].pk}]},
        {"activity_id": activity_a.pk, "contacts": [{**row, "hamlet_id": data_b["hamlet"].pk}]},
        {"activity_id": activity_a.pk, "contacts": [{**row, "household_code": data_b["households"][0].code}]},
    ]
    for body in bodies:
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code, response.content)
        assert SECRET.encode() not in response.content
    # And B's own route, whatever the body says.
    response = client.post(
        f"/api/v1/reach/communes/{commune_b.pk}/contacts",
        json.dumps({"activity_id": activity_b.pk, "contacts": [{**row, "hamlet_id": data_b["hamlet"].pk}]}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()
