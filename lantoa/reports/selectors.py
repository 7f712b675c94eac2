"""Reads of the reports app, always scoped to the user's communes: reports, their state for the leadership page,
and the province roll-up (every commune's indicators and who has issued its report)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.reach import indicators as ind
from lantoa.reach import selectors as reach_selectors
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.models import Commune, Province
from lantoa.tenancy.services import has_commune_perm

from . import periods
from . import wording as W
from .models import Report


def reports(user) -> QuerySet[Report]:
    return tenancy.scoped(Report.objects.select_related("commune", "commune__province"), user)


def latest(commune: Commune, span: periods.Span) -> Report | None:
    """The report of a period that counts: the latest issued one, else the one being prepared."""
    rows = Report.objects.filter(commune=commune, kind=span.kind, start=span.start, end=span.end)
    return (
        rows.filter(status=Report.Status.ISSUED).order_by("-issued_at", "-pk").first() or rows.order_by("-pk").first()
    )


def state_text(report: Report | None, span: periods.Span, today: dt.date | None = None) -> str:
    """“Đã ban hành: Số 45/BC-UBND ngày 15/06/2026”, “Dự thảo (số liệu đến 10/06/2026)”, “Chưa lập — hạn 20/06/2026”."""
    today = today or timezone.localdate()
    label = f"Báo cáo {periods.label(span)}"
    deadline = span.deadline
    due = f" — hạn {W.date(deadline)}" if deadline else ""
    if report is None:
        late = " (đã quá hạn)" if deadline and today > deadline else ""
        return f"{label}: chưa lập{due}{late}"
    if report.status == Report.Status.ISSUED:
        return f"{label}: đã ban hành, số {report.reference} ngày {W.date(report.issued_on)}"
    status = {
        Report.Status.DRAFT: "dự thảo",
        Report.Status.SUBMITTED: "chờ lãnh đạo phê duyệt",
        Report.Status.APPROVED: "đã phê duyệt, chờ ban hành",
    }[report.status]
    late = " (đã quá hạn)" if deadline and today > deadline else ""
    return f"{label}: {status}, số liệu đến {W.date(report.as_of)}{due}{late}"


def overview_panel(commune: Commune, user) -> dict | None:
    """The state of this year's two reports, for the plans leadership page (plans.hooks.register_overview_panel)."""
    if not has_commune_perm(user, "reports.view_report", commune):
        return None
    year = timezone.localdate().year
    items = []
    for kind in ("h1", "year"):
        span = periods.for_kind(kind, year)
        report = latest(commune, span)
        url = (
            reverse("reports_admin:detail", kwargs={"report_id": report.pk})
            if report
            else (reverse("reports_admin:index") + f"?commune={commune.pk}")
        )
        items.append({"text": state_text(report, span), "url": url})
    return {"title": _("Semi-annual reports"), "items": items}


# --- Province roll-up --------------------------------------------------------------------------------------


ROLLUP_KINDS = ("h1", "year")


def rollup_span(code: str | None, today: dt.date | None = None) -> periods.Span:
    """The report period of the roll-up: ``2026H1`` or ``2026``; by default the one due next."""
    today = today or timezone.localdate()
    if code:
        span = periods.parse(code)
        if span.kind in ROLLUP_KINDS:
            return span
    return periods.for_kind("h1" if today <= dt.date(today.year, 6, 20) else "year", today.year)


def provinces_for(user) -> list[Province]:
    communes = tenancy.communes_for(user).select_related("province")
    return sorted({c.province for c in communes}, key=lambda p: p.name)


def province_rollup(user, province: Province, span: periods.Span, today: dt.date | None = None) -> dict:
    """Every commune of the province the user may see: its indicators for the period (reach's province
    comparison) and the state of its report; the communes that have not issued theirs."""
    today = today or timezone.localdate()
    communes = [
        c
        for c in tenancy.communes_for(user).filter(province=province).select_related("province").order_by("name")
        if has_commune_perm(user, "reports.view_report", c)
    ]
    as_of = span.default_as_of(today)
    with translation.override("vi"):
        comparison = reach_selectors.province_comparison(communes, span.reach, today=as_of)
    by_commune = {}
    for report in Report.objects.filter(commune__in=communes, kind=span.kind, start=span.start, end=span.end).order_by(
        "commune_id", "-pk"
    ):
        current = by_commune.get(report.commune_id)
        if current is None or (report.is_issued and not current.is_issued):
            by_commune[report.commune_id] = report
    indicators = [
        {
            "code": i.code,
            "name": W.INDICATOR_NAMES.get(i.code, str(i.name)),
            "short": W.INDICATOR_SHORT.get(i.code, str(i.short_name)),
        }
        for i in ind.INDICATORS
    ]
    rows = []
    for line in comparison["rows"]:
        commune = line["commune"]
        report = by_commune.get(commune.pk)
        rows.append(
            {
                "commune": commune.name,
                "commune_id": commune.pk,
                "values": line["values"],
                "report": report,
                "issued": bool(report and report.is_issued),
                "report_text": state_text(report, span, today),
                "cells": [W.percent(line["values"][i["code"]]["value"]) for i in indicators],
            }
        )
    return {
        "province": province.name,
        "label": periods.label(span),
        "span": span,
        "as_of": as_of,
        "indicators": indicators,
        "rows": rows,
        "total": comparison["total"],
        "total_cells": [W.percent(comparison["total"][i["code"]]["value"]) for i in indicators],
        "issued": sum(1 for r in rows if r["issued"]),
        "missing": [r for r in rows if not r["issued"]],
    }
