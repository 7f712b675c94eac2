"""The draft is written from the records: counts, sentences, indicators exactly as the engine gives them."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.reach import selectors as reach_selectors
from lantoa.reports import drafting, periods, services

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def test_results_are_sentences_from_the_recorded_activities(world):
    span = periods.for_kind("h1", YEAR)
    data = drafting.collect(world["commune"], span)
    acts = data["activities"]
    # H1 only: 6 column items, 2 shares, 2 conferences (the September one is outside the period).
    assert (acts["total"], acts["people"]) == (10, 150)
    assert {c["channel"]: (c["n"], c["people"]) for c in acts["by_channel"]} == {
        "web_column": (6, 0),
        "social": (2, 0),
        "conference": (2, 150),
    }
    text = drafting.compose(data)["results"]
    unit = world["unit"].name
    assert (
        f"- {unit} đăng 6 tin, bài trên chuyên mục Nghị quyết số 57-NQ/TW của Trang thông tin điện tử xã; "
        f"chia sẻ 2 tin, bài trên các nền tảng mạng xã hội của xã." in text
    )
    assert f"- {unit} tổ chức 2 hội nghị, hội thảo, tọa đàm, sự kiện với 150 lượt người tham dự." in text
    assert "đã triển khai 10 hoạt động thuộc 2/3 nhiệm vụ của Kế hoạch" in text
    assert "1.1. Xây dựng và duy trì các chuyên mục về Nghị quyết số 57-NQ/TW." in text  # first sentence only
    assert "Câu thứ hai" not in text
    assert "2.1. Tuyên truyền tại trường học." in text
    assert "Trong kỳ chưa ghi nhận kết quả thực hiện" in text
    assert "Hội nghị phổ biến Nghị quyết 57 (ngày 20/03/" in text
    year_text = drafting.compose(drafting.collect(world["commune"], periods.for_kind("year", YEAR)))["results"]
    assert "tổ chức 3 hội nghị, hội thảo, tọa đàm, sự kiện với 190 lượt người tham dự" in year_text


def test_indicators_are_exactly_the_engines(world):
    commune = world["commune"]
    for kind in ("h1", "year"):
        span = periods.for_kind(kind, YEAR)
        data = drafting.collect(commune, span)
        # The year's indicators (yearly targets), as of the legal cut-off (14/6 or 14/12).
        engine = reach_selectors.indicator_values(commune, str(YEAR), today=span.end)
        assert [r["code"] for r in data["indicators"]] == [r["code"] for r in engine]
        for mine, theirs in zip(data["indicators"], engine, strict=True):
            for key in ("value", "numerator", "denominator", "target", "target_year", "gap", "status", "projection"):
                assert mine[key] == theirs[key], (mine["code"], key)
    reached = next(r for r in data["indicators"] if r["code"] == "residents_reached")
    assert reached["numerator"] == 3 and reached["target"] == 10.0


def test_an_earlier_cut_off_counts_up_to_that_day(world):
    span = periods.for_kind("h1", YEAR)
    data = drafting.collect(world["commune"], span, dt.date(YEAR, 3, 31))
    assert data["as_of"] == f"{YEAR}-03-31" and data["engine_day"] == f"{YEAR}-03-31"
    assert data["activities"]["total"] == 3 + 2 + 1  # Jan-Mar column items, two shares, the March conference
    assert "ngày 31/03/" in drafting.indicator_intro(data)


def test_adhoc_period_says_which_indicator_period_it_uses(world):
    span = periods.adhoc(dt.date(YEAR, 3, 1), dt.date(YEAR, 5, 31))
    data = drafting.collect(world["commune"], span)
    intro = drafting.indicator_intro(data)
    assert "6 tháng đầu năm" in intro and f"01/01/{YEAR}" in intro and f"31/05/{YEAR}" in intro
    assert data["period"]["reach"] == f"{YEAR}S1"
    assert data["engine_day"] == f"{YEAR}-05-31"


def test_obstacles_budget_directions_and_proposals(world):
    data = drafting.collect(world["commune"], periods.for_kind("h1", YEAR))
    sections = drafting.compose(data)
    assert "Thiếu máy chiếu: Hội trường chưa có máy chiếu" in sections["obstacles"]
    assert "Đề nghị hỗ trợ máy chiếu" in sections["proposals"]
    assert "54.000.000 đồng (2 nội dung)" in sections["budget"]
    assert "12.500.000 đồng" in sections["budget"] and "1/2 nội dung" in sections["budget"]
    assert sections["directions"].startswith(f"Trong 6 tháng cuối năm {YEAR}")
    assert sections["closing"].endswith("./.")
    header = drafting.header_defaults(data)
    assert header["addressees"][0] == "Bộ Khoa học và Công nghệ"
    assert header["addressees"][1] == f"Ủy ban nhân dân tỉnh {world['commune'].province.name}"
    assert header["archive"] == "Lưu: VT, HCC" and header["recipients"][0] == "Như trên"
    assert header["signer_name"] == "Lường Văn Toàn" and header["signer_on_behalf"] == "KT. CHỦ TỊCH"
    assert header["summary"] == (
        "Kết quả thực hiện Kế hoạch triển khai Chương trình “Đẩy mạnh truyền thông thực hiện "
        f"Nghị quyết số 57-NQ/TW” 6 tháng đầu năm {YEAR}"
    )


def test_build_writes_nothing(world):
    from lantoa.reports.models import Report

    report = services.build(world["commune"], periods.for_kind("h1", YEAR))
    assert report.pk is None and not Report.objects.exists()
    assert report.sections == report.generated and report.reference == "…/BC-UBND"


def test_late_tasks_name_their_last_activity_before_the_cut_off(world):
    data = drafting.collect(world["commune"], periods.parse(f"{YEAR}S1"))  # the calendar half, to 30/6
    late = {t["code"]: t for t in data["late_tasks"]}
    assert late["1.2"]["last_activity"] == f"{YEAR}-05-12"  # not the September one, after the cut-off
    assert late["2.1"]["last_activity"] is None
    text = drafting.compose(data)["obstacles"]
    assert f"chưa có hoạt động mới kể từ ngày 12/05/{YEAR}" in text and "chưa ghi nhận hoạt động nào" in text


def test_the_legal_period_is_stated_and_the_indicators_are_the_years_to_the_cut_off(world):
    span = periods.for_kind("h1", YEAR)
    data = drafting.collect(world["commune"], span, estimate=True)
    intro = drafting.indicator_intro(data)
    assert f"Kỳ báo cáo từ ngày 15/12/{YEAR - 1} đến ngày 14/06/{YEAR}" in intro
    assert "Nghị định số 09/2019/NĐ-CP" in intro
    assert (
        f"Các chỉ tiêu là chỉ tiêu năm {YEAR}: kết quả được tính lũy kế từ ngày 01/01/{YEAR} đến ngày "
        f"14/06/{YEAR} và so với mục tiêu năm {YEAR}." in intro
    )
    results = drafting.compose(data)["results"]
    assert f"(từ ngày 15/12/{YEAR - 1} đến ngày 14/06/{YEAR})" in results
    # The estimate to 30/6 is labelled as one, with its pace, from the figures at the cut-off only.
    text = drafting.compose(data)["indicators"]
    assert f"Ước thực hiện đến ngày 30/06/{YEAR} (ước tính, giả định giữ nhịp bình quân từ ngày 01/01/{YEAR}" in text
    reached = next(r for r in data["indicators"] if r["code"] == "residents_reached")
    estimate = next(e for e in data["estimates"] if e["code"] == "residents_reached")
    assert estimate["value"] == reached["value"] and estimate["estimate"] >= reached["value"]
    assert drafting.compose(drafting.collect(world["commune"], span))["indicators"].count("Ước thực hiện") == 0


def test_a_projection_reads_nothing_after_the_periods_cut_off(world):
    from lantoa.reach.models import Briefing

    commune = world["commune"]
    cutoff = dt.date(YEAR, 6, 30)
    before = {r["code"]: r for r in reach_selectors.indicator_values(commune, f"{YEAR}S1")}
    # Records after the half's end (a briefing in September) change neither its figures nor its projection.
    later = Briefing.objects.create(commune=commune, title="Hội nghị tháng 9", date=dt.date(YEAR, 9, 5))
    later.attendees.set([world["data"]["staff"]])
    after = {r["code"]: r for r in reach_selectors.indicator_values(commune, f"{YEAR}S1")}
    at_cutoff = {r["code"]: r for r in reach_selectors.indicator_values(commune, f"{YEAR}S1", today=cutoff)}
    for code in before:
        for key in ("value", "projection", "pace_start", "pace_end"):
            assert before[code][key] == after[code][key] == at_cutoff[code][key], (code, key)
    informed = before["officials_informed"]
    if informed["projection"] is not None:
        assert informed["pace_end"] == cutoff
