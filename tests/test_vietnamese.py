"""Vietnamese for everyone, whatever the browser says; people named family name first; histories in words."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.admin.utils import get_user_display_name
from wagtail.users.models import UserProfile

from lantoa.plans.models import Plan, SolutionGroup, Task
from lantoa.tenancy import names, roles, services
from lantoa.tenancy.models import Staff

from .conftest import make_user
from .untranslated import english_on

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _text(response) -> str:
    return BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")


def test_a_browser_set_to_english_gets_vietnamese_and_only_the_profile_changes_it(commune_a, pvhcc_a):
    client = Client(**ENGLISH_BROWSER)
    login = client.get("/admin/login/")
    assert "Mật khẩu" in _text(login) and english_on(login.content.decode()) == []
    client.force_login(pvhcc_a)
    assert "Hộ gia đình" in _text(client.get("/admin/snippets/tenancy/household/"))
    # A language cookie left on a shared office PC by someone else does not turn a signed-in user's screens English.
    client.cookies["django_language"] = "en"
    assert "Hộ gia đình" in _text(client.get("/admin/snippets/tenancy/household/"))
    dashboard = f"/reach/communes/{commune_a.pk}/"
    assert english_on(client.get(dashboard).content.decode()) == []
    # The user's own choice in their profile does, on Wagtail's screens and on the apps' own pages alike.
    profile = UserProfile.get_for_user(pvhcc_a)
    profile.preferred_language = "en"
    profile.save()
    assert "Households" in _text(client.get("/admin/snippets/tenancy/household/"))
    assert len(english_on(client.get(dashboard).content.decode())) > 5


def test_names_print_family_name_first_everywhere(commune_a, pvhcc_a):
    user, _password = services.create_login(
        pvhcc_a, commune_a, username="toan", full_name="lường văn toàn", role_codes=[roles.UNIT]
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert (user.first_name, user.last_name) == ("Toàn", "Lường Văn")  # the user form's Tên and Họ
    assert user.get_full_name() == "Lường Văn Toàn" == names.full_name(user) == services.full_name_of(user)
    assert names.full_name(get_user_model()(username="khach")) == "khach" and names.full_name(None) == ""
    # Wagtail names people on its screens (history, workflow, page owners) through get_user_display_name.
    assert get_user_display_name(user) == "Lường Văn Toàn"
    client = Client()
    client.force_login(pvhcc_a)
    logins = client.get(f"/admin/tai-khoan/?commune={commune_a.pk}").content.decode()
    assert "Lường Văn Toàn" in logins and "Toàn Lường Văn" not in logins


def test_histories_read_in_vietnamese_with_labels_names_and_yes_no(commune_a):
    pvhcc = make_user("pvhcc_a", roles.PVHCC, commune=commune_a)
    pvhcc.first_name, pvhcc.last_name = "Hạnh", "Nông Thị"
    pvhcc.save()
    plan = Plan.objects.create(commune=commune_a, title="Kế hoạch thử", year=2026, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm 1")
    unit = services.ensure_unit(commune_a, "Phòng Văn hoá - Xã hội")
    task = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", title="Tuyên truyền", order=1)
    task.lead_units.add(unit)
    staff = Staff.objects.create(commune=commune_a, unit=unit, full_name="Lò Văn Pả", on_comms_duty=False)
    client = Client(**ENGLISH_BROWSER)
    client.force_login(pvhcc)
    response = client.post(
        f"/admin/snippets/tenancy/staff/edit/{staff.pk}/",
        {
            "full_name": "Lò Văn Pả",
            "position": "",
            "unit": unit.pk,
            "category": staff.category,
            "on_comms_duty": "on",
            "start_date": "",
            "end_date": "",
            "version": staff.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    history = client.get(f"/admin/snippets/tenancy/staff/history/{staff.pk}/")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in BeautifulSoup(history.content.decode(), "html.parser").select("#audit-trail-heading ~ table tr")
    ]
    changed = [row for row in rows if row and row[2] == "đã sửa"]
    assert ["Nông Thị Hạnh", "đã sửa", "Phụ trách truyền thông", "Không", "Có"] in [r[1:] for r in changed]
    page = client.get(f"/admin/plans/tasks/{task.pk}/")
    assert page.status_code == 200
    text = _text(page)
    for raw in ("None", "plans.Activity.None", "lead_units", "True", "False"):
        assert raw not in text.split(), raw
    assert "plans.Activity.None" not in text and "lead_units" not in text
    assert english_on(history.content.decode()) == [] and english_on(page.content.decode()) == []
