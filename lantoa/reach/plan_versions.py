"""When a new version of the plan comes into force, the publications linked to a task follow it to the new version."""

from __future__ import annotations

from lantoa.plans.versions import follow_task_links

from .models import Publication

follow_task_links(Publication, "plan_task")
