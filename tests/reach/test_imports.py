"""Imports: the household roster and sign-in sheets. All rows or none, with row errors in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from lantoa.reach import engine, services
from lantoa.reach.models import Contact, HamletPopulation, RosterImport
from lantoa.tenancy import roles
from lantoa.tenancy.models import Hamlet, Household, PersonalDataAccess

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def xlsx(rows, title="DANH SÁCH HỘ GIA ĐÌNH") -> bytes:
    """An Excel file as a commune clerk would make it: a title row, then the header, then the rows."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    assert load_workbook(io.BytesIO(data)).active.max_row == len(rows) + 1  # the file reads back
    return data


HEADER = ("Thôn", "Mã hộ", "Số nhân khẩu", "Chủ hộ", "Điện thoại")


def test_roster_import_creates_then_updates_by_code(commune_a, pvhcc_a):
    first = xlsx(
        [
            HEADER,
            ("Thôn Nà Pài", "NP-001", 4, "Lường Văn A", "0912 345 678"),
            ("Thôn Nà Pài", "NP-002", 3, "", ""),
            ("Thôn Bản Chang", "BC-001", 6, "", ""),
        ]
    )
    result = services.import_roster(pvhcc_a, commune=commune_a, data=first, file_name="ho.xlsx")
    assert result.summary["created"] == 3 and result.summary["hamlets_created"] == ["Thôn Nà Pài", "Thôn Bản Chang"]
    assert Household.objects.get(code="NP-001").phone == "0912345678"
    assert Hamlet.objects.get(name="Thôn Nà Pài").residents_baseline == 7  # baselines follow the roster
    assert HamletPopulation.objects.get(hamlet__name="Thôn Bản Chang").residents == 6
    # The report lists codes only: no name or phone anywhere in it.
    assert "Lường" not in str(result.changes) and "0912" not in str(RosterImport.objects.get().changes)
    second = xlsx(
        [
            HEADER,
            ("Thôn Bản Chang", "NP-001", 4, "", ""),
            ("Thôn Nà Pài", "NP-002", 5, "", ""),
            ("Thôn Bản Chang", "BC-001", 6, "", ""),
            ("Thôn Bản Chang", "BC-002", 2, "", ""),
        ]
    )
    result = services.import_roster(pvhcc_a, commune=commune_a, data=second, file_name="ho-2.xlsx")
    s = result.summary
    assert (s["created"], s["updated"], s["moved"], s["unchanged"]) == (1, 1, 1, 1)
    moved = next(c for c in result.changes if c["code"] == "NP-001")
    assert (moved["change"], moved["from"], moved["to"]) == ("moved", "Thôn Nà Pài", "Thôn Bản Chang")
    assert Household.objects.get(code="NP-001").hamlet.name == "Thôn Bản Chang"
    assert Household.objects.get(code="NP-001").head_name == "Lường Văn A"  # an empty cell keeps the name
    before = engine.snapshot(commune_a.pk)
    engine.recompute([commune_a.pk])
    assert engine.snapshot(commune_a.pk) == before


def test_a_bad_roster_writes_nothing_and_names_the_bad_rows(commune_a, pvhcc_a):
    services.import_roster(
        pvhcc_a, commune=commune_a, file_name="ho.csv", data="Thôn;Mã hộ;Số nhân khẩu\nThôn A;A-1;3\n".encode()
    )
    bad = xlsx(
        [
            HEADER,
            ("Thôn A", "A-1", 9, "", ""),
            ("Thôn A", "A-2", "ba", "", ""),
            ("", "A-3", 2, "", ""),
            ("Thôn B", "Mã có dấu", 2, "", ""),
            ("Thôn B", "A-2", 0, "", "12ab"),
            ("Thôn C", "C-1", 2, "", ""),
        ]
    )
    with pytest.raises(ValidationError) as exc:
        services.import_roster(pvhcc_a, commune=commune_a, data=bad, file_name="ho.xlsx")
    messages = exc.value.messages
    assert [m.split(":")[0] for m in messages] == ["Dòng 4", "Dòng 5", "Dòng 6", "Dòng 7"]
    assert "số nhân khẩu “ba” không phải số nguyên" in messages[0]
    assert "thiếu tên thôn" in messages[1] and "Mã có dấu" in messages[2]
    assert "đã có ở dòng 4" in messages[3] and "số điện thoại không hợp lệ" in messages[3]
    assert Household.objects.get(code="A-1").members == 3  # the valid row 3 was not applied either
    assert not Household.objects.filter(code="C-1").exists() and not Hamlet.objects.filter(name="Thôn C").exists()
    assert RosterImport.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.import_roster(pvhcc_a, commune=commune_a, data=b"x", file_name="ho.pdf")
    assert "Excel" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.import_roster(pvhcc_a, commune=commune_a, data=xlsx([("Tên", "Tuổi")]), file_name="ho.xlsx")
    assert "Không tìm thấy dòng tiêu đề" in exc.value.messages[0]


def test_roster_dry_run_and_permissions(commune_a):
    data = xlsx([HEADER, ("Thôn A", "A-1", 3, "", "")])
    oversight = make_user("mttq", roles.OVERSIGHT, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.import_roster(oversight, commune=commune_a, data=data, file_name="ho.xlsx")
    team = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    result = services.import_roster(team, commune=commune_a, data=data, file_name="ho.xlsx", dry_run=True)
    assert result.summary["created"] == 1 and result.record is None and not Household.objects.exists()


def test_sign_in_sheet(commune_a, data_a, visit_activity, pvhcc_a):
    h1, h2 = data_a["households"]
    sheet = xlsx(
        [
            ("STT", "Họ và tên", "Mã hộ", "Thôn", "Số người"),
            (1, "Nguyễn Văn A", h1.code, "Thôn AAA", 2),
            (2, "Trần Thị B", h2.code, "", ""),
        ],
        title="DANH SÁCH ĐẠI BIỂU DỰ HỌP",
    )
    batch = services.import_sign_in_sheet(
        pvhcc_a,
        activity=visit_activity,
        data=sheet,
        file_name="ky-ten.xlsx",
        channel="meeting",
        date=dt.date(2026, 3, 5),
    )
    assert batch.rows == 2
    assert sorted(Contact.objects.values_list("people", flat=True)) == [1, 2]
    assert not Contact.objects.filter(note__contains="Nguyễn").exists()  # names are not read
    bad = xlsx(
        [
            ("Mã hộ", "Thôn", "Số người", "Ngày"),
            (h1.code, "Thôn Khác", 1, ""),
            ("KHONG-CO", "", 1, ""),
            (h2.code, "", 1, "31/02/2026"),
        ]
    )
    with pytest.raises(ValidationError) as exc:
        services.import_sign_in_sheet(
            pvhcc_a, activity=visit_activity, data=bad, file_name="x.xlsx", channel="meeting", date=dt.date(2026, 3, 5)
        )
    assert len(exc.value.messages) == 3 and "không phải “Thôn Khác”" in exc.value.messages[0]
    assert Contact.objects.count() == 2


def test_revealing_personal_data_is_logged(commune_a, data_a, pvhcc_a, editor_a):
    household = data_a["households"][0]
    assert services.reveal_personal_data(pvhcc_a, household, purpose="Gọi điện hẹn lịch")["phone"] == "0912345678"
    assert PersonalDataAccess.objects.filter(household=household, user=pvhcc_a).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_personal_data(editor_a, household, purpose="xem")
