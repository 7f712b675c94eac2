"""What the column does when Wagtail publishes, unpublishes, moves or deletes its pages, and when a
workflow step is submitted or rejected (connected in ColumnConfig.ready)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState
from wagtail.signals import page_published, page_unpublished, post_page_move, task_submitted, workflow_rejected

from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy import services as tenancy_services
from lantoa.tenancy.names import full_name

from . import services
from .models import Audience, ColumnHomePage, ColumnItemPage, Topic

logger = logging.getLogger("lantoa.column")


def _on_published(sender, instance, **kwargs):
    if not instance.live:
        return  # a revision scheduled for later: nothing changes for readers until it goes live
    if isinstance(instance, ColumnItemPage):
        services.item_published(instance)
    elif isinstance(instance, ColumnHomePage):
        services.purge_for_page(instance)


def _on_unpublished(sender, instance, **kwargs):
    if isinstance(instance, ColumnItemPage):
        services.item_unpublished(instance)
    elif isinstance(instance, ColumnHomePage):
        services.purge_for_page(instance)


def _on_item_deleted(sender, instance, **kwargs):
    if instance.live:
        services.item_unpublished(instance)
    else:
        services.purge_for_page(instance)


def _on_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, (ColumnItemPage, ColumnHomePage)):
        services.purge_for_page(instance)


def _on_listing_changed(sender, instance, **kwargs):
    services.purge_for_commune(instance.commune_id)


def _specific(obj):
    return getattr(obj, "specific", obj)


def _on_rejected(sender, instance: WorkflowState, user=None, **kwargs):
    """The author is told, in the app, that the item came back, with the reviewer's comment."""
    page = _specific(instance.content_object)
    if not isinstance(page, ColumnItemPage) or instance.requested_by is None:
        return
    commune = tenancy_selectors.commune_of_page(page)
    if commune is None:
        return
    state = instance.current_task_state
    comment = state.get_comment() if state else ""
    reviewer = full_name(user)
    title = _("“%(title)s” came back to you for changes") % {"title": page.title}
    body = _("%(reviewer)s asks for changes: %(comment)s") % {"reviewer": reviewer, "comment": comment or "—"}
    # Wagtail e-mails the author itself; this leaves the message in the app too.
    tenancy_services.notify([instance.requested_by], commune, title, body, f"/admin/pages/{page.pk}/edit/", email=False)


def _on_task_submitted(sender, instance, user=None, **kwargs):
    """The reviewers of the step are told, in the app, that an item waits for them."""
    page = _specific(instance.workflow_state.content_object)
    if not isinstance(page, ColumnItemPage):
        return
    commune = tenancy_selectors.commune_of_page(page)
    task = instance.task.specific
    groups = getattr(task, "groups", None)
    if commune is None or groups is None:
        return
    reviewers = get_user_model().objects.filter(groups__in=groups.all(), is_active=True).distinct()
    title = _("“%(title)s” waits for you: %(step)s") % {"title": page.title, "step": task.name}
    tenancy_services.notify(reviewers, commune, title, page.summary[:300], f"/admin/pages/{page.pk}/edit/", email=False)


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="column_page_published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="column_page_unpublished")
    post_page_move.connect(_on_moved, dispatch_uid="column_page_moved")
    post_delete.connect(_on_item_deleted, sender=ColumnItemPage, dispatch_uid="column_item_deleted")
    for model in (Topic, Audience):
        post_save.connect(_on_listing_changed, sender=model, dispatch_uid=f"column_{model.__name__}_saved")
        post_delete.connect(_on_listing_changed, sender=model, dispatch_uid=f"column_{model.__name__}_deleted")
    workflow_rejected.connect(_on_rejected, sender=WorkflowState, dispatch_uid="column_workflow_rejected")
    task_submitted.connect(_on_task_submitted, dispatch_uid="column_task_submitted")
