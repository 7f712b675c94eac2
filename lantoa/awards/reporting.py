"""The awards in the semi-annual and annual report: facts read as of the report's cut-off, and their sentences.

``facts(commune, year, as_of)`` counts only what is dated up to the cut-off: nominations made by then, decisions
dated by then (a correction replaces the decision it corrects from its own date). ``text(facts)`` writes the
Vietnamese paragraph the report's "results" section ends with. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt

from .models import AwardRound, Decision, Nomination


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def facts(commune, year: int, as_of: dt.date) -> dict:
    rounds = AwardRound.objects.filter(commune=commune, year=year, nominations_open__lte=as_of).order_by("pk")
    out = {"year": year, "as_of": _fmt(as_of), "rounds": []}
    for award_round in rounds:
        noms = Nomination.objects.filter(round=award_round, evidence_as_of__lte=as_of)
        decisions = list(
            Decision.objects.filter(round=award_round, date__lte=as_of)
            .order_by("date", "pk")
            .prefetch_related("awardees")
        )
        replaced = {d.corrects_id for d in decisions if d.corrects_id}
        in_force = [d for d in decisions if d.pk not in replaced]
        out["rounds"].append(
            {
                "title": award_round.title,
                "nominations": noms.count(),
                "bodies": noms.exclude(kind=Nomination.Kind.STAFF).count(),
                "people": noms.filter(kind=Nomination.Kind.STAFF).count(),
                "decisions": [
                    {
                        "number": d.number,
                        "date": _fmt(d.date),
                        "awardees": [n.nominee_name for n in d.awardees.all()],
                    }
                    for d in in_force
                ],
            }
        )
    return out


def text(data: dict | None) -> str:
    """“Về khen thưởng: …” — a paragraph per round of the year (none when the year has no round)."""
    if not data or not data["rounds"]:
        return ""  # the indicator table already says whether the year's awards were held
    year = data["year"]
    parts = []
    for r in data["rounds"]:
        sentence = (
            f"Về khen thưởng: xã tổ chức “{r['title']}”; đến ngày {data['as_of']} đã nhận {r['nominations']} đề cử "
            f"({r['bodies']} tập thể, mô hình và {r['people']} cá nhân) của các đơn vị và Ủy ban MTTQ Việt Nam xã, "
            f"được Hội đồng xét khen thưởng chấm điểm độc lập theo tiêu chí có trọng số"
        )
        if r["decisions"]:
            d = r["decisions"][-1]
            sentence += (
                f"; Chủ tịch UBND xã đã ban hành Quyết định số {d['number']} ngày {d['date']} khen thưởng "
                f"{len(d['awardees'])} tập thể, cá nhân: {', '.join(d['awardees'])}."
            )
        else:
            sentence += f"; chưa ban hành quyết định khen thưởng năm {year}."
        parts.append(sentence)
    return "\n".join(parts)
