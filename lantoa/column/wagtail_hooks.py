"""Back-office menu “Chuyên mục”: write an item, the calendar, feedback, the social outbox, media files,
topics, audiences and channel accounts; and a dashboard panel with what waits for the user."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn, UpdatedAtColumn
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lantoa.tenancy import inbox
from lantoa.tenancy import selectors as tenancy_selectors
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
    list_display = [
        "title",
        "kind",
        Column("size", label=_("size (bytes)")),
        Column("duration_display", label=_("length")),
        "uploaded_at",
    ]
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


class RoutedFeedbackMixin:
    """A feedback opens only for who may read it: the unit it is routed to, leadership, the column's editors and
    the Fatherland Front (selectors.feedback); anyone else gets 404, as for another commune's record."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not selectors.may_read_feedback(self.request.user, obj):
            raise Http404
        return obj


class LoggedContactMixin:
    """The answer form shows the reader's name and contact: each showing is logged as a personal data access."""

    def get(self, request, *args, **kwargs):
        services.read_feedback_contact(request.user, self.object, purpose=_("Answering feedback #%s") % self.object.pk)
        return super().get(request, *args, **kwargs)


class FeedbackFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"),
        queryset=lambda request: tenancy_selectors.units(request.user) if request else Unit.objects.none(),
    )

    class Meta:
        model = Feedback
        fields = ["status", "kind", "unit"]


class FeedbackTitleColumn(TitleColumn):
    """Links a row to the answer form when the reader's role may answer there, else to the read-only view
    (the Fatherland Front reads every submission and answer)."""

    def get_link_url(self, instance, parent_context):
        request = parent_context.get("request")
        allowed = getattr(request, "_feedback_answerable", None)
        if allowed is None:
            allowed = set(
                tenancy_selectors.communes_with_perm(request.user, "column.change_feedback").values_list(
                    "pk", flat=True
                )
            )
            request._feedback_answerable = allowed
        view = "edit" if instance.commune_id in allowed else "inspect"
        return reverse(f"wagtailsnippets_column_feedback:{view}", args=[instance.pk])


class FeedbackViewSet(CommuneScopedViewSet):
    model = Feedback
    icon = "comment"
    menu_label = _("Readers' feedback")
    list_display = [
        FeedbackTitleColumn("excerpt", label=_("feedback")),
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
        self.edit_view_class = type(
            "AnswerFeedbackView", (LoggedContactMixin, AnswerSaveMixin, self.edit_view_class), {}
        )
        for attr in ("edit_view_class", "inspect_view_class", "history_view_class", "usage_view_class"):
            base = getattr(self, attr, None)
            if isinstance(base, type):
                setattr(self, attr, type(f"Routed{base.__name__}", (RoutedFeedbackMixin, base), {}))

    def get_queryset(self, request):
        return selectors.feedback(request.user)


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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page")  # the item's title on every row


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


class _WriteMenuItem(MenuItem):
    """Shown to the roles that may add an item to their commune's column (its page permissions)."""

    def is_shown(self, request):
        return selectors.writable_column_home(request.user) is not None


@hooks.register("register_column_menu_item")
def _write_menu_item():
    return _WriteMenuItem(_("Write an item"), reverse("column_write"), icon_name="edit", order=-2)


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


def _sent_back(user, pages) -> QuerySet[WorkflowState]:
    """The user's items that a reviewer sent back for changes."""
    return WorkflowState.objects.filter(
        requested_by=user,
        status=WorkflowState.STATUS_NEEDS_CHANGES,
        base_content_type__model="page",
        object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)],
    )


class ColumnPanel(Component):
    """What waits for this user in the column: items sent back to them, their drafts, feedback to answer,
    failed posts. Each line only for a role that can act on it."""

    name = "column_waiting"
    order = 90
    template_name = "column/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        pages = selectors.column_pages(user)
        sent_back = _sent_back(user, pages).select_related("current_task_state").order_by("-created_at")[:10]
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
        drafts = [
            {"title": page.title, "url": reverse("wagtailadmin_pages:edit", args=[page.pk])}
            for page in pages.filter(owner=user, live=False).order_by("-latest_revision_created_at")[:10]
        ]
        can_answer = tenancy_selectors.communes_with_perm(user, "column.change_feedback")
        can_post = tenancy_selectors.communes_with_perm(user, "column.change_sharepost")
        return {
            "sent_back": rows,
            "drafts": drafts,
            "can_write": selectors.writable_column_home(user) is not None,
            "write_url": reverse("column_write"),
            "can_answer": can_answer.exists(),
            "feedback_waiting": selectors.feedback(user)
            .filter(commune__in=can_answer, status=Feedback.Status.NEW)
            .count(),
            "feedback_url": reverse("wagtailsnippets_column_feedback:list") + "?status=new",
            "can_read_feedback": tenancy_selectors.has_perm_anywhere(user, "column.view_feedback"),
            "all_feedback_url": reverse("wagtailsnippets_column_feedback:list"),
            "can_post": can_post.exists(),
            "failed_posts": SharePost.objects.filter(commune__in=can_post, state=SharePost.State.FAILED).count(),
            "prepared_posts": SharePost.objects.filter(
                commune__in=can_post, state=SharePost.State.PREPARED, queued=False
            ).count(),
            "outbox_url": reverse("wagtailsnippets_column_sharepost:list"),
        }


@hooks.register(inbox.HOOK)
def _waiting_in_column(request):
    """Items awaiting the user's review (Wagtail's workflow), items sent back to the user, feedback to answer."""
    user = request.user
    home = reverse("wagtailadmin_home")
    to_review = TaskState.objects.reviewable_by(user).count()
    sent_back = _sent_back(user, selectors.column_pages(user)).count()
    feedback = (
        selectors.feedback(user)
        .filter(
            commune__in=tenancy_selectors.communes_with_perm(user, "column.change_feedback"),
            status=Feedback.Status.NEW,
        )
        .count()
    )
    return [
        inbox.Item(
            ngettext("%(n)s column item awaiting your review", "%(n)s column items awaiting your review", to_review)
            % {"n": to_review},
            to_review,
            home,
            order=30,
        ),
        inbox.Item(
            ngettext("%(n)s item sent back to you for changes", "%(n)s items sent back to you for changes", sent_back)
            % {"n": sent_back},
            sent_back,
            home,
            order=35,
        ),
        inbox.Item(
            ngettext(
                "%(n)s reader's message waiting for an answer",
                "%(n)s readers' messages waiting for an answer",
                feedback,
            )
            % {"n": feedback},
            feedback,
            reverse("wagtailsnippets_column_feedback:list") + "?status=new",
            order=50,
        ),
    ]


@hooks.register("construct_homepage_panels")
def _dashboard_panel(request, panels):
    user = request.user
    if user.is_superuser or tenancy_selectors.has_perm_anywhere(user, "column.view_feedback"):
        panels.append(ColumnPanel(request))
