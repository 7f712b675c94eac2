"""Reads of the partners app that views, exports and the report share; always scoped to the user's communes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from lantoa.tenancy.selectors import scoped

from .models import CommunicationPlan, ExternalActivity, Partner, PartnerActivity, PartnerLink, PartnerReminder


def partners(user) -> QuerySet[Partner]:
    return scoped(Partner.objects.all(), user)


def external_activities(user) -> QuerySet[ExternalActivity]:
    return scoped(ExternalActivity.objects.select_related("unit", "plan_task"), user)


def filtered_partners(user, commune, *, kind: str = "", active: str = "", q: str = "") -> QuerySet[Partner]:
    items = partners(user).filter(commune=commune)
    if kind in Partner.Kind.values:
        items = items.filter(kind=kind)
    if active in ("1", "0"):
        items = items.filter(active=active == "1")
    if q:
        items = items.filter(Q(name__icontains=q) | Q(tax_code__icontains=q) | Q(sector__icontains=q))
    return items


@dataclass
class PlanRow:
    partner: Partner
    plan: CommunicationPlan | None
    last_reminder: object
    reminders: int
    link: PartnerLink | None
    activities: int

    @property
    def status(self) -> str:
        return self.plan.status if self.plan else CommunicationPlan.Status.NOT_REQUESTED

    @property
    def status_label(self) -> str:
        return CommunicationPlan.Status(self.status).label

    @property
    def submitted(self) -> bool:
        return self.status in (CommunicationPlan.Status.SUBMITTED, CommunicationPlan.Status.ACCEPTED)


def plan_rows(user, commune, year: int, *, status: str = "") -> list[PlanRow]:
    """Every active partner of the commune with its plan of ``year``: who has submitted and who has not, the last
    reminder and the live link. Four queries whatever the number of partners."""
    items = list(partners(user).filter(commune=commune, active=True).order_by("name"))
    plans = {p.partner_id: p for p in CommunicationPlan.objects.filter(commune=commune, year=year)}
    sent = {
        r["partner"]: r
        for r in PartnerReminder.objects.filter(commune=commune, year=year)
        .values("partner")
        .annotate(last=Max("sent_at"), n=Count("pk"))
    }
    links = {}
    for link in PartnerLink.objects.filter(commune=commune, year=year, revoked_at=None).order_by("created_at"):
        links[link.partner_id] = link
    done = dict(
        PartnerActivity.objects.filter(commune=commune, year=year)
        .values("partner")
        .annotate(n=Count("pk"))
        .values_list("partner", "n")
    )
    rows = [
        PlanRow(
            partner=p,
            plan=plans.get(p.pk),
            last_reminder=sent.get(p.pk, {}).get("last"),
            reminders=sent.get(p.pk, {}).get("n", 0),
            link=links.get(p.pk),
            activities=done.get(p.pk, 0),
        )
        for p in items
    ]
    if status == "submitted":
        rows = [r for r in rows if r.submitted]
    elif status == "missing":
        rows = [r for r in rows if not r.submitted]
    return rows
