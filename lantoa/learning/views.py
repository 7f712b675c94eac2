"""Pages of the learning app. Back office (signed-in staff): taking a course on a phone, outside certificates,
the staff still to be trained, contests' entries and results. Public (no login): a contest's entry page and its
winners. Views are thin: records are loaded within the user's communes, services do every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.tenancy import certificates, current
from lantoa.tenancy.files import serve
from lantoa.tenancy.forms import add_service_errors, flash_service_errors
from lantoa.tenancy.models import Household, Staff
from lantoa.tenancy.network import client_ip
from lantoa.tenancy.selectors import communes_for
from lantoa.tenancy.services import has_commune_perm

from . import engine, selectors, services
from .forms import ExternalCertificateForm, PaperEntryForm, PublicEntryForm, PurposeForm, ReasonForm
from .models import Contest, ContestEntry, Course, CourseCompletion, ExternalCertificate, Lesson, QuizAttempt
from .workflow import EXTERNAL_FLOW


def _ctx(request, commune, title: str, **extra) -> dict:
    return {"page_title": title, "header_icon": "doc-full", "commune": commune, **extra}


@login_required
def index(request):
    commune = communes_for(request.user).first()
    if commune is None:
        raise Http404
    return redirect("learning:commune", commune_id=commune.pk)


# --- Taking a course ---------------------------------------------------------------------------------


@current.commune_view("learning.view_course")
def commune_home(request):
    commune, user = request.commune, request.user
    courses = selectors.courses(user).filter(commune=commune, published=True)
    done = set(CourseCompletion.objects.filter(user=user, commune=commune).values_list("course_id", flat=True))
    staff = Staff.objects.filter(commune=commune, user=user).first()
    return render(
        request,
        "learning/home.html",
        _ctx(
            request,
            commune,
            _("Learning"),
            courses=[(c, c.pk in done) for c in courses],
            certificates=ExternalCertificate.objects.filter(commune=commune, staff=staff) if staff else [],
            completions=CourseCompletion.objects.filter(user=user, commune=commune).select_related("course"),
        ),
    )


def _course(request, course_id: int) -> Course:
    course = get_object_or_404(selectors.courses(request.user), pk=course_id)
    current.require(request, "learning.view_course", course.commune_id)
    if not course.published:
        raise Http404
    return course


@login_required
def course(request, course_id: int):
    course = _course(request, course_id)
    done = set(course.lessons.filter(done__user=request.user).values_list("pk", flat=True))
    state = services.progress(request.user, course)
    return render(
        request,
        "learning/course.html",
        _ctx(
            request,
            course.commune,
            course.title,
            course=course,
            lessons=[(lesson, lesson.pk in done) for lesson in course.lessons.all()],
            state=state,
            attempts=QuizAttempt.objects.filter(course=course, user=request.user).order_by("number"),
        ),
    )


@login_required
def lesson(request, lesson_id: int):
    lesson = get_object_or_404(Lesson.objects.select_related("course", "media", "document"), pk=lesson_id)
    _course(request, lesson.course_id)
    if request.method == "POST":
        try:
            services.mark_lesson_done(request.user, lesson)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Lesson marked as done."))
        return redirect("learning:course", course_id=lesson.course_id)
    return render(
        request,
        "learning/lesson.html",
        _ctx(
            request,
            lesson.course.commune,
            lesson.title,
            lesson=lesson,
            done=lesson.done.filter(user=request.user).exists(),
        ),
    )


@login_required
@require_POST
def start(request, course_id: int):
    course = _course(request, course_id)
    try:
        attempt = services.start_attempt(request.user, course)
    except ValidationError as exc:
        flash_service_errors(request, exc)
        return redirect("learning:course", course_id=course.pk)
    return redirect("learning:attempt", quizattempt_id=attempt.pk)


@login_required
def attempt(request, quizattempt_id: int):
    attempt = get_object_or_404(QuizAttempt.objects.select_related("course"), pk=quizattempt_id, user=request.user)
    course = _course(request, attempt.course_id)
    if request.method == "POST":
        try:
            attempt = services.submit_attempt(request.user, attempt, request.POST)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            if attempt.expired:
                messages.error(request, _("Time ran out: the answers sent after the time limit were not accepted."))
            elif attempt.passed:
                messages.success(
                    request, _("You passed: %(s)s of %(t)s correct.") % {"s": attempt.score, "t": attempt.total}
                )
            else:
                messages.warning(
                    request, _("Not passed: %(s)s of %(t)s correct.") % {"s": attempt.score, "t": attempt.total}
                )
        return redirect("learning:course", course_id=course.pk)
    if attempt.submitted_at is not None or attempt.deadline < timezone.now():
        return redirect("learning:course", course_id=course.pk)
    by_id = {q.pk: q for q in course.questions.all()}
    return render(
        request,
        "learning/attempt.html",
        _ctx(
            request,
            course.commune,
            course.title,
            course=course,
            attempt=attempt,
            questions=engine.shown(attempt.layout, by_id),
            seconds_left=max(0, int((attempt.deadline - timezone.now()).total_seconds())),
        ),
    )


@login_required
def certificate(request, coursecompletion_id: int):
    completion = get_object_or_404(CourseCompletion, pk=coursecompletion_id)
    current.require(request, "learning.view_course", completion.commune_id)
    if completion.user_id != request.user.pk and not has_commune_perm(
        request.user, "learning.view_externalcertificate", completion.commune_id
    ):
        raise PermissionDenied
    if completion.certificate is None:
        raise Http404
    response = HttpResponse(certificates.pdf_bytes(completion.certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{completion.pk}.pdf"'
    return response


# --- Outside certificates ----------------------------------------------------------------------------


@current.commune_view("learning.add_externalcertificate")
def external(request):
    commune, user = request.commune, request.user
    reviewer = has_commune_perm(user, "learning.approve_externalcertificate", commune)
    own = Staff.objects.filter(commune=commune, user=user).first()
    choices = Staff.objects.filter(commune=commune).filter(Staff.serving_on(timezone.localdate())) if reviewer else None
    form = ExternalCertificateForm(request.POST or None, request.FILES or None, staff_choices=choices)
    if request.method == "POST" and form.is_valid():
        staff = form.cleaned_data.get("staff") or own
        if staff is None:
            messages.error(request, _("Your login is not linked to a staff member of this commune."))
        else:
            upload = form.cleaned_data["file"]
            try:
                services.submit_external(
                    user,
                    staff=staff,
                    title=form.cleaned_data["title"],
                    issuer=form.cleaned_data["issuer"],
                    code=form.cleaned_data["code"],
                    issued_on=form.cleaned_data["issued_on"],
                    data=upload.read(),
                    filename=upload.name,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Certificate recorded; it waits for the focal point's approval."))
                return redirect("learning:external", commune_id=commune.pk)
    listing = selectors.external_certificates(user).filter(commune=commune)
    if not reviewer:
        listing = listing.filter(staff=own) if own else listing.none()
    return render(
        request,
        "learning/external.html",
        _ctx(request, commune, _("Outside certificates"), form=form, certificates=listing[:200], reviewer=reviewer),
    )


def _external(request, externalcertificate_id: int) -> ExternalCertificate:
    cert = get_object_or_404(selectors.external_certificates(request.user), pk=externalcertificate_id)
    current.require(request, "learning.add_externalcertificate", cert.commune_id)
    mine = cert.staff.user_id == request.user.pk
    if not mine and not has_commune_perm(request.user, "learning.approve_externalcertificate", cert.commune_id):
        raise PermissionDenied
    return cert


@login_required
def external_detail(request, externalcertificate_id: int):
    cert = _external(request, externalcertificate_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("approve", "refuse"):
            raise Http404
        form.is_valid()
        try:
            services.review_external(request.user, cert, action, form.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Certificate approved.") if action == "approve" else _("Certificate refused."))
            return redirect("learning:external", commune_id=cert.commune_id)
    return render(
        request,
        "learning/external_detail.html",
        _ctx(
            request,
            cert.commune,
            cert.title,
            cert=cert,
            form=form,
            actions=EXTERNAL_FLOW.allowed_actions(request.user, cert),
        ),
    )


@login_required
def external_file(request, externalcertificate_id: int):
    cert = _external(request, externalcertificate_id)
    return serve(request, cert.file, attachment=False)


@current.commune_view("learning.view_externalcertificate")
def missing(request):
    commune = request.commune
    day = timezone.localdate()
    staff = selectors.comms_staff(commune.pk, day)
    return render(
        request,
        "learning/missing.html",
        _ctx(
            request,
            commune,
            _("Communications staff still to be trained in depth"),
            missing=selectors.missing_training(commune.pk, day),
            total=staff.count(),
            day=day,
            rule=services.settings_for(commune.pk),
        ),
    )


# --- Contests in the back office ---------------------------------------------------------------------


@current.commune_view("learning.view_contest")
def contests(request):
    commune = request.commune
    return render(
        request,
        "learning/contests.html",
        _ctx(request, commune, _("Contests"), contests=selectors.contests(request.user).filter(commune=commune)),
    )


def _contest(request, contest_id: int, perm: str = "learning.view_contest") -> Contest:
    contest = get_object_or_404(selectors.contests(request.user), pk=contest_id)
    current.require(request, perm, contest.commune_id)
    return contest


@login_required
def contest(request, contest_id: int):
    contest = _contest(request, contest_id)
    user, cid = request.user, contest.commune_id
    revealed = None
    purpose = PurposeForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.publish_winners(user, contest)
                messages.success(request, _("Winners published."))
                return redirect("learning:contest", contest_id=contest.pk)
            if request.POST.get("action") == "reveal" and purpose.is_valid():
                revealed = {e.pk: e for e in services.reveal_entrants(user, contest, purpose.cleaned_data["purpose"])}
        except ValidationError as exc:
            flash_service_errors(request, exc)
    rows = services.ranked(contest)
    for r in rows:
        object.__setattr__(r, "shown", services.display_name(r.entry))
    return render(
        request,
        "learning/contest.html",
        _ctx(
            request,
            contest.commune,
            contest.title,
            contest=contest,
            rows=rows,
            revealed=revealed,
            purpose=purpose,
            households=len({r.entry.household_id for r in rows if r.entry.household_id}),
            counted=sum(1 for r in rows if r.entry.reach_contact_id),
            public_url=request.build_absolute_uri(reverse("contest:entry", kwargs={"contest_id": contest.pk})),
            can_type=has_commune_perm(user, "learning.add_contestentry", cid),
            can_publish=has_commune_perm(user, "learning.change_contest", cid),
            can_reveal=has_commune_perm(user, "learning.view_contestentry", cid)
            and has_commune_perm(user, "tenancy.view_personal_data", cid),
        ),
    )


@login_required
def paper(request, contest_id: int):
    contest = _contest(request, contest_id, "learning.add_contestentry")
    form = PaperEntryForm(request.POST or None)
    by_id = {q.pk: q for q in contest.questions.all()}
    questions = engine.shown(engine.in_order(contest.questions.all()), by_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = None
            if data["household_code"].strip():
                household = Household.objects.filter(
                    commune_id=contest.commune_id, code__iexact=data["household_code"].strip()
                ).first()
                if household is None:
                    raise ValidationError({"household_code": _("No household of the commune has this code.")})
            services.record_paper_entry(
                request.user,
                contest,
                data=request.POST,
                identity=data["identity"],
                submitted_at=data["submitted_at"],
                name=data["name"],
                contact=data["contact"],
                name_public=data["name_public"],
                household=household,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Paper entry recorded."))
            return redirect("learning:paper", contest_id=contest.pk)
    return render(
        request,
        "learning/paper.html",
        _ctx(request, contest.commune, _("Type in a paper entry"), contest=contest, form=form, questions=questions),
    )


# --- Public contest pages ----------------------------------------------------------------------------


def _public_contest(contest_id: int) -> Contest:
    contest = Contest.objects.filter(pk=contest_id, published=True).select_related("commune").first()
    if contest is None:
        raise Http404
    return contest


def _sources(contest: Contest) -> dict:
    from wagtail.models import Page  # noqa: PLC0415 — only the public page needs the items' addresses

    ids = {q.source_page_id for q in contest.questions.all() if q.source_page_id}
    return {p.pk: p for p in Page.objects.filter(pk__in=ids).live().specific()}


def entry(request, contest_id: int):
    """A resident enters the contest: no login; CSRF; one entry per person; at most a few per address."""
    contest = _public_contest(contest_id)
    now = timezone.now()
    open_now = services.is_open(contest, now)
    form = PublicEntryForm(request.POST or None)
    token = request.POST.get("token", "")
    status = 200
    if request.method == "POST" and open_now:
        if form.is_valid():
            if form.cleaned_data["website"]:
                return TemplateResponse(request, "learning/public_sent.html", {"contest": contest, "entry": None})
            try:
                entry = services.submit_online_entry(
                    contest=contest,
                    token=token,
                    data=request.POST,
                    identity=form.cleaned_data["identity"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    name_public=form.cleaned_data["name_public"],
                    household_code=form.cleaned_data["household_code"],
                    ip=client_ip(request),
                )
            except services.RateLimited:
                messages.error(request, _("Too many entries from this connection; try again in a few minutes."))
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                return TemplateResponse(request, "learning/public_sent.html", {"contest": contest, "entry": entry})
        else:
            status = 400
    layout = None
    if token:
        try:
            layout, _started = services.read_entry_token(contest, token)
        except ValidationError:
            layout = None
    if layout is None and open_now:
        token, layout = services.entry_form_token(contest)
    by_id = {q.pk: q for q in contest.questions.all()}
    sources = _sources(contest)
    questions = [
        (q, sources.get(q.source_page_id), {int(v) for v in request.POST.getlist(f"q{q.id}") if v.isdigit()})
        for q in engine.shown(layout or [], by_id)
    ]
    return TemplateResponse(
        request,
        "learning/public_entry.html",
        {
            "contest": contest,
            "open_now": open_now,
            "not_yet": now < contest.opens_at,
            "form": form,
            "token": token,
            "questions": questions,
        },
        status=status,
    )


def winners(request, contest_id: int):
    contest = _public_contest(contest_id)
    return TemplateResponse(
        request,
        "learning/public_winners.html",
        {
            "contest": contest,
            "winners": services.winners(contest),
            "entries": ContestEntry.objects.filter(contest=contest).count(),
        },
    )
