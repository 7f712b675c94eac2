"""The second factor's screens (the code asked after the password or a backup code, enrolling an authenticator app
with its backup codes, new codes or turning it off) and the user guide's pages."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import certificates, guide, second_factor


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Type the 6 digits the app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SignInCodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("6-digit code from your authenticator app, or a backup code"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{4}\s?[A-Za-z2-7]{4})\s*$",
        error_messages={"invalid": gettext_lazy("Type the 6 digits the app shows now, or one of your backup codes.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}),
    )


def _login_required(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
    return None


def _accepted(form, check):
    """The device that accepts the form's code (``check(code)``), else None with the reason on the code field:
    a wrong or expired code, or django-otp still waiting after wrong ones."""
    try:
        accepted = check(form.cleaned_data["code"])
    except second_factor.Throttled:
        form.add_error("code", _("Too many wrong codes. Wait a minute, then type the new code."))
        return None
    if accepted is None:
        form.add_error("code", _("This code is not correct or has expired. Type the code the app shows now."))
    return accepted


def verify(request):
    """After the password: the current code of the enrolled device marks this session verified."""
    if response := _login_required(request):
        return response
    device = second_factor.confirmed_device(request.user)
    target = second_factor.safe_next(request, reverse("wagtailadmin_home"))
    if device is None or request.user.is_verified():
        return redirect(target)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted = _accepted(form, lambda code: second_factor.check_code(request.user, code))
        if accepted is not None:
            django_otp.login(request, accepted)
            if accepted.persistent_id != device.persistent_id:
                left = second_factor.backup_codes_left(request.user)
                messages.warning(
                    request,
                    _("You signed in with a backup code; %(n)s are left. Make new ones from Two-step sign-in.")
                    % {"n": left},
                )
            return redirect(target)
    return TemplateResponse(request, "tenancy/second_factor/verify.html", {"form": form, "next": target})


def enrol(request):
    """Scan the QR code (or type the key), then confirm with the first code: from then on sign-in asks for it."""
    if response := _login_required(request):
        return response
    user = request.user
    if not second_factor.may_enrol(user):
        raise PermissionDenied(_("The second factor is offered to leadership and province roles."))
    enrolled = second_factor.confirmed_device(user)
    if enrolled is not None:
        return _enrolled(request, enrolled)
    device = second_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accepted(form, lambda code: device if second_factor.check_device(device, code) else None):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, _("Two-step sign-in is on: from now on, sign-in asks for the app's code."))
            return _backup_codes_page(request, second_factor.issue_backup_codes(user))
    return TemplateResponse(
        request,
        "tenancy/second_factor/enrol.html",
        {
            "form": form,
            "qr": second_factor.qr_svg(device),
            "key": second_factor.manual_key(device),
            "required": second_factor.is_required(user),
        },
    )


def _backup_codes_page(request, codes: list[str]) -> TemplateResponse:
    response = TemplateResponse(request, "tenancy/second_factor/backup_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"  # shown once: never kept by the browser or a proxy
    return response


def _enrolled(request, device) -> TemplateResponse:
    """The enrolled user's page: how many backup codes are left, a new set, or turning the second factor off."""
    user = request.user
    form = CodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action == "backup":
        return _backup_codes_page(request, second_factor.issue_backup_codes(user))
    if request.method == "POST" and action == "off":
        if second_factor.is_required(user):
            raise PermissionDenied(_("Your role must sign in with two steps: it cannot be turned off."))
        if form.is_valid() and _accepted(form, lambda code: second_factor.check_code(user, code)):
            second_factor.turn_off(user)
            messages.success(request, _("Two-step sign-in is off: sign-in asks for the password only."))
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "tenancy/second_factor/enrol.html",
        {
            "enrolled": device,
            "form": form,
            "backup_left": second_factor.backup_codes_left(user),
            "required": second_factor.is_required(user),
        },
    )


# --- The user guide (docs/huong-dan/), served so that help works without the internet -------------------------


def guide_index(request):
    return guide_page(request, guide.INDEX)


def guide_page(request, slug):
    if response := _login_required(request):
        return response
    page = guide.render(slug)
    if page is None:
        raise Http404
    title, html = page
    return TemplateResponse(
        request,
        "tenancy/guide.html",
        {
            "page_title": title or _("User guide"),
            "guide_html": html,
            "is_index": slug == guide.INDEX,
            "own_url": guide.url_for(request.user),
        },
    )


def guide_image(request, name):
    if response := _login_required(request):
        return response
    path = guide.image(name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def certificate_lookup(request):
    """/xac-minh/: the code typed from the paper (a certificate whose QR cannot be scanned)."""
    code = (request.GET.get("code") or "").strip().upper().replace(" ", "").replace("-", "")
    if code:
        return redirect("certificate_verify", code=code[:40])
    return TemplateResponse(request, "tenancy/certificate_verify.html", {"ask": True})


def certificate_verify(request, code):
    """The public page of a certificate (no login): genuine or not, still valid or withdrawn."""
    certificate = certificates.find(code)
    response = TemplateResponse(
        request, "tenancy/certificate_verify.html", {"certificate": certificate, "code": code[:40]}
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    if certificate is None:
        response.status_code = 404
    return response
