"""The visit form on a phone in a hamlet (issue 12.5): only the team's own hamlets, search by household code (by
name only for a role allowed to see personal data, each name shown logged), a save button that stays in view,
the user's recent visits and an undo of a visit just saved."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.reach import selectors, services
from lantoa.reach.models import Contact
from lantoa.tenancy import roles
from lantoa.tenancy.models import Hamlet, Household, PeriodLock, PersonalDataAccess, Staff

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(commune_a, data_a):
    """A team member in charge of the hamlet of data_a only; the commune has a second hamlet."""
    user = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    staff = Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=user)
    staff.hamlets.set([data_a["hamlet"]])
    other = Hamlet.objects.create(commune=commune_a, name="Thôn Ngoài Phụ Trách")
    Household.objects.create(commune=commune_a, hamlet=other, code="NGOAI-0001", members=2)
    client = Client()
    client.force_login(user)
    return {"user": user, "client": client, "other": other}


def _form(hamlet) -> str:
    return reverse("reach:visit_form", kwargs={"hamlet_id": hamlet.pk})


def _save(client, hamlet, activity, households):
    return client.post(
        _form(hamlet),
        {"activity": activity.pk, "date": timezone.localdate().isoformat(), "household": [h.pk for h in households]},
    )


def test_the_team_sees_and_records_only_its_own_hamlets(commune_a, data_a, visit_activity, team):
    page = team["client"].get(reverse("reach:visit_hamlets", kwargs={"commune_id": commune_a.pk})).content.decode()
    assert data_a["hamlet"].name in page and team["other"].name not in page
    assert team["client"].get(_form(team["other"])).status_code == 404
    assert _save(team["client"], team["other"], visit_activity, []).status_code == 404
    with pytest.raises(Exception, match="phụ trách"):
        services.record_visits(
            team["user"],
            hamlet=team["other"],
            activity=visit_activity,
            date=timezone.localdate(),
            household_ids=[team["other"].households.get().pk],
        )
    # Someone in charge of no hamlet in particular (the focal point) sees them all.
    focal = make_user("pv", roles.PVHCC, commune=commune_a)
    assert [h.pk for h in selectors.tenancy.hamlets_in_charge(focal, commune_a).order_by("pk")] == [
        data_a["hamlet"].pk,
        team["other"].pk,
    ]


def test_the_form_fits_a_phone_save_stays_in_view_and_search_finds_codes(data_a, visit_activity, team):
    page = team["client"].get(_form(data_a["hamlet"])).content.decode()
    assert "<script" not in page and 'name="viewport"' in page
    assert 'class="savebar"' in page and "position:sticky" in page
    assert "Tìm hộ theo mã hộ" in page  # the team may search by code only
    found = team["client"].get(_form(data_a["hamlet"]), {"q": "0002"}).content.decode()
    assert data_a["households"][1].code in found and data_a["households"][0].code not in found
    # The team cannot find by name, and no name is ever shown to it.
    by_name = team["client"].get(_form(data_a["hamlet"]), {"q": "Nguyễn"}).content.decode()
    assert "Nguyễn Văn A" not in by_name and "Không có hộ nào phù hợp" in by_name
    assert not PersonalDataAccess.objects.exists()


def test_a_role_allowed_to_see_names_finds_by_name_and_each_name_is_logged(commune_a, data_a, pvhcc_a):
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(_form(data_a["hamlet"]), {"q": "nguyễn"}).content.decode()
    assert "Nguyễn Văn A" in page and data_a["households"][0].code in page
    assert data_a["households"][1].code not in page
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.household, access.fields) == (pvhcc_a, data_a["households"][0], "head_name")
    assert access.purpose == "Tìm hộ theo tên khi ghi lượt thăm"


def test_recent_visits_and_undo_within_ten_minutes(commune_a, data_a, visit_activity, team, clock):
    client = team["client"]
    assert _save(client, data_a["hamlet"], visit_activity, data_a["households"]).status_code == 302
    page = client.get(_form(data_a["hamlet"])).content.decode()
    assert "Lượt thăm bạn vừa ghi" in page and page.count(">Hoàn tác</button>") == 2
    assert 'href="#recent"' in page  # a jump from the top of a long list to the undo buttons
    visit = Contact.objects.get(household=data_a["households"][0])
    response = client.post(reverse("reach:undo_visit", kwargs={"contact_id": visit.pk}), follow=True)
    assert "Đã hoàn tác lượt thăm hộ AAA-0001." in response.content.decode()
    assert not Contact.objects.filter(pk=visit.pk).exists()
    entry = LogEntry.objects.get(object_pk=str(visit.pk), action=LogEntry.Action.DELETE)
    assert entry.actor == team["user"] and entry.changes_dict["household"][0] == "AAA-0001"
    row = next(
        r
        for r in selectors.indicator_values(commune_a, str(timezone.localdate().year))
        if r["code"] == "residents_reached"
    )
    assert row["numerator"] == 4  # the figures follow: only the 4 members of AAA-0002 are reached now
    # Eleven minutes later the other visit can no longer be undone.
    clock.shift(dt.timedelta(minutes=11))
    other = Contact.objects.get(household=data_a["households"][1])
    page = client.get(_form(data_a["hamlet"])).content.decode()
    assert ">Hoàn tác</button>" not in page and "AAA-0002" in page
    response = client.post(reverse("reach:undo_visit", kwargs={"contact_id": other.pk}), follow=True)
    assert "trong 10 phút" in response.content.decode()
    assert Contact.objects.filter(pk=other.pk).exists()


def test_undo_only_ones_own_visit_and_never_in_a_locked_period(commune_a, data_a, visit_activity, team, pvhcc_a):
    _save(team["client"], data_a["hamlet"], visit_activity, data_a["households"])
    first, second = Contact.objects.order_by("household__code")
    with pytest.raises(Exception, match="chính bạn ghi"):
        services.undo_visit(pvhcc_a, first)  # someone else's visit
    today = timezone.localdate()
    PeriodLock.objects.create(
        commune=commune_a,
        start=today - dt.timedelta(days=5),
        end=today,
        reference="9/BC-UBND",
        locked_at=timezone.now(),
    )
    response = team["client"].post(reverse("reach:undo_visit", kwargs={"contact_id": second.pk}), follow=True)
    assert "đã khoá" in response.content.decode()
    assert Contact.objects.count() == 2


def test_undo_is_scoped_to_the_users_communes(data_b, commune_b, team):
    from ..reach.conftest import make_activity, make_plan

    activity = make_activity(commune_b, make_plan(commune_b)["task"], data_b["unit"])
    other = Contact.objects.create(
        commune=commune_b,
        activity=activity,
        channel="visit",
        date=timezone.localdate(),
        household=data_b["households"][0],
    )
    response = team["client"].post(reverse("reach:undo_visit", kwargs={"contact_id": other.pk}))
    assert response.status_code == 404 and Contact.objects.filter(pk=other.pk).exists()
