"""A re-imported plan keeps a year of tracking: the diff before saving, records carried over, restoring a version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantoa.plans import selectors, services, versions
from lantoa.plans.models import Activity, CalendarEvent, Channel, Obstacle, Plan, Task
from lantoa.tenancy import roles
from lantoa.tenancy.models import Unit

from ..conftest import make_user
from .test_plan_import import SEED, seed_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pvhcc(commune_a):
    return make_user("pv", roles.PVHCC, commune=commune_a)


@pytest.fixture
def tracked(commune_a, pvhcc):
    """Version 1 in force with activities on three tasks, an obstacle and a completed task."""
    v1 = services.start_import(pvhcc, commune_a, seed_upload())
    services.confirm_import(pvhcc, v1, unit_choices={}, indicator_codes=[""] * 8)
    tasks = {t.code: t for t in Task.objects.filter(plan=v1)}
    unit = Unit.objects.filter(commune=commune_a).first()
    for code, progress in (("1.1", 40), ("1.4", 100), ("2.2", 0)):
        services.record_activity(
            pvhcc,
            tasks[code],
            unit=unit,
            title=f"Hoạt động {code}",
            date=dt.date(2026, 10, 5),
            channel=Channel.OTHER,
            progress=progress,
        )
    obstacle = services.raise_obstacle(
        pvhcc, commune_a, unit=unit, title="Thiếu loa", description="Cụm loa thôn hỏng", task=tasks["1.4"]
    )
    Task.objects.filter(pk=tasks["1.4"].pk).update(completed_on=dt.date(2026, 10, 6))
    return {"v1": v1, "tasks": tasks, "obstacle": obstacle, "unit": unit}


def amended(text_edit) -> SimpleUploadedFile:
    return SimpleUploadedFile("ke-hoach-sua-doi.txt", text_edit(SEED.read_text()).encode(), content_type="text/plain")


def test_reimporting_the_same_plan_keeps_progress_activities_and_obstacles(commune_a, pvhcc, tracked):
    before_total, _groups = selectors.rollup(tracked["v1"])
    v2 = services.start_import(pvhcc, commune_a, seed_upload("ke-hoach-v2.txt"))
    changes = versions.diff(v2)
    assert [c.kind for c in changes] == ["kept"] * 11
    assert {c.old.code: c.records for c in changes if c.records} == {"1.1": 1, "1.4": 2, "2.2": 1}

    services.confirm_import(pvhcc, v2, unit_choices={}, indicator_codes=[""] * 8)
    tracked["v1"].refresh_from_db()
    assert tracked["v1"].status == Plan.Status.SUPERSEDED
    assert set(Activity.objects.values_list("task__plan", flat=True)) == {v2.pk}
    assert Obstacle.objects.get(pk=tracked["obstacle"].pk).task.plan_id == v2.pk
    assert Task.objects.get(plan=v2, code="1.4").completed_on == dt.date(2026, 10, 6)
    after_total, _groups = selectors.rollup(v2)
    assert after_total.progress == before_total.progress > 0
    assert after_total.status == before_total.status
    # One deadline per dated task on the calendar, for the version in force only.
    assert not CalendarEvent.objects.filter(task__plan=tracked["v1"]).exists()


def test_a_changed_plan_shows_its_diff_and_the_user_places_a_removed_task(commune_a, pvhcc, tracked):
    def edit(text):
        text = text.replace("2.2. Xây dựng các sản phẩm truyền thông số", "2.2. Sản xuất các sản phẩm truyền thông số")
        start = text.index("2.3. Tăng cường hợp tác")
        end = text.index("3. Tăng cường truyền thông Nghị quyết")
        return text[:start] + text[end:]

    v2 = services.start_import(pvhcc, commune_a, amended(edit))
    kinds = {(c.old.code if c.old else c.new.code): c.kind for c in versions.diff(v2)}
    assert kinds["2.2"] == "changed" and kinds["2.3"] == "removed" and kinds["1.1"] == "kept"
    # 2.3 held nothing; give it an activity, then map its records to 2.1 of the new version.
    services.record_activity(
        pvhcc,
        tracked["tasks"]["2.3"],
        unit=tracked["unit"],
        title="Hội thảo với trường học",
        date=dt.date(2026, 10, 7),
        channel=Channel.OTHER,
    )
    assert next(c for c in versions.diff(v2) if c.old and c.old.code == "2.3").records == 1
    services.confirm_import(
        pvhcc,
        v2,
        unit_choices={},
        indicator_codes=[""] * 8,
        task_overrides={tracked["tasks"]["2.3"].pk: "2.1"},
    )
    moved = Activity.objects.get(title="Hội thảo với trường học")
    assert (moved.task.plan_id, moved.task.code) == (v2.pk, "2.1")
    assert Activity.objects.get(title="Hoạt động 2.2").task.plan_id == v2.pk  # the renamed task kept its records


def test_restoring_version_one_carries_the_records_back(commune_a, pvhcc, tracked):
    v2 = services.start_import(pvhcc, commune_a, seed_upload("ke-hoach-v2.txt"))
    services.confirm_import(pvhcc, v2, unit_choices={}, indicator_codes=[""] * 8)
    unit_user = make_user("dv", roles.UNIT, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.restore_version(unit_user, tracked["v1"])

    services.restore_version(pvhcc, tracked["v1"])
    v2.refresh_from_db()
    tracked["v1"].refresh_from_db()
    assert (tracked["v1"].status, v2.status) == (Plan.Status.ACTIVE, Plan.Status.SUPERSEDED)
    assert set(Activity.objects.values_list("task__plan", flat=True)) == {tracked["v1"].pk}
    assert Obstacle.objects.get(pk=tracked["obstacle"].pk).task.plan_id == tracked["v1"].pk


def test_the_preview_shows_the_diff_and_the_overview_offers_restore(commune_a, pvhcc, tracked):
    client = Client()
    client.force_login(pvhcc)
    v2 = services.start_import(pvhcc, commune_a, seed_upload("ke-hoach-v2.txt"))
    page = client.get(f"/admin/plans/import/{v2.pk}/").content.decode()
    assert "Thay đổi so với phiên bản 1 đang có hiệu lực" in page and page.count(">giữ nguyên<") == 11
    client.post(f"/admin/plans/import/{v2.pk}/", {"confirm": "1"})
    assert Plan.objects.get(pk=v2.pk).status == Plan.Status.ACTIVE
    overview = client.get("/admin/plans/").content.decode()
    assert "Áp dụng lại phiên bản 1" in overview and "2.026" not in overview
    response = client.post(f"/admin/plans/versions/{tracked['v1'].pk}/restore/")
    assert response.status_code == 302
    assert Plan.objects.get(pk=tracked["v1"].pk).status == Plan.Status.ACTIVE
    assert set(Activity.objects.values_list("task__plan", flat=True)) == {tracked["v1"].pk}


def test_the_links_of_the_apps_above_follow_their_task_to_the_new_version(commune_a, pvhcc, tracked):
    from django.utils import timezone

    from lantoa.budget.models import EstimateLine
    from lantoa.reach.models import Publication

    old_task = tracked["tasks"]["1.1"]
    publication = Publication.objects.create(
        commune=commune_a, key="bai-1", title="Bài 1", published_at=timezone.now(), plan_task=old_task
    )
    budget = EstimateLine.objects.create(commune=commune_a, year=2026, task=old_task, title="Chuyên mục", amount=1)
    v2 = services.start_import(pvhcc, commune_a, seed_upload("ke-hoach-v2.txt"))
    services.confirm_import(pvhcc, v2, unit_choices={}, indicator_codes=[""] * 8)
    new_task = Task.objects.get(plan=v2, code="1.1")
    assert Publication.objects.get(pk=publication.pk).plan_task_id == new_task.pk
    assert EstimateLine.objects.get(pk=budget.pk).task_id == new_task.pk
    services.restore_version(pvhcc, tracked["v1"])
    assert Publication.objects.get(pk=publication.pk).plan_task_id == old_task.pk
    assert EstimateLine.objects.get(pk=budget.pk).task_id == old_task.pk
