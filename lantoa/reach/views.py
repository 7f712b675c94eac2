"""Pages of the reach app: the dashboard, drill-down to records, the province page, the quick visit form
and the imports. Light pages (no JavaScript needed), Vietnamese, readable on a phone. Thin: selectors
read, services write; every object is looked up within the user's communes (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantoa.tenancy import current, locks
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.models import Hamlet, Household
from lantoa.tenancy.services import can_manage_province, has_commune_perm, set_residents_headline
from lantoa.tenancy.spreadsheets import xlsx_response

from . import charts, drill, exports, hooks, selectors, services, spans
from . import indicators as ind
from . import periods as P
from .forms import HeadlineForm, MovedOutForm, PurposeForm, RosterForm, SheetForm, VisitForm
from .models import Contact, RosterImport


def _scoped(request, model, pk: int, perm: str = "reach.view_dashboard"):
    obj = get_object_or_404(tenancy.scoped(model.objects.all(), request.user), pk=pk)
    current.require(request, perm, obj.commune_id)
    return obj


def _today(request) -> dt.date:
    """The cut-off asked for (?as_of=YYYY-MM-DD or DD/MM/YYYY), never after today; today by default.

    Every figure of a page counts the records dated on or before it, over the roster and staff of that day."""
    today = timezone.localdate()
    value = (request.GET.get("as_of") or "").strip()
    if not value:
        return today
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return min(day, today)
    raise Http404


def _as_of_query(request, today) -> str:
    """ "&as_of=…" for links that keep the cut-off of the page (empty at today)."""
    return f"&as_of={today.isoformat()}" if request.GET.get("as_of") else ""


def _period(request, today) -> P.Period:
    code = request.GET.get("period") or str(today.year)
    try:
        return P.parse(code)
    except ValidationError:
        raise Http404 from None


def _report_period(request, today):
    """A report's period code (``2026H1``, ``2026H2``, ``FROM:TO``, as ``build_report --period`` takes it) on the
    dashboard: a redirect to the indicator period and cut-off it stands for (``?period=2026&as_of=2026-06-14``),
    so that the address says what the figures count. None for the dashboard's own codes."""
    code = request.GET.get("period") or ""
    try:
        P.parse(code or str(today.year))
        return None
    except ValidationError:
        pass
    try:
        period, cutoff = spans.figures_of(code, timezone.localdate(), today if request.GET.get("as_of") else None)
    except ValidationError:
        raise Http404 from None
    return redirect(f"{request.path}?period={period.code}&as_of={cutoff.isoformat()}")


def _hamlet_param(request, commune):
    """The ?hamlet= of the commune, or None; anything else answers 404."""
    value = request.GET.get("hamlet")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Hamlet.objects.filter(commune=commune), pk=int(value))


def _nav(commune, period=None) -> dict:
    return {"commune": commune, "period": period}


@login_required
def home(request):
    """The first commune the user may see; several communes (a province) go to the comparison."""
    communes = selectors.communes_visible(request.user)
    if communes.count() > 1:
        return redirect("reach:province")
    commune = communes.first()
    if commune is None:
        raise PermissionDenied
    return redirect("reach:dashboard", commune_id=commune.pk)


@commune_view("reach.view_dashboard")
def dashboard(request):
    commune = request.commune
    today = _today(request)
    if moved := _report_period(request, today):
        return moved
    period = _period(request, today)
    as_of = today if request.GET.get("as_of") else None  # the cut-off asked for, if any
    data = selectors.dashboard_data(commune, period, today=as_of or today)
    rows = data["rows"]
    main = [r for r in rows if not r["companion_of"]]
    companions = {}
    for r in rows:
        if r["companion_of"]:
            companions.setdefault(r["companion_of"], []).append(r)
    keep = _as_of_query(request, today)
    for r in rows:
        if keep and r.get("links"):
            r["links"] = {k: v + keep for k, v in r["links"].items()}
    for r in main:
        r["companions"] = companions.get(r["code"], [])
        series = data["trend"].get(r["code"], [])
        if series and r["kind"] != ind.YESNO:
            r["chart"] = charts.to_svg(charts.trend_spec(series, target=r["target"], title=r["short_name"]))
    hamlet_chart = charts.to_svg(charts.hamlet_spec(data["hamlets"], title=_("Residents reached by hamlet")))
    return TemplateResponse(
        request,
        "reach/dashboard.html",
        {
            **_nav(commune, period),
            "rows": main,
            "hamlets": data["hamlets"],
            "channels": data["channels"],
            "hamlet_chart": hamlet_chart,
            "periods": P.choices(period.year),
            "years": _years(today),
            "today": today,
            "real_today": timezone.localdate(),
            "cutoff": period.elapsed_end(today) or period.start,
            "as_of": as_of,
            "locked": data["locked"],
            "closed": locks.locks_for(commune).exclude(period_code="").order_by("-end")[:6],
            "can_visit": has_commune_perm(request.user, "reach.add_contact", commune),
        },
    )


def _years(today):
    return list(range(today.year - 2, today.year + 1))


@commune_view("reach.view_dashboard")
def figure(request):
    """The records behind one number: ?indicator=…&period=…&part=numerator|denominator[&hamlet=…]."""
    commune = request.commune
    today = _today(request)
    period = _period(request, today)
    code = request.GET.get("indicator", "")
    part = request.GET.get("part", "numerator")
    indicator = ind.get(code)
    if indicator is None or part not in ("numerator", "denominator"):
        raise Http404
    hamlet = _hamlet_param(request, commune)
    row = next(r for r in selectors.indicator_values(commune, period, today=today) if r["code"] == code)
    found = drill.records(commune, code, part, period, today, hamlet)
    page = Paginator(found.rows, 200).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "reach/figure.html",
        {
            **_nav(commune, period),
            "indicator": indicator,
            "row": row,
            "part": part,
            "records": found,
            "page": page,
            "hamlet": hamlet,
        },
    )


def _contacts_filtered(request):
    """The contacts page's filters from the query string (period, cut-off, channel, hamlet) and the contacts they
    select: the page and its Excel export show the same rows."""
    commune = request.commune
    today = _today(request)
    period = _period(request, today)
    channel = request.GET.get("channel") or None
    if channel and channel not in Contact.Channel.values:
        raise Http404
    hamlet = _hamlet_param(request, commune)
    rows = selectors.contacts_in(commune, period, today, channel=channel, hamlet=hamlet)
    return commune, period, channel, hamlet, rows


@commune_view("reach.view_dashboard")
def contacts(request):
    """Contacts of a period, by channel and hamlet: ?period=…&channel=…&hamlet=…."""
    commune, period, channel, hamlet, rows = _contacts_filtered(request)
    page = Paginator(rows.order_by("-date", "-pk"), 200).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "reach/contacts.html",
        {
            **_nav(commune, period),
            "records": drill.contact_rows(page.object_list),
            "page": page,
            "channel": dict(Contact.Channel.choices).get(channel, ""),
            "hamlet": hamlet,
        },
    )


@commune_view("reach.view_dashboard")
def contacts_xlsx(request):
    """The contacts page as an Excel file, with its filters (period, channel, hamlet, cut-off)."""
    commune, period, _channel, _hamlet, rows = _contacts_filtered(request)
    rows = rows.order_by("date", "pk").defer("household__head_name", "household__phone")
    return xlsx_response(exports.contacts_xlsx(rows), f"luot-tiep-can-{commune.code}-{period.code}.xlsx")


@commune_view("reach.view_dashboard")
def households_xlsx(request):
    """The commune's households (or one hamlet's: ?hamlet=) by code, members and whether reached in the period:
    codes only, never a name or a phone."""
    commune = request.commune
    today = _today(request)
    period = _period(request, today)
    hamlet = _hamlet_param(request, commune)
    rows = Household.objects.filter(commune=commune, left_on__isnull=True).select_related("hamlet")
    if hamlet is not None:
        rows = rows.filter(hamlet=hamlet)
    rows = rows.only("pk", "code", "members", "hamlet__name").order_by("hamlet__name", "code")
    reached = set(selectors.reached_ids_in(commune, period, hamlet))
    return xlsx_response(
        exports.households_xlsx(rows, reached, str(period.label)), f"ho-{commune.code}-{period.code}.xlsx"
    )


@login_required
def hamlet(request, hamlet_id: int):
    """A hamlet: who is reached, and who is not yet (household codes only, for the team's next visits)."""
    obj = _scoped(request, Hamlet, hamlet_id)
    commune = obj.commune
    today = _today(request)
    period = _period(request, today)
    row = next((r for r in selectors.hamlet_table(commune, period, today) if r["hamlet"].pk == obj.pk), None)
    return TemplateResponse(
        request,
        "reach/hamlet.html",
        {
            **_nav(commune, period),
            "hamlet": obj,
            "row": row,
            "unreached": selectors.unreached_households(obj, period, today),
            "reached": selectors.reached_households(commune, period, obj, today),
            "can_visit": has_commune_perm(request.user, "reach.add_contact", commune),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household(request, household_id: int):
    """A household's contacts; its name and phone only on request, with a purpose, logged."""
    obj = get_object_or_404(tenancy.households(request.user), pk=household_id)
    current.require(request, "reach.view_dashboard", obj.commune_id)
    personal = None
    form = PurposeForm(request.POST or None)
    can_reveal = has_commune_perm(request.user, "tenancy.view_personal_data", obj.commune_id)
    if request.method == "POST":
        if not can_reveal:
            raise PermissionDenied
        if form.is_valid():
            personal = services.reveal_personal_data(request.user, obj, purpose=form.cleaned_data["purpose"])
    return TemplateResponse(
        request,
        "reach/household.html",
        {
            **_nav(obj.commune),
            "household": obj,
            "records": drill.contact_rows(selectors.household_contacts(obj)[:500]),
            "form": form,
            "personal": personal,
            "can_reveal": can_reveal,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, contact_id: int):
    obj = _scoped(request, Contact, contact_id)
    if request.method == "POST":
        try:
            services.delete_contact(request.user, obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reach:contact", contact_id=obj.pk)
        messages.success(request, _("The contact was deleted; the figures were updated."))
        return redirect("reach:dashboard", commune_id=obj.commune_id)
    return TemplateResponse(
        request,
        "reach/contact.html",
        {
            **_nav(obj.commune),
            "contact": obj,
            "can_delete": has_commune_perm(request.user, "reach.delete_contact", obj.commune_id),
            "panels": hooks.contact_panels(request, obj),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def province(request):
    """Communes compared on every indicator (the communes the user may see), with the province's total; the
    province's staff choose here how the headline of residents reached counts."""
    communes = list(selectors.communes_visible(request.user))
    if not communes:
        raise PermissionDenied
    communes = [c for c in communes if has_commune_perm(request.user, "reach.view_dashboard", c)]
    if not communes:
        raise PermissionDenied
    provinces = sorted({c.province for c in communes}, key=lambda p: p.name)
    chosen = request.GET.get("province")
    current = next((p for p in provinces if str(p.pk) == chosen), provinces[0])
    communes = [c for c in communes if c.province_id == current.pk]
    may_choose = can_manage_province(request.user, current)
    form = HeadlineForm(initial={"residents_headline": current.residents_headline})
    if request.method == "POST":
        form = HeadlineForm(request.POST)
        if form.is_valid():
            try:
                set_residents_headline(request.user, current, form.cleaned_data["residents_headline"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The headline of residents reached was changed for every commune."))
                return redirect(f"{reverse('reach:province')}?province={current.pk}")
    today = _today(request)
    period = _period(request, today)
    data = selectors.province_comparison(communes, period, today=today)
    chart = charts.to_svg(
        charts.province_spec(data["rows"], "residents_reached", title=str(ind.get("residents_reached").short_name))
    )
    return TemplateResponse(
        request,
        "reach/province.html",
        {
            "province": current,
            "provinces": provinces,
            "period": period,
            "data": data,
            "indicators": ind.INDICATORS,
            "chart": chart,
            "headline_form": form if may_choose else None,
            "headline_label": current.get_residents_headline_display(),
            "periods": P.choices(period.year),
            "years": _years(today),
        },
    )


@commune_view("reach.view_dashboard")
def methods(request):
    commune = request.commune
    headline = ind.HEADLINE_TEXT.get(commune.province.residents_headline, ind.HEADLINE_TEXT[ind.HOUSEHOLDS])
    return TemplateResponse(
        request, "reach/methods.html", {**_nav(commune), "indicators": ind.INDICATORS, "headline": headline}
    )


# --- Entry: quick visit form, sign-in sheet, roster ----------------------------------------------------------


@commune_view("reach.view_dashboard")
def visit_hamlets(request):
    """The hamlets the user visits (a team member in charge of some: only those), with what is left to do."""
    commune = request.commune
    current.require(request, "reach.add_contact", commune)
    today = timezone.localdate()
    period = P.parse(str(today.year))
    mine, _every = tenancy.hamlet_ids_in_charge(request.user, commune)
    return TemplateResponse(
        request,
        "reach/visit_hamlets.html",
        {
            **_nav(commune, period),
            "hamlets": [h for h in selectors.hamlet_table(commune, period, today) if h["hamlet"].pk in mine],
            "recent": _recent(request.user, commune),
            "undo_minutes": int(services.UNDO_WINDOW.total_seconds() // 60),
        },
    )


def _recent(user, commune) -> list[tuple]:
    """The user's latest visits, each with whether it can still be undone."""
    now = timezone.now()
    return [(c, services.can_undo(user, c, now)) for c in selectors.recent_visits(user, commune)]


@login_required
@require_http_methods(["GET", "POST"])
def visit_form(request, hamlet_id: int):
    """Tick the households visited in one hamlet and save: a plain HTML form, no JavaScript, made for a phone.

    ?q= narrows the list to household codes containing it (and, for a role allowed to see personal data, to
    heads of household whose name contains it: each name shown is logged)."""
    obj = _scoped(request, Hamlet, hamlet_id, perm="reach.add_contact")
    commune = obj.commune
    if not tenancy.hamlets_in_charge(request.user, commune).filter(pk=obj.pk).exists():
        raise Http404
    today = timezone.localdate()
    year = P.parse(str(today.year))
    form = VisitForm(request.POST or None, commune=commune)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_visits(
                request.user,
                hamlet=obj,
                activity=form.cleaned_data["activity"],
                date=form.cleaned_data["date"],
                household_ids=request.POST.getlist("household"),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            message = _("%(n)s visits saved.") % {"n": result.created}
            if result.skipped:
                message += " " + _("Already recorded that day: %(codes)s.") % {"codes": ", ".join(result.skipped)}
            messages.success(request, message)
            return redirect(reverse("reach:visit_form", kwargs={"hamlet_id": obj.pk}))
    reached = set(selectors.reached_household_ids(obj, year).values_list("household_id", flat=True))
    query = (request.GET.get("q") or "").strip()
    if query:
        found = services.search_households(request.user, obj, query)
    else:
        households = Household.objects.filter(hamlet=obj).order_by("code").only("pk", "code", "members", "hamlet_id")
        found = [(h, "") for h in households]
    rows = [(h, name, h.pk in reached) for h, name in found]
    rows.sort(key=lambda r: r[2])  # households not reached yet this year first (a stable sort keeps code order)
    recent = _recent(request.user, commune)
    return TemplateResponse(
        request,
        "reach/visit_form.html",
        {
            **_nav(commune, year),
            "hamlet": obj,
            "form": form,
            "households": rows,
            "query": query,
            "by_name": has_commune_perm(request.user, "tenancy.view_personal_data", commune),
            "recent": recent,
            "can_undo_any": any(undoable for _c, undoable in recent),
            "undo_minutes": int(services.UNDO_WINDOW.total_seconds() // 60),
        },
    )


@login_required
@require_http_methods(["POST"])
def undo_visit(request, contact_id: int):
    """Undo a visit the user has just recorded (a wrong tick): back to the form with the figures updated."""
    obj = _scoped(request, Contact, contact_id, perm="reach.add_contact")
    try:
        services.undo_visit(request.user, obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        code = obj.household.code if obj.household_id else ""
        messages.success(request, _("The visit to %(code)s was undone.") % {"code": code})
    hamlet_id = obj.hamlet_id
    if hamlet_id and tenancy.hamlets_in_charge(request.user, obj.commune_id).filter(pk=hamlet_id).exists():
        return redirect("reach:visit_form", hamlet_id=hamlet_id)
    return redirect("reach:visit_hamlets", commune_id=obj.commune_id)


@commune_view("reach.view_dashboard")
@require_http_methods(["GET", "POST"])
def sheet_import(request):
    commune = request.commune
    current.require(request, "reach.add_contact", commune)
    form = SheetForm(request.POST or None, request.FILES or None, commune=commune)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_sign_in_sheet(
                request.user,
                activity=form.cleaned_data["activity"],
                data=upload.read(),
                file_name=upload.name,
                channel=form.cleaned_data["channel"],
                date=form.cleaned_data["date"],
                per=form.cleaned_data["per"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s contacts recorded from the sheet.") % {"n": batch.rows})
            return redirect("reach:dashboard", commune_id=commune.pk)
    return TemplateResponse(request, "reach/sheet_import.html", {**_nav(commune), "form": form, "errors": errors})


@commune_view("reach.view_dashboard")
@require_http_methods(["GET", "POST"])
def roster_import(request):
    commune = request.commune
    current.require(request, "tenancy.change_household", commune)
    form = RosterForm(request.POST or None, request.FILES or None)
    errors, preview = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_roster(
                request.user,
                commune=commune,
                data=upload.read(),
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                as_of=form.cleaned_data["as_of"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if result.record is None:
                preview = result
            else:
                return redirect("reach:roster_report", rosterimport_id=result.record.pk)
    return TemplateResponse(
        request,
        "reach/roster_import.html",
        {
            **_nav(commune),
            "form": form,
            "errors": errors,
            "preview": preview,
            "imports": RosterImport.objects.filter(commune=commune)[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_report(request, rosterimport_id: int):
    """What an import changed; the households missing from its file, to confirm as moved out (with the date)."""
    record = _scoped(request, RosterImport, rosterimport_id, perm="reach.view_rosterimport")
    done = set(record.summary.get("moved_out", []))
    proposed = [code for code in record.summary.get("missing", []) if code not in done]
    form = MovedOutForm(request.POST or None, initial={"date": record.summary.get("as_of") or timezone.localdate()})
    errors = []
    if request.method == "POST":
        if not has_commune_perm(request.user, "tenancy.change_household", record.commune_id):
            raise PermissionDenied
        if form.is_valid():
            try:
                codes = services.confirm_moved_out(
                    request.user, record, codes=request.POST.getlist("code"), date=form.cleaned_data["date"]
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("%(n)s households recorded as moved out.") % {"n": len(codes)})
                return redirect("reach:roster_report", rosterimport_id=record.pk)
    return TemplateResponse(
        request,
        "reach/roster_report.html",
        {
            **_nav(record.commune),
            "record": record,
            "summary": record.summary,
            "changes": record.changes,
            "proposed": proposed,
            "form": form,
            "errors": errors,
            "can_confirm": has_commune_perm(request.user, "tenancy.change_household", record.commune_id),
        },
    )
