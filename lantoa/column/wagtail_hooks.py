"""Back-office menu “Chuyên mục”: write an item, the calendar, feedback, the social outbox, media files,
topics, audiences and channel accounts; and a dashboard panel with what waits for the user."""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn, UpdatedAtColumn
from wagtail.log_actions import log
from wagtail.models import WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy import services as tenancy_services
from lantoa.tenancy.models import Unit
from lantoa.tenancy.viewsets import CommuneScopedForm, CommuneScopedViewSet

from . import admin_views, selectors, services
from .models import Audience, ChannelAccount, ColumnItemPage, Feedback, MediaFile, SharePost, Topic


class TopicViewSet(CommuneScopedViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "commune"]
    search_fields = ["name"]
    panels = [FieldPanel("commune"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]


class AudienceViewSet(CommuneScopedViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    list_display = ["name", "slug", "commune"]
    search_fields = ["name"]
    panels = [FieldPanel("commune"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]


class MediaFileViewSet(CommuneScopedViewSet):
    model = MediaFile
    icon = "media"
    menu_label = _("Audio, video and PDF files")
    list_display = ["title", "kind", Column("size", label=_("size (bytes)")), "duration_display", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    panels = [FieldPanel("commune"), FieldPanel("title"), FieldPanel("file")]


# --- Feedback: answered through services.answer_feedback ----------------------------------------


class AnswerSaveMixin:
    def save_instance(self):
        data = self.form.cleaned_data
        instance = services.answer_feedback(
            self.request.user,
            self.form.instance,
            answer=data.get("answer", ""),
            publish=bool(data.get("publish_answer")),
            status=data.get("status"),
        )
        log(instance, "wagtail.edit", user=self.request.user)
        return instance


class FeedbackFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"),
        queryset=lambda request: tenancy_selectors.units(request.user) if request else Unit.objects.none(),
    )

    class Meta:
        model = Feedback
        fields = ["status", "kind", "unit"]


class FeedbackViewSet(CommuneScopedViewSet):
    model = Feedback
    icon = "comment"
    menu_label = _("Readers' feedback")
    list_display = [
        TitleColumn("excerpt", label=_("feedback"), url_name="wagtailsnippets_column_feedback:edit"),
        "kind",
        "page",
        "unit",
        "status",
        "created_at",
    ]
    filterset_class = FeedbackFilterSet
    search_fields = ["body", "answer"]
    inspect_view_enabled = True
    # The Fatherland Front reads every submission and answer; a reader's name and contact are not shown here.
    inspect_view_fields = [
        "kind",
        "page",
        "body",
        "unit",
        "status",
        "answer",
        "publish_answer",
        "answered_by",
        "answered_at",
        "created_at",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("kind", read_only=True),
                FieldPanel("page", read_only=True),
                FieldPanel("body", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("contact", read_only=True),
                FieldPanel("unit", read_only=True),
                FieldPanel("created_at", read_only=True),
            ],
            heading=_("What the reader sent"),
        ),
        FieldPanel("answer"),
        FieldPanel("publish_answer"),
        FieldPanel("status"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_view_class = type("AnswerFeedbackView", (AnswerSaveMixin, self.edit_view_class), {})


# --- Social outbox -------------------------------------------------------------------------------


class OutboxViewSet(CommuneScopedViewSet):
    model = SharePost
    icon = "link"
    menu_label = _("Social outbox")
    list_display = [
        TitleColumn("page", label=_("item"), get_url=lambda post: reverse("column_outbox_detail", args=[post.pk])),
        "channel",
        "state",
        "attempts",
        Column("error", label=_("channel's error")),
        UpdatedAtColumn(),
    ]
    list_filter = ["state", "channel"]
    search_fields = ["text"]
    panels = [FieldPanel("text"), FieldPanel("hashtags")]


class ChannelAccountForm(CommuneScopedForm):
    """The access token is never shown again; leaving it empty keeps the stored one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "access_token" in self.fields:
            self.fields["access_token"].widget = forms.PasswordInput(render_value=False)
            if self.instance.pk:
                self.fields["access_token"].required = False
                self.fields["access_token"].help_text = _("Stored (%(hint)s). Leave empty to keep it.") % {
                    "hint": self.instance.token_hint
                }

    def clean_access_token(self):
        value = self.cleaned_data.get("access_token")
        if not value and self.instance.pk:
            return ChannelAccount.objects.filter(pk=self.instance.pk).values_list("access_token", flat=True).first()
        return value


class ChannelAccountViewSet(CommuneScopedViewSet):
    model = ChannelAccount
    base_form_class = ChannelAccountForm
    icon = "key"
    menu_label = _("Channel accounts")
    list_display = ["name", "channel", "target_id", "token_hint", "enabled"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("channel"),
        FieldPanel("name"),
        FieldPanel("target_id"),
        FieldPanel("access_token"),
        FieldPanel("api_base"),
        FieldPanel("enabled"),
    ]


class ColumnGroup(SnippetViewSetGroup):
    menu_label = _("Column")
    menu_icon = "doc-full-inverse"
    menu_order = 150
    submenu_hook = "register_column_menu_item"
    items = (FeedbackViewSet, OutboxViewSet, MediaFileViewSet, TopicViewSet, AudienceViewSet, ChannelAccountViewSet)


register_snippet(ColumnGroup)


class _ColumnMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or tenancy_selectors.communes_for(request.user).exists()


@hooks.register("register_column_menu_item")
def _write_menu_item():
    return _ColumnMenuItem(_("Write an item"), reverse("column_write"), icon_name="edit", order=-2)


@hooks.register("register_column_menu_item")
def _calendar_menu_item():
    return _ColumnMenuItem(_("Publishing calendar"), reverse("column_calendar"), icon_name="date", order=-1)


@hooks.register("register_admin_urls")
def _admin_urls():
    return [
        path("column/calendar/", admin_views.calendar_view, name="column_calendar"),
        path("column/write/", admin_views.write_view, name="column_write"),
        path("column/outbox/<int:sharepost_id>/", admin_views.outbox_detail, name="column_outbox_detail"),
        path("column/outbox/<int:sharepost_id>/retry/", admin_views.outbox_retry, name="column_outbox_retry"),
        path(
            "column/outbox/<int:sharepost_id>/posted/", admin_views.outbox_mark_posted, name="column_outbox_mark_posted"
        ),
    ]


# --- Dashboard -----------------------------------------------------------------------------------


class ColumnPanel(Component):
    """What waits for this user in the column: items sent back to them, feedback to answer, failed posts."""

    name = "column_waiting"
    order = 90
    template_name = "column/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        pages = selectors.column_pages(user)
        sent_back = (
            WorkflowState.objects.filter(
                requested_by=user,
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                base_content_type__model="page",
                object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)],
            )
            .select_related("current_task_state")
            .order_by("-created_at")[:10]
        )
        rows = []
        titles = dict(
            ColumnItemPage.objects.filter(pk__in=[int(s.object_id) for s in sent_back]).values_list("pk", "title")
        )
        for state in sent_back:
            task_state = state.current_task_state
            rows.append(
                {
                    "title": titles.get(int(state.object_id), ""),
                    "url": reverse("wagtailadmin_pages:edit", args=[state.object_id]),
                    "comment": task_state.get_comment() if task_state else "",
                }
            )
        communes = list(tenancy_selectors.communes_for(user))
        can_answer = [c for c in communes if tenancy_services.has_commune_perm(user, "column.change_feedback", c)]
        can_post = [c for c in communes if tenancy_services.has_commune_perm(user, "column.change_sharepost", c)]
        return {
            "sent_back": rows,
            "feedback_waiting": Feedback.objects.filter(commune__in=can_answer, status=Feedback.Status.NEW).count(),
            "feedback_url": reverse("wagtailsnippets_column_feedback:list") + "?status=new",
            "failed_posts": SharePost.objects.filter(commune__in=can_post, state=SharePost.State.FAILED).count(),
            "prepared_posts": SharePost.objects.filter(
                commune__in=can_post, state=SharePost.State.PREPARED, queued=False
            ).count(),
            "outbox_url": reverse("wagtailsnippets_column_sharepost:list"),
        }


@hooks.register("construct_homepage_panels")
def _dashboard_panel(request, panels):
    if request.user.is_superuser or tenancy_selectors.communes_for(request.user).exists():
        panels.append(ColumnPanel(request))
