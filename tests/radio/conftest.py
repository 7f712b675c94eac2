"""Fixtures of the radio tests: a commune with hamlets, radio set up, users of each role, a live column item."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve
from wagtail.models import Page

from lantoa.radio import services
from lantoa.radio.models import LoudspeakerCluster, Zone
from lantoa.tenancy import roles
from lantoa.tenancy.models import Hamlet

from ..conftest import make_user


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Audio files of each test go to a fresh folder (read back from there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    (tmp_path / "var").mkdir()


@pytest.fixture
def radio_a(commune_a):
    """Commune A with three hamlets, a cluster in each (two on one controller), zones and the default program."""
    hamlets = [
        Hamlet.objects.create(commune=commune_a, name=f"Thôn {name}", households_baseline=100, residents_baseline=400)
        for name in ("Nà Pài", "Bản Chang", "Khuổi Tát")
    ]
    services.ensure_setup(commune_a)
    clusters = [LoudspeakerCluster.objects.create(commune=commune_a, hamlet=h, name=f"Cụm {h.name}") for h in hamlets]
    low = Zone.objects.create(commune=commune_a, name="Vùng thấp")
    low.hamlets.set(hamlets[:2])
    high = Zone.objects.create(commune=commune_a, name="Vùng cao")
    high.hamlets.set(hamlets[2:])
    return {"commune": commune_a, "hamlets": hamlets, "clusters": clusters, "low": low, "high": high}


@pytest.fixture
def editor(commune_a):
    return make_user("bientap_a", roles.EDITOR, commune=commune_a)


@pytest.fixture
def leader(commune_a):
    return make_user("lanhdao_a", roles.LEADERSHIP, commune=commune_a)


@pytest.fixture
def oversight(commune_a):
    return make_user("mttq_a", roles.OVERSIGHT, commune=commune_a)


@pytest.fixture
def column_page(commune_a):
    """A published page under the commune's root: a column item (before the column's own page types exist)."""
    root = commune_a.root_page.specific
    page = Page(
        title="Chuyển đổi số ở Nam Cường",
        slug="chuyen-doi-so-nam-cuong",
        search_description="Ngày 22/12/2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW. Năm 2026, "
        "ít nhất 10% người dân tiếp cận thông tin qua hệ thống thông tin cơ sở.",
    )
    root.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk)


@pytest.fixture
def radio_api(settings):
    """The URL prefix of the radio's device API: the project's API once it mounts the router, else a test API."""
    try:
        resolve("/api/v1/radio/device")
        return "/api/v1/radio"
    except Resolver404:
        settings.ROOT_URLCONF = "tests.radio.urls_with_api"
        return "/radio-api-test/radio"
