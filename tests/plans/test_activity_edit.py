"""Activities changed and deleted by their unit (audited, refused in locked periods) and the Excel exports of tasks
and activities with the list's filters (issue 12.7)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.plans import services
from lantoa.plans.models import Activity, Plan, SolutionGroup, Task
from lantoa.tenancy import roles
from lantoa.tenancy.models import PeriodLock

from ..conftest import make_user
from .test_tracking import unit_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(commune_a):
    plan = Plan.objects.create(commune=commune_a, title="Kế hoạch thử", year=2026, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm 1")
    vhxh = services.tenancy.ensure_unit(commune_a, "Phòng Văn hoá - Xã hội")
    kt = services.tenancy.ensure_unit(commune_a, "Phòng Kinh tế")
    ours = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", title="Việc của VH-XH", order=1)
    theirs = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.2", title="Việc của KT", order=2)
    ours.lead_units.set([vhxh])
    theirs.lead_units.set([kt])
    day = dt.date(2026, 10, 5)
    own = Activity.objects.create(
        commune=commune_a, task=ours, unit=vhxh, title='=HYPERLINK("http://x")', date=day, channel="conference"
    )
    other = Activity.objects.create(
        commune=commune_a, task=theirs, unit=kt, title="Hội nghị của KT", date=day, channel="conference"
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "own": own,
        "other": other,
        "vhxh": unit_user(commune_a, vhxh),
        "kt": unit_user(commune_a, kt, "donvi_kt"),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit(activity) -> str:
    return reverse("plans_admin:activity_edit", kwargs={"activity_id": activity.pk})


def _post(activity, **changes) -> dict:
    data = {
        "unit": activity.unit_id,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "channel": activity.channel,
        "people_count": activity.people_count,
    }
    return {**data, **changes}


def test_the_unit_edits_its_own_activity_audited_and_another_unit_cannot(setup):
    own, other = setup["own"], setup["other"]
    client = _client(setup["vhxh"])
    page = client.get(reverse("plans_admin:task", kwargs={"task_id": setup["ours"].pk})).content.decode()
    assert _edit(own) in page and "Sửa hoặc xoá" in page
    response = client.post(_edit(own), _post(own, title="Hội nghị phổ biến NQ57", people_count=80))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.people_count) == ("Hội nghị phổ biến NQ57", 80)
    entry = LogEntry.objects.get_for_object(own).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == setup["vhxh"] and entry.changes_dict["people_count"] == ["0", "80"]
    # Another unit's activity: no link, the page and the service refuse.
    # (Wagtail's admin answers a refusal by sending the user back to its home with a message.)
    assert _edit(other) not in page
    assert client.get(_edit(other))["Location"] == "/admin/"
    refused = client.post(reverse("plans_admin:activity_delete", kwargs={"activity_id": other.pk}))
    assert refused.status_code in (302, 403) and Activity.objects.filter(pk=other.pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_activity(setup["vhxh"], other, title="x")
    # Moving one's activity to another unit's task unit is refused too.
    with pytest.raises(PermissionDenied):
        services.update_activity(setup["vhxh"], own, unit=other.unit)
    other.refresh_from_db()
    assert other.title == "Hội nghị của KT"


def test_the_unit_deletes_its_own_activity_and_the_focal_point_any(commune_a, setup):
    client = _client(setup["vhxh"])
    response = client.post(reverse("plans_admin:activity_delete", kwargs={"activity_id": setup["own"].pk}))
    assert response.status_code == 302 and not Activity.objects.filter(pk=setup["own"].pk).exists()
    assert LogEntry.objects.filter(object_pk=str(setup["own"].pk), action=LogEntry.Action.DELETE).exists()
    focal = make_user("pv", roles.PVHCC, commune=commune_a)
    services.update_activity(focal, setup["other"], audience="Cán bộ")
    services.delete_activity(focal, setup["other"])
    assert not Activity.objects.exists()
    # Oversight reads but never changes.
    front = make_user("mt", roles.OVERSIGHT, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.update_activity(front, Activity(pk=0, commune=commune_a), title="x")


def test_no_change_in_a_locked_period(commune_a, setup):
    own = setup["own"]
    PeriodLock.objects.create(
        commune=commune_a,
        start=dt.date(2026, 6, 15),
        end=dt.date(2026, 12, 14),
        reference="9/BC-UBND",
        locked_at=timezone.now(),
    )
    client = _client(setup["vhxh"])
    page = client.get(_edit(own)).content.decode()
    assert "đã khoá" in page
    response = client.post(_edit(own), _post(own, title="Sửa trong kỳ đã khoá"))
    assert response.status_code == 200 and "đã khoá" in response.content.decode()
    with pytest.raises(ValidationError):
        services.delete_activity(setup["vhxh"], own)
    own.refresh_from_db()
    assert own.title.startswith("=HYPERLINK")


def test_another_communes_activity_is_404(commune_b, data_b, setup):
    other_plan = Plan.objects.create(commune=commune_b, title="KH B", year=2026, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune_b, plan=other_plan, code="1", title="N")
    task = Task.objects.create(commune=commune_b, plan=other_plan, group=group, code="1.1", title="T")
    foreign = Activity.objects.create(
        commune=commune_b, task=task, unit=data_b["unit"], title="B", date=dt.date(2026, 10, 1), channel="other"
    )
    client = _client(setup["vhxh"])
    assert client.get(_edit(foreign)).status_code == 404
    assert client.post(reverse("plans_admin:activity_delete", kwargs={"activity_id": foreign.pk})).status_code == 404


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_exports_of_tasks_and_activities_follow_the_list_filter(commune_a, setup):
    client = _client(setup["vhxh"])
    listing = client.get(reverse("plans_admin:tasks") + f"?commune={commune_a.pk}").content.decode()
    assert "Tải danh sách nhiệm vụ (Excel)" in listing and "mine=1" in listing
    mine = client.get(reverse("plans_admin:tasks_xlsx"), {"commune": commune_a.pk, "mine": "1"})
    assert mine.status_code == 200 and mine["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(mine.content)
    assert rows[0][0] == "Mã" and [r[0] for r in rows[1:]] == ["1.1"]
    every = _rows(client.get(reverse("plans_admin:tasks_xlsx"), {"commune": commune_a.pk, "mine": "0"}).content)
    assert [r[0] for r in every[1:]] == ["1.1", "1.2"]
    acts = client.get(reverse("plans_admin:activities_xlsx"), {"commune": commune_a.pk, "mine": "1"})
    rows = _rows(acts.content)
    assert [r[:3] for r in rows[1:]] == [("1.1", setup["own"].unit.name, '=HYPERLINK("http://x")')]
    sheet = load_workbook(io.BytesIO(acts.content)).active
    assert sheet["C2"].data_type == "s"  # a title that looks like a formula stays text
    one = _rows(
        client.get(
            reverse("plans_admin:activities_xlsx"), {"commune": commune_a.pk, "task": setup["theirs"].pk}
        ).content
    )
    assert [r[2] for r in one[1:]] == ["Hội nghị của KT"]


def test_two_people_edit_one_activity_the_second_keeps_what_they_typed(setup, commune_a):
    """The unit and the focal point open the same activity; the focal point saves first. The unit's save is refused,
    names who changed what, keeps the unit's typed text, and a second save (now knowing) goes through."""
    own = setup["own"]
    unit_client = _client(setup["vhxh"])
    focal = make_user("dau_moi", roles.PVHCC, commune=commune_a)
    focal.first_name, focal.last_name = "Lan", "Nguyễn"
    focal.save()
    focal_client = _client(focal)
    version = str(own.version)
    assert f'name="version" value="{version}"' in unit_client.get(_edit(own)).content.decode()
    response = focal_client.post(_edit(own), _post(own, title="Hội nghị chuyển đổi số", version=version))
    assert response.status_code == 302
    response = unit_client.post(
        _edit(own), _post(own, title="Hội nghị phổ biến NQ57", people_count=85, version=version)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn" in page and "đã lưu bản ghi này và thay đổi: Nội dung hoạt động." in page
    assert "chưa được lưu" in page
    assert 'value="Hội nghị phổ biến NQ57"' in page and 'value="85"' in page
    own.refresh_from_db()
    assert own.title == "Hội nghị chuyển đổi số" and own.people_count != 85
    again = unit_client.post(
        _edit(own), _post(own, title="Hội nghị phổ biến NQ57", people_count=85, version=str(own.version))
    )
    assert again.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.people_count) == ("Hội nghị phổ biến NQ57", 85)
