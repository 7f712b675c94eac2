"""The field app's part of the demo: the newest column item and the demo's approved bulletins become talking points
the community digital team downloads to its phones (marked for the field)."""

from __future__ import annotations

from lantoa.column.models import ColumnItemPage
from lantoa.radio.models import Bulletin
from lantoa.tenancy.models import Commune


def load(commune: Commune) -> None:
    """Called by load_demo after the column's and the radio's demos (apps in INSTALLED_APPS order); idempotent."""
    if commune.root_page_id:
        newest = ColumnItemPage.objects.live().descendant_of(commune.root_page).order_by("-first_published_at").first()
        if newest is not None and not newest.for_field:
            ColumnItemPage.objects.filter(pk=newest.pk).update(for_field=True)
    Bulletin.objects.filter(commune=commune, status__in=[Bulletin.Status.APPROVED, Bulletin.Status.PUBLISHED]).update(
        for_field=True
    )
