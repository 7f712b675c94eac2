"""Events: invitations from the rosters, the waitlist, the idempotent check-in of phones, the indicators it moves,
the officials still missing and the make-up session."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.events import selectors, services, views
from lantoa.events.models import Attendance, Event, Invitation
from lantoa.reach import periods as P
from lantoa.reach import selectors as reach_selectors
from lantoa.reach.models import Briefing, Contact, ReachSettings
from lantoa.tenancy import roles
from lantoa.tenancy.models import Household, Staff
from lantoa.tenancy.services import ensure_unit
from tests.conftest import make_user
from tests.reach.conftest import make_activity, make_plan


def _at(hour: int = 8, day: dt.date = dt.date(2026, 11, 18)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _value(commune, code: str, period: str = "2026"):
    row = next(r for r in reach_selectors.indicator_values(commune, period) if r["code"] == code)
    return row["numerator"], row["denominator"]


@pytest.fixture
def office(commune_a, data_a):
    """A unit of 10 officials and the commune's plan with its task."""
    unit = ensure_unit(commune_a, "Văn phòng HĐND và UBND")
    staff = [
        Staff.objects.create(commune=commune_a, unit=unit, full_name=f"Cán bộ {i:02d}", category="civil_servant")
        for i in range(10)
    ]
    plan = make_plan(commune_a)
    # One session a year makes an official "regularly informed" here, so that one event moves the indicator.
    ReachSettings.objects.update_or_create(commune=commune_a, defaults={"briefings_per_year": 1})
    return {"unit": unit, "staff": staff, "task": plan["task"]}


def _event(user, commune, office, **fields):
    defaults = {
        "title": "Hội nghị quán triệt Nghị quyết 57",
        "kind": Event.Kind.CONFERENCE,
        "starts_at": _at(),
        "place": "Hội trường UBND xã",
        "unit": office["unit"],
        "task": office["task"],
    }
    return services.create_event(user, commune, **{**defaults, **fields})


def _codes(event, **filters):
    return list(Invitation.objects.filter(event=event, **filters).order_by("pk").values_list("code", flat=True))


def test_invitations_from_the_rosters(commune_a, data_a, office, pvhcc_a):
    leaver = office["staff"][0]
    leaver.end_date = dt.date(2026, 10, 1)
    leaver.save()
    event = _event(pvhcc_a, commune_a, office)
    done = services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    assert (done.created, done.already) == (9, 0)  # the one who left before the event's day is not invited
    again = services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    assert (again.created, again.already) == (0, 9)
    talk = _event(pvhcc_a, commune_a, office, kind=Event.Kind.HAMLET_TALK, hamlet=data_a["hamlet"])
    assert services.invite_households(pvhcc_a, talk, hamlet_ids=[data_a["hamlet"].pk]).created == 2
    guest = services.invite_guest(pvhcc_a, event, name="Công ty TNHH Nam Cường", contact="0912000111")
    codes = set(Invitation.objects.values_list("code", flat=True))
    assert len(codes) == 12 and all(len(c) == 10 and c.isalnum() for c in codes)
    assert guest.code not in guest.name
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.invite_guest(editor, event, name="Trường THCS")


def test_registration_capacity_and_waitlist(commune_a, data_a, office, pvhcc_a):
    event = _event(
        pvhcc_a, commune_a, office, starts_at=_at(8, dt.date(2026, 11, 25)), capacity=2, open_registration=True
    )
    a = services.register(event, name="Lò Thị A", phone="0912 000 001")
    b = services.register(event, name="Lò Văn B", household_code=data_a["households"][0].code)
    c = services.register(event, name="Cầm Văn C")
    d = services.register(event, name="Quàng Thị D")
    assert [x.status for x in (a, b, c, d)] == ["invited", "invited", "waitlisted", "waitlisted"]
    assert b.hamlet == data_a["hamlet"] and services.waitlist_position(d) == 2
    with pytest.raises(ValidationError):
        services.register(event, name="Lò Văn B lần hai", household_code=data_a["households"][0].code)
    with pytest.raises(ValidationError):
        services.register(event, name="Ai đó", household_code="KHONG-CO")
    promoted = services.cancel_invitation(None, a, by_invitee=True)
    assert [p.pk for p in promoted] == [c.pk]  # first come, first served
    d.refresh_from_db()
    assert services.waitlist_position(d) == 1
    services.set_capacity(pvhcc_a, event, 3)
    d.refresh_from_db()
    assert d.status == "invited"
    closed = _event(pvhcc_a, commune_a, office, starts_at=_at(8, dt.date(2026, 11, 25)))
    with pytest.raises(ValidationError):
        services.register(closed, name="Không mở")


def _scan(code: str, checkin_id=None) -> dict:
    return {"checkin_id": str(checkin_id or uuid.uuid4()), "code": code, "source": "scan"}


def test_500_invitees_two_phones_overlapping_no_duplicate(commune_a, data_a, office, pvhcc_a):
    unit = ensure_unit(commune_a, "Đảng ủy xã")
    Staff.objects.bulk_create(
        Staff(commune=commune_a, unit=unit, full_name=f"Đảng viên {i:03d}", category="cadre") for i in range(490)
    )
    event = _event(pvhcc_a, commune_a, office)
    services.invite_officials(pvhcc_a, event, unit_ids=[unit.pk, office["unit"].pk])
    codes = _codes(event)
    assert len(codes) == 500
    # Phone 1 scans the first 300, phone 2 scans 200..499: 100 people scanned by both, with different ids.
    phone1 = [_scan(c) for c in codes[:300]]
    phone2 = [_scan(c) for c in codes[200:]]
    r1 = services.sync_checkins(pvhcc_a, event, phone1, device="phone-1")
    r2 = services.sync_checkins(pvhcc_a, event, phone2, device="phone-2")
    assert r1.counted == 300 and r2.counted == 200
    assert sum(r["status"] == "already" for r in r2.results) == 100
    # Phone 1 lost its answer and uploads the same queue again: nothing changes.
    r3 = services.sync_checkins(pvhcc_a, event, phone1, device="phone-1")
    assert r3.counted == 0 and {r["status"] for r in r3.results} == {"already"}
    assert Attendance.objects.filter(event=event).count() == 500
    event.refresh_from_db()
    assert event.briefing.attendees.count() == 500 and Briefing.objects.count() == 1
    assert event.status == "held" and event.activity.people_count == 500


def test_cancelled_invitation_is_refused(commune_a, data_a, office, pvhcc_a):
    event = _event(pvhcc_a, commune_a, office)
    services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    cancelled = Invitation.objects.filter(event=event).first()
    services.cancel_invitation(pvhcc_a, cancelled)
    result = services.sync_checkins(pvhcc_a, event, [_scan(cancelled.code), _scan("NOSUCHCODE")])
    assert [r["status"] for r in result.results] == ["cancelled", "unknown"]
    assert not Attendance.objects.exists()
    # The phone's list carries the flag, so the door refuses it offline too.
    rows = {r["code"]: r for r in selectors.door_list(pvhcc_a, event)}
    assert rows[cancelled.code]["status"] == "cancelled"


def test_walk_in_counted_once_and_households_reach_the_indicator(commune_a, data_a, office, pvhcc_a):
    talk = _event(pvhcc_a, commune_a, office, kind=Event.Kind.HAMLET_TALK, hamlet=data_a["hamlet"])
    services.invite_households(pvhcc_a, talk, hamlet_ids=[data_a["hamlet"].pk])
    before = _value(commune_a, "residents_reached")
    # A household already visited by the digital team this year: the talk must not count it twice.
    visit = make_activity(commune_a, office["task"], office["unit"], date=dt.date(2026, 11, 2))
    Contact.objects.create(
        commune=commune_a, activity=visit, channel="visit", date=dt.date(2026, 11, 2), household=data_a["households"][0]
    )
    from lantoa.reach import engine

    engine.recompute([commune_a.pk])
    visited = _value(commune_a, "residents_reached")
    walk = {"client_id": str(uuid.uuid4()), "name": "Lường Văn Toàn", "organisation": "Trường THCS Nam Cường"}
    items = [_scan(c) for c in _codes(talk)] + [{"checkin_id": walk["client_id"], "walk_in": walk, "source": "walk_in"}]
    services.sync_checkins(pvhcc_a, talk, items)
    services.sync_checkins(pvhcc_a, talk, items)  # uploaded twice
    assert Invitation.objects.filter(event=talk, kind="walk_in").count() == 1
    assert Attendance.objects.filter(event=talk).count() == 3
    contacts = Contact.objects.filter(activity=talk.activity if talk.activity else None)
    talk.refresh_from_db()
    contacts = Contact.objects.filter(activity=talk.activity)
    assert contacts.count() == 2 and set(contacts.values_list("channel", flat=True)) == {"meeting"}
    after = _value(commune_a, "residents_reached")
    assert before[0] == 0 and visited[0] > 0
    assert after[0] - visited[0] == 4  # only the second household's 4 residents are new


def test_missing_officials_and_makeup_session(commune_a, data_a, office, pvhcc_a):
    event = _event(pvhcc_a, commune_a, office)
    services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    codes = _codes(event)
    services.sync_checkins(pvhcc_a, event, [_scan(c) for c in codes[:5]])
    period = P.parse("2026")
    today = timezone.localdate()
    missing = selectors.missing_officials(commune_a, period, today)
    numerator, denominator = _value(commune_a, "officials_informed")
    # The list agrees with the indicator: those informed + those missing = every official counted.
    assert (missing.informed, missing.eligible) == (numerator, denominator)
    assert missing.informed == 5 and len(missing.people) == denominator - 5
    makeup = services.create_makeup_session(pvhcc_a, commune_a, period, starts_at=_at(14))
    invited = set(Invitation.objects.filter(event=makeup).values_list("staff_id", flat=True))
    assert invited == {row["staff"].pk for row in missing.people}
    services.sync_checkins(pvhcc_a, makeup, [_scan(c) for c in _codes(makeup)])
    assert _value(commune_a, "officials_informed") == (denominator, denominator)
    assert not selectors.missing_officials(commune_a, period, today).people
    with pytest.raises(ValidationError):
        services.create_makeup_session(pvhcc_a, commune_a, period)


def test_sign_in_sheet_import(commune_a, data_a, office, pvhcc_a):
    event = _event(pvhcc_a, commune_a, office)
    services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    code = _codes(event)[0]
    sheet = (f"Mã mời,Họ và tên,Đơn vị\n{code},,\n,Cán bộ 03,\n,Nguyễn Văn Khách,Hợp tác xã Nam Cường\n").encode()
    result = services.import_sheet(pvhcc_a, event, data=sheet, file_name="ky-ten.csv")
    assert result.counted == 3
    assert services.import_sheet(pvhcc_a, event, data=sheet, file_name="ky-ten.csv").counted == 0  # same sheet again
    assert Invitation.objects.filter(event=event, kind="walk_in").count() == 1
    with pytest.raises(ValidationError):
        services.import_sheet(pvhcc_a, event, data=b"M\xc3\xa3 h\xe1\xbb\x99\nKHONG-CO\n", file_name="x.csv")


def test_national_days_proposed_once(commune_a, data_a, office, pvhcc_a):
    keys = [p["key"] for p in services.proposals(commune_a, 2027)]
    assert keys == ["national:science_day:2027", "national:innovation_day:2027", "national:digital_day:2027"]
    event = services.create_national_event(pvhcc_a, commune_a, "national:digital_day:2027")
    assert event.day == dt.date(2027, 10, 10) and event.open_registration
    assert "national:digital_day:2027" not in [p["key"] for p in services.proposals(commune_a, 2027)]
    with pytest.raises(ValidationError):
        services.create_national_event(pvhcc_a, commune_a, "national:digital_day:2027")


def test_door_api_sync_is_idempotent_and_scoped(commune_a, commune_b, data_a, data_b, office, pvhcc_a):
    event = _event(pvhcc_a, commune_a, office)
    services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    client = Client(enforce_csrf_checks=False)
    client.force_login(pvhcc_a)
    door = client.get(f"/api/v1/events/{event.pk}/door").json()
    assert len(door["invitations"]) == 10 and door["invitations"][0]["name"].startswith("Cán bộ")
    body = {"device": "phone-1", "items": [_scan(door["invitations"][0]["code"], uuid.uuid4())]}
    for expected in ("ok", "already"):
        answer = client.post(f"/api/v1/events/{event.pk}/checkins", json.dumps(body), content_type="application/json")
        assert answer.status_code == 200 and answer.json()["results"][0]["status"] == expected
    other = make_user("pvhcc_b", roles.PVHCC, commune=commune_b)
    client.force_login(other)
    assert client.get(f"/api/v1/events/{event.pk}/door").status_code == 404
    # The public pages: the invitation (its QR holds the link with the code) and the door page itself.
    code = door["invitations"][1]["code"]
    page = Client().get(reverse("events:invitation_public", kwargs={"token": code}))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    client.force_login(pvhcc_a)
    assert client.get(reverse("events:door", kwargs={"event_id": event.pk})).status_code == 200
    pdf = client.get(reverse("events:sheet_pdf", kwargs={"event_id": event.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Household.objects.filter(commune=commune_a).count() == 2


def test_certificate_and_report_paragraph(commune_a, data_a, office, pvhcc_a):
    event = _event(pvhcc_a, commune_a, office, starts_at=_at(8, dt.date(2026, 11, 10)))
    services.invite_officials(pvhcc_a, event, unit_ids=[office["unit"].pk])
    first, second = Invitation.objects.filter(event=event).order_by("pk")[:2]
    services.sync_checkins(pvhcc_a, event, [_scan(first.code)])
    client = Client()
    client.force_login(pvhcc_a)
    pdf = client.get(reverse("events:certificate", kwargs={"invitation_id": first.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.get(reverse("events:certificate", kwargs={"invitation_id": first.pk}))
    assert again.status_code == 200
    from lantoa.tenancy import certificates

    issued = list(certificates.of_subject(Attendance.objects.get(invitation=first)))
    assert len(issued) == 1 and issued[0].holder == first.staff.full_name  # issued once
    page = Client().get(reverse("certificate_verify", args=[issued[0].code]))
    assert page.status_code == 200 and first.staff.full_name in page.content.decode()
    # Someone absent gets none.
    refused = client.get(reverse("events:certificate", kwargs={"invitation_id": second.pk}), follow=True)
    assert not certificates.of_subject(second).exists() and refused.status_code == 200
    from lantoa.events import reporting

    facts = reporting.facts(commune_a, dt.date(2026, 1, 1), dt.date(2026, 11, 18))
    assert (facts["held"], facts["attendances"], facts["officials"], facts["invited"]) == (1, 1, 1, 10)
    text = " ".join(reporting.paragraph(facts))
    assert "tổ chức 1 sự kiện (1 hội nghị)" in text and "1 cán bộ, công chức, viên chức" in text
    # A cut-off before the event's day: nothing yet.
    assert reporting.facts(commune_a, dt.date(2026, 1, 1), dt.date(2026, 11, 9))["held"] == 0
    assert reporting.paragraph(reporting.facts(commune_a, dt.date(2026, 1, 1), dt.date(2026, 11, 9))) == []


def test_pages_create_register_and_refuse_other_roles(commune_a, data_a, office, pvhcc_a):
    client = Client()
    client.force_login(pvhcc_a)
    answer = client.post(
        reverse("events:create", kwargs={"commune_id": commune_a.pk}),
        {
            "title": "Tọa đàm chuyển đổi số",
            "kind": "seminar",
            "starts_at": "2026-11-25T08:00",
            "unit": office["unit"].pk,
            "task": office["task"].pk,
            "capacity": 1,
            "open_registration": "on",
        },
    )
    event = Event.objects.get(title="Tọa đàm chuyển đổi số")
    assert answer.status_code == 302 and event.capacity == 1 and event.open_registration
    assert (
        "Tọa đàm chuyển đổi số"
        in client.get(reverse("events:commune", kwargs={"commune_id": commune_a.pk})).content.decode()
    )
    public = Client()
    url = reverse("events:register", kwargs={"token": event.public_token})
    first = public.post(url, {"name": "Lò Văn Một"})
    second = public.post(url, {"name": "Lò Văn Hai", "phone": "0912000333"}, follow=True)
    assert first.status_code == 302 and "danh sách chờ" in second.content.decode()
    assert list(Invitation.objects.filter(event=event).order_by("pk").values_list("status", flat=True)) == [
        "invited",
        "waitlisted",
    ]
    assert public.post(url, {"name": "", "phone": "abc"}).status_code == 200  # errors shown, nothing saved
    assert Invitation.objects.filter(event=event).count() == 2
    # A script filling the list from one connection is stopped, in Vietnamese, and nothing more is written.
    for number in range(views.REGISTRATIONS_PER_HOUR - 3):
        public.post(url, {"name": f"Tên giả {number}"})
    saved = Invitation.objects.filter(event=event).count()
    refused = public.post(url, {"name": "Tên giả nữa"})
    assert refused.status_code == 429 and "Quá nhiều lượt đăng ký" in refused.content.decode()
    assert Invitation.objects.filter(event=event).count() == saved
    editor = make_user("ed2", roles.EDITOR, commune=commune_a)
    client.force_login(editor)
    assert client.get(reverse("events:event", kwargs={"event_id": event.pk})).status_code == 403
    assert client.get(reverse("events:door", kwargs={"event_id": event.pk})).status_code == 403


def test_an_event_is_changed_and_cancelled_from_its_page_unless_people_came(commune_a, data_a, office, pvhcc_a):
    event = services.create_event(
        pvhcc_a, commune_a, title="Hội nghị dự kiến", kind="conference", starts_at=timezone.now(), unit=office["unit"]
    )
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(reverse("events:edit", kwargs={"event_id": event.pk}))
    assert page.status_code == 200 and "Hội nghị dự kiến" in page.content.decode()
    saved = client.post(
        reverse("events:edit", kwargs={"event_id": event.pk}),
        {
            "title": "Hội nghị quán triệt (đổi giờ)",
            "kind": "conference",
            "starts_at": "2026-11-20T14:00",
            "place": "Hội trường",
        },
    )
    event.refresh_from_db()
    assert saved.status_code == 302 and event.title == "Hội nghị quán triệt (đổi giờ)" and event.place == "Hội trường"
    # An editor of the column may not change it.
    client_b = Client()
    client_b.force_login(make_user("ed3", roles.EDITOR, commune=commune_a))
    assert client_b.post(reverse("events:cancel_event", kwargs={"event_id": event.pk})).status_code == 403

    held = services.create_event(pvhcc_a, commune_a, title="Đã họp", kind="conference", starts_at=timezone.now())
    invited = services.invite_guest(pvhcc_a, held, name="Khách mời")
    services.check_in_by_code(pvhcc_a, held, invited.code)
    answer = client.post(reverse("events:cancel_event", kwargs={"event_id": held.pk}), follow=True)
    held.refresh_from_db()
    assert held.status != Event.Status.CANCELLED and "không thể hủy" in answer.content.decode()

    client.post(reverse("events:cancel_event", kwargs={"event_id": event.pk}))
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and not event.open_registration
