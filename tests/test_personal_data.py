"""Households' names and phones and readers' names and contacts, per role (issue 11.5).

A role that may not read them learns nothing about them from a roster dry run or an import's summary; the history
never shows their values; every read is logged (the feedback answer form included); roster updates leave an audit
entry; feedback opens only for the unit it is routed to, leadership, the column's editors and the Front.
"""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import Workbook

from lantoa.column import services as column_services
from lantoa.column.models import Feedback
from lantoa.reach import services
from lantoa.tenancy import roles
from lantoa.tenancy.models import Household, PersonalDataAccess, Staff
from lantoa.tenancy.services import ensure_unit

from .conftest import make_user

pytestmark = pytest.mark.django_db

HEADER = ("Thôn", "Mã hộ", "Số nhân khẩu", "Chủ hộ", "Điện thoại")
NAME, PHONE = "Lò Văn Pả", "0912345678"


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster(name: str, phone: str) -> bytes:
    return xlsx([HEADER, ("Thôn Pá", "P-1", 4, name, phone), ("Thôn Pá", "P-2", 3, "", "")])


def test_a_roster_dry_run_confirms_no_guessed_name_or_phone(commune_a, pvhcc_a):
    services.import_roster(pvhcc_a, commune=commune_a, data=roster(NAME, PHONE), file_name="ho.xlsx")
    team = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)

    def dry(name, phone):
        r = services.import_roster(team, commune=commune_a, data=roster(name, phone), file_name="ho.xlsx", dry_run=True)
        return r.summary, r.changes

    right, wrong = dry(NAME, PHONE), dry("Lò Văn Khác", "0987654321")
    assert right == wrong  # the community team cannot tell a right guess from a wrong one
    assert right[0]["updated"] == 0 and right[0]["unchanged"] == 2
    # The PVHCC focal point, who may read them, is told the contact details differ.
    seen = services.import_roster(
        pvhcc_a, commune=commune_a, data=roster("Lò Văn Khác", PHONE), file_name="ho.xlsx", dry_run=True
    )
    assert seen.summary["updated"] == 1 and seen.changes[0]["contact_details"] is True


def test_roster_updates_of_names_and_phones_are_audited_without_their_values(commune_a, pvhcc_a):
    services.import_roster(pvhcc_a, commune=commune_a, data=roster(NAME, PHONE), file_name="ho.xlsx")
    team = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    result = services.import_roster(team, commune=commune_a, data=roster(NAME, "0911222333"), file_name="ho.xlsx")
    assert result.summary["updated"] == 0  # nothing said to the team...
    household = Household.objects.get(code="P-1")
    assert household.phone == "0911222333"  # ...but the new phone is recorded
    entry = LogEntry.objects.get_for_object(household).filter(actor=team).get()
    assert set(entry.changes_dict) == {"head_name", "phone"}
    assert "0911" not in str(entry.changes) and "222333" not in str(entry.changes)


def test_the_history_shows_no_personal_value(commune_a, pvhcc_a):
    services.import_roster(pvhcc_a, commune=commune_a, data=roster(NAME, PHONE), file_name="ho.xlsx")
    household = Household.objects.get(code="P-1")
    household.phone = "0977000111"
    household.head_name = "Lò Thị Mai"
    household.save()
    entries = " ".join(str(e.changes) for e in LogEntry.objects.get_for_object(household))
    for part in ("0977", "000111", "0912", "345678", "Mai", "Pả"):
        assert part not in entries
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(f"/admin/snippets/tenancy/household/history/{household.pk}/")
    assert page.status_code == 200 and "Số điện thoại" in page.content.decode()
    assert "000111" not in page.content.decode() and "345678" not in page.content.decode()


@pytest.fixture
def routed(commune_a, data_a):
    """Feedback with the reader's name and phone routed to unit 1; a user of unit 1 and one of unit 2."""
    unit1, unit2 = data_a["unit"], ensure_unit(commune_a, "Phòng Văn hóa khác")
    people = {
        "unit1": make_user("donvi1", roles.UNIT, commune=commune_a),
        "unit2": make_user("donvi2", roles.UNIT, commune=commune_a),
        "leader": make_user("lanhdao", roles.LEADERSHIP, commune=commune_a),
        "front": make_user("mttq", roles.OVERSIGHT, commune=commune_a),
    }
    Staff.objects.filter(pk=data_a["staff"].pk).update(user=people["unit1"])
    Staff.objects.create(commune=commune_a, unit=unit2, full_name="Cán bộ khác", user=people["unit2"])
    kw = {"commune": commune_a, "kind": "question", "name": "Bà Hoa", "contact": "0909555666"}
    to1 = Feedback.objects.create(body="Câu hỏi cho đơn vị một", unit=unit1, **kw)
    unrouted = Feedback.objects.create(body="Câu hỏi chung", **kw)
    return people, to1, unrouted


def test_feedback_opens_only_for_its_unit_leadership_and_the_front(routed):
    people, to1, unrouted = routed
    urls = {
        "list": "/admin/snippets/column/feedback/",
        "edit": f"/admin/snippets/column/feedback/edit/{to1.pk}/",
        "inspect": f"/admin/snippets/column/feedback/inspect/{to1.pk}/",
        "history": f"/admin/snippets/column/feedback/history/{to1.pk}/",
    }

    def visit(who):
        client = Client()
        client.force_login(people[who])
        return {k: client.get(u) for k, u in urls.items()}

    other = visit("unit2")
    assert "Câu hỏi cho đơn vị một" not in other["list"].content.decode()
    assert "Câu hỏi chung" not in other["list"].content.decode()  # not routed to a unit: not a unit's to read
    assert {other[k].status_code for k in ("edit", "inspect", "history")} == {404}
    with pytest.raises(PermissionDenied):
        column_services.answer_feedback(people["unit2"], to1, answer="Trả lời thay", publish=False)
    assert Feedback.objects.get(pk=to1.pk).answer == ""
    assert not PersonalDataAccess.objects.exists()

    own = visit("unit1")
    assert "Câu hỏi cho đơn vị một" in own["list"].content.decode()
    assert "Câu hỏi chung" not in own["list"].content.decode()
    assert own["edit"].status_code == 200 and "0909555666" in own["edit"].content.decode()
    log = PersonalDataAccess.objects.get(user=people["unit1"])
    assert log.fields == "name,contact" and log.household is None
    column_services.answer_feedback(people["unit1"], to1, answer="Tháng sau có lớp.", publish=False)

    for who in ("leader", "front"):
        pages = visit(who)
        assert "Câu hỏi cho đơn vị một" in pages["list"].content.decode()
        assert "Câu hỏi chung" in pages["list"].content.decode()
        assert pages["inspect"].status_code == 200
    assert PersonalDataAccess.objects.filter(user=people["leader"]).count() == 1  # leadership opened the answer form
    assert "0909555666" not in visit("front")["inspect"].content.decode()
