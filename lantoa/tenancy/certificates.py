"""Certificates the commune issues, and their public verification.

One way for every app: an event's attendance (``events``), a finished course or a contest prize (``learning``)
call ``issue``; the holder gets ``pdf_bytes`` (A4 landscape, fpdf2, a QR to the verification page); anyone holding
the paper opens ``/xac-minh/<code>/`` with no login and sees whether the certificate is genuine and still valid.

The QR holds only the verification address, whose code is 100 random bits (pretix and Indico learnt to encode an
opaque id, not data): the page cannot be found without the paper, so it may show the holder's name — that is what
a verifier checks against. Issuing is a step of the calling app's own service, which checks the caller's right
first (a learner finishing a course issues their own certificate); ``issue`` itself records who issued it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import decree30
from .models import Certificate, Commune

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 20  # 20 × 5 bits = 100 bits
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")

KIND_LINE = {
    Certificate.Kind.ATTENDANCE: "Đã tham dự",
    Certificate.Kind.COURSE: "Đã hoàn thành khóa học",
    Certificate.Kind.PRIZE: "Đạt giải",
    Certificate.Kind.OTHER: "Về việc",
}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _subject_key(subject) -> tuple[str, int | None]:
    if subject is None:
        return "", None
    return subject._meta.label_lower, subject.pk


@transaction.atomic
def issue(
    actor,
    commune: Commune | int,
    *,
    holder: str,
    title: str,
    kind: str,
    issued_on: dt.date | None = None,
    detail: str = "",
    subject=None,
) -> Certificate:
    """The certificate of ``holder`` for ``subject`` (an attendance, a completion…): issued once — asking again for
    the same subject and holder returns the valid one already issued."""
    commune_id = getattr(commune, "pk", commune)
    subject_type, subject_id = _subject_key(subject)
    holder = " ".join((holder or "").split())[:200]
    if subject_id is not None:
        existing = Certificate.objects.filter(
            commune_id=commune_id,
            subject_type=subject_type,
            subject_id=subject_id,
            holder=holder,
            revoked_at__isnull=True,
        ).first()
        if existing is not None:
            return existing
    return Certificate.objects.create(
        commune_id=commune_id,
        code=new_code(),
        kind=kind,
        holder=holder,
        title=" ".join((title or "").split())[:300],
        detail=(detail or "")[:500],
        issued_on=issued_on or timezone.localdate(),
        subject_type=subject_type,
        subject_id=subject_id,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )


def of_subject(subject):
    """The certificates issued for ``subject`` (valid and revoked)."""
    subject_type, subject_id = _subject_key(subject)
    return Certificate.objects.filter(subject_type=subject_type, subject_id=subject_id)


@transaction.atomic
def revoke(actor, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate (issued by mistake, attendance corrected): its page then says it is no longer valid."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"revoked_reason": _("Say why the certificate is withdrawn.")})
    stored = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if stored.revoked_at is None:
        stored.revoked_at = timezone.now()
        stored.revoked_reason = reason[:300]
        stored.save(update_fields=["revoked_at", "revoked_reason"])
    return stored


def verification_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public page, on its commune's own site when it has one."""
    site = getattr(certificate.commune, "site", None)
    root = site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + reverse("certificate_verify", args=[certificate.code])


@lru_cache(maxsize=1)
def _fonts() -> dict[str, str]:
    return {
        "": str(FONT_DIR / "LiberationSerif-Regular.ttf"),
        "B": str(FONT_DIR / "LiberationSerif-Bold.ttf"),
        "I": str(FONT_DIR / "LiberationSerif-Italic.ttf"),
    }


def pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as one A4 landscape page: the commune and the national motto, the holder, what for, the
    date, the verification code and a QR of the verification address."""
    from fpdf import FPDF  # noqa: PLC0415 — ~0.5 s to import, only when a certificate is printed

    commune = certificate.commune
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"{certificate.get_kind_display()} {certificate.code}")
    pdf.set_creator("Lan Tỏa")
    for style, path in _fonts().items():
        pdf.add_font("Serif", style, path)
    pdf.add_page()
    width = 297
    pdf.set_draw_color(163, 22, 26)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, 190)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, width - 26, 184)
    pdf.set_text_color(0, 0, 0)
    # Header: the issuing body on the left, the national motto on the right (as the Decree 30 form).
    pdf.set_xy(20, 20)
    pdf.set_font("Serif", "", 13)
    pdf.cell(110, 6, "ỦY BAN NHÂN DÂN", align="C")
    pdf.set_xy(130, 20)
    pdf.set_font("Serif", "B", 13)
    pdf.cell(150, 6, decree30.MOTTO, align="C")
    pdf.set_xy(20, 26)
    pdf.cell(110, 6, commune.name.upper(), align="C")
    pdf.set_xy(130, 26)
    pdf.set_font("Serif", "B", 14)
    pdf.cell(150, 6, decree30.SLOGAN, align="C")
    pdf.line(60, 33, 90, 33)
    pdf.line(172, 33, 238, 33)
    # Title and body.
    pdf.set_text_color(163, 22, 26)
    pdf.set_xy(20, 52)
    pdf.set_font("Serif", "B", 30)
    kind_title = {
        Certificate.Kind.ATTENDANCE: "GIẤY CHỨNG NHẬN THAM DỰ",
        Certificate.Kind.COURSE: "GIẤY CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC",
        Certificate.Kind.PRIZE: "GIẤY CHỨNG NHẬN ĐẠT GIẢI",
    }.get(certificate.kind, "GIẤY CHỨNG NHẬN")
    pdf.cell(width - 40, 14, kind_title, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(20, 74)
    pdf.set_font("Serif", "", 16)
    pdf.cell(width - 40, 8, f"{('UBND ' + commune.name)} chứng nhận", align="C")
    pdf.set_xy(20, 86)
    pdf.set_font("Serif", "B", 24)
    pdf.cell(width - 40, 12, certificate.holder, align="C")
    pdf.set_xy(35, 104)
    pdf.set_font("Serif", "", 16)
    pdf.multi_cell(width - 70, 8, f"{KIND_LINE.get(certificate.kind, 'Về việc')}: {certificate.title}", align="C")
    if certificate.detail:
        pdf.set_x(35)
        pdf.set_font("Serif", "I", 14)
        pdf.multi_cell(width - 70, 7, certificate.detail, align="C")
    pdf.set_xy(150, 150)
    pdf.set_font("Serif", "I", 14)
    pdf.cell(
        120, 7, decree30.place_date(commune.short_name, certificate.issued_on, certificate.issued_on.year), align="C"
    )
    # The verification: QR and code, bottom left.
    url = verification_url(certificate)
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix_iter(scale=1, border=0))
    module = 36 / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(24 + col_index * module, 148 + row_index * module, module, module, style="F")
    pdf.set_xy(64, 160)
    pdf.set_font("Serif", "", 11)
    pdf.multi_cell(80, 5, f"Mã xác minh: {certificate.code}\nQuét mã QR hoặc mở:\n{url}", align="L")
    return bytes(pdf.output())


def pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def find(code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return Certificate.objects.select_related("commune").filter(code=code).first()
