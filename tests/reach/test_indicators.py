"""Indicators: their definitions, targets, projections, and each figure computed from known records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantoa.plans.models import PlanTarget
from lantoa.reach import indicators as ind
from lantoa.reach import measure, selectors, services
from lantoa.reach import periods as P
from lantoa.reach.models import (
    Award,
    Briefing,
    ReachSettings,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
    TrainingCourse,
)
from lantoa.tenancy.models import Hamlet, Household, Staff

from ..conftest import WORKING_MORNING

pytestmark = pytest.mark.clock_sweep

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "text,code",
    [
        (
            "Ít nhất 10% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước … "
            "thông qua hệ thống thông tin cơ sở.",
            "residents_reached",
        ),
        (
            "100% lãnh đạo, cán bộ, công chức, viên chức trong cơ quan nhà nước, đơn vị sự nghiệp công lập "
            "thường xuyên được tuyên truyền, phổ biến",
            "officials_informed",
        ),
        (
            "100% các nhiệm vụ khoa học và công nghệ có sử dụng ngân sách nhà nước "
            "(trừ những nhiệm vụ liên quan đến bí mật nhà nước) được truyền thông",
            "science_tasks_publicised",
        ),
        (
            "Ít nhất 50% cán bộ, công chức được giao phụ trách công tác truyền thông/thông tin cơ sở … "
            "được đào tạo chuyên sâu về kỹ năng truyền thông số",
            "comms_staff_trained",
        ),
        (
            "Tiếp tục triển khai thực hiện Kế hoạch và duy trì chuyên mục truyền thông "
            "thực hiện Nghị quyết số 57-NQ/TW",
            "column_alive",
        ),
        ("Tổ chức khen thưởng về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số hằng năm", "awards_held"),
        ("Nâng cấp đường giao thông nông thôn", None),
        ("", None),
    ],
)
def test_suggest_indicator(text, code):
    assert ind.suggest_indicator(text) == code


def test_periods():
    q = P.parse("2026Q3")
    assert (q.start, q.end, q.kind, q.months) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "Q", 3)
    assert P.parse("2026s2").end == dt.date(2026, 12, 31)
    assert P.parse("2026N9").end == dt.date(2026, 9, 30)
    assert P.codes_of_date(dt.date(2026, 10, 1)) == ["2026", "2026S2", "2026Q4"]
    assert P.codes_of_date(dt.date(2026, 2, 1)) == ["2026", "2026S1", "2026Q1", "2026N9"]
    assert P.parse("2026").elapsed_months(dt.date(2026, 5, 3)) == 5
    assert P.parse("2026Q1").label == "Quý I/2026"
    with pytest.raises(ValidationError) as exc:
        P.parse("2026Q5")
    assert "Không rõ kỳ" in exc.value.messages[0]


def test_wilson_and_stratified_estimate():
    lo, hi = measure.wilson(5, 20)
    assert round(lo, 4) == 0.1119 and round(hi, 4) == 0.4687  # the textbook Wilson interval for 5/20
    est = measure.stratified_estimate([(300, 20, 5), (100, 10, 1)])
    assert est["estimate"] == 21.2  # 0.75 × 25% + 0.25 × 10%
    # Stratified variance: 0.75² × .25 × .75 / 19 + 0.25² × .1 × .9 / 9 = 0.0061760; n_eff = p(1 − p) / var.
    variance = 0.75**2 * 0.25 * 0.75 / 19 + 0.25**2 * 0.1 * 0.9 / 9
    assert est["effective_n"] == round(0.2125 * 0.7875 / variance, 1) == 27.1
    lo, hi = measure.wilson(round(0.2125 * 27.1), 27)  # about the same as Wilson on 27 simple-random households
    assert abs(est["low"] - 100 * lo) < 1.5 and abs(est["high"] - 100 * hi) < 1.5
    # Narrower than the old union of the hamlets' own intervals (weighted sum of their bounds).
    union_low = 0.75 * measure.wilson(5, 20)[0] + 0.25 * measure.wilson(1, 10)[0]
    union_high = 0.75 * measure.wilson(5, 20)[1] + 0.25 * measure.wilson(1, 10)[1]
    assert est["high"] - est["low"] < 100 * (union_high - union_low)
    assert est["asked"] == 30
    # Every household said yes: no variance, Kish's effective size, an interval that still has width.
    full = measure.stratified_estimate([(300, 20, 20), (100, 10, 10)])
    assert full["estimate"] == 100.0 and full["high"] == 100.0 and 80 < full["low"] < 100
    assert measure.stratified_estimate([]) is None


def test_target_modes():
    officials, residents = ind.get("officials_informed"), ind.get("residents_reached")
    by_year = {2026: {"value": Decimal(10)}, 2027: {"value": Decimal(30)}, 2030: {"value": Decimal(70)}}
    assert selectors.target_for(residents, 2028, by_year)["year"] == 2030  # a deadline ahead
    assert selectors.target_for(residents, 2031, by_year)["year"] == 2030
    assert selectors.target_for(officials, 2028, {2026: {"value": Decimal(100)}})["year"] == 2026  # holds on
    assert selectors.target_for(ind.get("awards_held"), 2026, {2027: {"value": Decimal(100)}}) is None


@pytest.fixture
def scene(commune_a, data_a, plan_a, visit_activity):
    """A small commune with known records, and the plan's targets mapped to indicators."""
    plan = plan_a["plan"]
    for order, (year, text, value, code) in enumerate(
        [
            (2026, "Ít nhất 10% người dân tiếp cận", 10, "residents_reached"),
            (2027, "Ít nhất 30% người dân tiếp cận", 30, "residents_reached"),
            (2026, "100% lãnh đạo, cán bộ", 100, "officials_informed"),
            (2030, "100% nhiệm vụ KH&CN", 100, "science_tasks_publicised"),
            (2030, "50% cán bộ được đào tạo chuyên sâu", 50, "comms_staff_trained"),
            (2026, "duy trì chuyên mục", None, "column_alive"),
            (2027, "khen thưởng hằng năm", None, "awards_held"),
        ]
    ):
        PlanTarget.objects.create(
            commune=commune_a,
            plan=plan,
            year=year,
            text=text,
            order=order,
            value=Decimal(value) if value is not None else None,
            indicator_code=code,
        )
    hamlet2 = Hamlet.objects.create(commune=commune_a, name="Thôn Hai")
    far = Household.objects.create(commune=commune_a, hamlet=hamlet2, code="HAI-1", members=5)
    return {**data_a, "hamlet2": hamlet2, "far": far, "activity": visit_activity}


def _row(commune, code, period="2026"):
    return next(r for r in selectors.indicator_values(commune, period, today=TODAY) if r["code"] == code)


@pytest.mark.clock(WORKING_MORNING)  # it records visits across 2026: run after them
def test_residents_reached_counts_people_not_contacts(commune_a, scene, pvhcc_a):
    h1 = scene["households"][0]  # 3 members
    for day in (dt.date(2026, 2, 1), dt.date(2026, 8, 1)):
        services.record_contact(pvhcc_a, activity=scene["activity"], channel="visit", date=day, household=h1)
    services.record_contact(
        pvhcc_a,
        activity=scene["activity"],
        channel="board",
        date=dt.date(2026, 2, 1),
        hamlet=scene["hamlet2"],
        people=40,
    )
    row = _row(commune_a, "residents_reached")
    assert (row["numerator"], row["denominator"], row["value"]) == (3, 12, 25.0)  # 3 of 3 + 4 + 5 residents
    assert (row["target"], row["target_year"], row["status"], row["gap"]) == (10.0, 2026, "achieved", 0.0)
    assert row["next_target"]["year"] == 2027 and row["next_target"]["target"] == 30.0
    assert row["method_text"] and row["links"]["numerator"].startswith("/reach/communes/")
    assert _row(commune_a, "residents_reached", "2026Q2")["value"] == 0.0
    assert selectors.indicator_values(commune_a, "2026", today=TODAY) == selectors.indicator_values(
        commune_a, P.parse("2026"), today=TODAY
    )


def test_radio_covers_hamlets_without_reaching_anyone(commune_a, scene):
    services.record_broadcast(
        commune=commune_a,
        hamlet_ids=[scene["hamlet2"].pk],
        key="r1",
        title="Bản tin",
        broadcast_at=timezone.make_aware(dt.datetime(2026, 3, 6, 17)),
    )
    assert _row(commune_a, "radio_coverage")["value"] == round(100 * 5 / 12, 1)
    assert _row(commune_a, "residents_reached")["numerator"] == 0
    services.cancel_broadcast(commune=commune_a, key="r1")
    assert _row(commune_a, "radio_coverage")["value"] == 0.0


def test_survey_estimate_is_stratified(commune_a, scene):
    survey = Survey.objects.create(
        commune=commune_a, title="Khảo sát", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 10)
    )
    SurveyStratum.objects.create(commune=commune_a, survey=survey, hamlet=scene["hamlet"], sampled=20, yes=5)
    SurveyStratum.objects.create(commune=commune_a, survey=survey, hamlet=scene["hamlet2"], sampled=10, yes=1)
    row = _row(commune_a, "survey_reached")
    # Weights: residents 7 and 5 → (7 × 25% + 5 × 10%) / 12
    assert row["value"] == round(100 * (7 * 0.25 + 5 * 0.10) / 12, 1)
    assert row["detail"]["interval"]["low"] < row["value"] < row["detail"]["interval"]["high"]
    # The counts beside the estimate are weighted the same way (residents), never 6 yes out of 30 households.
    assert (row["numerator"], row["denominator"]) == (round(7 * 0.25 + 5 * 0.10), 12)
    assert row["detail"]["interval"]["asked"] == 30
    assert _row(commune_a, "survey_reached", "2026Q3")["value"] is None


def test_officials_informed_needs_n_briefings(commune_a, scene):
    staff = [scene["staff"]] + [Staff.objects.create(commune=commune_a, full_name=f"CB {i}") for i in range(3)]
    Staff.objects.create(commune=commune_a, full_name="Hợp đồng", category=Staff.Category.NON_SPECIALISED)
    for month, who in ((2, staff), (5, staff[:2]), (9, staff[:1])):
        b = Briefing.objects.create(commune=commune_a, title=f"Quán triệt {month}", date=dt.date(2026, month, 10))
        b.attendees.set(who)
    row = _row(commune_a, "officials_informed")
    assert (row["numerator"], row["denominator"], row["detail"]["required"]) == (2, 4, 2)
    assert row["status"] == "behind"
    ReachSettings.objects.create(commune=commune_a, briefings_per_year=3)
    assert _row(commune_a, "officials_informed")["numerator"] == 1
    assert _row(commune_a, "officials_informed", "2026Q1")["numerator"] == 4  # one briefing suffices in a quarter


def test_comms_staff_trained_in_depth(commune_a, scene):
    other = Staff.objects.create(commune=commune_a, full_name="CB truyền thông", on_comms_duty=True)
    deep = TrainingCourse.objects.create(commune=commune_a, title="Chuyên sâu", start_date=dt.date(2026, 7, 1))
    basic = TrainingCourse.objects.create(
        commune=commune_a, title="Cơ bản", start_date=dt.date(2026, 3, 1), in_depth=False
    )
    TrainingCompletion.objects.create(
        commune=commune_a, course=deep, staff=scene["staff"], completed_on=dt.date(2026, 7, 5)
    )
    TrainingCompletion.objects.create(commune=commune_a, course=basic, staff=other, completed_on=dt.date(2026, 3, 2))
    row = _row(commune_a, "comms_staff_trained")
    assert (row["numerator"], row["denominator"], row["value"], row["target_year"]) == (1, 2, 50.0, 2030)
    assert _row(commune_a, "comms_staff_trained", "2026Q2")["numerator"] == 0


def test_science_tasks_publicised_excludes_state_secrets(commune_a, scene):
    t1 = ScienceTask.objects.create(commune=commune_a, title="A", year=2026)
    ScienceTask.objects.create(
        commune=commune_a,
        title="B",
        year=2026,
        outside_url="https://bao.vn/b",
        outside_published_on=dt.date(2026, 9, 1),
    )
    ScienceTask.objects.create(commune=commune_a, title="C", year=2026)
    ScienceTask.objects.create(commune=commune_a, title="Mật", year=2026, state_secret=True)
    ScienceTask.objects.create(commune=commune_a, title="Sau", year=2027)
    services.record_publication(
        commune=commune_a, key="k", title="Bài", url="/a", published_at=dt.date(2026, 4, 1), science_task_ids=[t1.pk]
    )
    row = _row(commune_a, "science_tasks_publicised")
    assert (row["numerator"], row["denominator"]) == (2, 3)
    assert _row(commune_a, "science_tasks_publicised", "2026Q2")["numerator"] == 1
    services.withdraw_publication(commune=commune_a, key="k")
    assert _row(commune_a, "science_tasks_publicised")["numerator"] == 1


def test_column_alive_flags_months_without_items(commune_a, scene):
    for month in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11):
        services.record_publication(
            commune=commune_a, key=f"column:{month}", title="Bài", url="", published_at=dt.date(2026, month, 3)
        )
    row = _row(commune_a, "column_alive")
    assert (row["numerator"], row["denominator"]) == (10, 11)
    assert row["detail"]["missing_months"] == ["03/2026"] and row["target"] == 100.0
    services.record_publication(
        commune=commune_a, key="x", title="Bài", url="", published_at=dt.date(2026, 3, 30), channel="social"
    )
    assert _row(commune_a, "column_alive")["numerator"] == 10  # social media items do not keep the column alive
    # A row sent through the API without a page of the column needs its address as evidence.
    services.record_publication(commune=commune_a, key="api-1", title="Bài", url="", published_at=dt.date(2026, 3, 5))
    assert _row(commune_a, "column_alive")["numerator"] == 10
    services.record_publication(
        commune=commune_a,
        key="api-1",
        title="Bài",
        url="https://namcuong.gov.vn/bai-1",
        published_at=dt.date(2026, 3, 5),
    )
    assert _row(commune_a, "column_alive")["numerator"] == 11


def test_column_alive_keeps_closed_months_and_waits_for_the_running_one(commune_a, scene):
    # TODAY is inside November: with nothing published yet in November, it is in progress, not missed.
    for month in range(1, 11):
        services.record_publication(
            commune=commune_a, key=f"column:{month}", title="Bài", url="", published_at=dt.date(2026, month, 3)
        )
    row = _row(commune_a, "column_alive")
    assert (row["numerator"], row["denominator"]) == (10, 10)
    assert row["detail"]["missing_months"] == [] and row["detail"]["in_progress"] == "11/2026"
    # Taking June's item down in November does not change the first half: it was live for months.
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        services.withdraw_publication(commune=commune_a, key="column:6")
    assert _row(commune_a, "column_alive", "2026S1")["numerator"] == 6
    # An item taken down within a day of going live was a mistake: it never counted.
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC), tick=False):
        services.record_publication(
            commune=commune_a,
            key="column:11",
            title="Nhầm",
            url="",
            published_at=dt.datetime(2026, 11, 3, 8, tzinfo=dt.UTC),
        )
        services.withdraw_publication(commune=commune_a, key="column:11")
    row = _row(commune_a, "column_alive")
    assert row["detail"]["in_progress"] == "11/2026" and row["denominator"] == 10


def test_awards_held_per_year(commune_a, scene):
    assert _row(commune_a, "awards_held")["value"] == 0.0
    assert _row(commune_a, "awards_held")["target"] is None  # the plan's awards start in 2027
    Award.objects.create(commune=commune_a, date=dt.date(2026, 10, 10), decision_number="12/QĐ-UBND", title="KT")
    row = _row(commune_a, "awards_held")
    assert row["value"] == 100.0 and row["detail"]["decisions"] == ["12/QĐ-UBND"]
    assert _row(commune_a, "awards_held", "2026S1")["value"] == 0.0


def test_entered_target_overrides_the_plan(commune_a, scene, pvhcc_a):
    from lantoa.reach.models import IndicatorTarget

    IndicatorTarget.objects.create(commune=commune_a, indicator="residents_reached", year=2026, value=Decimal(40))
    row = _row(commune_a, "residents_reached")
    assert row["target"] == 40.0 and row["target_source"] == "entered"
    with pytest.raises(ValidationError):
        IndicatorTarget(commune=commune_a, indicator="nonsense", year=2026, value=1).full_clean()


def test_projection_is_a_straight_line():
    indicator = ind.get("residents_reached")
    figures = {"2026": measure.Figure(value=12.0)}
    # Half the year gone at 12%: 24% by year end; from 0 the year before, 48% a year later.
    assert selectors.projection(indicator, figures, P.parse("2026"), dt.date(2026, 7, 2), 2026, 2026) == 23.9
    assert selectors.projection(indicator, figures, P.parse("2026"), dt.date(2026, 7, 2), 2027, 2026) == 47.9


def test_province_comparison_adds_up_communes(commune_a, scene, commune_b, data_b, pvhcc_a):
    services.record_contact(
        pvhcc_a, activity=scene["activity"], channel="visit", date=dt.date(2026, 2, 1), household=scene["households"][0]
    )
    data = selectors.province_comparison([commune_a, commune_b], "2026", today=TODAY)
    total = data["total"]["residents_reached"]
    assert (total["numerator"], total["denominator"]) == (3, 12 + 7)
    assert [r["values"]["residents_reached"]["value"] for r in data["rows"]] == [25.0, 0.0]
