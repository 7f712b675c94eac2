"""Contests: online and paper entries → the results table (ties broken by time), one entry per person, the answer
key never in the page, winners by initials unless agreed, households reached counted once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantoa.learning import reporting, services
from lantoa.learning.models import ContestEntry
from lantoa.reach import measure
from lantoa.reach import periods as P
from lantoa.reach.models import Contact
from lantoa.tenancy import roles
from lantoa.tenancy.models import PersonalDataAccess

from ..conftest import make_user
from .conftest import Post, answers_for

pytestmark = pytest.mark.django_db


def households_reached(commune) -> int:
    year = P.parse("2026")
    fig = measure.compute([commune.pk], [year], codes=["residents_reached"])[(commune.pk, year.code)]
    return Contact.objects.filter(commune=commune, channel="event").values("household").distinct().count(), fig[
        "residents_reached"
    ].numerator


def online(client, contest, right: int, identity: str, **extra):
    page = client.get(f"/cuoc-thi/{contest.pk}/")
    token = page.context["token"]
    layout = services.read_entry_token(contest, token)[0]
    data = {"token": token, "identity": identity, **extra}
    data.update(answers_for(layout, right))
    return page, client.post(f"/cuoc-thi/{contest.pk}/", data)


def test_online_and_paper_entries_rank_by_score_then_time_and_count_households(
    client, contest, commune_a, data_a, pvhcc_a
):
    hh1, hh2 = data_a["households"]
    before = households_reached(commune_a)
    page, sent = online(client, contest, 3, "0912 345 678", name="Nguyễn Văn An", household_code=hh1.code)
    html = page.content.decode()
    assert "Nghị quyết 57 câu 1?" in html and "Đúng 1" in html and "Nghị quyết 57 là gì" in html  # source link
    assert "correct" not in html and "*" not in html.split('name="token"', 1)[1]
    assert sent.status_code == 200 and "Cảm ơn" in sent.content.decode()
    # Same person again (another spelling of the number): refused.
    _page, again = online(client, contest, 3, "+84912345678")
    assert again.status_code == 400 and ContestEntry.objects.count() == 1
    # A paper sheet with the same score handed in earlier ranks first; another of the same household adds nothing.
    early = timezone.now() - dt.timedelta(minutes=10)  # the same day even at the night clock (00:14)
    services.record_paper_entry(
        pvhcc_a,
        contest,
        data=Post(answers_for(_paper_layout(contest), 3)),
        identity="001099001234",
        submitted_at=early,
        name="Trần Thị Bình",
        name_public=True,
        household=hh2,
    )
    services.record_paper_entry(
        pvhcc_a,
        contest,
        data=Post(answers_for(_paper_layout(contest), 1)),
        identity="001099005678",
        submitted_at=early,
        name="Lò Văn Cường",
        household=hh1,
    )
    with pytest.raises(ValidationError):
        services.record_paper_entry(pvhcc_a, contest, data=Post({}), identity="001099005678", submitted_at=early)
    rows = services.ranked(contest)
    assert [(r.rank, r.entry.name, r.entry.score, r.entry.source) for r in rows] == [
        (1, "Trần Thị Bình", 3, "paper"),
        (2, "Nguyễn Văn An", 3, "online"),
        (3, "Lò Văn Cường", 1, "paper"),
    ]
    households, residents = households_reached(commune_a)
    assert households == before[0] + 2 and residents == before[1] + hh1.members + hh2.members
    # Winners: names only as agreed, else initials; published after the close only.
    with pytest.raises(ValidationError):
        services.publish_winners(pvhcc_a, contest)
    contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()
    services.publish_winners(pvhcc_a, contest)
    public = client.get(f"/cuoc-thi/{contest.pk}/ket-qua/").content.decode()
    assert "Trần Thị Bình" in public and "N. V. A." in public and "Nguyễn Văn An" not in public
    assert "Lò Văn Cường" not in public and "0912" not in public
    # Reading names and contacts is logged.
    services.reveal_entrants(pvhcc_a, contest, "Trao giải")
    assert PersonalDataAccess.objects.filter(user=pvhcc_a, purpose="Trao giải").exists()
    # The report counts what was handed in up to its cut-off.
    today = timezone.localdate()
    facts = reporting.facts(commune_a.pk, today - dt.timedelta(days=30), today)
    assert [(c["entries"], c["paper"], c["households"]) for c in facts["contests"]] == [(3, 2, 2)]
    earlier = reporting.facts(commune_a.pk, today - dt.timedelta(days=30), today - dt.timedelta(days=1))
    assert [c["entries"] for c in earlier["contests"]] == [0]
    assert "với 3 bài dự thi (trong đó 2 bài giấy), 2 hộ gia đình tham gia; đã công bố 2 giải" in " ".join(
        reporting.paragraphs(facts)
    )


def _paper_layout(contest):
    from lantoa.learning import engine

    return engine.in_order(contest.questions.all())


def test_public_entries_are_rate_limited_and_refused_when_closed(client, contest, monkeypatch):
    monkeypatch.setattr(services.contests, "ENTRY_LIMIT", 2)
    for n in range(2):
        _p, sent = online(client, contest, 1, f"09000000{n:02d}")
        assert sent.status_code == 200
    _p, refused = online(client, contest, 1, "0900000099")
    assert refused.status_code == 429 and ContestEntry.objects.count() == 2
    contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()
    page = client.get(f"/cuoc-thi/{contest.pk}/").content.decode()
    assert "đã kết thúc" in page and 'name="token"' not in page


def test_paper_entries_need_the_role(contest, commune_a):
    mttq = make_user("mttq_a", roles.OVERSIGHT, commune=commune_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_paper_entry(mttq, contest, data=Post({}), identity="0911111111", submitted_at=timezone.now())
