"""Background work of the tenancy app, run by the task worker (django-tasks)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django_tasks import task

from .models import Hamlet, Household


@task()
def refresh_baselines(commune_id: int) -> dict[str, int]:
    """Set each hamlet's household and resident baseline from the household roster."""
    totals = {
        row["hamlet"]: row
        for row in Household.objects.filter(commune_id=commune_id)
        .values("hamlet")
        .annotate(households=Count("id"), residents=Sum("members"))
    }
    changed = 0
    for hamlet in Hamlet.objects.filter(commune_id=commune_id):
        row = totals.get(hamlet.pk, {"households": 0, "residents": 0})
        if (hamlet.households_baseline, hamlet.residents_baseline) != (row["households"], row["residents"] or 0):
            hamlet.households_baseline, hamlet.residents_baseline = row["households"], row["residents"] or 0
            hamlet.save(update_fields=["households_baseline", "residents_baseline"])
            changed += 1
    return {"hamlets_changed": changed}
