"""The radio studio in the back office, and the private schedule links (M3U playlist, iCal) of controllers.

Views are thin: they load records within the user's communes (404 otherwise), check the role's
permission for what they show, and call services for every change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from lantoa.tenancy import current
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.forms import flash_service_errors
from lantoa.tenancy.params import date_param
from lantoa.tenancy.selectors import communes_for
from lantoa.tenancy.services import has_commune_perm

from . import selectors, services
from .forms import ItemForm, RejectForm, ScheduleForm, SpokenTextForm, UploadForm
from .models import Airing, Bulletin, BulletinItem, Device
from .workflow import BULLETIN_FLOW


def _bulletin(request, bulletin_id: int) -> Bulletin:
    bulletin = get_object_or_404(selectors.bulletins(request.user), pk=bulletin_id)
    current.require(request, "radio.view_bulletin", bulletin.commune_id)
    return bulletin


def _studio(bulletin) -> str:
    return reverse("radio:studio", kwargs={"bulletin_id": bulletin.pk})


# --- Overview, composing ----------------------------------------------------------------------------


@login_required
def index(request):
    commune = communes_for(request.user).first()
    if commune is None:
        raise Http404
    return redirect("radio:commune", commune_id=commune.pk)


@commune_view("radio.view_bulletin")
def commune_home(request):
    commune = request.commune
    bulletins = selectors.bulletins(request.user).filter(commune=commune)
    status = request.GET.get("status")
    if status in Bulletin.Status.values:
        bulletins = bulletins.filter(status=status)
    return render(
        request,
        "radio/commune.html",
        {
            "page_title": _("Commune radio"),
            "header_icon": "media",
            "commune": commune,
            "bulletins": bulletins[:200],
            "statuses": Bulletin.Status.choices,
            "status": status,
            "can_add": has_commune_perm(request.user, "radio.add_bulletin", commune),
            "upcoming": selectors.airings(request.user)
            .filter(commune=commune, starts_at__gte=timezone.now(), status=Airing.Status.SCHEDULED)
            .order_by("starts_at")[:10],
        },
    )


@commune_view("radio.add_bulletin")
def compose(request):
    commune = request.commune
    items = services.column_items(commune, leaves_only=True).exclude(pk=commune.root_page_id)[:200]
    if request.method == "POST":
        ticked = [pk for pk in request.POST.getlist("page") if pk.isdigit()]
        order = {pk: request.POST.get(f"order_{pk}", "").strip() for pk in ticked}
        chosen = [
            pk
            for _i, pk in sorted(
                enumerate(ticked), key=lambda row: (int(order[row[1]]) if order[row[1]].isdigit() else 999, row[0])
            )
        ]
        try:
            if request.POST.get("blank"):
                bulletin = services.create_bulletin(
                    request.user, commune, title=request.POST.get("title", ""), text=request.POST.get("text", "")
                )
            else:
                bulletin = services.compose_bulletin(
                    request.user, commune, pages=[int(pk) for pk in chosen], title=request.POST.get("title", "")
                )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Bulletin “%(title)s” created.") % {"title": bulletin.title})
            return redirect(_studio(bulletin))
    rows = [{"page": page, "summary": services.page_summary(page)} for page in items]
    return render(
        request,
        "radio/compose.html",
        {"page_title": _("Compose a bulletin"), "header_icon": "media", "commune": commune, "rows": rows},
    )


# --- The studio of one bulletin ----------------------------------------------------------------------


@login_required
def studio(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    user, cid = request.user, bulletin.commune_id
    job = selectors.latest_job(bulletin)
    can_edit = bulletin.editable and has_commune_perm(user, "radio.change_bulletin", cid)
    context = {
        "bulletin": bulletin,
        "commune": bulletin.commune,
        "job": job,
        "jobs": bulletin.jobs.order_by("-created_at")[:5],
        "items": [
            (item, ItemForm(initial={"title": item.title, "summary": item.summary}, prefix=f"item{item.pk}"))
            for item in bulletin.items.all()
        ],
        "spoken_form": SpokenTextForm(initial={"spoken_text": bulletin.spoken_text}),
        "upload_form": UploadForm(),
        "reject_form": RejectForm(),
        "schedule_form": ScheduleForm(commune_id=cid),
        "airings": bulletin.airings.select_related("zone", "slot").order_by("-starts_at")[:20],
        "can_edit": can_edit,
        "actions": BULLETIN_FLOW.allowed_actions(user, bulletin),
        "can_schedule": bulletin.on_air_ready and has_commune_perm(user, "radio.schedule_broadcast", cid),
        "refresh": job is not None and job.active,
    }
    return render(request, "radio/studio.html", {"page_title": bulletin.title, "header_icon": "media", **context})


@login_required
@require_POST
def normalize(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    try:
        services.normalize_bulletin(request.user, bulletin)
        messages.success(request, _("The text as read was made from the text. Check it before synthesis."))
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(_studio(bulletin) + "#spoken")


@login_required
@require_POST
def spoken(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    form = SpokenTextForm(request.POST)
    if form.is_valid():
        try:
            services.set_spoken_text(request.user, bulletin, form.cleaned_data["spoken_text"])
            messages.success(request, _("The text as read was saved."))
        except ValidationError as exc:
            flash_service_errors(request, exc)
    else:
        messages.error(request, _("The text as read cannot be empty."))
    return redirect(_studio(bulletin) + "#spoken")


@login_required
@require_POST
def item(request, bulletinitem_id: int):
    obj = get_object_or_404(
        BulletinItem.objects.filter(bulletin__in=selectors.bulletins(request.user)), pk=bulletinitem_id
    )
    form = ItemForm(request.POST, prefix=f"item{obj.pk}")
    if form.is_valid():
        try:
            services.update_item(
                request.user, obj, summary=form.cleaned_data["summary"], title=form.cleaned_data["title"]
            )
            messages.success(request, _("The item was saved and the bulletin's text rebuilt from its items."))
        except ValidationError as exc:
            flash_service_errors(request, exc)
    return redirect(reverse("radio:studio", kwargs={"bulletin_id": obj.bulletin_id}) + "#items")


@login_required
@require_POST
def synthesize(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    try:
        services.request_synthesis(request.user, bulletin)
        messages.success(request, _("Synthesis queued: the page follows its progress."))
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(_studio(bulletin) + "#audio")


@login_required
@require_POST
def upload(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_recording(
                request.user, bulletin, form.cleaned_data["file"], language=form.cleaned_data["language"]
            )
            messages.success(request, _("Recording received: it is being converted for the loudspeakers."))
        except ValidationError as exc:
            flash_service_errors(request, exc)
    else:
        messages.error(request, _("Choose a recording to upload."))
    return redirect(_studio(bulletin) + "#audio")


@login_required
@require_POST
def rerun(request, audiojob_id: int):
    job = get_object_or_404(selectors.jobs(request.user), pk=audiojob_id)
    try:
        services.rerun_job(request.user, job)
        messages.success(request, _("The job was queued again."))
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(reverse("radio:studio", kwargs={"bulletin_id": job.bulletin_id}) + "#audio")


@login_required
@require_POST
def workflow(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    action = request.POST.get("action")
    actions = {
        "submit": (services.submit_bulletin, _("Submitted to the commune leadership for approval.")),
        "approve": (services.approve_bulletin, _("Bulletin approved.")),
        "publish": (services.publish_bulletin, _("Bulletin published: it is now an episode of the column's podcast.")),
        "reopen": (services.reopen_bulletin, _("The bulletin is a draft again.")),
    }
    try:
        if action == "reject":
            services.reject_bulletin(request.user, bulletin, comment=request.POST.get("comment", ""))
            messages.success(request, _("Bulletin rejected; the editor sees your reason."))
        elif action in actions:
            func, done = actions[action]
            func(request.user, bulletin)
            messages.success(request, done)
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(_studio(bulletin))


@login_required
@require_POST
def schedule(request, bulletin_id: int):
    bulletin = _bulletin(request, bulletin_id)
    form = ScheduleForm(request.POST, commune_id=bulletin.commune_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["slot"]:
                airing = services.schedule_airing(
                    request.user, bulletin, slot=data["slot"], day=data["day"], zone=data["zone"]
                )
            else:
                starts_at = timezone.make_aware(datetime.combine(data["day"], data["time"]))
                airing = services.schedule_airing(request.user, bulletin, starts_at=starts_at, zone=data["zone"])
            messages.success(
                request,
                _("Scheduled at %(time)s.")
                % {"time": timezone.localtime(airing.starts_at).strftime("%H:%M:%S %d/%m/%Y")},
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_studio(bulletin) + "#schedule")


# --- Program grid and broadcast log --------------------------------------------------------------------


@commune_view("radio.view_airing")
def program(request):
    commune = request.commune
    services.ensure_setup(commune)
    start = date_param(request, "week", timezone.localdate())
    start -= timedelta(days=start.weekday())
    week = selectors.program_week(commune, start)
    return render(
        request,
        "radio/program.html",
        {
            "page_title": _("Weekly program"),
            "header_icon": "date",
            "commune": commune,
            "week": week,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "quiet": selectors.quiet_periods(commune),
        },
    )


@commune_view("radio.view_airing")
def log(request):
    commune = request.commune
    airings = (
        selectors.airings(request.user)
        .filter(commune=commune, starts_at__lte=timezone.now() + timedelta(days=1))
        .prefetch_related("targets__cluster", "targets__hamlet", "targets__confirmed_device")
        .order_by("-starts_at")[:100]
    )
    return render(
        request,
        "radio/log.html",
        {
            "page_title": _("Broadcast log"),
            "header_icon": "list-ul",
            "commune": commune,
            "airings": airings,
            "can_confirm": has_commune_perm(request.user, "radio.confirm_broadcast", commune),
            "can_cancel": has_commune_perm(request.user, "radio.schedule_broadcast", commune),
        },
    )


@login_required
@require_POST
def confirm(request, airing_id: int):
    airing = get_object_or_404(selectors.airings(request.user), pk=airing_id)
    played = request.POST.get("played", "1") == "1"
    try:
        services.confirm_airing(airing, actor=request.user, played=played)
        messages.success(
            request, _("Broadcast confirmed as played.") if played else _("Broadcast marked as not played.")
        )
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/radio/")
        else reverse("radio:log", kwargs={"commune_id": airing.commune_id})
    )


@login_required
@require_POST
def cancel(request, airing_id: int):
    airing = get_object_or_404(selectors.airings(request.user), pk=airing_id)
    try:
        services.cancel_airing(request.user, airing)
        messages.success(request, _("Broadcast cancelled."))
    except ValidationError as exc:
        flash_service_errors(request, exc)
    return redirect(reverse("radio:log", kwargs={"commune_id": airing.commune_id}))


@login_required
def device_token(request, device_id: int):
    device = get_object_or_404(selectors.devices(request.user), pk=device_id)
    current.require(request, "radio.change_device", device.commune_id)
    token = None
    if request.method == "POST":
        token = services.issue_device_token(request.user, device)
        device.refresh_from_db()
    base = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "radio/device_token.html",
        {
            "page_title": _("Controller token"),
            "header_icon": "key",
            "device": device,
            "token": token,
            "base": base,
            "commune": device.commune,
        },
    )


# --- Private links of a controller (token in the path, for players and calendars) ------------------------


def _device(token: str) -> Device:
    device = selectors.device_for_token(token)
    if device is None:
        raise Http404
    return device


def playlist(request, token: str):
    """The controller's schedule as an M3U playlist (EXTINF with duration and title, audio by private link)."""
    device = _device(token)
    lines = ["#EXTM3U", f"#PLAYLIST:{device.commune.name} · {device.name}"]
    for airing in selectors.device_schedule(device):
        if airing.status != Airing.Status.SCHEDULED:
            continue
        local = timezone.localtime(airing.starts_at)
        lines.append(f"#EXTINF:{int(round(airing.duration_seconds))},{local:%d/%m/%Y %H:%M:%S} {airing.bulletin.title}")
        lines.append(
            request.build_absolute_uri(reverse("radio:feed_audio", kwargs={"token": token, "airing_id": airing.pk}))
        )
    response = HttpResponse("\n".join(lines) + "\n", content_type="audio/x-mpegurl; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-phat.m3u"'
    return response


def calendar(request, token: str):
    """The controller's schedule as an iCalendar feed (one event per broadcast)."""
    device = _device(token)
    cal = Calendar()
    cal.add("prodid", "-//Lan Toa//radio//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{device.commune.name} · {device.name}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for airing in selectors.device_schedule(device, days=31):
        event = Event()
        event.add("uid", f"radio-{airing.pk}@lantoa")
        event.add("summary", airing.bulletin.title)
        event.add("dtstart", airing.starts_at)
        event.add("dtend", airing.ends_at)
        event.add("dtstamp", timezone.now())
        hamlets = sorted({t.hamlet.name for t in airing.own_targets})
        event.add("location", ", ".join(hamlets))
        event.add("description", airing.bulletin.summary)
        event.add("status", "CANCELLED" if airing.status == Airing.Status.CANCELLED else "CONFIRMED")
        event.add(
            "url",
            request.build_absolute_uri(reverse("radio:feed_audio", kwargs={"token": token, "airing_id": airing.pk})),
        )
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-phat.ics"'
    return response


def feed_audio(request, token: str, airing_id: int):
    device = _device(token)
    airing = (
        Airing.objects.filter(commune_id=device.commune_id, targets__cluster__controller=device, pk=airing_id)
        .select_related("bulletin")
        .first()
    )
    if airing is None or not airing.bulletin.audio:
        raise Http404
    return FileResponse(airing.bulletin.audio.open("rb"), content_type="audio/mpeg")
