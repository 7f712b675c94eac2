"""The commune of a request — the one way every view and API endpoint learns which commune it works in.

In the spirit of Django's ``request.site``: :func:`commune_view` (pages) and :func:`commune_of` (the API, or a view
that resolves the commune from an object) set ``request.commune`` after checking that

1. the commune is one the user may see (:func:`lantoa.tenancy.selectors.commune_scope`), else 404 — a user never
   learns whether another commune's id exists;
2. the user's role *in that commune* grants the permission the page needs, else 403.

Where the commune comes from, in this order:

- the URL, when the route names one (``communes/<int:commune_id>/…``): links stay bookmarkable and shareable;
- ``?commune=`` on pages whose URL names none (plans, reports), the choice of the commune switcher;
- the commune chosen last (kept in the session);
- the user's first commune.

A page that works on one record (a bulletin, a hamlet, a report) does not name the commune: it loads the record
within the user's communes and calls :func:`require` with the record's commune.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from .models import Commune
from .selectors import CommuneScope, commune_scope, communes_for
from .services import has_commune_perm

SESSION_KEY = "lantoa_commune"


def require(request, perm: str | None, commune: Commune | int) -> None:
    """403 unless the user's role in ``commune`` grants ``perm`` (``None``: being in the commune is enough)."""
    if perm and not has_commune_perm(request.user, perm, commune):
        raise PermissionDenied


def _visible(scope: CommuneScope, commune_id: int | str | None) -> Commune | None:
    """The commune of this id if the scope includes it (one query by primary key, the scope checked on the row)."""
    if commune_id is None or not str(commune_id).isdigit():
        return None
    commune = Commune.objects.select_related("province").filter(pk=commune_id).first()
    return commune if commune is not None and scope.includes(commune) else None


def commune_of(request, commune_id: int | str | None = None, *, perm: str | None = None) -> Commune:
    """Resolve, check and remember the commune of this request (see the module's docstring for the order)."""
    scope = commune_scope(request.user)
    # The list, for a switcher, is built only when a page reads it: building its query costs more than this check.
    communes = SimpleLazyObject(lambda: communes_for(request.user).select_related("province"))
    if commune_id is not None:
        commune = _visible(scope, commune_id)
        if commune is None:
            raise Http404
    else:
        chosen = request.GET.get("commune") or request.session.get(SESSION_KEY)
        commune = _visible(scope, chosen) or communes.first()
        if commune is None:
            raise PermissionDenied
    require(request, perm, commune)
    if request.session.get(SESSION_KEY) != commune.pk:
        request.session[SESSION_KEY] = commune.pk
    request.commune = commune
    request.communes = communes
    return commune


def commune_view(perm: str | None = None):
    """Decorate a page that works in one commune: signed in, the commune resolved and checked, then the view.

    The view reads ``request.commune`` (and ``request.communes``, for a switcher); a ``commune_id`` URL argument is
    consumed here and not passed on.
    """

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, commune_id=None, **kwargs):
            commune_of(request, commune_id, perm=perm)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


__all__ = ["SESSION_KEY", "commune_of", "commune_view", "require"]
