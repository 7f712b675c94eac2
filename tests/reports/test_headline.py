"""The report says which count of residents reached is the headline, as the province chose, and prints the lower
bound under it."""

from __future__ import annotations

import pytest

from lantoa.reports import document, drafting, periods
from lantoa.tenancy.models import Province
from lantoa.tenancy.services import set_residents_headline

from .conftest import YEAR
from .test_document import read

pytestmark = pytest.mark.django_db


def _rows(commune):
    data = drafting.collect(commune, periods.for_kind("h1", YEAR))
    return data, {r["code"]: r for r in data["indicators"]}


def test_the_report_follows_the_provinces_headline(world):
    commune = world["commune"]
    # One household of 3 members reached by a meeting recording 1 person, out of 16 residents.
    data, rows = _rows(commune)
    assert rows["residents_reached"]["numerator"] == 3 and rows["residents_recorded"]["numerator"] == 1
    assert "số người dân của các hộ được tiếp cận (mọi thành viên" in rows["residents_reached"]["method_text"]

    set_residents_headline(world["root"], commune.province, Province.ResidentsHeadline.RECORDED)
    data, rows = _rows(commune)
    head = rows["residents_reached"]
    assert head["numerator"] == 1 and head["headline_method"] == "recorded"
    assert "Chỉ số chính do tỉnh chọn: số người được ghi nhận đã tiếp cận, là cận dưới" in head["method_text"]

    from lantoa.reports import services

    report = services.build(commune, periods.for_kind("h1", YEAR))
    text = "\n".join(p.text for p in read(report).paragraphs)
    assert "Cách tính: " in text and "số người được ghi nhận đã tiếp cận, là cận dưới" in text
    cells = [c.text for t in read(report).tables for row in t.rows for c in row.cells]
    assert "Người dân được ghi nhận đã tiếp cận (cận dưới, tham khảo)" in cells
    order = [(row["code"], companion) for _n, row, companion in document.indicator_rows(report.data)]
    assert order[order.index(("residents_reached", False)) + 1] == ("residents_recorded", True)
