"""The editorial board (Ban biên tập): draft → the unit head's review → the leadership's approval → published;
rejection with a comment back to the author; scheduled publishing and expiry; revisions; the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lantoa.column import services
from lantoa.column.models import ArticlePage, SharePost, Topic, ascii_slug
from lantoa.reach.models import Publication
from lantoa.tenancy import roles
from lantoa.tenancy.models import Notification

from .conftest import add_article

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def article_form(commune, title="Sổ tay số cho bà con", **extra):
    topic = Topic.objects.get(commune=commune, slug="chuyen-doi-so")
    data = {
        "title": title,
        "slug": ascii_slug(title),
        "summary": "Hướng dẫn ngắn về kỹ năng số cho bà con các thôn.",
        "byline": "Trung tâm dịch vụ tổng hợp",
        "body": streamfield([("paragraph", rich_text("<p>Nghị quyết 57 đến với từng hộ gia đình.</p>"))]),
        "topics": [topic.pk],
        "comment_notifications": "",
    }
    data.update(extra)
    return nested_form_data(data)


def create_and_submit(editor, home, commune, **extra) -> ArticlePage:
    client = login(editor)
    url = reverse("wagtailadmin_pages:add", args=["column", "articlepage", home.pk])
    response = client.post(url, {**article_form(commune, **extra), "action-submit": "Gửi duyệt"})
    if response.status_code != 302:
        import re as _re

        raise AssertionError(_re.findall(r"error-message[^>]*>\s*(?:<[^>]+>)*([^<]+)", response.content.decode()))
    return ArticlePage.objects.get(title=extra.get("title", "Sổ tay số cho bà con"))


def act(user, page, action, comment=""):
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return login(user).post(url, {"comment": comment} if comment else {})


def test_ensure_column_creates_the_home_and_a_two_step_workflow_once(commune_a):
    home = services.ensure_column(commune_a)
    assert services.ensure_column(commune_a).pk == home.pk
    assert home.get_parent().pk == commune_a.root_page_id and home.live
    assert home.title == "Chuyên mục Nghị quyết 57" and home.slug == "nghi-quyet-57"
    workflow = WorkflowPage.objects.get(page=home).workflow
    tasks = [t.specific for t in workflow.tasks.all()]
    assert len(tasks) == 2 and all(isinstance(t, GroupApprovalTask) for t in tasks)
    from lantoa.tenancy.models import RoleGroup

    assert [RoleGroup.objects.get(group=t.groups.get()).role for t in tasks] == [roles.PVHCC, roles.LEADERSHIP]
    assert Topic.objects.filter(commune=commune_a).count() == len(services.DEFAULT_TOPICS)


def test_new_items_get_addresses_without_tone_marks(column_a):
    """Guards ColumnItemPage._set_core_field_defaults, the one Wagtail private hook the project overrides."""
    first = add_article(column_a, "Đổi mới sáng tạo ở Nam Cường", publish=False)
    second = add_article(column_a, "Đổi mới sáng tạo ở Nam Cường", publish=False)
    assert (first.slug, second.slug) == ("doi-moi-sang-tao-o-nam-cuong", "doi-moi-sang-tao-o-nam-cuong-2")


def test_an_item_goes_through_both_approvals_and_is_published(column_a, commune_a, people_a):
    page = create_and_submit(people_a["editor"], column_a, commune_a)
    assert not page.live and page.slug == "so-tay-so-cho-ba-con"
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.current_task_state.task.specific.groups.get().role_group.role == roles.PVHCC
    # The reviewers are told, in the app.
    assert Notification.objects.filter(user=people_a["pvhcc"], title__contains=page.title).exists()
    # The editor cannot publish; the leadership cannot skip the unit head.
    assert act(people_a["leader"], page, "approve").status_code in (302, 403)
    state.refresh_from_db()
    assert state.current_task_state.task.specific.groups.get().role_group.role == roles.PVHCC
    assert act(people_a["pvhcc"], page, "approve").status_code == 302
    page.refresh_from_db()
    assert not page.live
    state.refresh_from_db()
    assert state.current_task_state.task.specific.groups.get().role_group.role == roles.LEADERSHIP
    assert act(people_a["leader"], page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live and page.first_published_at is not None
    # Published: counted by the indicators, share packages prepared, visible to readers.
    publication = Publication.objects.get(commune=commune_a, key=f"column:{page.pk}")
    assert publication.title == page.title and publication.withdrawn_at is None
    assert set(SharePost.objects.filter(page=page).values_list("channel", flat=True)) == {"facebook", "zalo"}
    assert Client(HTTP_HOST=commune_a.site.hostname).get(page.url).status_code == 200


def test_rejection_goes_back_to_the_author_with_the_comment(column_a, commune_a, people_a):
    people_a["editor"].email = "bientap@example.vn"
    people_a["editor"].save()
    page = create_and_submit(people_a["editor"], column_a, commune_a, title="Bài cần sửa")
    mail.outbox.clear()
    response = act(people_a["pvhcc"], page, "reject", comment="Thiếu số liệu của thôn Nà Pài.")
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # Wagtail e-mails the author; the app keeps a notification with the comment.
    assert any("bientap@example.vn" in m.to for m in mail.outbox)
    note = Notification.objects.get(user=people_a["editor"], title__contains="Bài cần sửa")
    assert "Thiếu số liệu của thôn Nà Pài." in note.body
    # And the author's dashboard shows it.
    html = login(people_a["editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "Bài cần sửa" in html and "Thiếu số liệu của thôn Nà Pài." in html
    page.refresh_from_db()
    assert not page.live


def test_editor_has_no_publish_button_and_cannot_publish_directly(column_a, commune_a, people_a):
    client = login(people_a["editor"])
    url = reverse("wagtailadmin_pages:add", args=["column", "articlepage", column_a.pk])
    response = client.post(url, {**article_form(commune_a, title="Thử đăng thẳng"), "action-publish": "1"})
    page = ArticlePage.objects.get(title="Thử đăng thẳng")
    assert not page.live
    del response


def test_scheduled_item_goes_live_when_due_and_expires(column_a, commune_a):
    page = add_article(column_a, "Bài hẹn giờ", publish=False)
    page.go_live_at = timezone.now() + timedelta(days=3)
    page.expire_at = timezone.now() + timedelta(days=10)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    revision.refresh_from_db()
    assert not page.live and revision.approved_go_live_at is not None
    assert not Publication.objects.filter(key=f"column:{page.pk}").exists()
    # The due date arrives.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert page.live
    assert Publication.objects.get(key=f"column:{page.pk}").withdrawn_at is None
    # The expiry arrives: unpublished, and no longer counted.
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert not page.live and page.expired
    assert Publication.objects.get(key=f"column:{page.pk}").withdrawn_at is not None


def test_revisions_can_be_compared_and_reverted(column_a, commune_a, people_a):
    page = add_article(column_a, "Bài có nhiều phiên bản")
    first = page.latest_revision
    page.title = "Bài có nhiều phiên bản (sửa lần 2)"
    page.summary = "Tóm tắt mới hoàn toàn."
    page.save_revision(user=people_a["editor"])
    client = login(people_a["editor"])
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    compare = client.get(reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, "latest"]))
    html = compare.content.decode()
    assert compare.status_code == 200 and "mới hoàn toàn" in html and "sửa lần 2" in html
    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]))
    assert revert.status_code == 200 and "Bài có nhiều phiên bản" in revert.content.decode()


def test_calendar_shows_published_and_scheduled_items_of_the_users_communes(column_a, column_b, commune_a, people_a):
    published = add_article(column_a, "Bài đã đăng tháng này")
    scheduled = add_article(column_a, "Bài hẹn đăng tháng sau", publish=False)
    due = timezone.now() + timedelta(days=35)
    scheduled.go_live_at = due
    scheduled.save_revision().publish()
    add_article(column_b, "Bài của xã khác")
    client = login(people_a["editor"])
    this_month = client.get(reverse("column_calendar")).content.decode()
    assert published.title in this_month and "Bài của xã khác" not in this_month
    later = timezone.localtime(due)
    next_month = client.get(reverse("column_calendar"), {"thang": f"{later.year}-{later.month:02d}"}).content.decode()
    assert scheduled.title in next_month and "lt-scheduled" in next_month


def test_task_states_are_only_for_the_reviewing_group(column_a, commune_a, people_a):
    page = create_and_submit(people_a["editor"], column_a, commune_a, title="Chỉ PVHCC duyệt bước một")
    task_state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
    task = task_state.task.specific
    assert task.user_can_access_editor(page, people_a["pvhcc"])
    assert not task.user_can_access_editor(page, people_a["editor"])
    assert Page.objects.get(pk=page.pk).live is False


def test_unpublishing_or_deleting_an_item_withdraws_it_from_the_indicators(column_a, commune_a):
    kept, deleted = add_article(column_a, "Bài sẽ gỡ"), add_article(column_a, "Bài sẽ xóa")
    kept.unpublish()
    assert Publication.objects.get(key=f"column:{kept.pk}").withdrawn_at is not None
    key = f"column:{deleted.pk}"
    Page.objects.get(pk=deleted.pk).delete()
    assert Publication.objects.get(key=key).withdrawn_at is not None
