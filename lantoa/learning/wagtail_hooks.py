"""Back-office screens of the learning app: the course builder, question banks, contests and the commune's rule
(snippets, scoped by tenancy.viewsets), and the menu links to the pages where staff take courses."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lantoa.tenancy import inbox
from lantoa.tenancy import selectors as tenancy
from lantoa.tenancy.menus import PermMenuItem
from lantoa.tenancy.viewsets import CommuneScopedViewSet

from .models import Contest, Course, ExternalCertificate, LearningSettings, Lesson, Question


class CourseViewSet(CommuneScopedViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    list_display = ["title", "published", "in_depth", "pass_mark", "max_attempts"]
    list_filter = ["published", "in_depth"]
    search_fields = ["title"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("in_depth"),
        FieldPanel("published"),
        FieldPanel("questions_per_attempt"),
        FieldPanel("max_attempts"),
        FieldPanel("time_limit_minutes"),
        FieldPanel("pass_mark"),
    ]


class LessonViewSet(CommuneScopedViewSet):
    model = Lesson
    icon = "media"
    menu_label = _("Lessons")
    list_display = ["title", "course", "position", "kind"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("course"),
        FieldPanel("position"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("media"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]


class QuestionViewSet(CommuneScopedViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["text", "course", "contest", "kind"]
    list_filter = ["kind"]
    search_fields = ["text"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("course"),
        FieldPanel("contest"),
        FieldPanel("position"),
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("choices_text"),
        FieldPanel("source_page"),
    ]


class ContestViewSet(CommuneScopedViewSet):
    model = Contest
    icon = "pick"
    menu_label = _("Contests")
    list_display = ["title", "opens_at", "closes_at", "published"]
    list_filter = ["published"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("opens_at", widget=AdminDateTimeInput),
        FieldPanel("closes_at", widget=AdminDateTimeInput),
        FieldPanel("questions_per_entry"),
        FieldPanel("activity"),
        FieldPanel("prizes"),
        FieldPanel("published"),
    ]


class LearningSettingsViewSet(CommuneScopedViewSet):
    model = LearningSettings
    icon = "cog"
    menu_label = _("Rule for in-depth training")
    list_display = ["commune", "external_counts"]
    panels = [FieldPanel("commune"), FieldPanel("external_counts")]


class LearningGroup(SnippetViewSetGroup):
    menu_label = _("Courses and contests")
    menu_icon = "doc-full"
    menu_order = 262
    items = (CourseViewSet, LessonViewSet, QuestionViewSet, ContestViewSet, LearningSettingsViewSet)


register_snippet(LearningGroup)


@hooks.register("register_admin_menu_item")
def learning_menu_item():
    return PermMenuItem(
        _("Learning"), reverse("learning:index"), icon_name="doc-full", order=261, perm="learning.view_course"
    )


@hooks.register(inbox.HOOK)
def waiting_certificates(request):
    """Outside certificates wait for the focal point's approval."""
    communes = tenancy.communes_with_perm(request.user, "learning.approve_externalcertificate")
    waiting = ExternalCertificate.objects.filter(commune__in=communes, status=ExternalCertificate.Status.SUBMITTED)
    n = waiting.count()
    first = communes.first()
    url = reverse("learning:external", kwargs={"commune_id": first.pk}) if first else ""
    return [
        inbox.Item(
            ngettext("%(n)s outside certificate awaiting approval", "%(n)s outside certificates awaiting approval", n)
            % {"n": n},
            n,
            url,
            order=60,
        )
    ]
