"""The door API of events (django-ninja router, mounted under /api/v1/events/): the check-in phones download an
event's invitation list and upload their queue of check-ins. Session authentication (the phone's browser is
signed in), CSRF-checked like every form."""

from __future__ import annotations

import datetime as dt

import pydantic
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lantoa.tenancy import current

from . import selectors, services

router = Router(tags=["events"])


class DoorInvitationOut(Schema):
    code: str
    name: str
    group: str
    kind: str
    status: str
    present: bool


class DoorOut(Schema):
    event_id: int
    title: str
    starts_at: dt.datetime
    status: str
    synced_at: dt.datetime
    invitations: list[DoorInvitationOut]


class WalkInIn(Schema):
    client_id: str = Field(max_length=40)
    name: str = Field("", max_length=200)
    organisation: str = Field("", max_length=200)
    hamlet_id: int | None = None
    household_code: str = Field("", max_length=32)


class CheckInIn(Schema):
    checkin_id: str = Field(max_length=40)
    code: str = Field("", max_length=16)
    walk_in: WalkInIn | None = None
    at: dt.datetime | None = None
    source: str = Field("scan", max_length=10)


class CheckInsIn(Schema):
    device: str = Field("", max_length=60)
    items: list[CheckInIn] = Field(max_length=2000)


class CheckInResultOut(Schema):
    checkin_id: str
    status: str
    message: str = ""
    code: str = ""


class SyncOut(Schema):
    counted: int
    results: list[CheckInResultOut]
    present: int


def _event(request, event_id: int):
    event = get_object_or_404(selectors.events(request.user), pk=event_id)
    current.require(request, "events.check_in", event.commune_id)
    return event


@router.get("/{event_id}/door", response=DoorOut, summary="The invitation list a check-in phone keeps offline")
def door(request, event_id: int):
    event = _event(request, event_id)
    return {
        "event_id": event.pk,
        "title": event.title,
        "starts_at": event.starts_at,
        "status": event.status,
        "synced_at": timezone.now(),
        "invitations": selectors.door_list(request.user, event),
    }


@router.post("/{event_id}/checkins", response=SyncOut, summary="Upload a phone's check-ins (idempotent)")
def checkins(request, event_id: int):
    event = _event(request, event_id)  # the event first: another commune's route answers the same whatever is sent
    try:
        payload = CheckInsIn.model_validate_json(request.body or b"")
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise NinjaValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from exc
    items = [item.model_dump() for item in payload.items]
    try:
        result = services.sync_checkins(request.user, event, items, device=payload.device)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return {"counted": result.counted, "results": result.results, "present": event.attendances.count()}


__all__ = ["router"]
