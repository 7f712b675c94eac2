"""Printed paper of events: the invitation sheet (one card per invitee, each with its QR code) and the attendance
certificate (through tenancy.certificates, whose QR opens the public verification page).

QR codes hold only a link with the invitation's opaque code, never a name (indico#6101).
"""

from __future__ import annotations

import io

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from lantoa.tenancy import certificates
from lantoa.tenancy.models import Certificate
from lantoa.tenancy.services import require_commune_perm

from .models import Attendance, Event, Invitation

FONT_DIR = "/usr/share/fonts/truetype/liberation2/"
CARDS_PER_PAGE = 8  # 2 × 4 on A4 portrait, cut along the lines


def _pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("Sans", "", FONT_DIR + "LiberationSans-Regular.ttf")
    pdf.add_font("Sans", "B", FONT_DIR + "LiberationSans-Bold.ttf")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Lan Tỏa")
    return pdf


def _qr_png(data: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return out


def _who(inv: Invitation, personal: bool) -> tuple[str, str]:
    if inv.staff_id:
        return inv.staff.full_name, inv.organisation
    if inv.household_id:
        name = inv.household.head_name if personal and inv.household.head_name else ""
        hamlet = inv.hamlet.name if inv.hamlet else ""
        label = _("Household %(code)s") % {"code": inv.household.code}
        return (f"{name} — {label}" if name else label), hamlet
    return inv.name, inv.organisation


def invitation_sheet(event: Event, *, base_url: str, personal: bool = False) -> bytes:
    """Every invitation still valid, as cards to cut out: the event, the invitee, the code and its QR code.

    ``base_url`` is the public invitation link with ``CODE`` where the code goes.
    """
    invitations = list(
        event.invitations.exclude(status=Invitation.Status.CANCELLED)
        .select_related("staff", "household", "hamlet")
        .order_by("kind", "organisation", "name", "pk")
    )
    pdf = _pdf()
    pdf.set_title(_("Invitations") + f" — {event.title}")
    when = formats.date_format(timezone.localtime(event.starts_at), "d/m/Y H:i")
    if not invitations:
        pdf.add_page()
        pdf.set_font("Sans", "", 12)
        pdf.cell(0, 10, _("No invitation yet."))
    width, height = 95, 68
    for index, inv in enumerate(invitations):
        slot = index % CARDS_PER_PAGE
        if slot == 0:
            pdf.add_page()
        x = 10 + (slot % 2) * width
        y = 8 + (slot // 2) * (height + 3)
        pdf.set_draw_color(160)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, width - 2, height)
        pdf.image(_qr_png(base_url.replace("CODE", inv.code)), x=x + 2, y=y + 14, w=34, h=34)
        pdf.set_xy(x + 3, y + 3)
        pdf.set_font("Sans", "B", 11)
        pdf.cell(width - 8, 6, _("INVITATION"), align="C")
        pdf.set_xy(x + 38, y + 12)
        pdf.set_font("Sans", "B", 10)
        pdf.multi_cell(width - 43, 4.6, event.title[:140])
        pdf.set_x(x + 38)
        pdf.set_font("Sans", "", 9)
        pdf.multi_cell(width - 43, 4.4, f"{when}\n{event.place[:80]}")
        name, group = _who(inv, personal)
        pdf.set_xy(x + 3, y + 50)
        pdf.set_font("Sans", "B", 10)
        pdf.cell(width - 8, 5, name[:60])
        pdf.set_xy(x + 3, y + 55)
        pdf.set_font("Sans", "", 9)
        pdf.cell(width - 8, 4.5, group[:70])
        pdf.set_xy(x + 3, y + 60)
        pdf.set_font("Sans", "B", 10)
        pdf.cell(width - 8, 5, _("Code: %(code)s") % {"code": inv.code})
    return bytes(pdf.output())


def holder_name(invitation: Invitation) -> str:
    if invitation.staff_id:
        return invitation.staff.full_name
    if invitation.household_id and not invitation.name:
        return invitation.household.head_name or _("Household %(code)s") % {"code": invitation.household.code}
    return invitation.name


@transaction.atomic
def issue_certificate(actor, invitation: Invitation):
    """The attendance certificate of one person present (tenancy.certificates): issued once, the same one after."""
    require_commune_perm(actor, "events.change_invitation", invitation.commune_id)  # the organisers issue
    attendance = Attendance.objects.filter(invitation=invitation).select_related("event").first()
    if attendance is None:
        raise ValidationError(_("Only a person checked in receives a certificate of attendance."))
    event = attendance.event
    when = formats.date_format(event.day, "d/m/Y")
    return certificates.issue(
        actor,
        event.commune_id,
        holder=holder_name(invitation),
        title=event.title,
        kind=Certificate.Kind.ATTENDANCE,
        issued_on=event.day,
        detail=f"{event.get_kind_display()} · {when}" + (f" · {event.place}" if event.place else ""),
        subject=attendance,
    )


def attendance_certificate(actor, invitation: Invitation) -> bytes:
    """The certificate's PDF: A4 landscape with a QR code to its public verification page (/xac-minh/<code>/)."""
    return certificates.pdf_bytes(issue_certificate(actor, invitation))
