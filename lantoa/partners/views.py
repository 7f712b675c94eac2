"""Pages of the partners app: the back office (registry, plans of the year, external information) and the public
page a partner opens through its personal link. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from openpyxl import Workbook

from lantoa.tenancy import services as tenancy
from lantoa.tenancy.current import commune_view, require
from lantoa.tenancy.files import serve
from lantoa.tenancy.forms import add_service_errors
from lantoa.tenancy.models import Unit
from lantoa.tenancy.selectors import communes_for
from lantoa.tenancy.spreadsheets import workbook_bytes, xlsx_response

from . import selectors, services, throttle
from .forms import ActivityReportForm, ExternalActivityForm, FilterForm, LinkForm, PartnerForm, PlanSubmitForm
from .models import CommunicationPlan, Partner, PartnerActivity, PartnerLink


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


def _can(request, perm: str, commune) -> bool:
    return tenancy.has_commune_perm(request.user, perm, commune)


# --- The registry ----------------------------------------------------------------------------------------------


@commune_view("partners.view_partner")
def partner_list(request):
    commune = request.commune
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = selectors.filtered_partners(
        request.user, commune, kind=data.get("kind", ""), active=data.get("active", ""), q=data.get("q", "")
    )
    return TemplateResponse(
        request,
        "partners/admin/partner_list.html",
        {
            "commune": commune,
            "form": form,
            "partners": items,
            "query": request.GET.urlencode(),
            "can_add": _can(request, "partners.add_partner", commune),
        },
    )


@commune_view("partners.view_partner")
def partner_xlsx(request):
    commune = request.commune
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = selectors.filtered_partners(
        request.user, commune, kind=data.get("kind", ""), active=data.get("active", ""), q=data.get("q", "")
    )
    year = _year(request)
    plans = {p.partner_id: p for p in CommunicationPlan.objects.filter(commune=commune, year=year)}
    wb = Workbook()
    ws = wb.active
    ws.title = _("Partners")[:31]
    ws.append(
        [
            _("Name"),
            _("Kind"),
            _("Tax code"),
            _("Sector"),
            _("Address"),
            _("Active"),
            _("Plan %(year)s") % {"year": year},
        ]
    )
    for p in items:
        plan = plans.get(p.pk)
        ws.append(
            [
                p.name,
                p.get_kind_display(),
                p.tax_code,
                p.sector,
                p.address,
                _("Yes") if p.active else _("No"),
                plan.get_status_display() if plan else str(CommunicationPlan.Status.NOT_REQUESTED.label),
            ]
        )
    for column, width in zip("ABCDEFG", (40, 22, 16, 24, 40, 8, 16), strict=True):
        ws.column_dimensions[column].width = width
    return xlsx_response(workbook_bytes(wb), f"doi-tac-{commune.code}.xlsx")


@commune_view("partners.add_partner")
@require_http_methods(["GET", "POST"])
def partner_new(request):
    commune = request.commune
    show_contact = _can(request, "partners.view_partner_contact", commune)
    form = PartnerForm(request.POST or None, commune=commune, show_contact=show_contact)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.save_partner(
                request.user,
                commune,
                science_task_ids=[t.pk for t in form.cleaned_data.pop("science_tasks")],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners_admin:partner", partner_id=partner.pk)
    return TemplateResponse(request, "partners/admin/partner_form.html", {"commune": commune, "form": form})


@require_http_methods(["GET", "POST"])
def partner_detail(request, partner_id):
    partner = get_object_or_404(selectors.partners(request.user).select_related("commune"), pk=partner_id)
    commune = partner.commune
    require(request, "partners.view_partner", commune)
    year = _year(request)
    can_change = _can(request, "partners.change_partner", commune)
    show_contact = _can(request, "partners.view_partner_contact", commune)
    form = None
    if can_change:
        form = PartnerForm(request.POST or None, instance=partner, commune=commune, show_contact=show_contact)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_partner(
                    request.user,
                    commune,
                    Partner.objects.get(pk=partner.pk),
                    science_task_ids=[t.pk for t in form.cleaned_data.pop("science_tasks")],
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Partner saved."))
                return redirect("partners_admin:partner", partner_id=partner.pk)
    contact = services.read_contact(request.user, partner, purpose="partner page") if show_contact else None
    if contact is not None and not any(contact.values()):
        contact = None  # nothing to show (and nothing was logged)
    plan = CommunicationPlan.objects.filter(partner=partner, year=year).first()
    return TemplateResponse(
        request,
        "partners/admin/partner_detail.html",
        {
            "commune": commune,
            "partner": partner,
            "form": form,
            "contact": contact,
            "year": year,
            "plan": plan,
            "links": PartnerLink.objects.filter(partner=partner).order_by("-created_at")[:10],
            "reminders": partner.reminders.select_related("sent_by")[:10],
            "activities": PartnerActivity.objects.filter(partner=partner, year=year).select_related("science_task"),
            "can_link": _can(request, "partners.add_partnerlink", commune),
            "can_accept": _can(request, "partners.accept_communicationplan", commune),
            "link_form": LinkForm(),
            "today": timezone.localdate(),
        },
    )


# --- Plans of the year, links and reminders --------------------------------------------------------------------


@commune_view("partners.view_communicationplan")
def plan_list(request):
    commune = request.commune
    year = _year(request)
    status = request.GET.get("status", "")
    rows = selectors.plan_rows(request.user, commune, year, status=status)
    return TemplateResponse(
        request,
        "partners/admin/plan_list.html",
        {
            "commune": commune,
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 3, -1),
            "status": status,
            "rows": rows,
            "submitted": sum(1 for r in rows if r.submitted),
            "can_link": _can(request, "partners.add_partnerlink", commune),
            "link_form": LinkForm(),
        },
    )


@require_POST
def remind(request, partner_id):
    partner = get_object_or_404(selectors.partners(request.user).select_related("commune"), pk=partner_id)
    require(request, "partners.add_partnerlink", partner.commune_id)
    year = _year(request)
    form = LinkForm(request.POST)
    expires_on = form.cleaned_data["expires_on"] if form.is_valid() else None
    try:
        result = services.send_reminder(
            request.user, partner, year, base_url=request.build_absolute_uri("/"), expires_on=expires_on
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("partners_admin:partner", partner_id=partner.pk)
    return TemplateResponse(
        request,
        "partners/admin/reminder_sent.html",
        {"commune": partner.commune, "partner": partner, "year": year, "result": result},
    )


@require_POST
def revoke(request, partnerlink_id):
    link = get_object_or_404(PartnerLink.objects.filter(commune__in=communes_for(request.user)), pk=partnerlink_id)
    services.revoke_link(request.user, link)
    messages.success(request, _("Link revoked: it no longer opens."))
    return redirect("partners_admin:partner", partner_id=link.partner_id)


@require_POST
def accept(request, communicationplan_id):
    plan = get_object_or_404(
        CommunicationPlan.objects.filter(commune__in=communes_for(request.user)), pk=communicationplan_id
    )
    try:
        services.accept_plan(request.user, plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Plan accepted."))
    return redirect(reverse("partners_admin:partner", kwargs={"partner_id": plan.partner_id}) + f"?year={plan.year}")


@require_safe
def plan_file(request, communicationplan_id):
    plan = get_object_or_404(
        CommunicationPlan.objects.filter(commune__in=communes_for(request.user)), pk=communicationplan_id
    )
    require(request, "partners.view_communicationplan", plan.commune_id)
    return serve(request, plan.file, filename=plan.file_name)


@require_safe
def activity_evidence(request, partneractivity_id):
    activity = get_object_or_404(
        PartnerActivity.objects.filter(commune__in=communes_for(request.user)), pk=partneractivity_id
    )
    require(request, "partners.view_partneractivity", activity.commune_id)
    return serve(request, activity.evidence, filename=activity.evidence_name)


# --- External information --------------------------------------------------------------------------------------


@commune_view("partners.view_externalactivity")
@require_http_methods(["GET", "POST"])
def external_list(request):
    commune = request.commune
    can_add = _can(request, "partners.add_externalactivity", commune)
    form = ExternalActivityForm(request.POST or None, request.FILES or None, commune=commune) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        saved = _save_external(request, commune, form, None)
        if saved:
            return redirect("partners_admin:external")
    return TemplateResponse(
        request,
        "partners/admin/external_list.html",
        {
            "commune": commune,
            "form": form,
            "items": selectors.external_activities(request.user).filter(commune=commune),
        },
    )


def _save_external(request, commune, form, instance) -> bool:
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    unit, task, upload = data.pop("unit"), data.pop("plan_task"), data.pop("evidence_file")
    try:
        services.save_external_activity(
            request.user,
            commune,
            instance,
            unit_id=unit.pk if unit else None,
            plan_task_id=task.pk if task else None,
            evidence=upload,
            **data,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "evidence" in exc.error_dict:
            exc.error_dict["evidence_file"] = exc.error_dict.pop("evidence")
        add_service_errors(form, exc)
        return False
    messages.success(request, _("External activity saved."))
    return True


@require_http_methods(["GET", "POST"])
def external_edit(request, externalactivity_id):
    item = get_object_or_404(selectors.external_activities(request.user), pk=externalactivity_id)
    commune = item.commune
    require(request, "partners.view_externalactivity", commune)
    can_change = _can(request, "partners.change_externalactivity", commune)
    form = None
    if can_change:
        form = ExternalActivityForm(request.POST or None, request.FILES or None, instance=item, commune=commune)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        fresh = type(item).objects.get(pk=item.pk)
        if _save_external(request, commune, form, fresh):
            return redirect("partners_admin:external")
    return TemplateResponse(
        request, "partners/admin/external_edit.html", {"commune": commune, "item": item, "form": form}
    )


@require_safe
def external_evidence(request, externalactivity_id):
    item = get_object_or_404(selectors.external_activities(request.user), pk=externalactivity_id)
    require(request, "partners.view_externalactivity", item.commune_id)
    return serve(request, item.evidence, filename=item.evidence_name)


# --- The partner's personal link (public) ----------------------------------------------------------------------


def _contact_unit(commune):
    return Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE).first()


@require_http_methods(["GET", "POST"])
def link_page(request, token):
    """What a partner sees through its link: its plan of the year to send, its activities to report. An expired or
    revoked link gets a Vietnamese page saying so and whom to contact; an unknown one a plain 404."""
    if not throttle.allow(request, "open"):
        return TemplateResponse(request, "partners/public/limited.html", {}, status=429)
    found = services.link_for_token(token)
    if found.state == "unknown":
        raise Http404
    link = found.link
    context = {"link": link, "partner": link.partner, "commune": link.commune, "contact": _contact_unit(link.commune)}
    if not found.live:
        context["state"] = found.state
        return TemplateResponse(request, "partners/public/closed.html", context, status=410)
    partner = link.partner
    plan = services.plan_of(partner, link.year)
    plan_form = PlanSubmitForm(
        initial={"main_activities": plan.main_activities, "start_date": plan.start_date, "end_date": plan.end_date}
    )
    activity_form = ActivityReportForm(partner=partner)
    status = 200
    if request.method == "POST":
        if not throttle.allow(request, "submit"):
            return TemplateResponse(request, "partners/public/limited.html", context, status=429)
        action = request.POST.get("action")
        try:
            if action == "plan":
                plan_form = PlanSubmitForm(request.POST, request.FILES)
                if plan_form.is_valid():
                    data = plan_form.cleaned_data
                    services.submit_plan_by_link(
                        link,
                        main_activities=data["main_activities"],
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        upload=data["file"],
                    )
                    return redirect(request.path + "?da-gui=ke-hoach")
            elif action == "activity":
                activity_form = ActivityReportForm(request.POST, request.FILES, partner=partner)
                if activity_form.is_valid():
                    data = activity_form.cleaned_data
                    services.report_activity_by_link(
                        link,
                        date=data["date"],
                        description=data["description"],
                        people_reached=data["people_reached"],
                        evidence=data["evidence"],
                        evidence_url=data["evidence_url"],
                        science_task_id=int(data["science_task"]) if data.get("science_task") else None,
                    )
                    return redirect(request.path + "?da-gui=hoat-dong")
            else:
                raise Http404
        except ValidationError as exc:
            add_service_errors(plan_form if action == "plan" else activity_form, exc)
        except PermissionDenied:
            context["state"] = "expired"
            return TemplateResponse(request, "partners/public/closed.html", context, status=410)
        status = 400
    context |= {
        "plan": plan,
        "plan_form": plan_form,
        "activity_form": activity_form,
        "activities": PartnerActivity.objects.filter(partner=partner, year=link.year).order_by("-date", "-pk"),
        "sent": request.GET.get("da-gui", ""),
        "open_activity": request.method == "POST" and request.POST.get("action") == "activity",
    }
    response = TemplateResponse(request, "partners/public/link.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" makes Chromium send Origin: null, failing CSRF
    return response
