"""One figure reads the same on the dashboard, in the DOCX (read back with python-docx) and in the XLSX annex
(read back with openpyxl, each numeric cell shown through its number format as a Vietnamese Excel shows it)."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from lantoa.reports import annex, document, periods, services
from lantoa.reports import wording as W
from lantoa.tenancy import numbers

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def excel_text(cell) -> str:
    """What a Vietnamese Excel shows for a cell of the annex (decimal “,”, thousands “.”)."""
    if cell.value is None:
        return "—"
    decimals = {
        numbers.XLSX_PERCENT: 0,
        numbers.XLSX_PERCENT_1: 1,
        numbers.XLSX_COUNT: 0,
        numbers.XLSX_COUNT_1: 1,
    }[cell.number_format]
    text = numbers.number(cell.value, decimals)
    return text + "%" if cell.number_format in (numbers.XLSX_PERCENT, numbers.XLSX_PERCENT_1) else text


def dashboard_cards(page: str) -> dict[str, dict]:
    """Each indicator card of the dashboard: its value, numerator, denominator and share of the target reached."""
    cards = {}
    for code, body in re.findall(r'<section class="card" id="([a-z_]+)">(.*?)</section>', page, re.S):
        value = re.search(r'<a class="big"[^>]*>([^<]*)</a>', body).group(1)
        numerator, denominator = re.search(
            r'<div class="small">\s*<a [^>]*>([^<]*)</a> / <a [^>]*>([^<]*)</a>', body
        ).groups()
        achieved = re.search(r'<span class="achieved">tỷ lệ đạt ([^ ]*) so với mục tiêu</span>', body)
        cards[code] = {
            "value": html.unescape(value),
            "numerator": numerator,
            "denominator": denominator,
            "achieved": achieved.group(1) if achieved else None,
        }
    return cards


def test_the_dashboard_the_docx_and_the_xlsx_show_each_figure_alike(world, pvhcc_a):
    report = services.build(world["commune"], periods.for_kind("year", YEAR))
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(f"/reach/communes/{world['commune'].pk}/?period={YEAR}&as_of={report.as_of.isoformat()}")
    assert page.status_code == 200
    cards = dashboard_cards(page.content.decode())

    doc = Document(io.BytesIO(document.build_docx(report)))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    printed = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}

    sheet = load_workbook(io.BytesIO(annex.commune_annex(report)))["Chỉ tiêu toàn xã"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "Chỉ tiêu")[0].row
    columns = [c.value for c in sheet[header]]
    annexed = {
        row[1].value: {title: cell for title, cell in zip(columns, row, strict=True)}
        for row in sheet.iter_rows(min_row=header + 1)
        if row[1].value
    }

    compared = 0
    for row in report.data["indicators"]:
        if row["companion_of"]:
            continue
        shown = cards[row["code"]]
        cells = printed[W.indicator_name(row)]
        xlsx = annexed[row["code"]]
        docx_value = cells[3].split("\n")[0]
        # The value: dashboard = DOCX = XLSX.
        expected_value = "Chưa có số liệu" if row["value"] is None else shown["value"]
        assert docx_value == expected_value
        assert excel_text(xlsx["Kết quả (%)"]) == shown["value"]
        if row["value"] is not None and row["denominator"]:
            # The numerator and denominator.
            assert cells[3].split("\n")[1] == f"({shown['numerator']}/{shown['denominator']})"
            assert excel_text(xlsx["Tử số"]) == shown["numerator"]
            assert excel_text(xlsx["Mẫu số"]) == shown["denominator"]
        # The share of the target reached, from the unrounded value, rounded once.
        if row["target"] is not None and row["value"] is not None:
            assert cells[4] == shown["achieved"] == excel_text(xlsx["Tỷ lệ đạt (%)"])
            assert cells[2].split("\n")[0] == excel_text(xlsx["Mục tiêu (%)"])
            compared += 1
    assert compared >= 2
    # The world's residents reached: 3 of 16 residents (18,75%), shown 18,8%; against its 10% target that is
    # 187,5% reached (from 18,75%), not the 188% a rounded 18,8% would give.
    residents = next(r for r in report.data["indicators"] if r["code"] == "residents_reached")
    assert numbers.achievement(
        residents["value"], residents["target"], residents["numerator"], residents["denominator"]
    ) == float(numbers.rounded(100 * (100 * residents["numerator"] / residents["denominator"]) / residents["target"]))
