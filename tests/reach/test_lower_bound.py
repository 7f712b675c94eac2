"""People recorded as reached, the lower bound beside residents reached, and the province's choice of headline.

A small fixture counted by hand: household AAA-0001 (3 members) met twice with 2 people each time (4 recorded,
capped at 3), AAA-0002 (4 members) visited once by 1 person plus an old contact recorded with 0 people (counted
as 1): 3 + 2 = 5 people recorded, against 7 residents of the households reached, out of 7 residents.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from lantoa.reach import measure, selectors, services
from lantoa.reach import periods as P
from lantoa.reach.api import IndicatorOut
from lantoa.reach.models import Contact
from lantoa.tenancy import roles
from lantoa.tenancy.models import Province
from lantoa.tenancy.services import record_household_change, set_residents_headline

from ..conftest import make_user

pytestmark = pytest.mark.django_db

H1 = P.parse("2026S1")


@pytest.fixture
def recorded(commune_a, data_a, visit_activity, pvhcc_a):
    first, second = data_a["households"]

    def visit(household, day, people, channel="visit"):
        return services.record_contact(
            pvhcc_a, activity=visit_activity, channel=channel, date=day, household=household, people=people
        )

    visit(first, dt.date(2026, 3, 2), 2)
    visit(first, dt.date(2026, 4, 9), 2, channel="meeting")
    visit(second, dt.date(2026, 3, 5), 1)
    legacy = visit(second, dt.date(2026, 5, 20), 1)
    Contact.objects.filter(pk=legacy.pk).update(people=0)  # recorded before "0 people" was refused
    # Neither attributable nor in the first half: they never count in H1.
    services.record_contact(
        pvhcc_a, activity=visit_activity, channel="board", date=dt.date(2026, 3, 6), hamlet=data_a["hamlet"], people=40
    )
    visit(second, dt.date(2026, 7, 10), 3)
    return {"first": first, "second": second, "pvhcc": pvhcc_a}


def _figures(commune, period, today=None):
    return measure.compute([commune.pk], [period], today)[(commune.pk, period.code)]


def test_the_lower_bound_equals_a_hand_count_and_never_exceeds_the_households_residents(commune_a, recorded):
    figs = _figures(commune_a, H1)
    lower, reached = figs["residents_recorded"], figs["residents_reached"]
    assert (lower.numerator, lower.denominator, lower.value) == (5, 7, 71.4)
    assert (reached.numerator, reached.denominator) == (7, 7)  # households' residents: the default headline
    assert reached.detail["household_residents"] == 7 and reached.detail["people_recorded"] == 5
    assert lower.numerator <= reached.detail["household_residents"]
    # The year adds July's visit of 3 people: AAA-0002 now has 5 recorded, capped at its 4 members.
    year = _figures(commune_a, P.parse("2026"))
    assert year["residents_recorded"].numerator == 3 + 4 <= year["residents_reached"].numerator == 7


def test_the_lower_bound_respects_the_cut_off(commune_a, recorded, pvhcc_a):
    # As of 31 March: two visits of March only (2 people of AAA-0001, 1 of AAA-0002).
    march = _figures(commune_a, H1, dt.date(2026, 3, 31))["residents_recorded"]
    assert (march.numerator, march.detail["cutoff"]) == (3, "2026-03-31")
    # A member of AAA-0001 dies in June: on 31/5 the cap is 3, on 30/6 it is 2; the household stays reached.
    record_household_change(pvhcc_a, recorded["first"], kind="deceased", date=dt.date(2026, 6, 3), members_after=2)
    assert _figures(commune_a, H1, dt.date(2026, 5, 31))["residents_recorded"].numerator == 3 + 2
    end = _figures(commune_a, H1)
    assert (end["residents_recorded"].numerator, end["residents_recorded"].denominator) == (2 + 2, 6)
    assert end["residents_reached"].numerator == 6


def test_the_province_chooses_the_headline_for_all_its_communes(commune_a, recorded):
    province = commune_a.province
    rows = {r["code"]: r for r in selectors.indicator_values(commune_a, H1)}
    head = rows["residents_reached"]
    assert head["numerator"] == 7 and head["headline_method"] == "households"
    assert "hộ được tiếp cận (mọi thành viên đều được tính)" in head["method_text"]
    assert rows["residents_recorded"]["companion_of"] == "residents_reached"
    assert rows["residents_recorded"]["numerator"] == 5

    root = make_user("quantri", password="Mk-kiem-thu-57!")
    root.is_superuser = True
    root.save()
    set_residents_headline(root, province, Province.ResidentsHeadline.RECORDED)
    rows = {r["code"]: r for r in selectors.indicator_values(commune_a, H1)}
    head = rows["residents_reached"]
    assert (head["numerator"], head["value"], head["headline_method"]) == (5, 71.4, "recorded")
    assert "số người được ghi nhận đã tiếp cận" in head["method_text"]
    assert "tối đa bằng số thành viên của hộ" in head["numerator_text"]
    api = IndicatorOut.model_validate(head)
    assert api.headline_method == "recorded" and api.method_text == head["method_text"]
    # The province's total pools the communes' headline figures.
    total = selectors.province_comparison([commune_a], H1)["total"]["residents_reached"]
    assert total["numerator"] == 5


def test_only_the_provinces_staff_or_an_administrator_may_choose(commune_a, commune_b, recorded, pvhcc_a):
    province = commune_a.province
    for outsider in (
        pvhcc_a,
        make_user("lanhdao", *roles.COMMUNE_ROLES, commune=commune_a),
        make_user("tinh_khac", roles.PROVINCE, province=commune_b.province),
    ):
        with pytest.raises(PermissionDenied):
            set_residents_headline(outsider, province, Province.ResidentsHeadline.RECORDED)
    staff = make_user("tinh", roles.PROVINCE, province=province)
    with pytest.raises(ValidationError):
        set_residents_headline(staff, province, "half")
    province.refresh_from_db()
    assert province.residents_headline == Province.ResidentsHeadline.HOUSEHOLDS
    # A commune user sees no form on the province page and a POST is refused.
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(reverse("reach:province"))
    assert page.status_code == 200 and 'name="residents_headline"' not in page.content.decode()
    assert client.post(reverse("reach:province"), {"residents_headline": "recorded"}).status_code == 403


def test_the_dashboard_follows_the_provinces_choice(commune_a, recorded):
    province = commune_a.province
    staff = make_user("tinh", roles.PROVINCE, province=province)
    client = Client()
    client.force_login(staff)
    url = reverse("reach:dashboard", kwargs={"commune_id": commune_a.pk}) + "?period=2026S1"
    html = client.get(url).content.decode()
    assert "Chỉ số chính do tỉnh chọn: số người dân của các hộ được tiếp cận." in html
    assert "Số người được ghi nhận đã tiếp cận (cận dưới)" in html and "(5 / 7)" in html
    page = client.get(reverse("reach:province"), {"province": province.pk})
    assert 'name="residents_headline"' in page.content.decode()
    done = client.post(
        reverse("reach:province") + f"?province={province.pk}", {"residents_headline": "recorded"}, follow=True
    )
    assert done.status_code == 200 and "cho mọi xã" in done.content.decode()
    province.refresh_from_db()
    assert province.residents_headline == "recorded"
    html = client.get(url).content.decode()
    card = html.split('id="residents_reached"')[1].split("</section>")[0]
    assert "71,4%" in card.split('class="companion')[0]  # the headline is now the lower bound
    assert "Số người dân của các hộ được tiếp cận: 7." in card
    methods = client.get(reverse("reach:methods", kwargs={"commune_id": commune_a.pk})).content.decode()
    assert "Chỉ số chính do tỉnh chọn: số người được ghi nhận đã tiếp cận, là cận dưới" in methods
    # The records behind the lower bound: per household, its members, the people recorded and what counts.
    drill = client.get(
        reverse("reach:figure", kwargs={"commune_id": commune_a.pk}),
        {"indicator": "residents_recorded", "period": "2026S1", "part": "numerator"},
    ).content.decode()
    assert recorded["first"].code in drill and recorded["second"].code in drill
