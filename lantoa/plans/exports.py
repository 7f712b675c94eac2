"""Excel exports of the plan's tasks and activities, as the listing shows them (same filters).

Saved through ``tenancy.spreadsheets.workbook_bytes``: a user's text that looks like a formula stays text."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantoa.tenancy.spreadsheets import workbook_bytes


def _sheet(book: Workbook, title: str, header: list[str]):
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _units(units) -> str:
    return "; ".join(u.name for u in units)


def tasks_xlsx(states) -> bytes:
    book = Workbook()
    sheet = _sheet(
        book,
        _("Tasks"),
        [
            _("Code"),
            _("Task"),
            _("Lead"),
            _("Cooperating"),
            _("Timing"),
            _("Deadline"),
            _("Status"),
            _("Progress (%)"),
            _("Last activity"),
        ],
    )
    for s in states:
        task = s.task
        sheet.append(
            [
                task.code,
                task.title,
                _units(task.lead_units.all()),
                _units(task.cooperating_units.all()),
                task.timing,
                task.deadline,
                str(s.status_label),
                s.progress,
                s.last_activity,
            ]
        )
    _dates(sheet, ("F", "I"))
    return workbook_bytes(book)


def activities_xlsx(activities) -> bytes:
    book = Workbook()
    sheet = _sheet(
        book,
        _("Activities"),
        [
            _("Task"),
            _("Unit"),
            _("What was done"),
            _("Date"),
            _("End date"),
            _("Place"),
            _("Channel"),
            _("Audience"),
            _("Number of people"),
            _("Task progress after this (%)"),
            _("Details"),
            _("Links"),
        ],
    )
    for a in activities:
        sheet.append(
            [
                a.task.code,
                a.unit.name,
                a.title,
                a.date,
                a.end_date,
                a.location,
                a.get_channel_display(),
                a.audience,
                a.people_count,
                a.progress,
                a.description,
                a.links,
            ]
        )
    _dates(sheet, ("D", "E"))
    return workbook_bytes(book)


def _dates(sheet, columns) -> None:
    for column in columns:
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
