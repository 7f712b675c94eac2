"""Administration without a shell: the focal point manages the logins of its commune (create, roles, deactivate,
reset the password) and a province administrator onboards a commune from the 2025 list with its focal point.

Thin views: every write goes through ``services`` (which checks the role and the commune); every login listed or
loaded comes from ``selectors.commune_logins`` of the request's commune, so another commune's login answers 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from vietnam_provinces import Ward as VNWard

from . import roles, selectors, services
from .current import commune_view
from .forms import add_service_errors
from .models import Commune, Staff


def _role_choices():
    return [(code, roles.ROLES[code].label) for code in roles.COMMUNE_ROLES]


class LoginCreateForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Family, middle and given name, as in Vietnamese: Nguyễn Thị Lan."),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False)
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles in the commune"), choices=_role_choices, widget=forms.CheckboxSelectMultiple
    )
    staff = forms.ModelChoiceField(
        label=gettext_lazy("Staff member (optional)"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=gettext_lazy("Ties the login to a staff member without a login; a unit's login finds its unit so."),
    )

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(commune=commune, user__isnull=True).select_related("unit")


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles in the commune"), choices=_role_choices, widget=forms.CheckboxSelectMultiple
    )


class OnboardForm(forms.Form):
    code = forms.TypedChoiceField(label=gettext_lazy("Commune (2025 list)"), coerce=int)
    username = forms.CharField(label=gettext_lazy("Focal point's username"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Focal point's full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        onboarded = set(Commune.objects.values_list("code", flat=True))
        self.fields["code"].choices = [
            (
                province.name,
                [
                    (int(w.code), f"{w.name} ({int(w.code)})")
                    for w in VNWard.iter_by_province(province.code)
                    if int(w.code) not in onboarded
                ],
            )
            for province in provinces
        ]


def _login_of(request, user_id) -> object:
    if not str(user_id or "").isdigit():
        raise Http404
    user = selectors.commune_logins(request.commune).filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def _base(request, title: str, **extra) -> dict:
    return {"page_title": title, "header_title": title, "header_icon": "user", "commune": request.commune, **extra}


def _password_page(request, user, password: str, title: str) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "tenancy/admin/temporary_password.html",
        _base(
            request,
            title,
            login=user,
            full_name=services.full_name_of(user),
            password=password,
            index_url=reverse("tenancy_logins") + f"?commune={request.commune.pk}",
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@commune_view(services.MANAGE_LOGINS)
def logins_index(request):
    """The logins of the commune, each with its roles and what the focal point may do with it."""
    logins = []
    with_second_factor = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=selectors.commune_logins(request.commune)).values_list(
            "user_id", flat=True
        )
    )
    for user in selectors.commune_logins(request.commune).order_by("-is_active", "last_name", "first_name"):
        codes = [rg.role_group.role for rg in user.groups.all() if hasattr(rg, "role_group")]
        outside = any(
            rg.role_group.commune_id != request.commune.pk for rg in user.groups.all() if hasattr(rg, "role_group")
        )
        logins.append(
            {
                "user": user,
                "full_name": services.full_name_of(user),
                "roles": [str(roles.ROLES[c].label) for c in codes if c in roles.ROLES and c in roles.COMMUNE_ROLES],
                "manageable": user.pk != request.user.pk
                and (request.user.is_superuser or not (outside or user.is_superuser or user.is_staff)),
                "must_change": bool(getattr(getattr(user, "lantoa_account", None), "must_change_password", False)),
                "second_factor": user.pk in with_second_factor,
            }
        )
    return TemplateResponse(
        request,
        "tenancy/admin/logins.html",
        _base(request, _("Logins of the commune"), logins=logins, communes=request.communes),
    )


@never_cache
@commune_view(services.MANAGE_LOGINS)
def login_add(request):
    form = LoginCreateForm(request.POST or None, commune=request.commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_login(
                request.user,
                request.commune,
                username=data["username"],
                full_name=data["full_name"],
                role_codes=data["roles"],
                email=data["email"],
                staff=data["staff"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _password_page(request, user, password, _("Login created"))
    return TemplateResponse(request, "tenancy/admin/login_form.html", _base(request, _("New login"), form=form))


@never_cache
@commune_view(services.MANAGE_LOGINS)
def login_roles(request):
    user = _login_of(request, request.GET.get("user") or request.POST.get("user"))
    current = list(selectors.role_groups_of(user).filter(commune=request.commune).values_list("role", flat=True))
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_login_roles(request.user, request.commune, user, form.cleaned_data["roles"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The roles of %(name)s are saved.") % {"name": services.full_name_of(user)})
            return redirect(reverse("tenancy_logins") + f"?commune={request.commune.pk}")
    return TemplateResponse(
        request,
        "tenancy/admin/login_form.html",
        _base(request, _("Roles of %(name)s") % {"name": services.full_name_of(user)}, form=form, login=user),
    )


@require_POST
@commune_view(services.MANAGE_LOGINS)
def login_deactivate(request):
    user = _login_of(request, request.POST.get("user"))
    services.deactivate_login(request.user, request.commune, user)
    messages.success(request, _("The login of %(name)s is closed.") % {"name": services.full_name_of(user)})
    return redirect(reverse("tenancy_logins") + f"?commune={request.commune.pk}")


@require_POST
@commune_view(services.MANAGE_LOGINS)
def login_reactivate(request):
    user = _login_of(request, request.POST.get("user"))
    password = services.reactivate_login(request.user, request.commune, user)
    return _password_page(request, user, password, _("Login reopened"))


@require_POST
@commune_view(services.MANAGE_LOGINS)
def login_reset_password(request):
    user = _login_of(request, request.POST.get("user"))
    password = services.reset_password(request.user, request.commune, user)
    return _password_page(request, user, password, _("Password reset"))


@require_POST
@commune_view(services.MANAGE_LOGINS)
def login_reset_second_factor(request):
    user = _login_of(request, request.POST.get("user"))
    if services.reset_second_factor(request.user, request.commune, user):
        messages.success(
            request,
            _(
                "Two-step verification of %(name)s is turned off: they sign in with their password and set up their "
                "new phone."
            )
            % {"name": services.full_name_of(user)},
        )
    else:
        messages.info(request, _("%(name)s had no two-step verification.") % {"name": services.full_name_of(user)})
    return redirect(reverse("tenancy_logins") + f"?commune={request.commune.pk}")


@never_cache
@login_required
def password_change(request):
    """Where a user with a temporary password sets their own (the middleware sends them here until they do)."""
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your new password is saved."))
        return redirect("wagtailadmin_home")
    title = _("Set your own password")
    return TemplateResponse(
        request,
        "tenancy/admin/password_change.html",
        {"page_title": title, "header_title": title, "header_icon": "key", "form": form},
    )


@never_cache
@login_required
def commune_onboard(request):
    """A province administrator onboards a commune of its province and appoints the focal point."""
    provinces = selectors.provinces_managed(request.user)
    if not provinces:
        raise PermissionDenied
    form = OnboardForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commune, user, password = services.onboard_commune_for_province(
                request.user, data["code"], username=data["username"], full_name=data["full_name"], email=data["email"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            title = _("%(commune)s is onboarded") % {"commune": commune.name}
            response = TemplateResponse(
                request,
                "tenancy/admin/temporary_password.html",
                {
                    "page_title": title,
                    "header_title": title,
                    "header_icon": "site",
                    "commune": commune,
                    "login": user,
                    "full_name": services.full_name_of(user),
                    "password": password,
                    "index_url": reverse("tenancy_commune_onboard"),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    title = _("Onboard a commune")
    return TemplateResponse(
        request,
        "tenancy/admin/onboard.html",
        {"page_title": title, "header_title": title, "header_icon": "site", "form": form, "provinces": provinces},
    )
