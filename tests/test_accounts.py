"""Signing in under attack: lockout by account and by address, a rate-limited password reset, and a client
address that only our own proxy can set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from lantoa.tenancy.network import client_ip

from .conftest import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
PASSWORD = "Mk-kiem-thu-57!"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def browser(ip="203.0.113.10", **headers) -> Client:
    return Client(REMOTE_ADDR=ip, **headers)


def login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_twelve_wrong_passwords_lock_the_account_even_for_the_right_one(commune_a, clock, settings):
    make_user("lanhdao", password=PASSWORD)
    attacker = browser()
    for _ in range(11):
        assert login(attacker, "lanhdao", "sai-mat-khau").status_code == 200
    twelfth = login(attacker, "lanhdao", "sai-mat-khau")
    assert twelfth.status_code == 429
    # The owner, from another address, with the right password: refused, in Vietnamese, on the login page.
    owner = browser("198.51.100.20")
    refused = login(owner, "lanhdao", PASSWORD)
    page = refused.content.decode()
    assert refused.status_code == 429 and not signed_in(owner)
    assert (
        "Đăng nhập sai quá nhiều lần" in page and "15 phút" in page and 'name="password"' in page and "Mật khẩu" in page
    )
    # After the cool-off the right password works again.
    clock.shift(timedelta(minutes=16))
    assert login(owner, "lanhdao", PASSWORD).status_code == 302 and signed_in(owner)


def test_the_public_login_page_of_restricted_pages_is_locked_too(commune_a):
    make_user("canbo", password=PASSWORD)
    attacker = browser()
    for _ in range(12):
        attacker.post("/_util/login/", {"username": "canbo", "password": "sai-mat-khau"})
    refused = browser("198.51.100.23").post("/_util/login/", {"username": "canbo", "password": PASSWORD})
    assert refused.status_code == 429 and "Đăng nhập sai quá nhiều lần" in refused.content.decode()


def test_one_address_trying_many_accounts_is_locked_out(commune_a):
    make_user("canbo", password=PASSWORD)
    attacker = browser("203.0.113.11")
    for number in range(12):
        login(attacker, f"khong-co-{number}", "doan-mo")
    assert login(attacker, "canbo", PASSWORD).status_code == 429 and not signed_in(attacker)
    # The account itself is not locked: its owner signs in from elsewhere.
    owner = browser("198.51.100.21")
    assert login(owner, "canbo", PASSWORD).status_code == 302 and signed_in(owner)


def test_a_forged_forwarded_header_does_not_give_a_fresh_address(commune_a):
    make_user("canbo", password=PASSWORD)
    for number in range(12):
        login(browser("203.0.113.12", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"), f"khong-co-{number}", "doan-mo")
    spoofed = browser("203.0.113.12", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert login(spoofed, "canbo", PASSWORD).status_code == 429


def test_behind_our_proxy_each_reader_is_counted_on_their_own(commune_a, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_user("canbo", password=PASSWORD)
    for number in range(12):
        login(browser("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.13"), f"khong-co-{number}", "doan-mo")
    assert login(browser("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.13"), "canbo", PASSWORD).status_code == 429
    neighbour = browser("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.22")
    assert login(neighbour, "canbo", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "203.0.113.1", "192.0.2.9", "203.0.113.1"),  # nobody trusted: the header is ignored
        (["127.0.0.1"], "203.0.113.1", "192.0.2.9", "203.0.113.1"),  # from an untrusted peer: ignored
        (["127.0.0.1"], "127.0.0.1", "192.0.2.9", "192.0.2.9"),  # our nginx says who it served
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 192.0.2.9", "192.0.2.9"),  # what the client wrote before: ignored
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "6.6.6.6, 192.0.2.9, 10.1.2.3", "192.0.2.9"),  # two proxies
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["::1"], "::1", "[2001:db8::7]:443", "2001:db8::7"),
        ([], "", "192.0.2.9", ""),
    ],
)
def test_client_address(settings, trusted, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_password_reset_mail_is_rate_limited(commune_a):
    user = make_user("canbo", password=PASSWORD)
    user.email = "canbo@example.vn"
    user.save()
    mail.outbox.clear()
    statuses = [browser().post(RESET, {"email": "canbo@example.vn"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429] and len(mail.outbox) == 3
    refused = browser().post(RESET, {"email": "canbo@example.vn"}).content.decode()
    assert "Yêu cầu đặt lại mật khẩu quá nhiều lần" in refused
    # One address asking for many e-mails is limited too (and learns nothing about which exist).
    many = [browser("203.0.113.14").post(RESET, {"email": f"x{n}@example.vn"}).status_code for n in range(7)]
    assert many == [302] * 5 + [429] * 2
