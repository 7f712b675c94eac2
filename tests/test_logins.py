"""Administration without a shell: the focal point manages its commune's logins, the province onboards a commune."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from vietnam_provinces import Ward as VNWard

from lantoa.plans.models import CalendarFeed
from lantoa.tenancy import roles, selectors, services
from lantoa.tenancy.models import Commune, RoleGroup

from .conftest import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _roles_in(user, commune) -> set[str]:
    return set(RoleGroup.objects.filter(group__user=user, commune=commune).values_list("role", flat=True))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refused(response) -> bool:
    """Wagtail answers a refused admin page with a redirect to the landing page and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _temporary_password(response) -> str:
    return re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)


# --- Services -----------------------------------------------------------------------------------------------------


def test_the_focal_point_creates_a_login_with_commune_roles(commune_a, pvhcc_a):
    user, password = services.create_login(
        pvhcc_a, commune_a, username="bientap2", full_name="  nguyễn thị   lan ", role_codes=[roles.EDITOR]
    )
    user.refresh_from_db()
    assert (user.last_name, user.first_name) == ("Nguyễn Thị", "Lan")
    assert services.full_name_of(user) == "Nguyễn Thị Lan"
    assert user.check_password(password)
    assert _roles_in(user, commune_a) == {roles.EDITOR}
    assert services.must_change_password(user)


def test_the_focal_point_cannot_grant_a_province_or_superuser_role(commune_a, pvhcc_a):
    for role in (roles.PROVINCE, "superuser", "admin"):
        with pytest.raises(PermissionDenied):
            services.create_login(
                pvhcc_a, commune_a, username=f"x{len(role)}", full_name="Lê Văn Ba", role_codes=[role]
            )
    assert not User.objects.filter(username__startswith="x").exists()
    editor = make_user("bt", roles.EDITOR, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.set_login_roles(pvhcc_a, commune_a, editor, [roles.EDITOR, roles.PROVINCE])
    assert _roles_in(editor, commune_a) == {roles.EDITOR}
    assert not editor.groups.filter(role_group__role=roles.PROVINCE).exists()


def test_bad_input_gets_vietnamese_messages_and_writes_nothing(commune_a, pvhcc_a):
    make_user("trung", roles.UNIT, commune=commune_a)
    with pytest.raises(ValidationError) as exc:
        services.create_login(pvhcc_a, commune_a, username="TRUNG", full_name="", role_codes=[roles.UNIT])
    errors = exc.value.message_dict
    assert errors["username"] == ["Tên đăng nhập này đã có người dùng."]
    assert errors["full_name"] == ["Hãy nhập họ và tên của người dùng."]
    with pytest.raises(ValidationError):
        services.create_login(pvhcc_a, commune_a, username="có dấu cách", full_name="Lê Ba", role_codes=[roles.UNIT])
    assert User.objects.count() == 2


def test_a_focal_point_of_a_cannot_touch_the_logins_of_b(commune_a, commune_b, pvhcc_a):
    editor_b = make_user("bt_b", roles.EDITOR, commune=commune_b)
    for call in (
        lambda: services.create_login(pvhcc_a, commune_b, username="moi", full_name="Lê Ba", role_codes=["editor"]),
        lambda: services.set_login_roles(pvhcc_a, commune_b, editor_b, [roles.PVHCC]),
        lambda: services.set_login_roles(pvhcc_a, commune_a, editor_b, [roles.PVHCC]),
        lambda: services.deactivate_login(pvhcc_a, commune_b, editor_b),
        lambda: services.deactivate_login(pvhcc_a, commune_a, editor_b),
        lambda: services.reset_password(pvhcc_a, commune_a, editor_b),
    ):
        with pytest.raises(PermissionDenied):
            call()
    editor_b.refresh_from_db()
    assert editor_b.is_active and editor_b.check_password("Mk-kiem-thu-57!")
    assert _roles_in(editor_b, commune_a) == set()


def test_logins_that_reach_beyond_the_commune_are_left_to_the_province(commune_a, commune_b, pvhcc_a):
    both = make_user("hai_xa", roles.UNIT, commune=commune_a)
    services.grant_role(both, roles.UNIT, commune=commune_b)
    province = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    services.grant_role(province, roles.UNIT, commune=commune_a)
    admin = User.objects.create_superuser("quantri", password="x")
    for target in (both, province, admin, pvhcc_a):
        with pytest.raises(PermissionDenied):
            services.reset_password(pvhcc_a, commune_a, target)
    editor = make_user("bt", roles.EDITOR, commune=commune_a)
    for role in (roles.LEADERSHIP, roles.UNIT, roles.EDITOR):
        with pytest.raises(PermissionDenied):  # only the focal point (and an administrator) manages logins
            services.reset_password(make_user(f"u_{role}", role, commune=commune_a), commune_a, editor)


def test_roles_are_replaced_within_the_commune_only(commune_a, pvhcc_a):
    user, _password = services.create_login(
        pvhcc_a, commune_a, username="dv", full_name="Lê Văn Ba", role_codes=[roles.UNIT, roles.EDITOR]
    )
    services.set_login_roles(pvhcc_a, commune_a, user, [roles.DIGITAL_TEAM])
    assert _roles_in(user, commune_a) == {roles.DIGITAL_TEAM}
    with pytest.raises(ValidationError):
        services.set_login_roles(pvhcc_a, commune_a, user, [])
    assert _roles_in(user, commune_a) == {roles.DIGITAL_TEAM}


def test_deactivation_closes_the_login_and_revokes_its_links(commune_a, pvhcc_a):
    leader = make_user("lanhdao", roles.LEADERSHIP, commune=commune_a)
    client = _client(leader)
    page = client.post("/admin/plans/calendar/").content.decode()
    link = re.search(r"/plans/calendar/[\w-]+\.ics", page).group(0)
    assert Client().get(link).status_code == 200
    services.deactivate_login(pvhcc_a, commune_a, leader)
    leader.refresh_from_db()
    assert not leader.is_active
    assert CalendarFeed.objects.get().revoked_at is not None
    assert Client().get(link).status_code == 404
    assert client.get("/admin/").status_code == 302  # the open session ends too
    assert not Client().login(username="lanhdao", password="Mk-kiem-thu-57!")


# --- Pages --------------------------------------------------------------------------------------------------------


def test_the_focal_point_creates_a_login_and_the_user_must_set_a_password(commune_a, pvhcc_a):
    client = _client(pvhcc_a)
    listing = client.get("/admin/tai-khoan/")
    assert listing.status_code == 200
    assert "pvhcc_a" in listing.content.decode()
    response = client.post(
        "/admin/tai-khoan/them/",
        {"username": "tocns2", "full_name": "Hoàng Minh Đức", "roles": [roles.DIGITAL_TEAM]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = _temporary_password(response)
    assert "Hoàng Minh Đức" in response.content.decode()

    newcomer = Client()
    assert newcomer.login(username="tocns2", password=password)
    first = newcomer.get("/admin/")
    assert first.status_code == 302 and first["Location"] == "/admin/mat-khau-moi/"
    assert newcomer.get("/plans/").status_code == 302
    form = newcomer.get("/admin/mat-khau-moi/")
    assert form.status_code == 200 and "Đặt mật khẩu của bạn" in form.content.decode()
    short = newcomer.post("/admin/mat-khau-moi/", {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200  # refused: the temporary password still holds
    assert newcomer.get("/admin/").status_code == 302
    new = "Lan-toa-xa-2026!"
    done = newcomer.post("/admin/mat-khau-moi/", {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert newcomer.get("/admin/").status_code == 200  # still signed in, no more redirect
    assert Client().login(username="tocns2", password=new)


def test_reset_password_forces_a_new_one_and_ends_open_sessions(commune_a, pvhcc_a):
    editor = make_user("bt", roles.EDITOR, commune=commune_a)
    editor_session = _client(editor)
    assert editor_session.get("/admin/").status_code == 200
    response = _client(pvhcc_a).post("/admin/tai-khoan/dat-lai-mat-khau/", {"user": editor.pk})
    password = _temporary_password(response)
    assert editor_session.get("/admin/").status_code == 302
    assert "login" in editor_session.get("/admin/")["Location"]
    fresh = Client()
    assert fresh.login(username="bt", password=password)
    assert fresh.get("/admin/")["Location"] == "/admin/mat-khau-moi/"


def test_the_focal_point_changes_roles_and_closes_a_login_from_the_list(commune_a, pvhcc_a):
    editor = make_user("bt", roles.EDITOR, commune=commune_a)
    client = _client(pvhcc_a)
    form = client.get(f"/admin/tai-khoan/vai-tro/?user={editor.pk}")
    assert form.status_code == 200
    saved = client.post("/admin/tai-khoan/vai-tro/", {"user": editor.pk, "roles": [roles.UNIT, roles.EDITOR]})
    assert saved.status_code == 302
    assert _roles_in(editor, commune_a) == {roles.UNIT, roles.EDITOR}
    escalate = client.post("/admin/tai-khoan/vai-tro/", {"user": editor.pk, "roles": [roles.PROVINCE]})
    assert escalate.status_code == 200  # not a choice of the form
    assert _roles_in(editor, commune_a) == {roles.UNIT, roles.EDITOR}
    assert client.post("/admin/tai-khoan/khoa/", {"user": editor.pk}).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    assert "Đã khóa" in client.get("/admin/tai-khoan/").content.decode()
    reopened = client.post("/admin/tai-khoan/mo-lai/", {"user": editor.pk})
    password = _temporary_password(reopened)
    editor.refresh_from_db()
    assert editor.is_active and editor.check_password(password) and services.must_change_password(editor)


def test_pages_refuse_other_roles_and_other_communes_logins(commune_a, commune_b, pvhcc_a):
    editor_b = make_user("bt_b", roles.EDITOR, commune=commune_b)
    client = _client(pvhcc_a)
    assert editor_b.username not in client.get("/admin/tai-khoan/").content.decode()
    assert client.get(f"/admin/tai-khoan/vai-tro/?user={editor_b.pk}").status_code == 404
    for url in ("/admin/tai-khoan/khoa/", "/admin/tai-khoan/dat-lai-mat-khau/", "/admin/tai-khoan/mo-lai/"):
        assert client.post(url, {"user": editor_b.pk}).status_code == 404
    assert editor_b.username not in client.get(f"/admin/tai-khoan/?commune={commune_b.pk}").content.decode()
    editor_b.refresh_from_db()
    assert editor_b.is_active
    for role in (roles.LEADERSHIP, roles.EDITOR, roles.UNIT, roles.DIGITAL_TEAM, roles.OVERSIGHT):
        other = _client(make_user(f"u_{role}", role, commune=commune_a))
        assert _refused(other.get("/admin/tai-khoan/"))
        assert "/admin/tai-khoan/" not in other.get("/admin/").content.decode()  # no menu link either
    province = _client(make_user("tinh", roles.PROVINCE, province=commune_a.province))
    assert _refused(province.get("/admin/tai-khoan/"))
    assert "/admin/tai-khoan/" in client.get("/admin/").content.decode()


def _another_ward_of(commune: Commune) -> int:
    taken = set(Commune.objects.values_list("code", flat=True))
    return next(int(w.code) for w in VNWard.iter_by_province(commune.province.code) if int(w.code) not in taken)


def test_the_province_onboards_a_commune_and_appoints_its_focal_point(commune_a, commune_b, pvhcc_a):
    province_user = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    client = _client(province_user)
    page = client.get("/admin/tiep-nhan-xa/")
    assert page.status_code == 200
    body = page.content.decode()
    assert commune_a.name not in body or f"({commune_a.code})" not in body  # already onboarded: not offered
    code = _another_ward_of(commune_a)
    response = client.post("/admin/tiep-nhan-xa/", {"code": code, "username": "pvhcc_moi", "full_name": "Đinh Thị Hoa"})
    assert response.status_code == 200, response.content.decode()[:2000]
    password = _temporary_password(response)
    commune = Commune.objects.get(code=code)
    assert commune.province_id == commune_a.province_id and commune.site_id and commune.root_page_id
    focal = User.objects.get(username="pvhcc_moi")
    assert _roles_in(focal, commune) == {roles.PVHCC}
    assert services.full_name_of(focal) == "Đinh Thị Hoa"
    first = Client()
    assert first.login(username="pvhcc_moi", password=password)
    assert first.get("/admin/")["Location"] == "/admin/mat-khau-moi/"
    # The new focal point manages its own commune's logins at once.
    assert list(selectors.communes_with_perm(focal, services.MANAGE_LOGINS)) == [commune]


def test_only_the_province_onboards_and_only_its_own_communes(commune_a, commune_b, pvhcc_a):
    code = _another_ward_of(commune_a)
    assert _refused(_client(pvhcc_a).get("/admin/tiep-nhan-xa/"))
    with pytest.raises(PermissionDenied):
        services.onboard_commune_for_province(pvhcc_a, code, username="x1", full_name="Lê Ba")
    assert commune_b.province_id != commune_a.province_id
    province_user = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    with pytest.raises(PermissionDenied):  # a commune of another province
        services.onboard_commune_for_province(province_user, _another_ward_of(commune_b), username="x2", full_name="Lê")
    with pytest.raises(ValidationError):
        services.onboard_commune_for_province(province_user, 99999999, username="x3", full_name="Lê Ba")
    make_user("trung", roles.UNIT, commune=commune_a)
    with pytest.raises(ValidationError):  # a taken username: the commune is not created either
        services.onboard_commune_for_province(province_user, code, username="trung", full_name="Lê Ba")
    assert not Commune.objects.filter(code=code).exists()
    assert not User.objects.filter(username__in=["x1", "x2", "x3"]).exists()
