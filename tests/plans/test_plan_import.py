"""Importing the commune's plan: preview, correction, confirmation, versions; all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from lantoa.plans import services
from lantoa.plans.models import CalendarEvent, Plan, PlanTarget, SolutionGroup, Task, UnitDuty
from lantoa.tenancy import roles
from lantoa.tenancy.models import Unit

from ..conftest import make_user

SEED = Path(__file__).resolve().parents[2] / "lantoa" / "plans" / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"


def seed_upload(name="ke-hoach.txt"):
    return SimpleUploadedFile(name, SEED.read_bytes(), content_type="text/plain")


@pytest.fixture
def pvhcc(commune_a):
    return make_user("pv", roles.PVHCC, commune=commune_a)


@pytest.mark.django_db
def test_seed_import_creates_a_draft_then_the_plan_on_confirmation(commune_a, pvhcc):
    plan = services.start_import(pvhcc, commune_a, seed_upload())
    assert plan.status == Plan.Status.DRAFT and plan.version == 1 and plan.year == 2026
    assert plan.source_file.read() == SEED.read_bytes()
    assert Task.objects.count() == 0 and Unit.objects.filter(commune=commune_a).count() == 0
    matches = {m.name: m for m in services.unit_matches(plan)}
    assert "Phòng Văn hóa - Xã hội" in matches and matches["Các phòng chuyên môn"].default_choice == ""
    assert matches["Trung tâm dịch vụ tổng hợp"].default_choice == "new"
    choices = {name: m.default_choice for name, m in matches.items()}
    services.confirm_import(pvhcc, plan, unit_choices=choices, indicator_codes=[""] * 8)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert SolutionGroup.objects.filter(plan=plan).count() == 5
    assert list(Task.objects.filter(plan=plan).values_list("code", flat=True)) == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "4",
        "5",
    ]
    t21 = Task.objects.get(plan=plan, code="2.1")
    assert [u.name for u in t21.lead_units.all()] == ["Phòng Văn hóa - Xã hội"]
    assert t21.cooperating_units.count() == 0  # "Các phòng chuyên môn" was left out
    assert [float(t.value) if t.value is not None else None for t in PlanTarget.objects.filter(plan=plan)] == [
        None,
        100,
        10,
        None,
        30,
        100,
        70,
        50,
    ]
    assert UnitDuty.objects.filter(plan=plan).count() == 5
    assert plan.signer_name == "Lường Văn Toàn" and plan.signer_title == "PHÓ CHỦ TỊCH"
    # The calendar of the year was created with the national days and report deadlines.
    keys = set(CalendarEvent.objects.filter(commune=commune_a).values_list("key", flat=True))
    assert {"science_day:2026", "innovation_day:2026", "digital_day:2026", "report_h1:2026", "report_year:2026"} <= keys


@pytest.mark.django_db
def test_reimport_makes_a_new_version_and_never_overwrites(commune_a, pvhcc):
    first = services.start_import(pvhcc, commune_a, seed_upload())
    services.confirm_import(pvhcc, first, unit_choices={}, indicator_codes=[""] * 8)
    second = services.start_import(pvhcc, commune_a, seed_upload("ke-hoach-sua-doi.txt"))
    assert second.version == 2
    services.confirm_import(pvhcc, second, unit_choices={}, indicator_codes=[""] * 8)
    first.refresh_from_db()
    assert first.status == Plan.Status.SUPERSEDED and Task.objects.filter(plan=first).count() == 11
    assert Task.objects.filter(plan=second).count() == 11
    with pytest.raises(ValidationError):
        services.confirm_import(pvhcc, second, unit_choices={}, indicator_codes=[""] * 8)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("ke-hoach.rtf", b"{\\rtf1 odt}", "Loại tệp không được hỗ trợ"),
        ("cu.doc", b"<html>not a Word file</html>", "không đúng như tên gọi"),
        ("anh.png", b"\x89PNG\r\n\x1a\n broken", "không phải ảnh JPEG hoặc PNG"),
        ("rong.txt", b"", "Tệp rỗng"),
        ("thu.txt", "Kính gửi các đơn vị, đây là một lá thư.".encode(), "Không tìm thấy nhóm giải pháp"),
        ("hong.docx", b"not a zip at all", "không phải tệp Word"),
    ],
)
def test_bad_files_are_refused_in_vietnamese_and_nothing_is_written(commune_a, pvhcc, name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        services.start_import(pvhcc, commune_a, SimpleUploadedFile(name, content))
    assert message.lower() in " ".join(excinfo.value.messages).lower()
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_only_roles_allowed_can_import(commune_a):
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.start_import(editor, commune_a, seed_upload())
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_unit_choice_rolls_back_everything(commune_a, commune_b, pvhcc):
    other = services.tenancy.ensure_unit(commune_b, "Phòng Kinh tế")
    plan = services.start_import(pvhcc, commune_a, seed_upload())
    with pytest.raises(ValidationError):
        services.confirm_import(pvhcc, plan, unit_choices={"Phòng Kinh tế": other.pk}, indicator_codes=[""] * 8)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert Task.objects.count() == 0 and PlanTarget.objects.count() == 0 and SolutionGroup.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_import_through_the_back_office(commune_a, pvhcc, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(pvhcc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/plans/import/", {"file": seed_upload()})
    assert response.status_code == 302  # to the job's progress page: the worker reads the plan
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    response = client.get(response["Location"])
    assert response.status_code == 302
    plan = Plan.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Kiểm tra kế hoạch đã nhập" in page and "Phòng Văn hóa - Xã hội" in page and "Lường Văn Toàn" in page
    bad = client.post("/admin/plans/import/", {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "Loại tệp không được hỗ trợ" in bad.content.decode() and Plan.objects.count() == 1
    form = {f"unit-{i}": m.default_choice for i, m in enumerate(services.unit_matches(plan))}
    form.update({f"target-{i}": "" for i in range(8)})
    response = client.post(f"/admin/plans/import/{plan.pk}/", form)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    overview = client.get("/admin/plans/").content.decode()
    assert "1.4" in overview and "Tiến độ kế hoạch" in overview


CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


@pytest.mark.django_db
def test_appendix_details_yearless_targets_and_reporting_dates_are_saved(commune_a, pvhcc):
    """A programme issued by a decision, with yearless targets and a yearly report date; a plan whose appendix
    details a narrative task: what the parser found reaches the plan, the calendar and the progress roll-up."""
    from lantoa.plans import selectors

    upload = SimpleUploadedFile("ct.txt", (CORPUS / "tinh_quyet_dinh_chuong_trinh.txt").read_bytes())
    plan = services.start_import(pvhcc, commune_a, upload)
    choices = {m.name: "new" for m in services.unit_matches(plan)}
    services.confirm_import(pvhcc, plan, unit_choices=choices, indicator_codes=["", ""])
    targets = list(PlanTarget.objects.filter(plan=plan))
    assert [(t.year, t.whole_period) for t in targets] == [(2026, True), (2026, True)]
    events = CalendarEvent.objects.filter(commune=commune_a, key__startswith=f"plan-event:{plan.pk}:")
    assert {(e.date.month, e.date.day) for e in events} == {(6, 15), (12, 15)}

    upload = SimpleUploadedFile("kh.txt", (CORPUS / "xa_phu_luc_sau_chu_ky.txt").read_bytes())
    plan = services.start_import(pvhcc, commune_a, upload)
    choices = {m.name: "new" for m in services.unit_matches(plan)}
    services.confirm_import(pvhcc, plan, unit_choices=choices, indicator_codes=[])
    narrative = Task.objects.get(plan=plan, code="1")
    assert sorted(t.code for t in narrative.details.all()) == ["1.1", "1.2"]
    whole, groups = selectors.rollup(plan)
    assert len(whole.tasks) == 3  # 1.1, 1.2 and 2: task 1 counts through its two details
