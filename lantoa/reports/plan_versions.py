"""When a new version of the plan comes into force, the budget lines linked to a task follow it to the new version."""

from __future__ import annotations

from django.dispatch import receiver

from lantoa.plans.versions import tasks_carried_over

from .models import BudgetLine


@receiver(tasks_carried_over)
def follow_tasks(sender, commune, task_map: dict[int, int], **kwargs) -> None:
    for old_id, new_id in task_map.items():
        BudgetLine.objects.filter(task_id=old_id).update(task_id=new_id)
