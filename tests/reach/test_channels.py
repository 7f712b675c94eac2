"""The functions channels call (the column, the radio): idempotent, validated, scoped to the commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantoa.reach import services
from lantoa.reach.models import Broadcast, Publication, ScienceTask

from .conftest import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def science_task(commune, title="Nghiên cứu giống lúa", **kw):
    return ScienceTask.objects.create(commune=commune, title=title, year=kw.pop("year", 2026), **kw)


def test_record_publication_is_an_idempotent_upsert(commune_a, plan_a):
    st1, st2 = science_task(commune_a), science_task(commune_a, "Ứng dụng IoT")
    when = timezone.make_aware(dt.datetime(2026, 4, 2, 9, 30))
    p = services.record_publication(
        commune=commune_a,
        key="column:page:12",
        title="Bài 1",
        url="/chuyen-muc/bai-1/",
        published_at=when,
        science_task_ids=[st1.pk],
        plan_task_id=plan_a["task"].pk,
    )
    again = services.record_publication(
        commune=commune_a,
        key="column:page:12",
        title="Bài 1 (sửa)",
        url="/chuyen-muc/bai-1/",
        published_at=when,
        science_task_ids=[st1.pk, st2.pk],
    )
    assert again.pk == p.pk and Publication.objects.count() == 1
    again.refresh_from_db()
    assert again.title == "Bài 1 (sửa)" and again.plan_task_id is None
    assert set(again.science_tasks.all()) == {st1, st2}
    # A date is accepted and means midnight, local time.
    d = services.record_publication(
        commune=commune_a, key="k2", title="Bài 2", url="", published_at=dt.date(2026, 5, 1)
    )
    assert timezone.localtime(d.published_at).date() == dt.date(2026, 5, 1)


def test_withdraw_and_republish(commune_a):
    services.record_publication(commune=commune_a, key="k", title="Bài", url="", published_at=dt.date(2026, 1, 5))
    p = services.withdraw_publication(commune=commune_a, key="k")
    assert p.withdrawn_at is not None
    assert services.withdraw_publication(commune=commune_a, key="unknown") is None
    p = services.record_publication(commune=commune_a, key="k", title="Bài", url="", published_at=dt.date(2026, 1, 5))
    assert p.withdrawn_at is None


def test_publication_refuses_another_communes_science_task_and_plan_task(commune_a, commune_b):
    foreign = science_task(commune_b)
    with pytest.raises(ValidationError) as exc:
        services.record_publication(
            commune=commune_a,
            key="k",
            title="t",
            url="",
            published_at=dt.date(2026, 1, 1),
            science_task_ids=[foreign.pk],
        )
    assert "science_task_ids" in exc.value.message_dict
    task_b = make_plan(commune_b, tag="B")["task"]
    with pytest.raises(ValidationError):
        services.record_publication(
            commune=commune_a, key="k", title="t", url="", published_at=dt.date(2026, 1, 1), plan_task_id=task_b.pk
        )
    with pytest.raises(ValidationError):
        services.record_publication(commune=commune_a, key=" ", title="t", url="", published_at=dt.date(2026, 1, 1))
    assert not Publication.objects.exists()


def test_record_broadcast_covers_hamlets_idempotently(commune_a, data_a, commune_b, data_b):
    from lantoa.tenancy.models import Hamlet

    h2 = Hamlet.objects.create(commune=commune_a, name="Thôn Hai")
    when = timezone.now()
    b = services.record_broadcast(
        commune=commune_a, hamlet_ids=[data_a["hamlet"].pk], broadcast_at=when, key="radio:1", title="Bản tin 57 số 1"
    )
    b2 = services.record_broadcast(
        commune=commune_a.pk,
        hamlet_ids=[data_a["hamlet"].pk, h2.pk],
        broadcast_at=when,
        key="radio:1",
        title="Bản tin 57 số 1",
    )
    assert b.pk == b2.pk and Broadcast.objects.count() == 1
    assert set(b2.hamlets.all()) == {data_a["hamlet"], h2}
    with pytest.raises(ValidationError) as exc:
        services.record_broadcast(
            commune=commune_a, hamlet_ids=[data_b["hamlet"].pk], broadcast_at=when, key="radio:2", title="x"
        )
    assert "hamlet_ids" in exc.value.message_dict
    assert Broadcast.objects.count() == 1
    assert services.cancel_broadcast(commune=commune_a, key="radio:1").cancelled_at is not None
