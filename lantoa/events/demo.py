"""The events of the Nam Cường demo: a conference held last month with most officials checked in (it counts in
"officials informed"), a talk in a hamlet next week with its households invited, and the next national day's
event with open registration. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lantoa.plans.models import Plan, Task
from lantoa.tenancy.models import Commune, Hamlet, Unit

from . import services
from .models import Event, Invitation


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def load(commune: Commune) -> None:
    if Event.objects.filter(commune=commune).exists():
        return
    actor = get_user_model().objects.filter(username="pvhcc").first()
    if actor is None:
        return
    today = timezone.localdate()
    tasks = Task.objects.filter(commune=commune, plan__status=Plan.Status.ACTIVE)
    conference_task = tasks.filter(code="1.2").first() or tasks.first()
    talk_task = tasks.filter(code="1.4").first() or conference_task
    lead = Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE).first()
    held = services.create_event(
        actor,
        commune,
        title="Hội nghị quán triệt Nghị quyết 57-NQ/TW cho cán bộ, công chức xã",
        kind=Event.Kind.CONFERENCE,
        starts_at=_at(today - dt.timedelta(days=20), 8),
        place="Hội trường UBND xã",
        unit=lead,
        task=conference_task,
        audience="Cán bộ, công chức, viên chức xã",
    )
    units = Unit.objects.filter(commune=commune, active=True).values_list("pk", flat=True)
    services.invite_officials(actor, held, unit_ids=list(units))
    services.invite_guest(actor, held, name="Trường THCS Nam Cường", organisation="Trường THCS", contact="")
    codes = list(Invitation.objects.filter(event=held).order_by("pk").values_list("code", flat=True))
    present = [c for i, c in enumerate(codes) if i % 4 != 3]  # three in four came
    services.sync_checkins(
        actor,
        held,
        [{"checkin_id": str(uuid.uuid4()), "code": c, "source": "scan", "at": held.starts_at} for c in present],
        device="demo",
    )
    hamlet = Hamlet.objects.filter(commune=commune).order_by("name").first()
    if hamlet is not None:
        talk = services.create_event(
            actor,
            commune,
            title=f"Nói chuyện chuyên đề chuyển đổi số tại {hamlet.name}",
            kind=Event.Kind.HAMLET_TALK,
            starts_at=_at(today + dt.timedelta(days=7), 19),
            place=f"Nhà văn hóa {hamlet.name}",
            unit=lead,
            task=talk_task,
            hamlet=hamlet,
            audience="Các hộ gia đình trong thôn",
        )
        services.invite_households(actor, talk, hamlet_ids=[hamlet.pk])
    upcoming = [p for p in services.proposals(commune, today.year) + services.proposals(commune, today.year + 1)]
    upcoming = [p for p in upcoming if p["date"] > today]
    if upcoming:
        event = services.create_national_event(actor, commune, upcoming[0]["key"])
        services.set_capacity(actor, event, 120)
        services.register(event, name="Hoàng Văn Minh", phone="0912000222")
