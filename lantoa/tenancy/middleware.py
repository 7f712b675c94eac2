"""Commune scope for Wagtail's own admin screens (pages, images, documents, collections, bulk actions).

Our viewsets scope their own queries; Wagtail's built-in screens rely on page and collection
permissions, which let some read-only screens (move confirmation, revisions, page chooser,
reports) show another commune's page titles. This middleware answers 404 before such a view
runs when the object in the URL lies outside the user's communes.
"""

from __future__ import annotations

import auditlog.middleware
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from . import selectors
from .models import CommuneScoped
from .network import client_ip
from .services import must_change_password

PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
# Site-wide reports list every commune's pages; only superusers see them.
SUPERUSER_ONLY_PREFIXES = ("admin/reports/",)


def _commune_pages(user):
    return Page.objects.filter(selectors.commune_pages_filter(user))


def _commune_collections(user):
    roots = selectors.communes_for(user).exclude(collection=None).values_list("collection__path", flat=True)
    query = Q(depth=1)
    for path in roots:
        query |= Q(path__startswith=path)
    return Collection.objects.filter(query)


class CommuneScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        route = match.route or ""
        if not route.startswith("admin/"):
            return None
        if route.startswith(SUPERUSER_ONLY_PREFIXES):
            raise PermissionDenied
        page_ids = [view_kwargs[k] for k in PAGE_KWARGS if k in view_kwargs]
        if "pk" in view_kwargs and ("pages" in route):
            page_ids.append(view_kwargs["pk"])
        if page_ids and _commune_pages(user).filter(pk__in=page_ids).count() != len(set(map(str, page_ids))):
            raise Http404
        self._check_media(route, view_kwargs, user)
        if route.startswith("admin/bulk/"):
            self._check_bulk(request, view_kwargs, user)
        if "snippets/choose/" in route and "pk" in view_kwargs:
            self._check_snippet(match, view_kwargs["pk"], user)
        return None

    @staticmethod
    def _check_media(route, view_kwargs, user):
        collections = _commune_collections(user)
        checks = []
        if "image_id" in view_kwargs or ("images" in route and "pk" in view_kwargs):
            checks.append((get_image_model(), view_kwargs.get("image_id", view_kwargs.get("pk"))))
        if "document_id" in view_kwargs or "doc_id" in view_kwargs or ("documents" in route and "pk" in view_kwargs):
            pk = view_kwargs.get("document_id", view_kwargs.get("doc_id", view_kwargs.get("pk")))
            checks.append((get_document_model(), pk))
        for model, pk in checks:
            if not model.objects.filter(pk=pk, collection__in=collections).exists():
                raise Http404
        if "collection_id" in view_kwargs or ("collections" in route and "pk" in view_kwargs):
            pk = view_kwargs.get("collection_id", view_kwargs.get("pk"))
            if not collections.filter(pk=pk).exists():
                raise Http404

    @staticmethod
    def _check_bulk(request, view_kwargs, user):
        try:
            model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
        except (LookupError, KeyError):
            raise Http404 from None
        ids = request.GET.getlist("id")
        if "all" in ids:
            raise PermissionDenied  # "select all" spans every commune's records
        if not all(str(i).isdigit() for i in ids):
            raise Http404
        if issubclass(model, CommuneScoped):
            visible = selectors.scoped(model.objects.filter(pk__in=ids), user)
        elif issubclass(model, Page):
            visible = _commune_pages(user).filter(pk__in=ids)
        elif model in (get_image_model(), get_document_model()):
            visible = model.objects.filter(pk__in=ids, collection__in=_commune_collections(user))
        else:
            raise PermissionDenied  # users, groups and any other model span every commune: superusers only
        if visible.count() != len(set(ids)):
            raise Http404

    @staticmethod
    def _check_snippet(match, pk, user):
        parts = match.route.split("/")
        try:
            model = apps.get_model(parts[3], parts[4])
        except (LookupError, IndexError):
            return
        if issubclass(model, CommuneScoped) and not selectors.scoped(model.objects.filter(pk=pk), user).exists():
            raise Http404


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware, recording the client address from ``network.client_ip``.

    auditlog's own believes the first X-Forwarded-For entry of any request, which the client writes itself.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request):
        return None


class ForcePasswordChangeMiddleware:
    """A login created or reset by the focal point carries a temporary password: until its user sets a new one,
    every page redirects to the page where they do (signing out, static files and that page itself excepted)."""

    EXEMPT_NAMES = {
        "tenancy_password_change",
        "wagtailadmin_logout",
        "wagtailadmin_login",
        "wagtailadmin_javascript_catalog",
        # The two-step sign-in comes first (SecondFactorMiddleware runs before this one): without these, a user who
        # must give a code and change a temporary password would be sent back and forth between the two pages.
        "second_factor_verify",
        "second_factor_enrol",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))
            and must_change_password(user)  # loaded with the user; the URL is resolved only for those who must
            and not self._exempt(request.path_info)
        ):
            return redirect("tenancy_password_change")
        return self.get_response(request)

    def _exempt(self, path: str) -> bool:
        try:
            return resolve(path).url_name in self.EXEMPT_NAMES
        except Resolver404:
            return False
