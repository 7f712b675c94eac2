"""The yearly awards: weights, blind scoring, the ranking, the decision DOCX and the awards indicator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from lantoa.awards import reporting, selectors, services
from lantoa.awards.models import AwardRound, Nomination
from lantoa.reach import selectors as reach_selectors
from lantoa.reach.models import Award
from lantoa.tenancy import services as tenancy_services

from .conftest import CLOCK, CRITERIA

pytestmark = [pytest.mark.django_db, pytest.mark.clock(CLOCK)]
REASON = "Tổ chức nhiều hội nghị, thăm hộ và phát thanh về Nghị quyết 57 trong năm."


def _nominate(award_round, nominator, front, data_a):
    services.open_round(award_round.chair, award_round)
    a = services.nominate(nominator, award_round, kind="unit", nominee_id=data_a["unit"].pk, reason=REASON)
    b = services.nominate(front, award_round, kind="hamlet", nominee_id=data_a["hamlet"].pk, reason=REASON)
    c = services.nominate(nominator, award_round, kind="staff", nominee_id=data_a["staff"].pk, reason=REASON)
    services.start_scoring(award_round.chair, award_round)
    award_round.refresh_from_db()
    return a, b, c


def _sheet(member, award_round, table, *, submit=True):
    """``table``: {nomination: [score per criterion in order]}."""
    criteria = list(award_round.criteria.all())
    rows = [
        {"nomination": n.pk, "criterion": c.pk, "value": v, "confidence": 2, "comment": ""}
        for n, values in table.items()
        for c, v in zip(criteria, values, strict=True)
    ]
    services.save_scores(member, award_round, rows, submit=submit)


def test_weights_must_add_up_to_100(commune_a, council):
    with pytest.raises(ValidationError) as err:
        services.check_criteria([("A", 50), ("B", 30)])
    assert "100" in str(err.value) and "80" in str(err.value)
    with pytest.raises(ValidationError):
        services.check_criteria([("A", 0), ("B", 100)])
    with pytest.raises(ValidationError):
        services.create_round(
            council[0],
            commune_a,
            title="Vòng thử",
            year=2027,
            nominations_open=dt.date(2027, 11, 1),
            nominations_close=dt.date(2027, 11, 30),
            criteria=[("A", 60), ("B", 60)],
            council=[u.pk for u in council],
            chair=council[0].pk,
        )
    assert not AwardRound.objects.exists()
    assert services.check_criteria(CRITERIA) == CRITERIA


def test_nomination_keeps_the_evidence_and_the_nominator(award_round, nominator, front, data_a):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    assert a.nominated_by == data_a["unit"].name and not a.by_front
    assert b.by_front and "Mặt trận" in b.nominated_by
    assert a.evidence_as_of == dt.date(2027, 11, 18)
    assert a.evidence["to"] == "18/11/2027" and a.evidence["activities"]["count"] == 0
    assert "contacts" in b.evidence and "trainings" in c.evidence


def test_blind_scoring_until_a_member_submits(award_round, council, nominator, front, data_a):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    chair, m1, m2 = council
    _sheet(m1, award_round, {a: [9, 8, 7], b: [5, 5, 5], c: [6, 6, 6]})
    # The chair has not submitted: sees no one else's score, not even a submitted one; no ranking yet.
    _sheet(chair, award_round, {a: [7, 7, 7]}, submit=False)
    seen = selectors.scores_for(chair, award_round)
    assert seen and {s.member_id for s in seen} == {chair.pk}
    assert not selectors.may_see_others(chair, award_round)
    assert not selectors.scoring_over(award_round)
    # The nomination page says so too.
    # Submitting an incomplete sheet is refused.
    with pytest.raises(ValidationError):
        _sheet(chair, award_round, {a: [7, 7, 7]})
    _sheet(chair, award_round, {a: [7, 7, 7], b: [6, 6, 6], c: [5, 5, 5]})
    seen = selectors.scores_for(chair, award_round)
    assert {s.member_id for s in seen} == {chair.pk, m1.pk}
    # m2 has not submitted: still sees only nothing of others.
    assert selectors.scores_for(m2, award_round) == []
    # A submitted sheet cannot change; someone outside the council cannot score.
    with pytest.raises(ValidationError):
        _sheet(m1, award_round, {a: [0, 0, 0], b: [0, 0, 0], c: [0, 0, 0]})
    with pytest.raises(PermissionDenied):
        _sheet(nominator, award_round, {a: [1, 1, 1], b: [1, 1, 1], c: [1, 1, 1]})


def test_blind_scoring_on_the_pages(client, award_round, council, nominator, front, data_a):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    chair, m1, _m2 = council
    _sheet(m1, award_round, {a: [9, 8, 7], b: [5, 5, 5], c: [6, 6, 6]})
    client.force_login(chair)
    page = client.get(f"/awards/nominations/{a.pk}/").content.decode()
    assert "sau khi bạn nộp" in page.lower() or "sau khi nộp" in page.lower()
    assert "uy_vien_1" not in page
    _sheet(chair, award_round, {a: [7, 7, 7], b: [6, 6, 6], c: [5, 5, 5]})
    page = client.get(f"/awards/rounds/{award_round.pk}/score/").content.decode()
    assert "uy_vien_1: 9" in page


def test_ranking_by_weighted_average_with_ties_explained(award_round, council, nominator, front, data_a):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    chair, m1, m2 = council
    # Weights 50/30/20. a: (10,0,0)=5.0 and (6,6,6)=6.0 → 5.5; b: (5,6,6)=5.5 twice → 5.5, heavier criterion
    # lower than a's 8; c: (2,2,2)=2 and (4,4,4)=4 → 3.
    _sheet(chair, award_round, {a: [10, 0, 0], b: [5, 6, 6], c: [2, 2, 2]})
    _sheet(m1, award_round, {a: [6, 6, 6], b: [5, 6, 6], c: [4, 4, 4]})
    assert not selectors.scoring_over(award_round)
    with pytest.raises(PermissionDenied):
        services.close_scoring(m1, award_round)
    services.close_scoring(chair, award_round)  # m2 never submits: their sheet does not count
    ranking = selectors.ranking(award_round)
    assert [r.nomination for r in ranking] == [a, b, c]
    assert [str(r.average) for r in ranking] == ["5.50", "5.50", "3.00"]
    assert [r.rank for r in ranking] == [1, 2, 3]
    assert "Kết quả tiếp cận" in ranking[0].tie and "50%" in ranking[0].tie
    assert ranking[2].tie == ""
    assert ranking[0].members == 2


def _decided(award_round, council, nominator, front, data_a, **extra):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    for member, values in zip(council, ([9, 9, 9], [8, 8, 8], [7, 7, 7]), strict=True):
        _sheet(member, award_round, {a: values, b: [5, 5, 5], c: [6, 6, 6]})
    assert selectors.scoring_over(award_round)
    args = {
        "number": "125/QĐ-UBND",
        "date": dt.date(2027, 11, 17),
        "signer_name": "Lường Văn Toàn",
        "signer_title": "Chủ tịch",
        "awardee_ids": [a.pk, c.pk],
    }
    args.update(extra)
    return (a, b, c), services.issue_decision(council[0], award_round, **args)


def test_decision_docx_and_the_awards_indicator(award_round, council, nominator, front, data_a, commune_a):
    (a, b, c), decision = _decided(award_round, council, nominator, front, data_a)
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.DECIDED
    doc = Document(io.BytesIO(decision.docx.read()))
    header = doc.tables[0]
    cells = [cell.text for row in header.rows for cell in row.cells]
    text = "\n".join(cells + [p.text for p in doc.paragraphs])
    assert "ỦY BAN NHÂN DÂN" in cells[0] and "XÃ NAM CƯỜNG" in cells[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells[1] and "Độc lập - Tự do - Hạnh phúc" in cells[1]
    assert "Số: 125/QĐ-UBND" in text and "ngày 17 tháng 11 năm 2027" in text
    assert "QUYẾT ĐỊNH" in text
    assert f"1. {a.nominee_name} (tập thể);" in text and f"2. {c.nominee_name} (cá nhân);" in text
    assert b.nominee_name not in text
    award = Award.objects.get(commune=commune_a)
    assert award.decision_number == "125/QĐ-UBND" and award.date == dt.date(2027, 11, 17)
    assert award.recipients.splitlines() == [a.nominee_name, c.nominee_name]
    today = dt.date(2027, 11, 18)
    held = {r["code"]: r for r in reach_selectors.indicator_values(commune_a, "2027", today=today)}["awards_held"]
    assert held["value"] == 100.0
    other = {r["code"]: r for r in reach_selectors.indicator_values(commune_a, "2026", today=today)}["awards_held"]
    assert other["value"] == 0.0
    # The report's paragraph counts only what is dated up to its cut-off.
    after = reporting.text(reporting.facts(commune_a, 2027, dt.date(2027, 11, 18)))
    assert "Quyết định số 125/QĐ-UBND ngày 17/11/2027" in after and "3 đề cử" in after
    assert a.nominee_name in after and b.nominee_name not in after
    before = reporting.text(reporting.facts(commune_a, 2027, dt.date(2027, 11, 16)))
    assert "125/QĐ-UBND" not in before and "0 đề cử" in before


def test_an_issued_decision_never_changes_a_correction_is_new(award_round, council, nominator, front, data_a):
    (a, b, c), first = _decided(award_round, council, nominator, front, data_a)
    sha = first.docx_sha256
    with pytest.raises(ValidationError):  # the round is decided: no second first decision
        services.issue_decision(
            council[0],
            award_round,
            number="126/QĐ-UBND",
            date=dt.date(2027, 11, 18),
            signer_name="Lường Văn Toàn",
            signer_title="Chủ tịch",
            awardee_ids=[a.pk],
        )
    second = services.issue_decision(
        council[0],
        award_round,
        number="126/QĐ-UBND",
        date=dt.date(2027, 11, 18),
        signer_name="Lường Văn Toàn",
        signer_title="Chủ tịch",
        awardee_ids=[a.pk, b.pk, c.pk],
        corrects=first,
    )
    first.refresh_from_db()
    assert first.docx_sha256 == sha and second.corrects == first
    text = "\n".join(p.text for p in Document(io.BytesIO(second.docx.read())).paragraphs)
    assert "thay thế Quyết định số 125/QĐ-UBND" in text


def test_a_decision_dated_in_a_locked_period_is_refused(award_round, council, nominator, front, data_a, commune_a):
    tenancy_services.lock_period(
        council[0],
        commune_a,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 6, 30),
        values={},
        report_id=None,
        reference="12/BC-UBND",
    )
    with pytest.raises(ValidationError) as err:
        _decided(award_round, council, nominator, front, data_a, date=dt.date(2027, 6, 20))
    assert "12/BC-UBND" in str(err.value)
    assert not Award.objects.exists()
    assert AwardRound.objects.get(pk=award_round.pk).status == AwardRound.Status.SCORING


def test_only_the_chair_decides_and_nominations_keep_to_the_window(award_round, council, nominator, front, data_a):
    a, b, c = _nominate(award_round, nominator, front, data_a)
    for member in council:
        _sheet(member, award_round, {a: [5, 5, 5], b: [5, 5, 5], c: [5, 5, 5]})
    with pytest.raises(PermissionDenied):
        services.issue_decision(
            council[1],
            award_round,
            number="1/QĐ-UBND",
            date=dt.date(2027, 11, 18),
            signer_name="X",
            signer_title="Chủ tịch",
            awardee_ids=[a.pk],
        )
    assert Nomination.objects.count() == 3
