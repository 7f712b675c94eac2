"""Records of the reach app in commune B, for the isolation test (names carry the SECRET marker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def isolation_records(commune, world, secret: str) -> None:
    from lantoa.plans.models import Activity, Plan, SolutionGroup, Task
    from lantoa.reach import services
    from lantoa.reach.models import (
        Award,
        Briefing,
        IndicatorTarget,
        ReachSettings,
        RosterImport,
        ScienceTask,
        Survey,
        SurveyStratum,
        TrainingCompletion,
        TrainingCourse,
    )

    hamlet, households, staff = world.data["hamlet"], world.data["households"], world.data["staff"]
    task = ScienceTask.objects.create(commune=commune, title=f"Nhiệm vụ {secret}", year=2026, code=f"{secret}-1")
    services.record_publication(
        commune=commune,
        key=f"b-{secret}",
        title=f"Bài {secret}",
        url="/b/",
        published_at=timezone.now(),
        science_task_ids=[task.pk],
    )
    services.record_broadcast(
        commune=commune,
        hamlet_ids=[hamlet.pk],
        broadcast_at=timezone.now(),
        key=f"radio-{secret}",
        title=f"Bản tin {secret}",
    )
    plan = Plan.objects.create(commune=commune, title=f"Kế hoạch {secret}", year=2026, version=99)
    group = SolutionGroup.objects.create(commune=commune, plan=plan, code="9", title=f"Nhóm {secret}")
    plan_task = Task.objects.create(commune=commune, plan=plan, group=group, code="9.9", title=f"Nhiệm vụ {secret}")
    activity = Activity.objects.create(
        commune=commune,
        task=plan_task,
        unit=world.data["unit"],
        title=f"Hoạt động {secret}",
        date=dt.date(2026, 3, 1),
        channel="community_team",
    )
    services.record_contacts_bulk(
        None,
        activity=activity,
        check_perm=False,
        rows=[{"channel": "visit", "date": dt.date(2026, 3, 2), "household_id": households[0].pk, "note": secret}],
    )
    ReachSettings.objects.create(commune=commune)
    IndicatorTarget.objects.create(commune=commune, indicator="residents_reached", year=2026, value=57, note=secret)
    briefing = Briefing.objects.create(commune=commune, title=f"Hội nghị {secret}", date=dt.date(2026, 2, 1))
    briefing.attendees.set([staff])
    course = TrainingCourse.objects.create(commune=commune, title=f"Lớp {secret}", start_date=dt.date(2026, 4, 1))
    TrainingCompletion.objects.create(commune=commune, course=course, staff=staff, completed_on=dt.date(2026, 4, 2))
    Award.objects.create(
        commune=commune, date=dt.date(2026, 10, 10), decision_number=f"{secret}/QĐ", title=f"Khen thưởng {secret}"
    )
    survey = Survey.objects.create(
        commune=commune, title=f"Khảo sát {secret}", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 5)
    )
    SurveyStratum.objects.create(commune=commune, survey=survey, hamlet=hamlet, sampled=10, yes=3)
    RosterImport.objects.create(
        commune=commune, file_name=f"{secret}.xlsx", summary={"created": 1}, changes=[{"code": secret}]
    )
