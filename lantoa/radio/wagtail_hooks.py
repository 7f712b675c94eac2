"""Back-office screens of the commune radio: bulletins, clusters, zones, slots, quiet hours, controllers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lantoa.tenancy import inbox
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.menus import PermMenuItem
from lantoa.tenancy.services import has_commune_perm
from lantoa.tenancy.viewsets import CommuneScopedForm, CommuneScopedViewSet

from . import services
from .forms import WeekdaysField
from .models import (
    Abbreviation,
    Airing,
    Bulletin,
    Device,
    LoudspeakerCluster,
    QuietPeriod,
    RadioSettings,
    Slot,
    Zone,
)


class LinkColumn(Column):
    """A listing column linking to a radio screen of the row; empty where the reader's role may not open it."""

    def __init__(self, name, label, url_name, kwarg, text, perm=None):
        super().__init__(name, label=label)
        self.url_name, self.kwarg, self.text, self.perm = url_name, kwarg, text, perm

    def get_value(self, instance):
        url = reverse(self.url_name, kwargs={self.kwarg: instance.pk})
        return format_html('<a href="{}">{}</a>', url, self.text)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if self.perm and not (request and has_commune_perm(request.user, self.perm, instance.commune_id)):
            context["value"] = ""
        return context


class ProtectedDeleteMixin:
    """A record the broadcast log still points to is not deleted: say so instead of failing."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ProtectedError:
            messages.error(
                request,
                _("This record is used by the broadcast log and cannot be deleted; take it out of service instead."),
            )
            return redirect(reverse(self.index_url_name))


class RadioViewSet(CommuneScopedViewSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delete_view_class = type("RadioDeleteView", (ProtectedDeleteMixin, self.delete_view_class), {})


class BulletinSaveCreate:
    def save_instance(self):
        instance = services.save_bulletin(self.request.user, self.form.instance)
        log(instance, "wagtail.create", user=self.request.user)
        return instance


class BulletinSaveEdit:
    def save_instance(self):
        instance = services.save_bulletin(self.request.user, self.form.instance)
        log(instance, "wagtail.edit", user=self.request.user)
        return instance


class BulletinForm(CommuneScopedForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = Bulletin.objects.filter(pk=self.instance.pk).first()
            if stored is not None and not stored.editable:
                raise ValidationError(
                    _("A bulletin that is %(status)s cannot be changed; take it back to draft first.")
                    % {"status": stored.get_status_display().lower()}
                )
        return cleaned


class BulletinViewSet(RadioViewSet):
    model = Bulletin
    icon = "media"
    menu_label = _("Bulletins")
    list_display = [
        "title",
        "status",
        "audio_source",
        "duration_seconds",
        LinkColumn("studio", _("Studio"), "radio:studio", "bulletin_id", _("Open the studio"), "radio.view_bulletin"),
        "updated_at",
    ]
    list_filter = ["status", "audio_source"]
    search_fields = ["title", "text"]
    base_form_class = BulletinForm
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("voice_variant"),
        FieldPanel("speed"),
        FieldPanel("for_field"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bulletins follow their workflow: only a draft or rejected bulletin is saved (radio.services.save_bulletin).
        self.add_view_class = type("BulletinCreateView", (BulletinSaveCreate, self.add_view_class), {})
        self.edit_view_class = type("BulletinEditView", (BulletinSaveEdit, self.edit_view_class), {})


class ClusterViewSet(RadioViewSet):
    model = LoudspeakerCluster
    icon = "crosshairs"
    menu_label = _("Loudspeaker clusters")
    list_display = ["name", "hamlet", "controller", "speakers", "active"]
    list_filter = ["active"]
    search_fields = ["name", "location"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("name"),
        FieldPanel("hamlet"),
        FieldPanel("controller"),
        FieldPanel("speakers"),
        FieldPanel("location"),
        FieldPanel("active"),
    ]


class ZoneViewSet(RadioViewSet):
    model = Zone
    icon = "site"
    menu_label = _("Zones")
    list_display = ["name", "description"]
    search_fields = ["name"]
    panels = [FieldPanel("commune"), FieldPanel("name"), FieldPanel("hamlets"), FieldPanel("description")]


class SlotForm(CommuneScopedForm):
    weekdays = WeekdaysField(required=True)


class SlotViewSet(RadioViewSet):
    model = Slot
    icon = "time"
    menu_label = _("Broadcast slots")
    list_display = ["__str__", "weekday_labels", "zone", "active"]
    list_filter = ["active"]
    base_form_class = SlotForm
    panels = [
        FieldPanel("commune"),
        FieldPanel("start"),
        FieldPanel("duration_minutes"),
        FieldPanel("weekdays"),
        FieldPanel("zone"),
        FieldPanel("active"),
    ]


class QuietPeriodViewSet(RadioViewSet):
    model = QuietPeriod
    icon = "no-view"
    menu_label = _("Quiet hours")
    list_display = ["__str__", "label"]
    panels = [FieldPanel("commune"), FieldPanel("label"), FieldPanel("start"), FieldPanel("end")]


class DeviceViewSet(RadioViewSet):
    model = Device
    icon = "key"
    menu_label = _("Loudspeaker controllers")
    list_display = [
        "name",
        "active",
        "token_hint",
        "last_seen_at",
        LinkColumn("token", _("Token"), "radio:device_token", "device_id", _("Token and links"), "radio.change_device"),
    ]
    panels = [FieldPanel("commune"), FieldPanel("name"), FieldPanel("active")]


class AbbreviationViewSet(RadioViewSet):
    model = Abbreviation
    icon = "openquote"
    menu_label = _("Abbreviations read aloud")
    list_display = ["abbreviation", "expansion", "note"]
    search_fields = ["abbreviation", "expansion"]
    panels = [FieldPanel("commune"), FieldPanel("abbreviation"), FieldPanel("expansion"), FieldPanel("note")]


class AiringViewSet(RadioViewSet):
    """The broadcast log, read-only: broadcasts are scheduled from the studio and confirmed in the log."""

    model = Airing
    icon = "list-ul"
    menu_label = pgettext_lazy("radio", "Broadcasts")
    list_display = ["starts_at", "bulletin", "zone", "status"]
    list_filter = ["status"]
    inspect_view_enabled = True
    panels = [FieldPanel("note", read_only=True)]


class RadioSettingsViewSet(RadioViewSet):
    model = RadioSettings
    icon = "cog"
    menu_label = _("Radio settings")
    list_display = ["commune", "voice_variant", "speed", "gap_seconds"]
    panels = [FieldPanel("commune"), FieldPanel("voice_variant"), FieldPanel("speed"), FieldPanel("gap_seconds")]


class RadioGroup(SnippetViewSetGroup):
    menu_label = _("Commune radio")
    menu_icon = "media"
    menu_order = 260
    items = (
        BulletinViewSet,
        AiringViewSet,
        ClusterViewSet,
        ZoneViewSet,
        SlotViewSet,
        QuietPeriodViewSet,
        DeviceViewSet,
        AbbreviationViewSet,
        RadioSettingsViewSet,
    )


register_snippet(RadioGroup)


@hooks.register("register_admin_menu_item")
def radio_studio_menu_item():
    # The studio opens on the commune's bulletins: shown to the roles that may see them.
    return PermMenuItem(
        _("Radio studio"), reverse("radio:index"), icon_name="media", order=259, perm="radio.view_bulletin"
    )


@hooks.register(inbox.HOOK)
def waiting_bulletins(request):
    """Bulletins submitted wait for the leadership's approval; approved ones wait to be published."""
    user = request.user
    url = reverse("wagtailsnippets_radio_bulletin:list")
    submitted = Bulletin.objects.filter(
        commune__in=tenancy.communes_with_perm(user, "radio.approve_bulletin"), status=Bulletin.Status.SUBMITTED
    ).count()
    approved = Bulletin.objects.filter(
        commune__in=tenancy.communes_with_perm(user, "radio.publish_bulletin"), status=Bulletin.Status.APPROVED
    ).count()
    return [
        inbox.Item(
            ngettext("%(n)s radio bulletin awaiting approval", "%(n)s radio bulletins awaiting approval", submitted)
            % {"n": submitted},
            submitted,
            f"{url}?status=submitted",
            order=40,
        ),
        inbox.Item(
            ngettext("%(n)s approved bulletin to publish", "%(n)s approved bulletins to publish", approved)
            % {"n": approved},
            approved,
            f"{url}?status=approved",
            order=45,
        ),
    ]
