"""The JSON API (django-ninja), version 1. Every route is scoped to the caller's communes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.security import django_auth

from lantoa.events.api import router as events_router
from lantoa.field.api import router as field_router
from lantoa.radio.api import router as radio_router
from lantoa.reach.api import router as reach_router
from lantoa.tenancy import current
from lantoa.tenancy import selectors as tenancy

from . import errors

api = NinjaAPI(
    title="Lan Tỏa API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,
    docs_url="/docs",
)

# Errors answer JSON in Vietnamese: 401, 403, 404, 400 from services, 422 for a request that does not fit the schema.
errors.install(api)


class ProvinceOut(Schema):
    id: int
    code: int
    name: str


class CommuneOut(Schema):
    id: int
    code: int
    name: str
    division_type: str
    province: ProvinceOut


class HamletOut(Schema):
    id: int
    name: str
    kind: str
    households_baseline: int
    residents_baseline: int


class UnitOut(Schema):
    id: int
    name: str
    kind: str


class HouseholdOut(Schema):
    id: int
    code: str
    hamlet_id: int
    members: int


class MeOut(Schema):
    username: str
    communes: list[CommuneOut]


@api.get("/me", response=MeOut, summary="The signed-in user and the communes they may see")
def me(request):
    return {"username": request.user.get_username(), "communes": list(tenancy.communes_for(request.user))}


@api.get("/communes", response=list[CommuneOut])
def communes(request):
    return tenancy.communes_for(request.user).select_related("province")


@api.get("/communes/{commune_id}", response=CommuneOut)
def commune(request, commune_id: int):
    return current.commune_of(request, commune_id)


@api.get("/communes/{commune_id}/hamlets", response=list[HamletOut])
def hamlets(request, commune_id: int):
    return tenancy.hamlets(request.user).filter(commune=current.commune_of(request, commune_id))


@api.get("/hamlets/{hamlet_id}", response=HamletOut)
def hamlet(request, hamlet_id: int):
    return get_object_or_404(tenancy.hamlets(request.user), pk=hamlet_id)


@api.get("/communes/{commune_id}/units", response=list[UnitOut])
def units(request, commune_id: int):
    return tenancy.units(request.user).filter(commune=current.commune_of(request, commune_id))


@api.get("/hamlets/{hamlet_id}/households", response=list[HouseholdOut])
def households(
    request,
    hamlet_id: int,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(500, ge=1, le=2000),
):
    hamlet_obj = get_object_or_404(tenancy.hamlets(request.user), pk=hamlet_id)
    return tenancy.households(request.user).filter(hamlet=hamlet_obj)[offset : offset + limit]


# Device integration for loudspeaker controllers (its own token auth): /api/v1/radio/…
api.add_router("/radio/", radio_router)

# Indicators, contacts and the province comparison: /api/v1/reach/…
api.add_router("/reach/", reach_router)

# The field app of the community digital teams: assignment, sync of queued visits, progress: /api/v1/field/…
api.add_router("/field/", field_router)
# The check-in phones of events: the invitation list to keep offline, the queue of check-ins: /api/v1/events/…
api.add_router("/events/", events_router)
