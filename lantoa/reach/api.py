"""The reach API (django-ninja router; mounted by the API app, e.g. under /api/v1/reach/).

Reads the same figures as the dashboard (``selectors.indicator_values``) and lets devices and other
systems record contacts in bulk. Every route is scoped to the caller's communes (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from lantoa.plans.models import Activity
from lantoa.tenancy import current
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.models import Household

from . import periods as P
from . import selectors, services
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


def _period(code: str | None):
    try:
        return P.parse(code or str(timezone.localdate().year))
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc


def _as_of(day: dt.date | None) -> dt.date:
    """The cut-off of the figures (?as_of=YYYY-MM-DD): records dated on or before it; today by default."""
    today = timezone.localdate()
    return min(day, today) if day else today


@router.get(
    "/communes/{commune_id}/indicators",
    response=list[IndicatorOut],
    summary="Every indicator of a commune for a period (the dashboard's and the report's table)",
)
def indicators(request, commune_id: int, period: str | None = None, as_of: dt.date | None = None):
    return selectors.indicator_values(
        current.commune_of(request, commune_id, perm="reach.view_dashboard"), _period(period), today=_as_of(as_of)
    )


@router.get("/communes/{commune_id}/hamlets", response=list[HamletReachOut], summary="Residents reached by hamlet")
def hamlets(request, commune_id: int, period: str | None = None, as_of: dt.date | None = None):
    commune = current.commune_of(request, commune_id, perm="reach.view_dashboard")
    rows = selectors.hamlet_table(commune, _period(period), _as_of(as_of))
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
    rows = selectors.unreached_households(hamlet, _period(period), _as_of(as_of))
    return list(rows.values_list("code", flat=True))


CONTACTS_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["activity_id", "contacts"],
                    "properties": {
                        "activity_id": {"type": "integer"},
                        "contacts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["date"],
                                "properties": {
                                    "channel": {"type": "string", "enum": list(Contact.Channel.values)},
                                    "date": {"type": "string", "format": "date"},
                                    "household_code": {"type": "string"},
                                    "hamlet_id": {"type": "integer"},
                                    "people": {"type": "integer"},
                                    "per": {"type": "string", "enum": list(Contact.Per.values)},
                                    "note": {"type": "string"},
                                },
                            },
                        },
                    },
                }
            }
        },
        "required": True,
    },
}


@router.post(
    "/communes/{commune_id}/contacts",
    response={201: BatchOut},
    openapi_extra=CONTACTS_BODY,
    summary="Record contacts in bulk (all or none)",
)
def add_contacts(request, commune_id: int):

    commune = current.commune_of(request, commune_id, perm="reach.view_dashboard")
    try:
        body = json.loads(request.body or b"{}")
        activity = Activity.objects.filter(commune=commune, pk=int(body.get("activity_id"))).first()
        items = list(body.get("contacts") or [])
    except (TypeError, ValueError) as exc:
        raise HttpError(400, "invalid JSON body") from exc
    if activity is None:
        raise HttpError(400, "unknown activity")
    codes = {i.get("household_code") for i in items if i.get("household_code")}
    ids = dict(Household.objects.filter(commune=commune, code__in=codes).values_list("code", "pk"))
    rows = []
    for number, item in enumerate(items, start=1):
        try:
            day = dt.date.fromisoformat(str(item.get("date")))
        except ValueError:
            day = None
        code = item.get("household_code")
        rows.append(
            {
                "row": number,
                "channel": item.get("channel") or Contact.Channel.VISIT,
                "date": day,
                "household_id": ids.get(code, -1) if code else None,
                "hamlet_id": item.get("hamlet_id"),
                "people": item.get("people") or 1,
                "per": item.get("per"),
                "note": item.get("note") or "",
            }
        )
    try:
        batch = services.record_contacts_bulk(request.user, activity=activity, rows=rows)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(201, {"batch_id": batch.pk, "contacts": batch.rows})
