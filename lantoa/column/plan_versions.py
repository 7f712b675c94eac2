"""When a new version of the plan comes into force, the column items linked to a task follow it to the new version."""

from __future__ import annotations

from django.dispatch import receiver

from lantoa.plans.versions import tasks_carried_over

from .models import ColumnItemPage


@receiver(tasks_carried_over)
def follow_tasks(sender, commune, task_map: dict[int, int], **kwargs) -> None:
    for old_id, new_id in task_map.items():
        ColumnItemPage.objects.filter(plan_task_id=old_id).update(plan_task_id=new_id)
