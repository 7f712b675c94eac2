"""People who come and go: dated household changes, staff dates, the roster re-import, and the cut-off in the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.reach import measure, selectors, services
from lantoa.reach import periods as P
from lantoa.reach.models import Briefing, RosterImport, TrainingCompletion, TrainingCourse
from lantoa.tenancy import roles
from lantoa.tenancy.models import Household, HouseholdChange, Staff
from lantoa.tenancy.services import delete_record, record_household_change

from ..conftest import make_user
from .test_imports import HEADER, xlsx

pytestmark = pytest.mark.django_db

H1 = P.parse("2026S1")


def _figure(commune, code, period=H1, today=None):
    return measure.compute([commune.pk], [period], today)[(commune.pk, period.code)][code]


def _visit(user, activity, household, day):
    services.record_contacts_bulk(
        user, activity=activity, rows=[{"channel": "visit", "date": day, "household_id": household.pk}]
    )


def test_build_report_cutoff_counts_only_the_contacts_up_to_that_day(commune_a, data_a, visit_activity, pvhcc_a):
    early, late = data_a["households"]  # 3 and 4 members
    _visit(pvhcc_a, visit_activity, early, dt.date(2026, 3, 2))
    _visit(pvhcc_a, visit_activity, late, dt.date(2026, 6, 20))
    fig = _figure(commune_a, "residents_reached", today=dt.date(2026, 6, 14))
    assert (fig.numerator, fig.denominator) == (3, 7)  # the visit of 20/6 is after the cut-off
    assert (_figure(commune_a, "residents_reached").numerator, _figure(commune_a, "residents_reached").value) == (
        7,
        100.0,
    )


def test_a_household_change_is_checked_and_dated(commune_a, data_a, pvhcc_a):
    hh = data_a["households"][0]  # 3 members
    with pytest.raises(ValidationError) as exc:
        record_household_change(pvhcc_a, hh, kind="born", date=dt.date(2026, 5, 1), members_after=2)
    assert "nhiều nhân khẩu hơn" in " ".join(exc.value.messages)
    record_household_change(pvhcc_a, hh, kind="born", date=dt.date(2026, 5, 1), members_after=4)
    with pytest.raises(ValidationError) as exc:
        record_household_change(pvhcc_a, hh, kind="deceased", date=dt.date(2026, 4, 1), members_after=3)
    assert "01/05/2026" in " ".join(exc.value.messages)  # changes are recorded in the order they happened
    hh.refresh_from_db()
    assert hh.members == 4
    assert _figure(commune_a, "residents_reached", today=dt.date(2026, 4, 30)).denominator == 7
    assert _figure(commune_a, "residents_reached", today=dt.date(2026, 5, 1)).denominator == 8
    oversight = make_user("mttq", roles.OVERSIGHT, commune=commune_a)
    with pytest.raises(PermissionDenied):
        record_household_change(oversight, hh, kind="moved_out", date=dt.date(2026, 7, 1))
    change = HouseholdChange.objects.get(household=hh)
    assert (change.members_before, change.members_after, change.recorded_by) == (3, 4, pvhcc_a)


def test_a_household_with_contacts_cannot_be_deleted_it_moves_out(commune_a, data_a, visit_activity, pvhcc_a):
    reached, other = data_a["households"]
    _visit(pvhcc_a, visit_activity, reached, dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as exc:
        delete_record(pvhcc_a, reached)
    assert "Chuyển đi" in exc.value.messages[0] and reached.code in exc.value.messages[0]
    assert Household.objects.filter(pk=reached.pk).exists()
    delete_record(pvhcc_a, other)  # never reached: it may go
    assert not Household.objects.filter(pk=other.pk).exists()


def test_the_back_office_refuses_the_deletion_and_records_a_change(client, commune_a, data_a, visit_activity, pvhcc_a):
    hh = data_a["households"][0]
    _visit(pvhcc_a, visit_activity, hh, dt.date(2026, 3, 2))
    client.force_login(pvhcc_a)
    response = client.post(f"/admin/snippets/tenancy/household/delete/{hh.pk}/", follow=True)
    assert "Chuyển đi" in response.content.decode() and Household.objects.filter(pk=hh.pk).exists()
    response = client.post(
        "/admin/snippets/tenancy/householdchange/add/",
        {
            "commune": commune_a.pk,
            "household": hh.pk,
            "kind": "moved_out",
            "date": "2026-09-01",
            "members_after": 0,
            "note": "Chuyển vào TP. Hồ Chí Minh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hh.refresh_from_db()
    assert hh.left_on == dt.date(2026, 9, 1)
    edit = client.get(f"/admin/snippets/tenancy/household/edit/{hh.pk}/").content.decode()
    assert 'name="members"' in edit and "disabled" in edit.split('name="members"')[1].split(">")[0]
    # H1 keeps the household; the year (cut-off today, after 1/9) no longer counts it.
    assert _figure(commune_a, "residents_reached").denominator == 7
    assert _figure(commune_a, "residents_reached", P.parse("2026")).denominator == 4


def test_staff_count_while_they_serve_and_trained_staff_follow_the_plan(commune_a, data_a):
    Staff.objects.filter(commune=commune_a).delete()
    keep = Staff.objects.create(commune=commune_a, full_name="Cán bộ A", category="cadre", on_comms_duty=True)
    Staff.objects.create(
        commune=commune_a, full_name="Nghỉ hưu", category="civil_servant", end_date=dt.date(2026, 7, 31)
    )
    Staff.objects.create(
        commune=commune_a, full_name="Mới về", category="civil_servant", start_date=dt.date(2026, 8, 1)
    )
    Staff.objects.create(commune=commune_a, full_name="Viên chức", category="public_employee", on_comms_duty=True)
    Staff.objects.create(commune=commune_a, full_name="Không chuyên trách", category="non_specialised")
    briefing = Briefing.objects.create(commune=commune_a, title="Hội nghị quán triệt", date=dt.date(2026, 3, 10))
    briefing.attendees.set(Staff.objects.filter(commune=commune_a))
    assert _figure(commune_a, "officials_informed").denominator == 3  # the one who starts in August is not there
    year = P.parse("2026")
    assert _figure(commune_a, "officials_informed", year).denominator == 3  # the one who retired in July is gone
    course = TrainingCourse.objects.create(commune=commune_a, title="Kỹ năng số", start_date=dt.date(2026, 4, 1))
    TrainingCompletion.objects.create(commune=commune_a, course=course, staff=keep, completed_on=dt.date(2026, 4, 5))
    trained = _figure(commune_a, "comms_staff_trained")
    assert (trained.numerator, trained.denominator) == (1, 1)  # the viên chức on comms duty is not counted
    row = next(r for r in selectors.indicator_values(commune_a, H1) if r["code"] == "comms_staff_trained")
    assert "cán bộ" in row["method_text"] and "công chức" in row["method_text"]


def test_a_roster_reimport_proposes_the_missing_households_as_moved_out(client, commune_a, pvhcc_a):
    first = xlsx([HEADER, ("Thôn A", "A-1", 3, "", ""), ("Thôn A", "A-2", 4, "", ""), ("Thôn A", "A-3", 2, "", "")])
    services.import_roster(pvhcc_a, commune=commune_a, data=first, file_name="ho-2025.xlsx")
    second = xlsx([HEADER, ("Thôn A", "A-1", 3, "", ""), ("Thôn A", "A-4", 5, "", "")])
    preview = services.import_roster(
        pvhcc_a, commune=commune_a, data=second, file_name="ho-2026.xlsx", as_of=dt.date(2026, 10, 1), dry_run=True
    )
    assert preview.summary["missing"] == ["A-2", "A-3"] and not HouseholdChange.objects.exists()
    client.force_login(pvhcc_a)
    response = client.post(
        f"/reach/communes/{commune_a.pk}/roster/",
        {"file": _upload(second, "ho-2026.xlsx"), "as_of": "2026-10-01"},
    )
    record = RosterImport.objects.latest("pk")
    assert response.status_code == 302 and record.summary["missing"] == ["A-2", "A-3"]
    page = client.get(f"/reach/roster-imports/{record.pk}/").content.decode()
    assert "A-2" in page and 'value="2026-10-01"' in page and "Ghi nhận đã chuyển đi" in page
    # Still counted until confirmed; the new household arrived on the roster's date.
    assert Household.objects.get(code="A-4").arrived_on == dt.date(2026, 10, 1)
    assert _figure(commune_a, "residents_reached", P.parse("2026Q3")).denominator == 9  # A-4 not yet there
    response = client.post(f"/reach/roster-imports/{record.pk}/", {"code": ["A-2"], "date": "2026-09-15"})
    assert response.status_code == 302
    assert Household.objects.get(code="A-2").left_on == dt.date(2026, 9, 15)
    assert Household.objects.get(code="A-3").left_on is None  # not ticked: still on the roster
    assert _figure(commune_a, "residents_reached", P.parse("2026Q3")).denominator == 5  # on 30/9
    assert _figure(commune_a, "residents_reached", P.parse("2026Q2")).denominator == 9  # the past stays
    assert RosterImport.objects.get(pk=record.pk).summary["moved_out"] == ["A-2"]


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_dashboard_api_and_drill_down_take_the_cutoff(client, commune_a, data_a, visit_activity, pvhcc_a):
    early, late = data_a["households"]
    _visit(pvhcc_a, visit_activity, early, dt.date(2026, 3, 2))
    _visit(pvhcc_a, visit_activity, late, dt.date(2026, 6, 20))
    client.force_login(pvhcc_a)
    api = client.get(f"/api/v1/reach/communes/{commune_a.pk}/indicators?period=2026S1&as_of=2026-06-14").json()
    row = next(r for r in api if r["code"] == "residents_reached")
    assert (row["numerator"], row["denominator"]) == (3, 7)
    page = client.get(f"/reach/communes/{commune_a.pk}/?period=2026S1&as_of=2026-06-14").content.decode()
    assert "14/06/2026" in page and "as_of=2026-06-14" in page
    drill = client.get(
        f"/reach/communes/{commune_a.pk}/figure/?indicator=residents_reached&period=2026S1&part=numerator"
        "&as_of=2026-06-14"
    ).content.decode()
    assert early.code in drill and late.code not in drill
    hamlets = client.get(f"/api/v1/reach/communes/{commune_a.pk}/hamlets?period=2026S1&as_of=2026-06-14").json()
    assert hamlets[0]["residents_reached"] == 3
