"""Demo data of the awards: last year's round, decided — three nominations (a unit by its own staff, a hamlet's
community digital team by the Fatherland Front, an individual), a council of three that scored them, and the
decision with its DOCX. Runs after the other apps' demos (INSTALLED_APPS order), so the evidence reads their
records."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantoa.tenancy.models import Commune, Hamlet, Staff, Unit

from . import evidence, services
from .models import AwardRound, Nomination

CRITERIA = [
    ("Kết quả tiếp cận người dân", 40),
    ("Sáng tạo, đổi mới trong cách truyền thông", 30),
    ("Sản phẩm truyền thông (tin, bài, phát thanh)", 20),
    ("Tính lan tỏa, khả năng nhân rộng", 10),
]
SCORES = {  # per member, per nomination (in order), per criterion
    "lanhdao": [[9, 8, 8, 9], [8, 9, 6, 8], [7, 7, 9, 6]],
    "pvhcc": [[8, 8, 9, 8], [9, 8, 6, 9], [7, 8, 8, 7]],
    "mttq": [[9, 7, 8, 8], [9, 9, 5, 9], [6, 7, 9, 6]],
}


def load(commune: Commune) -> None:
    if AwardRound.objects.filter(commune=commune).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=SCORES)}
    if len(users) != len(SCORES):
        return
    year = timezone.localdate().year - 1
    chair = users["lanhdao"]
    award_round = services.create_round(
        chair,
        commune,
        title=f"Khen thưởng tập thể, cá nhân tiêu biểu truyền thông Nghị quyết 57 năm {year}",
        year=year,
        nominations_open=dt.date(year, 11, 1),
        nominations_close=dt.date(year, 11, 30),
        criteria=CRITERIA,
        council=[u.pk for u in users.values()],
        chair=chair.pk,
    )
    AwardRound.objects.filter(pk=award_round.pk).update(status=AwardRound.Status.OPEN)
    as_of = dt.date(year, 11, 25)
    unit = (
        Unit.objects.filter(commune=commune, short_name="VH-XH").first() or Unit.objects.filter(commune=commune).first()
    )
    hamlet = Hamlet.objects.filter(commune=commune).order_by("pk").first()
    staff = Staff.objects.filter(commune=commune, on_comms_duty=True).order_by("pk").first()
    picks = [
        (Nomination.Kind.UNIT, unit, unit.name if unit else "", False),
        (Nomination.Kind.HAMLET, hamlet, services.FRONT_NAME, True),
        (Nomination.Kind.STAFF, staff, unit.name if unit else "", False),
    ]
    nominations = []
    for kind, nominee, by, front in picks:
        if nominee is None:
            return
        nominations.append(
            Nomination.objects.create(
                commune=commune,
                round=award_round,
                kind=kind,
                **{kind: nominee},
                nominee_name=services.nominee_name(kind, nominee),
                nominated_by=by,
                by_front=front,
                nominating_unit=None if front else unit,
                reason=(
                    "Chủ động tổ chức tuyên truyền Nghị quyết 57 đến từng hộ dân; phối hợp tốt với tổ công nghệ số "
                    "cộng đồng và đài truyền thanh xã; nhiều cách làm sáng tạo, dễ nhân rộng."
                ),
                evidence=evidence.collect(kind, nominee, as_of),
                evidence_as_of=as_of,
            )
        )
    AwardRound.objects.filter(pk=award_round.pk).update(status=AwardRound.Status.SCORING)
    award_round.refresh_from_db()
    criteria = list(award_round.criteria.all())
    for username, table in SCORES.items():
        rows = [
            {"nomination": n.pk, "criterion": c.pk, "value": v, "confidence": 3, "comment": ""}
            for n, values in zip(nominations, table, strict=True)
            for c, v in zip(criteria, values, strict=True)
        ]
        services.save_scores(users[username], award_round, rows, submit=True)
    ranking = services.selectors.ranking(award_round)
    try:
        services.issue_decision(
            chair,
            award_round,
            number="215/QĐ-UBND",
            date=dt.date(year, 12, 10),
            signer_name="Lường Văn Toàn",
            signer_title="Chủ tịch",
            awardee_ids=[r.nomination.pk for r in ranking[:2]],
        )
    except ValidationError:
        pass  # a locked period in the demo: the round stays in scoring, its ranking shown
