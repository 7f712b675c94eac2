"""The field app's API (django-ninja router, mounted by the API app under /api/v1/field/).

Session-authenticated like the rest of the API (a POST carries the X-CSRFToken header). The commune is the
one named by ``?commune=<id>`` for a user of several, else the user's current one (``tenancy.current``); a
commune the user does not belong to answers 404. See docs/field.md.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pydantic
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema

from lantoa.tenancy import current

from . import selectors, services

router = Router(tags=["field"])


class CommuneRef(Schema):
    id: int
    name: str


class HamletProgressOut(Schema):
    id: int
    name: str
    households_total: int
    reached: int = Field(..., description="Households reached this year up to as_of (reach's figures).")
    target_percent: float | None = Field(..., description="The commune's residents-reached target for the year.")


class HouseholdOut(Schema):
    id: int
    code: str
    hamlet_id: int
    members: int
    last_contact: dt.date | None
    head_name: str | None = Field(None, description="Only when can_see_names; each name given is a logged access.")


class TopicOut(Schema):
    id: int
    name: str


class TalkingPointOut(Schema):
    kind: str = Field(..., description='"column" (a column item) or "radio" (a radio bulletin)')
    id: int
    title: str
    summary: str
    text: str = Field(..., description="Plain text, for reading offline.")
    date: dt.date | None


class AssignmentOut(Schema):
    user_id: int
    commune: CommuneRef
    generated_at: dt.datetime
    as_of: dt.date
    can_see_names: bool
    activity_id: int | None = Field(..., description="The plan activity visits are recorded under.")
    hamlets: list[HamletProgressOut]
    households: list[HouseholdOut]
    topics: list[TopicOut]
    talking_points: list[TalkingPointOut]


class ProgressOut(Schema):
    commune: CommuneRef
    as_of: dt.date
    hamlets: list[HamletProgressOut]


# The sync's own schemas are plain pydantic models: ninja's Schema wraps every attribute read of every event in
# its Django-object getter, which for 200 events costs more than checking them.
class EventIn(pydantic.BaseModel):
    id: uuid.UUID = Field(..., description="Made on the device: the idempotency key.")
    type: str = Field(..., description='"visit", "correction" or "discard"', max_length=20)
    refers_to: uuid.UUID | None = Field(None, description="For a correction or discard: the visit's id.")
    household_id: int | None = Field(None, ge=1, le=2**63 - 1)
    date: dt.date | None = None
    people: int = Field(1, ge=-(2**31), le=2**31 - 1, description="At least 1 (checked per event).")
    topics: list[int] = Field(default_factory=list, max_length=100)
    materials: str = Field("", max_length=2000)
    note: str = Field("", max_length=2000)
    photo: str | None = Field(None, max_length=3_000_000, description="Base64 JPEG or PNG, at most 2 MB.")
    recorded_at: dt.datetime | None = None


class SyncIn(pydantic.BaseModel):
    device_id: str = Field(..., min_length=1, max_length=64)
    events: list[EventIn] = Field(..., max_length=services.MAX_EVENTS)


class ResultOut(pydantic.BaseModel):
    id: str
    status: str = Field(..., description='"accepted", "duplicate" or "rejected"')
    reason: str | None = Field(..., description="Why it was refused, in Vietnamese.")
    contact_id: int | None


class SyncOut(pydantic.BaseModel):
    results: list[ResultOut]
    server_time: dt.datetime


def _commune(request, commune: int | None, perm: str | None = None):
    return current.commune_of(request, commune, perm=perm)


@router.get("/assignment", response=AssignmentOut, summary="What a team member downloads before going out")
def assignment(request, commune: int | None = None):
    return selectors.assignment(request.user, _commune(request, commune, "reach.add_contact"))


@router.get("/progress", response=ProgressOut, summary="The hamlets' progress (as in the assignment)")
def progress(request, commune: int | None = None):
    obj = _commune(request, commune, "reach.add_contact")
    today = timezone.localdate()
    return {
        "commune": {"id": obj.pk, "name": obj.name},
        "as_of": today,
        "hamlets": selectors.hamlet_progress(request.user, obj, today),
    }


@router.post("/sync", response=SyncOut, summary="Send queued events: one answer per event, idempotent")
def sync(request, payload: SyncIn, commune: int | None = None):
    obj = _commune(request, commune)
    results = services.sync(request.user, obj, device_id=payload.device_id, events=payload.model_dump()["events"])
    # Checked and written by pydantic's core in one pass (ninja's own path validates, dumps, then encodes the 200
    # answers in Python); the OpenAPI schema is the same SyncOut.
    answer = SyncOut.model_validate({"results": results, "server_time": timezone.now()})
    return HttpResponse(answer.model_dump_json(), content_type="application/json")
