"""Reads of the reach app shared by the dashboard, the drill-down pages, the API and the reports.

``indicator_values(commune, period)`` is the one table of figures: the dashboard shows it and the
semi-annual report prints it, so both always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from lantoa.plans.models import Plan, PlanTarget
from lantoa.tenancy import locks
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.models import Commune, Hamlet, Household

from . import indicators as ind
from . import measure
from . import periods as P
from .indicators import Indicator, IndicatorStatus
from .measure import Figure
from .models import ChannelPeriod, Contact, HouseholdPeriod, IndicatorTarget
from .periods import Period

# --- Targets -------------------------------------------------------------------------------------------


def _plans_in_force(commune_ids) -> dict[int, object]:
    """Per commune, the plan whose targets count: the newest plan in force, else the newest not superseded."""

    chosen: dict[int, object] = {}
    plans = Plan.objects.filter(commune_id__in=commune_ids).exclude(status=Plan.Status.SUPERSEDED)
    for plan in plans.order_by("commune_id", "-year", "-version").only("pk", "commune_id", "status", "year"):
        current = chosen.get(plan.commune_id)
        if current is None or (current.status != Plan.Status.ACTIVE and plan.status == Plan.Status.ACTIVE):
            chosen[plan.commune_id] = plan
    return chosen


def targets(commune_ids, plans: dict | None = None) -> dict[int, dict[str, dict[int, dict]]]:
    """{commune id: {indicator code: {year: {value, text, source}}}}: the plan's targets, overridden by entered ones."""

    found: dict[int, dict[str, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
    plans = _plans_in_force(commune_ids) if plans is None else plans
    rows = (
        PlanTarget.objects.filter(plan__in=[p.pk for p in plans.values()])
        .exclude(indicator_code="")
        .order_by("order")
        .values_list("commune_id", "indicator_code", "year", "value", "text", "plan_id")
    )
    for commune_id, code, year, value, text, plan_id in rows:
        indicator = ind.get(code)
        if indicator is None:
            continue
        value = value if value is not None else indicator.default_target
        if value is None:
            continue
        found[commune_id][code][year] = {"value": Decimal(value), "text": text, "source": "plan", "plan_id": plan_id}
    for t in IndicatorTarget.objects.filter(commune_id__in=commune_ids):
        found[t.commune_id][t.indicator][t.year] = {"value": t.value, "text": t.note, "source": "entered"}
    return found


def target_for(indicator: Indicator, year: int, by_year: dict[int, dict]) -> dict | None:
    """The target that applies in ``year``: its own; else, for a deadline target (“by 2030”), the next one;
    else, for a target that holds from its year on (“from 2027, every year”), the latest earlier one."""
    if not by_year:
        return None
    if year in by_year:
        return {**by_year[year], "year": year}
    later = sorted(y for y in by_year if y > year)
    earlier = sorted(y for y in by_year if y < year)
    if indicator.target_mode == ind.DEADLINE and later:
        return {**by_year[later[0]], "year": later[0]}
    if earlier:
        return {**by_year[earlier[-1]], "year": earlier[-1]}
    return None


# --- Projection ----------------------------------------------------------------------------------------


def _line(points: list[tuple[float, float]], x: float) -> float | None:
    """Least-squares straight line through the points, evaluated at x."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    slope = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx
    return my + slope * (x - mx)


def _history_years(period: Period, plan_year: int | None) -> list[int]:
    first = max(period.year - 1, min(plan_year or period.year, period.year))
    return list(range(first, period.year + 1))


def _needed_periods(period: Period, today: dt.date, plan_year: int | None) -> list[Period]:
    """The period itself, the years and quarters its projection and its trend need."""
    needed = [period]
    for year in _history_years(period, plan_year):
        needed.append(P.parse(str(year)))
    needed += [p for p in P.choices(period.year) if p.kind in ("Q", "S", "N") and p.start <= today]
    return needed


def _cumulative_floor(indicator: Indicator, figures: dict[str, Figure], period: Period, target_year: int):
    """The value a projection can never fall below: what is already reached, for a cumulative figure.

    A stock (tasks publicised, staff trained) only grows; a count of people over the year (annualised) only
    grows within that year. Rates (officials informed, months kept alive) have no such floor."""
    if indicator.kind == ind.STOCK:
        fig = figures.get(period.code)
    elif indicator.annualise and target_year == period.year:
        fig = figures.get(str(period.year))
    else:
        return None
    return fig.value if fig is not None else None


def _project(
    indicator: Indicator,
    figures: dict[str, Figure],
    period: Period,
    today: dt.date,
    target_year: int,
    plan_year: int | None,
) -> tuple[float | None, dt.date | None, dt.date | None]:
    """(value, first day, last day of the pace it assumes): see ``projection``."""
    as_of = min(today, period.end)
    if indicator.kind == ind.YESNO or target_year < period.year or as_of < period.start:
        return None, None, None
    first = None
    if indicator.kind == ind.STOCK:
        points = []
        for q in P.choices(period.year):
            if q.kind == "Q" and q.start <= as_of and figures.get(q.code) and figures[q.code].value is not None:
                end = min(q.end, as_of)
                first = first or q.start
                points.append((end.year + (end.timetuple().tm_yday / 365.25), figures[q.code].value))
        value = _line(points, target_year + 1.0)
    else:
        points = []
        for year in _history_years(period, plan_year):
            fig = figures.get(str(year))
            if fig is None or fig.value is None:
                continue
            value = fig.value
            if year == as_of.year and indicator.annualise:
                elapsed = (as_of - dt.date(year, 1, 1)).days + 1
                share = elapsed / (366 if year % 4 == 0 else 365)
                if share < 0.1:
                    continue  # too early in the year to tell a pace
                value = min(100.0, value / share)
            first = first or dt.date(year, 1, 1)
            points.append((float(year), value))
        if len(points) == 1:
            points.insert(0, (points[0][0] - 1, 0.0))  # the plan starts from nothing the year before
        value = _line(points, float(target_year))
    if value is None:
        return None, None, None
    value = max(0.0, min(100.0, value))
    floor = _cumulative_floor(indicator, figures, period, target_year)
    if floor is not None:
        value = max(value, floor)
    return round(value, 1), first, as_of


def projection(
    indicator: Indicator,
    figures: dict[str, Figure],
    period: Period,
    today: dt.date,
    target_year: int,
    plan_year: int | None,
) -> float | None:
    """“At this pace”: the value a straight line through the past gives for the target year (docs/kpi-methods.md).

    ``today`` is the cut-off: the figures must have been computed up to it (``measure.compute(…, today)``),
    never later, so that a projection for a period uses only the records up to the period's cut-off. A
    cumulative figure is never projected below the value it has already reached."""
    return _project(indicator, figures, period, today, target_year, plan_year)[0]


def cutoff_of(period: Period, today: dt.date) -> dt.date:
    """The cut-off of a period's figures on ``today``: today while it runs, its last day once it is over."""
    return min(today, period.end)


def estimate_to(row: dict, until: dt.date) -> dict | None:
    """“Ước thực hiện”: where a count of people over the period stands at ``until`` if the pace from the
    period's start to the row's cut-off goes on — computed only from the value at the cut-off.

    Only for indicators whose value grows with the days (``annualise``: residents reached, radio coverage);
    the others have no estimate. Never below the value reached, never above 100%."""
    indicator = ind.get(row["code"])
    value, cutoff = row.get("value"), row.get("as_of")
    if indicator is None or not indicator.annualise or value is None or cutoff is None:
        return None
    if isinstance(cutoff, str):
        cutoff = dt.date.fromisoformat(cutoff)
    start = P.parse(row["period"]).start
    if until <= cutoff or cutoff < start:
        return None
    elapsed = (cutoff - start).days + 1
    whole = (until - start).days + 1
    estimate = min(100.0, max(value, value * whole / elapsed))
    return {
        "code": row["code"],
        "value": value,
        "estimate": round(estimate, 1),
        "start": start,
        "end": cutoff,
        "until": until,
    }


# --- The figures table ---------------------------------------------------------------------------------


def status_label(status: str) -> str:
    return str(IndicatorStatus(status).label)


def _row(
    indicator: Indicator,
    commune_id: int | None,
    period: Period,
    today: dt.date,
    figures: dict[str, Figure],
    by_year: dict,
    plan_year: int | None,
) -> dict:
    fig = figures.get(period.code) or Figure()
    target = None if indicator.companion_of else target_for(indicator, period.year, by_year)
    target_value = float(target["value"]) if target else None
    cutoff = cutoff_of(period, today)
    projected, pace_start, pace_end = (
        _project(indicator, figures, period, cutoff, target["year"], plan_year) if target else (None, None, None)
    )
    value = fig.value
    # "Đạt" from the unrounded share, as "tỷ lệ đạt" is: 29,96% shows as 30,0% but has not reached 30%.
    exact = 100.0 * fig.numerator / fig.denominator if fig.numerator is not None and fig.denominator else value
    if value is None:
        status = IndicatorStatus.NO_DATA
    elif target is None:
        status = IndicatorStatus.NO_TARGET
    elif exact >= target_value:
        status = IndicatorStatus.ACHIEVED
    elif projected is not None:
        status = IndicatorStatus.ON_TRACK if projected >= target_value else IndicatorStatus.BEHIND
    else:
        status = IndicatorStatus.BEHIND if today > period.end else IndicatorStatus.IN_PROGRESS
    if status == IndicatorStatus.ACHIEVED and projected is not None and projected < target_value:
        projected = pace_start = pace_end = None  # a projection never contradicts the status beside it
    numerator_text, method_text = ind.texts(indicator, fig.detail.get("method"))
    row = {
        "code": indicator.code,
        "name": str(indicator.name),
        "short_name": str(indicator.short_name),
        "method_text": str(method_text),
        "numerator_text": str(numerator_text),
        "denominator_text": str(indicator.denominator),
        "period_type": str(indicator.period_type),
        "kind": indicator.kind,
        "companion_of": indicator.companion_of,
        "headline_method": fig.detail.get("method"),  # residents reached: how the province counts the headline
        "unit": "%",
        "period": period.code,
        "period_label": period.label,
        "value": value,
        "numerator": fig.numerator,
        "denominator": fig.denominator,
        "detail": {k: v for k, v in fig.detail.items() if k != "strata"},
        "target": target_value,
        "target_year": target["year"] if target else None,
        "target_text": target["text"] if target else "",
        "target_source": target["source"] if target else "",
        "gap": round(max(0.0, target_value - value), 1) if target and value is not None else None,
        "projection": projected,
        "pace_start": pace_start,  # the pace the projection assumes: records from this day…
        "pace_end": pace_end,  # …to this one (the cut-off)
        "as_of": cutoff,
        "next_target": _next_target(indicator, period, cutoff, figures, by_year, target, plan_year),
        "status": status.value,  # a plain string in the row (JSON, templates, report snapshots)
        "status_label": status_label(status),
    }
    if commune_id is not None:
        base = reverse("reach:figure", kwargs={"commune_id": commune_id})
        row["links"] = {
            "numerator": f"{base}?indicator={indicator.code}&period={period.code}&part=numerator",
            "denominator": f"{base}?indicator={indicator.code}&period={period.code}&part=denominator",
        }
    return row


def _next_target(indicator, period, today, figures, by_year, target, plan_year) -> dict | None:
    """The next year's target and where the current pace leads by then (“at this pace: 24% in 2027, target 30%”)."""
    if indicator.companion_of or indicator.kind == ind.YESNO or not by_year:
        return None
    later = sorted(y for y in by_year if y > (target["year"] if target else period.year))
    if not later:
        return None
    year = later[0]
    value, start, end = _project(indicator, figures, period, today, year, plan_year)
    return {
        "year": year,
        "target": float(by_year[year]["value"]),
        "projection": value,
        "pace_start": start,
        "pace_end": end,
    }


def _plan_year(commune_ids, plans: dict | None = None) -> int | None:
    plans = _plans_in_force(commune_ids) if plans is None else plans
    return min((p.year for p in plans.values()), default=None)


def _evaluate(commune: Commune, period: Period, today: dt.date) -> tuple[list[dict], dict]:
    """The rows of ``indicator_values`` and every figure computed for them (the trend reuses them)."""
    plans = _plans_in_force([commune.pk])
    plan_year = _plan_year([commune.pk], plans)
    # Every figure (the period's and those its projection reads) counts records up to the period's cut-off only.
    cutoff = cutoff_of(period, today)
    needed = _needed_periods(period, cutoff, plan_year)
    computed = measure.compute([commune.pk], needed, cutoff)
    figures = {p.code: computed[(commune.pk, p.code)] for p in needed}
    by_target = targets([commune.pk], plans).get(commune.pk, {})
    rows = []
    for indicator in ind.INDICATORS:
        per_period = {code: figs.get(indicator.code) for code, figs in figures.items()}
        rows.append(
            _row(indicator, commune.pk, period, today, per_period, by_target.get(indicator.code, {}), plan_year)
        )
    return rows, figures


def indicator_values(commune: Commune, period: Period | str, *, today: dt.date | None = None) -> list[dict]:
    """Every indicator of a commune for a period: value, numerator, denominator, target, gap, status, method.

    One row per indicator, in a fixed order; rows with ``companion_of`` set (radio coverage, the survey
    estimate) are shown beside the indicator they complement and have no target of their own.
    """
    period = P.parse(period) if isinstance(period, str) else period
    return _evaluate(commune, period, today or timezone.localdate())[0]


def trend(commune: Commune, period: Period, today: dt.date, figures: dict | None = None) -> dict[str, list[dict]]:
    """Per indicator, its value in each quarter of the period's year and the year to date at each quarter end."""
    quarters = [p for p in P.choices(period.year) if p.kind == "Q" and p.start <= today]
    ytd = [p for p in P.year_to_date_at_quarter_ends(period.year) if p.start <= today]
    if figures is None or any(p.code not in figures for p in quarters + ytd):
        computed = measure.compute([commune.pk], quarters + ytd, today)
        figures = {p.code: computed[(commune.pk, p.code)] for p in quarters + ytd}
    out = {}
    for indicator in ind.INDICATORS:
        series = []
        # Shorter than ytd until Q4 starts: the year-to-date periods all start on 1 January.
        for q, y in zip(quarters, ytd, strict=False):
            qv = figures[q.code].get(indicator.code)
            yv = figures[y.code].get(indicator.code)
            series.append(
                {
                    "quarter": q.code,
                    "label": q.short_label,
                    "value": qv.value if qv else None,
                    "ytd": yv.value if yv else None,
                }
            )
        out[indicator.code] = series
    return out


# --- Hamlets -------------------------------------------------------------------------------------------


def hamlet_table(commune: Commune, period: Period, today: dt.date | None = None) -> list[dict]:
    """Per hamlet: residents, reached, coverage by radio, survey estimate, households not reached yet — as of the
    period's cut-off (``measure.cutoff_of``), like every figure of the dashboard."""
    today = today or timezone.localdate()
    ctx = measure.Context([commune.pk], today)
    day = measure.cutoff_of(period, today)
    pop = {h: v for (_c, h), v in ctx.hamlet_population(day).items()}
    reached = {h: v for (_c, h), v in ctx.reached(period).items()}
    covered = {h for _c, h in ctx.covered(period)}
    survey = measure.latest_surveys([commune.pk], period, today).get(commune.pk)
    strata = {}
    if survey:
        for h, n, y in survey.strata.values_list("hamlet_id", "sampled", "yes"):
            lo, hi = measure.wilson(y, n)
            strata[h] = {
                "estimate": round(100 * y / n, 1),
                "low": round(100 * lo, 1),
                "high": round(100 * hi, 1),
                "sampled": n,
                "yes": y,
            }
    rows = []
    for hamlet in Hamlet.objects.filter(commune=commune).order_by("name"):
        households, residents = pop.get(hamlet.pk, (0, 0))
        hh, res, contacts = reached.get(hamlet.pk, (0, 0, 0))
        rows.append(
            {
                "hamlet": hamlet,
                "households": households,
                "residents": residents,
                "households_reached": hh,
                "residents_reached": res,
                "contacts": contacts,
                "value": round(100 * res / residents, 1) if residents and period.start <= today else None,
                "not_reached": households - hh,
                "covered": hamlet.pk in covered,
                "survey": strata.get(hamlet.pk),
            }
        )
    return rows


def reached_household_ids(hamlet: Hamlet, period: Period):
    """Households of the hamlet reached in the period (the engine's running totals: for the visit form)."""
    return HouseholdPeriod.objects.filter(hamlet=hamlet, period=period.code).values("household_id")


def reached_ids_in(commune: Commune, period: Period, hamlet: Hamlet | None = None):
    """Ids of the commune's (or hamlet's) households reached in the period (the engine's running totals)."""
    rows = HouseholdPeriod.objects.filter(commune=commune, period=period.code)
    if hamlet is not None:
        rows = rows.filter(hamlet=hamlet)
    return rows.values_list("household_id", flat=True)


def unreached_households(hamlet: Hamlet, period: Period, today: dt.date | None = None):
    """Households of the hamlet on the roster at the period's cut-off without any attributable contact in the
    period up to then: codes only, for the next visits."""
    today = today or timezone.localdate()
    day = measure.cutoff_of(period, today) or period.start
    present = measure.households_at([hamlet.commune_id], day, hamlet_id=hamlet.pk)
    reached = measure.reached_ids([hamlet.commune_id], period.start, day, hamlet_id=hamlet.pk)
    return (
        Household.objects.filter(pk__in=[pk for pk in present if pk not in reached])
        .order_by("code")
        .only("pk", "code", "members", "hamlet_id")
    )


def reached_households(commune: Commune, period: Period, hamlet: Hamlet | None = None, today: dt.date | None = None):
    """Households reached in the period by its cut-off (on the roster that day), with their residents then and
    their attributable contacts: [{household, hamlet, members, contacts}]."""
    today = today or timezone.localdate()
    day = measure.cutoff_of(period, today)
    if day is None:
        return []
    present = measure.households_at([commune.pk], day, hamlet_id=hamlet.pk if hamlet else None)
    counts = measure.reached_ids([commune.pk], period.start, day, hamlet_id=hamlet.pk if hamlet else None)
    households = (
        Household.objects.filter(pk__in=list(counts)).select_related("hamlet").defer(*Household.PERSONAL_FIELDS)
    )
    rows = [
        {"household": h, "hamlet": h.hamlet, "members": present[h.pk][2], "contacts": counts[h.pk]} for h in households
    ]
    return sorted(rows, key=lambda r: (r["hamlet"].name, r["household"].code))


def household_contacts(household: Household):
    return Contact.objects.filter(household=household).select_related("activity", "activity__task").order_by("-date")


def contacts_in(
    commune: Commune, period: Period, today: dt.date, *, channel: str | None = None, hamlet: Hamlet | None = None
):
    end = period.elapsed_end(today) or period.start
    rows = Contact.objects.filter(commune=commune, date__gte=period.start, date__lte=end)
    if channel:
        rows = rows.filter(channel=channel)
    if hamlet is not None:
        rows = rows.filter(hamlet=hamlet)
    return rows.select_related("activity", "household", "hamlet")


def contacts_by_channel(commune: Commune, period: Period, today: dt.date | None = None) -> list[dict]:
    """Contacts of the period per channel: how many, how many attributable, how many people (maintained counts)."""

    labels = dict(Contact.Channel.choices)
    rows = ChannelPeriod.objects.filter(commune=commune, period=period.code, contacts__gt=0).order_by("channel")
    return [
        {
            "channel": r.channel,
            "label": labels.get(r.channel, r.channel),
            "contacts": r.contacts,
            "attributable": r.attributable,
            "people": r.people,
        }
        for r in rows
    ]


# --- Dashboard and province ----------------------------------------------------------------------------


_DATE_KEYS = ("pace_start", "pace_end", "as_of")


def _restored_row(row: dict) -> dict:
    """A row as a report stored it (JSON): its dates back to dates."""
    row = dict(row)
    for key in _DATE_KEYS:
        if isinstance(row.get(key), str):
            row[key] = dt.date.fromisoformat(row[key][:10])
    if isinstance(row.get("next_target"), dict):
        row["next_target"] = _restored_row(row["next_target"])
    return row


def locked_figures(commune: Commune, period: Period, today: dt.date):
    """The lock whose issued values are this period's figures at its cut-off on ``today``, if the period is closed."""
    return locks.stored_values(commune, period.code, cutoff_of(period, today))


def dashboard_data(commune: Commune, period: Period | str, *, today: dt.date | None = None) -> dict:
    """Everything the commune dashboard shows (the benchmark times exactly this).

    A period closed by an issued report shows the figures as that report issued them (``tenancy.locks``):
    the indicators and the hamlets' table come from the stored values, with the lock to say so."""
    period = P.parse(period) if isinstance(period, str) else period
    today = today or timezone.localdate()
    rows, figures = _evaluate(commune, period, today)
    hamlets = hamlet_table(commune, period, today)
    lock = locked_figures(commune, period, today)
    if lock is not None:
        stored = lock.values
        if stored.get("indicators"):
            rows = [_restored_row(r) for r in stored["indicators"]]
        if stored.get("hamlets"):
            by_id = {h.pk: h for h in Hamlet.objects.filter(commune=commune)}
            hamlets = [{**h, "hamlet": by_id[h["hamlet_id"]]} for h in stored["hamlets"] if h.get("hamlet_id") in by_id]
    return {
        "period": period,
        "rows": rows,
        "trend": trend(commune, period, today, figures),
        "hamlets": hamlets,
        "channels": contacts_by_channel(commune, period, today),
        "locked": lock,
    }


def province_comparison(communes, period: Period | str, *, today: dt.date | None = None) -> dict:
    """Each commune's value of every indicator for the period, and the province's (sums of the parts)."""
    period = P.parse(period) if isinstance(period, str) else period
    today = today or timezone.localdate()
    communes = list(communes)
    ids = [c.pk for c in communes]
    computed = measure.compute(ids, [period], today)
    by_target = targets(ids)
    rows = []
    for commune in communes:
        figs = computed[(commune.pk, period.code)]
        values = {}
        for indicator in ind.INDICATORS:
            fig = figs.get(indicator.code) or Figure()
            target = (
                None
                if indicator.companion_of
                else target_for(indicator, period.year, by_target.get(commune.pk, {}).get(indicator.code, {}))
            )
            values[indicator.code] = {
                "value": fig.value,
                "numerator": fig.numerator,
                "denominator": fig.denominator,
                "target": float(target["value"]) if target else None,
            }
        rows.append({"commune": commune, "values": values})
    total = {}
    for indicator in ind.INDICATORS:
        fig = measure.combine([computed[(c, period.code)].get(indicator.code) or Figure() for c in ids], indicator.code)
        total[indicator.code] = {
            "value": fig.value,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
            "detail": fig.detail,
        }
    return {"period": period, "rows": rows, "total": total}


def communes_visible(user):
    return tenancy.communes_for(user).select_related("province").order_by("province__name", "name")


def recent_visits(user, commune, limit: int = 10):
    """The household visits this user recorded most recently in the commune (the visit form's list)."""
    return (
        Contact.objects.filter(commune=commune, created_by=user, channel=Contact.Channel.VISIT)
        .select_related("household", "hamlet", "activity")
        .defer("household__head_name", "household__phone")
        .order_by("-created_at", "-pk")[:limit]
    )
