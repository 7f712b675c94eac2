"""The awards pages in the back office. Thin: load within the user's communes (404 otherwise), check the role,
call services for every change, and read the scores only through the selectors (the blind rule lives there)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.tenancy import current, numbers
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.files import serve
from lantoa.tenancy.forms import flash_service_errors
from lantoa.tenancy.models import Hamlet, Staff, Unit
from lantoa.tenancy.names import full_name
from lantoa.tenancy.selectors import communes_with_perm, scoped
from lantoa.tenancy.services import has_commune_perm

from . import evidence, selectors, services
from .models import MAX_SCORE, Attachment, AwardRound, Nomination, Score
from .workflow import ROUND_FLOW

VIEW = "awards.view_awardround"


def _round(request, awardround_id: int) -> AwardRound:
    award_round = get_object_or_404(selectors.rounds(request.user), pk=awardround_id)
    current.require(request, VIEW, award_round.commune_id)
    return award_round


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _round_url(award_round) -> str:
    return reverse("awards:round", kwargs={"awardround_id": award_round.pk})


@login_required
def index(request):
    commune = communes_with_perm(request.user, VIEW).first()
    if commune is None:
        raise PermissionDenied
    return redirect("awards:commune", commune_id=commune.pk)


@commune_view(VIEW)
def commune_home(request):
    commune = request.commune
    return render(
        request,
        "awards/commune.html",
        {
            "page_title": _("Yearly awards"),
            "header_icon": "pick",
            "commune": commune,
            "rounds": selectors.rounds(request.user).filter(commune=commune),
            "can_manage": has_commune_perm(request.user, "awards.manage_round", commune),
        },
    )


def _setup_form(request, commune, award_round=None):
    """The round's set-up page (new or edit): title, year, window, criteria with weights, council and chair."""
    users = list(services.commune_users(commune))
    users.sort(key=full_name)
    if request.method == "POST":
        post = request.POST
        criteria = list(zip(post.getlist("criterion"), post.getlist("weight"), strict=False))
        values = {
            "title": post.get("title", ""),
            "year": post.get("year", ""),
            "nominations_open": _date(post.get("nominations_open")),
            "nominations_close": _date(post.get("nominations_close")),
            "criteria": criteria,
            "council": post.getlist("council"),
            "chair": post.get("chair") or None,
        }
        try:
            if award_round is None:
                award_round = services.create_round(request.user, commune, **values)
            else:
                award_round = services.update_round(request.user, award_round, **values)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Round “%(title)s” saved.") % {"title": award_round.title})
            return redirect(_round_url(award_round))
        form = {
            "title": values["title"],
            "year": values["year"],
            "open": post.get("nominations_open", ""),
            "close": post.get("nominations_close", ""),
            "criteria": criteria,
            "council": {int(i) for i in values["council"] if i.isdigit()},
            "chair": int(values["chair"]) if (values["chair"] or "").isdigit() else None,
        }
    elif award_round is not None:
        form = {
            "title": award_round.title,
            "year": award_round.year,
            "open": award_round.nominations_open.isoformat(),
            "close": award_round.nominations_close.isoformat(),
            "criteria": [(c.name, c.weight) for c in award_round.criteria.all()],
            "council": set(award_round.council.values_list("pk", flat=True)),
            "chair": award_round.chair_id,
        }
    else:
        year = max(timezone.localdate().year, 2027)
        form = {
            "title": f"Khen thưởng truyền thông Nghị quyết 57 năm {year}",
            "year": year,
            "open": timezone.localdate().isoformat(),
            "close": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "criteria": [
                ("Kết quả tiếp cận người dân", 40),
                ("Sáng tạo, đổi mới trong cách truyền thông", 30),
                ("Sản phẩm truyền thông (tin, bài, phát thanh)", 20),
                ("Tính lan tỏa, khả năng nhân rộng", 10),
            ],
            "council": set(),
            "chair": None,
        }
    form["criteria"] = list(form["criteria"]) + [("", "")] * max(0, 6 - len(form["criteria"]))
    return render(
        request,
        "awards/setup.html",
        {
            "page_title": _("Set up an awards round") if award_round is None else _("Change the round"),
            "header_icon": "pick",
            "commune": commune,
            "award_round": award_round,
            "form": form,
            "users": [(u.pk, full_name(u)) for u in users],
        },
    )


@commune_view("awards.manage_round")
def new_round(request):
    return _setup_form(request, request.commune)


@login_required
def edit_round(request, awardround_id: int):
    award_round = _round(request, awardround_id)
    current.require(request, "awards.manage_round", award_round.commune_id)
    return _setup_form(request, award_round.commune, award_round)


@login_required
def round_page(request, awardround_id: int):
    award_round = _round(request, awardround_id)
    user = request.user
    over = selectors.scoring_over(award_round)
    ranking = selectors.ranking(award_round) if over else []
    criteria = list(award_round.criteria.all())
    is_chair = user.pk == award_round.chair_id
    decisions = list(award_round.decisions.prefetch_related("awardees"))
    context = {
        "page_title": award_round.title,
        "header_icon": "pick",
        "commune": award_round.commune,
        "award_round": award_round,
        "criteria": criteria,
        "members": selectors.member_names(award_round),
        "nominations": award_round.nominations.all(),
        "actions": ROUND_FLOW.allowed_actions(user, award_round),
        "is_member": selectors.is_member(user, award_round),
        "submitted": selectors.has_submitted(user, award_round),
        "is_chair": is_chair,
        "over": over,
        "ranking": [
            (row, numbers.number(row.average, 2), [numbers.number(row.by_criterion[c.pk], 2) for c in criteria])
            for row in ranking
        ],
        "decisions": decisions,
        "can_decide": is_chair and over and award_round.status in (AwardRound.Status.SCORING,),
        "can_correct": is_chair and award_round.status == AwardRound.Status.DECIDED,
        "can_close": is_chair and award_round.status == AwardRound.Status.SCORING and not over,
        "today": timezone.localdate().isoformat(),
        "events": award_round.events.select_related("user"),
    }
    return render(request, "awards/round.html", context)


@require_POST
@login_required
def step(request, awardround_id: int):
    award_round = _round(request, awardround_id)
    action = request.POST.get("action")
    run = {
        "open": services.open_round,
        "score": services.start_scoring,
        "close": services.close_scoring,
    }.get(action)
    if run is None:
        raise Http404
    try:
        run(request.user, award_round)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(_round_url(award_round))


def _nominees(commune):
    return {
        Nomination.Kind.UNIT: [(u.pk, u.name) for u in Unit.objects.filter(commune=commune, active=True)],
        Nomination.Kind.HAMLET: [(h.pk, h.name) for h in Hamlet.objects.filter(commune=commune)],
        Nomination.Kind.STAFF: [
            (s.pk, services.nominee_name(Nomination.Kind.STAFF, s))
            for s in Staff.objects.filter(commune=commune, end_date__isnull=True).order_by("full_name")
        ],
    }


@login_required
def nominate(request, awardround_id: int):
    """Choose the nominee, see the evidence the system holds (read-only), then add the reasons and files."""
    award_round = _round(request, awardround_id)
    current.require(request, "awards.nominate", award_round.commune_id)
    commune = award_round.commune
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    nominee_id = source.get("nominee") or source.get(f"nominee_{kind}", "")
    if request.method == "POST":
        try:
            made = services.nominate(
                request.user,
                award_round,
                kind=kind,
                nominee_id=nominee_id,
                reason=request.POST.get("reason", ""),
                attachments=request.FILES.getlist("attachments"),
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Nomination of %(name)s recorded.") % {"name": made.nominee_name})
            return redirect(_round_url(award_round))
    chosen, facts = None, None
    if kind and nominee_id:
        try:
            chosen = services.nominee_of(commune, kind, nominee_id)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            facts = evidence.collect(kind, chosen, timezone.localdate())
    return render(
        request,
        "awards/nominate.html",
        {
            "page_title": _("Nominate"),
            "header_icon": "pick",
            "commune": commune,
            "award_round": award_round,
            "kinds": Nomination.Kind.choices,
            "nominees": _nominees(commune),
            "kind": kind,
            "nominee_id": nominee_id,
            "chosen": chosen,
            "chosen_name": services.nominee_name(kind, chosen) if chosen else "",
            "evidence": facts,
            "reason": request.POST.get("reason", ""),
            "nominator": services.nominator(request.user, commune)[0],
        },
    )


@login_required
def nomination(request, nomination_id: int):
    nom = get_object_or_404(selectors.nominations(request.user), pk=nomination_id)
    current.require(request, VIEW, nom.commune_id)
    visible = [s for s in selectors.scores_for(request.user, nom.round) if s.nomination_id == nom.pk]
    return render(
        request,
        "awards/nomination.html",
        {
            "page_title": nom.nominee_name,
            "header_icon": "pick",
            "commune": nom.commune,
            "award_round": nom.round,
            "nomination": nom,
            "evidence": nom.evidence,
            "scores": visible,
            "blind": not selectors.may_see_others(request.user, nom.round),
        },
    )


@login_required
def attachment(request, attachment_id: int):
    item = get_object_or_404(scoped(Attachment.objects.all(), request.user), pk=attachment_id)
    current.require(request, "awards.view_nomination", item.commune_id)
    return serve(request, item.file, filename=item.name)


@login_required
def score(request, awardround_id: int):
    """A member's own score sheet; after submitting, the other members' submitted scores appear beside it."""
    award_round = _round(request, awardround_id)
    if not selectors.is_member(request.user, award_round):
        raise PermissionDenied
    criteria = list(award_round.criteria.all())
    noms = list(award_round.nominations.all())
    if request.method == "POST":
        rows = []
        for n in noms:
            for c in criteria:
                key = f"{n.pk}_{c.pk}"
                rows.append(
                    {
                        "nomination": n.pk,
                        "criterion": c.pk,
                        "value": request.POST.get(f"v_{key}", ""),
                        "confidence": request.POST.get(f"c_{key}", ""),
                        "comment": request.POST.get(f"m_{key}", ""),
                    }
                )
        submit = bool(request.POST.get("submit"))
        try:
            services.save_scores(request.user, award_round, rows, submit=submit)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Your scores are submitted.") if submit else _("Your scores are saved."))
            return redirect(reverse("awards:score", kwargs={"awardround_id": award_round.pk}))
    own = selectors.own_scores(request.user, award_round)
    others = [s for s in selectors.scores_for(request.user, award_round) if s.member_id != request.user.pk]
    sheet = []
    for n in noms:
        cells = []
        for c in criteria:
            s = own.get((n.pk, c.pk))
            cells.append(
                {
                    "key": f"{n.pk}_{c.pk}",
                    "criterion": c,
                    "value": s.value if s else None,
                    "confidence": s.confidence if s else None,
                    "comment": s.comment if s else "",
                    "others": [o for o in others if o.nomination_id == n.pk and o.criterion_id == c.pk],
                }
            )
        sheet.append((n, cells))
    submitted = selectors.has_submitted(request.user, award_round)
    return render(
        request,
        "awards/score.html",
        {
            "page_title": _("Score sheet"),
            "header_icon": "pick",
            "commune": award_round.commune,
            "award_round": award_round,
            "sheet": sheet,
            "values": range(MAX_SCORE + 1),
            "confidences": Score.Confidence.choices,
            "editable": not submitted
            and award_round.status == AwardRound.Status.SCORING
            and not award_round.scoring_closed_at,
            "submitted": submitted,
        },
    )


@require_POST
@login_required
def decide(request, awardround_id: int):
    award_round = _round(request, awardround_id)
    corrects = None
    if request.POST.get("corrects"):
        corrects = award_round.decisions.filter(pk=request.POST["corrects"]).first()
    try:
        decision = services.issue_decision(
            request.user,
            award_round,
            number=request.POST.get("number", ""),
            date=_date(request.POST.get("date")),
            signer_name=request.POST.get("signer_name", ""),
            signer_title=request.POST.get("signer_title", ""),
            awardee_ids=request.POST.getlist("awardee"),
            corrects=corrects,
        )
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Decision %(number)s issued.") % {"number": decision.number})
    return redirect(_round_url(award_round))


@login_required
def decision_docx(request, decision_id: int):
    decision = get_object_or_404(selectors.decisions(request.user), pk=decision_id)
    current.require(request, "awards.view_decision", decision.commune_id)
    return serve(request, decision.docx, filename=f"quyet-dinh-{decision.number.replace('/', '-')}.docx")
