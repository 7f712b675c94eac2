"""The import preview: the user corrects what the parser read wrongly before the plan is saved."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from lantoa.plans import services
from lantoa.plans.models import Plan, PlanTarget, Task
from lantoa.tenancy import roles

from ..conftest import make_user
from .test_plan_import import seed_upload


class _FormFields(HTMLParser):
    """What a browser would send for the page's POST form: inputs, textareas, selected options, ticked boxes."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea = self._select = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option.setdefault(self._select, value)
            if "selected" in attrs:
                self.data[self._select] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def form_of(page: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(page)
    return {k: html.unescape(v) for k, v in parser.data.items()}


@pytest.fixture
def pvhcc(commune_a):
    return make_user("pv", roles.PVHCC, commune=commune_a)


@pytest.fixture
def draft(commune_a, pvhcc):
    return services.start_import(pvhcc, commune_a, seed_upload())


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _task_index(plan, code):
    return next(i for i, (_g, t) in enumerate(services.draft_tasks(plan.parsed)) if t["code"] == code)


@pytest.mark.django_db
def test_corrections_in_the_preview_are_what_the_plan_is_saved_with(draft, pvhcc):
    client = _client(pvhcc)
    url = f"/admin/plans/import/{draft.pk}/"
    form = form_of(client.get(url).content.decode())
    assert form["header-signer_name"] == "Lường Văn Toàn" and form["header-date"] == ""  # the seed leaves the day blank
    task = _task_index(draft, "1.2")
    assert form[f"tasks-{task}-lead_units"]
    form.update(
        {
            "header-number": "15/KH-UBND",
            "header-date": "16/03/2026",
            "header-signer_name": "Lường Văn Toản",
            f"tasks-{task}-deadline": "31/10/2026",
            f"tasks-{task}-lead_units": "Phòng Văn hóa - Xã hội; Trung tâm dịch vụ tổng hợp",
            "targets-1-text": "100% cán bộ, công chức được phổ biến Nghị quyết số 57-NQ/TW.",
            "targets-1-value": "95",
            "targets-2-DELETE": "on",
            "confirm": "",
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, form_of(response.content.decode())
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.ACTIVE
    assert (plan.number, plan.issued_on, plan.signer_name) == ("15/KH-UBND", dt.date(2026, 3, 16), "Lường Văn Toản")
    saved = Task.objects.get(code="1.2")
    assert saved.deadline == dt.date(2026, 10, 31)
    assert sorted(u.name for u in saved.lead_units.all()) == ["Phòng Văn hóa - Xã hội", "Trung tâm dịch vụ tổng hợp"]
    targets = list(PlanTarget.objects.order_by("order"))
    assert len(targets) == 7  # eight read, one removed
    assert targets[1].text.startswith("100% cán bộ, công chức được phổ biến") and targets[1].value == Decimal("95")


@pytest.mark.django_db
def test_an_invalid_date_is_refused_in_vietnamese_and_nothing_is_saved(draft, pvhcc):
    client = _client(pvhcc)
    url = f"/admin/plans/import/{draft.pk}/"
    form = form_of(client.get(url).content.decode())
    before = draft.parsed
    form.update({"header-date": "31/02/2026", "header-signer_name": "Người khác", "confirm": ""})
    response = client.post(url, form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập một ngày có thật theo ngày/tháng/năm, ví dụ 05/03/2026." in page
    assert "Một số chỗ sửa chưa hợp lệ" in page
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.DRAFT and plan.parsed == before and plan.signer_name == "Lường Văn Toàn"
    assert Task.objects.count() == 0 and PlanTarget.objects.count() == 0


@pytest.mark.django_db
def test_save_corrections_keeps_the_draft_and_a_new_year_gets_its_own_version(draft, pvhcc):
    client = _client(pvhcc)
    url = f"/admin/plans/import/{draft.pk}/"
    form = form_of(client.get(url).content.decode())
    form.update({"header-date": "2027-01-05", "targets-0-year": "", "correct": ""})
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == url
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.DRAFT and plan.year == 2027 and plan.version == 1
    assert plan.parsed["date"] == "2027-01-05" and plan.parsed["targets"][0]["year"] is None
    page = client.get(url).content.decode()
    assert 'name="header-date" value="05/01/2027"' in page


@pytest.mark.django_db
def test_the_preview_marks_ocr_text_and_shows_the_unplaced_lines(draft, pvhcc):
    draft.parsed = {
        **draft.parsed,
        "unplaced": ["Dòng không xếp được vào đâu"],
        "ocr": {
            "pages": 1,
            "confidence": 88.4,
            "lines": [
                {"page": 1, "text": "KẾ HOẠCH", "confidence": 96.1},
                {"page": 1, "text": "Thời gian: Quý TIV/2026", "confidence": 61.7},
            ],
        },
    }
    draft.save()
    page = _client(pvhcc).get(f"/admin/plans/import/{draft.pk}/").content.decode()
    assert "Dòng không xếp được vào đâu" in page
    assert "nhận dạng chữ (OCR)" in page and "88,4" in page
    assert 'class="lt-ocr-low"><span class="lt-badge lt-late"' in page and "Quý TIV/2026" in page
