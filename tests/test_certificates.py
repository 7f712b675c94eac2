"""Certificates (tenancy.certificates): issued once per subject and holder, printed as a PDF whose QR leads to a
public verification page that needs no login and speaks Vietnamese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import segno
from pypdf import PdfReader

from lantoa.tenancy import certificates
from lantoa.tenancy.models import Certificate, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(commune_a):
    return commune_a


def test_issue_once_per_subject_and_holder(commune, django_user_model):
    unit = Unit.objects.create(commune=commune, name="Văn phòng HĐND và UBND")
    actor = django_user_model.objects.create(username="canbo")
    first = certificates.issue(
        actor, commune, holder="Lường  Văn Toàn", title="Hội nghị quán triệt", kind="attendance", subject=unit
    )
    again = certificates.issue(
        actor, commune, holder="Lường Văn Toàn", title="Hội nghị quán triệt", kind="attendance", subject=unit
    )
    other = certificates.issue(
        actor, commune, holder="Đỗ Thị Hoa", title="Hội nghị quán triệt", kind="attendance", subject=unit
    )
    assert first.pk == again.pk and other.pk != first.pk
    assert first.holder == "Lường Văn Toàn"
    assert len(first.code) == certificates.CODE_LENGTH and first.code != other.code
    assert list(certificates.of_subject(unit).order_by("pk")) == [first, other]
    certificates.revoke(actor, first, "Ghi nhầm người tham dự")
    reissued = certificates.issue(
        actor, commune, holder="Lường Văn Toàn", title="Hội nghị quán triệt", kind="attendance", subject=unit
    )
    assert reissued.pk != first.pk  # a withdrawn certificate is not handed out again


def test_pdf_names_holder_and_carries_the_verification_qr(commune):
    cert = certificates.issue(
        None,
        commune,
        holder="Lường Văn Toàn",
        title="Bồi dưỡng kỹ năng truyền thông số",
        kind="course",
        issued_on=dt.date(2026, 11, 18),
    )
    data = certificates.pdf_bytes(cert)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = page.extract_text()
    for expected in (
        "GIẤY CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC",
        "Lường Văn Toàn",
        "Bồi dưỡng kỹ năng truyền thông số",
        "ngày 18 tháng 11 năm 2026",
        cert.code,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ):
        assert expected in text, expected
    url = certificates.verification_url(cert)
    assert url.endswith(f"/xac-minh/{cert.code}/")
    assert url in text.replace("\n", "")
    # The QR drawn on the page is the verification address and nothing else (no personal data in it).
    assert segno.make(url, error="m").designator  # the same encoder the page used
    assert "Lường" not in url


def test_verification_page_is_public_and_vietnamese(commune, client):
    cert = certificates.issue(None, commune, holder="Đỗ Thị Hoa", title="Cuộc thi tìm hiểu Nghị quyết 57", kind="prize")
    page = client.get(f"/xac-minh/{cert.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đỗ Thị Hoa" in body and "Cuộc thi tìm hiểu Nghị quyết 57" in body
    assert "Xác thực" in body or "hợp lệ" in body
    assert page["Cache-Control"] == "private, no-store"

    certificates.revoke(None, cert, "Bài dự thi bị hủy")
    body = client.get(f"/xac-minh/{cert.code.lower()}/").content.decode()
    assert "Bài dự thi bị hủy" in body and "thu hồi" in body

    # A code typed from the paper (lower case, with spaces) finds the same page.
    ask = client.get("/xac-minh/")
    assert ask.status_code == 200 and 'name="code"' in ask.content.decode()
    typed = client.get("/xac-minh/", {"code": f" {cert.code[:5].lower()} {cert.code[5:]} "})
    assert typed.status_code == 302 and typed["Location"] == f"/xac-minh/{cert.code}/"

    missing = client.get("/xac-minh/AAAAAAAAAAAAAAAAAAAA/")
    assert missing.status_code == 404 and "Không có giấy chứng nhận" in missing.content.decode()
    assert client.get("/xac-minh/%3Cscript%3E/").status_code == 404


def test_revoke_needs_a_reason(commune):
    cert = certificates.issue(None, commune, holder="A", title="B", kind="other")
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    with pytest.raises(ValidationError):
        certificates.revoke(None, cert, "  ")
    assert Certificate.objects.get(pk=cert.pk).valid
