"""Closing a period: an issued report locks its period for its commune (as DHIS2's data approval does).

Records dated inside it can no longer be added, changed or deleted — through the services, the pages and the
API — until the leadership re-opens it with a reason; re-opening never changes the issued document; the
dashboard shows the closed period from the values as issued.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from lantoa.plans import services as plan_services
from lantoa.plans.models import Activity, Channel
from lantoa.reach import services as reach
from lantoa.reach.models import Briefing, Contact
from lantoa.reports import periods, services
from lantoa.tenancy import locks
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import PeriodLock

from .conftest import YEAR, written

pytestmark = pytest.mark.django_db

LOCKED_DAY = dt.date(YEAR, 4, 1)  # inside 15/12/YEAR-1 – 14/6/YEAR
OPEN_DAY = dt.date(YEAR, 7, 1)  # after the H1 cut-off


def issue_h1(world, pvhcc, leadership):
    report = written(pvhcc, services.create_draft(pvhcc, world["commune"], periods.for_kind("h1", YEAR)))
    services.approve(leadership, report)
    return services.issue(pvhcc, report, number="45", issued_on=dt.date(YEAR, 6, 18))


def files_of(report) -> dict[str, tuple[str, bytes]]:
    out = {}
    for fmt in ("docx", "pdf", "xlsx"):
        with getattr(report, f"{fmt}_file").open("rb") as handle:
            out[fmt] = (getattr(report, f"{fmt}_sha256"), handle.read())
    return out


def test_an_issued_report_locks_its_period_until_the_leadership_reopens_it(
    world, pvhcc_a, leadership_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    commune, root = world["commune"], world["root"]
    conference = Activity.objects.get(title="Hội nghị phổ biến Nghị quyết 57")
    contact = Contact.objects.get(activity=conference)
    household = world["data"]["households"][1]
    report = issue_h1(world, pvhcc_a, leadership_a)
    issued = files_of(report)

    lock = PeriodLock.objects.get(commune=commune)
    assert (lock.start, lock.end, lock.period_code, lock.as_of) == (
        dt.date(YEAR - 1, 12, 15),
        dt.date(YEAR, 6, 14),
        str(YEAR),
        dt.date(YEAR, 6, 14),
    )
    assert lock.report_id == report.pk and lock.reference == "45/BC-UBND" and lock.is_locked
    reached = next(r for r in lock.values["indicators"] if r["code"] == "residents_reached")
    assert reached == next(r for r in report.data["indicators"] if r["code"] == "residents_reached")

    # Refused through every service that writes a dated record; nothing is written.
    contacts, activities = Contact.objects.count(), Activity.objects.count()
    attempts = [
        lambda: reach.record_contact(
            root, activity=conference, channel="meeting", date=LOCKED_DAY, household=household
        ),
        lambda: reach.record_contacts_bulk(
            root, activity=conference, rows=[{"channel": "meeting", "date": LOCKED_DAY, "household_id": household.pk}]
        ),
        lambda: reach.update_contact(root, contact, date=OPEN_DAY),  # moving it out of the period changes H1 too
        lambda: reach.delete_contact(root, contact),
        lambda: plan_services.record_activity(
            root,
            conference.task,
            unit=world["unit"],
            title="Hội nghị bổ sung",
            date=LOCKED_DAY,
            channel=Channel.CONFERENCE,
        ),
        lambda: plan_services.delete_activity(root, conference),
    ]
    briefing = Briefing.objects.get(commune=commune)
    briefing.date = OPEN_DAY
    attempts.append(lambda: tenancy.save_record(root, briefing))
    attempts.append(lambda: tenancy.delete_record(root, Briefing.objects.get(pk=briefing.pk)))
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "đã khoá theo báo cáo số 45/BC-UBND" in " ".join(refused.value.messages)
    assert (Contact.objects.count(), Activity.objects.count()) == (contacts, activities)
    contact.refresh_from_db()
    briefing.refresh_from_db()
    assert contact.date == dt.date(YEAR, 3, 20) and briefing.date == dt.date(YEAR, 2, 1)
    # A day after the cut-off stays open.
    reach.record_contact(root, activity=conference, channel="meeting", date=OPEN_DAY, household=household)

    # Refused through the pages too, with the Vietnamese message; nothing written.
    client = Client()
    client.force_login(pvhcc_a)
    page = client.post(
        reverse("plans_admin:task", kwargs={"task_id": conference.task_id}),
        {
            "unit": world["unit"].pk,
            "title": "Hội nghị bổ sung",
            "date": LOCKED_DAY.isoformat(),
            "channel": Channel.CONFERENCE,
            "people_count": 10,
            "progress": 0,
        },
    )
    assert page.status_code == 200 and "đã khoá theo báo cáo số 45/BC-UBND" in page.content.decode()
    assert Activity.objects.count() == activities
    client.force_login(root)
    page = client.post(reverse("reach:contact", kwargs={"contact_id": contact.pk}), follow=True)
    assert "đã khoá theo báo cáo số 45/BC-UBND" in page.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()

    # The dashboard shows the closed period as issued, and says so.
    dashboard = reverse("reach:dashboard", kwargs={"commune_id": commune.pk})
    page = client.get(dashboard, {"period": str(YEAR), "as_of": f"{YEAR}-06-14"}).content.decode()
    assert "Đã khoá theo báo cáo số 45/BC-UBND" in page

    # Only the leadership re-opens, with a reason; then the records can be corrected.
    with pytest.raises(PermissionDenied):
        tenancy.reopen_period(pvhcc_a, lock, reason="Sửa số liệu")
    with pytest.raises(ValidationError):
        tenancy.reopen_period(leadership_a, lock, reason="")
    client.force_login(leadership_a)
    detail = reverse("reports_admin:detail", kwargs={"report_id": report.pk})
    client.post(detail, {"action": "reopen", "reason": "Bổ sung lượt tiếp cận hội nghị tháng 4 bị sót"})
    lock.refresh_from_db()
    assert not lock.is_locked and lock.reopened_by == leadership_a
    reach.record_contact(root, activity=conference, channel="meeting", date=LOCKED_DAY, household=household)
    reach.update_contact(root, contact, people=2)
    assert Contact.objects.filter(date=LOCKED_DAY).count() == 1
    page = client.get(dashboard, {"period": str(YEAR), "as_of": f"{YEAR}-06-14"}).content.decode()
    assert "Đã khoá theo báo cáo số" not in page  # open: live figures

    # Locked again: the stored values are still the issued ones; the issued files are byte-identical.
    client.post(detail, {"action": "relock"})
    lock.refresh_from_db()
    assert lock.is_locked
    assert next(r for r in lock.values["indicators"] if r["code"] == "residents_reached") == reached
    with pytest.raises(ValidationError):
        reach.delete_contact(root, contact)
    report.refresh_from_db()
    assert files_of(report) == issued
    for fmt, (digest, content) in issued.items():
        assert services.sha256(services.render(report, fmt)) == digest == services.sha256(content)
    history = [str(e.action_label) for e in lock.events.order_by("at", "pk")]
    assert history == ["kỳ được khoá theo báo cáo đã ban hành", "mở lại kỳ", "khoá lại kỳ"]
    assert lock.events.get(action="reopen").text == "Bổ sung lượt tiếp cận hội nghị tháng 4 bị sót"
    page = client.get(detail).content.decode()
    assert "Mở lại kỳ báo cáo" in page or "khoá lại kỳ" in page.lower()


def test_ensure_open_names_the_period_and_the_report(commune_a):
    from django.utils import timezone

    PeriodLock.objects.create(
        commune=commune_a,
        start=dt.date(2025, 12, 15),
        end=dt.date(2026, 6, 14),
        reference="12/BC-UBND",
        locked_at=timezone.now(),
    )
    locks.ensure_open(commune_a, dt.date(2025, 12, 14), dt.date(2026, 6, 15))  # either side is open
    with pytest.raises(ValidationError) as refused:
        locks.ensure_open(commune_a, dt.date(2026, 1, 5))
    assert refused.value.messages == [
        "Kỳ từ ngày 15/12/2025 đến ngày 14/06/2026 đã khoá theo báo cáo số 12/BC-UBND: không thể thêm, sửa "
        "hoặc xoá số liệu ngày 05/01/2026. Lãnh đạo UBND có thể mở lại kỳ, nêu rõ lý do."
    ]
