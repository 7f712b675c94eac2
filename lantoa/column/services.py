"""Every write of the column: validated, permission-checked where a person acts, in one transaction.

* ``ensure_column(commune)``: the column home under the commune's root, its default topics and
  audiences, and the editorial workflow (Ban biên tập) — called at onboarding and by the demo.
* Publication (called from Wagtail's page_published / page_unpublished signals, see signals.py):
  purge the page cache, tell the indicators (``reach.services``), prepare the social packages.
* Feedback: ``submit_feedback`` (a reader, anonymous) and ``answer_feedback`` (a unit).
* Social outbox: ``prepare_share_packages``, ``retry_share_post``, ``mark_share_posted``; the worker
  posts the packages (``tasks.post_to_channel``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, Page, Site, Workflow, WorkflowPage, WorkflowTask

from lantoa.reach import services as reach_services
from lantoa.tenancy import roles
from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy import services as tenancy_services
from lantoa.tenancy.models import Commune, PersonalDataAccess, Staff, Unit
from lantoa.tenancy.network import client_ip  # the one reading of the client address (trusted proxies only)

from . import pagecache, rendercache, selectors
from .models import (
    CHANNEL_TEXT_LIMITS,
    Audience,
    Channel,
    ChannelAccount,
    ColumnHomePage,
    ColumnItemPage,
    Feedback,
    SharePost,
    Topic,
)
from .tasks import post_to_channel
from .text import hashtag, plain_text, truncate

COLUMN_SLUG = "nghi-quyet-57"

DEFAULT_TOPICS = [
    ("nghi-quyet-57", "Nghị quyết 57"),
    ("chuyen-doi-so", "Chuyển đổi số"),
    ("khoa-hoc-cong-nghe", "Khoa học và công nghệ"),
    ("doi-moi-sang-tao", "Đổi mới sáng tạo"),
    ("binh-dan-hoc-vu-so", "Bình dân học vụ số"),
    ("dich-vu-cong-truc-tuyen", "Dịch vụ công trực tuyến"),
    ("kinh-te-so", "Kinh tế số"),
]

DEFAULT_AUDIENCES = [
    ("can-bo", "Cán bộ, công chức"),
    ("hoc-sinh", "Học sinh, sinh viên"),
    ("doanh-nghiep", "Doanh nghiệp, hộ kinh doanh"),
    ("nong-dan", "Nông dân"),
    ("nguoi-cao-tuoi", "Người cao tuổi"),
    ("thanh-nien", "Đoàn viên, thanh niên"),
    ("phu-nu", "Hội viên phụ nữ"),
]

# The editorial board (Ban biên tập): the first review is the unit head's — the PVHCC focal point, the
# lead unit of the plan that answers for what is said about it — and the approval is the commune
# leadership's. Both are Wagtail GroupApprovalTasks on the commune's role groups.
REVIEW_ROLE = roles.PVHCC
APPROVAL_ROLE = roles.LEADERSHIP


# --- The column of a commune ---------------------------------------------------------------------


def column_home(commune: Commune) -> ColumnHomePage | None:
    if not commune.root_page_id:
        return None
    return ColumnHomePage.objects.child_of(commune.root_page).first()


def workflow_name(commune: Commune) -> str:
    return _("Editorial board · %(commune)s (%(code)s)") % {"commune": commune.name, "code": commune.code}


@transaction.atomic
def ensure_column(commune: Commune) -> ColumnHomePage:
    """The commune's column: its home page, topics, audiences and two-step editorial workflow. Idempotent."""
    if commune.root_page_id is None:
        raise ValidationError(_("The commune has no site yet: onboard it first."))
    home = column_home(commune)
    in_text = commune.name[:1].lower() + commune.name[1:]  # “xã Nam Cường” inside a sentence
    if home is None:
        service_centre = Unit.objects.filter(commune=commune, kind=Unit.Kind.SERVICE_CENTRE).first()
        home = ColumnHomePage(
            title=_("Resolution 57 column"),
            slug=COLUMN_SLUG,
            seo_title=_("Resolution 57 column — %(commune)s") % {"commune": commune.name},
            search_description=_(
                "Science, technology, innovation and digital transformation in %(commune)s: articles, "
                "infographics, videos, podcasts and handbooks."
            )
            % {"commune": in_text},
            intro=_(
                "News and explainers on Resolution 57-NQ/TW: science, technology, innovation and digital "
                "transformation for every resident of %(commune)s."
            )
            % {"commune": in_text},
            unit=service_centre,
            podcast_title=_("Resolution 57 podcast — %(commune)s") % {"commune": commune.name},
            podcast_description=_("Short episodes on digital transformation and science for the people of %(commune)s.")
            % {"commune": in_text},
            podcast_author=_("People's Committee of %(commune)s") % {"commune": in_text},
        )
        commune.root_page.add_child(instance=home)
        home.save_revision().publish()
    for slug, name in DEFAULT_TOPICS:
        Topic.objects.get_or_create(commune=commune, slug=slug, defaults={"name": name})
    for slug, name in DEFAULT_AUDIENCES:
        Audience.objects.get_or_create(commune=commune, slug=slug, defaults={"name": name})
    workflow = ensure_workflow(commune)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return home


def ensure_workflow(commune: Commune) -> Workflow:
    review_group = tenancy_services.role_group(commune, REVIEW_ROLE)
    approval_group = tenancy_services.role_group(commune, APPROVAL_ROLE)
    workflow, _created = Workflow.objects.get_or_create(name=workflow_name(commune)[:255], defaults={"active": True})
    steps = [
        (_("Review by the unit head · %(commune)s (%(code)s)"), review_group),
        (_("Approval by the commune leadership · %(commune)s (%(code)s)"), approval_group),
    ]
    for order, (label, group) in enumerate(steps):
        name = (label % {"commune": commune.name, "code": commune.code})[:255]
        task = GroupApprovalTask.objects.filter(name=name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([group])
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    return workflow


def site_of_page(page: Page) -> Site | None:
    commune = tenancy_selectors.commune_of_page(page)
    if commune and commune.site_id:
        return commune.site
    site_id, _root, _url, _lang = next(
        (
            (s.site_id, s.root_path, s.root_url, s.language_code)
            for s in Site.get_site_root_paths()
            if page.url_path.startswith(s.root_path)
        ),
        (None, None, None, None),
    )
    return Site.objects.filter(pk=site_id).first() if site_id else None


def purge_for_page(page: Page) -> None:
    """Something the site's public pages show changed: the render cache's generation rises with this
    transaction, nginx's page cache is emptied once it commits."""
    site = site_of_page(page)
    if site is not None:
        rendercache.bump(site.pk)
        transaction.on_commit(lambda: pagecache.purge_site(site.pk))


def purge_for_commune(commune_id: int) -> None:
    site_id = Commune.objects.filter(pk=commune_id).values_list("site_id", flat=True).first()
    if site_id:
        rendercache.bump(site_id)
        transaction.on_commit(lambda: pagecache.purge_site(site_id))


# --- Publication ---------------------------------------------------------------------------------


def publication_key(page: Page) -> str:
    return f"column:{page.pk}"


def item_published(page: ColumnItemPage) -> None:
    """An item went live (approved, scheduled or republished): purge, count it, prepare its share packages."""
    purge_for_page(page)
    commune = tenancy_selectors.commune_of_page(page)
    if commune is None:
        return
    _record_publication(commune, page)
    prepare_share_packages(page, commune=commune)


def item_unpublished(page: ColumnItemPage) -> None:
    purge_for_page(page)
    commune = tenancy_selectors.commune_of_page(page)
    if commune is None:
        return
    reach_services.withdraw_publication(commune=commune, key=publication_key(page))


def _record_publication(commune: Commune, page: ColumnItemPage) -> None:
    reach_services.record_publication(
        commune=commune,
        key=publication_key(page),
        title=page.title,
        url=page.get_full_url() or page.url_path,
        published_at=page.first_published_at or timezone.now(),
        science_task_ids=list(page.science_tasks.values_list("pk", flat=True)),
        plan_task_id=page.plan_task_id,
        channel="column",
    )


# --- Feedback ------------------------------------------------------------------------------------

FEEDBACK_LIMIT = 5  # submissions per address …
FEEDBACK_WINDOW = timedelta(minutes=10)  # … in this window


class RateLimited(Exception):
    """Too many submissions from one address; the reader is asked to wait."""


def client_key(ip: str) -> str:
    """A pseudonymous key for a reader's address: enough to limit the rate, useless to identify them."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:feedback:{ip}".encode()).hexdigest()


def responsible_unit(commune: Commune, page: Page | None) -> Unit | None:
    if page is not None:
        specific = page.specific
        if getattr(specific, "unit_id", None):
            return specific.unit
    home = column_home(commune)
    return home.unit if home and home.unit_id else None


@dataclass
class FeedbackInput:
    kind: str
    body: str
    name: str = ""
    contact: str = ""


@transaction.atomic
def submit_feedback(*, commune: Commune, page: Page | None, data: FeedbackInput, ip: str) -> Feedback:
    """Record a reader's comment or question and send it to the responsible unit.

    The text is reduced to plain text (nh3); name and contact are optional. At most FEEDBACK_LIMIT
    submissions per address in FEEDBACK_WINDOW, else ``RateLimited``.
    """
    key = client_key(ip)
    since = timezone.now() - FEEDBACK_WINDOW
    if Feedback.objects.filter(client_key=key, created_at__gte=since).count() >= FEEDBACK_LIMIT:
        raise RateLimited
    if page is not None:
        if tenancy_selectors.commune_of_page(page) != commune or not page.live:
            raise ValidationError(_("This item does not take feedback."))
        specific = page.specific
        if not isinstance(specific, ColumnItemPage) or not specific.allow_feedback:
            raise ValidationError(_("This item does not take feedback."))
    body = plain_text(data.body)
    if len(body) < 5:
        raise ValidationError({"body": _("Write at least a few words.")})
    feedback = Feedback(
        commune=commune,
        page=page,
        kind=data.kind,
        body=body[:3000],
        name=plain_text(data.name)[:120],
        contact=plain_text(data.contact)[:120],
        unit=responsible_unit(commune, page),
        client_key=key,
    )
    feedback.full_clean()
    feedback.save()
    transaction.on_commit(lambda: _route_feedback(feedback))
    return feedback


def _route_feedback(feedback: Feedback) -> None:
    """Tell the responsible unit: its staff with a login, in the app; its e-mail address, by mail."""
    about = feedback.page.title if feedback.page_id else _("the column")
    title = _("New %(kind)s on “%(about)s”") % {"kind": feedback.get_kind_display().lower(), "about": about}
    url = f"/admin/snippets/column/feedback/edit/{feedback.pk}/"
    users = get_user_model().objects.none()
    if feedback.unit_id:
        users = get_user_model().objects.filter(
            pk__in=Staff.objects.filter(unit_id=feedback.unit_id, user__isnull=False).values("user")
        )
    if not users.exists():
        commune = Commune.objects.get(pk=feedback.commune_id)
        users = tenancy_services.users_with_role(commune, roles.EDITOR, roles.PVHCC)
    tenancy_services.notify(users, feedback.commune_id, title, feedback.body[:500], url)
    if feedback.unit_id and feedback.unit.email:
        send_mail(
            title[:200],
            f"{feedback.body}\n\n{settings.WAGTAILADMIN_BASE_URL}{url}",
            None,
            [feedback.unit.email],
            fail_silently=True,
        )


def read_feedback_contact(actor, feedback: Feedback, *, purpose: str) -> None:
    """Logs that ``actor`` is shown the reader's name and contact (the answer form shows them): every read of personal
    data is logged, feedback readers included. Nothing is logged when the reader left neither."""
    if not selectors.may_read_feedback(actor, feedback):
        raise PermissionDenied
    if not (feedback.name or feedback.contact):
        return
    PersonalDataAccess.objects.create(
        commune_id=feedback.commune_id,
        user=actor,
        household=None,
        fields=",".join(Feedback.PERSONAL_FIELDS),
        purpose=purpose[:200],
    )


@transaction.atomic
def answer_feedback(actor, feedback: Feedback, *, answer: str, publish: bool, status: str | None = None) -> Feedback:
    """Answer a reader (and optionally publish the answer under the item)."""
    tenancy_services.require_commune_perm(actor, "column.change_feedback", feedback.commune_id)
    if not selectors.may_read_feedback(actor, feedback):
        raise PermissionDenied  # feedback routed to another unit
    answer = plain_text(answer)
    status = status or (Feedback.Status.ANSWERED if answer else feedback.status)
    if publish and not answer:
        raise ValidationError({"answer": _("Write the answer before publishing it.")})
    if status == Feedback.Status.ANSWERED and not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    stored = Feedback.objects.filter(pk=feedback.pk).values("answer", "publish_answer").first() or {}
    was_public = stored.get("publish_answer", False)
    if answer and (feedback.answered_at is None or stored.get("answer") != answer):
        feedback.answered_at = timezone.now()
        feedback.answered_by = actor
    feedback.answer = answer
    feedback.publish_answer = publish
    feedback.status = status
    feedback.full_clean()
    feedback.save()
    if publish or was_public:
        purge_for_commune(feedback.commune_id)
    return feedback


# --- Social outbox -------------------------------------------------------------------------------


def build_share_text(page: ColumnItemPage, channel: str, link: str, tags: str) -> str:
    """Title, summary, link and hashtags, cut to the channel's limit (the summary gives way first)."""
    limit = CHANNEL_TEXT_LIMITS[channel]
    tail = f"\n\n{link}" + (f"\n{tags}" if tags else "")
    head = page.title.strip()
    room = limit - len(tail) - len(head) - 2
    summary = truncate(plain_text(page.summary), max(room, 0)) if room > 20 else ""
    text = head + (f"\n\n{summary}" if summary else "") + tail
    return text if len(text) <= limit else truncate(text, limit)


def share_hashtags(page: ColumnItemPage, home: ColumnHomePage | None) -> str:
    tags = home.hashtags.split() if home and home.hashtags else []
    tags += [hashtag(t.name) for t in page.topics.all()]
    seen, unique = set(), []
    for tag in tags:
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            unique.append(tag)
    return " ".join(unique[:8])


@transaction.atomic
def prepare_share_packages(page: ColumnItemPage, *, commune: Commune | None = None) -> list[SharePost]:
    """One package per channel for a published item; a package already posted is left alone.

    With the channel's credentials configured, the package is queued for the worker to post.
    """
    commune = commune or tenancy_selectors.commune_of_page(page)
    specific = page.specific
    link = specific.get_full_url() or specific.url_path
    tags = share_hashtags(specific, specific.column_home)
    image = specific.cover_image or getattr(specific, "image", None) or getattr(specific, "poster", None)
    posts = []
    accounts = {a.channel: a for a in ChannelAccount.objects.filter(commune=commune, enabled=True)}
    for channel in Channel.values:
        post = SharePost.objects.filter(page=page, channel=channel).first()
        if post is not None and post.state == SharePost.State.POSTED:
            posts.append(post)
            continue
        if post is None:
            post = SharePost(commune=commune, page=page, channel=channel)
        post.text = build_share_text(specific, channel, link, tags)
        post.link = link
        post.hashtags = tags
        post.image = image
        post.state = SharePost.State.PREPARED
        post.error = ""
        post.queued = channel in accounts
        post.save()
        posts.append(post)
        if post.queued:
            _enqueue(post)
    return posts


def _enqueue(post: SharePost) -> None:
    post_id = post.pk
    transaction.on_commit(lambda: post_to_channel.enqueue(post_id))


@transaction.atomic
def retry_share_post(actor, post: SharePost) -> SharePost:
    tenancy_services.require_commune_perm(actor, "column.change_sharepost", post.commune_id)
    if post.state == SharePost.State.POSTED:
        raise ValidationError(_("This package is already posted."))
    if not ChannelAccount.objects.filter(commune_id=post.commune_id, channel=post.channel, enabled=True).exists():
        raise ValidationError(_("No account is configured for this channel: post it by hand and mark it posted."))
    post.queued = True
    post.error = ""
    post.state = SharePost.State.PREPARED
    post.save(update_fields=["queued", "error", "state", "updated_at"])
    _enqueue(post)
    return post


@transaction.atomic
def mark_share_posted(actor, post: SharePost, *, url: str = "") -> SharePost:
    """Someone posted the package by hand: record who, when and (optionally) where."""
    tenancy_services.require_commune_perm(actor, "column.change_sharepost", post.commune_id)
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError({"posted_url": _("Give the post's full address (https://…).")})
    post.state = SharePost.State.POSTED
    post.error = ""
    post.queued = False
    post.posted_at = timezone.now()
    post.posted_by = actor
    post.posted_url = url[:500]
    post.save()
    return post


__all__ = [
    "APPROVAL_ROLE",
    "REVIEW_ROLE",
    "FeedbackInput",
    "RateLimited",
    "answer_feedback",
    "client_ip",
    "column_home",
    "ensure_column",
    "item_published",
    "item_unpublished",
    "mark_share_posted",
    "prepare_share_packages",
    "retry_share_post",
    "submit_feedback",
]
