"""The records behind each figure (drill-down): for every indicator, what its numerator and denominator count.

Read-only, scoped by the caller (the view passes a commune the user may see). Households appear by
their code only; staff by their name (officials are not private persons here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import numbers
from lantoa.tenancy.models import Commune, Hamlet, Household

from . import measure, selectors
from .models import (
    Award,
    Briefing,
    Broadcast,
    ScienceTask,
    SurveyStratum,
    TrainingCompletion,
)
from .periods import Period


@dataclass
class Records:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # cells: text, or (text, url)
    note: str = ""
    extra: list[Records] = field(default_factory=list)


def _d(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _yes(flag: bool) -> str:
    return "✓" if flag else "—"


def _household_link(pk, code):
    return (code, reverse("reach:household", kwargs={"household_id": pk}))


def _hamlet_link(hamlet_id, name, period):
    return (name, reverse("reach:hamlet", kwargs={"hamlet_id": hamlet_id}) + f"?period={period.code}")


def records(
    commune: Commune, code: str, part: str, period: Period, today: dt.date, hamlet: Hamlet | None = None
) -> Records:
    builder = BUILDERS[code]
    return builder(commune, part, period, today, hamlet)


def _residents(commune, part, period, today, hamlet):
    day = measure.cutoff_of(period, today) or period.start
    if part == "numerator":
        rows = selectors.reached_households(commune, period, hamlet, today)
        return Records(
            _("Households reached in %(period)s") % {"period": period.label},
            [_("Household"), _("Hamlet"), _("Members"), _("Attributable contacts")],
            [
                [
                    _household_link(r["household"].pk, r["household"].code),
                    _hamlet_link(r["hamlet"].pk, r["hamlet"].name, period),
                    r["members"],
                    r["contacts"],
                ]
                for r in rows
            ],
            _("All members of a household reached count as residents reached (members on %(day)s).") % {"day": _d(day)},
        )
    present = measure.households_at([commune.pk], day, hamlet_id=hamlet.pk if hamlet else None)
    reached = measure.reached_ids([commune.pk], period.start, day, hamlet_id=hamlet.pk if hamlet else None)
    households = (
        Household.objects.filter(pk__in=list(present))
        .select_related("hamlet")
        .order_by("hamlet__name", "code")
        .defer(*Household.PERSONAL_FIELDS)
    )
    return Records(
        _("Households of the roster on %(day)s") % {"day": _d(day)},
        [_("Household"), _("Hamlet"), _("Members"), _("Reached in the period")],
        [
            [
                _household_link(h.pk, h.code),
                _hamlet_link(h.hamlet_id, h.hamlet.name, period),
                present[h.pk][2],
                _yes(h.pk in reached),
            ]
            for h in households
        ],
        _("Households that moved in later or left before this day are not counted."),
    )


def _recorded(commune, part, period, today, hamlet):
    """The lower bound: per household reached, its members, the people its contacts recorded, and what counts."""
    if part == "denominator":
        return _residents(commune, part, period, today, hamlet)
    day = measure.cutoff_of(period, today)
    found = (
        measure.recorded_ids([commune.pk], period.start, day, hamlet_id=hamlet.pk if hamlet else None) if day else {}
    )
    households = (
        Household.objects.filter(pk__in=list(found))
        .select_related("hamlet")
        .order_by("hamlet__name", "code")
        .defer(*Household.PERSONAL_FIELDS)
    )
    return Records(
        _("People recorded as reached in %(period)s") % {"period": period.label},
        [_("Household"), _("Hamlet"), _("Members"), _("People recorded"), _("Counted")],
        [
            [
                _household_link(h.pk, h.code),
                _hamlet_link(h.hamlet_id, h.hamlet.name, period),
                found[h.pk][0],
                found[h.pk][1],
                min(found[h.pk]),
            ]
            for h in households
        ],
        _(
            "The people recorded on the household's attributable contacts (a contact of 0 people counts 1), at most "
            "its members on %(day)s."
        )
        % {"day": _d(day or period.start)},
    )


def _radio(commune, part, period, today, hamlet):
    ctx = measure.Context([commune.pk], today)
    day = measure.cutoff_of(period, today)
    pop = {h: r for (_c, h), (_n, r) in ctx.hamlet_population(day).items()}
    covered = {h for _c, h in ctx.covered(period)}
    hamlets = Hamlet.objects.filter(commune=commune).order_by("name")
    if part == "numerator":
        hamlets = hamlets.filter(pk__in=covered)
    main = Records(
        _("Hamlets covered by loudspeaker broadcasts") if part == "numerator" else _("Hamlets of the commune"),
        [_("Hamlet"), _("Residents"), _("Covered in the period")],
        [[_hamlet_link(h.pk, h.name, period), pop.get(h.pk, 0), _yes(h.pk in covered)] for h in hamlets],
        _("Covered, not reached: nobody is known to have listened."),
    )
    end = period.elapsed_end(today)
    if end:
        start, stop = measure.local_bounds(period, end)
        broadcasts = (
            Broadcast.objects.filter(
                commune=commune, cancelled_at__isnull=True, broadcast_at__gte=start, broadcast_at__lt=stop
            )
            .prefetch_related("hamlets")
            .order_by("-broadcast_at")
        )
        main.extra.append(
            Records(
                _("Confirmed broadcasts"),
                [_("Date"), _("Bulletin"), _("Hamlets")],
                [
                    [_d(timezone.localtime(b.broadcast_at)), b.title, ", ".join(h.name for h in b.hamlets.all())]
                    for b in broadcasts[:500]
                ],
            )
        )
    return main


def _survey(commune, part, period, today, hamlet):
    survey = measure.latest_surveys([commune.pk], period, today).get(commune.pk)
    if survey is None:
        return Records(_("No survey ended in this period."), [])
    survey_day = measure.cutoff_of(period, today)
    pop = {h: r for (_c, h), (_n, r) in measure.Context([commune.pk], today).hamlet_population(survey_day).items()}
    rows = []
    seps = (formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR"))
    for s in SurveyStratum.objects.filter(survey=survey).select_related("hamlet").order_by("hamlet__name"):
        lo, hi = measure.wilson(s.yes, s.sampled)
        rows.append(
            [
                _hamlet_link(s.hamlet_id, s.hamlet.name, period),
                pop.get(s.hamlet_id, 0),
                s.sampled,
                s.yes,
                numbers.percent(100 * s.yes / s.sampled, seps),
                f"{numbers.percent(100 * lo, seps)}–{numbers.percent(100 * hi, seps)}",
            ]
        )
    return Records(
        _("Survey “%(title)s” (%(start)s – %(end)s)")
        % {"title": survey.title, "start": _d(survey.start_date), "end": _d(survey.end_date)},
        [
            _("Hamlet"),
            _("Residents (weight)"),
            _("Households asked"),
            _("Answered yes"),
            _("Share"),
            _("Wilson interval, 95 percent"),
        ],
        rows,
        survey.question,
    )


def _officials(commune, part, period, today, hamlet):
    counts = measure.briefing_counts([commune.pk], period, today)
    per_year = measure.Context([commune.pk], today).settings(commune.pk)[0]
    required = measure.required_briefings(per_year, period, today)
    day = measure.cutoff_of(period, today) or period.start
    staff = measure.eligible_staff([commune.pk], day).select_related("unit").order_by("unit__name", "full_name")
    rows = []
    for s in staff:
        n = counts.get(s.pk, 0)
        if part == "numerator" and n < required:
            continue
        rows.append([s.full_name, s.unit.name if s.unit else "", s.get_category_display(), n, _yes(n >= required)])
    main = Records(
        _("Officials with at least %(n)s briefings") % {"n": required}
        if part == "numerator"
        else _("Officials on the staff roster"),
        [_("Name"), _("Unit"), _("Category"), _("Briefings attended"), _("Regularly informed")],
        rows,
        _(
            "Required in this period: %(n)s briefings (%(per_year)s a year, prorated by the months elapsed). "
            "Officials: cán bộ, công chức, viên chức serving on %(day)s."
        )
        % {"n": required, "per_year": per_year, "day": _d(day)},
    )
    end = period.elapsed_end(today)
    if end:
        briefings = (
            Briefing.objects.filter(commune=commune, date__gte=period.start, date__lte=end)
            .annotate(n=Count("attendees"))
            .select_related("activity")
            .order_by("-date")
        )
        main.extra.append(
            Records(
                _("Briefings in the period"),
                [_("Date"), _("Title"), _("Attendance"), _("Activity")],
                [[_d(b.date), b.title, b.n, b.activity.title if b.activity else ""] for b in briefings],
            )
        )
    return main


def _trained(commune, part, period, today, hamlet):
    end = period.elapsed_end(today) or period.start
    first = {}
    for c in (
        TrainingCompletion.objects.filter(commune=commune, course__in_depth=True, completed_on__lte=end)
        .select_related("course")
        .order_by("completed_on")
    ):
        first.setdefault(c.staff_id, c)
    staff = measure.comms_staff([commune.pk], end).select_related("unit").order_by("unit__name", "full_name")
    rows = []
    for s in staff:
        done = first.get(s.pk)
        if part == "numerator" and done is None:
            continue
        rows.append(
            [
                s.full_name,
                s.unit.name if s.unit else "",
                done.course.title if done else "",
                _d(done.completed_on) if done else "",
                _yes(done is not None),
            ]
        )
    return Records(
        _("Staff on communications duty trained in depth")
        if part == "numerator"
        else _("Staff on communications duty"),
        [_("Name"), _("Unit"), _("In-depth course"), _("Completed on"), _("Trained")],
        rows,
        _(
            "Cán bộ and công chức on communication, grassroots information or external information duty, "
            "serving on %(day)s; viên chức and non-specialised workers are not counted."
        )
        % {"day": _d(end)},
    )


def _science(commune, part, period, today, hamlet):
    end = period.elapsed_end(today) or period.start
    tasks = measure.science_tasks([commune.pk], period).prefetch_related("publications").order_by("-year", "title")
    done = set(tasks.filter(measure.publicised_filter(end)).values_list("pk", flat=True))
    rows = []
    for t in tasks:
        if part == "numerator" and t.pk not in done:
            continue
        via = [(p.title, p.url or "") for p in t.publications.all() if p.withdrawn_at is None]
        if t.outside_url:
            via.append((_("Outside publication (%(date)s)") % {"date": _d(t.outside_published_on)}, t.outside_url))
        rows.append([t.code, t.title, t.host_organisation, str(t.year), _yes(t.pk in done), via[0] if via else ""])
    secret = ScienceTask.objects.filter(commune=commune, state_secret=True, year__lte=period.year).count()
    return Records(
        _("Publicised S&T tasks") if part == "numerator" else _("State-funded S&T tasks (not secret)"),
        [_("Code"), _("Title"), _("Host organisation"), _("Year"), _("Publicised"), _("Where")],
        rows,
        _("%(n)s task(s) under state secret are left out.") % {"n": secret},
    )


def _column(commune, part, period, today, hamlet):
    counts = measure.month_counts([commune.pk], period, today)
    minimum = measure.Context([commune.pk], today).settings(commune.pk)[1]
    months = measure.months_of(period, today)
    running = measure.month_in_progress(period, today)
    rows = []
    for y, m in months:
        n = counts.get((commune.pk, y, m), 0)
        if part == "numerator" and n < minimum:
            continue
        if n >= minimum:
            state = _yes(True)
        elif (y, m) == running:
            state = _("In progress: the month is not over")
        else:
            state = _("Flagged: not kept alive")
        rows.append([f"{m:02d}/{y}", n, state])
    main = Records(
        _("Months of the period"),
        [_("Month"), _("Items published"), _("Kept alive")],
        rows,
        _("At least %(n)s item(s) a month.") % {"n": minimum},
    )
    end = period.elapsed_end(today)
    if end:
        start, stop = measure.local_bounds(period, end)
        items = measure.column_items([commune.pk], start, stop).order_by("-published_at")
        main.extra.append(
            Records(
                _("Items published"),
                [_("Published"), _("Title")],
                [[_d(timezone.localtime(p.published_at)), (p.title, p.url) if p.url else p.title] for p in items[:500]],
            )
        )
    return main


def _awards(commune, part, period, today, hamlet):
    end = period.elapsed_end(today) or period.start
    awards = Award.objects.filter(commune=commune, date__gte=dt.date(period.year, 1, 1), date__lte=end)
    return Records(
        _("Awards of %(year)s") % {"year": period.year},
        [_("Date"), _("Decision"), _("Title"), _("Recipients")],
        [[_d(a.date), a.decision_number, a.title, a.recipients.replace("\n", "; ")] for a in awards],
    )


BUILDERS = {
    "residents_reached": _residents,
    "residents_recorded": _recorded,
    "radio_coverage": _radio,
    "survey_reached": _survey,
    "officials_informed": _officials,
    "comms_staff_trained": _trained,
    "science_tasks_publicised": _science,
    "column_alive": _column,
    "awards_held": _awards,
}


def contact_rows(contacts) -> Records:
    return Records(
        _("Contacts"),
        [_("Date"), _("Channel"), _("Hamlet"), _("Household"), _("People"), _("Activity")],
        [
            [
                (_d(c.date), reverse("reach:contact", kwargs={"contact_id": c.pk})),
                c.get_channel_display(),
                c.hamlet.name if c.hamlet else "",
                _household_link(c.household_id, c.household.code) if c.household else "",
                c.people,
                c.activity.title,
            ]
            for c in contacts
        ],
    )
