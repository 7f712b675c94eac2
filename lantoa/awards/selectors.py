"""Reads of the awards app shared by its pages, the decision and the report.

The council scores blind: ``scores_for(user, round)`` gives a member their own scores, and the other members'
submitted scores only once the member has submitted their own sheet (or scoring is over). Nobody — not the chair,
not the leadership — sees anyone else's score before that. ``ranking(round)`` exists only once scoring is over.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantoa.tenancy import numbers
from lantoa.tenancy.names import full_name
from lantoa.tenancy.selectors import scoped

from .models import AwardRound, Decision, Nomination, Score, Sheet


def rounds(user) -> QuerySet[AwardRound]:
    return scoped(AwardRound.objects.select_related("commune", "chair"), user)


def nominations(user) -> QuerySet[Nomination]:
    return scoped(Nomination.objects.select_related("round", "commune"), user)


def decisions(user) -> QuerySet[Decision]:
    return scoped(Decision.objects.select_related("round", "commune"), user)


def is_member(user, award_round: AwardRound) -> bool:
    return bool(user and user.is_authenticated) and award_round.council.filter(pk=user.pk).exists()


def has_submitted(user, award_round: AwardRound) -> bool:
    return Sheet.objects.filter(round=award_round, member_id=user.pk).exists()


def submitted_members(award_round: AwardRound) -> set[int]:
    return set(Sheet.objects.filter(round=award_round).values_list("member_id", flat=True))


def scoring_over(award_round: AwardRound) -> bool:
    """Scoring is over once the chair closed it, every council member submitted, or the round is decided."""
    if award_round.status == AwardRound.Status.DECIDED or award_round.scoring_closed_at:
        return True
    if award_round.status != AwardRound.Status.SCORING:
        return False
    council = set(award_round.council.values_list("pk", flat=True))
    return bool(council) and council <= submitted_members(award_round)


def may_see_others(user, award_round: AwardRound) -> bool:
    """Whether ``user`` may see other members' scores: after submitting their own, or once scoring is over."""
    return scoring_over(award_round) or has_submitted(user, award_round)


def own_scores(user, award_round: AwardRound) -> dict[tuple[int, int], Score]:
    """{(nomination id, criterion id): score} of the user's own sheet (draft or submitted)."""
    rows = Score.objects.filter(nomination__round=award_round, member_id=user.pk)
    return {(s.nomination_id, s.criterion_id): s for s in rows}


def scores_for(user, award_round: AwardRound) -> list[Score]:
    """The scores ``user`` may see: their own always; others' submitted ones only when ``may_see_others``."""
    rows = Score.objects.filter(nomination__round=award_round).select_related("member", "criterion", "nomination")
    if not may_see_others(user, award_round):
        return list(rows.filter(member_id=user.pk))
    submitted = submitted_members(award_round) | {user.pk}
    return list(rows.filter(member_id__in=submitted).order_by("nomination_id", "member_id", "criterion__order"))


TWO = Decimal("0.01")


@dataclass
class Ranked:
    nomination: Nomination
    average: Decimal  # the weighted average, 0–10, over the members who submitted
    by_criterion: dict[int, Decimal] = field(default_factory=dict)
    members: int = 0
    rank: int = 0
    tie: str = ""  # how a tie was broken, or that it stands


def _q(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def ranking(award_round: AwardRound) -> list[Ranked]:
    """The nominations by weighted average of the submitted sheets, best first.

    Each member's weighted score of a nomination is Σ(weight × score) / Σ weights (0–10); a nomination's average is
    the mean over the members who submitted. A criterion a member left unscored counts as 0. Equal averages are
    separated by the average on the heaviest criterion, then the next; equal on every criterion, they share the
    rank and the chair decides.
    """
    criteria = list(award_round.criteria.all())
    total_weight = sum(c.weight for c in criteria) or 1
    members = sorted(submitted_members(award_round))
    values: dict[tuple[int, int, int], int] = {}
    for s in Score.objects.filter(nomination__round=award_round, member_id__in=members):
        values[(s.nomination_id, s.member_id, s.criterion_id)] = s.value
    rows = []
    for nom in award_round.nominations.all():
        per_member = []
        by_criterion = defaultdict(list)
        for m in members:
            total = 0
            for c in criteria:
                v = values.get((nom.pk, m, c.pk), 0)
                total += c.weight * v
                by_criterion[c.pk].append(v)
            per_member.append(Decimal(total) / Decimal(total_weight))
        average = sum(per_member, Decimal(0)) / len(per_member) if per_member else Decimal(0)
        rows.append(
            Ranked(
                nom,
                _q(average),
                {c.pk: _q(sum(by_criterion[c.pk]) / len(members)) if members else _q(0) for c in criteria},
                len(members),
            )
        )
    heaviest = sorted(criteria, key=lambda c: (-c.weight, c.order, c.pk))

    def key(row: Ranked):
        return (-row.average, *[-row.by_criterion[c.pk] for c in heaviest])

    rows.sort(key=lambda r: (key(r), r.nomination.pk))
    for i, row in enumerate(rows):
        row.rank = i + 1
        if i and key(rows[i - 1]) == key(row):
            row.rank = rows[i - 1].rank
    for row in rows:
        same = [o for o in rows if o is not row and o.average == row.average]
        if not same:
            continue
        names = ", ".join(o.nomination.nominee_name for o in same)
        fully = [o for o in same if key(o) == key(row)]
        if fully:
            row.tie = _("Equal with %(names)s on every criterion: same rank, the chair decides.") % {"names": names}
        else:
            decider = next(c for c in heaviest if any(o.by_criterion[c.pk] != row.by_criterion[c.pk] for o in same))
            row.tie = _(
                "Same weighted average as %(names)s; ordered by the criterion “%(criterion)s” (weight %(weight)s%%): "
                "%(score)s."
            ) % {
                "names": names,
                "criterion": decider.name,
                "weight": decider.weight,
                "score": numbers.number(row.by_criterion[decider.pk], 2),
            }
    return rows


def member_names(award_round: AwardRound) -> list[tuple[int, str, bool]]:
    """(user id, name, submitted) of each council member, chair first."""
    submitted = submitted_members(award_round)
    members = sorted(award_round.council.all(), key=lambda u: (u.pk != award_round.chair_id, full_name(u)))
    return [(u.pk, full_name(u), u.pk in submitted) for u in members]
