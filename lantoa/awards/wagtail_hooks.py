"""The awards in the back office: the menu item (for the roles that read rounds) and what waits for a user."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from lantoa.tenancy import inbox
from lantoa.tenancy.menus import PermMenuItem

from .models import AwardRound, Sheet


@hooks.register("register_admin_menu_item")
def awards_menu_item():
    return PermMenuItem(
        _("Yearly awards"), reverse("awards:index"), icon_name="pick", order=265, perm="awards.view_awardround"
    )


@hooks.register(inbox.HOOK)
def sheets_to_submit(request):
    """Rounds in scoring where the user sits on the council and has not submitted a score sheet."""
    user = request.user
    if not user.is_authenticated:
        return []
    waiting = (
        AwardRound.objects.filter(status=AwardRound.Status.SCORING, scoring_closed_at__isnull=True, council=user)
        .exclude(pk__in=Sheet.objects.filter(member=user).values("round"))
        .values_list("pk", flat=True)
    )
    n = len(waiting)
    url = reverse("awards:score", kwargs={"awardround_id": waiting[0]}) if n else reverse("awards:index")
    return [
        inbox.Item(
            ngettext("%(n)s awards score sheet to submit", "%(n)s awards score sheets to submit", n) % {"n": n},
            n,
            url,
            order=70,
        )
    ]
