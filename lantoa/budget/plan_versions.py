"""When a new version of the plan comes into force, the estimate lines linked to a task follow it."""

from __future__ import annotations

from lantoa.plans.versions import follow_task_links

from .models import EstimateLine

follow_task_links(EstimateLine, "task")
