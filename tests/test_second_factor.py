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
    assert response.status_code == 302 and TOTPDevice.objects.get().confirmed

    # A new session: the password alone reaches only the code page.
    clock.shift(31)  # the next time step: a code is accepted once
    other = signed_in("lanhdao")
    response = other.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert other.get("/admin/baocao/")["Location"].startswith(VERIFY)
    page = other.get(response["Location"]).content.decode()
    assert "Mã gồm 6 chữ số trên ứng dụng xác thực" in page
    assert "Hãy nhập 6 chữ số" in other.post(VERIFY, {"code": "12345x"}).content.decode()
    response = other.post(VERIFY, {"code": code_for(key), "next": "/admin/baocao/"})
    assert response.status_code == 302 and response["Location"] == "/admin/baocao/"
    assert other.get("/admin/").status_code == 200


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
    assert enrolled.status_code == 302
    assert client.get("/admin/")["Location"] == "/admin/mat-khau-moi/"
    assert client.get("/admin/mat-khau-moi/").status_code == 200
