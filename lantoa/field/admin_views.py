"""Back-office pages of the field app: printing a hamlet's QR door stickers (a worker job), and the photos the
teams took at the door (served only to the commune's back office)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from lantoa.tenancy import current, files
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.models import Hamlet, Job
from lantoa.tenancy.selectors import scoped

from . import printing, services
from .models import FieldEvent, StickerSheet

TEMPLATE = "field/stickers.html"


def _hamlets(commune):
    return Hamlet.objects.filter(commune=commune).order_by("name")


@commune_view(services.STICKER_PERM)
@require_http_methods(["GET", "POST"])
def stickers(request):
    """Choose a hamlet and print its stickers; the latest sheets of the commune to download."""
    commune = request.commune
    hamlets = _hamlets(commune)
    if request.method == "POST":
        hamlet = get_object_or_404(hamlets, pk=request.POST.get("hamlet") or 0)
        job = printing.queue_stickers(request.user, hamlet)
        return redirect("field_admin:sticker_job", job_id=job.pk)
    sheets = StickerSheet.objects.filter(commune=commune).select_related("hamlet")[:20]
    return TemplateResponse(request, TEMPLATE, {"commune": commune, "hamlets": hamlets, "sheets": sheets})


def sticker_job(request, job_id: int):
    """The progress of a sheet being drawn (the page refreshes itself), then its download."""
    job = get_object_or_404(scoped(Job.objects.filter(kind=services.STICKER_JOB), request.user), pk=job_id)
    current.require(request, services.STICKER_PERM, job.commune_id)
    sheet = None
    if job.status == Job.Status.DONE and job.result.get("sheet_id"):
        sheet = StickerSheet.objects.filter(pk=job.result["sheet_id"], commune_id=job.commune_id).first()
    context = {"commune": job.commune, "job": job, "sheet": sheet, "hamlets": _hamlets(job.commune), "sheets": []}
    return TemplateResponse(request, TEMPLATE, context)


def sticker_download(request, stickersheet_id: int):
    sheet = get_object_or_404(scoped(StickerSheet.objects.select_related("hamlet"), request.user), pk=stickersheet_id)
    current.require(request, services.STICKER_PERM, sheet.commune_id)
    return files.serve(request, sheet.file, filename=sheet.filename, content_type="application/pdf")


def photo(request, fieldevent_id: int):
    """A photo taken at a visit: to the commune's users who may see its contacts and personal data; each view is
    logged (``services.view_photo``). Shown on the contact's page (``wagtail_hooks``)."""
    event = get_object_or_404(scoped(FieldEvent.objects.exclude(photo=""), request.user), pk=fieldevent_id)
    services.view_photo(request.user, event)
    return files.serve(request, event.photo, attachment=False)
