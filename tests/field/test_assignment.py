"""The assignment a team member downloads before going out (issue 13.2): their hamlets with reach's figures and the
commune's target, the households (names only for a role allowed to see them, each name logged), the topics and
the talking points marked for the field; another commune's assignment is not found."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from lantoa.column import services as column_services
from lantoa.column.models import Topic
from lantoa.radio.models import Bulletin
from lantoa.reach.models import IndicatorTarget
from lantoa.tenancy.models import PersonalDataAccess

from ..column.conftest import add_article
from .conftest import send, visit

pytestmark = pytest.mark.django_db


def test_the_team_downloads_its_hamlets_households_and_talking_points(commune_a, data_a, activity_a, team):
    IndicatorTarget.objects.create(commune=commune_a, indicator="residents_reached", year=2026, value=Decimal("30"))
    topic = Topic.objects.create(commune=commune_a, name="Dịch vụ công trực tuyến", slug="dich-vu-cong")
    home = column_services.ensure_column(commune_a)
    add_article(home, title="Cài VNeID mức 2", for_field=True)
    add_article(home, title="Bài không dùng cho tổ")
    add_article(home, title="Bản nháp cho tổ", publish=False, for_field=True)
    Bulletin.objects.create(
        commune=commune_a,
        title="Bản tin chữ ký số",
        text="Chữ ký số  giúp\nký văn bản.",
        status="approved",
        for_field=True,
    )
    Bulletin.objects.create(commune=commune_a, title="Bản tin nháp", text="…", status="draft", for_field=True)
    send(team["client"], [visit(data_a["households"][0])])

    answer = team["client"].get("/api/v1/field/assignment")
    assert answer.status_code == 200
    body = answer.json()
    assert body["user_id"] == team["user"].pk and body["commune"] == {"id": commune_a.pk, "name": commune_a.name}
    assert body["as_of"] == "2026-11-18" and body["activity_id"] == activity_a.pk
    assert body["can_see_names"] is False
    assert [h["name"] for h in body["hamlets"]] == [data_a["hamlet"].name]  # not the hamlet outside its charge
    hamlet = body["hamlets"][0]
    assert (hamlet["households_total"], hamlet["reached"], hamlet["target_percent"]) == (2, 1, 30.0)
    households = {h["code"]: h for h in body["households"]}
    assert set(households) == {"AAA-0001", "AAA-0002"}
    assert households["AAA-0001"]["last_contact"] == "2026-11-18" and households["AAA-0002"]["last_contact"] is None
    assert households["AAA-0001"]["members"] == 3
    assert all(h["head_name"] is None for h in body["households"]) and "Nguyễn Văn A" not in answer.content.decode()
    assert {"id": topic.pk, "name": "Dịch vụ công trực tuyến"} in body["topics"]  # with the column's own topics
    titles = [(p["kind"], p["title"]) for p in body["talking_points"]]
    assert sorted(titles) == [("column", "Cài VNeID mức 2"), ("radio", "Bản tin chữ ký số")]
    article = next(p for p in body["talking_points"] if p["kind"] == "column")
    assert "Nghị quyết số 57-NQ/TW" in article["text"] and "<p>" not in article["text"]
    radio = next(p for p in body["talking_points"] if p["kind"] == "radio")
    assert radio["text"] == "Chữ ký số giúp ký văn bản."
    assert not PersonalDataAccess.objects.exists()
    # The progress alone gives the same hamlet figures.
    progress = team["client"].get("/api/v1/field/progress").json()
    assert progress["hamlets"] == body["hamlets"]


def test_names_only_for_a_role_allowed_and_each_one_logged(commune_a, data_a, activity_a, pvhcc_a):
    client = Client()
    client.force_login(pvhcc_a)
    body = client.get(f"/api/v1/field/assignment?commune={commune_a.pk}").json()
    assert body["can_see_names"] is True
    names = {h["code"]: h["head_name"] for h in body["households"]}
    assert names["AAA-0001"] == "Nguyễn Văn A" and names["AAA-0002"] == ""
    access = PersonalDataAccess.objects.get()  # one name given out, one logged access
    assert access.user == pvhcc_a and access.household == data_a["households"][0] and access.fields == "head_name"
    assert "thực địa" in access.purpose


def test_another_communes_assignment_is_not_found(commune_a, commune_b, data_a, data_b, team):
    assert team["client"].get(f"/api/v1/field/assignment?commune={commune_b.pk}").status_code == 404
    assert team["client"].get(f"/api/v1/field/progress?commune={commune_b.pk}").status_code == 404
    assert send(team["client"], [visit(data_b["households"][0])], commune=commune_b.pk).status_code == 404
    anonymous = Client().get("/api/v1/field/assignment")
    assert anonymous.status_code == 401


def test_the_api_is_in_the_openapi_docs(team):
    schema = team["client"].get("/api/v1/openapi.json").json()
    assert {"/api/v1/field/assignment", "/api/v1/field/sync", "/api/v1/field/progress"} <= set(schema["paths"])
