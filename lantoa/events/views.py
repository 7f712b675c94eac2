"""Pages of events: the commune's events and the national days to create, one event with its invitations, the
door's check-in page for phones, the officials still not informed and the make-up session; and the public pages
(an invitation with its QR code, the registration form) that need no login.

Views are thin: records are loaded within the user's communes (404 otherwise), the permission is checked for
what the page shows, and every change goes through a service.
"""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.plans.models import Task
from lantoa.reach import periods as P
from lantoa.tenancy import current, throttle
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.forms import add_service_errors, flash_service_errors
from lantoa.tenancy.models import Hamlet, Unit
from lantoa.tenancy.network import client_ip
from lantoa.tenancy.selectors import communes_for
from lantoa.tenancy.services import has_commune_perm

from . import documents, selectors, services
from .forms import EventForm, GuestForm, RegistrationForm, SheetForm
from .models import Event, Invitation


def _event(request, event_id: int, perm: str = "events.view_event") -> Event:
    event = get_object_or_404(selectors.events(request.user).select_related("unit", "task", "hamlet"), pk=event_id)
    current.require(request, perm, event.commune_id)
    request.commune = event.commune
    return event


def _invitation(request, invitation_id: int, perm: str) -> Invitation:
    invitation = get_object_or_404(selectors.invitations(request.user).select_related("event"), pk=invitation_id)
    current.require(request, perm, invitation.commune_id)
    return invitation


def invitation_url(request, invitation: Invitation) -> str:
    return request.build_absolute_uri(reverse("events:invitation_public", kwargs={"token": invitation.code}))


def qr_svg(data: str, scale: int = 5) -> str:
    """An inline SVG QR code holding only ``data`` (an opaque code or a link with it)."""
    return segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff")


# --- The commune's events ----------------------------------------------------------------------------------


@login_required
def index(request):
    commune = communes_for(request.user).first()
    if commune is None:
        raise Http404
    return redirect("events:commune", commune_id=commune.pk)


@commune_view("events.view_event")
def commune_home(request):
    commune = request.commune
    today = timezone.localdate()
    events = selectors.with_counts(selectors.events(request.user).filter(commune=commune)).select_related("unit")
    year = today.year
    can_add = has_commune_perm(request.user, "events.add_event", commune)
    proposals = services.proposals(commune, year) + services.proposals(commune, year + 1)
    proposals = [p for p in proposals if p["date"] >= today][:3]
    return render(
        request,
        "events/commune.html",
        {
            "page_title": _("Events and meetings"),
            "header_icon": "date",
            "commune": commune,
            "upcoming": events.filter(starts_at__date__gte=today).order_by("starts_at")[:100],
            "past": events.filter(starts_at__date__lt=today).order_by("-starts_at")[:100],
            "proposals": proposals if can_add else [],
            "can_add": can_add,
        },
    )


def _form_choices(form, commune) -> None:
    form.fields["unit"].queryset = Unit.objects.filter(commune=commune, active=True).order_by("name")
    form.fields["task"].queryset = Task.objects.filter(commune=commune, plan__status="active").order_by("order")
    form.fields["hamlet"].queryset = Hamlet.objects.filter(commune=commune).order_by("name")


@commune_view("events.add_event")
def create(request):
    commune = request.commune
    form = EventForm(request.POST or None)
    _form_choices(form, commune)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(request.user, commune, **form.cleaned_data)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Event “%(title)s” created.") % {"title": event.title})
            return redirect("events:event", event_id=event.pk)
    return render(
        request,
        "events/form.html",
        {"page_title": _("New event"), "header_icon": "date", "commune": commune, "form": form},
    )


@login_required
def edit(request, event_id: int):
    event = _event(request, event_id, "events.change_event")
    fields = [name for name in EventForm.base_fields]
    form = EventForm(request.POST or None, initial={name: getattr(event, name) for name in fields})
    _form_choices(form, event.commune)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Event “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
            return redirect("events:event", event_id=event.pk)
    return render(
        request,
        "events/form.html",
        {
            "page_title": _("Change the event"),
            "header_icon": "date",
            "commune": event.commune,
            "form": form,
            "event": event,
            "can_cancel": event.status != Event.Status.CANCELLED and not event.attendances.exists(),
        },
    )


@require_POST
@login_required
def cancel_event(request, event_id: int):
    event = _event(request, event_id, "events.change_event")
    try:
        services.cancel_event(request.user, event)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(
            request, _("Event “%(title)s” cancelled: its invitations are refused at the door.") % {"title": event.title}
        )
    return redirect("events:event", event_id=event.pk)


@require_POST
@commune_view("events.add_event")
def create_national(request):
    try:
        event = services.create_national_event(request.user, request.commune, request.POST.get("key", ""))
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("events:commune", commune_id=request.commune.pk)
    messages.success(request, _("Event “%(title)s” created.") % {"title": event.title})
    return redirect("events:event", event_id=event.pk)


# --- One event -------------------------------------------------------------------------------------------


@login_required
def event(request, event_id: int):
    event = _event(request, event_id)
    user = request.user
    can_invite = has_commune_perm(user, "events.add_invitation", event.commune_id)
    invitations = list(
        event.invitations.select_related("staff", "household", "hamlet").order_by("status", "kind", "name", "pk")
    )
    present = set(event.attendances.values_list("invitation_id", flat=True))
    personal = has_commune_perm(user, "tenancy.view_personal_data", event.commune_id)
    rows = []
    for inv in invitations:
        name = inv.display_name
        if inv.household_id and not personal and inv.kind == Invitation.Kind.HOUSEHOLD:
            name = inv.household.code
        elif inv.household_id and personal and inv.household.head_name:
            name = f"{inv.household.head_name} ({inv.household.code})"
        rows.append({"inv": inv, "name": name, "present": inv.pk in present})
    return render(
        request,
        "events/event.html",
        {
            "page_title": event.title,
            "header_icon": "date",
            "commune": event.commune,
            "event": event,
            "rows": rows,
            "present": len(present),
            "seats": services.seats_taken(event),
            "can_invite": can_invite and event.status != Event.Status.CANCELLED,
            "can_change": has_commune_perm(user, "events.change_invitation", event.commune_id),
            "can_edit": has_commune_perm(user, "events.change_event", event.commune_id),
            "can_check_in": has_commune_perm(user, "events.check_in", event.commune_id),
            "units": Unit.objects.filter(commune=event.commune, active=True).order_by("name"),
            "hamlets": Hamlet.objects.filter(commune=event.commune).order_by("name"),
            "guest_form": GuestForm(),
            "sheet_form": SheetForm(),
            "registration_url": request.build_absolute_uri(
                reverse("events:register", kwargs={"token": event.public_token})
            )
            if event.open_registration
            else "",
        },
    )


@require_POST
@login_required
def invite(request, event_id: int):
    event = _event(request, event_id, "events.add_invitation")
    what = request.POST.get("what")
    try:
        if what == "units":
            done = services.invite_officials(request.user, event, unit_ids=request.POST.getlist("unit"))
        elif what == "hamlets":
            done = services.invite_households(request.user, event, hamlet_ids=request.POST.getlist("hamlet"))
        else:
            form = GuestForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.invite_guest(request.user, event, **form.cleaned_data)
            done = services.Invited(created=1, already=0)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(created)s invitations made, %(already)s already invited.")
            % {"created": done.created, "already": done.already},
        )
    return redirect("events:event", event_id=event.pk)


@require_POST
@login_required
def cancel(request, invitation_id: int):
    invitation = _invitation(request, invitation_id, "events.change_invitation")
    try:
        promoted = services.cancel_invitation(request.user, invitation)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Invitation cancelled; %(n)s moved up from the waitlist.") % {"n": len(promoted)})
    return redirect("events:event", event_id=invitation.event_id)


@require_POST
@login_required
def import_sheet(request, event_id: int):
    event = _event(request, event_id, "events.check_in")
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an Excel or CSV file."))
        return redirect("events:event", event_id=event.pk)
    upload = form.cleaned_data["file"]
    try:
        result = services.import_sheet(request.user, event, data=upload.read(), file_name=upload.name)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Sign-in sheet read: %(n)s people newly counted present.") % {"n": result.counted})
    return redirect("events:event", event_id=event.pk)


@login_required
def sheet_pdf(request, event_id: int):
    """The printable invitation sheet: one card per invitation with its QR code."""
    event = _event(request, event_id, "events.view_invitation")
    base = request.build_absolute_uri(reverse("events:invitation_public", kwargs={"token": "CODE"}))
    personal = has_commune_perm(request.user, "tenancy.view_personal_data", event.commune_id)
    data = documents.invitation_sheet(event, base_url=base, personal=personal)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-moi-{event.pk}.pdf"'
    return response


@login_required
def certificate_pdf(request, invitation_id: int):
    """The attendance certificate of one person present (issued on the first request, the same one after)."""
    invitation = _invitation(request, invitation_id, "events.change_invitation")
    try:
        data = documents.attendance_certificate(request.user, invitation)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("events:event", event_id=invitation.event_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{invitation.code}.pdf"'
    return response


# --- The door ----------------------------------------------------------------------------------------------


@login_required
def door(request, event_id: int):
    """The check-in page for phones: works offline once opened (the list is kept in the browser)."""
    event = _event(request, event_id, "events.check_in")
    return render(
        request,
        "events/door.html",
        {
            "event": event,
            "hamlets": Hamlet.objects.filter(commune=event.commune).order_by("name"),
            "api_door": reverse("api-v1:door", kwargs={"event_id": event.pk}),
            "api_sync": reverse("api-v1:checkins", kwargs={"event_id": event.pk}),
            "back": reverse("events:event", kwargs={"event_id": event.pk}),
            "text": door_text(),
        },
    )


def door_text() -> dict:
    """The door script's words, in the user's language (the script itself holds none)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: check-ins are kept on this phone and sent when the network is back."),
        "unknown": _("Unknown code:"),
        "cancelled": _("REFUSED — invitation cancelled:"),
        "waitlisted": _("REFUSED — still on the waitlist:"),
        "already": _("Already checked in:"),
        "welcome": _("Welcome:"),
        "present": _("Present"),
        "check_in": _("Check in"),
        "refused_at_sync": _("Refused by the server (cancelled):"),
        "scan": _("Scan QR"),
        "stop_scan": _("Stop scanning"),
        "no_scanner": _("This browser cannot read QR codes: type the code or a name."),
        "no_camera": _("The camera could not be opened: type the code or a name."),
    }


# --- Officials not yet informed, the make-up session ---------------------------------------------------


@commune_view("events.view_event")
def missing(request):
    commune = request.commune
    today = timezone.localdate()
    try:
        period = P.parse(request.GET.get("period") or P.current_year(today).code)
    except (ValueError, KeyError):
        period = P.current_year(today)
    can_makeup = has_commune_perm(request.user, "events.add_event", commune) and has_commune_perm(
        request.user, "events.add_invitation", commune
    )
    if request.method == "POST":
        if not can_makeup:
            raise PermissionDenied
        starts = _datetime(request.POST.get("starts_at"))
        try:
            event = services.create_makeup_session(request.user, commune, period, starts_at=starts)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(
                request, _("Make-up session created for %(n)s officials.") % {"n": event.invitations.count()}
            )
            return redirect("events:event", event_id=event.pk)
    found = selectors.missing_officials(commune, period, today)
    next_hour = (timezone.localtime() + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return render(
        request,
        "events/missing.html",
        {
            "page_title": _("Officials not yet informed"),
            "header_icon": "group",
            "commune": commune,
            "missing": found,
            "periods": P.choices(today.year),
            "can_makeup": can_makeup,
            "default_start": next_hour.strftime("%Y-%m-%dT%H:%M"),
        },
    )


def _datetime(text: str | None) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# --- Public pages (no login) ------------------------------------------------------------------------------


def invitation_public(request, token: str):
    """The invitation as its invitee sees it (the link sent by e-mail or Zalo): event, QR code, cancel."""
    invitation = get_object_or_404(Invitation.objects.select_related("event", "event__commune"), code=token)
    event = invitation.event
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            services.cancel_invitation(None, invitation, by_invitee=True)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Your invitation is cancelled. Thank you for letting us know."))
        return redirect("events:invitation_public", token=token)
    invitation.refresh_from_db()
    url = invitation_url(request, invitation)
    return render(
        request,
        "events/public_invitation.html",
        {
            "invitation": invitation,
            "event": event,
            "qr": qr_svg(url),
            "position": services.waitlist_position(invitation),
            "can_cancel": invitation.status != Invitation.Status.CANCELLED
            and event.status == Event.Status.PLANNED
            and not invitation.attendances.exists(),
        },
    )


# Registrations from one connection in an hour: a family or a school registers several people, a script filling
# the capacity with fake names is stopped (a hamlet's shared Wi-Fi stays well below it).
REGISTRATIONS_PER_HOUR = 20


def register(request, token: str):
    """Registration for an open event: name, phone and hamlet or household code optional."""
    event = get_object_or_404(Event.objects.select_related("commune"), public_token=token, open_registration=True)
    form = RegistrationForm(request.POST or None, hamlets=Hamlet.objects.filter(commune=event.commune).order_by("name"))
    if request.method == "POST" and not throttle.allow(
        "events:register", client_ip(request), REGISTRATIONS_PER_HOUR, 3600
    ):
        form.add_error(None, _("Too many registrations from this connection; try again in an hour."))
        response = render(request, "events/register.html", {"event": event, "form": form, "full": False})
        response.status_code = 429
        return response
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.register(
                event,
                name=data["name"],
                phone=data["phone"],
                hamlet_id=data["hamlet"].pk if data["hamlet"] else None,
                household_code=data["household_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("events:invitation_public", token=invitation.code)
    seats = services.seats_taken(event)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "full": event.capacity is not None and seats >= event.capacity},
    )
