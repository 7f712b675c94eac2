"""Excel exports of the reach pages with their filters: contacts, and households by code only (never a name or a
phone). Saved through ``tenancy.spreadsheets.workbook_bytes``: a user's text that looks like a formula stays text."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantoa.tenancy.spreadsheets import workbook_bytes


def _book(title: str, header: list[str]):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return book, sheet


def contacts_xlsx(contacts) -> bytes:
    book, sheet = _book(
        _("Contacts"),
        [_("Date"), _("Channel"), _("Plan activity"), _("Hamlet"), _("Household code"), _("People"), _("Counted per")],
    )
    for c in contacts:
        sheet.append(
            [
                c.date,
                c.get_channel_display(),
                c.activity.title if c.activity_id else "",
                c.hamlet.name if c.hamlet_id else "",
                c.household.code if c.household_id else "",
                c.people,
                c.get_per_display(),
            ]
        )
    for cell in sheet["A"][1:]:
        cell.number_format = "DD/MM/YYYY"
    return workbook_bytes(book)


def households_xlsx(households, reached: set[int], period_label: str) -> bytes:
    book, sheet = _book(
        _("Households"),
        [_("Household code"), _("Hamlet"), _("Members"), _("Reached in %(period)s") % {"period": period_label}],
    )
    for h in households:
        sheet.append([h.code, h.hamlet.name, h.members, _("Yes") if h.pk in reached else _("No")])
    return workbook_bytes(book)
