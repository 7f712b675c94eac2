"""The reach API (django-ninja router; mounted by the API app, e.g. under /api/v1/reach/).

Reads the same figures as the dashboard (``selectors.indicator_values``) and lets devices and other
systems record contacts in bulk. Every route is scoped to the caller's communes (404 otherwise).
"""

from __future__ import annotations

import datetime as dt

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lantoa.plans.models import Activity
from lantoa.tenancy import current
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.models import Household

from . import periods as P
from . import selectors, services, spans
from .models import Contact

router = Router(tags=["reach"])


class IndicatorOut(Schema):
    code: str
    name: str
    method_text: str
    numerator_text: str
    denominator_text: str
    period: str
    value: float | None
    numerator: float
    denominator: float
    target: float | None
    target_year: int | None
    gap: float | None
    projection: float | None
    status: str
    status_label: str
    companion_of: str | None
    as_of: dt.date
    headline_method: str | None = None  # residents reached: "households" or "recorded", as the province chose


class HamletReachOut(Schema):
    hamlet_id: int
    hamlet: str
    households: int
    residents: int
    households_reached: int
    residents_reached: int
    value: float | None
    covered_by_radio: bool
    not_reached: int


class BatchOut(Schema):
    batch_id: int
    contacts: int


def _figures_of(code: str | None, as_of: dt.date | None) -> tuple[P.Period, dt.date]:
    """The indicator period and cut-off of ``?period=`` (every code of ``build_report --period``, see
    ``spans.figures_of``) and ``?as_of=YYYY-MM-DD`` (records dated on or before it; never after today).
    A bad code answers 400 with a Vietnamese message."""
    today = timezone.localdate()
    try:
        return spans.figures_of(code or str(today.year), today, as_of)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


@router.get(
    "/communes/{commune_id}/indicators",
    response=list[IndicatorOut],
    summary="Every indicator of a commune for a period (the dashboard's and the report's table)",
)
def indicators(request, commune_id: int, period: str | None = None, as_of: dt.date | None = None):
    commune = current.commune_of(request, commune_id, perm="reach.view_dashboard")
    indicator_period, cutoff = _figures_of(period, as_of)
    return selectors.indicator_values(commune, indicator_period, today=cutoff)


@router.get("/communes/{commune_id}/hamlets", response=list[HamletReachOut], summary="Residents reached by hamlet")
def hamlets(request, commune_id: int, period: str | None = None, as_of: dt.date | None = None):
    commune = current.commune_of(request, commune_id, perm="reach.view_dashboard")
    rows = selectors.hamlet_table(commune, *_figures_of(period, as_of))
    return [
        {**r, "hamlet_id": r["hamlet"].pk, "hamlet": r["hamlet"].name, "covered_by_radio": r["covered"]} for r in rows
    ]


@router.get(
    "/hamlets/{hamlet_id}/unreached",
    response=list[str],
    summary="Codes of the hamlet's households without any attributable contact in the period",
)
def unreached(request, hamlet_id: int, period: str | None = None, as_of: dt.date | None = None):
    hamlet = get_object_or_404(tenancy.hamlets(request.user), pk=hamlet_id)
    current.require(request, "reach.view_dashboard", hamlet.commune_id)
    rows = selectors.unreached_households(hamlet, *_figures_of(period, as_of))
    return list(rows.values_list("code", flat=True))


class ContactIn(Schema):
    """One contact of a bulk upload; the service checks the row against the commune (hamlet, household, date)."""

    date: dt.date
    channel: Contact.Channel = Contact.Channel.VISIT
    household_code: str | None = Field(None, max_length=40)
    hamlet_id: int | None = Field(None, ge=1, le=2**63 - 1)
    people: int = Field(1, ge=1, le=1_000_000)
    per: Contact.Per | None = None
    note: str = Field("", max_length=500)


class ContactsIn(Schema):
    activity_id: int = Field(..., ge=1, le=2**63 - 1)
    contacts: list[ContactIn] = Field(..., min_length=1, max_length=10_000)


def _inline(schema, defs=None):
    """A pydantic JSON schema with its $defs written in place (the OpenAPI document has no room for them)."""
    defs = schema.get("$defs", {}) if defs is None else defs
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


CONTACTS_BODY = {
    "requestBody": {
        "content": {"application/json": {"schema": _inline(ContactsIn.model_json_schema())}},
        "required": True,
    }
}


@router.post(
    "/communes/{commune_id}/contacts",
    response={201: BatchOut},
    openapi_extra=CONTACTS_BODY,
    summary="Record contacts in bulk (all or none)",
)
def add_contacts(request, commune_id: int):
    # The commune first (404 outside the caller's communes, 403 without the role), the body after: another
    # commune's route answers the same whatever is sent to it.
    commune = current.commune_of(request, commune_id, perm="reach.view_dashboard")
    try:
        payload = ContactsIn.model_validate_json(request.body or b"")
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise NinjaValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from exc
    activity = Activity.objects.filter(commune=commune, pk=payload.activity_id).first()
    if activity is None:
        raise HttpError(400, _("Unknown activity: choose an activity of this commune."))
    codes = {item.household_code for item in payload.contacts if item.household_code}
    ids = dict(Household.objects.filter(commune=commune, code__in=codes).values_list("code", "pk"))
    rows = [
        {
            "row": number,
            "channel": item.channel,
            "date": item.date,
            "household_id": ids.get(item.household_code, -1) if item.household_code else None,
            "hamlet_id": item.hamlet_id,
            "people": item.people,
            "per": item.per,
            "note": item.note,
        }
        for number, item in enumerate(payload.contacts, start=1)
    ]
    try:
        batch = services.record_contacts_bulk(request.user, activity=activity, rows=rows)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, {"batch_id": batch.pk, "contacts": batch.rows})
