"""The optional TOTP second factor of leadership and province roles: enrol from the account page, then sign-in
asks for the app's 6-digit code; a setting makes it mandatory."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantoa.tenancy import roles
from lantoa.tenancy.models import UserAccount

from .conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Mk-kiem-thu-57!"
ENROL = "/admin/xac-thuc-2-buoc/dang-ky/"
VERIFY = "/admin/xac-thuc-2-buoc/"


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_for(key: str) -> str:
    """What the authenticator app shows now for the key the user typed by hand."""
    secret = b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    return f"{totp(secret):06d}"


def test_leadership_enrols_then_sign_in_asks_for_the_code(commune_a, clock):
    make_user("lanhdao", roles.LEADERSHIP, commune=commune_a)
    client = signed_in("lanhdao")
    assert ENROL in client.get("/admin/account/").content.decode()
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "Xác thực hai bước" in page
    key = re.search(r"<code data-totp-key>([A-Z2-7 ]+)</code>", page).group(1)
    wrong = client.post(ENROL, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert "không đúng" in wrong.content.decode() and not TOTPDevice.objects.filter(confirmed=True).exists()
    clock.shift(2)  # after a wrong code django-otp waits a moment before it checks another
    response = client.post(ENROL, {"code": code_for(key)})
    assert response.status_code == 200 and TOTPDevice.objects.get().confirmed
    # Enrolment ends on the backup codes, shown once and never cached.
    assert "Mã dự phòng" in response.content.decode() and "no-store" in response["Cache-Control"]
    assert len(backup_codes(response.content.decode())) == 10

    # A new session: the password alone reaches only the code page.
    clock.shift(31)  # the next time step: a code is accepted once
    other = signed_in("lanhdao")
    response = other.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert other.get("/admin/baocao/")["Location"].startswith(VERIFY)
    page = other.get(response["Location"]).content.decode()
    assert "Mã 6 chữ số trên ứng dụng xác thực, hoặc một mã dự phòng" in page
    assert "Hãy nhập 6 chữ số" in other.post(VERIFY, {"code": "12345x"}).content.decode()
    response = other.post(VERIFY, {"code": code_for(key), "next": "/admin/baocao/"})
    assert response.status_code == 302 and response["Location"] == "/admin/baocao/"
    assert other.get("/admin/").status_code == 200


def backup_codes(page: str) -> list[str]:
    return [c.replace(" ", "") for c in re.findall(r"<li>([a-z2-7]{4} [a-z2-7]{4})</li>", page)]


def enrolled(client, clock) -> tuple[str, list[str]]:
    """Enrol the signed-in user's app; returns the key typed by hand and the backup codes shown."""
    key = re.search(r"<code data-totp-key>([A-Z2-7 ]+)</code>", client.get(ENROL).content.decode()).group(1)
    response = client.post(ENROL, {"code": code_for(key)})
    clock.shift(31)  # the code just used is not accepted again in its time step
    return key, backup_codes(response.content.decode())


def test_a_lost_phone_signs_in_with_a_backup_code_once(commune_a, clock):
    make_user("lanhdao", roles.LEADERSHIP, commune=commune_a)
    _key, codes = enrolled(signed_in("lanhdao"), clock)
    assert len(set(codes)) == 10
    other = signed_in("lanhdao")
    response = other.post(VERIFY, {"code": f"{codes[0][:4]} {codes[0][4:].upper()}", "next": "/admin/baocao/"})
    assert response.status_code == 302 and response["Location"] == "/admin/baocao/"
    assert "còn lại 9 mã" in other.get("/admin/baocao/").content.decode()
    # The same code does not work twice; another one does.
    third = signed_in("lanhdao")
    assert "không đúng" in third.post(VERIFY, {"code": codes[0]}).content.decode()
    clock.shift(2)
    assert third.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_a_new_set_of_backup_codes_replaces_the_old_and_the_factor_can_be_turned_off(commune_a, clock):
    make_user("lanhdao", roles.LEADERSHIP, commune=commune_a)
    client = signed_in("lanhdao")
    key, old_codes = enrolled(client, clock)
    page = client.get(ENROL).content.decode()
    assert "Còn lại 10 mã dự phòng." in page
    new_codes = backup_codes(client.post(ENROL, {"action": "backup"}).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    other = signed_in("lanhdao")
    assert "không đúng" in other.post(VERIFY, {"code": old_codes[0]}).content.decode()
    # Turning it off asks for a current code; then the password alone signs in.
    wrong = "000000" if code_for(key) != "000000" else "111111"
    assert "không đúng" in client.post(ENROL, {"action": "off", "code": wrong}).content.decode()
    assert TOTPDevice.objects.filter(confirmed=True).exists()
    clock.shift(31)
    response = client.post(ENROL, {"action": "off", "code": code_for(key)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert signed_in("lanhdao").get("/admin/").status_code == 200


def test_other_roles_are_not_offered_enrolment(commune_a):
    make_user("bientap", roles.EDITOR, commune=commune_a)
    client = signed_in("bientap")
    assert ENROL not in client.get("/admin/account/").content.decode()
    assert client.get(ENROL).status_code in (302, 403)
    assert client.get("/admin/").status_code == 200


def test_setting_makes_it_mandatory_for_province_roles(commune_a, settings):
    settings.LANTOA_REQUIRE_TOTP_FOR = [roles.PROVINCE]
    make_user("tinh", roles.PROVINCE, province=commune_a.province)
    make_user("bientap", roles.EDITOR, commune=commune_a)
    client = signed_in("tinh")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == ENROL
    assert "bắt buộc đăng nhập hai bước" in client.get(ENROL).content.decode()
    # Other roles are not held.
    assert signed_in("bientap").get("/admin/").status_code == 200


def test_a_temporary_password_waits_until_the_mandatory_code_is_set_up(commune_a, settings):
    """A province login reset by an administrator must both enrol and change its password: first the code, then
    the password, never sent back and forth between the two pages."""
    settings.LANTOA_REQUIRE_TOTP_FOR = [roles.PROVINCE]
    user = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    UserAccount.objects.create(user=user, must_change_password=True)
    client = signed_in("tinh")
    assert client.get("/admin/")["Location"] == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200
    key = re.search(r"<code data-totp-key>([A-Z2-7 ]+)</code>", page.content.decode()).group(1)
    enrolled = client.post(ENROL, {"code": code_for(key)})
    assert enrolled.status_code == 200 and len(backup_codes(enrolled.content.decode())) == 10
    assert client.get("/admin/")["Location"] == "/admin/mat-khau-moi/"
    assert client.get("/admin/mat-khau-moi/").status_code == 200


def test_the_focal_point_turns_off_a_lost_phone_and_the_user_sets_up_a_new_one(commune_a, commune_b, clock, settings):
    """A phone lost with its backup codes: the focal point turns the factor off from the logins page (recorded in
    the audit trail); the user signs in with the password and, where the code is mandatory, enrols the new phone."""
    from auditlog.models import LogEntry  # noqa: PLC0415

    settings.LANTOA_REQUIRE_TOTP_FOR = [roles.LEADERSHIP]
    leader = make_user("lanhdao", roles.LEADERSHIP, commune=commune_a)
    enrolled(signed_in("lanhdao"), clock)
    focal = make_user("daumoi", roles.PVHCC, commune=commune_a)
    make_user("daumoi_b", roles.PVHCC, commune=commune_b)
    client = signed_in("daumoi")
    page = client.get(f"/admin/tai-khoan/?commune={commune_a.pk}").content.decode()
    assert "Đã bật xác thực hai bước" in page and "Tắt xác thực hai bước" in page

    # Another commune's focal point cannot reach this login.
    outsider = signed_in("daumoi_b")
    refused = outsider.post(f"/admin/tai-khoan/tat-xac-thuc-2-buoc/?commune={commune_b.pk}", {"user": leader.pk})
    assert refused.status_code == 404 and TOTPDevice.objects.filter(user=leader, confirmed=True).exists()

    response = client.post(f"/admin/tai-khoan/tat-xac-thuc-2-buoc/?commune={commune_a.pk}", {"user": leader.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã tắt xác thực hai bước của" in page and "Đã bật xác thực hai bước" not in page
    assert not TOTPDevice.objects.filter(user=leader).exists()
    entry = LogEntry.objects.get_for_object(leader).latest("timestamp")
    assert entry.actor_id == focal.pk and "second_factor" in entry.changes_dict

    # The password signs in again; the mandatory factor sends the user to set up the new phone.
    again = signed_in("lanhdao")
    assert again.get("/admin/")["Location"].startswith(ENROL)
