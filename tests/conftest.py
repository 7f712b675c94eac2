"""Shared fixtures: real communes onboarded from the 2025 list, users holding real roles."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from lantoa.tenancy import roles, services
from lantoa.tenancy.models import Hamlet, Household, Staff, Unit

# Two communes named "Xã Nam Cường" in different provinces (Thái Nguyên 2026, Hưng Yên 13057),
# and a second commune of Thái Nguyên for the provincial role.
CODE_A = 2026
CODE_B = 13057


def make_user(username: str, *role_codes: str, commune=None, province=None, password: str = "Mk-kiem-thu-57!"):
    user = get_user_model().objects.create_user(username=username, password=password)
    for role in role_codes:
        services.grant_role(user, role, commune=commune, province=province)
    return user


def response_body(response) -> bytes:
    """A response's bytes, streamed (a served file) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_as(user=None) -> Client:
    """A test client signed in as ``user`` (None: anonymous)."""
    client = Client()
    if user:
        client.force_login(user)
    return client


def populate(commune, tag: str) -> dict:
    """A unit, a staff member, a hamlet and two households in ``commune``, named with ``tag``."""
    unit = services.ensure_unit(commune, f"Phòng Thử nghiệm {tag}")
    staff = Staff.objects.create(commune=commune, unit=unit, full_name=f"Cán bộ {tag}", on_comms_duty=True)
    hamlet = Hamlet.objects.create(commune=commune, name=f"Thôn {tag}", households_baseline=2, residents_baseline=7)
    households = [
        Household.objects.create(
            commune=commune, hamlet=hamlet, code=f"{tag}-0001", members=3, head_name="Nguyễn Văn A", phone="0912345678"
        ),
        Household.objects.create(commune=commune, hamlet=hamlet, code=f"{tag}-0002", members=4),
    ]
    return {"unit": unit, "staff": staff, "hamlet": hamlet, "households": households}


# The suite's clock: a Wednesday morning in Vietnam. Every test runs on it unless it asks for another moment with
# @pytest.mark.clock("…"); `--clock` (or LANTOA_TEST_CLOCK) moves the whole run, which is how scripts/clock-sweep
# runs the time-reading tests at midnight, at the half-year's and year's ends and around the report deadlines.
DEFAULT_CLOCK = "2026-11-18T09:00:00+07:00"
# For a test about "now" that must happen in working hours whatever --clock says (a broadcast in two minutes
# cannot be scheduled inside the quiet hours 22:00–05:00): @pytest.mark.clock(WORKING_MORNING).
WORKING_MORNING = "2026-11-18T09:00:00+07:00"


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("LANTOA_TEST_CLOCK") or DEFAULT_CLOCK,
        help="the moment (ISO 8601 with its UTC offset) the tests run at; default %(default)s",
    )


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"--clock needs a UTC offset, e.g. {DEFAULT_CLOCK} (got {text})")
    return moment


def pytest_configure(config):
    """Tests create hundreds of users: hash their passwords cheaply (production keeps Django's PBKDF2 default)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    return f"clock: {config.getoption('--clock')}"


@pytest.fixture(autouse=True)
def clock(request):
    """Freeze the start of every test at a known moment; time then runs on (tick) so timeouts and servers work.

    The moment comes from the test's ``clock`` marker, else from ``--clock``. The fixture yields time-machine's
    traveller, so a test can ``clock.move_to(...)`` or ``clock.shift(...)``.
    """
    marker = request.node.get_closest_marker("clock")
    moment = _moment(marker.args[0] if marker else request.config.getoption("--clock"))
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data (Wagtail's root page, locale, content types).

    A transactional test empties the database when it ends; without serialized rollback the next one would
    start without the rows the migrations created, and whether it passes would depend on test order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese (a request that switched language must not leak into the next test)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def commune_a(db):
    return services.onboard_commune(CODE_A, default_site=True)


@pytest.fixture
def commune_b(db):
    return services.onboard_commune(CODE_B)


@pytest.fixture
def data_a(commune_a):
    return populate(commune_a, "AAA")


@pytest.fixture
def data_b(commune_b):
    return populate(commune_b, "ZQXSECRETB")


@pytest.fixture
def pvhcc_a(commune_a):
    return make_user("pvhcc_a", roles.PVHCC, commune=commune_a)


@pytest.fixture
def editor_a(commune_a):
    return make_user("editor_a", roles.EDITOR, commune=commune_a)


@pytest.fixture
def all_roles_a(commune_a):
    """The most powerful user a commune can have: every commune role of commune A."""
    return make_user("all_a", *roles.COMMUNE_ROLES, commune=commune_a)


@pytest.fixture
def unit_names():
    return lambda commune: set(Unit.objects.filter(commune=commune).values_list("name", flat=True))
