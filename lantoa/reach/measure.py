"""Measuring the indicators (``reach.indicators``): their figures from the records and the KPI engine's aggregates.

``compute`` evaluates every indicator for a set of communes and periods with a few set-based queries;
the commune dashboard, the province comparison, the semi-annual report and the API all go through it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lantoa.tenancy.models import Staff

from .indicators import CODES
from .models import (
    Award,
    Briefing,
    CoveragePeriod,
    HamletPeriod,
    HamletPopulation,
    Publication,
    ReachSettings,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
)
from .periods import Period

# --- Figures -------------------------------------------------------------------------------------------


@dataclass
class Figure:
    numerator: float = 0
    denominator: float = 0
    value: float | None = None  # a percentage
    detail: dict = field(default_factory=dict)

    def finish(self) -> Figure:
        if self.value is None and self.denominator:
            self.value = round(100.0 * self.numerator / self.denominator, 1)
        return self


def local_bounds(period: Period, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the local midnight that opens ``period`` to the one after ``end``: bounds for datetimes."""
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time()))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return start, stop


def _span(periods: list[Period], today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The dates covered by the periods that have begun (to fetch rows once for several periods)."""
    ends = [p.elapsed_end(today) for p in periods if p.elapsed_end(today)]
    if not ends:
        return None
    return min(p.start for p in periods if p.elapsed_end(today)), max(ends)


class Context:
    """What several indicators share within one ``compute`` call (read once)."""

    def __init__(self, ids, today):
        self.ids, self.today = ids, today
        self._settings = self._pop = None

    def settings(self, commune_id: int) -> tuple[int, int]:
        if self._settings is None:
            self._settings = {
                c: (n, m)
                for c, n, m in ReachSettings.objects.filter(commune_id__in=self.ids).values_list(
                    "commune_id", "briefings_per_year", "column_items_per_month"
                )
            }
        return self._settings.get(commune_id, (2, 1))

    def hamlet_population(self) -> dict[tuple[int, int], int]:
        if self._pop is None:
            self._pop = {
                (c, h): (n, r)
                for c, h, n, r in HamletPopulation.objects.filter(commune_id__in=self.ids).values_list(
                    "commune_id", "hamlet_id", "households", "residents"
                )
            }
        return {k: v[1] for k, v in self._pop.items()}

    def population(self) -> dict[int, tuple[int, int]]:
        self.hamlet_population()
        totals = defaultdict(lambda: [0, 0])
        for (c, _h), (n, r) in self._pop.items():
            totals[c][0] += n
            totals[c][1] += r
        return {c: tuple(v) for c, v in totals.items()}


def population(commune_ids) -> dict[int, tuple[int, int]]:
    """Households and residents of each commune, from the roster: {commune id: (households, residents)}."""
    return Context(list(commune_ids), None).population()


def _residents_reached(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    pop = ctx.population()
    begun = [p for p in periods if p.elapsed_end(today)]
    rows = (
        HamletPeriod.objects.filter(commune_id__in=ids, period__in=[p.code for p in begun])
        .values("commune_id", "period")
        .annotate(h=Sum("households_reached"), r=Sum("residents_reached"))
    )
    got = {(r["commune_id"], r["period"]): (r["h"] or 0, r["r"] or 0) for r in rows}
    for c in ids:
        households, residents = pop.get(c, (0, 0))
        for p in periods:
            fig = Figure(denominator=residents)
            if p.elapsed_end(today):
                hh, res = got.get((c, p.code), (0, 0))
                fig.numerator = res
                fig.detail = {"households": hh, "households_total": households}
                fig.finish()
            out[(c, p.code)]["residents_reached"] = fig


def covered_hamlets(ids, period: Period, today) -> set[tuple[int, int]]:
    """(commune id, hamlet id) covered by at least one confirmed broadcast in the period (maintained counts)."""
    if period.elapsed_end(today) is None:
        return set()
    return set(
        CoveragePeriod.objects.filter(commune_id__in=ids, period=period.code, broadcasts__gt=0).values_list(
            "commune_id", "hamlet_id"
        )
    )


def _covered_by_period(ctx, periods) -> dict[str, set[tuple[int, int]]]:
    begun = [p.code for p in periods if p.elapsed_end(ctx.today)]
    found = {code: set() for code in begun}
    for c, h, code in CoveragePeriod.objects.filter(
        commune_id__in=ctx.ids, period__in=begun, broadcasts__gt=0
    ).values_list("commune_id", "hamlet_id", "period"):
        found[code].add((c, h))
    return found


def _radio_coverage(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    pop = ctx.hamlet_population()
    totals = {c: r for c, (_n, r) in ctx.population().items()}
    covered_by = _covered_by_period(ctx, periods)
    for p in periods:
        per_commune = defaultdict(lambda: [0, 0])
        for c, h in covered_by.get(p.code, ()):
            per_commune[c][0] += pop.get((c, h), 0)
            per_commune[c][1] += 1
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if p.elapsed_end(today):
                fig.numerator = per_commune[c][0]
                fig.detail = {"hamlets_covered": per_commune[c][1]}
                fig.finish()
            out[(c, p.code)]["radio_coverage"] = fig


# --- Survey estimate -----------------------------------------------------------------------------------

Z95 = 1.959963984540054


def wilson(yes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (as fractions)."""
    if n <= 0:
        return (0.0, 1.0)
    return _wilson_of_share(yes / n, n, z)


def stratified_estimate(strata: list[tuple[int, int, int]]) -> dict | None:
    """Strata of (residents, households asked, yes): the weighted estimate and its 95% interval, in percent.

    The stratified estimator: each hamlet's share of "yes" weighted by its residents, p = Σ W_h·p_h. Its variance
    is Σ W_h²·p_h(1−p_h)/(n_h−1) (with n_h − 1, unbiased within each hamlet); the effective sample size
    n_eff = p(1−p)/variance (Kish) is the number of simple-random households that would give the same precision,
    and the interval is Wilson's for p with n_eff households (Korn & Graubard). When every hamlet answered all
    yes or all no, the variance is 0 and n_eff falls back to Kish's 1/Σ(W_h²/n_h).
    """
    strata = [(w, n, y) for w, n, y in strata if n > 0 and w > 0]
    total = sum(w for w, _n, _y in strata)
    if not total:
        return None
    estimate = variance = kish = 0.0
    for w, n, y in strata:
        share, weight = y / n, w / total
        estimate += weight * share
        variance += weight * weight * share * (1 - share) / max(n - 1, 1)
        kish += weight * weight / n
    if variance > 0 and 0 < estimate < 1:
        effective = estimate * (1 - estimate) / variance
    else:
        effective = 1 / kish
    low, high = _wilson_of_share(estimate, effective)
    return {
        "estimate": round(100 * estimate, 1),
        "low": round(100 * low, 1),
        "high": round(100 * high, 1),
        "effective_n": round(effective, 1),
        "asked": sum(n for _w, n, _y in strata),
    }


def _wilson_of_share(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's interval for a share ``p`` observed on ``n`` (possibly fractional, effective) households."""
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def latest_surveys(ids, period: Period, today) -> dict[int, object]:
    """Per commune, the latest survey that ended within the period so far."""
    end = period.elapsed_end(today)
    if end is None:
        return {}
    found = {}
    for survey in Survey.objects.filter(commune_id__in=ids, end_date__gte=period.start, end_date__lte=end).order_by(
        "commune_id", "-end_date", "-pk"
    ):
        found.setdefault(survey.commune_id, survey)
    return found


def _survey_reached(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    span = _span(periods, today)
    surveys = (
        list(
            Survey.objects.filter(commune_id__in=ids, end_date__gte=span[0], end_date__lte=span[1]).order_by(
                "-end_date", "-pk"
            )
        )
        if span
        else []
    )
    strata = defaultdict(list)
    if surveys:
        pop = ctx.hamlet_population()
        for s, c, h, n, y in SurveyStratum.objects.filter(survey__in=surveys).values_list(
            "survey_id", "commune_id", "hamlet_id", "sampled", "yes"
        ):
            strata[s].append((pop.get((c, h), 0), n, y))
    for p in periods:
        end = p.elapsed_end(today)
        chosen = {}
        for survey in surveys:
            if end and p.start <= survey.end_date <= end:
                chosen.setdefault(survey.commune_id, survey)
        for c in ids:
            fig = Figure()
            if c in chosen:
                rows = strata[chosen[c].pk]
                est = stratified_estimate(rows)
                # Weighted, like the estimate: residents of the surveyed hamlets estimated to be informed, out of
                # those residents (never the raw count of households answering yes, which is not the same share).
                fig.numerator = round(sum(w * y / n for w, n, y in rows if n and w))
                fig.denominator = sum(w for w, n, _y in rows if n and w)
                fig.value = est["estimate"] if est else None
                fig.detail = {
                    "survey_id": chosen[c].pk,
                    "survey": chosen[c].title,
                    "interval": est,
                    "hamlets": len(rows),
                    "strata": rows,
                }
            out[(c, p.code)]["survey_reached"] = fig


# --- Officials, training -------------------------------------------------------------------------------


def required_briefings(per_year: int, period: Period, today: dt.date) -> int:
    months = period.elapsed_months(today)
    return max(1, math.ceil(per_year * months / 12))


def eligible_staff(ids):
    return Staff.objects.filter(commune_id__in=ids, active=True).exclude(category=Staff.Category.EMPLOYEE)


def briefing_counts(ids, period: Period, today) -> dict[int, int]:
    """Briefings attended by each eligible staff member in the period so far: {staff id: count}."""
    end = period.elapsed_end(today)
    if end is None:
        return {}
    through = Briefing.attendees.through
    rows = (
        through.objects.filter(
            briefing__commune_id__in=ids,
            briefing__date__gte=period.start,
            briefing__date__lte=end,
            staff__in=eligible_staff(ids),
        )
        .values("staff_id")
        .annotate(n=Count("id"))
    )
    return {r["staff_id"]: r["n"] for r in rows}


def _briefing_counts_by_period(ctx, periods) -> dict[str, dict[int, int]]:
    ids, today = ctx.ids, ctx.today
    begun = [p for p in periods if p.elapsed_end(today)]
    if len(begun) <= 1:
        return {p.code: briefing_counts(ids, p, today) for p in begun}
    first, last = _span(begun, today)
    rows = Briefing.attendees.through.objects.filter(
        briefing__commune_id__in=ids,
        briefing__date__gte=first,
        briefing__date__lte=last,
        staff__in=eligible_staff(ids),
    ).values_list("staff_id", "briefing__date")
    found = {p.code: defaultdict(int) for p in begun}
    for staff_id, day in rows:
        for p in begun:
            if p.start <= day <= p.elapsed_end(today):
                found[p.code][staff_id] += 1
    return found


def _attendance_histogram(ctx, period: Period) -> dict[int, dict[int, int]]:
    """{commune id: {briefings attended: eligible staff}} for one period, counted in the database."""
    end = period.elapsed_end(ctx.today)
    if end is None or not ctx.ids:
        return {}
    through = Briefing.attendees.through._meta.db_table
    briefing = Briefing._meta.db_table
    staff = Staff._meta.db_table
    marks = ", ".join(["%s"] * len(ctx.ids))
    sql = (
        f"SELECT x.commune_id, x.n, COUNT(*) FROM (SELECT s.commune_id, a.staff_id, COUNT(*) AS n "
        f"FROM {through} a JOIN {briefing} b ON b.id = a.briefing_id JOIN {staff} s ON s.id = a.staff_id "
        f"WHERE b.commune_id IN ({marks}) AND b.date >= %s AND b.date <= %s AND s.active AND s.category <> %s "
        f"AND s.commune_id = b.commune_id GROUP BY s.commune_id, a.staff_id) x GROUP BY x.commune_id, x.n"
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ctx.ids, period.start, end, Staff.Category.EMPLOYEE])
        for commune_id, n, count in cursor.fetchall():
            found[commune_id][n] = count
    return found


def _officials_informed(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    totals = dict(eligible_staff(ids).values("commune_id").annotate(n=Count("id")).values_list("commune_id", "n"))
    if len(periods) == 1:  # many communes, one period (the province): counted in the database
        histograms = {periods[0].code: _attendance_histogram(ctx, periods[0])}
    else:  # one commune, many periods: its attendance rows, counted here
        staff = dict(eligible_staff(ids).values_list("pk", "commune_id"))
        histograms = {}
        for code, counts in _briefing_counts_by_period(ctx, periods).items():
            histogram: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            for staff_id, n in counts.items():
                histogram[staff[staff_id]][n] += 1
            histograms[code] = histogram
    for p in periods:
        histogram = histograms.get(p.code, {})
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if p.elapsed_end(today):
                required = required_briefings(ctx.settings(c)[0], p, today)
                fig.numerator = sum(k for n, k in histogram.get(c, {}).items() if n >= required)
                fig.detail = {"required": required, "per_year": ctx.settings(c)[0]}
                fig.finish()
            out[(c, p.code)]["officials_informed"] = fig


def comms_staff(ids):
    return Staff.objects.filter(commune_id__in=ids, active=True, on_comms_duty=True)


def _comms_staff_trained(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    totals = defaultdict(int)
    for c in comms_staff(ids).values_list("commune_id", flat=True):
        totals[c] += 1
    first = defaultdict(dict)  # commune -> staff -> first completion date
    for c, staff_id, day in TrainingCompletion.objects.filter(
        commune_id__in=ids, course__in_depth=True, staff__in=comms_staff(ids)
    ).values_list("commune_id", "staff_id", "completed_on"):
        if staff_id not in first[c] or day < first[c][staff_id]:
            first[c][staff_id] = day
    for p in periods:
        end = p.elapsed_end(today)
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if end:
                fig.numerator = sum(1 for day in first[c].values() if day <= end)
                fig.finish()
            out[(c, p.code)]["comms_staff_trained"] = fig


# --- S&T tasks, column, awards -------------------------------------------------------------------------


def science_tasks(ids, period: Period):
    return ScienceTask.objects.filter(commune_id__in=ids, state_secret=False, year__lte=period.year)


def publicised_filter(end: dt.date) -> Q:
    _start, stop = local_bounds(Period(end, end, "", "Q"), end)
    published = Publication.objects.filter(
        science_tasks=OuterRef("pk"), withdrawn_at__isnull=True, published_at__lt=stop
    )
    return Q(Exists(published)) | (~Q(outside_url="") & Q(outside_published_on__lte=end))


def _science_tasks_publicised(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    tasks = list(
        ScienceTask.objects.filter(commune_id__in=ids, state_secret=False).values_list(
            "pk", "commune_id", "year", "outside_url", "outside_published_on"
        )
    )
    first_pub: dict[int, dt.date] = {}
    for task_id, at in Publication.science_tasks.through.objects.filter(
        sciencetask__commune_id__in=ids, publication__withdrawn_at__isnull=True
    ).values_list("sciencetask_id", "publication__published_at"):
        day = timezone.localdate(at)
        if task_id not in first_pub or day < first_pub[task_id]:
            first_pub[task_id] = day
    for p in periods:
        end = p.elapsed_end(today)
        totals, done = defaultdict(int), defaultdict(int)
        for pk, c, year, url, outside_on in tasks:
            if year > p.year:
                continue
            totals[c] += 1
            dates = [d for d in (first_pub.get(pk), outside_on if url else None) if d]
            if end and dates and min(dates) <= end:
                done[c] += 1
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if end:
                fig.numerator = done.get(c, 0)
                fig.finish()
            out[(c, p.code)]["science_tasks_publicised"] = fig


LIVE_AT_LEAST = dt.timedelta(days=1)


def column_items(ids, start: dt.datetime, stop: dt.datetime):
    """The column's items published in [start, stop) that count: they are, or were, live on the column.

    An item withdrawn later still counts for the month it was published in (a closed month never changes), unless
    it was taken down within a day of going live (a mistake corrected) and before ``stop``. A row that does not
    come from a page of the column (recorded through the API) counts only with its address as evidence.
    """
    return Publication.objects.filter(
        Q(withdrawn_at__isnull=True)
        | Q(withdrawn_at__gte=stop)
        | Q(withdrawn_at__gte=F("published_at") + LIVE_AT_LEAST),
        Q(key__startswith="column:") | ~Q(url=""),
        commune_id__in=ids,
        channel=Publication.Channel.COLUMN,
        published_at__gte=start,
        published_at__lt=stop,
    )


def month_counts(ids, period: Period, today) -> dict[tuple[int, int, int], int]:
    """Items of the column that count, per (commune, year, month) of the period so far."""
    return _month_counts(ids, [period], today)


def _month_counts(ids, periods, today) -> dict[tuple[int, int, int], int]:
    span = _span(periods, today)
    if span is None:
        return {}
    start, stop = local_bounds(Period(span[0], span[1], "", "Q"), span[1])
    rows = (
        column_items(ids, start, stop)
        .annotate(month=TruncMonth("published_at"))
        .values("commune_id", "month")
        .annotate(n=Count("id"))
        .values_list("commune_id", "month", "n")
    )
    counts = defaultdict(int)
    for c, month, n in rows:
        counts[(c, month.year, month.month)] += n
    return counts


def months_of(period: Period, today) -> list[tuple[int, int]]:
    end = period.elapsed_end(today)
    if end is None:
        return []
    months, y, m = [], period.start.year, period.start.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_in_progress(period: Period, today) -> tuple[int, int] | None:
    """The month the cut-off falls inside (not its last day): still running, so never "missed"."""
    end = period.elapsed_end(today)
    if end is None or (end + dt.timedelta(days=1)).month != end.month:
        return None
    return (end.year, end.month)


def _column_alive(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    counts = _month_counts(ids, periods, today)
    for p in periods:
        months = months_of(p, today)
        running = month_in_progress(p, today)
        for c in ids:
            minimum = ctx.settings(c)[1]
            kept = [(y, m) for y, m in months if counts.get((c, y, m), 0) >= minimum]
            # A running month counts once it has its items; until then it is "in progress", out of the count.
            counted = [ym for ym in months if ym != running or ym in kept]
            fig = Figure(denominator=len(counted))
            if months:
                missing = [f"{m:02d}/{y}" for y, m in counted if (y, m) not in kept]
                fig.numerator = len(kept)
                fig.detail = {
                    "missing_months": missing,
                    "in_progress": f"{running[1]:02d}/{running[0]}" if running and running not in kept else "",
                    "minimum": minimum,
                    "items": sum(counts.get((c, y, m), 0) for y, m in months),
                }
                fig.finish()
            out[(c, p.code)]["column_alive"] = fig


def _awards_held(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    span = _span(periods, today)
    awards = []
    if span:
        awards = list(
            Award.objects.filter(
                commune_id__in=ids, date__gte=dt.date(span[0].year, 1, 1), date__lte=span[1]
            ).values_list("commune_id", "date", "decision_number")
        )
    for p in periods:
        end = p.elapsed_end(today)
        held = defaultdict(list)
        if end:
            for c, day, number in awards:
                if dt.date(p.year, 1, 1) <= day <= end:
                    held[c].append(number)
        for c in ids:
            fig = Figure(denominator=1 if end else 0)
            if end:
                fig.numerator = 1 if held.get(c) else 0
                fig.detail = {"decisions": held.get(c, [])}
                fig.finish()
            out[(c, p.code)]["awards_held"] = fig


COMPUTE = {
    "officials_informed": _officials_informed,
    "residents_reached": _residents_reached,
    "radio_coverage": _radio_coverage,
    "survey_reached": _survey_reached,
    "science_tasks_publicised": _science_tasks_publicised,
    "comms_staff_trained": _comms_staff_trained,
    "column_alive": _column_alive,
    "awards_held": _awards_held,
}


def compute(
    commune_ids, periods: list[Period], today: dt.date | None = None, codes: list[str] | None = None
) -> dict[tuple[int, str], dict[str, Figure]]:
    """Every indicator (or ``codes``) for these communes and periods: {(commune id, period code): {code: Figure}}."""
    today = today or timezone.localdate()
    ctx = Context(list(commune_ids), today)
    periods = list({p.code: p for p in periods}.values())
    out: dict[tuple[int, str], dict[str, Figure]] = defaultdict(dict)
    for code in codes or CODES:
        COMPUTE[code](ctx, periods, out)
    return out


def combine(figures: list[Figure], code: str) -> Figure:
    """Province level: numerators and denominators summed over communes (survey strata pooled)."""
    if code == "survey_reached":
        strata = [s for f in figures for s in f.detail.get("strata", [])]
        est = stratified_estimate(strata)
        fig = Figure(
            numerator=round(sum(w * y / n for w, n, y in strata if n and w)),
            denominator=sum(w for w, n, _y in strata if n and w),
        )
        fig.value = est["estimate"] if est else None
        fig.detail = {"interval": est}
        return fig
    fig = Figure(numerator=sum(f.numerator for f in figures), denominator=sum(f.denominator for f in figures))
    begun = any(f.value is not None for f in figures)
    return fig.finish() if begun else fig
