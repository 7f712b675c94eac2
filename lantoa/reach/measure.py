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
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from lantoa.tenancy.models import Commune, Household, HouseholdChange, Province, Staff

from .indicators import CODES
from .models import (
    Award,
    Briefing,
    Broadcast,
    Contact,
    CoveragePeriod,
    HamletPeriod,
    HamletPopulation,
    HouseholdPeriod,
    Publication,
    ReachSettings,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
)
from .periods import Period, codes_of_date, parse

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


def cutoff_of(period: Period, today: dt.date) -> dt.date | None:
    """The cut-off of a figure of ``period`` computed on ``today``: the period's last day that has happened."""
    return period.elapsed_end(today)


def is_maintained(period: Period) -> bool:
    """Whether the KPI engine keeps running totals for this period (a year, half, quarter or nine months)."""
    try:
        return parse(period.code) == period
    except Exception:  # noqa: BLE001 — any other period (e.g. a report period 15/12–14/6) is counted from records
        return False


ATTRIBUTABLE = tuple(str(c) for c in Contact.ATTRIBUTABLE)
HOUSEHOLD_TABLE = Household._meta.db_table
CHANGE_TABLE = HouseholdChange._meta.db_table
CONTACT_TABLE = Contact._meta.db_table


def _day(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _members_sql() -> str:
    """The residents of household ``h`` on a day (two parameters: the day, twice), from its dated history:
    the last change on or before the day, else what the first later change started from, else its members."""
    return (
        f"COALESCE((SELECT x.members_after FROM {CHANGE_TABLE} x WHERE x.household_id = h.id AND x.date <= %s "
        f"ORDER BY x.date DESC, x.id DESC LIMIT 1), (SELECT x.members_before FROM {CHANGE_TABLE} x "
        f"WHERE x.household_id = h.id AND x.date > %s ORDER BY x.date, x.id LIMIT 1), h.members)"
    )


def households_at(ids, day: dt.date, *, hamlet_id: int | None = None) -> dict[int, tuple[int, int, int]]:
    """{household id: (commune id, hamlet id, residents)} of the households on the roster on ``day``."""
    if not ids:
        return {}
    where = f"h.commune_id IN ({_marks(ids)})" + (" AND h.hamlet_id = %s" if hamlet_id else "")
    sql = (
        f"SELECT y.id, y.commune_id, y.hamlet_id, y.m FROM (SELECT h.id, h.commune_id, h.hamlet_id, "
        f"{_members_sql()} AS m FROM {HOUSEHOLD_TABLE} h WHERE {where}) y WHERE y.m > 0"
    )
    params = [_day(day), _day(day), *ids] + ([hamlet_id] if hamlet_id else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (c, h, m) for pk, c, h, m in cursor.fetchall()}


def population_at(ids, day: dt.date) -> dict[tuple[int, int], tuple[int, int]]:
    """{(commune id, hamlet id): (households, residents)} on the roster on ``day``, from the records."""
    if not ids:
        return {}
    sql = (
        f"SELECT y.commune_id, y.hamlet_id, COUNT(*), SUM(y.m) FROM (SELECT h.commune_id, h.hamlet_id, "
        f"{_members_sql()} AS m FROM {HOUSEHOLD_TABLE} h WHERE h.commune_id IN ({_marks(ids)})) y "
        f"WHERE y.m > 0 GROUP BY y.commune_id, y.hamlet_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_day(day), _day(day), *ids])
        # PostgreSQL's SUM of integers is numeric: Decimal in Python, a string once stored as JSON.
        return {(c, h): (n, int(r)) for c, h, n, r in cursor.fetchall()}


def reached_at(ids, start: dt.date, day: dt.date) -> dict[tuple[int, int], tuple[int, int, int]]:
    """{(commune id, hamlet id): (households, residents, contacts)}: households on the roster on ``day`` with an
    attributable contact dated from ``start`` to ``day``, their residents on ``day``, and those contacts."""
    if not ids:
        return {}
    sql = (
        f"SELECT y.commune_id, y.hamlet_id, COUNT(*), SUM(y.m), SUM(y.n) FROM (SELECT h.commune_id, h.hamlet_id, "
        f"{_members_sql()} AS m, c.n FROM (SELECT household_id, COUNT(*) AS n FROM {CONTACT_TABLE} "
        f"WHERE commune_id IN ({_marks(ids)}) AND household_id IS NOT NULL AND channel IN ({_marks(ATTRIBUTABLE)}) "
        f"AND date >= %s AND date <= %s GROUP BY household_id) c JOIN {HOUSEHOLD_TABLE} h ON h.id = c.household_id) y "
        f"WHERE y.m > 0 GROUP BY y.commune_id, y.hamlet_id"
    )
    params = [_day(day), _day(day), *ids, *ATTRIBUTABLE, _day(start), _day(day)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(c, h): (n, int(r), int(k)) for c, h, n, r, k in cursor.fetchall()}


# A contact that names a household reached at least one person of it, even when it says 0 people.
_PEOPLE_SQL = "CASE WHEN people > 0 THEN people ELSE 1 END"


def _recorded_sql(ids) -> str:
    """Per household reached from ``start`` to ``day`` and on the roster on ``day``: its commune, hamlet, members on
    ``day`` (m) and the people recorded on its attributable contacts (p). Parameters: ``_recorded_params``."""
    return (
        f"SELECT y.id, y.commune_id, y.hamlet_id, y.m, y.p FROM (SELECT h.id, h.commune_id, h.hamlet_id, "
        f"{_members_sql()} AS m, c.p FROM (SELECT household_id, SUM({_PEOPLE_SQL}) AS p FROM {CONTACT_TABLE} "
        f"WHERE commune_id IN ({_marks(ids)}) AND household_id IS NOT NULL AND channel IN ({_marks(ATTRIBUTABLE)}) "
        f"AND date >= %s AND date <= %s GROUP BY household_id) c JOIN {HOUSEHOLD_TABLE} h ON h.id = c.household_id) y "
        f"WHERE y.m > 0"
    )


def _recorded_params(ids, start: dt.date, day: dt.date) -> list:
    return [_day(day), _day(day), *ids, *ATTRIBUTABLE, _day(start), _day(day)]


def recorded_at(ids, start: dt.date, day: dt.date) -> dict[tuple[int, int], tuple[int, int]]:
    """{(commune id, hamlet id): (households, people recorded as reached)}: per household on the roster on ``day``
    with an attributable contact from ``start`` to ``day``, the people recorded on those contacts (a contact of
    0 people counts 1) capped by its members on ``day``, summed — the lower bound of residents reached."""
    if not ids:
        return {}
    sql = (
        f"SELECT z.commune_id, z.hamlet_id, COUNT(*), SUM(CASE WHEN z.p < z.m THEN z.p ELSE z.m END) "
        f"FROM ({_recorded_sql(ids)}) z GROUP BY z.commune_id, z.hamlet_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _recorded_params(ids, start, day))
        # PostgreSQL's SUM of integers is numeric (Decimal): cast, like the other sums.
        return {(c, h): (n, int(p)) for c, h, n, p in cursor.fetchall()}


def recorded_ids(ids, start: dt.date, day: dt.date, *, hamlet_id: int | None = None) -> dict[int, tuple[int, int]]:
    """{household id: (members on ``day``, people recorded)} of the households ``recorded_at`` counts (uncapped:
    the caller shows both and the smaller counts)."""
    if not ids:
        return {}
    sql = f"SELECT z.id, z.hamlet_id, z.m, z.p FROM ({_recorded_sql(ids)}) z"
    with connection.cursor() as cursor:
        cursor.execute(sql, _recorded_params(ids, start, day))
        return {pk: (m, int(p)) for pk, h, m, p in cursor.fetchall() if not hamlet_id or h == hamlet_id}


def reached_ids(ids, start: dt.date, day: dt.date, *, hamlet_id: int | None = None) -> dict[int, int]:
    """{household id: attributable contacts from ``start`` to ``day``} of households on the roster on ``day``."""
    present = households_at(ids, day, hamlet_id=hamlet_id)
    rows = (
        Contact.objects.filter(
            commune_id__in=ids, household__isnull=False, channel__in=ATTRIBUTABLE, date__gte=start, date__lte=day
        )
        .values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    return {h: n for h, n in rows if h in present}


def covered_at(ids, start: dt.date, day: dt.date) -> set[tuple[int, int]]:
    """(commune id, hamlet id) covered by a confirmed broadcast aired from ``start`` to ``day``, from the records."""
    first, stop = local_bounds(Period(start, day, "", "Q"), day)
    return set(
        Broadcast.hamlets.through.objects.filter(
            broadcast__commune_id__in=ids,
            broadcast__cancelled_at__isnull=True,
            broadcast__broadcast_at__gte=first,
            broadcast__broadcast_at__lt=stop,
        )
        .values_list("broadcast__commune_id", "hamlet_id")
        .distinct()
    )


class Context:
    """What several indicators share within one ``compute`` call (read once).

    The cut-off rule (docs/kpi-methods.md): a figure of a period counts the records dated from the period's
    start to its cut-off (``cutoff_of``), over the roster and the staff as they stood on the cut-off day. The
    KPI engine's running totals (``HamletPopulation``, ``HamletPeriod``, ``CoveragePeriod``) hold every record
    of a period and today's roster; they are read when they are exactly that — per commune, when:

    * the roster: no household change of the commune is dated after the cut-off (the households that left by
      then, which the running totals still count, are subtracted with their members and contacts);
    * the reach of a period: the period is one the engine keeps, the roster is exact and no attributable
      contact is dated after the cut-off within the period;
    * the radio coverage: the same with confirmed broadcasts.

    Otherwise the figure is counted from the records with set-based SQL (``population_at``, ``reached_at``,
    ``covered_at``).
    """

    def __init__(self, ids, today):
        self.ids, self.today = ids, today
        self._settings = self._pop = self._history = self._staff = self._gone = self._gone_reach = None
        self._headline = None
        self._recorded: dict = {}
        self._pop_at: dict = {}
        self._late_cache: dict = {}
        self._codes: set[str] = set()
        self._gone_reach_codes: set[str] = set()
        self._running: dict[str, dict] = {}

    def prefetch(self, periods) -> None:
        """Read the running totals of these periods with one query per table (when asked for first)."""
        self._codes |= {p.code for p in periods if is_maintained(p)}

    def _running_totals(self, code: str) -> tuple[dict, set]:
        """{(commune, hamlet): (households, residents, contacts)} and the covered (commune, hamlet) of a period
        in the engine's tables, for every commune of the call."""
        if code not in self._running:
            codes = sorted(self._codes | {code})
            for c in codes:
                self._running[c] = ({}, set())
            for c, h, period, n, r, k in HamletPeriod.objects.filter(
                commune_id__in=self.ids, period__in=codes
            ).values_list("commune_id", "hamlet_id", "period", "households_reached", "residents_reached", "contacts"):
                self._running[period][0][(c, h)] = (n, r, k)
            for c, h, period in CoveragePeriod.objects.filter(
                commune_id__in=self.ids, period__in=codes, broadcasts__gt=0
            ).values_list("commune_id", "hamlet_id", "period"):
                self._running[period][1].add((c, h))
        return self._running[code]

    def settings(self, commune_id: int) -> tuple[int, int]:
        if self._settings is None:
            self._settings = {
                c: (n, m)
                for c, n, m in ReachSettings.objects.filter(commune_id__in=self.ids).values_list(
                    "commune_id", "briefings_per_year", "column_items_per_month"
                )
            }
        return self._settings.get(commune_id, (2, 1))

    def headline(self, commune_id: int) -> str:
        """How the commune's province counts the headline of residents reached (``Province.ResidentsHeadline``)."""
        if self._headline is None:
            self._headline = dict(
                Commune.objects.filter(pk__in=self.ids).values_list("pk", "province__residents_headline")
            )
        return self._headline.get(commune_id) or Province.ResidentsHeadline.HOUSEHOLDS

    def recorded(self, period: Period) -> dict[tuple[int, int], tuple[int, int]]:
        """{(commune id, hamlet id): (households, people recorded as reached)} in the period by its cut-off: always
        counted from the records (the engine keeps no running total of people per household)."""
        day = cutoff_of(period, self.today)
        if day is None:
            return {}
        key = (period.start, day)
        if key not in self._recorded:
            self._recorded[key] = recorded_at(self.ids, period.start, day)
        return self._recorded[key]

    # --- The roster as of a day

    def _maintained_population(self) -> dict[tuple[int, int], tuple[int, int]]:
        if self._pop is None:
            self._pop = {
                (c, h): (n, r)
                for c, h, n, r in HamletPopulation.objects.filter(commune_id__in=self.ids).values_list(
                    "commune_id", "hamlet_id", "households", "residents"
                )
            }
        return self._pop

    def roster_exact(self, day: dt.date) -> set[int]:
        """The communes whose running totals hold the roster as it stood on ``day``."""
        if self._history is None:
            self._history = {
                r["commune_id"]: (r["last"], r["gone"])
                for r in HouseholdChange.objects.filter(commune_id__in=self.ids)
                .order_by()
                .values("commune_id")
                .annotate(last=Max("date"), gone=Count("id", filter=Q(members_after=0)))
            }
        return {c for c in self.ids if c not in self._history or self._history[c][0] <= day}

    def _departed(self) -> dict[int, tuple[int, int, int]]:
        """{household id: (commune, hamlet, members)} of the households that have left the roster: the running
        totals still count them (with their members and their contacts), so an exact roster subtracts them."""
        if self._gone is None:
            self._gone = {}
            if self.roster_exact(self.today) and any(self._history.get(c, (None, 0))[1] for c in self.ids):
                left = HouseholdChange.objects.filter(commune_id__in=self.ids, members_after=0).values("household_id")
                self._gone = {
                    pk: (c, h, m)
                    for pk, c, h, m in Household.objects.filter(pk__in=left, left_on__isnull=False).values_list(
                        "pk", "commune_id", "hamlet_id", "members"
                    )
                }
        return self._gone

    def _departed_reach(self, code: str) -> dict[int, int]:
        """{departed household id: its attributable contacts in the period} for those the engine counts as
        reached in it."""
        if self._gone_reach is None or code not in self._gone_reach_codes:
            self._gone_reach = defaultdict(dict)
            gone = list(self._departed())
            codes = sorted(self._codes | {code})
            self._gone_reach_codes = set(codes)
            if gone:
                reached = set(
                    HouseholdPeriod.objects.filter(household_id__in=gone, period__in=codes).values_list(
                        "household_id", "period"
                    )
                )
                counts = defaultdict(int)
                for household_id, day in Contact.objects.filter(
                    household_id__in=gone, channel__in=ATTRIBUTABLE
                ).values_list("household_id", "date"):
                    for c in codes_of_date(day):
                        counts[(household_id, c)] += 1
                for household_id, c in reached:
                    self._gone_reach[c][household_id] = counts[(household_id, c)]
        return self._gone_reach.get(code, {})

    def hamlet_population(self, day: dt.date | None = None) -> dict[tuple[int, int], tuple[int, int]]:
        """{(commune id, hamlet id): (households, residents)} on ``day`` (today when None)."""
        day = day or self.today
        if day not in self._pop_at:
            exact = self.roster_exact(day)
            maintained = self._maintained_population()
            found = {k: v for k, v in maintained.items() if k[0] in exact}
            for c, h, m in self._departed().values():  # every departure is dated on or before ``day`` here
                if c in exact:
                    n, r = found[(c, h)]
                    found[(c, h)] = (n - 1, r - m)
            found.update(population_at([c for c in self.ids if c not in exact], day))
            self._pop_at[day] = found
        return self._pop_at[day]

    def population(self, day: dt.date | None = None) -> dict[int, tuple[int, int]]:
        totals = defaultdict(lambda: [0, 0])
        for (c, _h), (n, r) in self.hamlet_population(day).items():
            totals[c][0] += n
            totals[c][1] += r
        return {c: tuple(v) for c, v in totals.items()}

    # --- Records dated after a cut-off

    def _late(self, day: dt.date, end: dt.date, which: int) -> set[int]:
        """The communes with an attributable contact (0) or a confirmed broadcast (1) dated from the day after
        ``day`` to ``end``: none when the cut-off is the period's end (nothing to look up)."""
        if day >= end:
            return set()
        key = (day, end, which)
        if key not in self._late_cache:
            if which == 0:
                rows = Contact.objects.filter(
                    commune_id__in=self.ids,
                    date__gt=day,
                    date__lte=end,
                    household__isnull=False,
                    channel__in=ATTRIBUTABLE,
                )
            else:
                _start, after = local_bounds(Period(day, day, "", "Q"), day)
                _start, stop = local_bounds(Period(end, end, "", "Q"), end)
                rows = Broadcast.objects.filter(
                    commune_id__in=self.ids, cancelled_at__isnull=True, broadcast_at__gte=after, broadcast_at__lt=stop
                )
            self._late_cache[key] = set(rows.values_list("commune_id", flat=True).distinct())
        return self._late_cache[key]

    def _fast(self, period: Period, which: int) -> set[int]:
        """The communes whose running totals of ``period`` (0: reach, 1: coverage) are exact at its cut-off."""
        day = cutoff_of(period, self.today)
        if day is None or not is_maintained(period):
            return set()
        return self.roster_exact(day) - self._late(day, period.end, which)

    def reached(self, period: Period) -> dict[tuple[int, int], tuple[int, int, int]]:
        """{(commune id, hamlet id): (households, residents, contacts)} reached in the period by its cut-off."""
        day = cutoff_of(period, self.today)
        if day is None:
            return {}
        fast = self._fast(period, 0)
        found = {}
        if fast:
            found = {k: v for k, v in self._running_totals(period.code)[0].items() if k[0] in fast}
            gone = self._departed()
            for household_id, contacts in self._departed_reach(period.code).items():
                c, h, m = gone[household_id]
                if c in fast:
                    n, r, k = found[(c, h)]
                    found[(c, h)] = (n - 1, r - m, k - contacts)
        found.update(reached_at([c for c in self.ids if c not in fast], period.start, day))
        return found

    def covered(self, period: Period) -> set[tuple[int, int]]:
        day = cutoff_of(period, self.today)
        if day is None:
            return set()
        fast = self._fast(period, 1)
        found = set()
        if fast:
            found = {k for k in self._running_totals(period.code)[1] if k[0] in fast}
        slow = [c for c in self.ids if c not in fast]
        if slow:
            found |= covered_at(slow, period.start, day)
        return found

    # --- Staff as of a day

    def staff(self) -> list[tuple]:
        """Every staff member of the communes: (pk, commune id, category, on comms duty, start, end)."""
        if self._staff is None:
            self._staff = list(
                Staff.objects.filter(commune_id__in=self.ids).values_list(
                    "pk", "commune_id", "category", "on_comms_duty", "start_date", "end_date"
                )
            )
        return self._staff

    def staff_on(self, day: dt.date, *, comms: bool = False) -> dict[int, int]:
        """{staff id: commune id} of the officials (or the comms staff) serving on ``day``."""
        categories = Staff.COMMS_CATEGORIES if comms else Staff.OFFICIALS
        return {
            pk: c
            for pk, c, category, on_comms, start, end in self.staff()
            if category in categories
            and (on_comms or not comms)
            and (start is None or start <= day)
            and (end is None or end >= day)
        }


def population(commune_ids, day: dt.date | None = None) -> dict[int, tuple[int, int]]:
    """Households and residents of each commune on ``day`` (today when None): {commune id: (households, residents)}."""
    day = day or timezone.localdate()
    return Context(list(commune_ids), day).population(day)


def _per_commune(rows: dict) -> dict[int, list[int]]:
    """Sum hamlet rows {(commune, hamlet): (a, b, …)} per commune."""
    got: dict[int, list[int]] = {}
    for (c, _h), values in rows.items():
        total = got.setdefault(c, [0] * len(values))
        for i, v in enumerate(values):
            total[i] += v
    return got


def _residents_reached(ctx, periods, out):
    """The headline: residents of the households reached, or the people recorded as reached (the lower bound),
    as the commune's province chose; the detail keeps both."""
    ids, today = ctx.ids, ctx.today
    for p in periods:
        day = cutoff_of(p, today)
        pop = ctx.population(day)
        got = _per_commune(ctx.reached(p)) if day else {}
        recorded = _per_commune(ctx.recorded(p)) if day else {}
        for c in ids:
            households, residents = pop.get(c, (0, 0))
            fig = Figure(denominator=residents)
            method = ctx.headline(c)
            fig.detail = {"method": method}
            if day:
                hh, res, _k = got.get(c, (0, 0, 0))
                people = recorded.get(c, (0, 0))[1]
                fig.numerator = people if method == Province.ResidentsHeadline.RECORDED else res
                fig.detail.update(
                    {
                        "households": hh,
                        "households_total": households,
                        "household_residents": res,
                        "people_recorded": people,
                        "cutoff": day.isoformat(),
                    }
                )
                fig.finish()
            out[(c, p.code)]["residents_reached"] = fig


def _residents_recorded(ctx, periods, out):
    """The lower bound beside residents reached: the people recorded on the contacts, at most each household's
    members, over the residents on the cut-off day."""
    ids, today = ctx.ids, ctx.today
    for p in periods:
        day = cutoff_of(p, today)
        pop = ctx.population(day)
        recorded = _per_commune(ctx.recorded(p)) if day else {}
        for c in ids:
            fig = Figure(denominator=pop.get(c, (0, 0))[1])
            if day:
                hh, people = recorded.get(c, (0, 0))
                fig.numerator = people
                fig.detail = {"households": hh, "cutoff": day.isoformat()}
                fig.finish()
            out[(c, p.code)]["residents_recorded"] = fig


def covered_hamlets(ids, period: Period, today) -> set[tuple[int, int]]:
    """(commune id, hamlet id) covered by at least one confirmed broadcast in the period up to its cut-off."""
    return Context(list(ids), today).covered(period)


def _radio_coverage(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    for p in periods:
        day = cutoff_of(p, today)
        if day is None:
            for c in ids:
                out[(c, p.code)]["radio_coverage"] = Figure(denominator=ctx.population().get(c, (0, 0))[1])
            continue
        pop = ctx.hamlet_population(day)
        totals = ctx.population(day)
        per_commune = defaultdict(lambda: [0, 0])
        for c, h in ctx.covered(p):
            per_commune[c][0] += pop.get((c, h), (0, 0))[1]
            per_commune[c][1] += 1
        for c in ids:
            fig = Figure(denominator=totals.get(c, (0, 0))[1])
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


def weighted_counts(strata: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Beside the estimate: residents of the surveyed hamlets estimated informed (Σ N_h·p_h), out of Σ N_h."""
    used = [(w, n, y) for w, n, y in strata if n and w]
    return round(sum(w * y / n for w, n, y in used)), sum(w for w, _n, _y in used)


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
    answers = defaultdict(list)
    if surveys:
        for s, c, h, n, y in SurveyStratum.objects.filter(survey__in=surveys).values_list(
            "survey_id", "commune_id", "hamlet_id", "sampled", "yes"
        ):
            answers[s].append((c, h, n, y))
    for p in periods:
        end = p.elapsed_end(today)
        chosen = {}
        for survey in surveys:
            if end and p.start <= survey.end_date <= end:
                chosen.setdefault(survey.commune_id, survey)
        pop = ctx.hamlet_population(end) if chosen else {}
        for c in ids:
            fig = Figure()
            if c in chosen:
                # Each hamlet weighs its residents on the cut-off day.
                rows = [(pop.get((sc, h), (0, 0))[1], n, y) for sc, h, n, y in answers[chosen[c].pk]]
                est = stratified_estimate(rows)
                # Weighted, like the estimate: residents of the surveyed hamlets estimated to be informed, out of
                # those residents (never the raw count of households answering yes, which is not the same share).
                fig.numerator, fig.denominator = weighted_counts(rows)
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


def eligible_staff(ids, day: dt.date):
    """The officials (cán bộ, công chức, viên chức) serving on ``day``: the denominator of "officials informed"."""
    return Staff.objects.filter(commune_id__in=ids, category__in=Staff.OFFICIALS).filter(Staff.serving_on(day))


def briefing_counts(ids, period: Period, today) -> dict[int, int]:
    """Briefings attended from the period's start to its cut-off by each official serving on the cut-off day."""
    end = period.elapsed_end(today)
    if end is None:
        return {}
    through = Briefing.attendees.through
    rows = (
        through.objects.filter(
            briefing__commune_id__in=ids,
            briefing__date__gte=period.start,
            briefing__date__lte=end,
            staff__in=eligible_staff(ids, end),
        )
        .values("staff_id")
        .annotate(n=Count("id"))
    )
    return {r["staff_id"]: r["n"] for r in rows}


def _attendance_histogram(ctx, period: Period) -> dict[int, dict[int, int]]:
    """{commune id: {briefings attended: eligible staff}} for one period, counted in the database."""
    end = period.elapsed_end(ctx.today)
    if end is None or not ctx.ids:
        return {}
    through = Briefing.attendees.through._meta.db_table
    briefing = Briefing._meta.db_table
    staff = Staff._meta.db_table
    officials = [str(c) for c in Staff.OFFICIALS]
    sql = (
        f"SELECT x.commune_id, x.n, COUNT(*) FROM (SELECT s.commune_id, a.staff_id, COUNT(*) AS n "
        f"FROM {through} a JOIN {briefing} b ON b.id = a.briefing_id JOIN {staff} s ON s.id = a.staff_id "
        f"WHERE b.commune_id IN ({_marks(ctx.ids)}) AND b.date >= %s AND b.date <= %s "
        f"AND s.category IN ({_marks(officials)}) AND (s.start_date IS NULL OR s.start_date <= %s) "
        f"AND (s.end_date IS NULL OR s.end_date >= %s) "
        f"AND s.commune_id = b.commune_id GROUP BY s.commune_id, a.staff_id) x GROUP BY x.commune_id, x.n"
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ctx.ids, _day(period.start), _day(end), *officials, _day(end), _day(end)])
        for commune_id, n, count in cursor.fetchall():
            found[commune_id][n] = count
    return found


def _officials_informed(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    begun = [p for p in periods if p.elapsed_end(today)]
    histograms = {}
    if len(periods) == 1:  # many communes, one period (the province): counted in the database
        histograms = {p.code: _attendance_histogram(ctx, p) for p in begun}
    elif begun:  # one commune, many periods: its attendance rows, counted here
        first, last = _span(begun, today)
        rows = list(
            Briefing.attendees.through.objects.filter(
                briefing__commune_id__in=ids,
                briefing__date__gte=first,
                briefing__date__lte=last,
                staff__category__in=Staff.OFFICIALS,
            ).values_list("staff_id", "briefing__date")
        )
        for p in begun:
            end = p.elapsed_end(today)
            serving = ctx.staff_on(end)
            counts = defaultdict(int)
            for staff_id, day in rows:
                if staff_id in serving and p.start <= day <= end:
                    counts[staff_id] += 1
            histogram: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            for staff_id, n in counts.items():
                histogram[serving[staff_id]][n] += 1
            histograms[p.code] = histogram
    for p in periods:
        end = p.elapsed_end(today)
        totals = defaultdict(int)
        for c in ctx.staff_on(end or today).values():
            totals[c] += 1
        histogram = histograms.get(p.code, {})
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if end:
                required = required_briefings(ctx.settings(c)[0], p, today)
                fig.numerator = sum(k for n, k in histogram.get(c, {}).items() if n >= required)
                fig.detail = {"required": required, "per_year": ctx.settings(c)[0], "cutoff": end.isoformat()}
                fig.finish()
            out[(c, p.code)]["officials_informed"] = fig


def comms_staff(ids, day: dt.date):
    """Cán bộ and công chức on communication, grassroots information or external information duty, serving on
    ``day``: the denominator of "comms staff trained in depth"."""
    return Staff.objects.filter(commune_id__in=ids, on_comms_duty=True, category__in=Staff.COMMS_CATEGORIES).filter(
        Staff.serving_on(day)
    )


def _comms_staff_trained(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    first = {}  # staff -> first in-depth completion date
    for staff_id, day in TrainingCompletion.objects.filter(
        commune_id__in=ids, course__in_depth=True, staff__on_comms_duty=True
    ).values_list("staff_id", "completed_on"):
        if staff_id not in first or day < first[staff_id]:
            first[staff_id] = day
    for p in periods:
        end = p.elapsed_end(today)
        serving = ctx.staff_on(end or today, comms=True)
        totals, done = defaultdict(int), defaultdict(int)
        for staff_id, c in serving.items():
            totals[c] += 1
            if end and staff_id in first and first[staff_id] <= end:
                done[c] += 1
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if end:
                fig.numerator = done.get(c, 0)
                fig.detail = {"categories": [str(Staff.Category(k).label) for k in Staff.COMMS_CATEGORIES]}
                fig.finish()
            out[(c, p.code)]["comms_staff_trained"] = fig


# --- S&T tasks, column, awards -------------------------------------------------------------------------


def science_tasks(ids, period: Period):
    return ScienceTask.objects.filter(commune_id__in=ids, state_secret=False, year__lte=period.year)


def publicised_filter(end: dt.date) -> Q:
    _start, stop = local_bounds(Period(end, end, "", "Q"), end)
    published = Publication.objects.filter(science_tasks=OuterRef("pk"), published_at__lt=stop).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=stop)
    )
    return Q(Exists(published)) | (~Q(outside_url="") & Q(outside_published_on__lte=end))


def _science_tasks_publicised(ctx, periods, out):
    ids, today = ctx.ids, ctx.today
    tasks = list(
        ScienceTask.objects.filter(commune_id__in=ids, state_secret=False).values_list(
            "pk", "commune_id", "year", "outside_url", "outside_published_on"
        )
    )
    # Live on the cut-off day: published by then and not withdrawn by then.
    live: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for task_id, at, gone in Publication.science_tasks.through.objects.filter(
        sciencetask__commune_id__in=ids
    ).values_list("sciencetask_id", "publication__published_at", "publication__withdrawn_at"):
        live[task_id].append((timezone.localdate(at), timezone.localdate(gone) if gone else None))
    for p in periods:
        end = p.elapsed_end(today)
        totals, done = defaultdict(int), defaultdict(int)
        for pk, c, year, url, outside_on in tasks:
            if year > p.year:
                continue
            totals[c] += 1
            if end is None:
                continue
            on_column = any(day <= end and (gone is None or gone > end) for day, gone in live.get(pk, ()))
            outside = bool(url) and outside_on is not None and outside_on <= end
            if on_column or outside:
                done[c] += 1
        for c in ids:
            fig = Figure(denominator=totals.get(c, 0))
            if end:
                fig.numerator = done.get(c, 0)
                fig.finish()
            out[(c, p.code)]["science_tasks_publicised"] = fig


LIVE_AT_LEAST = dt.timedelta(days=1)
# A column row counts only if it comes from a page of the column or names its address as evidence.
WITH_EVIDENCE = Q(key__startswith="column:") | ~Q(url="")


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
        WITH_EVIDENCE,
        commune_id__in=ids,
        channel=Publication.Channel.COLUMN,
        published_at__gte=start,
        published_at__lt=stop,
    )


def month_counts(ids, period: Period, today) -> dict[tuple[int, int, int], int]:
    """Items of the column that count at the period's cut-off, per (commune, year, month) of the period so far."""
    return _month_counts(ids, [period], today).get(period.code, {})


def _month_counts(ids, periods, today) -> dict[str, dict[tuple[int, int, int], int]]:
    """{period code: {(commune, year, month): items}}: items published in the month by the period's cut-off that
    count then (``column_items``' rule: live at the cut-off, or live for at least a day before being withdrawn)."""
    span = _span(periods, today)
    if span is None:
        return {}
    start, stop = local_bounds(Period(span[0], span[1], "", "Q"), span[1])
    rows = list(
        Publication.objects.filter(
            WITH_EVIDENCE,
            commune_id__in=ids,
            channel=Publication.Channel.COLUMN,
            published_at__gte=start,
            published_at__lt=stop,
        ).values_list("commune_id", "published_at", "withdrawn_at")
    )
    found = {}
    for p in periods:
        end = p.elapsed_end(today)
        if end is None:
            continue
        _first, cut = local_bounds(Period(end, end, "", "Q"), end)
        counts = defaultdict(int)
        for c, at, gone in rows:
            if at < cut and (gone is None or gone >= cut or gone >= at + LIVE_AT_LEAST):
                local = timezone.localtime(at)
                counts[(c, local.year, local.month)] += 1
        found[p.code] = counts
    return found


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
    by_period = _month_counts(ids, periods, today)
    for p in periods:
        months = months_of(p, today)
        running = month_in_progress(p, today)
        counts = by_period.get(p.code, {})
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
    "residents_recorded": _residents_recorded,
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
    ctx.prefetch(periods)
    out: dict[tuple[int, str], dict[str, Figure]] = defaultdict(dict)
    for code in codes or CODES:
        COMPUTE[code](ctx, periods, out)
    return out


def combine(figures: list[Figure], code: str) -> Figure:
    """Province level: numerators and denominators summed over communes (survey strata pooled)."""
    if code == "survey_reached":
        strata = [s for f in figures for s in f.detail.get("strata", [])]
        est = stratified_estimate(strata)
        numerator, denominator = weighted_counts(strata)
        fig = Figure(numerator=numerator, denominator=denominator)
        fig.value = est["estimate"] if est else None
        fig.detail = {"interval": est}
        return fig
    fig = Figure(numerator=sum(f.numerator for f in figures), denominator=sum(f.denominator for f in figures))
    begun = any(f.value is not None for f in figures)
    return fig.finish() if begun else fig
